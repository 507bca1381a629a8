// Image intake: limits are checked from the header before any pixel is decoded, for every
// format, so that a decompression bomb never reaches the decoder.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"
#include "image/decode.hpp"

namespace tuskprint::image {
namespace {

std::string encode(const std::string& ext, const cv::Mat& image) {
  std::vector<unsigned char> bytes;
  EXPECT_TRUE(cv::imencode(ext, image, bytes)) << ext;
  return std::string(bytes.begin(), bytes.end());
}

cv::Mat grey(int width, int height) { return cv::Mat(height, width, CV_8U, cv::Scalar(128)); }

Error error_of(const std::string& bytes, const DecodeLimits& limits = {}) {
  try {
    decode(bytes, limits);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "decode accepted the bytes";
  return Error(ErrorCode::kInternal, "");
}

// JPEG allows any number of 0xFF fill bytes before a marker; libjpeg skips them.
std::string with_fill_byte_before_frame_header(const std::string& jpeg) {
  const auto sof = jpeg.find("\xFF\xC0");
  EXPECT_NE(sof, std::string::npos);
  return jpeg.substr(0, sof) + '\xFF' + jpeg.substr(sof);
}

TEST(ImageDecode, ReadsTheSizeOfEveryFormatFromItsHeader) {
  for (const char* ext : {".png", ".jpg", ".tif", ".bmp"}) {
    EXPECT_EQ(peek_size(encode(ext, grey(37, 23))), cv::Size(37, 23)) << ext;
  }
  EXPECT_EQ(peek_size(with_fill_byte_before_frame_header(encode(".jpg", grey(37, 23)))),
            cv::Size(37, 23));
}

TEST(ImageDecode, JpegWithFillBytesStillDecodes) {
  const auto decoded = decode(with_fill_byte_before_frame_header(encode(".jpg", grey(40, 30))));
  EXPECT_EQ(decoded.media_type, "image/jpeg");
  EXPECT_EQ(decoded.width, 40);
  EXPECT_EQ(decoded.height, 30);
}

TEST(ImageDecode, OversizedJpegIsRefusedFromItsHeaderEvenBehindFillBytes) {
  // 36 megapixels in a few hundred kB: the refusal must come from the header check (its
  // message gives the pixel count), not after the decoder has allocated the pixels.
  DecodeLimits limits;
  limits.max_pixels = 4'000'000;
  const std::string bomb = with_fill_byte_before_frame_header(encode(".jpg", grey(6000, 6000)));
  ASSERT_LT(bomb.size(), 1u << 20);
  const Error e = error_of(bomb, limits);
  EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(std::string(e.what()).find("6000x6000 = 36000000 pixels"), std::string::npos) << e.what();
}

TEST(ImageDecode, OversizedPngHeaderIsRefusedBeforeDecoding) {
  std::string png = encode(".png", grey(32, 32));
  // IHDR width and height (big-endian at 16 and 20): claim 50000 x 50000.
  const std::string big("\x00\x00\xC3\x50", 4);
  png.replace(16, 4, big);
  png.replace(20, 4, big);
  const Error e = error_of(png);
  EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(std::string(e.what()).find("50000x50000 = 2500000000 pixels"), std::string::npos)
      << e.what();
}

TEST(ImageDecode, HeaderWithoutAReadableSizeIsRefused) {
  std::string jpeg = encode(".jpg", grey(32, 32));
  jpeg.resize(jpeg.find("\xFF\xC0"));  // cut before the frame header
  jpeg += std::string(64, '\x00');
  Error e = error_of(jpeg);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("header gives no valid image size"), std::string::npos)
      << e.what();

  e = error_of(std::string("\x89PNG\r\n\x1a\n", 8) + std::string(500, 'x'));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("could not be decoded"), std::string::npos) << e.what();
}

TEST(ImageDecode, OtherBadInputGetsClearMessages) {
  Error e = error_of("");
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();

  e = error_of("plain text, not an image");
  EXPECT_NE(std::string(e.what()).find("not recognised"), std::string::npos) << e.what();

  DecodeLimits limits;
  limits.max_bytes = 100;
  e = error_of(encode(".bmp", grey(64, 64)), limits);
  EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(std::string(e.what()).find("over the limit of 100"), std::string::npos) << e.what();

  e = error_of(encode(".png", grey(8, 8)));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("smaller than the minimum"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace tuskprint::image
