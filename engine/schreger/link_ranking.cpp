#include "schreger/link_ranking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "core/error.hpp"
#include "schreger/outline_profile.hpp"
#include "schreger/pattern_coherence.hpp"

namespace tuskprint::schreger {
namespace {

// How well the two faces register, whichever the handedness: the evidence that they are of
// one tusk at all (the handedness bonus of the link score is noisy between different tusks).
double registration(const LinkComparison& c) { return std::max(c.mirrored.score, c.plain.score); }

// A comparison of two faces of the order, with which of its faces was mirrored for the
// mirrored registration (compare_link_faces mirrors b when b has the mirrored transforms).
struct OrderPair {
  LinkComparison comparison;
  bool b_mirrored = true;
};

// 1:1 stage: every shortlist face against the probe, best link score first (stable). The
// faces that may join the order (registration >= the weaker cluster level) are kept for it.
std::vector<RankedLink> score_candidates(const LinkFace& probe, std::size_t count, const LinkFaceSource& source,
                                         const SchregerParams& p, std::vector<LinkFace>& kept,
                                         std::vector<char>& b_mirrored) {
  std::vector<RankedLink> ranked(count);
  kept.assign(count, LinkFace{});
  b_mirrored.assign(count, 0);
  const double keep_from = std::min({p.link_cluster_weak_ncc, p.link_cluster_coherent_ncc, p.link_cluster_min_ncc});
  for (std::size_t i = 0; i < count; ++i) {
    LinkFace face = source(i, false);
    ranked[i].candidate = i;
    ranked[i].comparison = compare_link_faces(probe, face, p);
    b_mirrored[i] = !face.pattern_mirrored.values.empty();
    if (registration(ranked[i].comparison) >= keep_from) kept[i] = std::move(face);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const RankedLink& a, const RankedLink& b) {
    return a.comparison.score > b.comparison.score;
  });
  return ranked;
}

// Positions (in the ranked list) of the faces clearly of the probe's tusk, best first.
std::vector<std::size_t> same_tusk_members(std::vector<RankedLink>& ranked, const SchregerParams& p) {
  std::vector<std::size_t> members;
  for (std::size_t k = 0; k < ranked.size() && int(members.size()) + 1 < p.link_cluster_max_faces; ++k)
    if (registration(ranked[k].comparison) >= p.link_cluster_min_ncc) members.push_back(k);
  return members;
}

// Shortlist face `candidate`, kept from the 1:1 stage, with its mirrored transforms added (made
// from the map it carries: the source is not asked twice).
LinkFace order_face(std::size_t candidate, std::vector<LinkFace>& kept, const SchregerParams& p) {
  LinkFace face = std::move(kept[candidate]);
  TP_CHECK(!face.pattern_map.empty(), kInvalidArgument,
           "shortlist face " << candidate << " carries no pattern map: the cut order needs it");
  add_mirrored_transforms(face, p);
  return face;
}

// The faces of the order: positions in the ranked list (members, then pulled faces) and the
// faces themselves.
struct OrderFaces {
  std::vector<std::size_t> members;
  std::vector<LinkFace> faces;  // faces[i - 1] prepared with the mirrored transforms
};

OrderFaces start_order(const std::vector<RankedLink>& ranked, const std::vector<std::size_t>& members,
                       std::vector<LinkFace>& kept, const SchregerParams& p) {
  OrderFaces o;
  o.members = members;
  for (std::size_t k : members) o.faces.push_back(order_face(ranked[k].candidate, kept, p));
  return o;
}

// Coherence of a shortlist face (its map `face_map`) registered onto the probe by their 1:1
// comparison `c`; `face_mirrored` tells which of the two the mirrored registration mirrored
// (compare_link_faces mirrors b when b has the mirrored transforms, else a).
double probe_coherence_of(const PatternPhase& probe, const cv::Mat& face_map, const LinkComparison& c,
                          bool face_mirrored, const SchregerParams& p) {
  const PatternPhase face = pattern_phase(face_map, false, p);
  if (!c.mirrored_fits_better) return pattern_coherence(probe, face, c.plain, p);
  return face_mirrored ? pattern_coherence(probe, mirror_phase(face), c.mirrored, p)
                       : pattern_coherence(mirror_phase(probe), face, c.mirrored, p);
}

// A face of the tusk that registers poorly with the probe (a noisy cut piece) can still
// register well with a face of the order, as its own neighbour: shortlist faces between
// link_cluster_weak_ncc and link_cluster_min_ncc against the probe join the order when they
// reach link_cluster_min_ncc with one of the members (not with another pulled face, so one
// poor link cannot chain in a different tusk). Without them the order has a gap next to the
// probe and the face beyond the gap (three cuts away) becomes its neighbour. A shortlist face
// registering with the probe between link_cluster_coherent_ncc and link_cluster_min_ncc also
// joins when its local phase coherence with the probe reaches link_cluster_min_coherence: the
// pattern drifted little between them, however noisy the scan (faces of other tusks stay below
// it even where their NCC is as high).
void pull_missing_faces(const LinkFace& probe, const std::vector<RankedLink>& ranked, OrderFaces& o,
                        std::vector<LinkFace>& kept, const std::vector<char>& b_mirrored, const SchregerParams& p,
                        int& comparisons, std::vector<std::vector<LinkComparison>>& pulled_links) {
  const std::size_t strong = o.members.size();
  const double lowest = std::min(p.link_cluster_weak_ncc, p.link_cluster_coherent_ncc);
  std::optional<PatternPhase> probe_phase;
  for (std::size_t k = 0; k < ranked.size() && int(o.members.size()) + 1 < p.link_cluster_max_faces; ++k) {
    const double r = registration(ranked[k].comparison);
    if (r >= p.link_cluster_min_ncc || r < lowest) continue;
    bool coherent = false;
    if (r >= p.link_cluster_coherent_ncc) {
      if (!probe_phase) probe_phase = pattern_phase(probe.pattern_map, false, p);
      const std::size_t c = ranked[k].candidate;
      TP_CHECK(!kept[c].pattern_map.empty(), kInvalidArgument,
               "shortlist face " << c << " carries no pattern map: the cut order needs it");
      coherent = probe_coherence_of(*probe_phase, kept[c].pattern_map, ranked[k].comparison, b_mirrored[c] != 0, p) >=
                 p.link_cluster_min_coherence;
    }
    if (!coherent && r < p.link_cluster_weak_ncc) continue;
    LinkFace face = order_face(ranked[k].candidate, kept, p);
    std::vector<LinkComparison> links(strong);
    bool joins = coherent;
    for (std::size_t m = 0; m < strong; ++m) {
      links[m] = compare_link_faces(o.faces[m], face, p);
      ++comparisons;
      joins = joins || (r >= p.link_cluster_weak_ncc && registration(links[m]) >= p.link_cluster_min_ncc);
    }
    if (!joins) {
      kept[ranked[k].candidate] = std::move(face);  // still a candidate to fill a gap
      continue;
    }
    o.members.push_back(k);
    o.faces.push_back(std::move(face));
    pulled_links.push_back(std::move(links));
  }
}

// Comparisons among the probe (0) and the order's faces (1..), for i < j with face i as a;
// the pulled faces' comparisons with the members come from pull_missing_faces.
std::vector<std::vector<OrderPair>> member_pairs(const std::vector<RankedLink>& ranked, const OrderFaces& o,
                                                 std::size_t strong,
                                                 const std::vector<std::vector<LinkComparison>>& pulled_links,
                                                 const std::vector<char>& b_mirrored, const SchregerParams& p,
                                                 int& comparisons) {
  const std::size_t n = o.members.size() + 1;
  std::vector<std::vector<OrderPair>> pairs(n, std::vector<OrderPair>(n));
  for (std::size_t i = 1; i < n; ++i) {
    const RankedLink& r = ranked[o.members[i - 1]];
    pairs[0][i] = {r.comparison, b_mirrored[r.candidate] != 0};
  }
  for (std::size_t i = 1; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      if (i <= strong && j > strong) {
        pairs[i][j].comparison = pulled_links[j - 1 - strong][i - 1];
        continue;
      }
      pairs[i][j].comparison = compare_link_faces(o.faces[i - 1], o.faces[j - 1], p);
      ++comparisons;
    }
  return pairs;
}

// The pattern phases of the order's faces (0: the probe), plain and mirrored, made when first
// asked for.
class OrderPhases {
 public:
  OrderPhases(const LinkFace& probe, const OrderFaces& o, const SchregerParams& p) : p_(p) {
    maps_.push_back(&probe.pattern_map);
    for (const LinkFace& f : o.faces) maps_.push_back(&f.pattern_map);
    plain_.resize(maps_.size());
    mirrored_.resize(maps_.size());
  }
  const PatternPhase& of(std::size_t node, bool mirrored) {
    std::optional<PatternPhase>& slot = mirrored ? mirrored_[node] : plain_[node];
    if (!slot) slot = mirrored ? mirror_phase(of(node, false)) : pattern_phase(*maps_[node], false, p_);
    return *slot;
  }

