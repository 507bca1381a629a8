#include "image/jpeg2000.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <openjpeg.h>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::image {
namespace {

constexpr OPJ_UINT32 kMaxComponents = 4;      // grey, grey+alpha, colour, colour+alpha
constexpr OPJ_UINT32 kMaxPrecisionBits = 16;  // deeper samples are not a scan we can use

// Read-only view of the caller's bytes, served to OpenJPEG through its stream callbacks.
struct MemorySource {
  std::string_view bytes;
  std::size_t position = 0;
};

OPJ_SIZE_T read_bytes(void* buffer, OPJ_SIZE_T count, void* user) {
  auto& source = *static_cast<MemorySource*>(user);
  if (source.position >= source.bytes.size()) return static_cast<OPJ_SIZE_T>(-1);
  const std::size_t n = std::min<std::size_t>(count, source.bytes.size() - source.position);
  std::copy_n(source.bytes.data() + source.position, n, static_cast<char*>(buffer));
  source.position += n;
  return n;
}

OPJ_OFF_T skip_bytes(OPJ_OFF_T count, void* user) {
  auto& source = *static_cast<MemorySource*>(user);
  const auto target = static_cast<long double>(source.position) + static_cast<long double>(count);
  if (target < 0 || target > static_cast<long double>(source.bytes.size())) return -1;
  source.position = static_cast<std::size_t>(target);
  return count;
}

OPJ_BOOL seek_to(OPJ_OFF_T offset, void* user) {
  auto& source = *static_cast<MemorySource*>(user);
  if (offset < 0 || static_cast<std::uint64_t>(offset) > source.bytes.size()) return OPJ_FALSE;
  source.position = static_cast<std::size_t>(offset);
  return OPJ_TRUE;
}

// OpenJPEG reports through callbacks; the first error message names the problem.
void keep_first_error(const char* message, void* user) {
  auto& first = *static_cast<std::string*>(user);
  if (first.empty() && message != nullptr) {
    first = message;
    while (!first.empty() && (first.back() == '\n' || first.back() == ' ')) first.pop_back();
  }
}
void ignore_message(const char*, void*) {}

struct CodecDeleter {
  void operator()(opj_codec_t* codec) const { opj_destroy_codec(codec); }
};
struct StreamDeleter {
  void operator()(opj_stream_t* stream) const { opj_stream_destroy(stream); }
};
struct ImageDeleter {
  void operator()(opj_image_t* image) const { opj_image_destroy(image); }
};

// One component as a single-channel matrix at its own resolution, unsigned, CV_8U or CV_16U.
cv::Mat component_plane(const opj_image_comp_t& comp, int depth) {
  TP_CHECK(comp.data != nullptr && comp.w > 0 && comp.h > 0, kInvalidArgument,
           "JPEG 2000 data could not be decoded: a component has no samples");
  const int width = int(comp.w), height = int(comp.h);
  const std::int64_t offset = comp.sgnd ? (std::int64_t(1) << (comp.prec - 1)) : 0;
  const std::int64_t top = (std::int64_t(1) << comp.prec) - 1;
  cv::Mat plane(height, width, depth);
  for (int y = 0; y < height; ++y) {
    const OPJ_INT32* row = comp.data + std::size_t(y) * std::size_t(width);
    for (int x = 0; x < width; ++x) {
      const std::int64_t value = std::clamp<std::int64_t>(std::int64_t(row[x]) + offset, 0, top);
      if (depth == CV_8U) {
        plane.at<std::uint8_t>(y, x) = std::uint8_t(value);
      } else {
        plane.at<std::uint16_t>(y, x) = std::uint16_t(value);
      }
    }
  }
  return plane;
}

}  // namespace

