#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/transparency.hpp"
#include "datasets/fingerprints/master.hpp"
#include "poincare.hpp"

namespace tuskprint::synth {
namespace {

// Master prints are the slow part: make each class once for the whole binary.
const MasterFingerprint& master_of(FingerClass c) {
  static std::map<FingerClass, MasterFingerprint> cache;
  auto it = cache.find(c);
  if (it == cache.end()) it = cache.emplace(c, generate_master(100 + static_cast<int>(c), c, SynthParams())).first;
  return it->second;
}

// Poincare index of the orientation estimated from the rendered ridges (not the model).
double rendered_index(const MasterFingerprint& m, cv::Point2d centre, double radius) {
  const cv::Mat1f est = testing::estimated_orientation(m.ridges, 5.0);
  return testing::poincare_index(
      [&](double x, double y) {
        const int xi = std::clamp(static_cast<int>(std::lround(x)), 0, est.cols - 1);
        const int yi = std::clamp(static_cast<int>(std::lround(y)), 0, est.rows - 1);
        return static_cast<double>(est(yi, xi));
      },
      centre, radius, 96);
}

bool well_inside(const MasterFingerprint& m, cv::Point2d p, double radius) {
  return m.shape.normalised_radius(p) < 1.0 - (radius + 20) / m.shape.half_width;
}

TEST(SynthMaster, RenderedRidgesShowEachClassesSingularities) {
  const MasterFingerprint& loop = master_of(FingerClass::kLeftLoop);
  EXPECT_NEAR(rendered_index(loop, loop.class_model.cores[0], 24), 0.5, 0.1);
  if (well_inside(loop, loop.class_model.deltas[0], 24)) {
    EXPECT_NEAR(rendered_index(loop, loop.class_model.deltas[0], 24), -0.5, 0.1);
  }
  const MasterFingerprint& right = master_of(FingerClass::kRightLoop);
  EXPECT_NEAR(rendered_index(right, right.class_model.cores[0], 24), 0.5, 0.1);

  const MasterFingerprint& whorl = master_of(FingerClass::kWhorl);
  const cv::Point2d mid = 0.5 * (whorl.class_model.cores[0] + whorl.class_model.cores[1]);
  const double gap = cv::norm(whorl.class_model.cores[0] - whorl.class_model.cores[1]);
  EXPECT_NEAR(rendered_index(whorl, mid, gap / 2 + 24), 1.0, 0.1);
  int deltas_checked = 0;
  for (const cv::Point2d& d : whorl.class_model.deltas) {
    if (!well_inside(whorl, d, 24)) continue;
    EXPECT_NEAR(rendered_index(whorl, d, 24), -0.5, 0.1);
    ++deltas_checked;
  }

  const MasterFingerprint& tented = master_of(FingerClass::kTentedArch);
  EXPECT_NEAR(rendered_index(tented, tented.class_model.cores[0], 24), 0.5, 0.1);
  EXPECT_NEAR(rendered_index(tented, tented.class_model.deltas[0], 24), -0.5, 0.1);

  const MasterFingerprint& arch = master_of(FingerClass::kArch);
  for (double dx : {-50.0, 0.0, 50.0}) {
    for (double dy : {-60.0, 0.0, 60.0}) {
      EXPECT_NEAR(rendered_index(arch, arch.shape.centre + cv::Point2d(dx, dy), 30), 0.0, 0.1);
    }
  }
}

TEST(SynthMaster, RidgePeriodStaysInRangeAndRidgesFollowTheField) {
  const MasterFingerprint& m = master_of(FingerClass::kWhorl);
  double lo = 0, hi = 0;
  cv::minMaxLoc(m.period, &lo, &hi);
  EXPECT_GE(lo, 7.0);
  EXPECT_LE(hi, 12.0);
  // The estimated ridge orientation agrees with the model away from singularities.
  const cv::Mat1f est = testing::estimated_orientation(m.ridges, 5.0);
  int agree = 0, total = 0;
  for (int y = 40; y < m.ridges.rows - 40; y += 7) {
    for (int x = 40; x < m.ridges.cols - 40; x += 7) {
      if (!well_inside(m, cv::Point2d(x, y), 10)) continue;
      double d = std::fmod(std::abs(est(y, x) - m.orientation(y, x)), CV_PI);
      d = std::min(d, CV_PI - d);
      agree += d < 0.26 ? 1 : 0;  // 15 degrees
      ++total;
    }
  }
  ASSERT_GT(total, 500);
  EXPECT_GT(static_cast<double>(agree) / total, 0.9);
}

TEST(SynthMaster, GroundTruthMinutiaeAreOnTheSkeletonInsideTheFinger) {
  for (FingerClass c : {FingerClass::kArch, FingerClass::kLeftLoop, FingerClass::kWhorl}) {
    const MasterFingerprint& m = master_of(c);
    EXPECT_GE(m.minutiae.size(), 15u) << to_string(c);
    EXPECT_LE(m.minutiae.size(), 160u) << to_string(c);
    int endings = 0;
    for (const ridge::Minutia& mn : m.minutiae) {
      const int x = static_cast<int>(mn.x), y = static_cast<int>(mn.y);
      EXPECT_NE(m.skeleton(y, x), 0);
      EXPECT_NE(m.foreground(y, x), 0);
      EXPECT_GE(mn.direction, 0.0f);
      EXPECT_LT(mn.direction, static_cast<float>(2 * CV_PI));
      endings += mn.type == ridge::MinutiaType::kEnding ? 1 : 0;
    }
    EXPECT_GT(endings, 0);
    EXPECT_LT(endings, static_cast<int>(m.minutiae.size()));
  }
}

TEST(SynthMaster, SameSeedSameMasterAndStagesAreTransparent) {
  std::set<std::string> keys;
  transparency::ScopedSink sink([&](const transparency::Item& item) { keys.insert(std::string(item.key)); });
  const MasterFingerprint a = generate_master(555, std::nullopt, SynthParams());
  const MasterFingerprint b = generate_master(555, std::nullopt, SynthParams());
  EXPECT_EQ(a.finger_class, b.finger_class);
  EXPECT_EQ(cv::norm(a.ridges, b.ridges, cv::NORM_INF), 0.0);
  ASSERT_EQ(a.minutiae.size(), b.minutiae.size());
  EXPECT_EQ(keys, (std::set<std::string>{"synth-orientation-field", "synth-ridge-period",
                                         "synth-master-ridges", "synth-master-skeleton"}));
}

}  // namespace
}  // namespace tuskprint::synth
