#include "ridge/minutiae_filter.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace tuskprint::ridge {
namespace {

// True when walking from the minutia along its direction leaves the mask within `reach`
// px: a ridge that ends facing the edge of the print usually just fades out there.
bool points_out_of_mask(const Minutia& m, const cv::Mat& mask, int reach) {
  const double dx = std::cos(m.direction), dy = -std::sin(m.direction);  // y up -> image
  for (int step = 2; step <= reach; step += 2) {
    const int x = static_cast<int>(std::lround(m.x + dx * step));
    const int y = static_cast<int>(std::lround(m.y + dy * step));
    if (x < 0 || y < 0 || x >= mask.cols || y >= mask.rows || !mask.at<std::uint8_t>(y, x)) return true;
  }
  return false;
}

}  // namespace

std::vector<Minutia> filtered_minutiae(const std::vector<Minutia>& detected,
                                       const SegmentationMask& mask, const OrientationField& field,
                                       const FilterParams& params) {
  cv::Mat distance;
  cv::distanceTransform(mask.pixels, distance, cv::DIST_L2, 3);
  // The image border counts as a mask edge too (a print cut by the sensor edge).
  std::vector<Minutia> kept;
  std::vector<float> edge_distance;
  for (const Minutia& m : detected) {
    const int x = static_cast<int>(m.x), y = static_cast<int>(m.y);
    const float to_border = static_cast<float>(
        std::min({x + 1, y + 1, mask.pixels.cols - x, mask.pixels.rows - y}));
    const float d = std::min(distance.at<float>(y, x), to_border);
    if (d < params.border_margin) continue;
    if (field.coherence_at(m.x, m.y) < params.min_coherence) continue;
    if (m.type == MinutiaType::kEnding && d < params.edge_facing_distance &&
        points_out_of_mask(m, mask.pixels, params.edge_facing_distance))
      continue;
    kept.push_back(m);
    edge_distance.push_back(d);
  }

  const std::size_t n = kept.size();
  std::vector<bool> drop(n, false);
  const float pair2 = static_cast<float>(params.pair_distance * params.pair_distance);
  const float cluster2 = static_cast<float>(params.cluster_radius * params.cluster_radius);
  for (std::size_t i = 0; i < n; ++i) {
    int neighbours = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const float dx = kept[i].x - kept[j].x, dy = kept[i].y - kept[j].y;
      const float d2 = dx * dx + dy * dy;
      if (d2 < pair2) drop[i] = true;
      if (d2 < cluster2) ++neighbours;
    }
    if (neighbours >= params.cluster_count) drop[i] = true;
  }

  std::vector<Minutia> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (drop[i]) continue;
    Minutia m = kept[i];
    const double coherence = std::clamp(field.coherence_at(m.x, m.y), 0.0, 1.0);
    const double inside = std::min(1.0, edge_distance[i] / (3.0 * params.border_margin));
    m.quality = static_cast<float>(std::clamp(coherence * (0.5 + 0.5 * inside), 0.0, 1.0));
    out.push_back(m);
  }
  return out;
}

}  // namespace tuskprint::ridge
