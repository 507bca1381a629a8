#include "datasets/fingerprints/noise_fields.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace tuskprint::synth {

cv::Mat1f smooth_noise(cv::Size size, double scale, Rng& rng) {
  const int nx = std::max(2, static_cast<int>(std::ceil(size.width / scale)) + 1);
  const int ny = std::max(2, static_cast<int>(std::ceil(size.height / scale)) + 1);
  cv::Mat1f nodes(ny, nx);
  for (int y = 0; y < ny; ++y) {
    float* row = nodes.ptr<float>(y);
    for (int x = 0; x < nx; ++x) row[x] = static_cast<float>(rng.normal());
  }
  cv::Mat1f field;
  cv::resize(nodes, field, size, 0, 0, cv::INTER_CUBIC);
  return field;
}

void add_gaussian_noise(cv::Mat1f& image, double sd, Rng& rng) {
  for (int y = 0; y < image.rows; ++y) {
    float* row = image.ptr<float>(y);
    for (int x = 0; x < image.cols; ++x) row[x] += static_cast<float>(sd * rng.normal());
  }
}

cv::Mat1f smoothstep(const cv::Mat1f& t) {
  cv::Mat1f out(t.size());
  for (int y = 0; y < t.rows; ++y) {
    const float* in = t.ptr<float>(y);
    float* o = out.ptr<float>(y);
    for (int x = 0; x < t.cols; ++x) {
      const float v = std::clamp(in[x], 0.0f, 1.0f);
      o[x] = v * v * (3.0f - 2.0f * v);
    }
  }
  return out;
}

}  // namespace tuskprint::synth
