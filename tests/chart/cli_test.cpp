// `tuskprint chart` and `tuskprint eval verify --plot` through the built binary (skipped
// when it has not been built): clear errors for bad input, pictures and JSON for good.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "datasets/fingerprints/print_dataset.hpp"
#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;

using tuskprint::testing::CliRun;
using tuskprint::testing::Stderr;

// Runs with TUSKPRINT_MODELS pointing at an empty folder, so no LR model is found.
CliRun run(const std::string& args, const fs::path& models, bool merge_stderr = true) {
  return tuskprint::testing::run_tuskprint(args, merge_stderr ? Stderr::kMerged : Stderr::kDiscarded,
                                           "TUSKPRINT_MODELS='" + models.string() + "' ");
}

class ChartCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(std::string(TUSKPRINT_BINARY_DIR) + "/bin/tuskprint")) return;
    dir_ = new fs::path(fs::temp_directory_path() / ("tp-chart-cli-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_ / "models");
    tuskprint::synth::PrintDatasetOptions options;
    options.fingers = 3;
    options.impressions = 2;
    options.seed = 3;
    options.out_dir = *dir_ / "prints";
    tuskprint::synth::write_print_dataset(options, tuskprint::synth::SynthParams{});
  }
  static void TearDownTestSuite() {
    if (dir_ == nullptr) return;
    fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (dir_ == nullptr) GTEST_SKIP() << "tuskprint binary not built";
  }
  static std::string at(const std::string& relative) { return (*dir_ / relative).string(); }
  static CliRun cli(const std::string& args, bool merge_stderr = true) {
    return run(args, *dir_ / "models", merge_stderr);
  }
  static fs::path* dir_;
};
fs::path* ChartCli::dir_ = nullptr;

TEST_F(ChartCli, MissingFileIsNamed) {
  const CliRun r = cli("chart " + at("absent.png") + " " + at("prints/1_1.png") + " -o " + at("x.png"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("absent.png"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(at("x.png")));
}

TEST_F(ChartCli, NonImageIsRefused) {
  std::ofstream(at("words.png")) << "not an image at all";
  const CliRun r = cli("chart " + at("words.png") + " " + at("prints/1_1.png") + " -o " + at("x.png"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("error:"), std::string::npos) << r.output;
}

TEST_F(ChartCli, SchregerNeedsPpi) {
  const CliRun r = cli("chart " + at("prints/1_1.png") + " " + at("prints/1_2.png") + " --schreger -o " + at("x.png"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("--ppi"), std::string::npos) << r.output;
}

TEST_F(ChartCli, FingerResolutionOutOfRangeIsRefused) {
  const CliRun r = cli("chart " + at("prints/1_1.png") + " " + at("prints/1_2.png") + " --ppi-b 2000 -o " + at("x.png"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("2000 ppi"), std::string::npos) << r.output;
}

TEST_F(ChartCli, ExplicitModelThatDoesNotExistIsAnError) {
  const CliRun r = cli("chart " + at("prints/1_1.png") + " " + at("prints/1_2.png") + " --model " +
                       at("models/none.json") + " -o " + at("x.png"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("none.json"), std::string::npos) << r.output;
}

TEST_F(ChartCli, FingerChartJson) {
  const std::string out = at("self.png");
  const CliRun r = cli("chart " + at("prints/2_1.png") + " " + at("prints/2_1.png") + " -o " + out + " --json", false);
  ASSERT_EQ(WEXITSTATUS(r.status), 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_TRUE(j["log10_lr"].is_null());
  EXPECT_GT(j["score"].get<double>(), 0.1);
  EXPECT_GT(j["probe_minutiae"].get<int>(), 5);
  ASSERT_FALSE(j["pairs"].empty());
  for (const auto& pair : j["pairs"]) {
    EXPECT_EQ(pair["probe"]["x"], pair["gallery"]["x"]);
    EXPECT_EQ(pair["probe"]["y"], pair["gallery"]["y"]);
    EXPECT_TRUE(pair.contains("similarity"));
  }
  const cv::Mat picture = cv::imread(out);
  EXPECT_GE(picture.cols, 1000);

  const CliRun other = cli("chart " + at("prints/2_1.png") + " " + at("prints/3_1.png") + " -o " + at("other.png") + " --json", false);
  ASSERT_EQ(WEXITSTATUS(other.status), 0) << other.output;
  EXPECT_LT(nlohmann::json::parse(other.output)["score"].get<double>(), j["score"].get<double>());
}

TEST_F(ChartCli, FingerChartCaptionWithoutModel) {
  const CliRun r = cli("chart " + at("prints/1_1.png") + " " + at("prints/1_2.png") + " -o " + at("pair.png"));
  ASSERT_EQ(WEXITSTATUS(r.status), 0) << r.output;
  EXPECT_NE(r.output.find("LR: no calibration model"), std::string::npos) << r.output;
}

TEST_F(ChartCli, EvalVerifyPlot) {
  const CliRun r = cli("eval verify " + at("prints") + " --plot " + at("plots"));
  ASSERT_EQ(WEXITSTATUS(r.status), 0) << r.output;
  EXPECT_FALSE(cv::imread(at("plots/det.png")).empty());
  EXPECT_FALSE(cv::imread(at("plots/scores.png")).empty());
  EXPECT_NE(r.output.find("det.png"), std::string::npos) << r.output;
}

}  // namespace
