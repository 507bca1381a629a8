#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "datasets/fingerprints/print_dataset.hpp"

namespace tuskprint::synth {
namespace {
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class SynthPrintDataset : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("tuskprint_synth_ds_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

void expect_invalid(const PrintDatasetOptions& o, const std::string& fragment) {
  try {
    write_print_dataset(o, SynthParams());
    FAIL() << "expected an error containing '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST_F(SynthPrintDataset, SameSeedGivesByteIdenticalFilesInTheFvcLayout) {
  PrintDatasetOptions o;
  o.fingers = 2;
  o.impressions = 2;
  o.seed = 31;
  o.out_dir = root_ / "a";
  const PrintDatasetSummary s = write_print_dataset(o, SynthParams());
  EXPECT_EQ(s.images, 4);
  o.out_dir = root_ / "b";
  write_print_dataset(o, SynthParams());
  for (const char* name : {"1_1.png", "1_2.png", "2_1.png", "2_2.png", "1_1.json", "2_2.json", "manifest.json"}) {
    ASSERT_TRUE(fs::exists(root_ / "a" / name)) << name;
    EXPECT_EQ(slurp(root_ / "a" / name), slurp(root_ / "b" / name)) << name;
  }
  o.seed = 32;
  o.out_dir = root_ / "c";
  write_print_dataset(o, SynthParams());
  EXPECT_NE(slurp(root_ / "a" / "1_1.png"), slurp(root_ / "c" / "1_1.png"));

  const auto manifest = nlohmann::json::parse(slurp(root_ / "a" / "manifest.json"));
  EXPECT_EQ(manifest.at("ppi"), 500);
  EXPECT_EQ(manifest.at("seed"), 31);
  EXPECT_EQ(manifest.at("parameters_hash"), parameters_hash(SynthParams()));
  ASSERT_EQ(manifest.at("images").size(), 4u);
  const auto& first = manifest.at("images").at(0);
  EXPECT_EQ(first.at("image"), "1_1.png");
  EXPECT_EQ(first.at("minutiae_file"), "1_1.json");
  EXPECT_TRUE(first.contains("transform"));
  EXPECT_TRUE(first.contains("class"));
  const auto truth = nlohmann::json::parse(slurp(root_ / "a" / "1_1.json"));
  EXPECT_EQ(truth.at("ppi"), 500);
  EXPECT_EQ(minutiae_from_json(truth.at("minutiae")).size(), first.at("minutiae_count").get<std::size_t>());
}

TEST_F(SynthPrintDataset, LatentSetIsAt1000PpiAndDeterministic) {
  PrintDatasetOptions o;
  o.fingers = 1;
  o.impressions = 1;
  o.latent = true;
  o.seed = 8;
  o.out_dir = root_ / "a";
  write_print_dataset(o, SynthParams());
  o.out_dir = root_ / "b";
  write_print_dataset(o, SynthParams());
  EXPECT_EQ(slurp(root_ / "a" / "1_1.png"), slurp(root_ / "b" / "1_1.png"));
  EXPECT_EQ(slurp(root_ / "a" / "manifest.json"), slurp(root_ / "b" / "manifest.json"));
  const auto manifest = nlohmann::json::parse(slurp(root_ / "a" / "manifest.json"));
  EXPECT_EQ(manifest.at("ppi"), 1000);
  EXPECT_EQ(manifest.at("kind"), "latent-ivory");
  EXPECT_EQ(manifest.at("images").at(0).at("ppi"), 1000);
  EXPECT_TRUE(manifest.at("images").at(0).contains("surface"));
}

TEST_F(SynthPrintDataset, BadArgumentsGiveClearErrors) {
  PrintDatasetOptions o;
  o.fingers = 0;
  o.impressions = 2;
  o.out_dir = root_ / "x";
  expect_invalid(o, "--fingers must be between 1 and 100000 (got 0)");
  o.fingers = 1;
  o.impressions = 0;
  expect_invalid(o, "--impressions must be between 1 and 100 (got 0)");
  o.impressions = 1;
  std::ofstream(root_ / "a-file") << "x";
  o.out_dir = root_ / "a-file" / "sub";
  expect_invalid(o, "cannot create output directory");
  o.out_dir = root_ / "a-file";
  expect_invalid(o, "is not a directory");
  o.out_dir = "";
  expect_invalid(o, "--out must name an output directory");
}

TEST_F(SynthPrintDataset, CliReportsBadArgumentsWithExitCodeTwo) {
  const fs::path cli = fs::path(TUSKPRINT_BINARY_DIR) / "bin" / "tuskprint";
  if (!fs::exists(cli)) GTEST_SKIP() << "tuskprint CLI not built";
  const fs::path err = root_ / "stderr.txt";
  auto run = [&](const std::string& args) {
    const std::string cmd = cli.string() + " " + args + " > /dev/null 2> " + err.string();
    const int status = std::system(cmd.c_str());
    return WEXITSTATUS(status);
  };
  EXPECT_EQ(run("synth prints --fingers 0 --impressions 2 --out " + (root_ / "o").string()), 2);
  EXPECT_NE(slurp(err).find("--fingers must be between 1"), std::string::npos) << slurp(err);
  EXPECT_EQ(run("synth prints --fingers 1 --impressions 1 --class loopy --out " + (root_ / "o").string()), 2);
  EXPECT_NE(slurp(err).find("unknown finger class 'loopy'"), std::string::npos) << slurp(err);
  EXPECT_EQ(run("synth templates --fingers 2 --mates 0 --out " + (root_ / "t.bin").string()), 2);
  EXPECT_NE(slurp(err).find("--mates must be at least 1"), std::string::npos) << slurp(err);
  EXPECT_EQ(run("synth templates --fingers 3 --mates 2 --seed 4 --out " + (root_ / "t.bin").string()), 0);
  EXPECT_TRUE(fs::exists(root_ / "t.bin"));
}

}  // namespace
}  // namespace tuskprint::synth
