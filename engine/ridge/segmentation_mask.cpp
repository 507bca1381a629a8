#include "ridge/segmentation_mask.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace tuskprint::ridge {
namespace {

cv::Mat disk(int radius) {
  return cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * radius + 1, 2 * radius + 1));
}

// Sets to 0 every background region not connected to the border: holes become foreground.
void fill_holes(cv::Mat& mask) {
  cv::Mat padded;
  cv::copyMakeBorder(mask, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::floodFill(padded, cv::Point(0, 0), cv::Scalar(2));
  for (int y = 0; y < mask.rows; ++y) {
    const auto* src = padded.ptr<std::uint8_t>(y + 1) + 1;
    auto* dst = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < mask.cols; ++x) dst[x] = src[x] == 2 ? 0 : 1;
  }
}

void keep_large_components(cv::Mat& mask, double min_fraction) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
  int largest = 0;
  for (int i = 1; i < n; ++i) largest = std::max(largest, stats.at<int>(i, cv::CC_STAT_AREA));
  std::vector<std::uint8_t> keep(n, 0);
  for (int i = 1; i < n; ++i)
    keep[i] = stats.at<int>(i, cv::CC_STAT_AREA) >= min_fraction * largest ? 1 : 0;
  for (int y = 0; y < mask.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    auto* m = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < mask.cols; ++x) m[x] = keep[l[x]];
  }
}

}  // namespace

double SegmentationMask::foreground_px() const {
  return pixels.empty() ? 0.0 : static_cast<double>(cv::countNonZero(pixels));
}

cv::Mat cells_to_pixels(const cv::Mat& cells, int cell, cv::Size image_size, int erode_px) {
  // Bilinear upsampling of the 0/1 cell mask then a 0.5 threshold gives smooth edges
  // instead of cell staircases.
  cv::Mat soft;
  cells.convertTo(soft, CV_32F);
  cv::Mat big;
  cv::resize(soft, big, cv::Size(cells.cols * cell, cells.rows * cell), 0, 0, cv::INTER_LINEAR);
  cv::Mat pixels;
  cv::threshold(big(cv::Rect(0, 0, image_size.width, image_size.height)), pixels, 0.5, 255,
                cv::THRESH_BINARY);
  pixels.convertTo(pixels, CV_8U);
  if (erode_px > 0) cv::erode(pixels, pixels, disk(erode_px));
  return pixels;
}

SegmentationMask segmentation_mask(const GradientMoments& m, cv::Size image_size,
                                   const SegmentationParams& params) {
  const double sigma = params.feature_sigma;
  auto pooled = [sigma](const cv::Mat& in) {
    cv::Mat out;
    cv::GaussianBlur(in, out, cv::Size(), sigma, 0, cv::BORDER_REPLICATE);
    return out;
  };
  const cv::Mat gxx = pooled(m.gxx), gyy = pooled(m.gyy), gxy = pooled(m.gxy);
  const cv::Mat mean = pooled(m.mean), mean_sq = pooled(m.mean_sq);

  cv::Mat contrast(m.gxx.size(), CV_32F), coherence(m.gxx.size(), CV_32F);
  std::vector<float> contrasts;
  contrasts.reserve(m.gxx.total());
  for (int y = 0; y < m.gxx.rows; ++y) {
    for (int x = 0; x < m.gxx.cols; ++x) {
      const float mu = mean.at<float>(y, x);
      const float var = std::max(0.f, mean_sq.at<float>(y, x) - mu * mu);
      const float a = gxx.at<float>(y, x), b = gyy.at<float>(y, x), c = gxy.at<float>(y, x);
      const float energy = a + b;
      contrast.at<float>(y, x) = std::sqrt(var);
      coherence.at<float>(y, x) =
          energy > 1e-6f ? std::sqrt((a - b) * (a - b) + 4 * c * c) / energy : 0.f;
      contrasts.push_back(std::sqrt(var));
    }
  }
  const std::size_t p90 = contrasts.size() * 9 / 10;
  std::nth_element(contrasts.begin(), contrasts.begin() + p90, contrasts.end());
  const double contrast_threshold =
      std::max(params.min_contrast, params.relative_contrast * contrasts[p90]);

  SegmentationMask out;
  out.cell = m.cell;
  out.cells = cv::Mat::zeros(m.gxx.size(), CV_8U);
  for (int y = 0; y < m.gxx.rows; ++y)
    for (int x = 0; x < m.gxx.cols; ++x)
      out.cells.at<std::uint8_t>(y, x) = contrast.at<float>(y, x) >= contrast_threshold &&
                                         coherence.at<float>(y, x) >= params.min_coherence;

  if (params.close_radius > 0)
    cv::morphologyEx(out.cells, out.cells, cv::MORPH_CLOSE, disk(params.close_radius), {-1, -1},
                     1, cv::BORDER_CONSTANT, cv::Scalar(0));
  if (params.open_radius > 0)
    cv::morphologyEx(out.cells, out.cells, cv::MORPH_OPEN, disk(params.open_radius));
  fill_holes(out.cells);
  keep_large_components(out.cells, params.min_component_fraction);
  out.pixels = cells_to_pixels(out.cells, out.cell, image_size, params.erode_px);
  return out;
}

void refine_by_frequency(SegmentationMask& mask, const cv::Mat& measured_cells,
                         const cv::Mat& attempted_cells, const SegmentationParams& params) {
  CV_Assert(measured_cells.size() == mask.cells.size() && attempted_cells.size() == mask.cells.size());
  // Share of attempted cells with a measured period around each cell (normalised
  // convolution, so that the edge of the print is not penalised for its background).
  cv::Mat measured, foreground, density;
  measured_cells.convertTo(measured, CV_32F);
  attempted_cells.convertTo(foreground, CV_32F);
  cv::GaussianBlur(measured, measured, cv::Size(), params.frequency_density_sigma, 0,
                   cv::BORDER_CONSTANT);
  cv::GaussianBlur(foreground, foreground, cv::Size(), params.frequency_density_sigma, 0,
                   cv::BORDER_CONSTANT);
  cv::divide(measured, cv::max(foreground, 1e-3), density);
  cv::Mat cells = mask.cells & (density >= params.min_valid_frequency_share);  // 0/1 & 0/255
  if (params.open_radius > 0) cv::morphologyEx(cells, cells, cv::MORPH_OPEN, disk(params.open_radius));
  fill_holes(cells);
  keep_large_components(cells, params.min_component_fraction);
  mask.cells = cells & mask.cells;
  mask.pixels = cells_to_pixels(mask.cells, mask.cell, mask.pixels.size(), params.erode_px);
}

}  // namespace tuskprint::ridge
