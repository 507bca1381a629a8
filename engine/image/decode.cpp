#include "image/decode.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "image/jpeg2000.hpp"

namespace tuskprint::image {
namespace {

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

std::uint32_t be32(std::string_view b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 24) | (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}
std::uint16_t be16(std::string_view b, std::size_t at) {
  return std::uint16_t((std::uint8_t(b[at]) << 8) | std::uint8_t(b[at + 1]));
}
std::uint32_t le32(std::string_view b, std::size_t at) {
  return std::uint32_t(std::uint8_t(b[at])) | (std::uint32_t(std::uint8_t(b[at + 1])) << 8) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 16) | (std::uint32_t(std::uint8_t(b[at + 3])) << 24);
}
std::uint16_t le16(std::string_view b, std::size_t at) {
  return std::uint16_t(std::uint8_t(b[at]) | (std::uint8_t(b[at + 1]) << 8));
}

cv::Size jpeg_size(std::string_view b) {
  std::size_t i = 2;
  while (i + 9 < b.size()) {
    if (std::uint8_t(b[i]) != 0xFF) return {};
    if (std::uint8_t(b[i + 1]) == 0xFF) {  // fill byte before a marker (libjpeg skips these)
      ++i;
      continue;
    }
    const std::uint8_t marker = std::uint8_t(b[i + 1]);
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      i += 2;
      continue;
    }
    const std::uint16_t length = be16(b, i + 2);
    const bool is_sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                        marker != 0xCC;
    if (is_sof) return {be16(b, i + 7), be16(b, i + 5)};
    if (length < 2) return {};
    i += 2 + length;
  }
  return {};
}

cv::Size tiff_size(std::string_view b) {
  if (b.size() < 8) return {};
  const bool little = b[0] == 'I';
  auto u16 = [&](std::size_t at) { return little ? le16(b, at) : be16(b, at); };
  auto u32 = [&](std::size_t at) { return little ? le32(b, at) : be32(b, at); };
  const std::size_t ifd = u32(4);
  if (ifd + 2 > b.size()) return {};
  const std::size_t count = u16(ifd);
  // The size must be unambiguous: one ImageWidth and one ImageLength tag, each a SHORT or a
  // LONG. A repeated or oddly typed size tag is refused, because the decoder may read another
  // value than this check did (a fuzzed file gave width 1 here and 10008 to libtiff).
  // The decoder also allocates one strip (width x RowsPerStrip) or one tile at a time, and
  // RowsPerStrip may exceed the image height (a fuzzed 8216 x 20 file asked for 33044 rows,
  // 543 MB): the size checked against the limit covers the strip and the tile too.
  long width = 0, height = 0, strip_rows = 0, tile_width = 0, tile_height = 0;
  int width_tags = 0, height_tags = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t entry = ifd + 2 + 12 * k;
    if (entry + 12 > b.size()) break;
    const std::uint16_t tag = u16(entry), type = u16(entry + 2);
    if (tag != 256 && tag != 257 && tag != 278 && tag != 322 && tag != 323) continue;
    if (type != 3 && type != 4) return {};
    const long value = type == 3 ? long(u16(entry + 8)) : long(u32(entry + 8));
    if (tag == 256) width = value, ++width_tags;
    if (tag == 257) height = value, ++height_tags;
    // Repeated strip or tile tags: the largest counts, whichever one the decoder reads (a
    // fuzzed 221 x 20 file gave 65301 rows per strip, then 72; the decoder took 65301).
    if (tag == 278 && value != 0xFFFFFFFFL) strip_rows = std::max(strip_rows, value);  // all-ones: one strip
    if (tag == 322) tile_width = std::max(tile_width, value);
    if (tag == 323) tile_height = std::max(tile_height, value);
  }
  if (width_tags != 1 || height_tags != 1) return {};
  width = std::max(width, tile_width);
  height = std::max({height, strip_rows, tile_height});
  if (width > INT32_MAX || height > INT32_MAX) return {};
  return {int(width), int(height)};
}

cv::Size jp2_size(std::string_view b) {
  // JP2 box file: find the 'ihdr' box (height, width as big-endian u32).
  const auto pos = b.find("ihdr");
  if (pos != std::string_view::npos && pos + 12 <= b.size()) {
    return {int(be32(b, pos + 8)), int(be32(b, pos + 4))};
  }
  // Raw codestream: SIZ marker right after SOC: FF4F FF51 Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz.
  if (b.size() >= 24 && std::uint8_t(b[2]) == 0xFF && std::uint8_t(b[3]) == 0x51) {
    const std::uint32_t x = be32(b, 8), y = be32(b, 12), xo = be32(b, 16), yo = be32(b, 20);
    return {int(x - xo), int(y - yo)};
  }
  return {};
}

}  // namespace

std::string sniff_media_type(std::string_view b) {
  using namespace std::string_view_literals;
  if (starts_with(b, "\x89PNG\r\n\x1a\n"sv)) return "image/png";
  if (starts_with(b, "\xFF\xD8\xFF"sv)) return "image/jpeg";
  if (starts_with(b, "II*\0"sv) || starts_with(b, "MM\0*"sv)) return "image/tiff";
  if (starts_with(b, "BM"sv) && b.size() >= 26) return "image/bmp";
  if (starts_with(b, "\0\0\0\x0CjP  \r\n\x87\n"sv)) return "image/jp2";
  if (starts_with(b, "\xFF\x4F\xFF\x51"sv)) return "image/j2k";
  return "";
}

