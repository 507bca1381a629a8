#include "ridge/ridge_frequency.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ridge/gradient_moments.hpp"
#include "synthetic_patterns.hpp"

namespace tuskprint::ridge {
namespace {

std::vector<float> cosine(int n, double period) {
  std::vector<float> s(n);
  for (int i = 0; i < n; ++i) s[i] = static_cast<float>(100 + 50 * std::cos(2 * CV_PI * i / period + 0.3));
  return s;
}

TEST(SignaturePeriod, MeasuresKnownPeriods) {
  const FrequencyParams& p = default_params().frequency;
  for (const double period : {5.0, 7.5, 9.0, 11.3, 14.0}) {
    const std::vector<float> s = cosine(p.window_length, period);
    EXPECT_NEAR(signature_period(s.data(), p.window_length, p), period, 0.35) << period;
  }
}

TEST(SignaturePeriod, RejectsFlatNoisyAndOutOfRangeSignals) {
  const FrequencyParams& p = default_params().frequency;
  const std::vector<float> flat(p.window_length, 90.f);
  EXPECT_EQ(signature_period(flat.data(), p.window_length, p), 0);
  // White noise: a chance peak is possible, but rarely together with the anti-correlation
  // at half its lag.
  std::vector<float> noise(p.window_length);
  cv::RNG rng(3);
  int false_periods = 0;
  const int trials = 400;
  for (int trial = 0; trial < trials; ++trial) {
    for (float& v : noise) v = static_cast<float>(rng.uniform(0.0, 255.0));
    false_periods += signature_period(noise.data(), p.window_length, p) > 0;
  }
  // Per block; segmentation then needs 30 % of a neighbourhood measured (params.hpp).
  EXPECT_LT(false_periods, trials / 4);
  const std::vector<float> slow = cosine(p.window_length, 30.0);  // Schreger-like, 1 mm
  EXPECT_EQ(signature_period(slow.data(), p.window_length, p), 0);
}

TEST(RidgeFrequency, FieldOfSinusoidHasItsPeriod) {
  const Params& p = default_params();
  for (const double period : {7.0, 10.0}) {
    const cv::Mat image = testing::sinusoid({200, 200}, 0.7, period);
    const GradientMoments m = gradient_moments(image, p.gradient);
    const OrientationField field = orientation_field(m, p.orientation);
    SegmentationMask mask;
    mask.cell = m.cell;
    mask.cells = cv::Mat::ones(m.gxx.size(), CV_8U);
    mask.pixels = cv::Mat(image.size(), CV_8U, cv::Scalar(255));
    const RidgeFrequency f = ridge_frequency(image, field, mask, p.frequency);
    EXPECT_NEAR(f.median_period, period, 0.3);
    EXPECT_NEAR(f.period_at(100, 100), period, 0.3);
    EXPECT_GT(cv::countNonZero(f.measured), static_cast<int>(f.measured.total() / 2));
  }
}

}  // namespace
}  // namespace tuskprint::ridge
