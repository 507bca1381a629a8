#pragma once
// Image intake: sniff the format, check limits before and after decoding, and
// normalise to 8-bit grey. Formats: PNG, TIFF, JPEG, JPEG 2000, BMP (via OpenCV).
#include <cstdint>
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

namespace tuskprint::image {

struct DecodeLimits {
  std::uint64_t max_bytes = 64ull << 20;          // encoded size
  std::uint64_t max_pixels = 100'000'000;         // width * height (decompression bombs)
  int min_side = 16;                              // smaller images carry no usable detail
};

struct DecodedImage {
  cv::Mat grey;             // CV_8UC1
  cv::Mat colour;           // CV_8UC3 (BGR) when the source had colour, else empty
  std::string media_type;   // "image/png", "image/tiff", "image/jpeg", "image/jp2", "image/bmp"
  int width = 0;
  int height = 0;
};

// The media type from the leading bytes, or "" when the format is not one we read.
std::string sniff_media_type(std::string_view bytes);

// Width and height from the header without decoding pixels, when the format allows
// (PNG, JPEG, BMP, TIFF, JP2); {0, 0} when it cannot be read cheaply.
cv::Size peek_size(std::string_view bytes);

// Decodes `bytes`. Throws Error(kInvalidArgument) naming the problem for empty,
// unrecognised, undecodable or too-small images; Error(kResourceExhausted) when over
// max_bytes or max_pixels (checked from the header before the pixels are decoded).
DecodedImage decode(std::string_view bytes, const DecodeLimits& limits = {});

// Reads a whole file (kNotFound / kInvalidArgument on failure) and decodes it.
DecodedImage load_file(const std::string& path, const DecodeLimits& limits = {});

// Reads a whole file into memory; kNotFound when missing.
std::string read_file_bytes(const std::string& path);

}  // namespace tuskprint::image
