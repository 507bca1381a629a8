// The CLI's Schreger commands: clear errors for bad arguments, a measured face with its
// overlay and stage dump (runs the built `tuskprint` binary when it exists; skipped otherwise).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.hpp"

namespace {

using tuskprint::testing::CliRun;

CliRun run(const std::string& args) { return tuskprint::testing::run_tuskprint(args); }

class SchregerCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(std::string(TUSKPRINT_BINARY_DIR) + "/bin/tuskprint"))
      GTEST_SKIP() << "tuskprint binary not built";
  }
  // One whole face of `species` at 200 ppi made by `synth tusks` into a fresh temporary
  // directory `name`; returns the directory (the face is t0000_000.png in it).
  static std::filesystem::path synth_face(const std::string& name, const std::string& species, int seed) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(dir);
    const CliRun r = run("synth tusks --tusks 1 --slices 1 --species " + species + " --seed " + std::to_string(seed) +
                         " --ppi 200 --sector-fraction 0 --out " + dir.string());
    EXPECT_EQ(r.status, 0) << r.output;
    return dir;
  }
};

TEST_F(SchregerCli, MissingImageFile) {
  const CliRun r = run("schreger /nonexistent/section.png --ppi 300");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("error:"), std::string::npos) << r.output;
}

TEST_F(SchregerCli, PpiRequiredAndRanged) {
  CliRun r = run("schreger x.png");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--ppi"), std::string::npos) << r.output;
  r = run("schreger x.png --ppi 5");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--ppi"), std::string::npos) << r.output;
}

TEST_F(SchregerCli, SynthTusksRejectsBadOptions) {
  CliRun r = run("synth tusks --tusks 0 --slices 1 --out /tmp/tp_cli_x");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--tusks"), std::string::npos) << r.output;
  r = run("synth tusks --tusks 1 --slices 1 --species walrus --out /tmp/tp_cli_x");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("walrus"), std::string::npos) << r.output;
}

TEST_F(SchregerCli, MeasuresAGeneratedFaceWithItsSizeAndOverlay) {
  const std::filesystem::path dir = synth_face("tp_cli_schreger_face", "elephant", 5);
  ASSERT_FALSE(HasFailure());
  const std::string overlay = (dir / "overlay.png").string();
  CliRun r = run("schreger " + (dir / "t0000_000.png").string() + " --ppi 200 --json --overlay " + overlay);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto json = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  EXPECT_EQ(json.at("species"), "elephant");
  EXPECT_TRUE(json.at("size_from_outline").get<bool>());
  // The generator's radii: CDJ 20-45 mm, plus a cementum ring.
  EXPECT_GT(json.at("size_mm").get<double>(), 20.0);
  EXPECT_LT(json.at("size_mm").get<double>(), 50.0);
  EXPECT_GT(std::filesystem::file_size(overlay), 0u);
  std::filesystem::remove_all(dir);
}

TEST_F(SchregerCli, DumpsEveryStageForTheExaminer) {
  const std::filesystem::path dir = synth_face("tp_cli_schreger_stages", "mammoth", 6);
  ASSERT_FALSE(HasFailure());
  const std::string face = (dir / "t0000_000.png").string();
  // A missing dump directory is named before any work is done.
  CliRun r = run("schreger " + face + " --ppi 200 --dump-stages " + (dir / "missing").string());
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find((dir / "missing").string()), std::string::npos) << r.output;

  const std::filesystem::path stages = dir / "stages";
  std::filesystem::create_directories(stages);
  r = run("schreger " + face + " --ppi 200 --dump-stages " + stages.string());
  ASSERT_EQ(r.status, 0) << r.output;
  std::set<std::string> keys;
  for (const auto& e : std::filesystem::directory_iterator(stages)) {
    const std::string name = e.path().stem().string();  // "NN-key"
    keys.insert(name.substr(name.find('-') + 1));
    EXPECT_GT(std::filesystem::file_size(e.path()), 0u) << name;
  }
  for (const char* key : {"section-mask", "outer-edge", "section-centre", "polar-unwrap", "cdj", "line-families",
                          "angles", "species", "pattern-map", "link-descriptor"})
    EXPECT_EQ(keys.count(key), 1u) << key;
  std::filesystem::remove_all(dir);
}

