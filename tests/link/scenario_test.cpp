// The "done when" scenario: a generated investigation, linked end to end (extraction,
// 1:1 scores, the LR models of models/, the link graph), must give exactly the true
// seizure clusters at log10 LR >= 2 and no false link.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "core/error.hpp"
#include "datasets/scenario/scenario.hpp"
#include "datasets/scenario/scenario_links.hpp"
#include "link/link_render.hpp"

namespace tuskprint::datasets::scenario {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("tuskprint-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}


class ScenarioLinks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(temp_dir("scenario"));
    scenario_ = new Scenario(generate_scenario({1, dir_->string()}));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete scenario_;
    delete dir_;
  }
  static std::filesystem::path* dir_;
  static Scenario* scenario_;
};
std::filesystem::path* ScenarioLinks::dir_ = nullptr;
Scenario* ScenarioLinks::scenario_ = nullptr;

TEST_F(ScenarioLinks, ManifestRecordsTheTruth) {
  const Scenario& s = *scenario_;
  EXPECT_EQ(s.seizures.size(), 7u);
  EXPECT_EQ(s.scans.size(), 21u);
  ASSERT_EQ(s.truth_clusters.size(), 2u);
  EXPECT_THAT(s.truth_clusters[0], ElementsAre("SZ-CHN", "SZ-MYS"));
  EXPECT_THAT(s.truth_clusters[1], ElementsAre("SZ-KEN", "SZ-TZA", "SZ-VNM"));
  ASSERT_EQ(s.truth_links.size(), 4u);
  EXPECT_EQ(s.truth_links[0].seizure_a, "SZ-CHN");
  EXPECT_THAT(s.truth_links[0].sources, ElementsAre("finger:P2", "tusk:T2"));
  for (const ScanRecord& c : s.scans) EXPECT_TRUE(std::filesystem::exists(*dir_ / c.file)) << c.file;
  // Read back: the same records and truth.
  const Scenario back = load_scenario(dir_->string());
  EXPECT_EQ(back.seed, 1u);
  EXPECT_EQ(back.scans.size(), s.scans.size());
  EXPECT_EQ(back.truth_clusters, s.truth_clusters);
  EXPECT_EQ(back.specimens.size(), s.specimens.size());
  EXPECT_EQ(back.specimens[3].cites_mark, s.specimens[3].cites_mark);
}

TEST_F(ScenarioLinks, LinkGraphRecoversTheTrueClustersAndNoFalseOnes) {
  const LrModelPaths models = default_lr_model_paths();  // models/, or $TUSKPRINT_MODELS
  if (!std::filesystem::exists(models.finger) || !std::filesystem::exists(models.schreger))
    GTEST_SKIP() << "LR models not in models/";
  link::LrFunctions lr;
  try {
    lr = load_lr_functions(models);
  } catch (const Error& e) {
    // A model fitted for another scorer version is refused; refitting it is engine/lr's job.
    if (e.code() == ErrorCode::kFailedPrecondition) GTEST_SKIP() << e.what();
    throw;
  }
  const LinkRun run = link_scenario(*scenario_, lr);
  const TruthComparison c = compare_with_truth(*scenario_, run.graph, link::kDefaultMinLog10Lr);
  EXPECT_EQ(c.false_pairs, 0) << ::testing::PrintToString(c.spurious);
  EXPECT_EQ(c.recovered_true_pairs, c.true_pairs) << ::testing::PrintToString(c.missed);
  EXPECT_TRUE(c.clusters_exact);
  // The KEN -> TZA -> VNM network comes back with its route and weight.
  const auto around = link::cluster_around(run.graph, "SZ-VNM", link::kDefaultMinLog10Lr);
  EXPECT_THAT(around.route.countries, ElementsAre("KEN", "TZA", "VNM"));
  EXPECT_EQ(around.route.basis, "role");
  double kg = 0;
  for (const SpecimenRecord& p : scenario_->specimens)
    if (p.seizure_id == "SZ-KEN" || p.seizure_id == "SZ-TZA" || p.seizure_id == "SZ-VNM") kg += p.weight_kg;
  EXPECT_NEAR(around.total_weight_kg, kg, 1e-9);
  // MYS has no role: placed by date before the CHN destination.
  const auto b = link::cluster_around(run.graph, "SZ-MYS", link::kDefaultMinLog10Lr);
  EXPECT_THAT(b.route.countries, ElementsAre("MYS", "CHN"));
  EXPECT_EQ(b.route.basis, "role+date");
  // The decoys stay alone.
  EXPECT_EQ(link::cluster_around(run.graph, "SZ-NGA", link::kDefaultMinLog10Lr).seizures.size(), 1u);
  EXPECT_EQ(link::cluster_around(run.graph, "SZ-THA", link::kDefaultMinLog10Lr).seizures.size(), 1u);
}

