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
};

// The default (paper) parameter set.
const MccParameters& default_parameters();

// sha256 hex of a canonical text form of `p` (every field, fixed precision).
std::string parameters_hash(const MccParameters& p = default_parameters());

// Version of the matcher's algorithm; bump when scores change for the same input.
inline constexpr const char* kMatcherVersion = "mcc-1.0";

}  // namespace tuskprint::match