TEST_F(SchregerCli, EvalNeedsAnExistingDirectory) {
  const CliRun r = run("eval schreger /nonexistent/set --json");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("/nonexistent/set"), std::string::npos) << r.output;
}

// A second run reads every profile from the cache the first one wrote, and scores the set
// exactly as measuring again would; a profile measured at another ppi is not reused.
TEST_F(SchregerCli, EvalReusesProfilesMeasuredWithTheSameParameters) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tp_cli_eval_cache";
  std::filesystem::remove_all(dir);
  CliRun r = run("synth tusks --tusks 2 --slices 3 --species mixed --seed 31 --ppi 200 --out " + (dir / "set").string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string cache = (dir / "profiles").string();
  auto eval = [&](const std::string& extra) {
    const CliRun e = run("eval schreger " + (dir / "set").string() + " --json --items --profiles " + cache + extra);
    EXPECT_EQ(e.status, 0) << e.output;
    return nlohmann::json::parse(e.output.substr(e.output.find('{')));
  };
  const auto first = eval(" --threads 2");
  EXPECT_EQ(first.at("measured_images"), 6);
  EXPECT_EQ(first.at("cached_profiles"), 0);
  const std::string chart = (dir / "arcs.png").string();
  const auto second = eval(" --chart " + chart);
  EXPECT_EQ(second.at("measured_images"), 0);
  const cv::Mat chart_image = cv::imread(chart);
  EXPECT_FALSE(chart_image.empty()) << chart;
  EXPECT_EQ(second.at("cached_profiles"), 6);
  for (const char* key : {"confusion", "link_rank1_adjacent", "link_probes", "outer_angle_mae_deg", "items", "link_misses"})
    EXPECT_EQ(first.at(key), second.at(key)) << key;
  EXPECT_GT(first.at("link_probes").get<int>(), 0);
  // Linking by the arc a probe shares with its adjacent face: whole sections share all 360 deg,
  // so every probe is in the last bin, and the bins add up to the whole.
  const auto& bins = first.at("link_rank1_adjacent_by_shared_arc");
  ASSERT_EQ(bins.size(), 5u);
  int binned = 0, binned_ok = 0;
  for (const auto& b : bins) binned += b.at("probes").get<int>(), binned_ok += b.at("rank1_adjacent").get<int>();
  EXPECT_EQ(binned, first.at("link_probes").get<int>());
  EXPECT_EQ(bins.back().at("probes").get<int>(), binned);
  EXPECT_EQ(bins.back().at("shared_arc_to_deg").get<double>(), 360.0);
  EXPECT_EQ(binned_ok, std::lround(first.at("link_rank1_adjacent").get<double>() * binned));
  // A manifest without arcs (written before they were recorded) is scored as before, without
  // the split.
  {
    auto manifest = nlohmann::json::parse(std::ifstream(dir / "set" / "manifest.json"));
    for (auto& item : manifest.at("items")) item.erase("arc_start_deg"), item.erase("arc_span_deg");
    std::ofstream(dir / "set" / "manifest.json") << manifest.dump();
    const auto no_arcs = eval("");
    EXPECT_FALSE(no_arcs.contains("link_rank1_adjacent_by_shared_arc"));
    EXPECT_EQ(no_arcs.at("link_rank1_adjacent"), first.at("link_rank1_adjacent"));
    // ... and a chart of it is refused before anything is measured, naming the manifest.
    const CliRun refused = run("eval schreger " + (dir / "set").string() + " --chart " + chart);
    EXPECT_NE(refused.status, 0);
    EXPECT_NE(refused.output.find("manifest.json"), std::string::npos) << refused.output;
    EXPECT_NE(refused.output.find("arc"), std::string::npos) << refused.output;
  }
  // No chart of linking that is not run.
  const CliRun no_link = run("eval schreger " + (dir / "set").string() + " --no-link --chart " + chart);
  EXPECT_NE(no_link.status, 0);
  EXPECT_NE(no_link.output.find("--chart"), std::string::npos) << no_link.output;
  const auto other_ppi = eval(" --ppi 210");
  EXPECT_EQ(other_ppi.at("measured_images"), 6);

  // A cache path that is a file is named.
  r = run("eval schreger " + (dir / "set").string() + " --no-link --profiles " + (dir / "set" / "manifest.json").string());
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("manifest.json"), std::string::npos) << r.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
