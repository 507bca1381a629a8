#pragma once
// The scan resampled to the pipeline's working resolution.
#include <opencv2/core.hpp>

#include "image/decode.hpp"
#include "schreger/params.hpp"

namespace tuskprint::schreger {

struct WorkingImage {
  cv::Mat grey;        // CV_32F, 0..255
  cv::Mat colour;      // CV_32FC3 (BGR), grey replicated when the scan had no colour
  double px_per_mm = 0;
  double scale = 1;    // working px per source px
  double source_ppi = 0;
};

// Throws Error(kInvalidArgument) for a ppi outside 50..4800 or a scan too small to hold
// a cross-section (params.min_section_mm across).
WorkingImage resample_to_working(const image::DecodedImage& scan, double ppi, const SchregerParams& params);

}  // namespace tuskprint::schreger
