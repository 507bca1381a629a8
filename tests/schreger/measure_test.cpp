// Whole-pipeline behaviour on bad, blank and non-ivory input, profile and transparency.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "core/error.hpp"
#include "core/transparency.hpp"
#include "schreger/measure.hpp"
#include "schreger/params.hpp"
#include "datasets/tusks/tusk_set.hpp"
#include "test_images.hpp"

namespace tuskprint::schreger {
namespace {

using datasets::tusks::LookalikeKind;
using datasets::tusks::Material;

image::DecodedImage plain(int w, int h, int value) {
  return testing::as_scan(cv::Mat(h, w, CV_8UC3, cv::Scalar(value, value, value)));
}

// One face of a generated set (`synth tusks --species mixed --seed SEED --ppi PPI
// --sector-fraction F --lighting L --jpeg-quality 60 [--no-cementum-fraction C]`), rendered in
// memory.
struct GeneratedFace {
  datasets::tusks::TuskModel tusk;
  datasets::tusks::SliceModel slice;
  image::DecodedImage scan;
};
GeneratedFace generated_face(std::uint64_t seed, int tusk, int slice, double ppi, double sector_fraction,
                             double lighting, double no_cementum_fraction = 0) {
  datasets::tusks::GeneratorOptions o = datasets::tusks::options_for_species("mixed");
  o.ppi = ppi, o.sector_fraction = sector_fraction, o.jpeg_quality = 60, o.lighting = lighting;
  o.no_cementum_fraction = no_cementum_fraction;
  GeneratedFace f{datasets::tusks::sample_tusk(seed, tusk, o), {}, {}};
  f.slice = datasets::tusks::sample_slice(f.tusk, seed, tusk, slice, o);
  f.scan = testing::as_scan(datasets::tusks::render_slice(f.tusk, f.slice).bgr);
  return f;
}

// Measures `f` and checks the junction, the call and the outer angle (within 2 deg of the
// model's).
void measured_as(const GeneratedFace& f, double ppi, bool cdj_found, SpeciesCall species) {
  const SchregerResult r = measure(f.scan, ppi);
  EXPECT_EQ(r.cdj_found, cdj_found);
  EXPECT_EQ(r.species, species) << r.reason;
  EXPECT_NEAR(r.angles.outer_mean_deg, f.tusk.angles.outer_deg, 2.0);
}

// measured_as, returning the depth of the junction found (mm inside the outer edge).
double measured_depth_as(const GeneratedFace& f, double ppi, bool cdj_found, SpeciesCall species) {
  double depth_mm = -1;
  transparency::ScopedSink sink([&](const transparency::Item& it) {
    if (it.key == "cdj" && depth_mm < 0) depth_mm = nlohmann::json::parse(it.text).at("depth_mm").get<double>();
  });
  measured_as(f, ppi, cdj_found, species);
  return depth_mm;
}

std::string error_of(const image::DecodedImage& scan, double ppi) {
  try {
    measure(scan, ppi);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.what();
  }
  return "";
}

TEST(Measure, BlankImageIsNotIvory) {
  const SchregerResult r = measure(plain(600, 600, 128), 300);
  EXPECT_EQ(r.species, SpeciesCall::kNotIvory);
  EXPECT_FALSE(r.section_found);
  EXPECT_NE(r.reason.find("no cross-section"), std::string::npos) << r.reason;
  EXPECT_EQ(r.profile.species(), v1::SPECIES_NOT_IVORY);
}

TEST(Measure, TinyImageIsAClearError) {
  const std::string msg = error_of(plain(40, 40, 200), 300);
  EXPECT_NE(msg.find("too small"), std::string::npos) << msg;
  EXPECT_NE(msg.find("40x40"), std::string::npos) << msg;
}

TEST(Measure, BadPpiIsAClearError) {
  const std::string msg = error_of(plain(600, 600, 128), 10);
  EXPECT_NE(msg.find("ppi 10"), std::string::npos) << msg;
}

TEST(Measure, NoiseImageNeverCrashes) {
  cv::Mat noise(500, 500, CV_8UC3);
  cv::randu(noise, 0, 255);
  const SchregerResult r = measure(testing::as_scan(noise), 200);
  EXPECT_EQ(r.species, SpeciesCall::kNotIvory);
}

image::DecodedImage lookalike(LookalikeKind kind, std::uint64_t seed) {
  auto o = testing::small_options();
  o.material = Material::kLookalike;
  datasets::tusks::TuskModel t = datasets::tusks::sample_tusk(seed, 0, o);
  t.lookalike = kind;
  datasets::tusks::SliceModel s = datasets::tusks::sample_slice(t, seed, 0, 0, o);
  return testing::as_scan(datasets::tusks::render_slice(t, s).bgr);
}

TEST(Measure, LookalikesAreNotIvory) {
  for (LookalikeKind k : {LookalikeKind::kBone, LookalikeKind::kHippo, LookalikeKind::kResinUniform,
                          LookalikeKind::kResinLayered, LookalikeKind::kResinChevron}) {
    const SchregerResult r = measure(lookalike(k, 21), testing::kTestPpi);
    EXPECT_EQ(r.species, SpeciesCall::kNotIvory) << datasets::tusks::to_string(k) << ": " << r.reason;
  }
}

TEST(Measure, WithoutCementumTheCallIsIndeterminate) {
  auto o = testing::small_options();
  datasets::tusks::TuskModel t = datasets::tusks::sample_tusk(31, 0, o);
  t.angles.outer_deg = 70;
  t.angles.inner_deg = 35;
  t.cementum_visible = false;
  datasets::tusks::SliceModel s = datasets::tusks::sample_slice(t, 31, 0, 0, o);
  const SchregerResult r = measure(testing::as_scan(datasets::tusks::render_slice(t, s).bgr), testing::kTestPpi);
  EXPECT_FALSE(r.cdj_found);
  EXPECT_EQ(r.species, SpeciesCall::kIndeterminate) << r.reason;
}

TEST(Measure, UnderAStrongLightingGradientTheDarkSectorsAbstainFromTheCdjVote) {
  // A whole elephant section at 210 ppi, lighting gradient 0.7, JPEG 60: the junction is
  // evident in the mean profile, but the dark side's sectors see no junction of their own and
  // pick noise, so fewer than half of all sectors agree on its depth (9 of 24 with
  // tuskprint-schreger/1.4), while at least half of those with an evident step of their own do.
  const GeneratedFace f = generated_face(13301, 2, 1, 210, 0.35, 0.7);
  ASSERT_FALSE(f.slice.sector);
  measured_as(f, 210, true, SpeciesCall::kElephant);
  // With every sector voting, as before tuskprint-schreger/1.2, there was no junction, so no
  // call. Since 1.8 the sectors that see no candidate depth at all abstain from the
  // agreement as well, so the junction is found that way too.
  SchregerParams all_vote;
  all_vote.cdj_min_voters_frac = 1.01;
  const SchregerResult r = measure(f.scan, 210, all_vote);
  EXPECT_TRUE(r.cdj_found);
  EXPECT_EQ(r.species, SpeciesCall::kElephant) << r.reason;
}

TEST(Measure, OneSectorFullOfLineEnergyDoesNotHideTheJunction) {
  // Two faces of set Y (`synth tusks --seed 23301 --ppi 280 --sector-fraction 0.6 --lighting 0.7
  // --no-cementum-fraction 0.1`): t0011_000, a cut piece with one angular sector at a sawn
  // corner whose line energy (its median over the profile) is 4.3 times the median sector's,
  // and up to 200 times within 2 mm of the edge, and t0096_000, a whole face with one sector
  // at 16 times. The other sectors see the junction at one depth, but in the mean over sectors
  // the outlier's own step set the depth, which few sectors then agreed with: with
  // tuskprint-schreger/1.8 neither face had a junction, so no call. The outlying sector is now
  // left out of the mean (it still votes).
  for (const int tusk : {11, 96}) {
    SCOPED_TRACE("t" + std::to_string(tusk) + "_000");
    const GeneratedFace f = generated_face(23301, tusk, 0, 280, 0.6, 0.7, 0.1);
    ASSERT_TRUE(f.tusk.cementum_visible);
    const double depth = measured_depth_as(f, 280, true, SpeciesCall::kElephant);
    EXPECT_NEAR(depth, f.tusk.cementum_mm, 0.5) << "cementum " << f.tusk.cementum_mm << " mm";
  }
}

TEST(Measure, ACutPiecesShortArcIsSampledDenselyEnoughForTenOuterAngles) {
  // Two cut pieces of set Y (`synth tusks --seed 23301 --ppi 280 --sector-fraction 0.6
  // --lighting 0.7 --no-cementum-fraction 0.1`), t0021_002 (outer angle 119.6 deg) and
  // t0111_002 (126.8 deg): their junction is found, but their outer arcs hold fewer than 10
  // places at half-patch steps, so with tuskprint-schreger/1.9 they gave 6 and 7 outer angles
  // and, by rule, no call. Since 1.10 a short arc is sampled at quarter-patch steps.
  for (const int tusk : {21, 111}) {
    SCOPED_TRACE("t" + std::to_string(tusk) + "_002");
    const GeneratedFace f = generated_face(23301, tusk, 2, 280, 0.6, 0.7, 0.1);
    ASSERT_TRUE(f.slice.sector);
    SchregerParams sparse;
    sparse.outer_short_arc_places = 0;
    const SchregerResult before = measure(f.scan, 280, sparse);
    EXPECT_TRUE(before.cdj_found);
    EXPECT_LT(before.angles.outer_count, sparse.min_outer_angles);
    EXPECT_EQ(before.species, SpeciesCall::kIndeterminate) << before.reason;

    const SchregerResult r = measure(f.scan, 280);
    EXPECT_GE(r.angles.outer_count, SchregerParams{}.min_outer_angles);
    EXPECT_GT(r.angles.outer_patches, before.angles.outer_patches);
    EXPECT_TRUE(r.cdj_found);
    EXPECT_EQ(r.species, SpeciesCall::kElephant) << r.reason;
    EXPECT_NEAR(r.angles.outer_mean_deg, f.tusk.angles.outer_deg, 2.0);
  }
  // A whole face's ring is long enough: it is sampled as before.
  const GeneratedFace whole = generated_face(23301, 96, 0, 280, 0.6, 0.7, 0.1);
  ASSERT_FALSE(whole.slice.sector);
  SchregerParams sparse;
  sparse.outer_short_arc_places = 0;
  EXPECT_EQ(measure(whole.scan, 280).angles.outer_patches, measure(whole.scan, 280, sparse).angles.outer_patches);
}

TEST(Measure, OuterPatchesTheLightingLeftWithoutLinesAbstainFromThePatternFraction) {
  // Two cut pieces of mammoth tusks under the generator's strongest lighting gradient:
  // t0127_002 of set W (`--seed 22201 --ppi 190 --sector-fraction 0.55 --lighting 0.8
  // --no-cementum-fraction 0.1`, outer angle 74.5 deg) and t0014_000 of set V (`--seed 26601
  // --ppi 170 --sector-fraction 0.7 --lighting 0.8 --no-cementum-fraction 0.1`, 60.9 deg). Part
  // of their outer ring is washed out and shows no lines; the rest shows the crossings at one
  // angle. Counted against the pattern, the blank patches made it under half the ring, and
  // tuskprint-schreger/1.9 called both not_ivory. Since 1.10 they abstain.
  struct Case { std::uint64_t seed; int tusk, slice; double ppi, sector_fraction; SpeciesCall call; };
  for (const Case& c : {Case{22201, 127, 2, 190, 0.55, SpeciesCall::kIndeterminate},  // 9 angles
                        Case{26601, 14, 0, 170, 0.7, SpeciesCall::kMammoth}}) {
    SCOPED_TRACE("seed " + std::to_string(c.seed) + " t" + std::to_string(c.tusk));
    const GeneratedFace f = generated_face(c.seed, c.tusk, c.slice, c.ppi, c.sector_fraction, 0.8, 0.1);
    ASSERT_TRUE(f.slice.sector);
    SchregerParams all_count;
    all_count.pattern_min_texture = 0;
    const SchregerResult before = measure(f.scan, c.ppi, all_count);
    EXPECT_EQ(before.species, SpeciesCall::kNotIvory) << before.reason;

    const SchregerResult r = measure(f.scan, c.ppi);
    EXPECT_LT(r.angles.outer_textured, r.angles.outer_patches);
    EXPECT_GE(r.angles.pattern_fraction, SchregerParams{}.min_pattern_fraction);
    EXPECT_TRUE(r.cdj_found);
    EXPECT_EQ(r.species, c.call) << r.reason;
    EXPECT_NEAR(r.angles.outer_mean_deg, f.tusk.angles.outer_deg, 2.0);
  }
}

TEST(Measure, UnderAStrongLightingGradientTheCutPiecesJunctionAndAnglesAreFound) {
  // A cut piece of a mammoth tusk (outer angle 78.4 deg, cementum 1.5 mm) at 230 ppi, lighting
  // gradient 0.75, JPEG 60: the dark side's angular sectors are noisy. Half of the sectors
  // agreed on the junction's depth with tuskprint-schreger/1.3, just enough; 14 of 22 do with
  // the background fit and outer edge of 1.4.
  const GeneratedFace f = generated_face(13601, 13, 4, 230, 0.3, 0.75);
  ASSERT_TRUE(f.slice.sector);
  ASSERT_TRUE(f.tusk.cementum_visible);
  measured_as(f, 230, true, SpeciesCall::kMammoth);
}

TEST(Measure, ACutPiecesSawnSidesStayOutOfTheCementumsLineEnergy) {
  // A cut piece (147 deg wedge with its inner part cut off) of an elephant tusk at 230 ppi,
  // lighting gradient 0.75, JPEG 60: its cementum (2.4 mm in the model) is plain to see, but
  // the polar map's columns next to its sawn sides carried the section-background step in
  // their line energy: the mean over the cementum was ~11,000, ~40 times that over the lines,
  // so no depth looked like a smooth ring (before tuskprint-schreger/1.3: no junction, so no
  // call). Without those columns it is ~55.
  const GeneratedFace f = generated_face(13601, 62, 1, 230, 0.3, 0.75);
  ASSERT_TRUE(f.slice.sector);
  ASSERT_TRUE(f.tusk.cementum_visible);
  EXPECT_NEAR(measured_depth_as(f, 230, true, SpeciesCall::kElephant), f.tusk.cementum_mm, 0.5);  // 1.95 mm found
}

TEST(Measure, SectorsThatSeeNoJunctionDoNotVoteForADepth) {
  // A cut piece of an elephant tusk at 150 ppi, lighting gradient 0.7, JPEG 60 (face t0022_001
  // of `synth tusks --seed 17101 --ppi 150 --sector-fraction 0.5 --lighting 0.7`). Seven
  // sectors agree on the junction 2.0-2.15 mm deep; six others see no junction at all.
  // Before tuskprint-schreger/1.8 those six voted with their placeholder depth 0 and, agreeing
  // among themselves, outvoted the junction: no junction, so no call.
  const GeneratedFace f = generated_face(17101, 22, 1, 150, 0.5, 0.7);
  ASSERT_TRUE(f.slice.sector);
  ASSERT_TRUE(f.tusk.cementum_visible);
  EXPECT_NEAR(measured_depth_as(f, 150, true, SpeciesCall::kElephant), f.tusk.cementum_mm, 0.4);
}

TEST(Measure, TheDepthTheSectorsVotedForIsJudgedEvenWhereTheMeanProfileScoresLow) {
  // A mammoth face at 150 ppi under the same conditions (t0099_004 of that set): 23 sectors
  // agree on a junction about 1.4 mm deep, but in the mean profile no depth scores above the
  // search's floor. Before tuskprint-schreger/1.8 the search around the voted depth kept that
  // floor and so found nothing there either.
  const GeneratedFace f = generated_face(17101, 99, 4, 150, 0.5, 0.7);
  ASSERT_TRUE(f.tusk.cementum_visible);
  EXPECT_NEAR(measured_depth_as(f, 150, true, SpeciesCall::kMammoth), f.tusk.cementum_mm, 0.5);
}

TEST(Measure, SectorsClippedByTheLightingAbstainFromTheJunctionsAgreement) {
  // A cut piece of an elephant tusk at 150 ppi under the same conditions (t0084_002 of that
  // set). On the bright side of the lighting gradient the dentine is clipped (tone ~250, line
  // energy ~0) and those sectors see no junction at all; every sector that sees one agrees on
  // it. Before tuskprint-schreger/1.8 the agreement was counted over all 24 sectors, so the
  // clipped ones counted against it: no junction, so no call. The same holds for the typical
  // line energy against which a sector is left out of the mean profile (1.9): taken over all
  // sectors, the clipped ones set it near 0 and every sector that sees the lines was left out.
  const GeneratedFace f = generated_face(17101, 84, 2, 150, 0.5, 0.7);
  ASSERT_TRUE(f.tusk.cementum_visible);
  EXPECT_NEAR(measured_depth_as(f, 150, true, SpeciesCall::kElephant), f.tusk.cementum_mm, 0.5);
  // However few sectors see, a junction needs cdj_min_agreeing_sectors of them at its depth.
  SchregerParams more_than_all;
  more_than_all.cdj_min_agreeing_sectors = more_than_all.cdj_sectors + 1;
  EXPECT_FALSE(measure(f.scan, 150, more_than_all).cdj_found);
}

TEST(Measure, AHueStepJustInsideTheEdgeOfASectionWithoutCementumIsNoJunction) {
  // A whole elephant section (outer angle 130.5 deg) whose cementum was removed, at 200 ppi,
  // lighting gradient 0.7, JPEG 60. Just inside its edge, the edge's blur with the background
  // changes the hue (line energy and tone hardly change): up to tuskprint-schreger/1.3 that was
  // taken for a junction under 0.6 mm deep, and the section was called a species.
  const GeneratedFace f = generated_face(13501, 9, 0, 200, 0.3, 0.7, 1.0);
  ASSERT_FALSE(f.tusk.cementum_visible);
  measured_as(f, 200, false, SpeciesCall::kIndeterminate);
  SchregerParams before;
  before.cdj_hue_only_min_mm = 0;
  EXPECT_TRUE(measure(f.scan, 200, before).cdj_found);
}

TEST(Measure, ProfileCarriesVersionsAnglesAndDescriptor) {
  const SchregerResult r = measure(testing::clean_section(120, 11), testing::kTestPpi);
  const v1::SchregerProfile& p = r.profile;
  EXPECT_EQ(p.extractor_version(), kExtractorVersion);
  EXPECT_EQ(p.parameters_hash(), SchregerParams{}.hash());
  EXPECT_EQ(p.parameters_hash().size(), 64u);
  EXPECT_EQ(p.link_descriptor_size(), kLinkDescriptorSize);
  EXPECT_EQ(std::size_t(p.link_polar_map_size()), std::size_t(p.link_polar_rows()) * p.link_polar_cols());
  EXPECT_EQ(std::size_t(p.link_ring_map_size()), std::size_t(p.link_ring_rows()) * p.link_ring_cols());
  EXPECT_EQ(p.outer_angle_count(), std::uint32_t(r.angles.outer_count));
  int outer = 0;
  for (const auto& a : p.angles()) outer += a.outer();
  EXPECT_GE(outer, 10);
  EXPECT_EQ(p.source_ppi(), 200u);
}

TEST(Measure, ParametersHashChangesWithAConstant) {
  SchregerParams a, b;
  b.elephant_above_deg = 116;
  EXPECT_NE(a.hash(), b.hash());
}

TEST(Measure, TransparencyKeysArePinned) {
  std::set<std::string> keys;
  {
    transparency::ScopedSink sink([&](const transparency::Item& item) { keys.insert(std::string(item.key)); });
    measure(testing::clean_section(80, 12), testing::kTestPpi);
  }
  const std::set<std::string> expected = {"section-mask", "outer-edge",   "section-centre", "polar-unwrap", "cdj",
                                          "line-families", "angles",      "species",        "link-descriptor",
                                          "pattern-centre", "pattern-map"};
  EXPECT_EQ(keys, expected);
}

}  // namespace
}  // namespace tuskprint::schreger
