// Image intake: limits are checked from the header before any pixel is decoded, for every
// format, so that a decompression bomb never reaches the decoder.
#include <cstdint>
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

std::size_t be_length(const std::string& bytes, std::size_t at) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < 4; ++i) n = (n << 8) | std::uint8_t(bytes[at + i]);
  return n;
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

  // BMP height is signed (negative: top-down rows); the most negative value has no magnitude.
  std::string bmp = encode(".bmp", grey(32, 32));
  bmp.replace(22, 4, std::string("\x00\x00\x00\x80", 4));
  e = error_of(bmp);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("header gives no valid image size"), std::string::npos)
      << e.what();

  // TIFF with its width tag twice (a fuzzed file: 10008 x 65300 first, then width 1, and the
  // decoder read the first): an ambiguous size is refused, not decoded.
  std::string tiff("II*\0\x08\0\0\0", 8);
  auto entry = [&](std::uint16_t tag, std::uint16_t type, std::uint32_t value) {
    const unsigned char e12[12] = {std::uint8_t(tag), std::uint8_t(tag >> 8), std::uint8_t(type),
                                   std::uint8_t(type >> 8), 1, 0, 0, 0, std::uint8_t(value),
                                   std::uint8_t(value >> 8), std::uint8_t(value >> 16),
                                   std::uint8_t(value >> 24)};
    tiff.append(reinterpret_cast<const char*>(e12), 12);
  };
  tiff += std::string("\x03\x00", 2);  // three entries
  entry(256, 3, 10008);
  entry(257, 3, 65300);
  entry(256, 4, 20);
  tiff += std::string(64, '\0');
  e = error_of(tiff);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("header gives no valid image size"), std::string::npos)
      << e.what();

  // A strip taller than the image (8216 x 20 pixels, 33044 rows per strip: the decoder's strip
  // buffer alone is 270 megapixels) is judged by the strip, before decoding.
  tiff = std::string("II*\0\x08\0\0\0", 8);
  tiff += std::string("\x03\x00", 2);
  entry(256, 3, 8216);
  entry(257, 3, 20);
  entry(278, 3, 33044);
  tiff += std::string(64, '\0');
  e = error_of(tiff);
  EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted) << e.what();
  // The same strip with a second, small RowsPerStrip after it (the decoder reads the first).
  tiff = std::string("II*\0\x08\0\0\0", 8);
  tiff += std::string("\x04\x00", 2);
  entry(256, 3, 8216);
  entry(257, 3, 20);
  entry(278, 3, 33044);
  entry(278, 4, 8);
  tiff += std::string(64, '\0');
  e = error_of(tiff);
  EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted) << e.what();

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

cv::Mat gradient(int width, int height, int type) {
  cv::Mat image(height, width, type);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if (type == CV_8UC3) {
        image.at<cv::Vec3b>(y, x) = cv::Vec3b(std::uint8_t(3 * x), std::uint8_t(5 * y), 200);
      } else if (type == CV_16UC1) {
        image.at<std::uint16_t>(y, x) = std::uint16_t(1000 + 40 * x + 7 * y);
      } else {
        image.at<std::uint8_t>(y, x) = std::uint8_t(2 * x + 3 * y);
      }
    }
  }
  return image;
}

TEST(ImageDecode, Jpeg2000GreyAndColourComeBackExactly) {
  const cv::Mat grey_image = gradient(48, 40, CV_8UC1);
  const auto grey_decoded = decode(encode(".jp2", grey_image));
  EXPECT_EQ(grey_decoded.media_type, "image/jp2");
  EXPECT_TRUE(grey_decoded.colour.empty());
  EXPECT_EQ(cv::norm(grey_decoded.grey, grey_image, cv::NORM_INF), 0.0);

  // Channel order: OpenCV writes BGR as RGB components; decoding must give BGR back.
  const cv::Mat colour_image = gradient(48, 40, CV_8UC3);
  const auto colour_decoded = decode(encode(".jp2", colour_image));
  ASSERT_EQ(colour_decoded.colour.type(), CV_8UC3);
  EXPECT_EQ(cv::norm(colour_decoded.colour, colour_image, cv::NORM_INF), 0.0);
  EXPECT_EQ(peek_size(encode(".jp2", colour_image)), cv::Size(48, 40));
}

