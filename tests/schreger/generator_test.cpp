// The synthetic tusk generator: determinism, manifest, bad arguments.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "datasets/tusks/cross_section.hpp"
#include "datasets/tusks/tusk_set.hpp"
#include "test_images.hpp"

namespace tuskprint::datasets::tusks {
namespace {

cv::Mat render(std::uint64_t seed, int slice) {
  const auto o = schreger::testing::small_options();
  const TuskModel t = sample_tusk(seed, 0, o);
  return render_slice(t, sample_slice(t, seed, 0, slice, o)).bgr;
}

TEST(Generator, SameSeedSameImage) {
  const cv::Mat a = render(5, 0), b = render(5, 0);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);
}

TEST(Generator, OtherSeedOtherImage) {
  const cv::Mat a = render(5, 0), b = render(6, 0);
  EXPECT_TRUE(a.size() != b.size() || cv::norm(a, b, cv::NORM_L1) > 0);
}

TEST(Generator, SlicesOfOneTuskShareTheTuskAndAlternateMirroring) {
  const auto o = schreger::testing::small_options();
  const TuskModel t = sample_tusk(9, 2, o);
  EXPECT_EQ(t.id, "t0002");
  const SliceModel s0 = sample_slice(t, 9, 2, 0, o), s1 = sample_slice(t, 9, 2, 1, o);
  EXPECT_NE(s0.mirrored, s1.mirrored);
  EXPECT_GT(s1.z_mm, s0.z_mm);
}

TEST(Generator, OuterAnglesFollowThePublishedDistributions) {
  GeneratorOptions o;
  double elephant = 0, mammoth = 0;
  o.material = Material::kElephant;
  for (int i = 0; i < 200; ++i) elephant += sample_tusk(1, i, o).angles.outer_deg;
  o.material = Material::kMammoth;
  for (int i = 0; i < 200; ++i) mammoth += sample_tusk(1, i, o).angles.outer_deg;
  EXPECT_NEAR(elephant / 200, 124.2, 2.5);
  EXPECT_NEAR(mammoth / 200, 73.7, 2.5);
}

TEST(TuskSet, WritesImagesAndAManifestThatReadsBack) {
  const auto dir = std::filesystem::temp_directory_path() / "tuskprint_test_tusk_set";
  std::filesystem::remove_all(dir);
  GeneratorOptions o = options_for_species("mixed");
  o.ppi = 100;
  o.cdj_radius_min_mm = 20;
  o.cdj_radius_max_mm = 22;
  const SetManifest m = generate_set(dir.string(), 2, 2, 77, o, "mixed");
  EXPECT_TRUE(std::filesystem::exists(dir / "t0000_000.png"));
  EXPECT_TRUE(std::filesystem::exists(dir / "t0001_001.png"));
  const SetManifest back = load_manifest(dir.string());
  ASSERT_EQ(back.slices_truth.size(), 4u);
  EXPECT_EQ(back.seed, 77u);
  EXPECT_EQ(back.slices_truth[3].tusk_id, "t0001");
  EXPECT_EQ(back.slices_truth[3].slice_index, 1);
  EXPECT_DOUBLE_EQ(back.slices_truth[0].outer_angle_deg, m.slices_truth[0].outer_angle_deg);
  EXPECT_EQ(back.slices_truth[0].angle_profile.size(), m.slices_truth[0].angle_profile.size());
  std::filesystem::remove_all(dir);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(TuskSet, BadArgumentsAreClearErrors) {
  EXPECT_NE(error_of([] { options_for_species("walrus"); }).find("unknown species 'walrus'"), std::string::npos);
  GeneratorOptions o;
  EXPECT_NE(error_of([&] { generate_set("/tmp/x", 0, 1, 1, o, "mixed"); }).find("--tusks"), std::string::npos);
  o.sector_fraction = 2;
  EXPECT_NE(error_of([&] { generate_set("/tmp/x", 1, 1, 1, o, "mixed"); }).find("--sector-fraction"), std::string::npos);
  EXPECT_NE(error_of([] { manifest_from_json("[1,2]"); }).find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of([] { manifest_from_json("{\"items\":[{\"file\":1}]}"); }).find("malformed"), std::string::npos);
  EXPECT_NE(error_of([] { load_manifest("/nonexistent/dir"); }).find("no manifest.json"), std::string::npos);
}

}  // namespace
}  // namespace tuskprint::datasets::tusks
