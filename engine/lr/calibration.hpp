#pragma once
// Score -> log10 likelihood ratio functions and how they are fitted.
//
// LR(s) = P(s | same source) / P(s | different sources). Two fitted forms:
//
// * PAV (pav.hpp): the isotonic posterior P(genuine | s) from the fitting pairs, turned
//   into an LR by dividing its odds by the fitting set's prior odds (genuine / impostor
//   counts). Laplace's rule at the ends: one pseudo genuine comparison below the lowest
//   score and one pseudo impostor comparison above the highest, so that no block has a
//   zero count and no LR is 0 or infinite. The curve keeps PAV's value across each
//   block's own score range and runs linearly across the gap to the next block (knots at
//   both ends of every block), so it is continuous and monotone.
// * Logistic regression, ln LR = a + b x with x the score or ln(score + offset), fitted
//   by Newton's method with each class weighing one half (prior-weighted logistic
//   regression: its loss is Cllr * ln 2, so it minimises Cllr on the fitting set among
//   affine maps; Brummer & du Preez 2006, Morrison 2013).
//
// Either way the evidence is bounded by what the fitting data can support: scores are
// clamped into the range seen when fitting, and log10 LR into
// [-log10(genuine pairs), +log10(impostor pairs)]: with N impostor pairs, none above a
// score, the data cannot vouch for a random-match rate below 1/N (an upper bound in the
// spirit of Vergeer et al. 2016, "empirical lower and upper bound" LRs). PAV with the
// Laplace pseudo-counts already stays inside these bounds; logistic regression needs them.
//
// The maths is written here: Debian packages no C++ library for score calibration.
#include <string>
#include <vector>

#include "lr/labelled_scores.hpp"

namespace tuskprint::lr {

enum class CalibrationMethod {
  kPav,               // isotonic posterior with prior-odds correction
  kLogisticScore,     // ln LR = a + b * score
  kLogisticLogScore,  // ln LR = a + b * ln(score + offset)
};

// "pav", "logistic-score", "logistic-log-score".
const char* to_string(CalibrationMethod method);
// Error(kInvalidArgument) naming the text otherwise.
CalibrationMethod parse_calibration_method(const std::string& text);

struct Calibration {
  CalibrationMethod method = CalibrationMethod::kPav;
  // kPav: strictly increasing knot scores with non-decreasing log10 LR values.
  std::vector<double> knot_scores;
  std::vector<double> knot_log10_lr;
  // Logistic: ln LR = intercept + slope * x (slope >= 0).
  double intercept = 0;
  double slope = 0;
  double log_offset = 0;  // kLogisticLogScore: x = ln(score + log_offset)
  // Support: scores are clamped into [score_min, score_max], the result into
  // [log10_lr_min, log10_lr_max].
  double score_min = 0, score_max = 0;
  double log10_lr_min = 0, log10_lr_max = 0;

  // Finite for every input (NaN scores are the caller's bug: they map to score_min).
  double log10_lr(double score) const;
  // Error(kDataLoss) naming the first inconsistency (unsorted knots, decreasing values,
  // negative slope, empty or inverted ranges, non-finite numbers).
  void check() const;
};

// Constants of the fitting methods, in one place.
struct FitConstants {
  double laplace_pseudo_count = 1;    // pseudo comparisons of the opposite class beyond each end (PAV)
  double log_score_offset = 1e-3;     // x = ln(score + offset): LSS-R scores are >= 0 and often exactly 0;
                                      //   impostor scores sit around 0.005-0.02, so 1e-3 keeps zeros finite
                                      //   without dominating them
  double logistic_ridge = 1e-6;       // L2 penalty on the standardised slope: keeps perfectly separated
                                      //   sets finite (the clamp then bounds the LR)
  int logistic_max_iterations = 100;  // Newton steps (converges in < 15 on real data)
  double logistic_tolerance = 1e-12;  // stop when the loss improves by less than this
};

// Error(kInvalidArgument) when either class is empty, a score is not finite, or (logistic)
// the fitted slope is negative (a score that falls with evidence of a match) or the log
// feature is asked for scores <= -offset.
Calibration fit_calibration(const ScoreSet& fitting, CalibrationMethod method, const FitConstants& constants = {});

}  // namespace tuskprint::lr
