// Cut-face linking: invariance of the descriptor, mirrored alignment, bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "schreger/link_compare.hpp"
#include "schreger/link_descriptor.hpp"
#include "schreger/measure.hpp"
#include "schreger/pattern_map.hpp"
#include "test_images.hpp"

namespace tuskprint::schreger {
namespace {

struct Faces {
  LinkFeatures a, a_rotated, b_adjacent, other;
};

const Faces& faces() {
  static const Faces f = [] {
    auto o = testing::small_options();
    o.material = datasets::tusks::Material::kMammoth;
    auto face = [&](int tusk, int slice, double extra_rotation) {
      const auto t = datasets::tusks::sample_tusk(41, tusk, o);
      auto s = datasets::tusks::sample_slice(t, 41, tusk, slice, o);
      s.rotation += extra_rotation;
      return measure(testing::as_scan(datasets::tusks::render_slice(t, s).bgr), testing::kTestPpi).link;
    };
    return Faces{face(0, 0, 0), face(0, 0, 1.1), face(0, 1, 0), face(1, 0, 0)};
  }();
  return f;
}

TEST(LinkDescriptor, FixedLengthAndRotationInvariant) {
  const Faces& f = faces();
  ASSERT_EQ(f.a.descriptor.size(), std::size_t(kLinkDescriptorSize));
  const double same = descriptor_distance(f.a.descriptor, f.a_rotated.descriptor);
  const double other = descriptor_distance(f.a.descriptor, f.other.descriptor);
  // The rotated photograph differs in pixel grid and in lighting relative to the piece.
  EXPECT_LT(same, other);
}

TEST(LinkDescriptor, AdjacentFaceIsNearerThanAnotherTusk) {
  const Faces& f = faces();
  EXPECT_LT(descriptor_distance(f.a.descriptor, f.b_adjacent.descriptor),
            descriptor_distance(f.a.descriptor, f.other.descriptor));
}

TEST(Alignment, AdjacentFacesAlignMirrored) {
  const Faces& f = faces();
  const SchregerParams p;
  const Alignment adj = alignment_score(f.a.polar_map, f.b_adjacent.polar_map, p);
  const Alignment oth = alignment_score(f.a.polar_map, f.other.polar_map, p);
  EXPECT_TRUE(adj.mirrored);
  EXPECT_GT(adj.score, oth.score);
  const double ring_adj = ring_alignment(ring_spectra(f.a.ring_map, false), ring_spectra(f.b_adjacent.ring_map, true), p);
  const double ring_oth = ring_alignment(ring_spectra(f.a.ring_map, false), ring_spectra(f.other.ring_map, true), p);
  EXPECT_GT(ring_adj, ring_oth);
}

TEST(Alignment, SameFaceRotatedAlignsPlainNearTheRotation) {
  const Faces& f = faces();
  const Alignment al = alignment_score(f.a.polar_map, f.a_rotated.polar_map, SchregerParams{});
  EXPECT_FALSE(al.mirrored);
  EXPECT_GT(al.score, 0.5);
  EXPECT_NEAR(std::fmod(al.rotation_deg + 360.0, 360.0), std::fmod(1.1 * 180 / M_PI + 360.0, 360.0), 10.0);
}

TEST(PatternAlignment, TwoCutPiecesSharing15PercentOfTheSmallerOneRegister) {
  // Two pieces of one face's pattern map (band-limited noise, 88 x 1024 cells): columns
  // 0-319 and 272-591, so 48 columns in common, 15 % of either piece. Random pieces of two
  // adjacent faces share less than a fifth of the smaller one often enough to matter.
  const SchregerParams p;
  cv::Mat field(p.pattern_rows, p.pattern_cols, CV_32F);
  cv::RNG rng(7);
  rng.fill(field, cv::RNG::NORMAL, 0.0, 1.0);
  cv::GaussianBlur(field, field, cv::Size(0, 0), 2.0, 1.0);
  auto piece = [&](int from, int to) {
    cv::Mat m(field.size(), CV_32F, cv::Scalar(std::numeric_limits<float>::quiet_NaN()));
    field.colRange(from, to).copyTo(m.colRange(from, to));
    return m;
  };
  const PatternSpectra a = pattern_spectra(piece(0, 320), false, p), b = pattern_spectra(piece(272, 592), false, p);
  const PatternAlignment al = pattern_alignment(a, b, p);
  EXPECT_GT(al.score, 0.9);
  EXPECT_EQ(al.row_shift, 0);
  EXPECT_EQ(al.col_shift, 0);
  EXPECT_EQ(al.overlap, 48 * p.pattern_rows);
  // Needing a fifth of the smaller piece in common (before tuskprint-schreger/1.3), the true
  // registration is never looked at.
  SchregerParams fifth;
  fifth.pattern_min_overlap = 0.2;
  const PatternAlignment before = pattern_alignment(a, b, fifth);
  EXPECT_LT(before.score, 0.5);
  EXPECT_NE(before.col_shift, 0);
}

TEST(Alignment, BadInputIsAClearError) {
  const SchregerParams p;
  cv::Mat a(4, 8, CV_32F, cv::Scalar(0)), b(4, 9, CV_32F, cv::Scalar(0));
  try {
    alignment_score(a, b, p);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("differ in shape"), std::string::npos);
  }
  try {
    descriptor_distance(std::vector<float>(3), std::vector<float>(4));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("differ in length"), std::string::npos);
  }
  try {
    polar_map_from_values(std::vector<float>(5), 2, 3);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected 2 x 3"), std::string::npos);
  }
}


