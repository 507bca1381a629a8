// Fitting: PAV with Laplace ends (hand-checked), logistic regression against a known
// answer, monotonicity, clamping and refusals.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "lr/calibration.hpp"

namespace tuskprint::lr {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Inverse normal CDF by bisection (enough for test data).
double normal_quantile(double p) {
  double lo = -10, hi = 10;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// n evenly spaced quantiles of N(mean, 1): a deterministic "sample".
std::vector<double> normal_sample(double mean, int n) {
  std::vector<double> v;
  for (int k = 0; k < n; ++k) v.push_back(mean + normal_quantile((k + 0.5) / n));
  return v;
}

TEST(Calibration, PavWithLaplaceEndsByHand) {
  // genuine {3, 4, 5}, impostor {1, 2, 3.5}, plus pseudo genuine below and impostor above:
  // blocks (g, i) = (1, 2) on [1, 2], (1, 1) on [3, 3.5], (2, 1) on [4, 5]; prior odds 4/4.
  ScoreSet s{{3, 4, 5}, {1, 2, 3.5}};
  const Calibration c = fit_calibration(s, CalibrationMethod::kPav);
  // Knots at both ends of each block: flat across a block, linear across the gaps.
  EXPECT_EQ(c.knot_scores, std::vector<double>({1, 2, 3, 3.5, 4, 5}));
  ASSERT_EQ(c.knot_log10_lr.size(), 6u);
  const double half = std::log10(0.5), two = std::log10(2.0);
  for (int k : {0, 1}) EXPECT_NEAR(c.knot_log10_lr[k], half, 1e-12);
  for (int k : {2, 3}) EXPECT_NEAR(c.knot_log10_lr[k], 0, 1e-12);
  for (int k : {4, 5}) EXPECT_NEAR(c.knot_log10_lr[k], two, 1e-12);
  EXPECT_NEAR(c.log10_lr(1.5), half, 1e-12);      // inside a block: its PAV value
  EXPECT_NEAR(c.log10_lr(2.5), 0.5 * half, 1e-12);  // across a gap: linear
  EXPECT_NEAR(c.log10_lr(3.75), 0.5 * two, 1e-12);
  EXPECT_NEAR(c.log10_lr(0), half, 1e-12);        // flat beyond the ends
  EXPECT_NEAR(c.log10_lr(10), two, 1e-12);
  EXPECT_DOUBLE_EQ(c.log10_lr_min, -std::log10(3.0));
  EXPECT_DOUBLE_EQ(c.log10_lr_max, std::log10(3.0));
}

TEST(Calibration, PavEndsStayFiniteOnSeparatedData) {
  ScoreSet s{{10, 11, 12, 13}, {1, 2, 3, 4, 5, 6, 7, 8}};
  const Calibration c = fit_calibration(s, CalibrationMethod::kPav);
  // Top block: 4 genuine + 1 pseudo impostor; prior odds (4+1)/(8+1).
  EXPECT_NEAR(c.log10_lr(100), std::min(std::log10(4.0 / (5.0 / 9.0)), std::log10(8.0)), 1e-12);
  // Bottom block: 1 pseudo genuine + 8 impostors, held at the bound -log10(4 genuine).
  EXPECT_NEAR(c.log10_lr(-100), std::max(std::log10((1.0 / 8.0) / (5.0 / 9.0)), -std::log10(4.0)), 1e-12);
  EXPECT_TRUE(std::isfinite(c.log10_lr(1e300)));
}

TEST(Calibration, LogisticRecoversTheGaussianLikelihoodRatio) {
  // genuine N(2, 1), impostor N(0, 1): ln LR = 2 x - 2 exactly.
  ScoreSet s{normal_sample(2, 4000), normal_sample(0, 4000)};
  const Calibration c = fit_calibration(s, CalibrationMethod::kLogisticScore);
  EXPECT_NEAR(c.slope, 2.0, 0.05);
  EXPECT_NEAR(c.intercept, -2.0, 0.05);
  EXPECT_NEAR(c.log10_lr(1.0), 0.0, 0.02);
  EXPECT_NEAR(c.log10_lr(2.0), 2.0 / std::log(10.0), 0.03);
}

TEST(Calibration, EveryMethodIsMonotoneAndClamped) {
  // LSS-R-like: genuine around 0.08, impostor around 0.015, both cut at 0.
  ScoreSet s{normal_sample(0, 300), normal_sample(0, 3000)};
  for (double& v : s.genuine) v = std::max(0.0, 0.08 + 0.03 * v);
  for (double& v : s.impostor) v = std::max(0.0, 0.015 + 0.006 * v);
  for (CalibrationMethod m :
       {CalibrationMethod::kPav, CalibrationMethod::kLogisticScore, CalibrationMethod::kLogisticLogScore}) {
    const Calibration c = fit_calibration(s, m);
    double previous = -1e300;
    for (double x = -1; x <= 2; x += 0.0005) {
      const double l = c.log10_lr(x);
      ASSERT_TRUE(std::isfinite(l)) << to_string(m) << " at " << x;
      ASSERT_GE(l, previous) << to_string(m) << " decreases at " << x;
      ASSERT_GE(l, c.log10_lr_min);
      ASSERT_LE(l, c.log10_lr_max);
      previous = l;
    }
    EXPECT_LT(c.log10_lr(0.0), 0) << to_string(m);
    EXPECT_GT(c.log10_lr(0.2), 0) << to_string(m);
    EXPECT_EQ(c.log10_lr(1e9), c.log10_lr(c.score_max)) << to_string(m);
    EXPECT_EQ(c.log10_lr(-1e9), c.log10_lr(c.score_min)) << to_string(m);
    EXPECT_LE(c.log10_lr_max, std::log10(3000.0) + 1e-12);
    EXPECT_GE(c.log10_lr_min, -std::log10(300.0) - 1e-12);
  }
}

TEST(Calibration, LogisticIsBoundedOnPerfectlySeparatedData) {
  ScoreSet s{{0.9, 0.95, 1.0}, {0.0, 0.05, 0.1, 0.15}};
  const Calibration c = fit_calibration(s, CalibrationMethod::kLogisticScore);
  EXPECT_DOUBLE_EQ(c.log10_lr(1.0), std::log10(4.0));
  EXPECT_DOUBLE_EQ(c.log10_lr(0.0), -std::log10(3.0));
}

TEST(Calibration, RefusesBadFittingSets) {
  EXPECT_NE(error_of([] { fit_calibration(ScoreSet{{}, {1, 2}}, CalibrationMethod::kPav); }).find("no genuine"),
            std::string::npos);
  EXPECT_NE(error_of([] { fit_calibration(ScoreSet{{1}, {}}, CalibrationMethod::kPav); }).find("no impostor"),
            std::string::npos);
  EXPECT_NE(error_of([] { fit_calibration(ScoreSet{{1, INFINITY}, {0}}, CalibrationMethod::kPav); }).find("not finite"),
            std::string::npos);
  // Genuine lower than impostor: a negative slope is refused, not silently flipped.
  EXPECT_NE(error_of([] {
              fit_calibration(ScoreSet{{0.1, 0.2, 0.15}, {0.8, 0.9, 0.7}}, CalibrationMethod::kLogisticScore);
            }).find("negative slope"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              fit_calibration(ScoreSet{{0.5, 1.0}, {-0.5, 0.0}}, CalibrationMethod::kLogisticLogScore);
            }).find("logistic-log-score needs scores above"),
            std::string::npos);
  EXPECT_NE(error_of([] { fit_calibration(ScoreSet{{1, 1}, {1}}, CalibrationMethod::kLogisticScore); })
                .find("every fitting score is the same"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_calibration_method("isotonic"); }).find("unknown calibration method 'isotonic'"),
            std::string::npos);
}

TEST(Calibration, CheckNamesTheInconsistency) {
  Calibration c;
  c.score_min = 0, c.score_max = 1, c.log10_lr_min = -2, c.log10_lr_max = 3;
  c.knot_scores = {0.1, 0.2};
  c.knot_log10_lr = {1, 0.5};
  EXPECT_NE(error_of([&] { c.check(); }).find("must not decrease"), std::string::npos);
  c.knot_scores = {0.2, 0.1};
  c.knot_log10_lr = {0, 1};
  EXPECT_NE(error_of([&] { c.check(); }).find("knot scores must increase"), std::string::npos);
  c.method = CalibrationMethod::kLogisticScore;
  c.slope = -1;
  EXPECT_NE(error_of([&] { c.check(); }).find("negative"), std::string::npos);
}

}  // namespace
}  // namespace tuskprint::lr
