#pragma once
// Stage 2: foreground segmentation. A cell is ridge area when its grey-level contrast
// and its gradient coherence (both pooled over a few cells) are high enough; the cell
// mask is then cleaned with closing, opening, hole filling and removal of small
// components, and finally refined by ridge-frequency validity (refine_by_frequency),
// which is what rejects coherent but non-ridge texture such as Schreger lines.
#include <opencv2/core.hpp>

#include "ridge/gradient_moments.hpp"
#include "ridge/params.hpp"

namespace tuskprint::ridge {

struct SegmentationMask {
  int cell = 4;
  cv::Mat cells;   // CV_8U, 1 = foreground, one entry per gradient cell
  cv::Mat pixels;  // CV_8U, 255 = foreground, image size

  double foreground_px() const;
};

SegmentationMask segmentation_mask(const GradientMoments& moments, cv::Size image_size,
                                   const SegmentationParams& params);

// Drops foreground cells around which (Gaussian window, frequency_density_sigma) less
// than min_valid_frequency_share of the cells have a measured (not interpolated) ridge
// period among those where it was attempted, then cleans up again. Both maps are CV_8U
// on the cell grid (1 = measured / attempted).
void refine_by_frequency(SegmentationMask& mask, const cv::Mat& measured_cells,
                         const cv::Mat& attempted_cells, const SegmentationParams& params);

// Helpers shared with later stages.
cv::Mat cells_to_pixels(const cv::Mat& cells, int cell, cv::Size image_size, int erode_px);

}  // namespace tuskprint::ridge
