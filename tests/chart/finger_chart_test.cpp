#include "chart/finger_chart.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/error.hpp"
#include "datasets/fingerprints/print_dataset.hpp"
#include "ridge/template_io.hpp"

namespace tuskprint::chart {
namespace {

namespace fs = std::filesystem;

std::string error_message(const std::function<void()>& f, ErrorCode expected) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no Error thrown";
  return {};
}

// Two synthetic fingers, two impressions each, written once for the whole suite.
class FingerChart : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("tp-chart-finger-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    synth::PrintDatasetOptions options;
    options.fingers = 2;
    options.impressions = 2;
    options.seed = 11;
    options.out_dir = *dir_;
    synth::write_print_dataset(options, synth::SynthParams{});
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  static std::string path(const std::string& name) { return (*dir_ / name).string(); }
  static fs::path* dir_;
};
fs::path* FingerChart::dir_ = nullptr;

TEST_F(FingerChart, ImageWithItselfPairsMinutiaeAtEqualPositions) {
  const FingerSide side = load_finger_side(path("1_1.png"), 500);
  ASSERT_FALSE(side.grey.empty());
  ASSERT_GE(side.finger.minutiae.size(), 10u);
  const FingerComparison c = compare_fingers(side, side);
  ASSERT_GE(c.details.pairs.size(), 4u);
  for (const auto& pair : c.details.pairs) {
    const auto& p = c.probe_minutiae[pair.probe_minutia];
    const auto& g = c.gallery_minutiae[pair.gallery_minutia];
    EXPECT_FLOAT_EQ(p.x, g.x);
    EXPECT_FLOAT_EQ(p.y, g.y);
    EXPECT_FLOAT_EQ(p.direction, g.direction);
  }
  for (std::size_t i = 1; i < c.details.pairs.size(); ++i) {
    EXPECT_GE(c.details.pairs[i - 1].relaxed_similarity, c.details.pairs[i].relaxed_similarity);
  }
  const cv::Mat picture = render_finger_chart(side, side, c, "LR: no calibration model");
  EXPECT_EQ(picture.type(), CV_8UC3);
  EXPECT_GE(picture.cols, 1000);
  // The strongest pairs are drawn in the strong (blue) end of the colour scale.
  cv::Mat blue;
  cv::inRange(picture, similarity_colour(1.0) - cv::Scalar(12, 12, 12), similarity_colour(1.0) + cv::Scalar(12, 12, 12), blue);
  EXPECT_GT(cv::countNonZero(blue), 200);
}

TEST_F(FingerChart, DifferentFingersScoreLower) {
  const FingerSide a = load_finger_side(path("1_1.png"), 500);
  const FingerSide mate = load_finger_side(path("1_2.png"), 500);
  const FingerSide other = load_finger_side(path("2_1.png"), 500);
  const double self = compare_fingers(a, a).details.score;
  const double mated = compare_fingers(a, mate).details.score;
  const double different = compare_fingers(a, other).details.score;
  EXPECT_LT(different, self);
  EXPECT_LT(different, mated);
  const cv::Mat picture = render_finger_chart(a, other, compare_fingers(a, other), "LR: no calibration model");
  EXPECT_FALSE(picture.empty());
}

TEST_F(FingerChart, TemplateFilesLoadWithoutAnImage) {
  const FingerSide from_image = load_finger_side(path("1_1.png"), 500);
  const std::string tpl = path("1_1.tpl");
  ridge::save_template(from_image.finger, tpl);
  const FingerSide from_template = load_finger_side(tpl, 500);
  EXPECT_TRUE(from_template.grey.empty());
  EXPECT_EQ(from_template.finger.minutiae.size(), from_image.finger.minutiae.size());
  const FingerComparison c = compare_fingers(from_image, from_template);
  EXPECT_NEAR(c.details.score, compare_fingers(from_image, from_image).details.score, 1e-6);
  EXPECT_FALSE(render_finger_chart(from_image, from_template, c, "x").empty());
}

TEST_F(FingerChart, MissingFileIsNamed) {
  const std::string missing = path("no-such-print.png");
  const std::string message = error_message([&] { load_finger_side(missing, 500); }, ErrorCode::kNotFound);
  EXPECT_NE(message.find("no-such-print.png"), std::string::npos) << message;
}

TEST_F(FingerChart, NonImageIsRefused) {
  const std::string text = path("notes.png");
  std::ofstream(text) << "this is not an image, just some words in a file";
  const std::string message = error_message([&] { load_finger_side(text, 500); }, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(message.empty());
}

TEST_F(FingerChart, PairsOutsideTheMinutiaListsAreRefused) {
  const FingerSide side = load_finger_side(path("2_2.png"), 500);
  FingerComparison c = compare_fingers(side, side);
  c.details.pairs.push_back({static_cast<int>(c.probe_minutiae.size()), 0, 0.5f, 0.5f});
  const std::string message =
      error_message([&] { render_finger_chart(side, side, c, "x"); }, ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find("outside the minutia lists"), std::string::npos) << message;
}

TEST(SimilarityColour, RunsFromVermillionToBlue) {
  EXPECT_EQ(similarity_colour(0.0), similarity_colour(0.01));
  EXPECT_EQ(similarity_colour(0.5), similarity_colour(0.9));
  EXPECT_NE(similarity_colour(0.01), similarity_colour(0.5));
  EXPECT_GT(similarity_colour(0.5)[0], similarity_colour(0.01)[0]);  // more blue
  EXPECT_LT(similarity_colour(0.5)[2], similarity_colour(0.01)[2]);  // less red
}

}  // namespace
}  // namespace tuskprint::chart
