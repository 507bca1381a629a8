#pragma once
// Pool-adjacent-violators (PAV) isotonic regression of "is genuine" on the score.
//
// Sort the comparisons by score; equal scores form one group (a monotone function of the
// score must give them one value). Each group starts as a block holding its genuine and
// impostor counts. Walking left to right, whenever a block's genuine share
// g / (g + i) is not larger than the share of the block before it, the two are pooled;
// pooling repeats backwards until the shares strictly increase. The result is the
// non-decreasing step function closest to the labels in weighted least squares (and, the
// same thing here, the maximum-likelihood monotone posterior): Ayer et al. 1955; for its
// use in forensic score calibration see Brummer & du Preez 2006, Zadrozny & Elkan 2002.
//
// Written here: Debian packages no C++ isotonic-regression library.
#include <limits>
#include <vector>

#include "lr/labelled_scores.hpp"

namespace tuskprint::lr {

// Comparisons sharing one score (or a pooled run of scores), with class counts. Counts
// are doubles so that pseudo-counts can be fractional.
struct ScoreBlock {
  double score_low = std::numeric_limits<double>::infinity();    // smallest finite score inside
  double score_high = -std::numeric_limits<double>::infinity();  // largest finite score inside
  double genuine = 0;
  double impostor = 0;

  bool has_scores() const { return score_low <= score_high; }
  double genuine_share() const { return genuine / (genuine + impostor); }
};

// One block per distinct score, in increasing score order. Scores of +-infinity are
// allowed (pseudo-observations beyond the data) but leave score_low/high untouched.
std::vector<ScoreBlock> score_groups(const ScoreSet& scores);

// PAV on groups sorted by increasing score (each with genuine + impostor > 0). The
// blocks returned have strictly increasing genuine shares and cover the input in order.
std::vector<ScoreBlock> pool_adjacent_violators(const std::vector<ScoreBlock>& groups);

}  // namespace tuskprint::lr
