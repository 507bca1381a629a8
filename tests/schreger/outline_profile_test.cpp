// The size of a cut face: its outer edge to a fraction of a pixel, the size step between two
// registered faces, and the faces' positions along the tusk from such steps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include <opencv2/imgproc.hpp>

#include "expect_error.hpp"
#include "schreger/outer_edge.hpp"
#include "schreger/outline_profile.hpp"

namespace tuskprint::schreger {
namespace {

using tuskprint::schreger::testing::expect_invalid;

constexpr double kPxPerMm = 180.0 / 25.4;
constexpr double kDentineMm = 30.0, kOuterMm = 31.5;  // a 1.5 mm cementum ring
const cv::Point2d kCentre(260, 255);

// Colour distance to the background of a section: 150 grey levels in the dentine, 60 in a
// dark cementum ring, 0 outside; blurred by `blur_px`.
cv::Mat section_distance(double blur_px) {
  cv::Mat d(520, 520, CV_32F);
  for (int y = 0; y < d.rows; ++y)
    for (int x = 0; x < d.cols; ++x) {
      const double r = std::hypot(x - kCentre.x, y - kCentre.y) / kPxPerMm;
      // coverage of the pixel by each zone, antialiased over a pixel
      const double in_dentine = std::clamp((kDentineMm - r) * kPxPerMm + 0.5, 0.0, 1.0);
      const double in_section = std::clamp((kOuterMm - r) * kPxPerMm + 0.5, 0.0, 1.0);
      d.at<float>(y, x) = float(60 * in_section + 90 * in_dentine);
    }
  cv::GaussianBlur(d, d, cv::Size(), blur_px);
  return d;
}

// The mask a threshold of that distance gives.
SectionMask mask_at(const cv::Mat& distance, double threshold) {
  SectionMask m;
  m.distance = distance;
  cv::Mat bin;
  cv::threshold(distance, bin, threshold, 255, cv::THRESH_BINARY);
  bin.convertTo(m.filled, CV_8U);
  m.material = m.filled.clone();
  m.area_fraction = cv::countNonZero(m.filled) / double(m.filled.total());
  m.found = true;
  return m;
}

struct Measured {
  double mask_edge_mm = 0;  // mean radius of the mask's outline
  double min_mm = 1e9, max_mm = 0;
  int columns = 0;
};

Measured measure_profile(double blur_px, double threshold) {
  const SchregerParams p;
  WorkingImage w;
  w.px_per_mm = kPxPerMm;
  const SectionMask mask = mask_at(section_distance(blur_px), threshold);
  const OuterEdge edge = find_outer_edge(mask, p);
  Measured m;
  for (const auto& q : edge.contour) m.mask_edge_mm += std::hypot(q.x - kCentre.x, q.y - kCentre.y) / kPxPerMm;
  m.mask_edge_mm /= double(edge.contour.size());
  const std::vector<float> r = outline_radius_profile(w, mask, edge, kCentre, p);
  EXPECT_EQ(int(r.size()), p.pattern_cols);
  for (float v : r) {
    if (std::isnan(v)) continue;
    ++m.columns;
    m.min_mm = std::min(m.min_mm, double(v)), m.max_mm = std::max(m.max_mm, double(v));
  }
  return m;
}

TEST(OutlineProfile, FindsTheOuterEdgeWhereverTheMaskEnded) {
  // Masks cut at three levels of the distance, on a sharp and on a blurred edge: above the
  // cementum (the mask ends at the dentine, 1.5 mm inside), at a fifth and at four fifths of
  // the cementum's level (the mask ends at different depths of the blurred outer edge).
  for (double blur : {0.7, 2.5})
    for (double threshold : {100.0, 12.0, 48.0}) {
      SCOPED_TRACE(::testing::Message() << "blur " << blur << " px, mask threshold " << threshold);
      const Measured m = measure_profile(blur, threshold);
      if (threshold == 100.0) {
        EXPECT_NEAR(m.mask_edge_mm, kDentineMm, 0.2);  // the premise: the mask lost the ring
      }
      EXPECT_GE(m.columns, 1000);
      EXPECT_GT(m.min_mm, kOuterMm - 0.04);
      EXPECT_LT(m.max_mm, kOuterMm + 0.04);
    }
  // The premise: on the blurred edge the mask's own outline moves with its threshold by more
  // than the few hundredths of a millimetre successive faces differ by.
  EXPECT_GT(measure_profile(2.5, 12.0).mask_edge_mm - measure_profile(2.5, 48.0).mask_edge_mm, 0.15);
}

TEST(OutlineProfile, NoDistanceOrNoArcGivesNoRadius) {
  const SchregerParams p;
  WorkingImage w;
  w.px_per_mm = kPxPerMm;
  SectionMask mask = mask_at(section_distance(1.0), 30);
  const OuterEdge edge = find_outer_edge(mask, p);
  const auto all_nan = [](const std::vector<float>& r) {
    return std::all_of(r.begin(), r.end(), [](float v) { return std::isnan(v); });
  };
  // The premise: with both, the edge is found.
  ASSERT_FALSE(all_nan(outline_radius_profile(w, mask, edge, kCentre, p)));
  OuterEdge no_arc = edge;
  std::fill(no_arc.on_arc.begin(), no_arc.on_arc.end(), false);
  EXPECT_TRUE(all_nan(outline_radius_profile(w, mask, no_arc, kCentre, p)));
  mask.distance = cv::Mat();
  const std::vector<float> r = outline_radius_profile(w, mask, edge, kCentre, p);
  ASSERT_EQ(int(r.size()), p.pattern_cols);
  EXPECT_TRUE(all_nan(r));
}

// A face's outer radius (mm) at angle th: an oval outline with a few bumps.
double outline_at(double th) { return 30 + 0.5 * std::cos(2 * th + 0.3) + 0.1 * std::sin(5 * th + 1); }

TEST(SizeStep, RecoversTheStepBetweenRegisteredFacesWhoseCentresAreEachSlightlyOff) {
  // Face a sees 150 deg of the outer arc, face b (0.2 mm smaller) 200 deg overlapping it;
  // each radius profile is taken around a centre a little off (0.15 mm and 0.12 mm, in
  // different directions), with 0.03 mm of noise and a stain 1 mm proud over 6 columns.
  constexpr int kCols = 1024, kShift = 300;
  constexpr double kStep = 0.2;
  const auto col_angle = [](int j) { return 2 * M_PI * j / kCols; };
  const auto off = [](double th, double ex, double ey) { return -(ex * std::cos(th) + ey * std::sin(th)); };
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0, 0.03);
  for (MirroredFace mode : {MirroredFace::kNeither, MirroredFace::kB, MirroredFace::kA}) {
    SCOPED_TRACE(int(mode));
    std::vector<float> a(kCols, NAN), b(kCols, NAN);
    // b's column j lies on a's column ja(j); a's column k is at physical angle col_angle(k).
    const auto ja = [&](int j) {
      const int k = mode == MirroredFace::kNeither ? j + kShift : mode == MirroredFace::kB ? -j + kShift : -(j + kShift);
      return ((k % kCols) + kCols) % kCols;
    };
    for (int k = 0; k < kCols; ++k) {
      const double th = col_angle(k);
      if (k >= 100 && k < 100 + 150 * kCols / 360)
        a[k] = float(outline_at(th) + off(th, 0.15, 0.0) + noise(rng) + (k >= 200 && k < 206 ? 1.0 : 0.0));
    }
    for (int j = 0; j < kCols; ++j) {
      const int k = ja(j);
      const double th = col_angle(k);
      if (k >= 60 && k < 60 + 200 * kCols / 360) b[j] = float(outline_at(th) - kStep + off(th, -0.06, 0.1) + noise(rng));
    }
    const SizeStep s = outline_agreement(a, b, kShift, mode, 150);
    EXPECT_NEAR(s.columns, 150 * kCols / 360, 2);
    EXPECT_NEAR(s.step_mm, kStep, 0.015);
    // The premise: the median radius difference is off by the centres' offsets.
    std::vector<double> d;
    for (int j = 0; j < kCols; ++j)
      if (!std::isnan(a[ja(j)]) && !std::isnan(b[j])) d.push_back(a[ja(j)] - b[j]);
    std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
    EXPECT_GT(std::abs(d[d.size() / 2] - kStep), 0.05);
    // Too little arc in common: unknown.
    EXPECT_EQ(outline_agreement(a, b, kShift, mode, 600).columns, 0);
  }
  expect_invalid([] { outline_agreement(std::vector<float>(4, 1.f), std::vector<float>(5, 1.f), 0, MirroredFace::kNeither, 1); },
                 "outline profiles of 4 and 5 columns");
}

TEST(OutlineAgreement, TheShapesFitInTheRightRegistrationOnly) {
  // Face b is the mirror image of face a (facing cut faces), 0.1 mm smaller, its column j on
  // a's column -j + 300; each sees 160 deg of a lopsided oval, with 0.02 mm of noise. (An
  // ellipse is its own mirror image about its axes: an arc of one, reversed about an axis,
  // fits itself. The lobes of a real section rarely are.)
  const auto lopsided = [](double th) { return outline_at(th) + 0.25 * std::cos(3 * th + 1.1); };
  constexpr int kCols = 1024, kShift = 300;
  std::mt19937 rng(9);
  std::normal_distribution<double> noise(0, 0.02);
  const auto wrap = [](int k) { return ((k % kCols) + kCols) % kCols; };
  std::vector<float> a(kCols, NAN), b(kCols, NAN);
  for (int k = 0; k < 160 * kCols / 360; ++k) a[std::size_t(k)] = float(lopsided(2 * M_PI * k / kCols) + noise(rng));
  for (int j = 0; j < kCols; ++j) {
    const int k = wrap(-j + kShift);
    if (k < 160 * kCols / 360) b[std::size_t(j)] = float(lopsided(2 * M_PI * k / kCols) - 0.1 + noise(rng));
  }
  const SizeStep right = outline_agreement(a, b, kShift, MirroredFace::kB, 64);
  EXPECT_NEAR(right.step_mm, 0.1, 0.01);
  EXPECT_LT(right.residual_mm, 0.035);  // the two edges' noise, 0.028
  // The same arcs turned against each other: plain (the arc reversed), or mirrored 40 deg off.
  const SizeStep plain = outline_agreement(a, b, 160 * kCols / 360 - kShift, MirroredFace::kNeither, 64);
  const SizeStep turned = outline_agreement(a, b, kShift + 114, MirroredFace::kB, 64);
  ASSERT_GE(plain.columns, 64);
  ASSERT_GE(turned.columns, 64);
  EXPECT_GT(plain.residual_mm, 3 * right.residual_mm);
  EXPECT_GT(turned.residual_mm, 3 * right.residual_mm);
  // Too few columns in common: unknown, residual included.
  const SizeStep none = outline_agreement(a, b, kShift, MirroredFace::kB, 600);
  EXPECT_EQ(none.columns, 0);
  EXPECT_TRUE(std::isnan(none.residual_mm));
}

// Outer radius, column by column, of a circle of radius `radius` whose centre lies `offset` mm
// from the pattern centre toward angle `toward`; NaN outside the arc from `from` to `from + span`.
std::vector<float> offset_circle(double radius, double offset, double toward, double from, double span) {
  constexpr int kCols = 1024;
  std::vector<float> r(kCols, std::numeric_limits<float>::quiet_NaN());
  for (int j = 0; j < kCols; ++j) {
    const double t = 2 * M_PI * j / kCols;  // the profile's column j
    if (std::abs(std::remainder(t - from - span / 2, 2 * M_PI)) > span / 2) continue;
    const double a = t - toward;
    r[std::size_t(j)] = float(offset * std::cos(a) + std::sqrt(radius * radius - std::pow(offset * std::sin(a), 2)));
  }
  return r;
}

TEST(OutlineSize, TheRadiusOfAWholeOutlineWhereverThePulpAndWithinTheOffsetOnAnArc) {
  constexpr double kRadius = 30, kOffset = 2;  // the pulp 2 mm off the outline's centre
  // Whole outline: the shift is fitted, the size is the circle's radius.
  for (double toward : {0.0, 0.7, 2.5})
    EXPECT_NEAR(outline_size_mm(offset_circle(kRadius, kOffset, toward, 0, 2 * M_PI), 64, 0.5), kRadius, 0.05);
  // A chip 3 mm deep along a tenth of the outline is left out of the fit (kept, it would
  // take 0.3 mm off; the halved shift leaks ~0.1 mm into the size over the outline left).
  std::vector<float> chipped = offset_circle(kRadius, kOffset, 0.7, 0, 2 * M_PI);
  for (std::size_t j = 200; j < 300; ++j) chipped[j] -= 3.0f;
  EXPECT_NEAR(outline_size_mm(chipped, 64, 0.5), kRadius, 0.15);
  // A centred arc: exactly its radius.
  EXPECT_NEAR(outline_size_mm(offset_circle(kRadius, 0, 0, 1.0, 2 * M_PI / 3), 64, 0.5), kRadius, 1e-4);
  // A 120-degree piece: the offset along its bisector cannot be told from a smaller or larger
  // tusk and stays in the size; across the bisector it is fitted as the shift.
  for (double toward : {M_PI, M_PI + 0.6, M_PI + 1.0, M_PI / 2, 0.0}) {
    const double size = outline_size_mm(offset_circle(kRadius, kOffset, toward, -M_PI / 3, 2 * M_PI / 3), 64, 0.5);
    EXPECT_LE(std::abs(size - kRadius), kOffset * std::abs(std::cos(toward)) + 0.05) << "toward " << toward;
  }
}

TEST(OutlineSize, TooFewColumnsGiveNoSizeAndANegativeRidgeIsAnError) {
  const std::vector<float> sliver = offset_circle(30, 0, 0, 0, 2 * M_PI * 20 / 1024);
  EXPECT_EQ(outline_size_mm(sliver, 64, 0.5), 0.0);
  EXPECT_NEAR(outline_size_mm(sliver, 10, 0.5), 30.0, 1e-3);
  EXPECT_EQ(outline_size_mm({}, 64, 0.5), 0.0);
  expect_invalid([&] { outline_size_mm(sliver, 10, -1); }, "negative shift ridge");
}

TEST(FacePositions, AMisreadStepMovesThePositionsLittle) {
  // Five faces 0.15 mm apart in size; all ten steps, the one between faces 1 and 3 misread
  // by 0.8 mm (a stain on the rim of one of them).
  const double truth[] = {0.3, 0.15, 0.0, -0.15, -0.3};
  std::vector<FaceStep> steps;
  for (int i = 0; i < 5; ++i)
    for (int j = i + 1; j < 5; ++j) steps.push_back({i, j, truth[i] - truth[j] + (i == 1 && j == 3 ? -0.8 : 0.0)});
  const FacePositions robust = positions_from_steps(5, steps, 0.1);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(robust.x[i], truth[i], 0.05) << i;
    EXPECT_EQ(robust.group[i], 0);
    if (i > 0) {
      EXPECT_LT(robust.x[i], robust.x[i - 1]) << i;
    }
  }
  // The premise: plain least squares puts face 3 past face 2.
  const FacePositions plain = positions_from_steps(5, steps, 1e9);
  EXPECT_GT(plain.x[3], plain.x[2]);
}

