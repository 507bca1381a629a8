#include "ridge/normalised_image.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace tuskprint::ridge {
namespace {

void expect_error(const cv::Mat& image, int ppi, ErrorCode code, const std::string& fragment) {
  try {
    normalise_to_working_ppi(image, ppi, NormalisationParams{});
    FAIL() << "expected an error containing '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(NormalisedImage, RescalesTo500PpiAndCarriesSourcePpi) {
  const cv::Mat image(800, 600, CV_8UC1, cv::Scalar(100));
  const NormalisedImage n = normalise_to_working_ppi(image, 1000, NormalisationParams{});
  EXPECT_EQ(n.grey.size(), cv::Size(300, 400));
  EXPECT_EQ(n.source_ppi, 1000);
  EXPECT_DOUBLE_EQ(n.scale, 0.5);
  const NormalisedImage same = normalise_to_working_ppi(image, 500, NormalisationParams{});
  EXPECT_EQ(same.grey.size(), image.size());
  EXPECT_EQ(same.source_ppi, 500);
  const NormalisedImage up = normalise_to_working_ppi(image, 250, NormalisationParams{});
  EXPECT_EQ(up.grey.size(), cv::Size(1200, 1600));
}

TEST(NormalisedImage, ConvertsColourToGrey) {
  const cv::Mat colour(100, 100, CV_8UC3, cv::Scalar(10, 20, 30));
  const NormalisedImage n = normalise_to_working_ppi(colour, 500, NormalisationParams{});
  EXPECT_EQ(n.grey.type(), CV_8UC1);
}

TEST(NormalisedImage, RefusesBadInputWithClearMessages) {
  expect_error(cv::Mat(), 500, ErrorCode::kInvalidArgument, "empty");
  expect_error(cv::Mat(100, 100, CV_16UC1, cv::Scalar(0)), 500, ErrorCode::kInvalidArgument, "8-bit");
  expect_error(cv::Mat(100, 100, CV_8UC1), 249, ErrorCode::kInvalidArgument,
               "249 ppi is outside the supported range 250..1000");
  expect_error(cv::Mat(100, 100, CV_8UC1), 1001, ErrorCode::kInvalidArgument, "1001 ppi");
  expect_error(cv::Mat(1, 1, CV_8UC1), 500, ErrorCode::kInvalidArgument, "too small");
  expect_error(cv::Mat(100, 100, CV_8UC1), 1000, ErrorCode::kInvalidArgument, "too small");
  expect_error(cv::Mat(5000, 5000, CV_8UC1), 500, ErrorCode::kResourceExhausted, "too large");
}

}  // namespace
}  // namespace tuskprint::ridge
