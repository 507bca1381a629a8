#pragma once
// Stage 4: ridge period per block from the x-signature (grey levels projected onto the
// ridge normal, averaged along the ridges), read off its autocorrelation. Blocks without
// a clear period are filled from measured neighbours (normalised Gaussian convolution),
// the field is smoothed and clamped to [min_period, max_period], then resampled onto the
// orientation cell grid.
#include <opencv2/core.hpp>

#include "ridge/orientation_field.hpp"
#include "ridge/params.hpp"
#include "ridge/segmentation_mask.hpp"

namespace tuskprint::ridge {

struct RidgeFrequency {
  int cell = 4;
  cv::Mat period;    // CV_32F ridge period in pixels, one per orientation cell
  cv::Mat measured;  // CV_8U 1 where the period was measured (not filled in)
  cv::Mat attempted; // CV_8U 1 where a measurement was tried (the block lies on the mask)
  double median_period = 0;  // over measured blocks (default_period when none)

  double period_at(double x, double y) const;
};

RidgeFrequency ridge_frequency(const cv::Mat& grey, const OrientationField& field,
                               const SegmentationMask& mask, const FrequencyParams& params);

// Period of one x-signature, or 0 when it shows no clear periodicity (exposed for tests).
double signature_period(const float* signature, int length, const FrequencyParams& params);

// A display image: the period mapped to grey (dark = fine ridges), unmeasured cells dimmed.
cv::Mat render_ridge_frequency(const RidgeFrequency& frequency, cv::Size image_size,
                               const FrequencyParams& params);

}  // namespace tuskprint::ridge