TEST(PatternCentre, RecoveredFromTheCrossingsOfACutPiece) {
  // A cut piece has no pulp: its outline's curvature centre is off the pattern centre (the
  // pulp sits off the outline centre), the crossings' bisectors are not.
  auto o = testing::small_options();
  o.sector_fraction = 1.0;
  auto t = datasets::tusks::sample_tusk(43, 0, o);
  t.pulp_offset_x = 0.1, t.pulp_offset_y = 0.0;  // 2.5 mm
  auto s = datasets::tusks::sample_slice(t, 43, 0, 0, o);
  s.jpeg_quality = 0;
  const auto img = datasets::tusks::render_slice(t, s);
  const SchregerResult r = measure(testing::as_scan(img.bgr), testing::kTestPpi);
  const double mm = 25.4 / testing::kTestPpi;
  const double outline_error = cv::norm(r.centre - img.pattern_centre_px) * mm;
  const double pattern_error = cv::norm(r.pattern_centre - img.pattern_centre_px) * mm;
  EXPECT_TRUE(r.link.pattern_centre_found);
  EXPECT_LT(pattern_error, 0.8) << "outline centre was " << outline_error << " mm off";
  EXPECT_LT(pattern_error, outline_error / 2);
}

TEST(PatternCentre, AFarMoveIsBelievedOnlyWhenAFitAroundItConfirmsIt) {
  // The pattern centre of this cut piece is 5 mm (20 % of the radius) off its pulp; the outline
  // centre ends ~3.4 mm (14 %) off it: farther than a first fit is believed (12 %), so the fit
  // is repeated around where it went.
  auto o = testing::small_options();
  o.sector_fraction = 1.0;
  auto t = datasets::tusks::sample_tusk(43, 0, o);
  t.pulp_offset_x = 0.2, t.pulp_offset_y = 0.0;
  auto s = datasets::tusks::sample_slice(t, 43, 0, 0, o);
  s.jpeg_quality = 0;
  const auto img = datasets::tusks::render_slice(t, s);
  const double mm = 25.4 / testing::kTestPpi;
  const SchregerResult r = measure(testing::as_scan(img.bgr), testing::kTestPpi);
  const double outline_error = cv::norm(r.centre - img.pattern_centre_px) * mm;
  ASSERT_GT(outline_error, 3.0) << "the outline centre should be far off for this test";
  EXPECT_TRUE(r.link.pattern_centre_found);
  EXPECT_LT(cv::norm(r.pattern_centre - img.pattern_centre_px) * mm, 0.8) << "outline centre " << outline_error << " mm off";
  // Without the confirming fit the move is not believed and the map stays on the outline centre.
  SchregerParams no_confirm;
  no_confirm.centre_confirm_shift_frac = no_confirm.centre_max_shift_frac;
  const SchregerResult unconfirmed = measure(testing::as_scan(img.bgr), testing::kTestPpi, no_confirm);
  EXPECT_FALSE(unconfirmed.link.pattern_centre_found);
  EXPECT_GT(cv::norm(unconfirmed.pattern_centre - img.pattern_centre_px) * mm, 3.0);
}

