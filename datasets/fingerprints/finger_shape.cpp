#include "datasets/fingerprints/finger_shape.hpp"

#include <cmath>

namespace tuskprint::synth {

double FingerShape::normalised_radius(cv::Point2d p) const {
  const double dx = std::abs(p.x - centre.x) / half_width;
  const double half_h = p.y < centre.y ? half_height_top : half_height_bottom;
  const double dy = std::abs(p.y - centre.y) / half_h;
  return std::pow(std::pow(dx, exponent) + std::pow(dy, exponent), 1.0 / exponent);
}

double FingerShape::area() const {
  // Superellipse area 4ab * Gamma(1+1/n)^2 / Gamma(1+2/n), two half-heights averaged.
  const double g = std::tgamma(1.0 + 1.0 / exponent);
  return 2.0 * half_width * (half_height_top + half_height_bottom) * g * g /
         std::tgamma(1.0 + 2.0 / exponent);
}

FingerShape draw_finger_shape(Rng& rng, const MasterParams& params) {
  FingerShape s;
  s.half_width = rng.uniform(params.half_width_min, params.half_width_max);
  s.half_height_top = rng.uniform(params.half_height_top_min, params.half_height_top_max);
  s.half_height_bottom = rng.uniform(params.half_height_bottom_min, params.half_height_bottom_max);
  s.exponent = rng.uniform(params.outline_exponent_min, params.outline_exponent_max);
  const int m = params.canvas_margin;
  s.canvas = cv::Size(static_cast<int>(std::ceil(2 * s.half_width)) + 2 * m,
                      static_cast<int>(std::ceil(s.half_height_top + s.half_height_bottom)) + 2 * m);
  s.centre = cv::Point2d(m + s.half_width, m + s.half_height_top);
  return s;
}

cv::Mat1b finger_foreground(const FingerShape& shape) {
  cv::Mat1b mask(shape.canvas, 0);
  for (int y = 0; y < mask.rows; ++y) {
    auto* row = mask.ptr<unsigned char>(y);
    for (int x = 0; x < mask.cols; ++x) {
      if (shape.normalised_radius(cv::Point2d(x, y)) < 1.0) row[x] = 255;
    }
  }
  return mask;
}

}  // namespace tuskprint::synth
