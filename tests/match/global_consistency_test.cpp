// Global consistency factor (engine/match/global_consistency.hpp): alignment recovery,
// normalisation by the minutiae in the common area, and its effect on scores.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "match/convex_hull.hpp"
#include "match/cylinder_similarity.hpp"
#include "match/global_consistency.hpp"
#include "match/matcher.hpp"
#include "synthetic_minutiae.hpp"

namespace tuskprint::match {
namespace {

using testing::moved_copy;
using testing::random_template;

GlobalScore relaxed(const MatchTemplate& a, const MatchTemplate& b) {
  const auto gamma = local_similarity_matrix(a.cylinders(), b.cylinders(), CylinderForm::kBit);
  return global_score(a.cylinders(), b.cylinders(), gamma, Consolidation::kLssRelaxed);
}

TEST(MatchConsistency, MovedCopyPairsEveryMinutiaAndRecoversTheAlignment) {
  const auto source = random_template(21);
  const float angle = 0.3f;
  const MatchTemplate a(source);
  const MatchTemplate b(moved_copy(source, angle, 15, -25, 1.5f, 0.05f, 4));
  const GlobalScore g = relaxed(a, b);
  const GlobalConsistency c = global_consistency(a.cylinders(), b.cylinders(), g.pairs);
  EXPECT_GE(c.paired, a.cylinders().size() - 2);
  EXPECT_GT(c.factor, 0.85);
  EXPECT_NEAR(c.alignment.rotation, angle, 0.03);
  EXPECT_EQ(g.paired_minutiae, c.paired);
  EXPECT_DOUBLE_EQ(g.consistency_factor, c.factor);
  EXPECT_NEAR(g.score, g.consolidated_score * std::sqrt(c.factor), 1e-12);
}

// Synthetic templates are dense (18 px spacing) and their directions follow similar smooth
// flows, so chance pairs do occur; still far fewer than for a mate (factor above 0.85).
TEST(MatchConsistency, UnrelatedTemplatesPairFewMinutiae) {
  double sum = 0;
  const int count = 12;
  for (unsigned seed = 30; seed < 30 + count; ++seed) {
    const MatchTemplate a(random_template(seed));
    const MatchTemplate b(random_template(seed + 100));
    const GlobalScore g = relaxed(a, b);
    const GlobalConsistency c = global_consistency(a.cylinders(), b.cylinders(), g.pairs);
    EXPECT_LT(c.factor, 0.5) << seed << ": " << c.paired << " paired of " << c.overlap_a << " / "
                             << c.overlap_b;
    sum += c.factor;
  }
  EXPECT_LT(sum / count, 0.25);
}

// A partial print (one side of the finger) against the full print: only the minutiae in the
// common area count, so the factor stays high although most of the full print is unpaired.
TEST(MatchConsistency, PartialOverlapIsNormalisedByTheCommonArea) {
  const auto full = random_template(41, 60, 360, 400);
  ridge::FingerTemplate part = full;
  part.minutiae.clear();
  for (const auto& m : full.minutiae) {
    if (m.x < 200) part.minutiae.push_back(m);
  }
  ASSERT_GE(part.minutiae.size(), 20u);
  const MatchTemplate a(moved_copy(part, -0.2f, 10, 10, 1.0f, 0.04f, 5));
  const MatchTemplate b(full);
  const GlobalScore g = relaxed(a, b);
  const GlobalConsistency c = global_consistency(a.cylinders(), b.cylinders(), g.pairs);
  EXPECT_LT(c.overlap_b, b.cylinders().size() - 10);
  EXPECT_GT(c.factor, 0.6) << c.paired << " paired of " << c.overlap_a << " / " << c.overlap_b;
}

// Issue #5: a gallery template with very many (false) minutiae should not score well
// against probes through chance pairs. The same print with 60 extra random minutiae scores
// lower against its mate than the clean print does, and no higher against non-mates than
// clean templates do on average.
TEST(MatchConsistency, ExtraMinutiaeLowerTheScoreInsteadOfRaisingIt) {
  const auto clean = random_template(51);
  ridge::FingerTemplate cluttered = clean;
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> ux(20, 300), uy(20, 340), ud(0, 6.28f);
  for (int i = 0; i < 60; ++i) {
    ridge::Minutia m;
    m.x = ux(rng);
    m.y = uy(rng);
    m.direction = ud(rng);
    cluttered.minutiae.push_back(m);
  }
  const MatchTemplate probe(moved_copy(clean, 0.2f, 5, 5, 1.5f, 0.05f, 6));
  const MatchTemplate clean_gallery(clean), cluttered_gallery(cluttered);
  const GlobalScore with_clean = relaxed(probe, clean_gallery);
  const GlobalScore with_cluttered = relaxed(probe, cluttered_gallery);
  EXPECT_LT(with_cluttered.consistency_factor, 0.8 * with_clean.consistency_factor);
  EXPECT_LT(score(probe, cluttered_gallery), score(probe, clean_gallery));
}

TEST(MatchConsistency, NoAnchorsNoConsistency) {
  const MatchTemplate a(random_template(61));
  const GlobalConsistency c = global_consistency(a.cylinders(), a.cylinders(), {});
  EXPECT_EQ(c.paired, 0);
  EXPECT_EQ(c.factor, 0.0);
}

TEST(MatchConsistency, SwitchedOffGivesThePaperScore) {
  MccParameters off;
  off.global_consistency = false;
  const auto source = random_template(71);
  const MatchTemplate a(source, off), b(moved_copy(source, 0.1f, 5, 5, 2.0f, 0.08f, 7), off);
  const MatchTemplate a_on(source), b_on(moved_copy(source, 0.1f, 5, 5, 2.0f, 0.08f, 7));
  const MatchDetails d_off = match_details(a, b);
  const MatchDetails d_on = match_details(a_on, b_on);
  EXPECT_DOUBLE_EQ(d_off.score, d_off.consolidated_score);
  EXPECT_DOUBLE_EQ(d_off.consistency_factor, 1.0);
  EXPECT_DOUBLE_EQ(d_on.consolidated_score, d_off.score);
  EXPECT_LE(d_on.score, d_off.score);
}

TEST(MatchConvexOutline, ContainsWithinTheMarginOnly) {
  const ConvexOutline square({{0, 0}, {100, 0}, {100, 100}, {0, 100}, {50, 50}});
  EXPECT_EQ(square.vertices().size(), 4u);
  EXPECT_TRUE(square.contains({50, 50}, 0));
  EXPECT_TRUE(square.contains({105, 50}, 10));
  EXPECT_FALSE(square.contains({115, 50}, 10));
  EXPECT_FALSE(square.contains({-11, 50}, 10));
  const ConvexOutline segment({{0, 0}, {10, 0}});
  EXPECT_TRUE(segment.contains({5, 3}, 4));
  EXPECT_FALSE(segment.contains({5, 5}, 4));
  EXPECT_FALSE(ConvexOutline(std::vector<Point>{}).contains({0, 0}, 100));
}

}  // namespace
}  // namespace tuskprint::match
