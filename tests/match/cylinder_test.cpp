#include "match/cylinder.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>

#include "core/error.hpp"
#include "match/convex_hull.hpp"
#include "match/parameters.hpp"

namespace tuskprint::match {
namespace {

// A 5 x 5 grid of minutiae 40 px apart, plus one isolated minutia far away.
std::vector<ridge::Minutia> grid_layout(bool with_isolated) {
  std::vector<ridge::Minutia> minutiae;
  for (int r = 0; r < 5; ++r) {
    for (int c = 0; c < 5; ++c) {
      ridge::Minutia m;
      m.x = 100 + 40.0f * static_cast<float>(c);
      m.y = 100 + 40.0f * static_cast<float>(r);
      m.direction = 0.3f * static_cast<float>(r + c);
      minutiae.push_back(m);
    }
  }
  if (with_isolated) {
    ridge::Minutia far;
    far.x = 900;
    far.y = 900;
    minutiae.push_back(far);
  }
  return minutiae;
}

TEST(MatchCylinder, InCircleCellCountMatchesGeometry) {
  const CylinderSet set = make_cylinders(grid_layout(false));
  int expected = 0;
  const float step = 2 * 70.0f / 16;
  for (int i = 1; i <= 16; ++i)
    for (int j = 1; j <= 16; ++j) {
      const float ox = step * (i - 8.5f), oy = step * (j - 8.5f);
      expected += ox * ox + oy * oy <= 70.0f * 70.0f ? 1 : 0;
    }
  EXPECT_EQ(set.in_circle_cells, expected);
  EXPECT_EQ(set.cells, 1536);
  EXPECT_EQ(set.words, 24);
  EXPECT_EQ(set.base_words, 4);
}

TEST(MatchCylinder, ValidityFollowsHullAndNeighbours) {
  const auto minutiae = grid_layout(true);
  const CylinderSet set = make_cylinders(minutiae);
  ASSERT_EQ(set.status.size(), minutiae.size());
  // Centre minutia (row 2, col 2): its whole circle lies inside the grown hull.
  EXPECT_EQ(set.status[12], CylinderStatus::kValid);
  // Corners: about 83 % of the circle stays inside the hull grown by 50 px: still valid.
  for (int corner : {0, 4, 20, 24}) {
    EXPECT_EQ(set.status[corner], CylinderStatus::kValid) << "corner " << corner;
  }
  // The isolated minutia has no neighbour within R + 3 sigma_S.
  EXPECT_EQ(set.status.back(), CylinderStatus::kTooFewNeighbourMinutiae);
  EXPECT_STREQ(to_string(set.status.back()), "too-few-neighbour-minutiae");

  int valid = 0;
  for (auto s : set.status) valid += s == CylinderStatus::kValid ? 1 : 0;
  EXPECT_EQ(set.size(), valid);
  // Cylinders map back to their minutiae.
  for (int c = 0; c < set.size(); ++c) {
    EXPECT_EQ(set.status[set.minutia[c]], CylinderStatus::kValid);
  }
  // The centre cylinder has every in-circle cell valid.
  const auto centre = std::find(set.minutia.begin(), set.minutia.end(), 12) - set.minutia.begin();
  EXPECT_EQ(set.valid_base_cells[centre], set.in_circle_cells);
}

TEST(MatchCylinder, LineEndsHaveTooFewValidCells) {
  // Minutiae on a line 30 px apart: the grown hull is a 100 px wide stadium. Inner
  // cylinders keep about 82 % of their cells, the two ends about 64 % (< 75 %).
  std::vector<ridge::Minutia> line;
  for (int i = 0; i < 8; ++i) line.push_back({200 + 30.0f * static_cast<float>(i), 300, 0.0f});
  const CylinderSet set = make_cylinders(line);
  EXPECT_EQ(set.status.front(), CylinderStatus::kTooFewValidCells);
  EXPECT_EQ(set.status.back(), CylinderStatus::kTooFewValidCells);
  EXPECT_STREQ(to_string(set.status.front()), "too-few-valid-cells");
  for (int i = 3; i <= 4; ++i) EXPECT_EQ(set.status[i], CylinderStatus::kValid) << i;
}

TEST(MatchCylinder, BitFormIsTheFloatFormCutAtHalf) {
  const CylinderSet set = make_cylinders(grid_layout(false));
  ASSERT_GT(set.size(), 0);
  int ones = 0;
  for (int c = 0; c < set.size(); ++c) {
    const float* v = set.values_of(c);
    const auto* bits = set.bits_of(c);
    const auto* mask = set.mask_of(c);
    for (int cell = 0; cell < set.cells; ++cell) {
      const bool bit = (bits[cell / 64] >> (cell % 64)) & 1;
      const bool valid = (mask[cell / 64] >> (cell % 64)) & 1;
      EXPECT_EQ(valid, set.base_mask_of(c)[cell % set.base_cells] > 0);
      if (!valid) {
        EXPECT_FALSE(bit);
        EXPECT_EQ(v[cell], 0.0f);
        continue;
      }
      // sigmoid(mu) = 1/2: the bit is set exactly when the float value reaches 1/2.
      if (std::fabs(v[cell] - 0.5f) > 1e-4f) {
        EXPECT_EQ(bit, v[cell] > 0.5f) << "cell " << cell;
      }
      ones += bit ? 1 : 0;
    }
  }
  EXPECT_GT(ones, 0);
}

TEST(MatchCylinder, RotatingTheLayoutKeepsTheCylinders) {
  auto minutiae = grid_layout(false);
  const CylinderSet a = make_cylinders(minutiae);
  // Rotate by 90 degrees CCW (y up): (x, y_up) -> (-y_up, x), i.e. image (x, y) -> (y, -x).
  for (auto& m : minutiae) {
    const float x = m.x, y = m.y;
    m.x = y;
    m.y = -x + 1000;
    m.direction = std::fmod(m.direction + std::numbers::pi_v<float> / 2, 2 * std::numbers::pi_v<float>);
  }
  const CylinderSet b = make_cylinders(minutiae);
  ASSERT_EQ(a.size(), b.size());
  // A 90 degree turn maps the cell grid onto itself: values agree cell by cell.
  for (int c = 0; c < a.size(); ++c) {
    for (int cell = 0; cell < a.cells; ++cell) {
      ASSERT_NEAR(a.values_of(c)[cell], b.values_of(c)[cell], 2e-3f) << "cylinder " << c << " cell " << cell;
    }
  }
}

TEST(MatchCylinder, RejectsNonFiniteMinutiae) {
  auto minutiae = grid_layout(false);
  minutiae[3].x = std::nanf("");
  try {
    make_cylinders(minutiae);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("minutia 3"), std::string::npos) << e.what();
  }
}

TEST(MatchCylinder, RejectsGridsThatDoNotFillWords) {
  MccParameters p;
  p.spatial_cells = 12;
  try {
    make_cylinders(grid_layout(false), p);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("multiple of 8"), std::string::npos) << e.what();
  }
}