TEST(LinkDescriptor, ACutPieceHasTheSizeOfItsWholeNeighbour) {
  // The size slot is fitted to the outer edge around the pattern centre (outline profile).
  // Before tuskprint-schreger/1.7 it was the CDJ's radius around the section centre, which on
  // this cut piece came out 1.9 mm off its whole neighbour's (the centre of its arc is not the
  // tusk's), and such pieces fell out of the descriptor shortlist.
  auto o = testing::small_options();
  o.sector_fraction = 1.0;
  const auto t = datasets::tusks::sample_tusk(48, 0, o);
  auto s0 = datasets::tusks::sample_slice(t, 48, 0, 0, o), s1 = datasets::tusks::sample_slice(t, 48, 0, 1, o);
  ASSERT_TRUE(s0.sector);
  s1.sector = false;
  s0.jpeg_quality = s1.jpeg_quality = 0;
  const auto r0 = datasets::tusks::render_slice(t, s0), r1 = datasets::tusks::render_slice(t, s1);
  SchregerParams from_cdj;
  from_cdj.link_size_min_outline_columns = 1 << 20;  // never enough columns: the CDJ-based size
  const double mm = 25.4 / testing::kTestPpi;
  auto size_mm = [&](const cv::Mat& bgr, const SchregerParams& p) {
    return measure(testing::as_scan(bgr), testing::kTestPpi, p).link.descriptor.at(kLinkSizeIndex) * p.link_sigma_radius_mm;
  };
  const double piece = size_mm(r0.bgr, {}), whole = size_mm(r1.bgr, {});
  const double piece_cdj = size_mm(r0.bgr, from_cdj), whole_cdj = size_mm(r1.bgr, from_cdj);
  const double offset_mm = std::hypot(t.pulp_offset_x, t.pulp_offset_y) * t.cdj_radius_mm;
  EXPECT_NEAR(whole, r1.outer_radius_px * mm, 0.5);
  EXPECT_NEAR(piece, r0.outer_radius_px * mm, 0.5 + offset_mm) << "pulp " << offset_mm << " mm off centre";
  // An off-centre pulp shifts a piece's size by at most its offset (outline_size_mm).
  EXPECT_LT(std::abs(piece - whole), 0.3 + offset_mm) << "from the CDJ: piece " << piece_cdj << ", whole " << whole_cdj;
  EXPECT_GT(std::abs(piece_cdj - whole_cdj), 0.3 + offset_mm) << "the CDJ-based size was right: no test of the change";
}

TEST(PatternMap, ACutPiecesMapIsScaledByItsJunctionAroundThePatternCentre) {
  // The map's rows are fractions of the CDJ's radius. Before tuskprint-schreger/1.9 that was
  // its mean radius around the section centre, for a cut piece the centre of curvature of its
  // outer edge. On this oval tusk (axis ratio 0.92) neither that centre nor that radius is
  // the tusk's: the piece's map came out 5 % off its whole neighbour's (they registered at
  // scale 0.95), and the registration spent its scale search (+-8 %) on that, not the taper.
  // Now the radius is the junction's mean distance from the pattern centre (the pulp, here
  // 0.75 mm off the tusk's middle).
  auto o = testing::small_options();
  o.sector_fraction = 1.0;
  auto t = datasets::tusks::sample_tusk(43, 0, o);
  t.pulp_offset_x = 0.03, t.pulp_offset_y = 0.0;
  t.axis_ratio = 0.92;
  auto s0 = datasets::tusks::sample_slice(t, 43, 0, 0, o), s1 = datasets::tusks::sample_slice(t, 43, 0, 1, o);
  ASSERT_TRUE(s0.sector);
  s1.sector = false;
  s0.jpeg_quality = s1.jpeg_quality = 0;
  const auto r0 = datasets::tusks::render_slice(t, s0), r1 = datasets::tusks::render_slice(t, s1);
  const SchregerResult piece = measure(testing::as_scan(r0.bgr), testing::kTestPpi);
  const SchregerResult whole = measure(testing::as_scan(r1.bgr), testing::kTestPpi);
  ASSERT_TRUE(piece.cdj_found && whole.cdj_found);
  ASSERT_TRUE(piece.link.pattern_centre_found);
  // Premise: seen from the section centre, the piece's junction is more than 3 % farther or
  // nearer than seen from the pattern centre (a map scaled by it would be that far off).
  auto mean_distance = [](const std::vector<cv::Point2f>& line, cv::Point2d from) {
    double sum = 0;
    for (const cv::Point2f& q : line) sum += cv::norm(cv::Point2d(q) - from);
    return sum / double(line.size());
  };
  ASSERT_FALSE(piece.cdj_line.empty());
  const double from_section = mean_distance(piece.cdj_line, piece.centre);
  const double from_pattern = mean_distance(piece.cdj_line, piece.pattern_centre);
  ASSERT_GT(std::abs(std::log(from_section / from_pattern)), 0.03)
      << "section centre " << from_section << " px, pattern centre " << from_pattern << " px";
  const LinkComparison c = compare_link_faces(prepare_link_face(piece.link), prepare_link_face(whole.link));
  EXPECT_TRUE(c.mirrored_fits_better);
  EXPECT_GT(c.mirrored.score, 0.5);
  // One cut of taper is under 1 %; a map row is 1.3 %.
  EXPECT_LT(std::abs(std::log(c.mirrored.scale)), 0.02) << "scale " << c.mirrored.scale;
}

