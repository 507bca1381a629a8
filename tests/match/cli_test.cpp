// The CLI's `match` and `eval verify` commands: clear errors for bad input, and (when
// ../shared is present) a small end-to-end run. Runs the built `tuskprint` binary when it
// exists; skipped otherwise.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>
#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;

using tuskprint::testing::CliRun;
using tuskprint::testing::Stderr;

CliRun run(const std::string& args, bool merge_stderr = true) {
  return tuskprint::testing::run_tuskprint(args, merge_stderr ? Stderr::kMerged : Stderr::kDiscarded);
}

std::string fvc_db1() {
  const char* shared = std::getenv("TUSKPRINT_SHARED");
  if (shared == nullptr) return "";
  const std::string dir = std::string(shared) + "/data/fvc2002/DB1_B";
  return fs::exists(dir + "/101_1.tif") ? dir : "";
}

class MatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(std::string(TUSKPRINT_BINARY_DIR) + "/bin/tuskprint")) GTEST_SKIP() << "tuskprint binary not built";
    dir_ = fs::temp_directory_path() / ("tuskprint_match_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(MatchCli, MissingInputFile) {
  const CliRun r = run("match /nonexistent/a.tif /nonexistent/b.tif");
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("error:"), std::string::npos) << r.output;
}

TEST_F(MatchCli, UnknownModeAndBadPpi) {
  std::ofstream(dir_ / "a.png") << "not an image";
  CliRun r = run("match " + (dir_ / "a.png").string() + " " + (dir_ / "a.png").string() + " --mode fastest");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("unknown match mode 'fastest'"), std::string::npos) << r.output;
  r = run("match a b --ppi 20");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--ppi"), std::string::npos) << r.output;
}

TEST_F(MatchCli, EvalVerifyNeedsAnFvcFolder) {
  CliRun r = run("eval verify /nonexistent/set");
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
  std::ofstream(dir_ / "readme.txt") << "x";
  r = run("eval verify " + dir_.string());
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_NE(r.output.find("no FVC images"), std::string::npos) << r.output;
}

TEST_F(MatchCli, EndToEndOnFvcImages) {
  const std::string db1 = fvc_db1();
  if (db1.empty()) GTEST_SKIP() << "FVC2002 DB1_B not available under TUSKPRINT_SHARED";
  // 2 fingers x 3 impressions: 12 genuine and 18 impostor ordered pairs.
  for (const char* name : {"101_1.tif", "101_2.tif", "101_3.tif", "102_1.tif", "102_2.tif", "102_3.tif"}) {
    fs::create_symlink(fs::path(db1) / name, dir_ / name);
  }
  const fs::path csv = dir_ / "scores.csv";
  const CliRun r = run("eval verify " + dir_.string() + " --ppi 500 --json --scores " + csv.string(), false);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  for (const char* key : {"eer", "fmr100", "fmr1000", "zerofmr", "genuine_pairs", "impostor_pairs",
                          "extract_ms_per_image", "comparisons_per_second"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j.size(), 8u);
  EXPECT_EQ(j["genuine_pairs"], 12);
  EXPECT_EQ(j["impostor_pairs"], 18);
  EXPECT_GE(j["eer"].get<double>(), 0.0);
  EXPECT_LE(j["eer"].get<double>(), 100.0);
  std::ifstream in(csv);
  std::string line;
  int lines = 0;
  std::getline(in, line);
  EXPECT_EQ(line, "probe,gallery,score");
  while (std::getline(in, line)) ++lines;
  EXPECT_EQ(lines, 30);

  // An image against itself scores near 1; a template file works as input too.
  const std::string a = (fs::path(db1) / "101_1.tif").string();
  const CliRun self = run("match " + a + " " + a + " --json", false);
  ASSERT_EQ(self.status, 0) << self.output;
  EXPECT_GT(nlohmann::json::parse(self.output)["score"].get<double>(), 0.9);
  // Every minutia with a cylinder pairs with itself under the identity alignment.
  const auto self_json = nlohmann::json::parse(self.output);
  EXPECT_EQ(self_json["paired_minutiae"].get<int>(), self_json["a_cylinders"].get<int>());
  EXPECT_DOUBLE_EQ(self_json["consistency_factor"].get<double>(), 1.0);
  const fs::path tpl = dir_ / "101_1.tpl";
  ASSERT_EQ(run("extract " + a + " -o " + tpl.string()).status, 0);
  const CliRun mixed = run("match " + tpl.string() + " " + a + " --json", false);
  ASSERT_EQ(mixed.status, 0) << mixed.output;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(mixed.output)["score"].get<double>(),
                   nlohmann::json::parse(self.output)["score"].get<double>());
}

}  // namespace
