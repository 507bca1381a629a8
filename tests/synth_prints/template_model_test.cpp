#include <algorithm>
#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "datasets/fingerprints/template_model.hpp"

namespace tuskprint::synth {
namespace {

// Best number of minutiae of `a` paired with `b` over all single-pair alignments
// (rotation by the direction difference, translation onto the pair): a crude matcher
// that needs no registration, enough to tell mates from non-mates.
int best_alignment_pairs(const ridge::FingerTemplate& a, const ridge::FingerTemplate& b) {
  int best = 0;
  for (const auto& pa : a.minutiae) {
    for (const auto& pb : b.minutiae) {
      const double rot = static_cast<double>(pb.direction) - pa.direction;
      const double c = std::cos(-rot), s = std::sin(-rot);  // y-down image frame
      int pairs = 0;
      for (const auto& qa : a.minutiae) {
        const double dx = qa.x - pa.x, dy = qa.y - pa.y;
        const double x = pb.x + c * dx - s * dy, y = pb.y + s * dx + c * dy;
        double dir = std::fmod(qa.direction + rot + 4 * CV_PI, 2 * CV_PI);
        for (const auto& qb : b.minutiae) {
          if (std::hypot(qb.x - x, qb.y - y) > 10) continue;
          double d = std::abs(dir - qb.direction);
          d = std::min(d, 2 * CV_PI - d);
          if (d < 0.35) {
            ++pairs;
            break;
          }
        }
      }
      best = std::max(best, pairs);
    }
  }
  return best;
}

TEST(SynthTemplates, SetHasRequestedCountsIdsAndPlainPrintStatistics) {
  const SynthParams params;
  const auto set = generate_template_set(60, 3, 42, params);
  ASSERT_EQ(set.size(), 180u);
  double sum = 0, sum2 = 0;
  std::map<std::uint32_t, int> per_finger;
  for (std::size_t i = 0; i < set.size(); ++i) {
    EXPECT_EQ(set[i].finger_id, i / 3 + 1);
    EXPECT_EQ(set[i].mate_index, i % 3);
    ++per_finger[set[i].finger_id];
    const auto& t = set[i].tpl;
    EXPECT_EQ(t.ppi, 500);
    EXPECT_EQ(t.extractor_version, kTemplateModelVersion);
    EXPECT_EQ(t.parameters_hash, parameters_hash(params));
    for (const auto& m : t.minutiae) {
      EXPECT_GE(m.x, 0);
      EXPECT_LT(m.x, t.width);
      EXPECT_GE(m.direction, 0);
      EXPECT_LT(m.direction, static_cast<float>(2 * CV_PI));
    }
    const double n = static_cast<double>(t.minutiae.size());
    sum += n;
    sum2 += n * n;
  }
  EXPECT_EQ(per_finger.size(), 60u);
  const double mean = sum / 180, sd = std::sqrt(sum2 / 180 - mean * mean);
  EXPECT_NEAR(mean, 40, 6);
  EXPECT_GT(sd, 5);
  EXPECT_LT(sd, 16);
}

TEST(SynthTemplates, MasterMinutiaeKeepTheirSpacingAndFollowTheClassField) {
  const SynthParams params;
  const MasterMinutiae m = draw_master_minutiae(7, params);
  ASSERT_GT(m.minutiae.size(), 30u);
  int endings = 0;
  for (std::size_t i = 0; i < m.minutiae.size(); ++i) {
    const auto& a = m.minutiae[i];
    endings += a.type == ridge::MinutiaType::kEnding;
    for (std::size_t j = i + 1; j < m.minutiae.size(); ++j) {
      EXPECT_GE(std::hypot(a.x - m.minutiae[j].x, a.y - m.minutiae[j].y), params.templates.min_distance);
    }
    // Direction lies along the field (either sense).
    const double axis = m.class_model.orientation_at(a.x, a.y);
    double d = std::fmod(std::abs(-static_cast<double>(a.direction) - axis) + 4 * CV_PI, CV_PI);
    EXPECT_LT(std::min(d, CV_PI - d), 1e-3);
  }
  EXPECT_GT(endings, 0);
}

TEST(SynthTemplates, MatedPairsDifferRealistically) {
  const SynthParams params;
  const auto set = generate_template_set(8, 2, 99, params);
  double genuine_share = 0, impostor_share = 0;
  int genuine_n = 0, impostor_n = 0;
  for (std::size_t f = 0; f < 8; ++f) {
    const auto& a = set[2 * f].tpl;
    const auto& b = set[2 * f + 1].tpl;
    EXPECT_NE(a.minutiae.size() == b.minutiae.size() && a.minutiae.front().x == b.minutiae.front().x, true);
    const double denom = static_cast<double>(std::min(a.minutiae.size(), b.minutiae.size()));
    genuine_share += best_alignment_pairs(a, b) / denom;
    ++genuine_n;
    const auto& other = set[2 * ((f + 1) % 8)].tpl;
    impostor_share += best_alignment_pairs(a, other) / static_cast<double>(std::min(a.minutiae.size(), other.minutiae.size()));
    ++impostor_n;
  }
  genuine_share /= genuine_n;
  impostor_share /= impostor_n;
  // Mates share many minutiae but far from all (distortion, partial overlap, missed and
  // spurious ones); non-mates share few.
  EXPECT_GT(genuine_share, 0.3);
  EXPECT_LT(genuine_share, 0.9);
  EXPECT_LT(impostor_share, 0.3);
  EXPECT_GT(genuine_share, impostor_share + 0.15);
}

TEST(SynthTemplates, SameSeedSameTemplatesAndBadCountsAreRejected) {
  const SynthParams params;
  const auto a = generate_template_set(3, 2, 5, params);
  const auto b = generate_template_set(3, 2, 5, params);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].tpl.minutiae.size(), b[i].tpl.minutiae.size());
    for (std::size_t j = 0; j < a[i].tpl.minutiae.size(); ++j) EXPECT_EQ(a[i].tpl.minutiae[j].x, b[i].tpl.minutiae[j].x);
  }
  try {
    generate_template_set(0, 2, 5, params);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("--fingers must be at least 1 (got 0)"), std::string::npos) << e.what();
  }
  try {
    generate_template_set(2, -1, 5, params);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--mates must be at least 1 (got -1)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tuskprint::synth
