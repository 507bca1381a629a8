// `tuskprint calibrate`: evaluate on a small model, clear errors for bad input, and a tiny
// end-to-end Schreger fit. Runs the built `tuskprint` binary; skipped when it is missing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "lr/lr_model.hpp"
#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;
using tuskprint::lr::CalibrationMethod;
using tuskprint::lr::LrModel;
using tuskprint::lr::ScoreSet;

using tuskprint::testing::CliRun;

CliRun run(const std::string& args) { return tuskprint::testing::run_tuskprint(args); }

class CalibrateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(std::string(TUSKPRINT_BINARY_DIR) + "/bin/tuskprint")) GTEST_SKIP() << "tuskprint binary not built";
    dir_ = fs::temp_directory_path() / ("tuskprint_lr_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const ScoreSet fit{{0.05, 0.08, 0.12, 0.3}, {0.01, 0.015, 0.02, 0.012, 0.03, 0.008}};
    const LrModel m("lr-finger-v1", "finger", "h", tuskprint::lr::fit_calibration(fit, CalibrationMethod::kPav));
    std::ofstream(dir_ / "model.json") << m.to_json();
    std::ofstream(dir_ / "scores.txt") << "genuine 0.2\ngenuine 0.09\ngenuine 0.01\nimpostor 0.01\nimpostor 0.011\n";
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(CalibrateCli, EvaluatePrintsJsonAndDrawsTippett) {
  const CliRun r = run("calibrate evaluate --model " + path("model.json") + " --scores " + path("scores.txt") +
                       " --json --tippett " + path("tippett.png"));
  ASSERT_EQ(WEXITSTATUS(r.status), 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j.at("genuine_pairs"), 3);
  EXPECT_EQ(j.at("impostor_pairs"), 2);
  EXPECT_NEAR(j.at("rmep").get<double>(), 1.0 / 3.0, 1e-5);  // the genuine 0.01 gets LR < 1
  EXPECT_EQ(j.at("rmed"), 0.0);
  EXPECT_GE(j.at("cllr").get<double>(), j.at("cllr_min").get<double>());
  EXPECT_EQ(j.at("model"), "lr-finger-v1");
  EXPECT_GT(fs::file_size(path("tippett.png")), 1000u);
  const CliRun plain = run("calibrate evaluate --model " + path("model.json") + " --scores " + path("scores.txt"));
  EXPECT_NE(plain.output.find("Cllr_min"), std::string::npos) << plain.output;
}

TEST_F(CalibrateCli, EvaluateRefusesBadInput) {
  std::ofstream(path("bad.json")) << R"({"format": "tuskprint-lr-model", "format_version": 9})";
  CliRun r = run("calibrate evaluate --model " + path("bad.json") + " --scores " + path("scores.txt"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("format_version 9 is not supported"), std::string::npos) << r.output;
  std::ofstream(path("one-class.txt")) << "genuine 0.2\n";
  r = run("calibrate evaluate --model " + path("model.json") + " --scores " + path("one-class.txt"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("has no impostor scores"), std::string::npos) << r.output;
  std::ofstream(path("typo.txt")) << "genuine 0.2\nimpostr 0.1\n";
  r = run("calibrate evaluate --model " + path("model.json") + " --scores " + path("typo.txt"));
  EXPECT_NE(r.output.find("line 2: label 'impostr'"), std::string::npos) << r.output;
  r = run("calibrate evaluate --model " + path("none.json") + " --scores " + path("scores.txt"));
  EXPECT_NE(r.output.find("cannot read LR model file"), std::string::npos) << r.output;
}

TEST_F(CalibrateCli, FingerNeedsData) {
  const CliRun r = run("calibrate finger --out " + path("m.json"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("nothing to fit on"), std::string::npos) << r.output;
  const CliRun bad = run("calibrate finger --fvc /nonexistent --dbs 1,7 --out " + path("m.json"));
  EXPECT_NE(bad.output.find("'7' is not 1, 2, 3 or 4"), std::string::npos) << bad.output;
}

TEST_F(CalibrateCli, SchregerFitEndToEnd) {
  // Four elephant tusks, two faces each: a tiny but complete run (fit on tusks 0 and 2,
  // held out 1 and 3). The figures mean nothing at this size; the file must be complete.
  const CliRun r = run("calibrate schreger --tusks 4 --slices 2 --seed 3 --species elephant --sector-fraction 0 "
                       "--method pav --out " + path("s.json") + " --write-scores " + path("s") + " --json");
  ASSERT_EQ(WEXITSTATUS(r.status), 0) << r.output;
  const LrModel m = LrModel::load(path("s.json"));
  EXPECT_EQ(m.modality(), "schreger");
  EXPECT_EQ(m.version(), "lr-schreger-v1");
  EXPECT_EQ(m.provenance().at("fitting").at("method"), "pav");
  EXPECT_EQ(m.provenance().at("command"),
            "tuskprint calibrate schreger --tusks 4 --slices 2 --seed 3 --species elephant --sector-fraction 0 "
            "--out s.json --method pav");
  EXPECT_TRUE(fs::exists(path("s-fit.txt")));
  const CliRun e = run("calibrate evaluate --model " + path("s.json") + " --scores " + path("s-held-out.txt"));
  EXPECT_EQ(WEXITSTATUS(e.status), 0) << e.output;
}

}  // namespace