TEST(Scenario, BadFoldersAreNamed) {
  try {
    load_scenario("/nonexistent/scenario");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(e.what(), HasSubstr("no scenario manifest at /nonexistent/scenario/manifest.json"));
  }
  const auto dir = temp_dir("bad-scenario");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "manifest.json") << R"({"generator": "tuskprint synth prints"})";
  try {
    load_scenario(dir.string());
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not a scenario manifest (generator 'tuskprint synth prints')"));
  }
  std::ofstream(dir / "manifest.json") << R"({"generator": "tuskprint synth scenario/1", "seed": 1})";
  try {
    load_scenario(dir.string());
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not a valid scenario manifest"));
  }
  std::filesystem::remove_all(dir);
  EXPECT_THROW(generate_scenario({1, ""}), Error);
}

}  // namespace
}  // namespace tuskprint::datasets::scenario

namespace tuskprint::datasets::scenario {
namespace {

// How often the whole scenario comes back exactly, over many seeds (minutes; run with
// --gtest_also_run_disabled_tests, TUSKPRINT_SCENARIO_SEEDS=N for seeds 1..N, default 10).
TEST(ScenarioSeeds, DISABLED_RecoveryOverSeeds) {
  const LrModelPaths models = default_lr_model_paths();
  if (!std::filesystem::exists(models.finger) || !std::filesystem::exists(models.schreger))
    GTEST_SKIP() << "LR models not in models/";
  const link::LrFunctions lr = load_lr_functions(models);
  const char* env = std::getenv("TUSKPRINT_SCENARIO_SEEDS");
  const int seeds = env != nullptr ? std::atoi(env) : 10;
  int exact = 0, false_pairs = 0, true_pairs = 0, found_pairs = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto dir = temp_dir("scenario-seed-" + std::to_string(seed));
    const Scenario s = generate_scenario({std::uint64_t(seed), dir.string()});
    const LinkRun run = link_scenario(s, lr);
    const TruthComparison c = compare_with_truth(s, run.graph, link::kDefaultMinLog10Lr);
    exact += c.clusters_exact ? 1 : 0;
    false_pairs += c.false_pairs;
    true_pairs += c.true_pairs;
    found_pairs += c.recovered_true_pairs;
    std::cout << "seed " << seed << ": " << (c.clusters_exact ? "exact" : "differs") << ", true pairs "
              << c.recovered_true_pairs << "/" << c.true_pairs << ", false pairs " << c.false_pairs
              << ", direct links " << c.direct_links_found << "/" << c.direct_truth_links << ", unusable scans "
              << run.unusable_scans.size() << ", missed " << ::testing::PrintToString(c.missed) << ", spurious "
              << ::testing::PrintToString(c.spurious) << std::endl;
    std::filesystem::remove_all(dir);
  }
  std::cout << "exact " << exact << "/" << seeds << ", true pairs together " << found_pairs << "/" << true_pairs
            << ", false pairs " << false_pairs << std::endl;
  EXPECT_EQ(false_pairs, 0);
}

}  // namespace
}  // namespace tuskprint::datasets::scenario
