#include "ridge/orientation_field.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "ridge/gradient_moments.hpp"
#include "synthetic_patterns.hpp"

namespace tuskprint::ridge {
namespace {

double angle_error(double a, double b) {
  double d = std::fmod(std::abs(a - b), CV_PI);
  return std::min(d, CV_PI - d);
}

class OrientationOfSinusoid : public ::testing::TestWithParam<double> {};

TEST_P(OrientationOfSinusoid, RecoversKnownRidgeAngleWithHighCoherence) {
  const double degrees = GetParam();
  const double angle = degrees * CV_PI / 180;
  const Params& p = default_params();
  const cv::Mat image = testing::sinusoid({200, 200}, angle, 9.0);
  const OrientationField field = orientation_field(gradient_moments(image, p.gradient), p.orientation);
  for (const cv::Point2d at : {cv::Point2d(100, 100), cv::Point2d(60, 140), cv::Point2d(150, 50)}) {
    EXPECT_LT(angle_error(field.angle_at(at.x, at.y), angle), 2.0 * CV_PI / 180)
        << degrees << " deg at " << at;
    EXPECT_GT(field.coherence_at(at.x, at.y), 0.9);
  }
  const double a = field.angle.at<float>(25, 25);
  EXPECT_GE(a, 0.0);
  EXPECT_LT(a, CV_PI);
}

INSTANTIATE_TEST_SUITE_P(Angles, OrientationOfSinusoid,
                         ::testing::Values(0.0, 22.5, 45.0, 70.0, 90.0, 120.0, 157.0));

TEST(OrientationField, NoiseHasLowCoherence) {
  cv::Mat noise(200, 200, CV_8UC1);
  cv::RNG rng(7);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 255);
  const Params& p = default_params();
  const OrientationField field = orientation_field(gradient_moments(noise, p.gradient), p.orientation);
  EXPECT_LT(cv::mean(field.coherence)[0], 0.3);
}

}  // namespace
}  // namespace tuskprint::ridge