 private:
  const SchregerParams& p_;
  std::vector<const cv::Mat*> maps_;
  std::vector<std::optional<PatternPhase>> plain_, mirrored_;
};

// Coherence of face j registered onto face i by their better registration.
double pair_coherence(OrderPhases& phases, std::size_t i, std::size_t j, const OrderPair& pair,
                      const SchregerParams& p) {
  const LinkComparison& c = pair.comparison;
  if (!c.mirrored_fits_better) return pattern_coherence(phases.of(i, false), phases.of(j, false), c.plain, p);
  return pair.b_mirrored ? pattern_coherence(phases.of(i, false), phases.of(j, true), c.mirrored, p)
                         : pattern_coherence(phases.of(i, true), phases.of(j, false), c.mirrored, p);
}

// How much a size step is trusted in the fit of the positions (params.hpp).
double size_step_weight(const SizeStep& s, const SchregerParams& p) {
  if (!p.link_size_weight_steps) return 1.0;
  const double residual = std::isfinite(s.residual_mm) ? s.residual_mm : p.link_size_unknown_residual_mm;
  return std::sqrt(double(s.columns)) / (residual + p.link_size_residual_floor_mm);
}

// How far apart the faces of the order are in size (outline_profile.hpp): positions fitted to
// the size steps of the pairs that register well enough over enough outer arc, and per pair
// link_order_size_weight * min(|x_i - x_j| / scale, cap). Pairs whose faces have no position
// in a common group get the mean penalty of those that have (neither favoured nor held back
// against the typical pair of this order); all 0 when no pair has one.
std::vector<std::vector<double>> size_penalties(const std::vector<std::vector<OrderPair>>& pairs,
                                                const SchregerParams& p, FacePositions& at) {
  const std::size_t n = pairs.size();
  std::vector<FaceStep> steps;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const LinkComparison& c = pairs[i][j].comparison;
      if (c.size.columns > 0 && registration(c) >= p.link_size_min_ncc)
        steps.push_back({int(i), int(j), c.size.step_mm, size_step_weight(c.size, p)});
    }
  at = positions_from_steps(int(n), steps, p.link_size_huber_mm);
  constexpr double kUnknown = -1;
  std::vector<std::vector<double>> pen(n, std::vector<double>(n, kUnknown));
  double sum = 0;
  int known = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      if (at.group[i] < 0 || at.group[i] != at.group[j]) continue;
      pen[i][j] = pen[j][i] = p.link_order_size_weight *
                              std::min(std::abs(at.x[i] - at.x[j]) / p.link_order_size_scale_mm, p.link_order_size_cap);
      sum += pen[i][j], ++known;
    }
  const double fill = known > 0 ? sum / known : 0.0;
  for (auto& row : pen)
    for (double& v : row)
      if (v == kUnknown) v = fill;
  return pen;
}

