#pragma once
// Test helper: Poincare index of an orientation field (angles mod pi) around a circle.
#include <cmath>
#include <functional>
#include <numbers>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace tuskprint::synth::testing {

// Sum of wrapped orientation differences around the circle, in turns (+0.5 core, -0.5
// delta, +1 whorl, 0 none). `angle(x, y)` returns an orientation in radians (mod pi).
inline double poincare_index(const std::function<double(double, double)>& angle, cv::Point2d centre,
                             double radius, int samples = 64) {
  constexpr double kPi = std::numbers::pi;
  double total = 0;
  double previous = angle(centre.x + radius, centre.y);
  for (int i = 1; i <= samples; ++i) {
    const double t = 2 * kPi * i / samples;
    const double a = angle(centre.x + radius * std::cos(t), centre.y + radius * std::sin(t));
    double d = a - previous;
    while (d > kPi / 2) d -= kPi;
    while (d < -kPi / 2) d += kPi;
    total += d;
    previous = a;
  }
  return total / (2 * kPi);
}

// Ridge orientation (tangent, mod pi) estimated from an image by the smoothed gradient
// structure tensor: what an extractor would see, independent of the generator's model.
inline cv::Mat1f estimated_orientation(const cv::Mat1f& image, double sigma) {
  cv::Mat1f gx, gy;
  cv::Sobel(image, gx, CV_32F, 1, 0, 3);
  cv::Sobel(image, gy, CV_32F, 0, 1, 3);
  cv::Mat1f gxx = gx.mul(gx), gyy = gy.mul(gy), gxy = gx.mul(gy);
  cv::GaussianBlur(gxx, gxx, cv::Size(), sigma);
  cv::GaussianBlur(gyy, gyy, cv::Size(), sigma);
  cv::GaussianBlur(gxy, gxy, cv::Size(), sigma);
  cv::Mat1f out(image.size());
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      // Gradient direction is across the ridges; the ridge runs perpendicular to it.
      out(y, x) = static_cast<float>(0.5 * std::atan2(2 * gxy(y, x), gxx(y, x) - gyy(y, x)) + std::numbers::pi / 2);
    }
  }
  return out;
}

}  // namespace tuskprint::synth::testing