TEST(LinkScore, AdjacentMirroredFaceScoresHighOtherTuskLow) {
  const Faces& f = faces();
  const LinkFace a = prepare_link_face(f.a), b = prepare_link_face(f.b_adjacent), other = prepare_link_face(f.other);
  const LinkComparison adj = compare_link_faces(a, b);
  const LinkComparison oth = compare_link_faces(a, other);
  EXPECT_TRUE(adj.mirrored_fits_better);
  EXPECT_GT(adj.mirrored.score, 0.4);
  EXPECT_GT(adj.score, oth.score + 0.3);
  EXPECT_LT(oth.mirrored.score, 0.25);
  // Symmetric, and the same when only one face has mirrored transforms.
  EXPECT_NEAR(compare_link_faces(b, a).score, adj.score, 0.02);
  EXPECT_NEAR(compare_link_faces(a, prepare_link_face(f.b_adjacent, {}, false)).score, adj.score, 0.02);
  EXPECT_NEAR(link_score(f.a, f.b_adjacent), adj.score, 1e-9);
}

TEST(LinkScore, SameFaceRotatedRegistersPlainAtItsRotation) {
  const Faces& f = faces();
  const LinkComparison c = compare_link_faces(prepare_link_face(f.a), prepare_link_face(f.a_rotated));
  EXPECT_FALSE(c.mirrored_fits_better);
  EXPECT_GT(c.plain.score, 0.6);
  // a_rotated is a turned by 1.1 rad (63 deg) in the image: turning it back by -63 deg
  // (297 deg) registers it onto a.
  const double d = std::fmod(std::abs(c.plain.rotation_deg - (360 - 1.1 * 180 / M_PI)) + 360.0, 360.0);
  EXPECT_LT(std::min(d, 360 - d), 3.0) << c.plain.rotation_deg;
}

TEST(LinkScore, PulpCavityRadiusIsMeasuredAndNarrowerCavitiesScoreLower) {
  // An open pulp cavity narrows along the tusk: its radius is recorded in the descriptor and
  // a pair of faces whose cavities differ more (further apart along the tusk) scores lower.
  auto o = testing::small_options();
  auto t = datasets::tusks::sample_tusk(47, 0, o);
  t.pulp_cavity = true, t.pulp_radius_frac = 0.15;
  auto s = datasets::tusks::sample_slice(t, 47, 0, 0, o);
  s.sector = false, s.jpeg_quality = 0;
  const SchregerResult r = measure(testing::as_scan(datasets::tusks::render_slice(t, s).bgr), testing::kTestPpi);
  ASSERT_EQ(r.centre_method, "pulp-cavity");
  const double truth_mm = t.pulp_radius_frac * t.cdj_radius_mm;
  EXPECT_NEAR(pulp_radius_mm(r.link.descriptor, {}), truth_mm, 0.05 * truth_mm);

  const SchregerParams p;
  PatternAlignment m, pl;
  m.score = 0.8, pl.score = 0.5;
  const double same = link_score(m, pl, 4.0, 0.0, p);
  EXPECT_NEAR(link_score(m, pl, 4.0, 0.03, p), same - p.pulp_depth_weight * 0.03, 1e-12);
  // A misread cavity costs at most the cap.
  EXPECT_NEAR(link_score(m, pl, 4.0, 2.0, p), same - p.pulp_depth_weight * p.pulp_depth_cap, 1e-12);
  EXPECT_LT(link_score(m, pl, 4.0, 0.09, p), link_score(m, pl, 4.0, 0.03, p));
}

