#pragma once
// Warps a master-canvas image into an output frame through a smooth inverse mapping
// (output pixel -> master point). The mapping is evaluated on a coarse grid and
// interpolated bilinearly (exact for affine maps, sub-pixel for smooth distortions), then
// the image is sampled bilinearly with zeros outside.
#include <cmath>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace tuskprint::synth {

template <typename Inverse>
cv::Mat1f resample(const cv::Mat1f& source, cv::Size out_size, const Inverse& inverse, int step = 8) {
  const int gx = out_size.width / step + 2, gy = out_size.height / step + 2;
  cv::Mat2d grid(gy, gx);
  for (int j = 0; j < gy; ++j) {
    for (int i = 0; i < gx; ++i) {
      const cv::Point2d m = inverse(cv::Point2d(i * step, j * step));
      grid(j, i) = cv::Vec2d(m.x, m.y);
    }
  }
  cv::Mat1f map_x(out_size), map_y(out_size);
  for (int y = 0; y < out_size.height; ++y) {
    const int j = y / step;
    const double fy = static_cast<double>(y - j * step) / step;
    for (int x = 0; x < out_size.width; ++x) {
      const int i = x / step;
      const double fx = static_cast<double>(x - i * step) / step;
      const cv::Vec2d v = (1 - fy) * ((1 - fx) * grid(j, i) + fx * grid(j, i + 1)) +
                          fy * ((1 - fx) * grid(j + 1, i) + fx * grid(j + 1, i + 1));
      map_x(y, x) = static_cast<float>(v[0]);
      map_y(y, x) = static_cast<float>(v[1]);
    }
  }
  cv::Mat1f out;
  cv::remap(source, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  return out;
}

}  // namespace tuskprint::synth
