#include "ridge/extract.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <unistd.h>

#include "core/error.hpp"
#include "core/transparency.hpp"
#include "ridge/overlay.hpp"
#include "synthetic_patterns.hpp"

namespace tuskprint::ridge {
namespace {

template <typename F>
void expect_error(F&& f, ErrorCode code, const std::string& fragment) {
  try {
    f();
    FAIL() << "expected an error containing " << fragment;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Extract, BadImagesGiveClearErrors) {
  expect_error([] { extract(cv::Mat(), 500); }, ErrorCode::kInvalidArgument, "empty");
  expect_error([] { extract(cv::Mat(1, 1, CV_8UC1, cv::Scalar(0)), 500); }, ErrorCode::kInvalidArgument,
               "too small");
  expect_error([] { extract(cv::Mat(5000, 4000, CV_8UC1, cv::Scalar(0)), 500); },
               ErrorCode::kResourceExhausted, "too large");
  expect_error([] { extract(cv::Mat(300, 300, CV_8UC1, cv::Scalar(0)), 100); },
               ErrorCode::kInvalidArgument, "100 ppi");
  expect_error([] { extract(cv::Mat(300, 300, CV_32FC1, cv::Scalar(0)), 500); },
               ErrorCode::kInvalidArgument, "8-bit");
}

TEST(Extract, BlankImagesAreTooPoorNotErrors) {
  for (const int level : {0, 128, 255}) {
    const FingerTemplate t = extract(cv::Mat(300, 300, CV_8UC1, cv::Scalar(level)), 500);
    EXPECT_TRUE(t.too_poor_to_search) << level;
    EXPECT_NE(t.quality_reason.find("foreground too small"), std::string::npos) << t.quality_reason;
    EXPECT_TRUE(t.minutiae.empty());
    EXPECT_LE(t.quality, 20);
  }
  cv::Mat noise(300, 300, CV_8UC1);
  cv::RNG rng(11);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 255);
  const FingerTemplate t = extract(noise, 500);
  EXPECT_TRUE(t.too_poor_to_search) << t.quality_reason;
}

TEST(Extract, TemplateCarriesVersionsSizesAndSourcePpi) {
  cv::Mat print = testing::concentric_print();
  cv::Mat big;
  cv::resize(print, big, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
  const FingerTemplate t = extract(big, 1000);
  EXPECT_EQ(t.extractor_version, kExtractorVersion);
  EXPECT_EQ(t.parameters_hash, parameters_hash());
  EXPECT_EQ(t.ppi, 500);
  EXPECT_EQ(t.source_ppi, 1000);
  EXPECT_EQ(t.width, print.cols);
  EXPECT_EQ(t.height, print.rows);
  EXPECT_EQ(t.mask_block_size, default_params().output.mask_block);
  EXPECT_EQ(t.foreground_mask.size(),
            static_cast<std::size_t>(((t.width + 7) / 8) * ((t.height + 7) / 8)));
  // Concentric rings: few genuine minutiae, but most of the ellipse is foreground.
  int foreground = 0;
  for (auto b : t.foreground_mask) foreground += b;
  EXPECT_GT(foreground, static_cast<int>(t.foreground_mask.size() / 3));
}

TEST(Extract, EmitsPinnedTransparencyKeysInOrder) {
  std::vector<std::string> keys;
  std::vector<bool> has_payload;
  {
    transparency::ScopedSink sink([&](const transparency::Item& item) {
      keys.emplace_back(item.key);
      has_payload.push_back((item.image != nullptr && !item.image->empty()) || !item.text.empty());
    });
    extract(testing::concentric_print(), 500);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"normalised", "segmentation-mask", "orientation-field",
                                            "ridge-frequency", "enhanced", "binarised", "skeleton",
                                            "minutiae-raw", "minutiae"}));
  EXPECT_EQ(std::vector<std::string>(kTransparencyKeys.begin(), kTransparencyKeys.end()), keys);
  for (bool b : has_payload) EXPECT_TRUE(b);
}

TEST(StageDump, WritesEveryStageAndOverlayDrawsMinutiae) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ridge_dump_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  FingerTemplate t;
  std::vector<std::string> written;
  {
    StageDump dump(dir.string());
    t = extract(testing::concentric_print(), 500);
    written = dump.written();
  }
  EXPECT_GE(written.size(), kTransparencyKeys.size());
  for (const std::string_view key : kTransparencyKeys) {
    const bool found = std::any_of(written.begin(), written.end(), [&](const std::string& path) {
      return path.find(std::string(key)) != std::string::npos && std::filesystem::exists(path);
    });
    EXPECT_TRUE(found) << key;
  }
  std::filesystem::remove_all(dir);
  expect_error([&] { StageDump missing(dir.string()); }, ErrorCode::kNotFound, "does not exist");

  t.minutiae = {{100, 100, 0, MinutiaType::kEnding, 1}, {200, 200, 1, MinutiaType::kBifurcation, 1}};
  const cv::Mat overlay = render_overlay(testing::concentric_print(), 500, t);
  ASSERT_EQ(overlay.type(), CV_8UC3);
  const cv::Vec3b ending_ring = overlay.at<cv::Vec3b>(100, 104);      // circle, radius 4
  const cv::Vec3b bifurcation_box = overlay.at<cv::Vec3b>(196, 200);  // square side
  EXPECT_GT(ending_ring[2], ending_ring[1]);        // red
  EXPECT_GT(bifurcation_box[1], bifurcation_box[2]);  // green
}

}  // namespace
}  // namespace tuskprint::ridge
