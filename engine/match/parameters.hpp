#pragma once
// Every tuning constant of the MCC matcher, in one place. Values follow Cappelli,
// Ferrara & Maltoni, "Minutia Cylinder-Code: a new representation and matching
// technique for fingerprint recognition", IEEE TPAMI 32(12), 2010 (lengths in pixels
// at 500 ppi). The set is hashed into `parameters_hash()` so that scores and stored
// cylinders can name the configuration that produced them.
#include <numbers>
#include <string>

namespace tuskprint::match {

struct MccParameters {
  // ---- cylinder (Section 3) ----
  float radius = 70;                        // R: cylinder radius (px)
  int spatial_cells = 16;                   // NS: cells per side of the base grid
  int direction_cells = 6;                  // ND: angular slices of 2*pi/ND each
  float sigma_spatial = 28.0f / 3.0f;       // sigma_S: spatial Gaussian (px)
  float sigma_direction = 2 * std::numbers::pi_v<float> / 9;  // sigma_D (rad)
  float sigmoid_mu = 0.01f;                 // mu_psi: cell-sum threshold (also the bit cut)
  float sigmoid_tau = 400;                  // tau_psi: cell-sum sigmoid slope
  float hull_margin = 50;                   // omega: convex hull grown by this (px)
  bool use_foreground = false;              // when the template carries a foreground mask, a cell
                                            //   must also lie on the imaged finger (not in the paper,
                                            //   whose ISO templates have no mask)
  float foreground_margin = 32;             // the foreground mask is grown by this (px): minutiae
                                            //   just beyond the segmented edge are still unknown
  float min_valid_cells = 0.75f;            // min_VC: fraction of in-circle cells that are valid
  int min_contributing_minutiae = 2;        // min_M: other minutiae within R + 3 sigma_S
  float neighbour_cutoff_sigmas = 3;        // spatial contributions beyond 3 sigma_S ignored

  // ---- cylinder similarity (Section 4) ----
  float max_direction_difference = std::numbers::pi_v<float> / 2;  // delta_theta
  float min_matchable_cells = 0.6f;         // min_ME: fraction of in-circle cells valid in both

  // ---- global score (Section 5) ----
  float pairs_sigmoid_mu = 20;              // mu_P: nP = minNP + round(Z(min(nA,nB)) * (max-min))
  float pairs_sigmoid_tau = 0.4f;           // tau_P
  int min_pairs = 4;                        // minNP
  int max_pairs = 12;                       // maxNP

  // ---- relaxation (LSS-R, Section 5.3) ----
  bool one_to_one_pairs = false;            // relaxation candidates: each minutia in at most one
                                            //   pair (greedy assignment) instead of the plain sort
  int relaxation_iterations = 5;            // n_rel
  float relaxation_weight = 0.5f;           // w_R: weight of a pair's own previous value
  float distance_mu = 5;                    // mu_1^rho: |d_A - d_B| (px) at which rho_1 = 1/2
  float distance_tau = -8.0f / 5.0f;        // tau_1^rho
  float direction_mu = std::numbers::pi_v<float> / 12;   // mu_2^rho: direction-difference disagreement
  float direction_tau = -30;                // tau_2^rho
  float radial_mu = std::numbers::pi_v<float> / 12;      // mu_3^rho: radial-angle disagreement
  float radial_tau = -30;                   // tau_3^rho

  // ---- global consistency (not in the paper; global_consistency.hpp) ----
  // The pairs that made the score propose rigid alignments; under the best one, minutiae of
  // the two templates are paired one to one, and the score is multiplied by
  // (paired^2 / (overlap_a * overlap_b))^exponent: the share of the minutiae inside the
  // common area that found a mate. Impostor pairs whose best local pairs agree only
  // by chance, and templates with very many minutiae, lose most of their score.
  bool global_consistency = true;           // off: the paper's LSS / LSS-R score alone
  float consistency_distance = 15;          // px: paired minutiae lie this close after alignment
                                            //   (about 1.5 ridge periods: skin distortion)
  float consistency_angle = 0.5f;           // rad (~29 deg): ... and differ this little in direction
  float consistency_hull_margin = 10;       // px: a minutia is in the common area when it falls
                                            //   inside the other's minutiae hull grown by this
  float consistency_min_overlap = 6;        // the overlap counts are at least this: three paired
                                            //   minutiae in a sliver of overlap are not a full match
  int consistency_alignments = 2;           // the alignments (proposed by the score's pairs, ranked by
                                            //   how many other pairs agree) that are tried in full
  float consistency_exponent = 0.5f;        // 0.5: the factor is paired / geometric-mean overlap
};

// The default parameter set: the paper's values plus the global consistency check.
const MccParameters& default_parameters();

// sha256 hex of a canonical text form of `p` (every field, fixed precision).
std::string parameters_hash(const MccParameters& p = default_parameters());

// Version of the matcher's algorithm; bump when scores change for the same input.
// mcc-1.1: global consistency factor (paired minutiae over the common area).
inline constexpr const char* kMatcherVersion = "mcc-1.1";

}  // namespace tuskprint::match
