#include "match/global_consistency.hpp"

#include <algorithm>
#include <cmath>

#include "match/angles.hpp"
#include "match/convex_hull.hpp"

namespace tuskprint::match {
namespace {

struct Rigid {
  RigidAlignment alignment;
  float cos = 1;
  float sin = 0;

  explicit Rigid(RigidAlignment r = {})
      : alignment(r), cos(std::cos(r.rotation)), sin(std::sin(r.rotation)) {}
  Point forward(float x, float y) const {
    return {cos * x - sin * y + alignment.tx, sin * x + cos * y + alignment.ty};
  }
  Point inverse(float x, float y) const {
    const float ex = x - alignment.tx, ey = y - alignment.ty;
    return {cos * ex + sin * ey, -sin * ex + cos * ey};
  }
};

// The alignment that puts minutia i of a onto minutia j of b, directions included.
Rigid anchored_at(const CylinderSet& a, int i, const CylinderSet& b, int j) {
  Rigid r({angle_difference(b.direction[j], a.direction[i]), 0, 0});
  const Point moved = r.forward(a.x[i], a.y[i]);
  r.alignment.tx = b.x[j] - moved.x;
  r.alignment.ty = b.y[j] - moved.y;
  return r;
}

struct Candidate {
  float distance_squared;
  int a;
  int b;
};

// Pairs minutiae of a (aligned) with those of b one to one, nearest first. Returns the
// count; mate_of_a[i] is the paired minutia of b or -1. b is searched through its
// minutiae sorted by x, so each minutia of a looks only at a narrow strip of b.
class MinutiaPairing {
 public:
  explicit MinutiaPairing(const CylinderSet& b) : b_by_x_(static_cast<std::size_t>(b.size())) {
    for (int j = 0; j < b.size(); ++j) b_by_x_[j] = {b.x[j], j};
    std::sort(b_by_x_.begin(), b_by_x_.end(), [](const Sorted& u, const Sorted& v) {
      return u.x != v.x ? u.x < v.x : u.index < v.index;
    });
  }

  int pair(const CylinderSet& a, const CylinderSet& b, const Rigid& r, float max_distance,
           float max_angle) {
    const float limit = max_distance * max_distance;
    candidates_.clear();
    for (int i = 0; i < a.size(); ++i) {
      const Point q = r.forward(a.x[i], a.y[i]);
      const float direction = a.direction[i] + r.alignment.rotation;
      auto it = std::lower_bound(b_by_x_.begin(), b_by_x_.end(), q.x - max_distance,
                                 [](const Sorted& u, float x) { return u.x < x; });
      for (; it != b_by_x_.end() && it->x <= q.x + max_distance; ++it) {
        const int j = it->index;
        const float ex = q.x - b.x[j], ey = q.y - b.y[j];
        const float d2 = ex * ex + ey * ey;
        if (d2 > limit || std::fabs(angle_difference(direction, b.direction[j])) > max_angle) continue;
        candidates_.push_back({d2, i, j});
      }
    }
    std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& x, const Candidate& y) {
      if (x.distance_squared != y.distance_squared) return x.distance_squared < y.distance_squared;
      if (x.a != y.a) return x.a < y.a;
      return x.b < y.b;
    });
    mate_of_a.assign(static_cast<std::size_t>(a.size()), -1);
    b_used_.assign(static_cast<std::size_t>(b.size()), 0);
    int count = 0;
    for (const Candidate& c : candidates_) {
      if (mate_of_a[c.a] >= 0 || b_used_[c.b]) continue;
      mate_of_a[c.a] = c.b;
      b_used_[c.b] = 1;
      ++count;
    }
    return count;
  }

  std::vector<int> mate_of_a;

 private:
  struct Sorted {
    float x;
    int index;
  };
  std::vector<Sorted> b_by_x_;
  std::vector<Candidate> candidates_;
  std::vector<unsigned char> b_used_;
};

// Least-squares rigid alignment (rotation and translation, no scale) of the paired minutiae.
Rigid fitted_to(const CylinderSet& a, const CylinderSet& b, const std::vector<int>& mate_of_a) {
  double ax = 0, ay = 0, bx = 0, by = 0;
  int n = 0;
  for (int i = 0; i < a.size(); ++i) {
    if (mate_of_a[i] < 0) continue;
    ax += a.x[i];
    ay += a.y[i];
    bx += b.x[mate_of_a[i]];
    by += b.y[mate_of_a[i]];
    ++n;
  }
  ax /= n;
  ay /= n;
  bx /= n;
  by /= n;
  double dot = 0, cross = 0;
  for (int i = 0; i < a.size(); ++i) {
    if (mate_of_a[i] < 0) continue;
    const double px = a.x[i] - ax, py = a.y[i] - ay;
    const double qx = b.x[mate_of_a[i]] - bx, qy = b.y[mate_of_a[i]] - by;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
  }
  Rigid r({static_cast<float>(std::atan2(cross, dot)), 0, 0});
  const Point moved = r.forward(static_cast<float>(ax), static_cast<float>(ay));
  r.alignment.tx = static_cast<float>(bx) - moved.x;
  r.alignment.ty = static_cast<float>(by) - moved.y;
  return r;
}

