#pragma once
// How good a set of likelihood ratios is, on comparisons whose truth is known.
//
//   Cllr = 1/2 [ mean over genuine of log2(1 + 1/LR) + mean over impostor of log2(1 + LR) ]
//
// (log-likelihood-ratio cost, Brummer & du Preez 2006). 0 for perfect, always-right
// infinite LRs; exactly 1 for a system that always says LR = 1; above 1 for LRs that
// mislead. Cllr_min is the Cllr after the best monotone re-mapping of the scores (PAV on
// the set itself, no pseudo-counts): what is left is discrimination loss, the difference
// Cllr - Cllr_min is calibration loss.
//
// Rates of misleading evidence: RMEP = share of genuine comparisons with LR < 1 (misleading
// in favour of the defence), RMED = share of impostor comparisons with LR > 1 (misleading
// in favour of the prosecution). LR = 1 exactly is neutral and counts as neither.
#include <cstddef>
#include <functional>
#include <vector>

#include "lr/labelled_scores.hpp"

namespace tuskprint::lr {

struct EvidenceMetrics {
  std::size_t genuine = 0;
  std::size_t impostor = 0;
  double cllr = 0;
  double cllr_min = 0;
  double rmep = 0;
  double rmed = 0;
  double eer = 0;  // of the scores (fraction), for orientation
  double log10_lr_min = 0, log10_lr_max = 0;  // extremes given on this set
};

// Cllr of log10 LRs (+-infinity allowed: an infinite LR in the right direction costs 0).
// Error(kInvalidArgument) when either list is empty or holds a NaN.
double cllr(const std::vector<double>& genuine_log10_lr, const std::vector<double>& impostor_log10_lr);

// log10 LR of each comparison after PAV on the set itself (can be +-infinity).
ScoreSet pav_log10_lr(const ScoreSet& scores);
double cllr_min(const ScoreSet& scores);

// Every figure above for `log10_lr` applied to the scores.
EvidenceMetrics evidence_metrics(const ScoreSet& scores, const std::function<double(double)>& log10_lr);

}  // namespace tuskprint::lr