TEST(ImageDecode, SixteenBitJpeg2000IsStretchedToEightBits) {
  const auto decoded = decode(encode(".jp2", gradient(40, 32, CV_16UC1)));
  ASSERT_EQ(decoded.grey.type(), CV_8UC1);
  double lo = 0, hi = 0;
  cv::minMaxLoc(decoded.grey, &lo, &hi);
  EXPECT_EQ(lo, 0.0);
  EXPECT_EQ(hi, 255.0);
  EXPECT_LT(decoded.grey.at<std::uint8_t>(0, 0), decoded.grey.at<std::uint8_t>(31, 39));
}

// A JP2 file may carry boxes the reader does not know; one that happens to put "DICM" at byte
// 128 made cv::imdecode hand the file to its DICOM reader, which aborted the process (found by
// fuzzing). The JPEG 2000 reader must decode it like any other JP2 file.
TEST(ImageDecode, Jpeg2000WithDicomMagicAtByte128DecodesAsJpeg2000) {
  const cv::Mat image = gradient(40, 32, CV_8UC1);
  std::string jp2 = encode(".jp2", image);
  ASSERT_EQ(jp2.substr(16, 4), "ftyp");
  const std::size_t after_ftyp = 12 + be_length(jp2, 12);
  std::string uuid_box(100 - 8, '\0');  // 16-byte UUID (zero) then payload
  const std::size_t dicm_at = 128 - after_ftyp - 8;
  uuid_box.replace(dicm_at, 4, "DICM");
  jp2.insert(after_ftyp, std::string("\x00\x00\x00\x64uuid", 8) + uuid_box);
  ASSERT_EQ(jp2.substr(128, 4), "DICM");
  const auto decoded = decode(jp2);
  EXPECT_EQ(decoded.media_type, "image/jp2");
  EXPECT_EQ(cv::norm(decoded.grey, image, cv::NORM_INF), 0.0);
}

TEST(ImageDecode, CorruptJpeg2000GetsAClearError) {
  // The fuzzer's input: a JP2 header whose codestream stops after its SIZ marker, with "DICM"
  // at byte 128.
  const std::string truncated(
      "\x00\x00\x00\x0c\x6a\x50\x20\x20\x0d\x0a\x87\x0a\x00\x00\x00\x14\x66\x74\x79\x70"
      "\x6a\x70\x32\x20\x00\x00\x00\x00\x6a\x70\x32\x20\x00\x00\x00\x2d\x6a\x70\x32\x68"
      "\x00\x00\x00\x16\x69\x68\x64\x72\x00\x00\x00\x30\x00\x00\x00\x40\x00\x01\x07\x07"
      "\x00\x00\x00\x00\x00\x0f\x63\x6f\x6c\x72\x01\x00\x00\x00\x00\x00\x11\x00\x00\x02"
      "\xbc\x6a\x70\x32\x63\xff\x4f\xff\x51\x00\x29\x00\x00\x00\x00\x00\x40\x00\x00\x00"
      "\x30\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00\x30\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x01\x07\x44\x49\x43\x4d\x00\x0c",
      134);
  ASSERT_EQ(truncated.substr(128, 4), "DICM");
  Error e = error_of(truncated);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("JPEG 2000 data could not be decoded"), std::string::npos)
      << e.what();

  std::string jp2 = encode(".jp2", gradient(64, 48, CV_8UC1));
  jp2.resize(jp2.size() * 2 / 3);
  e = error_of(jp2);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("JPEG 2000"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace tuskprint::image