// The weight of each pair in the cut order: how close the faces are along the tusk,
// -ln(1 - coherence) (the log of how much the local phase difference varies) less
// link_order_ncc_weight times the registration NCC (noise lowers both, the drift between faces
// mostly the coherence, so at equal coherence a better registration means more drift), a
// bonus for mirror images (facing cut faces are), less the size penalty. Symmetric; coherence
// of the probe's pairs in `probe_coherence`.
std::vector<std::vector<double>> order_weights(const std::vector<std::vector<OrderPair>>& pairs, OrderPhases& phases,
                                               const SchregerParams& p, std::vector<double>& probe_coherence,
                                               std::vector<std::vector<double>>& size, FacePositions& at) {
  constexpr double kMaxCoherence = 0.999;  // keeps the log finite
  const std::size_t n = pairs.size();
  size = size_penalties(pairs, p, at);
  std::vector<std::vector<double>> w(n, std::vector<double>(n, 0.0));
  probe_coherence.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const OrderPair& pair = pairs[i][j];
      const double coherence = pair_coherence(phases, i, j, pair, p);
      if (i == 0) probe_coherence[j] = coherence;
      w[i][j] = w[j][i] = -std::log(1.0 - std::min(coherence, kMaxCoherence)) -
                          p.link_order_ncc_weight * registration(pair.comparison) +
                          p.link_order_handedness_bonus * (pair.comparison.mirrored_fits_better ? 1 : 0) - size[i][j];
    }
  return w;
}

