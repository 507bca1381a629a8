#pragma once
// The friction-ridge extractor: a grey-level scan in, a FingerTemplate out.
//
// With a transparency sink installed (core/transparency.hpp) each stage hands over its
// result under a stable key: "normalised", "segmentation-mask", "orientation-field",
// "ridge-frequency", "enhanced", "binarised", "skeleton", "minutiae-raw", "minutiae".
#include <array>
#include <string_view>

#include <opencv2/core.hpp>

#include "ridge/params.hpp"
#include "ridge/template.hpp"

namespace tuskprint::ridge {

inline constexpr std::array<std::string_view, 9> kTransparencyKeys = {
    "normalised", "segmentation-mask", "orientation-field", "ridge-frequency", "enhanced",
    "binarised",  "skeleton",          "minutiae-raw",      "minutiae"};

// `image`: 8-bit grey (or colour, converted) scan at `ppi` (250..1000). Throws
// Error(kInvalidArgument) for an empty, non-8-bit, too small image or a ppi out of range,
// Error(kResourceExhausted) for an oversized one. A blank or hopeless print is not an
// error: the template comes back with too_poor_to_search set and the reason.
FingerTemplate extract(const cv::Mat& image, int ppi, const Params& params = default_params());

}  // namespace tuskprint::ridge
