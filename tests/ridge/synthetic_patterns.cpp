#include "synthetic_patterns.hpp"

#include <cmath>

namespace tuskprint::ridge::testing {

cv::Mat sinusoid(cv::Size size, double ridge_angle, double period, double amplitude) {
  cv::Mat image(size, CV_8UC1);
  const double nx = -std::sin(ridge_angle), ny = std::cos(ridge_angle);  // ridge normal
  for (int y = 0; y < size.height; ++y)
    for (int x = 0; x < size.width; ++x)
      image.at<std::uint8_t>(y, x) = cv::saturate_cast<std::uint8_t>(
          128 + amplitude * std::cos(2 * CV_PI * (x * nx + y * ny) / period));
  return image;
}

cv::Mat concentric_print() {
  cv::Mat image(374, 388, CV_8UC1, cv::Scalar(230));
  const cv::Point2d centre(194, 190);
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const double dx = (x - centre.x) / 160.0, dy = (y - centre.y) / 170.0;
      if (dx * dx + dy * dy > 1) continue;
      const double r = std::hypot(x - centre.x, (y - centre.y) * 0.85);
      image.at<std::uint8_t>(y, x) =
          cv::saturate_cast<std::uint8_t>(130 + 90 * std::cos(2 * CV_PI * r / 9.0));
    }
  }
  return image;
}

}  // namespace tuskprint::ridge::testing