TEST(FacePositions, AStepOfLittleWeightMovesThePositionsLittle) {
  // Three faces 0.2 mm apart. Faces 0 and 2 are two short arcs of cut pieces whose step reads
  // the wrong way (-0.4 mm for +0.4): with every step counted the same it turns their order
  // round; weighted at 1/20 of the others, it moves them by less than a hundredth of a mm.
  // (Huber off, so the weight alone is what is tested.)
  std::vector<FaceStep> steps = {{0, 1, 0.2}, {1, 2, 0.2}, {0, 2, -0.4}};
  const FacePositions even = positions_from_steps(3, steps, 1e9);
  EXPECT_LT(even.x[0], even.x[2]);
  steps[2].weight = 0.05;
  const FacePositions weighted = positions_from_steps(3, steps, 1e9);
  EXPECT_NEAR(weighted.x[0] - weighted.x[2], 0.4, 0.01);
  EXPECT_NEAR(weighted.x[0] - weighted.x[1], 0.2, 0.01);
  // Only how the steps weigh against each other counts, not their scale.
  for (FaceStep& s : steps) s.weight *= 30;
  const FacePositions scaled = positions_from_steps(3, steps, 1e9);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(scaled.x[i], weighted.x[i], 1e-9) << i;
  for (const double bad : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
    steps[1].weight = bad;
    expect_invalid([&] { positions_from_steps(3, steps, 0.1); }, "between faces 1 and 2 has weight");
  }
}

TEST(FacePositions, OnlyFacesJoinedBySteps) {
  const FacePositions p = positions_from_steps(5, {{0, 1, 0.2}, {3, 2, 0.1}}, 0.1);
  EXPECT_NEAR(p.x[0] - p.x[1], 0.2, 1e-9);
  EXPECT_NEAR(p.x[3] - p.x[2], 0.1, 1e-9);
  EXPECT_NE(p.group[0], p.group[2]);
  EXPECT_EQ(p.group[0], p.group[1]);
  EXPECT_EQ(p.group[2], p.group[3]);
  EXPECT_EQ(p.group[4], -1);
  EXPECT_TRUE(std::isnan(p.x[4]));
  EXPECT_EQ(positions_from_steps(3, {}, 0.1).group, (std::vector<int>{-1, -1, -1}));
  expect_invalid([] { positions_from_steps(3, {{0, 3, 0.1}}, 0.1); }, "size step between faces 0 and 3 of 3");
  expect_invalid([] { positions_from_steps(3, {{1, 1, 0.1}}, 0.1); }, "faces 1 and 1");
}

}  // namespace
}  // namespace tuskprint::schreger
