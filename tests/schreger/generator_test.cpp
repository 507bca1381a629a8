// The synthetic tusk generator: determinism, manifest, bad arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "datasets/tusks/cross_section.hpp"
#include "datasets/tusks/schreger_eval.hpp"
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

// Mixed species, small tusks (20-22 mm to the junction) at `ppi`: quick to render.
GeneratorOptions small_mixed(double ppi) {
  GeneratorOptions o = options_for_species("mixed");
  o.ppi = ppi;
  o.cdj_radius_min_mm = 20;
  o.cdj_radius_max_mm = 22;
  return o;
}

TEST(TuskSet, WritesImagesAndAManifestThatReadsBack) {
  const auto dir = std::filesystem::temp_directory_path() / "tuskprint_test_tusk_set";
  std::filesystem::remove_all(dir);
  const GeneratorOptions o = small_mixed(100);
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

// Each face's arc of the tusk's circumference is the sector it was cut as, in the tusk's own
// frame, and reads back from the manifest.
TEST(TuskSet, RecordsTheArcOfTheCircumferenceEachFaceShows) {
  const auto dir = std::filesystem::temp_directory_path() / "tuskprint_test_tusk_arcs";
  std::filesystem::remove_all(dir);
  GeneratorOptions o = small_mixed(80);
  o.sector_fraction = 0.5;
  const SetManifest m = generate_set(dir.string(), 4, 2, 78, o, "mixed");
  const SetManifest back = load_manifest(dir.string());
  ASSERT_EQ(back.slices_truth.size(), m.slices_truth.size());
  int sectors = 0, whole = 0;
  for (std::size_t i = 0; i < m.slices_truth.size(); ++i) {
    const SliceTruth& t = m.slices_truth[i];
    const SliceModel s = sample_slice(sample_tusk(78, int(i) / 2, o), 78, int(i) / 2, int(i) % 2, o);
    ASSERT_EQ(t.sector, s.sector) << t.file;
    if (t.sector) {
      ++sectors;
      EXPECT_NEAR(t.arc_span_deg, s.sector_span * 180 / M_PI, 1e-9) << t.file;
      EXPECT_GE(t.arc_span_deg, 120.0);
      EXPECT_LE(t.arc_span_deg, 210.0);
      EXPECT_NEAR(std::fmod(t.arc_start_deg - s.sector_start * 180 / M_PI + 720.0, 360.0), 0.0, 1e-9) << t.file;
    } else {
      ++whole;
      EXPECT_EQ(t.arc_start_deg, 0.0);
      EXPECT_EQ(t.arc_span_deg, 360.0);
    }
    EXPECT_GE(t.arc_start_deg, 0.0);
    EXPECT_LT(t.arc_start_deg, 360.0);
    EXPECT_DOUBLE_EQ(back.slices_truth[i].arc_start_deg, t.arc_start_deg);
    EXPECT_DOUBLE_EQ(back.slices_truth[i].arc_span_deg, t.arc_span_deg);
  }
  EXPECT_GT(sectors, 0);
  EXPECT_GT(whole, 0);
  std::filesystem::remove_all(dir);
}

SliceTruth arc(double start, double span) {
  SliceTruth t;
  t.arc_start_deg = start;
  t.arc_span_deg = span;
  return t;
}

TEST(TuskSet, SharedArcOfTwoFaces) {
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(0, 360), arc(0, 360)), 360.0);
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(0, 360), arc(200, 150)), 150.0);
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(200, 150), arc(0, 360)), 150.0);
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(0, 90), arc(180, 90)), 0.0);  // opposite sides
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(10, 120), arc(100, 150)), 30.0);
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(100, 150), arc(10, 120)), 30.0);
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(300, 120), arc(0, 30)), 30.0);   // across 0 deg
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(0, 30), arc(300, 120)), 30.0);
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(0, 200), arc(180, 200)), 40.0);  // overlapping at both ends
  EXPECT_DOUBLE_EQ(shared_arc_deg(arc(0, 200), arc(0, -1)), -1.0);     // not recorded
}

std::string error_of(const std::function<void()>& f);

// The chart of linking by shared arc: bars for the bins with probes; refused without a split.
TEST(EvalChart, LinkingBySharedArc) {
  EvalReport r;
  r.link_gallery = 30;
  EXPECT_THROW(shared_arc_chart(r, "set"), Error);
  r.link_by_shared_arc = {{0, 30, 4, 1}, {30, 60, 0, 0}, {60, 90, 2, 2}, {90, 120, 0, 0}, {120, 360, 20, 19}};
  const cv::Mat image = shared_arc_chart(r, "sets/K3").render(800, 600);
  EXPECT_EQ(image.size(), cv::Size(800, 600));
  auto same = [](const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF) == 0; };
  // The set is named by its folder, with or without a trailing '/'.
  EXPECT_TRUE(same(image, shared_arc_chart(r, "sets/K3/").render(800, 600)));
  EXPECT_FALSE(same(image, shared_arc_chart(r, "sets/K4").render(800, 600)));
  // Bins without probes draw nothing and are not listed.
  EvalReport without_empty = r;
  without_empty.link_by_shared_arc = {{0, 30, 4, 1}, {60, 90, 2, 2}, {120, 360, 20, 19}};
  EXPECT_TRUE(same(image, shared_arc_chart(without_empty, "sets/K3").render(800, 600)));
  r.link_by_shared_arc = {{0, 30, 0, 0}, {120, 360, 0, 0}};
  EXPECT_NE(error_of([&] { shared_arc_chart(r, "set"); }).find("no linking probes"), std::string::npos);
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
  const std::string bad_arc = error_of([] {
    manifest_from_json(R"({"items":[{"file":"a.png","tusk_id":"t0","slice_index":0,"species":"elephant",)"
                       R"("ppi":300,"arc_start_deg":10,"arc_span_deg":400}]})");
  });
  EXPECT_NE(bad_arc.find("arc_span_deg"), std::string::npos) << bad_arc;
  EXPECT_NE(bad_arc.find("a.png"), std::string::npos) << bad_arc;
  // A manifest written before arcs were recorded still reads, with the arc unknown.
  const SetManifest old = manifest_from_json(
      R"({"items":[{"file":"a.png","tusk_id":"t0","slice_index":0,"species":"elephant","ppi":300}]})");
  ASSERT_EQ(old.slices_truth.size(), 1u);
  EXPECT_LT(old.slices_truth[0].arc_span_deg, 0.0);
}

}  // namespace
}  // namespace tuskprint::datasets::tusks
