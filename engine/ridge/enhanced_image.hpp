#pragma once
// Stage 5: oriented Gabor enhancement. Each foreground pixel is filtered with the kernel
// of its cell's quantised ridge orientation and period, from a bank built on demand.
// Pixels of a row that share a kernel are filtered together (an axpy per tap over the
// run), which the compiler vectorises: no FFT, no per-pixel trigonometry.
// The result is signed: positive on (dark) ridges, negative in valleys, 0 off the mask.
#include <opencv2/core.hpp>

#include "ridge/orientation_field.hpp"
#include "ridge/params.hpp"
#include "ridge/ridge_frequency.hpp"
#include "ridge/segmentation_mask.hpp"

namespace tuskprint::ridge {

cv::Mat enhanced_image(const cv::Mat& grey, const OrientationField& field,
                       const RidgeFrequency& frequency, const SegmentationMask& mask,
                       const EnhancementParams& params);

// The zero-mean, L1-normalised kernel for one orientation (ridge tangent, image
// coordinates) and period, (2 radius + 1)^2 taps, CV_32F (exposed for tests).
cv::Mat gabor_kernel(double ridge_angle, double period, const EnhancementParams& params);

// A display image: ridges dark on a mid-grey background.
cv::Mat render_enhanced(const cv::Mat& enhanced);

}  // namespace tuskprint::ridge
