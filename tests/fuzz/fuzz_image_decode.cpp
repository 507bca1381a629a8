// libFuzzer target: image intake (image::decode) under tight limits. Only tuskprint::Error may
// escape, and whatever is accepted must respect the limits. A decompression bomb that got past
// the header checks shows up as an allocation over libFuzzer's -malloc_limit_mb: scripts/fuzz
// sets 32 MB, above what a 1-megapixel image needs (at most 16 MB: four 32-bit planes in the
// JPEG 2000 decoder) and far below what a bomb takes (a truncated JPEG of a few hundred bytes
// can claim 30000 x 30000 pixels, which the decoder fills in). Before commit c5c2e3a a 422 kB
// JPEG with one fill byte before its frame header had 36 MB allocated for its 6000 x 6000
// pixels; this target reports that input as out-of-memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <opencv2/core/utils/logger.hpp>

#include "core/error.hpp"
#include "image/decode.hpp"

namespace {

// Small limits, so that "over the limit" is cheap to reach and to check.
tuskprint::image::DecodeLimits fuzz_limits() {
  tuskprint::image::DecodeLimits limits;
  limits.max_bytes = 1u << 20;
  limits.max_pixels = 1'000'000;
  limits.min_side = 16;
  return limits;
}

}  // namespace

// OpenCV logs every decoder complaint to stderr; the fuzzer only needs the verdicts.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace image = tuskprint::image;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto limits = fuzz_limits();
  (void)image::sniff_media_type(bytes);
  (void)image::peek_size(bytes);
  try {
    const image::DecodedImage decoded = image::decode(bytes, limits);
    const std::uint64_t pixels = std::uint64_t(decoded.width) * std::uint64_t(decoded.height);
    if (pixels > limits.max_pixels || decoded.width < limits.min_side ||
        decoded.height < limits.min_side || decoded.grey.type() != CV_8UC1 ||
        decoded.grey.cols != decoded.width || decoded.grey.rows != decoded.height ||
        (!decoded.colour.empty() && decoded.colour.type() != CV_8UC3) ||
        decoded.media_type.empty()) {
      std::abort();  // accepted something the limits or the contract rule out
    }
  } catch (const tuskprint::Error&) {
  }
  return 0;
}
