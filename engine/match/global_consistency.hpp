#pragma once
// Global consistency of a match: do the pairs that made the MCC score agree on one
// placement of the two prints, and does that placement pair up most of the minutiae in
// the area the two prints share?
//
//   each pair that made the score (an anchor) proposes the rigid alignment that puts its
//     two minutiae on each other; proposals are ranked by how many anchors they place on
//     their mates (within 1.5 x consistency_distance and consistency_angle);
//   the consistency_alignments best proposals are tried in full: minutiae are paired one to
//     one (nearest first) at the loose tolerance, the alignment is refitted to those pairs
//     (least squares, when there are at least 3), and minutiae are paired again within
//     consistency_distance and consistency_angle; the alignment pairing most wins and is
//     refitted once more;
//   overlap_a = minutiae of a that land inside b's minutiae hull (grown by
//     consistency_hull_margin, mitred corners), overlap_b likewise through the inverse;
//   factor = paired^2 / (max(overlap_a, m0) * max(overlap_b, m0)), m0 = consistency_min_overlap.
//
// MCC's local similarities and relaxation see only neighbourhoods up to the cylinder
// radius; this looks at the whole common area, and it normalises by both templates'
// minutia counts there, so that a template with very many minutiae cannot score well
// against any probe through a handful of chance pairs.
#include <vector>

#include "match/cylinder.hpp"
#include "match/global_score.hpp"
#include "match/parameters.hpp"

namespace tuskprint::match {

// Rotation by `rotation` (rad, CCW, y-up frame) then translation: a -> b coordinates.
struct RigidAlignment {
  float rotation = 0;
  float tx = 0;
  float ty = 0;
};

struct GlobalConsistency {
  int paired = 0;         // minutiae paired one to one under `alignment`
  int overlap_a = 0;      // minutiae of a inside b's area after alignment
  int overlap_b = 0;      // minutiae of b inside a's area
  double factor = 0;      // 0..1, see above
  RigidAlignment alignment;
};

// `anchors` are the pairs that made the score (GlobalScore::pairs). Deterministic.
GlobalConsistency global_consistency(const CylinderSet& a, const CylinderSet& b,
                                     const std::vector<CylinderPair>& anchors,
                                     const MccParameters& parameters = default_parameters());

}  // namespace tuskprint::match
