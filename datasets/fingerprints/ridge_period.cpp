#include "datasets/fingerprints/ridge_period.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace tuskprint::synth {

cv::Mat1f ridge_period_map(cv::Size size, Rng& rng, const MasterParams& params) {
  const double mean = rng.uniform(params.period_mean_min, params.period_mean_max);
  const int nx = std::max(2, static_cast<int>(std::ceil(size.width / params.period_node_spacing)) + 1);
  const int ny = std::max(2, static_cast<int>(std::ceil(size.height / params.period_node_spacing)) + 1);
  cv::Mat1f nodes(ny, nx);
  for (int y = 0; y < ny; ++y) {
    for (int x = 0; x < nx; ++x) {
      nodes(y, x) = static_cast<float>(rng.clipped_normal(mean, params.period_local_sd,
                                                          params.period_min, params.period_max));
    }
  }
  cv::Mat1f period;
  cv::resize(nodes, period, size, 0, 0, cv::INTER_CUBIC);
  cv::min(period, params.period_max, period);
  cv::max(period, params.period_min, period);
  return period;
}

}  // namespace tuskprint::synth