// The face that fills the gap next to the probe: with no neighbour in the order taken as
// adjacent, the shortlist face outside the order (among those kept from the 1:1 stage) that
// registers best as the mirror image of one of the probe's order neighbours, at
// link_gap_min_ncc or better, mirrored above plain by link_gap_min_margin, over
// link_gap_min_overlap cells. Its position in `ranked`, or -1 when none does.
std::ptrdiff_t gap_face(const std::vector<RankedLink>& ranked, const std::vector<LinkFace>& kept,
                        const OrderFaces& o, const std::vector<int>& order, std::ptrdiff_t probe_at,
                        const SchregerParams& p, int& comparisons) {
  std::ptrdiff_t best = -1;
  double best_ncc = -1;
  for (std::ptrdiff_t side : {-1, 1}) {
    const std::ptrdiff_t i = probe_at + side;
    if (i < 0 || i >= std::ptrdiff_t(order.size())) continue;
    const LinkFace& neighbour = o.faces[std::size_t(order[std::size_t(i)] - 1)];
    for (std::size_t k = 0; k < ranked.size(); ++k) {
      const LinkFace& face = kept[ranked[k].candidate];
      if (ranked[k].same_tusk || face.pattern_map.empty()) continue;
      const LinkComparison c = compare_link_faces(neighbour, face, p);
      ++comparisons;
      const double ncc = c.mirrored.score;
      if (ncc < p.link_gap_min_ncc || ncc - c.plain.score < p.link_gap_min_margin ||
          c.mirrored.overlap < p.link_gap_min_overlap)
        continue;
      if (ncc > best_ncc) best_ncc = ncc, best = std::ptrdiff_t(k);
    }
  }
  return best;
}

}  // namespace

