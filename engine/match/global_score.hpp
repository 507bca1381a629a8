#pragma once
// From the local similarity matrix to one score (MCC Section 5).
//   LSS:   mean of the nP largest local similarities.
//   LSS-R: the nR = min(nA, nB) largest pairs are relaxed: each pair's similarity is
//          reinforced by the pairs geometrically compatible with it (distance, direction
//          difference and radial angle agree), n_rel times; the nP pairs that kept the
//          largest share of their initial similarity (efficiency) are averaged.
// nP = minNP + round(Z(min(nA, nB); mu_P, tau_P) * (maxNP - minNP)).
// With parameters.global_consistency the score is then multiplied by
// consistency_factor^consistency_exponent (global_consistency.hpp).
#include <vector>

#include "match/cylinder.hpp"
#include "match/parameters.hpp"

namespace tuskprint::match {

enum class Consolidation { kLss, kLssRelaxed };

struct CylinderPair {
  int cylinder_a = 0;
  int cylinder_b = 0;
  float local_similarity = 0;    // Gamma(a, b)
  float relaxed_similarity = 0;  // after relaxation (equal to local_similarity for LSS)
};

struct GlobalScore {
  double score = 0;                 // 0..1
  double consolidated_score = 0;    // LSS / LSS-R alone, before the consistency factor
  int paired_minutiae = 0;          // global consistency: paired under the best alignment
  double consistency_factor = 1;    // ... and the factor (1 when the check is off)
  int pairs_required = 0;           // nP
  std::vector<CylinderPair> pairs;  // the (at most nP) pairs that made the score, best first
};

// nP for templates with `cylinders_a` and `cylinders_b` valid cylinders.
int number_of_pairs(int cylinders_a, int cylinders_b,
                    const MccParameters& parameters = default_parameters());

// `gamma` is local_similarity_matrix(a, b, ...). Deterministic: ties break on indices.
GlobalScore global_score(const CylinderSet& a, const CylinderSet& b, const std::vector<float>& gamma,
                         Consolidation consolidation,
                         const MccParameters& parameters = default_parameters());

}  // namespace tuskprint::match