// How many anchors agree with `proposal`: their minutiae land on their mates within the
// loose tolerance.
int agreeing_anchors(const CylinderSet& a, const CylinderSet& b, const std::vector<CylinderPair>& anchors,
                     const Rigid& proposal, float max_distance, float max_angle) {
  int votes = 0;
  for (const CylinderPair& k : anchors) {
    const Point q = proposal.forward(a.x[k.cylinder_a], a.y[k.cylinder_a]);
    const float ex = q.x - b.x[k.cylinder_b], ey = q.y - b.y[k.cylinder_b];
    const float turn = angle_difference(a.direction[k.cylinder_a] + proposal.alignment.rotation,
                                        b.direction[k.cylinder_b]);
    if (ex * ex + ey * ey <= max_distance * max_distance && std::fabs(turn) <= max_angle) ++votes;
  }
  return votes;
}

}  // namespace

GlobalConsistency global_consistency(const CylinderSet& a, const CylinderSet& b,
                                     const std::vector<CylinderPair>& anchors, const MccParameters& p) {
  GlobalConsistency result;
  if (anchors.empty() || a.size() == 0 || b.size() == 0) return result;
  // A single anchor's direction is known only to a few degrees, and it sits at one end of
  // the print: alignments are compared at 1.5 times the pairing distance, then refitted.
  const float loose_distance = 1.5f * p.consistency_distance;

  // Every anchor proposes an alignment; proposals are ranked by how many anchors agree.
  std::vector<Rigid> proposals;
  std::vector<std::pair<int, std::size_t>> ranked;  // (-agreeing anchors, proposal): best first
  for (const CylinderPair& anchor : anchors) {
    proposals.push_back(anchored_at(a, anchor.cylinder_a, b, anchor.cylinder_b));
    ranked.push_back({-agreeing_anchors(a, b, anchors, proposals.back(), loose_distance, p.consistency_angle),
                      proposals.size() - 1});
  }
  std::sort(ranked.begin(), ranked.end());

  // The best-ranked proposals are tried in full: pair loosely, refit the alignment to every
  // pair found (least squares), pair at the real tolerance.
  MinutiaPairing pairing(b);
  Rigid best;
  std::vector<int> best_mates;
  const std::size_t tries = std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(std::max(p.consistency_alignments, 1)));
  for (std::size_t t = 0; t < tries; ++t) {
    Rigid r = proposals[ranked[t].second];
    const int loose = pairing.pair(a, b, r, loose_distance, p.consistency_angle);
    if (loose <= result.paired) continue;  // the tight count would not beat the best either
    if (loose >= 3) r = fitted_to(a, b, pairing.mate_of_a);
    const int paired = pairing.pair(a, b, r, p.consistency_distance, p.consistency_angle);
    if (paired > result.paired) {
      result.paired = paired;
      best = r;
      best_mates = pairing.mate_of_a;
    }
  }
  if (result.paired == 0) return result;
  // One more fit to everything the best alignment paired, at the real tolerance.
  if (result.paired >= 3) {
    const Rigid refined = fitted_to(a, b, best_mates);
    const int paired = pairing.pair(a, b, refined, p.consistency_distance, p.consistency_angle);
    if (paired > result.paired) {
      result.paired = paired;
      best = refined;
    }
  }
  result.alignment = best.alignment;
  const float margin = p.consistency_hull_margin;
  for (int i = 0; i < a.size(); ++i) result.overlap_a += b.outline.contains(best.forward(a.x[i], a.y[i]), margin) ? 1 : 0;
  for (int j = 0; j < b.size(); ++j) result.overlap_b += a.outline.contains(best.inverse(b.x[j], b.y[j]), margin) ? 1 : 0;
  const double m = result.paired;
  const double floor = p.consistency_min_overlap;
  result.factor = std::min(1.0, m * m / (std::max<double>(result.overlap_a, floor) *
                                         std::max<double>(result.overlap_b, floor)));
  return result;
}

}  // namespace tuskprint::match
