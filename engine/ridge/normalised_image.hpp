#pragma once
// Stage 1: input normalisation. Any 8-bit scan between 250 and 1000 ppi becomes an
// 8-bit grey image at the working resolution (500 ppi); the native resolution is
// carried through so that exports can state it.
#include <opencv2/core.hpp>

#include "ridge/params.hpp"

namespace tuskprint::ridge {

struct NormalisedImage {
  cv::Mat grey;         // CV_8UC1 at kWorkingPpi
  int source_ppi = 0;   // resolution of the scan as given
  double scale = 1.0;   // working / source (coordinates multiply by this)
};

// Throws Error(kInvalidArgument) for an empty or non-8-bit image, a ppi outside
// [min_ppi, max_ppi], or a result smaller than min_side; Error(kResourceExhausted) when
// the rescaled image would exceed max_pixels. 3-channel input is converted to grey.
NormalisedImage normalise_to_working_ppi(const cv::Mat& image, int ppi,
                                         const NormalisationParams& params);

}  // namespace tuskprint::ridge
