// Local phase coherence of registered pattern maps (pattern_coherence.hpp): synthetic maps of
// two crossing line families whose phases drift by a smooth field.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "expect_error.hpp"
#include "schreger/pattern_coherence.hpp"

namespace tuskprint::schreger {
namespace {

using tuskprint::schreger::testing::expect_invalid;

constexpr int kRows = 88, kCols = 1024;

// Two line families in log-polar cells (120 lines around, leaning +-0.25 cycles per row), each
// with its own smooth phase field scaled by `drift` (a cut face `drift` units along the tusk),
// plus a constant phase `offset` on both; columns beyond `observed_cols` are not observed.
cv::Mat two_families(double drift, double offset = 0.0, int observed_cols = kCols) {
  cv::Mat m(kRows, kCols, CV_32F, cv::Scalar(std::numeric_limits<float>::quiet_NaN()));
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < observed_cols; ++c) {
      const double theta = 2 * M_PI * c / kCols, rho = double(r) / kRows;
      const double w0 = drift * (1.2 * std::sin(3 * theta + 0.4) * std::cos(M_PI * 2 * rho) + 0.8 * std::cos(5 * theta));
      const double w1 = drift * (1.0 * std::cos(2 * theta + 1.0) * std::sin(M_PI * 3 * rho + 0.3) - 0.9 * std::sin(6 * theta));
      const double line = 120 * theta;
      m.at<float>(r, c) = float(std::cos(line + 2 * M_PI * 0.25 * r + w0 + offset) +
                                std::cos(line - 2 * M_PI * 0.25 * r + w1 + offset));
    }
  return m;
}

double coherence_of(const cv::Mat& a, const cv::Mat& b, const SchregerParams& p = {}) {
  return pattern_coherence(pattern_phase(a, false, p), pattern_phase(b, false, p), PatternAlignment{}, p);
}

TEST(PatternCoherence, FallsAsThePatternDriftsApart) {
  const cv::Mat face = two_families(0.0);
  double previous = coherence_of(face, face);
  EXPECT_GT(previous, 0.97);
  for (double drift : {0.3, 0.9, 1.8}) {
    const double c = coherence_of(face, two_families(drift));
    EXPECT_LT(c, previous) << "drift " << drift;
    previous = c;
  }
  EXPECT_LT(previous, 0.9);
}

TEST(PatternCoherence, IgnoresAConstantPhaseOffsetThatTheNccPays) {
  // A third of a line period between the faces (the registration's whole-cell rounding).
  const cv::Mat face = two_families(0.3);
  const double same = coherence_of(face, face), shifted = coherence_of(face, two_families(0.3, 2.0));
  EXPECT_NEAR(shifted, same, 0.01);
}

TEST(PatternCoherence, FollowsTheRegistrationShift) {
  const cv::Mat a = two_families(1.8);
  cv::Mat b;
  // b is a rotated by 100 columns: b's cell (r, c) lies on a's (r, c + 100).
  cv::hconcat(a.colRange(100, kCols), a.colRange(0, 100), b);
  PatternAlignment at;
  at.col_shift = 100;
  const SchregerParams p;
  const double registered = pattern_coherence(pattern_phase(a, false, p), pattern_phase(b, false, p), at, p);
  EXPECT_GT(registered, 0.97);
  EXPECT_LT(pattern_coherence(pattern_phase(a, false, p), pattern_phase(b, false, p), PatternAlignment{}, p), registered);
}

TEST(PatternCoherence, MirroredPhaseIsThePhaseOfTheMirroredMap) {
  const cv::Mat map = two_families(0.9, 0.0, 700);
  const SchregerParams p;
  const PatternPhase direct = pattern_phase(map, true, p), mirrored = mirror_phase(pattern_phase(map, false, p));
  EXPECT_EQ(cv::countNonZero(direct.mask != mirrored.mask), 0);
  for (int k = 0; k < 2; ++k) EXPECT_LT(cv::norm(direct.family[k], mirrored.family[k], cv::NORM_INF), 1e-3) << k;
}

TEST(PatternCoherence, PartialOverlapAndNoOverlap) {
  // A cut piece: half the columns observed; coherence over what both observe.
  const cv::Mat whole = two_families(0.0), piece = two_families(0.0, 0.0, kCols / 2);
  EXPECT_GT(coherence_of(whole, piece), 0.95);
  cv::Mat none(kRows, kCols, CV_32F, cv::Scalar(std::numeric_limits<float>::quiet_NaN()));
  none.col(3).setTo(1.0f);
  EXPECT_EQ(coherence_of(whole, none), 0.0);
  // A map too small to hold a line family: nothing coherent, no crash.
  const cv::Mat tiny = cv::Mat::ones(6, 3, CV_32F);
  EXPECT_EQ(coherence_of(tiny, tiny), 0.0);
}

TEST(PatternCoherence, BadInputIsAClearError) {
  const SchregerParams p;
  expect_invalid([&] { pattern_phase(cv::Mat(), false, p); }, "empty pattern map");
  expect_invalid([&] { pattern_phase(cv::Mat::zeros(4, 4, CV_8U), false, p); }, "empty pattern map");
  expect_invalid([&] { mirror_phase(PatternPhase{}); }, "empty pattern phase");
  const PatternPhase a = pattern_phase(two_families(0.0), false, p);
  const PatternPhase small = pattern_phase(cv::Mat::zeros(20, 64, CV_32F), false, p);
  expect_invalid([&] { pattern_coherence(a, small, PatternAlignment{}, p); }, "pattern phases differ in shape");
  expect_invalid([&] { pattern_coherence(PatternPhase{}, a, PatternAlignment{}, p); }, "differ in shape");
}

}  // namespace
}  // namespace tuskprint::schreger
