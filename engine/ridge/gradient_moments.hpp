#pragma once
// Per-cell sums shared by segmentation and the orientation field: structure-tensor
// moments of the grey-level gradient and the first two moments of the grey level, each
// averaged over square cells of GradientParams::cell pixels.
#include <opencv2/core.hpp>

#include "ridge/params.hpp"

namespace tuskprint::ridge {

struct GradientMoments {
  int cell = 4;       // pixels per cell side
  cv::Mat gxx;        // CV_32F, rows = ceil(height / cell), cols = ceil(width / cell)
  cv::Mat gyy;        // mean of gy^2
  cv::Mat gxy;        // mean of gx * gy
  cv::Mat mean;       // mean grey level
  cv::Mat mean_sq;    // mean of grey level squared
};

GradientMoments gradient_moments(const cv::Mat& grey, const GradientParams& params);

}  // namespace tuskprint::ridge