cv::Size peek_size(std::string_view b) {
  const std::string type = sniff_media_type(b);
  if (type == "image/png") {
    if (b.size() < 24 || b.substr(12, 4) != "IHDR") return {};
    return {int(be32(b, 16)), int(be32(b, 20))};
  }
  if (type == "image/bmp") {
    // Negative height: rows stored top-down. The most negative value has no magnitude.
    const auto height = std::int32_t(le32(b, 22));
    if (height == std::numeric_limits<std::int32_t>::min()) return {};
    return {int(std::int32_t(le32(b, 18))), height < 0 ? -height : height};
  }
  if (type == "image/jpeg") return jpeg_size(b);
  if (type == "image/tiff") return tiff_size(b);
  if (type == "image/jp2" || type == "image/j2k") return jp2_size(b);
  return {};
}

DecodedImage decode(std::string_view bytes, const DecodeLimits& limits) {
  TP_CHECK(!bytes.empty(), kInvalidArgument, "image is empty (0 bytes)");
  TP_CHECK(bytes.size() <= limits.max_bytes, kResourceExhausted,
           "image is " << bytes.size() << " bytes, over the limit of " << limits.max_bytes);
  DecodedImage out;
  out.media_type = sniff_media_type(bytes);
  TP_CHECK(!out.media_type.empty(), kInvalidArgument,
           "image format not recognised (expected PNG, TIFF, JPEG, JPEG 2000 or BMP)");
  // Nothing is decoded without a size from the header checked against the limit first: an
  // image whose header cannot be read here could be a decompression bomb.
  const cv::Size header = peek_size(bytes);
  TP_CHECK(header.width > 0 && header.height > 0, kInvalidArgument,
           out.media_type << " data could not be decoded: the header gives no valid image size "
                          << "(truncated or corrupt)");
  const std::uint64_t header_pixels = std::uint64_t(header.width) * std::uint64_t(header.height);
  TP_CHECK(header_pixels <= limits.max_pixels, kResourceExhausted,
           "image is " << header.width << "x" << header.height << " = " << header_pixels
                       << " pixels, over the limit of " << limits.max_pixels);
  cv::Mat decoded;
  try {
    if (out.media_type == "image/jp2" || out.media_type == "image/j2k") {
      decoded = decode_jpeg2000(bytes,
                                out.media_type == "image/jp2" ? Jpeg2000Container::kJp2
                                                              : Jpeg2000Container::kCodestream,
                                limits.max_pixels);
    } else {
      // PNG, JPEG, TIFF and BMP: the sniffed magic bytes make OpenCV pick that format's own
      // decoder, whose signature probe runs before any probe that looks past the first bytes.
      const cv::Mat buffer(1, int(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
      decoded = cv::imdecode(buffer, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
    }
  } catch (const cv::Exception& e) {
    TP_THROW(kInvalidArgument, out.media_type << " data could not be decoded: " << e.err);
  }
  TP_CHECK(!decoded.empty(), kInvalidArgument,
           out.media_type << " data could not be decoded (truncated or corrupt)");
  const std::uint64_t pixels = std::uint64_t(decoded.cols) * std::uint64_t(decoded.rows);
  TP_CHECK(pixels <= limits.max_pixels, kResourceExhausted,
           "image is " << decoded.cols << "x" << decoded.rows << " pixels, over the limit of "
                       << limits.max_pixels);
  TP_CHECK(decoded.cols >= limits.min_side && decoded.rows >= limits.min_side, kInvalidArgument,
           "image is " << decoded.cols << "x" << decoded.rows << " pixels, smaller than the minimum "
                       << limits.min_side << "x" << limits.min_side);
  if (decoded.depth() != CV_8U) {
    double lo = 0, hi = 0;
    cv::minMaxLoc(decoded.reshape(1), &lo, &hi);
    const double scale = hi > lo ? 255.0 / (hi - lo) : 1.0;
    decoded.convertTo(decoded, CV_8U, scale, -lo * scale);
  }
  switch (decoded.channels()) {
    case 1: out.grey = decoded; break;
    case 3:
      out.colour = decoded;
      cv::cvtColor(decoded, out.grey, cv::COLOR_BGR2GRAY);
      break;
    case 4:
      cv::cvtColor(decoded, out.colour, cv::COLOR_BGRA2BGR);
      cv::cvtColor(out.colour, out.grey, cv::COLOR_BGR2GRAY);
      break;
    default: TP_THROW(kInvalidArgument, "image has " << decoded.channels() << " channels");
  }
  out.width = out.grey.cols;
  out.height = out.grey.rows;
  return out;
}

std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  TP_CHECK(in.good(), kNotFound, "cannot open file '" << path << "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  TP_CHECK(!in.bad(), kInvalidArgument, "cannot read file '" << path << "'");
  return std::move(buffer).str();
}

DecodedImage load_file(const std::string& path, const DecodeLimits& limits) {
  const std::string bytes = read_file_bytes(path);
  try {
    return decode(bytes, limits);
  } catch (const Error& e) {
    throw Error(e.code(), "'" + path + "': " + e.what());
  }
}

}  // namespace tuskprint::image
