#include "plot/chart.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <unistd.h>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::plot {
namespace {

template <typename F>
std::string error_message(F&& f, ErrorCode expected = ErrorCode::kInvalidArgument) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no Error thrown";
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Pure-ish vermillion pixels: the line colour, never used by grid, text or frame.
cv::Mat vermillion_mask(const cv::Mat& image) {
  cv::Mat mask;
  cv::inRange(image, cv::Scalar(0, 60, 180), cv::Scalar(40, 130, 240), mask);
  return mask;
}

// Mean row of the masked pixels.
double mean_row(const cv::Mat& mask) {
  const cv::Moments m = cv::moments(mask, true);
  return m.m01 / m.m00;
}

Chart linear_chart() {
  Chart chart;
  chart.title("Test").x_axis("x", Scale::kLinear, 0, 1).y_axis("y", Scale::kLinear, 0, 1);
  return chart;
}

TEST(Chart, RendersAtRequestedSize) {
  Chart chart = linear_chart();
  chart.add_line("a", {0, 1}, {0, 1}, palette::kBlue);
  for (auto [w, h] : {std::pair{800, 600}, {240, 240}, {1600, 900}}) {
    const cv::Mat image = chart.render(w, h);
    EXPECT_EQ(image.cols, w);
    EXPECT_EQ(image.rows, h);
    EXPECT_EQ(image.type(), CV_8UC3);
  }
}

TEST(Chart, LineIsDrawnWhereItsValuesSay) {
  Chart empty = linear_chart();
  EXPECT_EQ(cv::countNonZero(vermillion_mask(empty.render(800, 600))), 0);

  Chart low = linear_chart(), high = linear_chart();
  low.add_line("", {0.1, 0.9}, {0.25, 0.25}, palette::kVermillion);
  high.add_line("", {0.1, 0.9}, {0.75, 0.75}, palette::kVermillion);
  const cv::Mat low_mask = vermillion_mask(low.render(800, 600));
  const cv::Mat high_mask = vermillion_mask(high.render(800, 600));
  ASSERT_GT(cv::countNonZero(low_mask), 300);
  ASSERT_GT(cv::countNonZero(high_mask), 300);
  // Image rows grow downwards: the higher line sits in a smaller row, about half the plot
  // height above the lower one.
  EXPECT_LT(mean_row(high_mask) + 150, mean_row(low_mask));
  // The line spans 80 % of the plot width: its pixels spread across most of the image.
  cv::Rect box = cv::boundingRect(low_mask);
  EXPECT_GT(box.width, 400);
  EXPECT_LT(box.height, 8);
}

TEST(Chart, ProbitAxisPutsHalfInTheMiddle) {
  Chart chart;
  chart.x_axis("FMR", Scale::kProbit, 0.01, 0.99).y_axis("FNMR", Scale::kProbit, 0.01, 0.99);
  chart.add_line("", {0.5, 0.5}, {0.02, 0.98}, palette::kVermillion);
  const cv::Mat mask = vermillion_mask(chart.render(800, 800));
  const cv::Rect box = cv::boundingRect(mask);
  // Symmetric range around 0.5: the vertical line sits in the middle of the plot area,
  // which itself is right of the image centre (y labels on the left) by less than 80 px.
  const double centre = box.x + box.width / 2.0;
  EXPECT_GT(centre, 400);
  EXPECT_LT(centre, 480);
}

TEST(Chart, HistogramTintsItsBars) {
  Chart chart;
  chart.x_axis("score").y_axis("count");
  chart.add_histogram("genuine", {0, 1, 2, 3}, {5, 10, 2}, palette::kVermillion);
  const cv::Mat image = chart.render(800, 600);
  cv::Mat tint;
  // Vermillion at 35 % over white.
  cv::inRange(image, cv::Scalar(150, 180, 240), cv::Scalar(175, 210, 255), tint);
  EXPECT_GT(cv::countNonZero(tint), 10000);
}

TEST(Chart, EmptyAndMismatchedSeriesAreRefused) {
  Chart chart;
  EXPECT_TRUE(contains(error_message([&] { chart.add_line("fnmr", {}, {}, palette::kBlue); }),
                       "'fnmr' has no points"));
  EXPECT_TRUE(contains(error_message([&] { chart.add_line("fnmr", {1, 2}, {1}, palette::kBlue); }),
                       "2 x values but 1 y values"));
  EXPECT_TRUE(contains(error_message([&] { chart.add_line("fnmr", {1, NAN}, {1, 2}, palette::kBlue); }),
                       "not finite"));
  EXPECT_TRUE(contains(error_message([&] { chart.add_histogram("g", {0, 1}, {}, palette::kBlue); }),
                       "no bins"));
  EXPECT_TRUE(contains(error_message([&] { chart.add_histogram("g", {0, 1}, {1, 2}, palette::kBlue); }),
                       "needs 3 bin edges"));
  EXPECT_TRUE(contains(error_message([&] { chart.add_histogram("g", {0, 2, 1}, {1, 2}, palette::kBlue); }),
                       "must increase"));
  EXPECT_TRUE(contains(error_message([&] { chart.add_histogram("g", {0, 1, 2}, {1, -2}, palette::kBlue); }),
                       "not negative"));
}

TEST(Chart, EmptyAxisRangesAreRefused) {
  Chart chart;
  EXPECT_TRUE(contains(error_message([&] { chart.x_axis("score", Scale::kLinear, 1, 1); }),
                       "min must be below max"));
  EXPECT_TRUE(contains(error_message([&] { chart.y_axis("count", Scale::kLinear, 2, 1); }),
                       "y axis 'count'"));
  EXPECT_TRUE(contains(error_message([&] { chart.x_axis("FMR", Scale::kProbit, 0, 0.5); }),
                       "probit"));
  EXPECT_TRUE(contains(error_message([&] { chart.x_axis("n", Scale::kLog10, -1, 10); }),
                       "log10"));
}

TEST(Chart, ValuesOutsideTheScaleDomainAreRefusedWhenRendering) {
  Chart chart;
  chart.x_axis("size", Scale::kLog10, 1, 100).y_axis("y");
  chart.add_line("sizes", {1, 0, 10}, {1, 2, 3}, palette::kBlue);
  const std::string message = error_message([&] { chart.render(800, 600); });
  EXPECT_TRUE(contains(message, "line 'sizes'")) << message;
  EXPECT_TRUE(contains(message, "index 1")) << message;
  EXPECT_TRUE(contains(message, "log10")) << message;

  Chart det;
  det.x_axis("FMR", Scale::kProbit).y_axis("FNMR", Scale::kProbit);
  det.add_line("det", {0.5, 0.1, 0.0}, {0.01, 0.1, 0.5}, palette::kBlue);
  EXPECT_TRUE(contains(error_message([&] { det.render(800, 600); }), "probit"));
}

TEST(Chart, NoDataAndNoRangeIsRefused) {
  Chart chart;
  chart.x_axis("x").y_axis("y");
  EXPECT_TRUE(contains(error_message([&] { chart.render(800, 600); }), "no data"));
}

TEST(Chart, BadSizesAreRefused) {
  Chart chart = linear_chart();
  EXPECT_TRUE(contains(error_message([&] { chart.render(100, 600); }), "chart size 100x600"));
  EXPECT_TRUE(contains(error_message([&] { chart.render(800, 20000); }), "chart size"));
}

TEST(Chart, AutomaticRangesCoverTheData) {
  Chart chart;
  chart.x_axis("x").y_axis("y", Scale::kLog10);
  chart.add_line("", {3, 17}, {0.02, 300}, palette::kVermillion);
  const cv::Mat mask = vermillion_mask(chart.render(800, 600));
  EXPECT_GT(cv::countNonZero(mask), 300);
}

TEST(Chart, SavesPng) {
  const auto dir = std::filesystem::temp_directory_path() / ("tp-plot-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Chart chart = linear_chart();
  chart.add_line("a", {0, 1}, {0, 1}, palette::kBlue);
  const auto path = (dir / "chart.png").string();
  chart.save_png(path, 640, 480);
  const cv::Mat read = cv::imread(path);
  EXPECT_EQ(read.cols, 640);
  EXPECT_EQ(read.rows, 480);
  const std::string message = error_message(
      [&] { chart.save_png((dir / "missing" / "chart.png").string()); }, ErrorCode::kInternal);
  EXPECT_TRUE(contains(message, "missing")) << message;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tuskprint::plot