TEST(MatchCylinder, ForegroundMaskInvalidatesCellsOffTheFinger) {
  const auto minutiae = grid_layout(false);
  // Foreground: blocks of 8 px covering x < 180 only (the grid spans x = 100..260).
  ForegroundMask mask;
  mask.block = 8;
  mask.cols = 50;
  mask.rows = 50;
  mask.cells.assign(2500, 0);
  for (int r = 0; r < 50; ++r)
    for (int c = 0; c < 180 / 8; ++c) mask.cells[r * 50 + c] = 1;
  MccParameters with_mask;
  with_mask.use_foreground = true;
  const CylinderSet plain = make_cylinders(minutiae, with_mask);
  const CylinderSet masked = make_cylinders(minutiae, with_mask, &mask);
  EXPECT_EQ(plain.status[12], CylinderStatus::kValid);
  EXPECT_EQ(masked.status[12], CylinderStatus::kTooFewValidCells);  // half its circle is off-finger
  EXPECT_EQ(masked.status[4], CylinderStatus::kTooFewValidCells);   // right column: x = 260
  // The switch in the parameters turns the mask off.
  MccParameters without;
  without.use_foreground = false;
  EXPECT_EQ(make_cylinders(minutiae, without, &mask).size(), plain.size());
  // A mask whose size does not match its grid is refused.
  mask.cells.pop_back();
  EXPECT_THROW(make_cylinders(minutiae, with_mask, &mask), Error);
}

TEST(MatchConvexHull, GrownHullContainsMarginBand) {
  const GrownConvexHull hull({{0, 0}, {100, 0}, {100, 100}, {0, 100}, {50, 50}}, 10);
  EXPECT_EQ(hull.vertices().size(), 4u);
  EXPECT_TRUE(hull.contains({50, 50}));
  EXPECT_TRUE(hull.contains({-9, 50}));
  EXPECT_FALSE(hull.contains({-11, 50}));
  EXPECT_TRUE(hull.contains({107, 107}));   // 9.9 px from the corner
  EXPECT_FALSE(hull.contains({108, 108}));  // 11.3 px
  const GrownConvexHull point({{5, 5}}, 3);
  EXPECT_TRUE(point.contains({7, 5}));
  EXPECT_FALSE(point.contains({9, 5}));
  const GrownConvexHull empty({}, 3);
  EXPECT_FALSE(empty.contains({0, 0}));
}

TEST(MatchConvexHull, DiscTestNeverClaimsAPointOutside) {
  const GrownConvexHull hull({{0, 0}, {200, 0}, {220, 150}, {100, 260}, {-20, 140}}, 50);
  int inside = 0;
  for (float cx = -50; cx <= 250; cx += 10) {
    for (float cy = -50; cy <= 300; cy += 10) {
      if (!hull.contains_disc({cx, cy}, 70)) continue;
      ++inside;
      for (int k = 0; k < 72; ++k) {
        const float a = static_cast<float>(k) * 0.0872665f;
        ASSERT_TRUE(hull.contains({cx + 70 * std::cos(a), cy + 70 * std::sin(a)})) << cx << "," << cy;
      }
    }
  }
  EXPECT_GT(inside, 5);
  EXPECT_TRUE(hull.contains_disc({100, 120}, 70));
  EXPECT_FALSE(hull.contains_disc({0, 0}, 70));
}

TEST(MatchParameters, HashChangesWithAnyParameter) {
  MccParameters p;
  const std::string base = parameters_hash(p);
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base, parameters_hash(default_parameters()));
  p.relaxation_weight = 0.4f;
  EXPECT_NE(parameters_hash(p), base);
  // The global consistency constants are part of the hash too.
  MccParameters q;
  q.global_consistency = false;
  EXPECT_NE(parameters_hash(q), base);
  q = MccParameters{};
  q.consistency_distance = 12;
  EXPECT_NE(parameters_hash(q), base);
  q = MccParameters{};
  q.consistency_exponent = 1;
  EXPECT_NE(parameters_hash(q), base);
  q = MccParameters{};
  q.consistency_alignments = 3;
  EXPECT_NE(parameters_hash(q), base);
}

}  // namespace
}  // namespace tuskprint::match