TEST(PatternMap, StainsAreClippedSoTheyDoNotOutweighTheLines) {
  // Dark stains on one face: their edges pass the band-pass many times stronger than the
  // lines. Unclipped (before tuskprint-schreger/1.6) they pull the correlation with the
  // adjacent face down (measured here: 0.44 unclipped, 0.57 clipped at 2 SD).
  auto o = testing::small_options();
  o.material = datasets::tusks::Material::kMammoth;
  const auto t = datasets::tusks::sample_tusk(43, 0, o);
  auto s0 = datasets::tusks::sample_slice(t, 43, 0, 0, o), s1 = datasets::tusks::sample_slice(t, 43, 0, 1, o);
  s0.sector = s1.sector = false;
  const datasets::tusks::RenderedSlice r0 = datasets::tusks::render_slice(t, s0);
  cv::Mat stained = r0.bgr.clone();
  const double rad = r0.cdj_radius_px;
  for (int k = 0; k < 5; ++k) {
    const double th = 2 * M_PI * k / 5 + 0.3, rr = rad * (0.45 + 0.1 * k);
    const cv::Point c(int(r0.pattern_centre_px.x + rr * std::cos(th)), int(r0.pattern_centre_px.y + rr * std::sin(th)));
    cv::circle(stained, c, int(0.08 * rad), cv::Scalar(25, 30, 40), cv::FILLED, cv::LINE_AA);
  }
  const cv::Mat adjacent = datasets::tusks::render_slice(t, s1).bgr;
  const SchregerParams clipped;
  ASSERT_GT(clipped.pattern_clamp_sd, 0);
  SchregerParams unclipped = clipped;
  unclipped.pattern_clamp_sd = 0;
  auto ncc = [&](const SchregerParams& p, bool check_bound) {
    const LinkFeatures a = measure(testing::as_scan(stained), testing::kTestPpi, p).link;
    const LinkFeatures b = measure(testing::as_scan(adjacent), testing::kTestPpi, p).link;
    if (check_bound) {
      double lo = 0, hi = 0;
      cv::Mat finite = a.pattern_map.clone();
      cv::patchNaNs(finite, 0.0);
      cv::minMaxLoc(finite, &lo, &hi);
      EXPECT_LE(std::max(-lo, hi), p.pattern_clamp_sd + 1e-6);
      EXPECT_GE(std::max(-lo, hi), p.pattern_clamp_sd - 1e-6) << "nothing was clipped: no test of the clip";
    }
    return compare_link_faces(prepare_link_face(a, p), prepare_link_face(b, p), p).mirrored.score;
  };
  const double with_clip = ncc(clipped, true), without = ncc(unclipped, false);
  EXPECT_GT(with_clip, without + 0.06) << "with the clip " << with_clip << ", without " << without;
}

TEST(LinkScore, ProfilesRoundTripAndStaleOnesAreRefused) {
  const SchregerResult r = measure(testing::clean_section(120, 17), testing::kTestPpi);
  const LinkFeatures back = link_features_from_profile(r.profile);
  EXPECT_EQ(back.descriptor, r.link.descriptor);
  ASSERT_EQ(back.pattern_map.size(), r.link.pattern_map.size());
  // The stored map is quantised: it still registers onto the original almost perfectly.
  EXPECT_GT(compare_link_faces(prepare_link_face(back), prepare_link_face(r.link)).plain.score, 0.97);
  v1::SchregerProfile stale = r.profile;
  stale.set_parameters_hash("feedface");
  try {
    link_features_from_profile(stale);
    FAIL() << "a profile of another parameter set was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
    EXPECT_NE(std::string(e.what()).find("re-measure the scan"), std::string::npos);
  }
  v1::SchregerProfile cut = r.profile;
  cut.set_link_pattern_map(cut.link_pattern_map().substr(10));
  try {
    link_features_from_profile(cut);
    FAIL() << "a truncated pattern map was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("pattern map has"), std::string::npos);
  }
}