cv::Mat decode_jpeg2000(std::string_view bytes, Jpeg2000Container container,
                        std::uint64_t max_pixels) {
  std::string error;
  std::unique_ptr<opj_codec_t, CodecDeleter> codec(
      opj_create_decompress(container == Jpeg2000Container::kJp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K));
  TP_CHECK(codec != nullptr, kInternal, "OpenJPEG could not create a decoder");
  opj_set_error_handler(codec.get(), keep_first_error, &error);
  opj_set_warning_handler(codec.get(), ignore_message, nullptr);
  opj_set_info_handler(codec.get(), ignore_message, nullptr);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  TP_CHECK(opj_setup_decoder(codec.get(), &parameters), kInternal,
           "OpenJPEG could not set up a decoder: " << error);

  MemorySource source{bytes, 0};
  std::unique_ptr<opj_stream_t, StreamDeleter> stream(opj_stream_create(64 * 1024, OPJ_TRUE));
  TP_CHECK(stream != nullptr, kInternal, "OpenJPEG could not create an input stream");
  opj_stream_set_user_data(stream.get(), &source, nullptr);
  opj_stream_set_user_data_length(stream.get(), bytes.size());
  opj_stream_set_read_function(stream.get(), read_bytes);
  opj_stream_set_skip_function(stream.get(), skip_bytes);
  opj_stream_set_seek_function(stream.get(), seek_to);

  opj_image_t* raw_image = nullptr;
  const bool header_read = opj_read_header(stream.get(), codec.get(), &raw_image);
  std::unique_ptr<opj_image_t, ImageDeleter> image(raw_image);
  TP_CHECK(header_read && image != nullptr, kInvalidArgument,
           "JPEG 2000 data could not be decoded: the header is corrupt"
               << (error.empty() ? "" : " (" + error + ")"));

  // The codestream's own size and layout, checked before any pixel is decoded.
  TP_CHECK(image->x1 > image->x0 && image->y1 > image->y0, kInvalidArgument,
           "JPEG 2000 data could not be decoded: the header gives no valid image size");
  const std::uint64_t width = image->x1 - image->x0, height = image->y1 - image->y0;
  TP_CHECK(width * height <= max_pixels, kResourceExhausted,
           "image is " << width << "x" << height << " = " << width * height
                       << " pixels, over the limit of " << max_pixels);
  TP_CHECK(image->numcomps >= 1 && image->numcomps <= kMaxComponents, kInvalidArgument,
           "JPEG 2000 image has " << image->numcomps << " components (1 to " << kMaxComponents
                                  << " are supported)");
  TP_CHECK(image->color_space != OPJ_CLRSPC_CMYK, kInvalidArgument,
           "JPEG 2000 image is CMYK, which is not supported for scans");
  for (OPJ_UINT32 c = 0; c < image->numcomps; ++c) {
    const opj_image_comp_t& comp = image->comps[c];
    TP_CHECK(comp.prec >= 1 && comp.prec <= kMaxPrecisionBits, kInvalidArgument,
             "JPEG 2000 component " << c << " has " << comp.prec << " bits per sample (1 to "
                                    << kMaxPrecisionBits << " are supported)");
    TP_CHECK(comp.dx >= 1 && comp.dy >= 1, kInvalidArgument,
             "JPEG 2000 component " << c << " has an invalid sampling step");
  }

  const bool decoded = opj_decode(codec.get(), stream.get(), image.get()) &&
                       opj_end_decompress(codec.get(), stream.get());
  TP_CHECK(decoded, kInvalidArgument,
           "JPEG 2000 data could not be decoded (truncated or corrupt)"
               << (error.empty() ? "" : ": " + error));

  // Colour images keep three components (a fourth is alpha); grey images keep one (a second
  // is alpha). Subsampled components are brought to the first component's size.
  const OPJ_UINT32 keep = image->numcomps >= 3 ? std::min<OPJ_UINT32>(image->numcomps, 4) : 1;
  OPJ_UINT32 precision = 0;
  for (OPJ_UINT32 c = 0; c < keep; ++c) precision = std::max(precision, image->comps[c].prec);
  const int depth = precision <= 8 ? CV_8U : CV_16U;
  std::vector<cv::Mat> planes;
  for (OPJ_UINT32 c = 0; c < keep; ++c) {
    cv::Mat plane = component_plane(image->comps[c], depth);
    if (!planes.empty() && plane.size() != planes.front().size()) {
      cv::resize(plane, plane, planes.front().size(), 0, 0, cv::INTER_LINEAR);
    }
    planes.push_back(std::move(plane));
  }
  cv::Mat merged;
  cv::merge(planes, merged);
  if (keep == 1) return merged;
  if (image->color_space == OPJ_CLRSPC_SYCC || image->color_space == OPJ_CLRSPC_EYCC) {
    std::vector<cv::Mat> ycc(planes.begin(), planes.begin() + 3);
    std::swap(ycc[1], ycc[2]);  // OpenCV's YCrCb order
    cv::Mat ycrcb, bgr;
    cv::merge(ycc, ycrcb);
    cv::cvtColor(ycrcb, bgr, cv::COLOR_YCrCb2BGR);
    return bgr;  // alpha, if any, is dropped: scans are judged on their pixels alone
  }
  cv::Mat bgr;
  cv::cvtColor(merged, bgr, keep == 4 ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);
  return bgr;
}

}  // namespace tuskprint::image
