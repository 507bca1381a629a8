#include "ridge/binarised_image.hpp"

#include <vector>

#include <opencv2/imgproc.hpp>

namespace tuskprint::ridge {
namespace {

// Sets pixels of `foreground` components (value `from`) smaller than `min_area` to `to`.
void remove_small_components(cv::Mat& image, std::uint8_t from, std::uint8_t to, int min_area,
                             int connectivity) {
  cv::Mat selected = image == from;
  cv::Mat labels, stats, centroids;
  const int n =
      cv::connectedComponentsWithStats(selected, labels, stats, centroids, connectivity, CV_32S);
  std::vector<std::uint8_t> small(n, 0);
  bool any = false;
  for (int i = 1; i < n; ++i) {
    small[i] = stats.at<int>(i, cv::CC_STAT_AREA) < min_area;
    any = any || small[i];
  }
  if (!any) return;
  for (int y = 0; y < image.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    auto* p = image.ptr<std::uint8_t>(y);
    for (int x = 0; x < image.cols; ++x)
      if (small[l[x]]) p[x] = to;
  }
}

}  // namespace

cv::Mat binarised_image(const cv::Mat& enhanced, const SegmentationMask& mask,
                        const BinarisationParams& params) {
  cv::Mat ridges = (enhanced > 0) & mask.pixels;
  remove_small_components(ridges, 255, 0, params.min_ridge_area, 8);
  // Valleys are 4-connected where ridges are 8-connected (digital topology duality).
  cv::Mat holes = ridges.clone();
  holes.setTo(255, mask.pixels == 0);  // background is not a hole
  remove_small_components(holes, 0, 255, params.min_valley_area, 4);
  ridges.setTo(255, (holes == 255) & (mask.pixels != 0));
  return ridges;
}

}  // namespace tuskprint::ridge
