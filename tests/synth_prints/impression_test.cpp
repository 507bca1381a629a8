#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "datasets/fingerprints/impression.hpp"
#include "datasets/fingerprints/skeleton_minutiae.hpp"

namespace tuskprint::synth {
namespace {

const MasterFingerprint& loop_master() {
  static const MasterFingerprint m = generate_master(2024, FingerClass::kRightLoop, SynthParams());
  return m;
}

double angle_gap(float a, float b) {
  double d = std::fmod(std::abs(static_cast<double>(a) - b), 2 * CV_PI);
  return std::min(d, 2 * CV_PI - d);
}

TEST(SynthImpression, GroundTruthLandsOnTheImpressionsSkeletonMinutiae) {
  // Undistorted, clean, full contact: the only changes are the rigid placement and
  // resampling, so the mapped master minutiae must be where the rendering's own
  // skeleton has them.
  ImpressionOptions clean;
  clean.distortion = false;
  clean.skin_and_noise = false;
  clean.partial_contact = false;
  const SynthParams params;
  int truth_total = 0, found = 0, direction_ok = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Impression imp = render_impression(loop_master(), seed, params, clean);
    cv::Mat1b ridges = imp.image < 150;
    const cv::Mat1b skeleton = ridge_skeleton(ridges);
    SkeletonMinutiaeOptions options;  // the generator's own filters, applied the same way
    const auto seen = skeleton_minutiae(skeleton, imp.contact, options);
    cv::Mat1f edge_distance;
    cv::distanceTransform(imp.contact, edge_distance, cv::DIST_L2, 3);
    for (const ridge::Minutia& t : imp.minutiae) {
      if (edge_distance(static_cast<int>(t.y), static_cast<int>(t.x)) < 25) continue;
      ++truth_total;
      const ridge::Minutia* best = nullptr;
      double best_d = 1e9;
      for (const ridge::Minutia& s : seen) {
        const double d = std::hypot(s.x - t.x, s.y - t.y);
        if (d < best_d) {
          best_d = d;
          best = &s;
        }
      }
      if (best != nullptr && best_d <= 5.0) {
        ++found;
        direction_ok += angle_gap(best->direction, t.direction) < 0.5 ? 1 : 0;
      }
    }
  }
  ASSERT_GT(truth_total, 40);
  EXPECT_GT(static_cast<double>(found) / truth_total, 0.85) << found << " of " << truth_total;
  EXPECT_GT(static_cast<double>(direction_ok) / std::max(found, 1), 0.85);
}

TEST(SynthImpression, TransformRoundTripsAndIsRecorded) {
  Rng rng(5);
  const ImpressionTransform t = draw_impression_transform(cv::Point2d(200, 220), cv::Size(400, 448), rng,
                                                          ImpressionParams(), true);
  EXPECT_NE(t.outer_shift, cv::Point2d(0, 0));
  for (double x = 60; x < 360; x += 37) {
    for (double y = 60; y < 400; y += 41) {
      const cv::Point2d p(x, y);
      EXPECT_LT(cv::norm(t.unmap(t.map(p)) - p), 0.01);
    }
  }
  // Undistorted: the mapping is exactly the rigid placement.
  Rng rng2(5);
  const ImpressionTransform rigid = draw_impression_transform(cv::Point2d(200, 220), cv::Size(400, 448), rng2,
                                                              ImpressionParams(), false);
  EXPECT_EQ(rigid.rotation, t.rotation);
  EXPECT_LT(cv::norm(rigid.map(cv::Point2d(100, 80)) - rigid.rigid(cv::Point2d(100, 80))), 1e-9);
}

TEST(SynthImpression, SameSeedSamePixelsAndRealisticVariation) {
  const SynthParams params;
  const Impression a = render_impression(loop_master(), 11, params);
  const Impression b = render_impression(loop_master(), 11, params);
  const Impression c = render_impression(loop_master(), 12, params);
  EXPECT_EQ(a.image.size(), cv::Size(params.impression.width, params.impression.height));
  EXPECT_EQ(cv::norm(a.image, b.image, cv::NORM_INF), 0.0);
  EXPECT_GT(cv::norm(a.image, c.image, cv::NORM_L1), 0.0);
  ASSERT_EQ(a.minutiae.size(), b.minutiae.size());
  // Partial contact keeps part of the master's minutiae, all on the contact region.
  EXPECT_LT(a.minutiae.size(), loop_master().minutiae.size());
  for (const ridge::Minutia& m : a.minutiae) {
    EXPECT_NE(a.contact(static_cast<int>(std::lround(m.y)), static_cast<int>(std::lround(m.x))), 0);
  }
}

TEST(SynthImpression, DrySkinThinsAndWetSkinThickensRidges) {
  // Count dark pixels on the contact over many impressions per condition.
  const SynthParams params;
  double dark[3] = {0, 0, 0};
  int count[3] = {0, 0, 0};
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    const Impression imp = render_impression(loop_master(), seed, params);
    const double share = cv::countNonZero((imp.image < 140) & imp.contact) /
                         std::max(1.0, static_cast<double>(cv::countNonZero(imp.contact)));
    dark[static_cast<int>(imp.skin)] += share;
    ++count[static_cast<int>(imp.skin)];
  }
  for (int i = 0; i < 3; ++i) ASSERT_GT(count[i], 0) << "skin condition " << i << " never drawn";
  const double normal = dark[0] / count[0], dry = dark[1] / count[1], wet = dark[2] / count[2];
  EXPECT_LT(dry, normal);
  EXPECT_GT(wet, normal);
}

}  // namespace
}  // namespace tuskprint::synth
