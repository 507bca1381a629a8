#pragma once
// Stage 6a: binarisation of the enhanced image: ridge where the Gabor response is
// positive inside the mask, then ridge specks removed and pores (small valley holes
// inside ridges) filled.
#include <opencv2/core.hpp>

#include "ridge/params.hpp"
#include "ridge/segmentation_mask.hpp"

namespace tuskprint::ridge {

// CV_8U, 255 = ridge, 0 = valley or background.
cv::Mat binarised_image(const cv::Mat& enhanced, const SegmentationMask& mask,
                        const BinarisationParams& params);

}  // namespace tuskprint::ridge
