#include "chart/verification_charts.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <random>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::chart {
namespace {

namespace fs = std::filesystem;

struct Scores {
  std::vector<double> genuine, impostor;
};

// Impostors low and narrow, genuine higher and wide, overlapping a little.
Scores synthetic_scores() {
  std::mt19937 random(7);
  std::normal_distribution<double> impostor(0.2, 0.05), genuine(0.5, 0.12);
  Scores s;
  for (int i = 0; i < 300; ++i) s.genuine.push_back(genuine(random));
  for (int i = 0; i < 3000; ++i) s.impostor.push_back(impostor(random));
  return s;
}

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

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("tp-chart-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

TEST(VerificationCharts, EerThresholdSitsBetweenTheDistributions) {
  const Scores s = synthetic_scores();
  const auto m = match::verification_metrics(s.genuine, s.impostor);
  const double t = eer_threshold(m);
  EXPECT_GT(t, 0.25);
  EXPECT_LT(t, 0.4);
}

TEST(VerificationCharts, WritesDetAndScorePictures) {
  const Scores s = synthetic_scores();
  const auto m = match::verification_metrics(s.genuine, s.impostor);
  const fs::path dir = scratch("verify") / "nested";
  const auto written = write_verification_charts(dir.string(), m, s.genuine, s.impostor, "synthetic");
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(fs::path(written[0]).filename(), "det.png");
  EXPECT_EQ(fs::path(written[1]).filename(), "scores.png");
  for (const auto& path : written) {
    const cv::Mat image = cv::imread(path);
    ASSERT_FALSE(image.empty()) << path;
    EXPECT_GE(image.cols, 800);
    // Not a blank page: the curve and bars are drawn in colour.
    cv::Mat hsv, saturated;
    cv::cvtColor(image, hsv, cv::COLOR_BGR2HSV);
    cv::inRange(hsv, cv::Scalar(0, 120, 60), cv::Scalar(180, 255, 255), saturated);
    EXPECT_GT(cv::countNonZero(saturated), 2000) << path;
  }
  fs::remove_all(dir.parent_path());
}

TEST(VerificationCharts, PerfectSeparationStillDraws) {
  const std::vector<double> genuine = {0.8, 0.9, 0.95}, impostor = {0.1, 0.2, 0.3, 0.25};
  const auto m = match::verification_metrics(genuine, impostor);
  const cv::Mat det = det_chart(m, "separated").render(800, 800);
  EXPECT_EQ(det.rows, 800);
}

TEST(VerificationCharts, PlotFolderThatIsAFileIsRefused) {
  const Scores s = synthetic_scores();
  const auto m = match::verification_metrics(s.genuine, s.impostor);
  const fs::path dir = scratch("file");
  fs::create_directories(dir);
  const fs::path file = dir / "not-a-folder";
  std::ofstream(file) << "x";
  const std::string message = error_message(
      [&] { write_verification_charts(file.string(), m, s.genuine, s.impostor, "x"); },
      ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find("not a folder"), std::string::npos) << message;
  fs::remove_all(dir);
}

TEST(VerificationCharts, EmptyOrNonFiniteScoresAreRefused) {
  const Scores s = synthetic_scores();
  const auto m = match::verification_metrics(s.genuine, s.impostor);
  EXPECT_NE(error_message([&] { score_histogram_chart({}, s.impostor, m, "x"); }, ErrorCode::kInvalidArgument)
                .find("no genuine scores"),
            std::string::npos);
  EXPECT_NE(error_message([&] { score_histogram_chart(s.genuine, {0.1, NAN}, m, "x"); },
                          ErrorCode::kInvalidArgument)
                .find("impostor score 1 is not finite"),
            std::string::npos);
}

}  // namespace
}  // namespace tuskprint::chart