std::vector<int> best_cut_order(const std::vector<std::vector<double>>& link) {
  const int n = int(link.size());
  TP_CHECK(n >= 1 && n <= kMaxCutOrderFaces, kInvalidArgument,
           "cut order needs 1.." << kMaxCutOrderFaces << " faces, got " << n);
  for (int i = 0; i < n; ++i)
    TP_CHECK(int(link[std::size_t(i)].size()) == n, kInvalidArgument,
             "link matrix row " << i << " has " << link[std::size_t(i)].size() << " values, expected " << n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double v = link[std::size_t(i)][std::size_t(j)];
      if (i == j) continue;
      TP_CHECK(std::isfinite(v), kInvalidArgument, "link matrix value [" << i << "][" << j << "] is not finite");
      TP_CHECK(v == link[std::size_t(j)][std::size_t(i)], kInvalidArgument,
               "link matrix is not symmetric at [" << i << "][" << j << "]");
    }
  }
  if (n == 1) return {0};
  // Held-Karp over subsets: best[mask][last] = highest sum of a path through `mask` ending at
  // `last`; exact and ~n^2 2^n steps.
  const std::size_t states = std::size_t(1) << n;
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  std::vector<double> best(states * std::size_t(n), kNone);
  std::vector<int> from(states * std::size_t(n), -1);
  auto at = [n](std::size_t mask, int last) { return mask * std::size_t(n) + std::size_t(last); };
  for (int i = 0; i < n; ++i) best[at(std::size_t(1) << i, i)] = 0.0;
  for (std::size_t mask = 1; mask < states; ++mask)
    for (int last = 0; last < n; ++last) {
      const double here = best[at(mask, last)];
      if (here == kNone) continue;
      for (int next = 0; next < n; ++next) {
        if (mask & (std::size_t(1) << next)) continue;
        const std::size_t m2 = mask | (std::size_t(1) << next);
        const double v = here + link[std::size_t(last)][std::size_t(next)];
        if (v > best[at(m2, next)]) best[at(m2, next)] = v, from[at(m2, next)] = last;
      }
    }
  const std::size_t full = states - 1;
  int last = 0;
  for (int i = 1; i < n; ++i)
    if (best[at(full, i)] > best[at(full, last)]) last = i;
  std::vector<int> order;
  for (std::size_t mask = full; last >= 0;) {
    order.push_back(last);
    const int prev = from[at(mask, last)];
    mask &= ~(std::size_t(1) << last);
    last = prev;
  }
  std::reverse(order.begin(), order.end());
  return order;
}