// Two whole faces whose pattern maps read the wrong handedness: b carries a's pattern
// mirrored (the adjacent face) and, more strongly, a plain copy turned elsewhere (in a scan,
// noise that happens to register plain). b's outline is a's oval, mirrored as the pattern's
// mirror image says. The outline's shape fits in the mirrored registration and not in the
// plain one, and turns the reading.
TEST(LinkHandedness, TheOutlinesShapeTurnsAPatternThatReadsTheWrongHandedness) {
  const SchregerParams p;
  const int rows = p.pattern_rows, cols = p.pattern_cols, s = 300, t = 611;
  cv::Mat field(rows, cols, CV_32F), noise(rows, cols, CV_32F);
  cv::RNG rng(11);
  rng.fill(field, cv::RNG::NORMAL, 0.0, 1.0);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
  cv::GaussianBlur(field, field, cv::Size(0, 0), 2.0, 1.0);
  cv::GaussianBlur(noise, noise, cv::Size(0, 0), 2.0, 1.0);
  cv::Mat b_map(rows, cols, CV_32F);
  const auto wrap = [&](int j) { return ((j % cols) + cols) % cols; };
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < cols; ++j)
      b_map.at<float>(r, j) = 0.55f * field.at<float>(r, wrap(-j + s)) + 0.75f * field.at<float>(r, wrap(j + t)) +
                              0.3f * noise.at<float>(r, j);
  // An oval with a few lobes (mm), b 0.05 mm smaller, its column j on a's column -j + s.
  const auto radius = [&](int k) {
    const double th = 2 * M_PI * k / cols;
    return 38 + 0.6 * std::cos(2 * th + 0.4) + 0.15 * std::cos(3 * th + 2) + 0.08 * std::sin(5 * th);
  };
  std::vector<float> a_outline(static_cast<std::size_t>(cols)), b_outline(static_cast<std::size_t>(cols));
  std::normal_distribution<double> edge_noise(0, 0.015);
  std::mt19937 gen(3);
  for (int j = 0; j < cols; ++j) {
    a_outline[std::size_t(j)] = float(radius(j) + edge_noise(gen));
    b_outline[std::size_t(j)] = float(radius(wrap(-j + s)) - 0.05 + edge_noise(gen));
  }
  LinkFeatures fa, fb;
  fa.descriptor.assign(kLinkDescriptorSize, 0.f);
  fb.descriptor.assign(kLinkDescriptorSize, 0.f);
  fa.pattern_map = field, fb.pattern_map = b_map;
  fa.outline_mm = a_outline, fb.outline_mm = b_outline;

  const LinkComparison c = compare_link_faces(prepare_link_face(fa, p), prepare_link_face(fb, p), p);
  // The premise: the pattern alone reads "plain", and the mirrored registration is the true one.
  ASSERT_GT(c.plain.score, c.mirrored.score + 0.05);
  ASSERT_EQ(c.mirrored.col_shift, s);
  EXPECT_LT(c.outline_mirrored.residual_mm, 0.04);
  EXPECT_GT(c.outline_plain.residual_mm, 0.3);
  EXPECT_GT(c.handedness, 0);
  EXPECT_TRUE(c.mirrored_fits_better);
  // The size step comes from the registration read as the right one.
  EXPECT_NEAR(c.size.step_mm, 0.05, 0.01);
  // The link score (1:1, the LR model's input) does not use the outline.
  SchregerParams pattern_only = p;
  pattern_only.link_shape_handedness_weight = 0;
  const LinkComparison before = compare_link_faces(prepare_link_face(fa, p), prepare_link_face(fb, p), pattern_only);
  EXPECT_FALSE(before.mirrored_fits_better);
  EXPECT_NEAR(before.score, c.score, 1e-12);
  EXPECT_NE(pattern_only.ranking_hash(), p.ranking_hash());
  EXPECT_EQ(pattern_only.hash(), p.hash());

  // A circular outline fits either way and leaves the reading to the pattern.
  for (int j = 0; j < cols; ++j) {
    fa.outline_mm[std::size_t(j)] = float(38 + edge_noise(gen));
    fb.outline_mm[std::size_t(j)] = float(37.95 + edge_noise(gen));
  }
  const LinkComparison round = compare_link_faces(prepare_link_face(fa, p), prepare_link_face(fb, p), p);
  EXPECT_FALSE(round.mirrored_fits_better);
  EXPECT_LT(std::abs(round.handedness - (round.mirrored.score - round.plain.score)), 0.05);
}

}  // namespace
}  // namespace tuskprint::schreger
