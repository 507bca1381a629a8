#pragma once
// Template part of impression_transform.hpp.
#include <cmath>
#include <vector>

#include "datasets/fingerprints/directions.hpp"

namespace tuskprint::synth {

template <typename Forward>
std::vector<ridge::Minutia> map_minutiae(const std::vector<ridge::Minutia>& master_minutiae,
                                         const Forward& forward, const cv::Mat1b& region) {
  std::vector<ridge::Minutia> out;
  for (const ridge::Minutia& m : master_minutiae) {
    const cv::Point2d p(m.x, m.y);
    const double a = image_angle_of(m.direction);
    const cv::Point2d q = forward(p);
    const cv::Point2d q2 = forward(p + 2.0 * cv::Point2d(std::cos(a), std::sin(a)));
    const int xi = static_cast<int>(std::lround(q.x)), yi = static_cast<int>(std::lround(q.y));
    if (xi < 0 || yi < 0 || xi >= region.cols || yi >= region.rows || region(yi, xi) == 0) continue;
    ridge::Minutia t = m;
    t.x = static_cast<float>(q.x);
    t.y = static_cast<float>(q.y);
    t.direction = template_direction(std::atan2(q2.y - q.y, q2.x - q.x));
    out.push_back(t);
  }
  return out;
}

}  // namespace tuskprint::synth
