// Gallery-level ranking of cut faces: the cut order of one tusk's faces, and the probe's
// neighbours in it first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "schreger/link_ranking.hpp"
#include "schreger/measure.hpp"
#include "schreger/pattern_coherence.hpp"
#include "test_images.hpp"
#include "expect_error.hpp"

namespace tuskprint::schreger {
namespace {

using tuskprint::schreger::testing::expect_invalid;

// Five consecutive cut faces of one small generated tusk (slice 1 photographed with heavy
// sensor noise, as a poor scan of a cut piece), plus a face of another tusk.
struct Tusk {
  std::vector<LinkFace> slice;  // slice[i]: cut face i (faces alternate mirrored)
  LinkFace other;
};

const Tusk& tusk() {
  static const Tusk t = [] {
    auto o = testing::small_options();
    o.material = datasets::tusks::Material::kMammoth;
    const auto model = datasets::tusks::sample_tusk(41, 0, o);
    Tusk out;
    for (int i = 0; i < 5; ++i) {
      auto s = datasets::tusks::sample_slice(model, 41, 0, i, o);
      s.sector = false, s.jpeg_quality = 0;
      if (i == 1) s.noise_sd = 40.0;
      out.slice.push_back(prepare_link_face(
          measure(testing::as_scan(datasets::tusks::render_slice(model, s).bgr), testing::kTestPpi).link));
    }
    const auto other = datasets::tusks::sample_tusk(41, 1, o);
    auto s = datasets::tusks::sample_slice(other, 41, 1, 0, o);
    s.sector = false, s.jpeg_quality = 0;
    out.other = prepare_link_face(
        measure(testing::as_scan(datasets::tusks::render_slice(other, s).bgr), testing::kTestPpi).link);
    return out;
  }();
  return t;
}

double registration_of(const LinkComparison& c) { return std::max(c.mirrored.score, c.plain.score); }

LinkFaceSource source_of(const std::vector<const LinkFace*>& faces) {
  return [faces](std::size_t i, bool) { return *faces.at(i); };
}

// Registrations with the probe, face 0: of the noisy face 1, and the worst of the clean faces
// 2-4.
struct ToFace0 {
  double noisy = 0;
  double clean = 1.0;
};
ToFace0 registrations_with_face0(const Tusk& t) {
  ToFace0 r;
  r.noisy = registration_of(compare_link_faces(t.slice[0], t.slice[1]));
  for (const int s : {2, 3, 4})
    r.clean = std::min(r.clean, registration_of(compare_link_faces(t.slice[0], t.slice[std::size_t(s)])));
  return r;
}

// The cluster level between the two, the pull through the members switched off (weak level =
// cluster level), and face 1 kept from the 1:1 stage (coherent level just below it).
SchregerParams levels_between(const ToFace0& r) {
  SchregerParams p;
  p.link_cluster_min_ncc = p.link_cluster_weak_ncc = 0.5 * (r.noisy + r.clean);
  p.link_cluster_coherent_ncc = r.noisy - 0.05;
  return p;
}

TEST(CutOrder, RecoversAChainFromItsLinks) {
  // Faces listed as 3, 0, 4, 1, 2 of a chain 0-1-2-3-4: neighbours link at 1.5, faces two
  // apart at 0.7, three apart at 1.2 (mirror images again), four apart at 0.6.
  const std::vector<int> chain = {3, 0, 4, 1, 2};
  const double by_distance[] = {0, 1.5, 0.7, 1.2, 0.6};
  std::vector<std::vector<double>> link(5, std::vector<double>(5, 0.0));
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j)
      if (i != j) link[i][j] = by_distance[std::abs(chain[i] - chain[j])];
  std::vector<int> order = best_cut_order(link);
  ASSERT_EQ(order.size(), 5u);
  std::vector<int> positions;
  for (int k : order) positions.push_back(chain[std::size_t(k)]);
  if (positions.front() > positions.back()) std::reverse(positions.begin(), positions.end());
  EXPECT_EQ(positions, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(best_cut_order({{0.0}}), std::vector<int>{0});
}

TEST(CutOrder, BadInputIsAClearError) {
  expect_invalid([] { best_cut_order({}); }, "cut order needs 1..");
  expect_invalid([] { best_cut_order(std::vector<std::vector<double>>(13, std::vector<double>(13, 0.0))); },
                 "got 13");
  expect_invalid([] { best_cut_order({{0, 1}, {1}}); }, "row 1 has 1 values, expected 2");
  expect_invalid([] { best_cut_order({{0, std::nan("")}, {std::nan(""), 0}}); }, "not finite");
  expect_invalid([] { best_cut_order({{0, 1}, {2, 0}}); }, "not symmetric");
}

TEST(LinkRanking, RecoversTheCutOrderWhereThePairScoreAlonePicksTheFaceThreeAway) {
  const Tusk& t = tusk();
  // Probe: face 0. Gallery: the other tusk's face and faces 3, 1, 4, 2 of its own tusk.
  const std::vector<const LinkFace*> gallery = {&t.other, &t.slice[3], &t.slice[1], &t.slice[4], &t.slice[2]};
  const int slice_of[] = {-1, 3, 1, 4, 2};
  // Each shortlist face is asked for once: the faces that join the order are kept from the
  // 1:1 stage and get their mirrored transforms there.
  int asked = 0, asked_mirrored = 0;
  auto counting = [&](std::size_t i, bool with_mirrored) {
    ++asked, asked_mirrored += with_mirrored;
    LinkFace f = *gallery.at(i);
    f.pattern_mirrored = {};
    return f;
  };
  const LinkRanking r = rank_link_candidates(t.slice[0], gallery.size(), counting);
  EXPECT_EQ(asked, int(gallery.size()));
  EXPECT_EQ(asked_mirrored, 0);
  ASSERT_EQ(r.candidates.size(), gallery.size());
  // The premise: the noisy adjacent face 1 links less well to the probe than the clean face
  // three cuts away, so the 1:1 score alone would put face 3 first.
  double score_of[6] = {};  // by slice + 1 (0: the other tusk)
  for (const RankedLink& c : r.candidates) score_of[slice_of[c.candidate] + 1] = c.comparison.score;
  ASSERT_LT(score_of[1 + 1], score_of[3 + 1]);
  // The cut order of the tusk, the other tusk left out: 2-3-4 in sequence and the probe next
  // to face 1, not to face 3. (The very noisy face 1 has a low coherence with every face, so
  // the order may put it at an end, 1-0-2-3-4: the probe's mirror-image neighbour is still 1.)
  std::vector<int> order;
  for (std::ptrdiff_t k : r.cut_order) order.push_back(k == LinkRanking::kProbe ? 0 : slice_of[k]);
  if (!order.empty() && order.front() > order.back()) std::reverse(order.begin(), order.end());
  ASSERT_EQ(order.size(), 5u);
  EXPECT_TRUE(order == (std::vector<int>{0, 1, 2, 3, 4}) || order == (std::vector<int>{1, 0, 2, 3, 4}))
      << ::testing::PrintToString(order);
  EXPECT_GT(r.order_weight_sum, 0.0);
  // Coherence and order weight are filled in for the faces of the order: -ln(1 - coherence),
  // less the registration NCC times link_order_ncc_weight, plus the mirror-image bonus, less
  // the size penalty (at most link_order_size_weight * link_order_size_cap).
  const SchregerParams p;
  for (const RankedLink& c : r.candidates) {
    if (!c.same_tusk) continue;
    EXPECT_GT(c.coherence, 0.0);
    EXPECT_LE(c.coherence, 1.0);
    const double expected = -std::log(1.0 - std::min(c.coherence, 0.999)) -
                            p.link_order_ncc_weight * registration_of(c.comparison) +
                            p.link_order_handedness_bonus * (c.comparison.mirrored_fits_better ? 1.0 : 0.0) -
                            c.size_penalty;
    EXPECT_NEAR(c.order_weight, expected, 1e-9);
    EXPECT_GE(c.size_penalty, 0.0);
    EXPECT_LE(c.size_penalty, p.link_order_size_weight * p.link_order_size_cap);
  }
  EXPECT_EQ(r.pair_comparisons, 5 + 4 * 3 / 2);
  // Face 1 comes first, flagged as the probe's neighbour; the rest keep the link score order.
  EXPECT_EQ(slice_of[r.candidates[0].candidate], 1);
  EXPECT_TRUE(r.candidates[0].adjacent_in_order);
  EXPECT_TRUE(r.candidates[0].comparison.mirrored_fits_better);
  for (std::size_t i = 1; i < r.candidates.size(); ++i) {
    EXPECT_FALSE(r.candidates[i].adjacent_in_order);
    if (i + 1 < r.candidates.size()) {
      EXPECT_GE(r.candidates[i].comparison.score, r.candidates[i + 1].comparison.score);
    }
  }
  EXPECT_EQ(slice_of[r.candidates.back().candidate], -1);
  EXPECT_FALSE(r.candidates.back().same_tusk);
}

// Local phase coherence of b registered onto a by their better registration.
double coherence_between(const LinkFace& a, const LinkFace& b) {
  const SchregerParams p;
  const LinkComparison c = compare_link_faces(a, b, p);
  return pattern_coherence(pattern_phase(a.pattern_map, false, p),
                           pattern_phase(b.pattern_map, c.mirrored_fits_better, p),
                           c.mirrored_fits_better ? c.mirrored : c.plain, p);
}

TEST(LinkRanking, CoherenceFallsWithTheDistanceAlongTheTusk) {
  // The clean faces 0, 2, 3 and 4: the pattern drifts along the tusk, so the coherence of a
  // pair falls with the number of cuts between its faces.
  const Tusk& t = tusk();
  const double one = coherence_between(t.slice[3], t.slice[2]), two = coherence_between(t.slice[4], t.slice[2]),
               three = coherence_between(t.slice[3], t.slice[0]), four = coherence_between(t.slice[4], t.slice[0]);
  EXPECT_GT(one, two);
  EXPECT_GT(two, three);
  EXPECT_GT(three, four);
  EXPECT_GT(coherence_between(t.slice[3], t.slice[4]), three);
  EXPECT_LT(coherence_between(t.slice[0], t.other), 0.8 * four);
}

TEST(LinkRanking, OneFaceOfTheTuskChangesNothing) {
  const Tusk& t = tusk();
  for (int s : {1, 3}) {
    const std::vector<const LinkFace*> gallery = {&t.other, &t.slice[std::size_t(s)]};
    const LinkRanking r = rank_link_candidates(t.slice[0], gallery.size(), source_of(gallery));
    ASSERT_EQ(r.candidates.size(), 2u);
    EXPECT_TRUE(r.cut_order.empty());
    EXPECT_EQ(r.pair_comparisons, 2);
    EXPECT_EQ(r.candidates[0].candidate, 1u) << "face " << s;
    EXPECT_TRUE(r.candidates[0].same_tusk);
    for (const RankedLink& c : r.candidates) EXPECT_FALSE(c.adjacent_in_order);
    EXPECT_NEAR(r.candidates[0].comparison.score, compare_link_faces(t.slice[0], t.slice[std::size_t(s)]).score, 1e-12);
  }
  // No shortlist: nothing to rank.
  EXPECT_TRUE(rank_link_candidates(t.slice[0], 0, {}).candidates.empty());
}

TEST(LinkRanking, PullsAFaceThatRegistersWithAFaceOfTheOrderNotWithTheProbe) {
  const Tusk& t = tusk();
  // Probe: face 3. The noisy face 1 registers with it (two cuts apart) a little worse than with
  // face 0 or 2, its own neighbours; the cluster level is put between the two.
  SchregerParams p;
  const double to_probe = registration_of(compare_link_faces(t.slice[3], t.slice[1]));
  const double to_neighbour = std::max(registration_of(compare_link_faces(t.slice[0], t.slice[1])),
                                       registration_of(compare_link_faces(t.slice[2], t.slice[1])));
  ASSERT_LT(to_probe, to_neighbour);
  p.link_cluster_min_ncc = 0.5 * (to_probe + to_neighbour);
  p.link_cluster_weak_ncc = to_probe - 0.1;
  for (const int s : {0, 2, 4}) ASSERT_GE(registration_of(compare_link_faces(t.slice[3], t.slice[std::size_t(s)])), p.link_cluster_min_ncc);
  const std::vector<const LinkFace*> gallery = {&t.other, &t.slice[0], &t.slice[1], &t.slice[2], &t.slice[4]};
  const int slice_of[] = {-1, 0, 1, 2, 4};
  auto order_of = [&](const LinkRanking& r) {
    std::vector<int> order;
    for (std::ptrdiff_t k : r.cut_order) order.push_back(k == LinkRanking::kProbe ? 3 : slice_of[k]);
    if (!order.empty() && order.front() > order.back()) std::reverse(order.begin(), order.end());
    return order;
  };
  auto same_tusk_of = [&](const LinkRanking& r, int slice) {
    for (const RankedLink& c : r.candidates)
      if (slice_of[c.candidate] == slice) return c.same_tusk;
    return false;
  };
  const LinkRanking pulled = rank_link_candidates(t.slice[3], gallery.size(), source_of(gallery), p);
  const std::vector<int> full = order_of(pulled);
  EXPECT_TRUE(full == (std::vector<int>{0, 1, 2, 3, 4}) || full == (std::vector<int>{1, 0, 2, 3, 4}))
      << ::testing::PrintToString(full);
  EXPECT_TRUE(same_tusk_of(pulled, 1));
  EXPECT_FALSE(same_tusk_of(pulled, -1));
  // 5 against the probe, face 1 against the three members, then the members' 3 pairs.
  EXPECT_EQ(pulled.pair_comparisons, 5 + 3 + 3);
  EXPECT_EQ(std::abs(slice_of[pulled.candidates[0].candidate] - 3), 1);

  // Weak level at the cluster level: nothing is pulled, face 1 stays out of the order.
  p.link_cluster_weak_ncc = p.link_cluster_min_ncc;
  const LinkRanking alone = rank_link_candidates(t.slice[3], gallery.size(), source_of(gallery), p);
  EXPECT_EQ(order_of(alone), (std::vector<int>{0, 2, 3, 4}));
  EXPECT_FALSE(same_tusk_of(alone, 1));
  EXPECT_EQ(alone.pair_comparisons, 5 + 3);
  // The level is part of the ranking hash.
  EXPECT_NE(p.ranking_hash(), SchregerParams{}.ranking_hash());
}

TEST(LinkRanking, AdmitsAWeaklyRegisteredFaceByItsCoherenceWithTheProbe) {
  const Tusk& t = tusk();
  // Probe: face 0. Its noisy neighbour, face 1, registers with it worse than the clean faces 2,
  // 3 and 4; the cluster level is put between, and the pull through the members switched off
  // (weak level = cluster level), so face 1 can join only by its coherence with the probe.
  const ToFace0 reg = registrations_with_face0(t);
  const double to_noisy = reg.noisy;
  ASSERT_LT(reg.noisy, reg.clean);
  SchregerParams p = levels_between(reg);
  // Gap filling off (its own test below): the counts here are of the order's comparisons.
  p.link_gap_min_ncc = 0;
  // The other tusk's face must not join however low its registration: it may reach the level.
  const double other = registration_of(compare_link_faces(t.slice[0], t.other));
  ASSERT_LT(other, p.link_cluster_min_ncc);
  p.link_cluster_coherent_ncc = std::min(p.link_cluster_coherent_ncc, other);
  const double noisy_coherence = coherence_between(t.slice[0], t.slice[1]);
  const double other_coherence = coherence_between(t.slice[0], t.other);
  ASSERT_GT(noisy_coherence, other_coherence + 0.04);
  p.link_cluster_min_coherence = 0.5 * (noisy_coherence + other_coherence);

  const std::vector<const LinkFace*> gallery = {&t.other, &t.slice[3], &t.slice[1], &t.slice[4], &t.slice[2]};
  const int slice_of[] = {-1, 3, 1, 4, 2};
  auto same_tusk_of = [&](const LinkRanking& r, int slice) {
    for (const RankedLink& c : r.candidates)
      if (slice_of[c.candidate] == slice) return c.same_tusk;
    return false;
  };
  auto order_of = [&](const LinkRanking& r) {
    std::vector<int> order;
    for (std::ptrdiff_t k : r.cut_order) order.push_back(k == LinkRanking::kProbe ? 0 : slice_of[k]);
    if (!order.empty() && order.front() > order.back()) std::reverse(order.begin(), order.end());
    return order;
  };
  const LinkRanking admitted = rank_link_candidates(t.slice[0], gallery.size(), source_of(gallery), p);
  EXPECT_TRUE(same_tusk_of(admitted, 1));
  EXPECT_FALSE(same_tusk_of(admitted, -1));
  const std::vector<int> order = order_of(admitted);
  EXPECT_TRUE(order == (std::vector<int>{0, 1, 2, 3, 4}) || order == (std::vector<int>{1, 0, 2, 3, 4}))
      << ::testing::PrintToString(order);
  EXPECT_EQ(slice_of[admitted.candidates[0].candidate], 1);
  EXPECT_TRUE(admitted.candidates[0].adjacent_in_order);
  // 5 against the probe, face 1 against the three members, then the members' 3 pairs.
  EXPECT_EQ(admitted.pair_comparisons, 5 + 3 + 3);

  // The coherence level just above face 1's: it stays out of the order of 0, 2, 3 and 4.
  p.link_cluster_min_coherence = noisy_coherence + 1e-6;
  const LinkRanking left_out = rank_link_candidates(t.slice[0], gallery.size(), source_of(gallery), p);
  EXPECT_FALSE(same_tusk_of(left_out, 1));
  std::vector<int> members = order_of(left_out);
  std::sort(members.begin(), members.end());
  EXPECT_EQ(members, (std::vector<int>{0, 2, 3, 4}));
  EXPECT_EQ(left_out.pair_comparisons, 5 + 3);
  // Registration below link_cluster_coherent_ncc: not considered, whatever the coherence (the
  // other tusk's face may then join at coherence level 0; face 1 must not).
  p.link_cluster_min_coherence = 0.0;
  p.link_cluster_coherent_ncc = to_noisy + 1e-6;
  const LinkRanking too_weak = rank_link_candidates(t.slice[0], gallery.size(), source_of(gallery), p);
  EXPECT_FALSE(same_tusk_of(too_weak, 1));
  // The two levels are part of the ranking hash, not of the profile's hash.
  SchregerParams q;
  q.link_cluster_min_coherence = 0.7;
  EXPECT_NE(q.ranking_hash(), SchregerParams{}.ranking_hash());
  EXPECT_EQ(q.hash(), SchregerParams{}.hash());
  q = SchregerParams{};
  q.link_cluster_coherent_ncc = 0.35;
  EXPECT_NE(q.ranking_hash(), SchregerParams{}.ranking_hash());
}

// Whether `near` comes first for `probe` whichever way the gallery {near, far} is listed, the
// three faces making one cut order.
bool first_either_way(const LinkFace& probe, const LinkFace& near, const LinkFace& far, const SchregerParams& q) {
  bool first = true;
  for (const std::vector<const LinkFace*>& gallery :
       {std::vector<const LinkFace*>{&near, &far}, std::vector<const LinkFace*>{&far, &near}}) {
    const LinkRanking r = rank_link_candidates(probe, gallery.size(), source_of(gallery), q);
    EXPECT_EQ(r.cut_order.size(), 3u);
    first = first && gallery.at(r.candidates.at(0).candidate) == &near;
  }
  return first;
}

// `near` comes first either way with the default constants and not with `premise`, a change of
// ranking constants only.
void expect_first_only_with_defaults(const LinkFace& probe, const LinkFace& near, const LinkFace& far,
                                     const SchregerParams& premise) {
  const SchregerParams p;
  EXPECT_TRUE(first_either_way(probe, near, far, p));
  EXPECT_FALSE(first_either_way(probe, near, far, premise));
  EXPECT_NE(premise.ranking_hash(), p.ranking_hash());
  EXPECT_EQ(premise.hash(), p.hash());
}

TEST(LinkRanking, WhereThePatternCannotTellTwoFacesApartTheirSizesOrderThem) {
  const Tusk& t = tusk();
  // Probe: face 0. Faces A and B are both face 3 (three cuts along, a mirror image), B with its
  // outer edge 0.6 mm further in: a face still farther along the tusk, which tapers. Their
  // patterns are the same, so only their sizes tell which belongs next to the probe.
  const SchregerParams p;
  LinkFace a = t.slice[3], b = t.slice[3];
  for (float& r : b.outline_mm) r -= 0.6f;
  const LinkComparison to_a = compare_link_faces(t.slice[0], a);
  ASSERT_GT(to_a.size.columns, 0);
  ASSERT_GE(registration_of(to_a), p.link_size_min_ncc);
  ASSERT_LT(std::abs(to_a.size.step_mm), 0.4);  // the tusk's own taper over three cuts
  EXPECT_NEAR(compare_link_faces(t.slice[0], b).size.step_mm - to_a.size.step_mm, 0.6, 0.01);
  // The premise: without the size, whichever is listed first or second wins, not A in both.
  SchregerParams no_size;
  no_size.link_order_size_weight = 0;
  expect_first_only_with_defaults(t.slice[0], a, b, no_size);
}

TEST(LinkRanking, AFastTaperingTusksFacesAreOrderedBySizeBeyondThreeCuts) {
  const Tusk& t = tusk();
  // As above, on a tusk that loses 0.6 mm of radius per cut: A is face 3 with its outer edge
  // 0.6 mm further in, B the same face 1.8 mm in. Both are more than 3 x 0.15 mm from the
  // probe, where a capped size penalty stops growing and can no longer tell them apart.
  LinkFace a = t.slice[3], b = t.slice[3];
  for (float& r : a.outline_mm) r -= 0.6f;
  for (float& r : b.outline_mm) r -= 1.8f;
  const double near = compare_link_faces(t.slice[0], a).size.step_mm;
  ASSERT_GT(near, 0.45);
  EXPECT_NEAR(compare_link_faces(t.slice[0], b).size.step_mm - near, 1.2, 0.01);
  // The premise: with the penalty capped at 3 (0.45 mm), the listing decides, not the sizes.
  SchregerParams capped;
  capped.link_order_size_cap = 3.0;
  expect_first_only_with_defaults(t.slice[0], a, b, capped);
}

TEST(LinkRanking, ANeighbourWhoseHandednessWasMisreadIsStillAdjacentInACompleteChain) {
  const Tusk& t = tusk();
  // Probe: face 4. Face 3 photographed the other way up (its pattern map and outline mirrored):
  // its pair with the probe now fits better plain, as a misread handedness would. The faces
  // beyond it, 2, 1 and 0, have the handedness of a complete chain (plain, mirrored, plain).
  LinkFace flipped = t.slice[3];
  const int cols = flipped.pattern_map.cols;
  cv::Mat m(flipped.pattern_map.size(), flipped.pattern_map.type());
  for (int j = 0; j < cols; ++j) flipped.pattern_map.col((cols - j) % cols).copyTo(m.col(j));
  std::vector<float> outline(flipped.outline_mm.size());
  for (std::size_t j = 0; j < outline.size(); ++j) outline[j] = flipped.outline_mm[(outline.size() - j) % outline.size()];
  LinkFeatures f;
  f.pattern_map = m, f.outline_mm = outline, f.descriptor = flipped.descriptor;
  flipped = prepare_link_face(f);
  ASSERT_FALSE(compare_link_faces(t.slice[4], flipped).mirrored_fits_better);
  const std::vector<const LinkFace*> gallery = {&t.slice[1], &flipped, &t.slice[0], &t.slice[2]};
  const int slice_of[] = {1, 3, 0, 2};
  const auto rank = [&](const SchregerParams& p) {
    return rank_link_candidates(t.slice[4], gallery.size(), source_of(gallery), p);
  };
  const SchregerParams p;
  const LinkRanking r = rank(p);
  std::vector<int> order;
  for (std::ptrdiff_t k : r.cut_order) order.push_back(k == LinkRanking::kProbe ? 4 : slice_of[k]);
  if (!order.empty() && order.front() > order.back()) std::reverse(order.begin(), order.end());
  ASSERT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(slice_of[r.candidates[0].candidate], 3);
  EXPECT_TRUE(r.candidates[0].adjacent_in_order);
  // Without the chain's evidence the misread neighbour is not taken as adjacent, but as the
  // probe's only neighbour in the order it still comes first (the fallback); without the
  // fallback the link score order decides.
  SchregerParams off;
  off.link_order_parity_faces = 0;
  const LinkRanking r_off = rank(off);
  for (const RankedLink& c : r_off.candidates) EXPECT_FALSE(c.adjacent_in_order) << slice_of[c.candidate];
  EXPECT_EQ(slice_of[r_off.candidates[0].candidate], 3);
  EXPECT_TRUE(r_off.candidates[0].order_neighbour);
  EXPECT_NE(off.ranking_hash(), p.ranking_hash());
  SchregerParams no_fallback = off;
  no_fallback.link_order_neighbours_fallback = false;
  const LinkRanking r_plain = rank(no_fallback);
  EXPECT_TRUE(std::is_sorted(r_plain.candidates.begin(), r_plain.candidates.end(),
                             [](const RankedLink& a, const RankedLink& b) { return a.comparison.score > b.comparison.score; }));
  EXPECT_NE(slice_of[r_plain.candidates[0].candidate], 3);  // the fallback is what put face 3 first
  EXPECT_NE(no_fallback.ranking_hash(), off.ranking_hash());
}

TEST(LinkRanking, AFaceMissingFromTheOrderFillsTheGapToANeighbourOfTheProbesHandedness) {
  const Tusk& t = tusk();
  // Probe: face 0. The noisy face 1 (its adjacent face) registers too weakly with the probe to
  // join the order (no weak or coherence admission here), which then runs 0-2-3-4: the probe's
  // only neighbour is face 2, of its own handedness, so none is taken as adjacent. Face 1 is the
  // mirror image of face 2 and fills the gap between them.
  const ToFace0 reg = registrations_with_face0(t);
  ASSERT_LT(reg.noisy, reg.clean);
  SchregerParams p = levels_between(reg);  // face 1 kept from the 1:1 stage ...
  p.link_cluster_min_coherence = 2.0;      // ... but never admitted by its coherence
  const double other_to_probe = registration_of(compare_link_faces(t.slice[0], t.other));
  ASSERT_LT(other_to_probe, p.link_cluster_min_ncc);
  // The premise: face 1 registers with face 2 as its mirror image, clearly better than plain,
  // over a large part of the map, and better than the other tusk's face does.
  const LinkComparison gap = compare_link_faces(t.slice[2], t.slice[1]);
  const LinkComparison other_gap = compare_link_faces(t.slice[2], t.other);
  ASSERT_GT(gap.mirrored.score - gap.plain.score, 0.05);
  ASSERT_GE(gap.mirrored.overlap, p.link_gap_min_overlap);
  ASSERT_GT(gap.mirrored.score, other_gap.mirrored.score + 0.05);
  p.link_gap_min_ncc = std::min(p.link_gap_min_ncc, gap.mirrored.score - 0.02);
  p.link_gap_min_margin = std::min(p.link_gap_min_margin, gap.mirrored.score - gap.plain.score - 0.01);
  ASSERT_LT(other_gap.mirrored.score, p.link_gap_min_ncc);

  const std::vector<const LinkFace*> gallery = {&t.other, &t.slice[3], &t.slice[1], &t.slice[4], &t.slice[2]};
  const int slice_of[] = {-1, 3, 1, 4, 2};
  const auto rank = [&](const SchregerParams& q, const std::vector<const LinkFace*>& faces) {
    return rank_link_candidates(t.slice[0], faces.size(), source_of(faces), q);
  };
  const LinkRanking r = rank(p, gallery);
  std::vector<int> order;
  for (std::ptrdiff_t k : r.cut_order) order.push_back(k == LinkRanking::kProbe ? 0 : slice_of[k]);
  if (!order.empty() && order.front() > order.back()) std::reverse(order.begin(), order.end());
  ASSERT_EQ(order, (std::vector<int>{0, 2, 3, 4}));
  for (const RankedLink& c : r.candidates) EXPECT_FALSE(c.adjacent_in_order) << slice_of[c.candidate];
  // Face 1 first, flagged, outside the order; then the order neighbour (the fallback).
  ASSERT_GE(r.candidates.size(), 2u);
  EXPECT_EQ(slice_of[r.candidates[0].candidate], 1);
  EXPECT_TRUE(r.candidates[0].fills_gap);
  EXPECT_FALSE(r.candidates[0].same_tusk);
  EXPECT_EQ(slice_of[r.candidates[1].candidate], 2);
  EXPECT_TRUE(r.candidates[1].order_neighbour);
  for (std::size_t i = 1; i < r.candidates.size(); ++i) EXPECT_FALSE(r.candidates[i].fills_gap);
  // 5 against the probe, the members' 3 pairs, and the faces outside the order that were kept
  // (face 1, and the other tusk's face if it registers as well) against the neighbour.
  const int kept_outside = 1 + (other_to_probe >= p.link_cluster_coherent_ncc ? 1 : 0);
  EXPECT_EQ(r.pair_comparisons, 5 + 3 + kept_outside);

  // Off, or with the level above face 1's registration: the order neighbour comes first.
  for (const double level : {0.0, gap.mirrored.score + 0.01}) {
    SchregerParams off = p;
    off.link_gap_min_ncc = level;
    const LinkRanking r_off = rank(off, gallery);
    EXPECT_EQ(slice_of[r_off.candidates[0].candidate], 2) << level;
    for (const RankedLink& c : r_off.candidates) EXPECT_FALSE(c.fills_gap) << level;
  }
  // The handedness margin and the overlap are required too.
  SchregerParams strict = p;
  strict.link_gap_min_margin = gap.mirrored.score - gap.plain.score + 0.01;
  EXPECT_EQ(slice_of[rank(strict, gallery).candidates[0].candidate], 2);
  strict = p;
  strict.link_gap_min_overlap = gap.mirrored.overlap + 1;
  EXPECT_EQ(slice_of[rank(strict, gallery).candidates[0].candidate], 2);
  // Without face 1 in the shortlist nothing fills the gap: the other tusk's face does not.
  const std::vector<const LinkFace*> without = {&t.other, &t.slice[3], &t.slice[4], &t.slice[2]};
  const LinkRanking r_without = rank(p, without);
  for (const RankedLink& c : r_without.candidates) EXPECT_FALSE(c.fills_gap);
  EXPECT_EQ(without.at(r_without.candidates[0].candidate), &t.slice[2]);
  // The three constants are part of the ranking hash, not of the profile's hash.
  SchregerParams q;
  q.link_gap_min_ncc = 0.45;
  EXPECT_NE(q.ranking_hash(), SchregerParams{}.ranking_hash());
  EXPECT_EQ(q.hash(), SchregerParams{}.hash());
  q = SchregerParams{};
  q.link_gap_min_margin = 0.05;
  EXPECT_NE(q.ranking_hash(), SchregerParams{}.ranking_hash());
  q = SchregerParams{};
  q.link_gap_min_overlap = 5000;
  EXPECT_NE(q.ranking_hash(), SchregerParams{}.ranking_hash());
}

TEST(LinkRanking, TheSizeStepsWeightsAndTheParityLimitAreRankingConstants) {
  const SchregerParams p;
  std::vector<SchregerParams> changed(4, p);
  changed[0].link_size_weight_steps = false;
  changed[1].link_size_residual_floor_mm = 0.02;
  changed[2].link_size_unknown_residual_mm = 0.1;
  changed[3].link_order_parity_max_size_mm = 0.6;
  for (std::size_t k = 0; k < changed.size(); ++k) {
    EXPECT_NE(changed[k].ranking_hash(), p.ranking_hash()) << k;
    EXPECT_EQ(changed[k].hash(), p.hash()) << k;  // a profile does not depend on them
  }
}

TEST(LinkRanking, BadInputIsAClearError) {
  const Tusk& t = tusk();
  const std::vector<const LinkFace*> gallery = {&t.slice[1], &t.slice[2]};
  LinkFace plain_only = t.slice[0];
  plain_only.pattern_mirrored = {};
  expect_invalid([&] { rank_link_candidates(plain_only, 2, source_of(gallery)); }, "mirrored transforms");
  expect_invalid([&] { rank_link_candidates(LinkFace{}, 2, source_of(gallery)); }, "needs its pattern map");
  LinkFace no_map = t.slice[0];
  no_map.pattern_map = cv::Mat();
  expect_invalid([&] { rank_link_candidates(no_map, 2, source_of(gallery)); }, "carries no pattern map");
  // A source whose faces carry no map: the 1:1 stage works, the cut order cannot.
  const std::vector<const LinkFace*> clean = {&t.slice[2], &t.slice[3]};
  auto mapless = [&](std::size_t i, bool) {
    LinkFace f = *clean.at(i);
    f.pattern_map = cv::Mat();
    return f;
  };
  expect_invalid([&] { rank_link_candidates(t.slice[0], 2, mapless); },
                 "carries no pattern map: the cut order needs it");
  expect_invalid([&] { rank_link_candidates(t.slice[0], 2, {}); }, "no face source given for 2");
  SchregerParams p;
  p.link_cluster_max_faces = 20;
  expect_invalid([&] { rank_link_candidates(t.slice[0], 2, source_of(gallery), p); },
                 "link_cluster_max_faces must be 1..12, got 20");
  // A source that hands out a face of another map shape: compare_link_faces' error.
  LinkFace odd = t.slice[1];
  odd.pattern_plain.values = cv::Mat::zeros(4, 4, CV_32F);
  const std::vector<const LinkFace*> bad = {&odd};
  expect_invalid([&] { rank_link_candidates(t.slice[0], 1, source_of(bad)); }, "differ in shape");
}

}  // namespace
}  // namespace tuskprint::schreger