LinkRanking rank_link_candidates(const LinkFace& probe, std::size_t count, const LinkFaceSource& source,
                                 const SchregerParams& p) {
  TP_CHECK(!probe.pattern_plain.values.empty() && !probe.pattern_mirrored.values.empty(), kInvalidArgument,
           "the probe face needs its pattern map, prepared with its mirrored transforms");
  TP_CHECK(!probe.pattern_map.empty(), kInvalidArgument,
           "the probe face carries no pattern map (prepare it with prepare_link_face)");
  TP_CHECK(count == 0 || bool(source), kInvalidArgument, "no face source given for " << count << " shortlist faces");
  TP_CHECK(p.link_cluster_max_faces >= 1 && p.link_cluster_max_faces <= kMaxCutOrderFaces, kInvalidArgument,
           "link_cluster_max_faces must be 1.." << kMaxCutOrderFaces << ", got " << p.link_cluster_max_faces);
  LinkRanking out;
  std::vector<LinkFace> kept;
  std::vector<char> b_mirrored;
  out.candidates = score_candidates(probe, count, source, p, kept, b_mirrored);
  out.pair_comparisons = int(count);
  const std::vector<std::size_t> strong = same_tusk_members(out.candidates, p);
  OrderFaces faces = start_order(out.candidates, strong, kept, p);
  std::vector<std::vector<LinkComparison>> pulled_links;
  pull_missing_faces(probe, out.candidates, faces, kept, b_mirrored, p, out.pair_comparisons, pulled_links);
  const std::vector<std::size_t>& members = faces.members;
  for (std::size_t k : members) out.candidates[k].same_tusk = true;
  if (members.size() < 2) return out;

  const auto pairs = member_pairs(out.candidates, faces, strong.size(), pulled_links, b_mirrored, p,
                                  out.pair_comparisons);
  OrderPhases phases(probe, faces, p);
  std::vector<double> probe_coherence;
  std::vector<std::vector<double>> size;
  FacePositions at;
  const auto weight = order_weights(pairs, phases, p, probe_coherence, size, at);
  for (std::size_t i = 1; i < weight.size(); ++i) {
    RankedLink& r = out.candidates[members[i - 1]];
    r.coherence = probe_coherence[i];
    r.order_weight = weight[0][i];
    r.size_penalty = size[0][i];
  }
  const std::vector<int> order = best_cut_order(weight);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int node = order[i];
    out.cut_order.push_back(node == 0 ? LinkRanking::kProbe
                                      : std::ptrdiff_t(out.candidates[members[std::size_t(node - 1)]].candidate));
    if (i + 1 < order.size()) out.order_weight_sum += weight[std::size_t(node)][std::size_t(order[i + 1])];
  }
  // A neighbour in the order is an adjacent face only if it is the probe's mirror image (facing
  // cut faces are); one of the same handedness next to it means a face is missing between them.
  // Unless the faces beyond it on that side (at least link_order_parity_faces of them) all
  // have the handedness a complete chain gives them (mirror images of the probe at an odd
  // number of places from it, not at an even one): then the chain has no gap, and the
  // neighbour's own pair misread its handedness.
  const std::ptrdiff_t probe_at = std::find(order.begin(), order.end(), 0) - order.begin();
  const auto member_at = [&](std::ptrdiff_t i) -> RankedLink& {
    return out.candidates[members[std::size_t(order[std::size_t(i)] - 1)]];
  };
  for (std::ptrdiff_t side : {-1, 1}) {
    const std::ptrdiff_t i = probe_at + side;
    if (i < 0 || i >= std::ptrdiff_t(order.size())) continue;
    RankedLink& r = member_at(i);
    r.order_neighbour = true;
    r.adjacent_in_order = r.comparison.mirrored_fits_better;
    int beyond = 0;
    bool chain = true;
    for (std::ptrdiff_t k = i + side; k >= 0 && k < std::ptrdiff_t(order.size()); k += side, ++beyond)
      chain = chain && member_at(k).comparison.mirrored_fits_better == ((k - probe_at) % 2 != 0);
    // And not a face of another tusk that joined the order: the sizes place it near the probe
    // (positions fitted to all the order's steps; a misread pair's own step is no evidence, its
    // registration being the wrong one).
    const std::size_t node = std::size_t(order[std::size_t(i)]);
    const bool near_in_size = at.group[0] >= 0 && at.group[0] == at.group[node] &&
                              std::abs(at.x[0] - at.x[node]) <= p.link_order_parity_max_size_mm;
    if (p.link_order_parity_faces > 0 && beyond >= p.link_order_parity_faces && chain && near_in_size)
      r.adjacent_in_order = true;
  }
  // With no neighbour taken as adjacent, a face outside the order may fill the gap next to the
  // probe (gap_face): it comes first. Then the probe's neighbours (the heavier pair first), then
  // the rest by link score. With no neighbour taken as adjacent, the order neighbours all the
  // same (the fallback).
  const bool any_adjacent = std::any_of(out.candidates.begin(), out.candidates.end(),
                                        [](const RankedLink& r) { return r.adjacent_in_order; });
  if (!any_adjacent && p.link_gap_min_ncc > 0) {
    const std::ptrdiff_t gap = gap_face(out.candidates, kept, faces, order, probe_at, p, out.pair_comparisons);
    if (gap >= 0) out.candidates[std::size_t(gap)].fills_gap = true;
  }
  const bool fallback = !any_adjacent && p.link_order_neighbours_fallback;
  const auto neighbours_end =
      std::stable_partition(out.candidates.begin(), out.candidates.end(), [fallback](const RankedLink& r) {
        return r.fills_gap || (fallback ? r.order_neighbour : r.adjacent_in_order);
      });
  std::stable_sort(out.candidates.begin(), neighbours_end, [](const RankedLink& a, const RankedLink& b) {
    if (a.fills_gap != b.fills_gap) return a.fills_gap;
    return a.order_weight > b.order_weight;
  });
  return out;
}

}  // namespace tuskprint::schreger
