#pragma once
// JPEG 2000 intake through OpenJPEG, called directly rather than through cv::imdecode.
//
// cv::imdecode picks its decoder by probing signatures in a fixed order, and the DICOM
// (GDCM) probe, which looks for "DICM" at byte 128, runs before the JPEG 2000 ones: a JP2
// file carrying those four bytes there is handed to GDCM, which aborts the process on it
// (found by tests/fuzz/fuzz_image_decode). Decoding JPEG 2000 here also lets the size and
// component checks run on the codestream's own header before any pixel is decoded.
#include <cstdint>
#include <string_view>

#include <opencv2/core.hpp>

namespace tuskprint::image {

enum class Jpeg2000Container { kJp2, kCodestream };

// Decodes a JP2 file or a raw J2K codestream into a CV_8U or CV_16U matrix with 1, 3 (BGR)
// or 4 (BGRA) channels. Throws Error(kInvalidArgument) naming the problem for corrupt data or
// unsupported layouts (more than 4 components, CMYK, over 16 bits per sample) and
// Error(kResourceExhausted) when the codestream's size is over max_pixels.
cv::Mat decode_jpeg2000(std::string_view bytes, Jpeg2000Container container,
                        std::uint64_t max_pixels);

}  // namespace tuskprint::image
