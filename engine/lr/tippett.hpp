#pragma once
// Tippett plot: for every log10 LR value x, the share of genuine and of impostor
// comparisons whose log10 LR is >= x. Genuine curves far right and impostor curves far
// left are strong, correct evidence; where the genuine curve is below 1 at x = 0 lies
// RMEP (genuine with LR < 1), the impostor curve's height at 0 is RMED.
#include <string>

#include "lr/labelled_scores.hpp"
#include "plot/chart.hpp"

namespace tuskprint::lr {

// `log10_lr` holds log10 LRs (not scores) per class. Error(kInvalidArgument) when a class
// is empty or a value is not finite.
plot::Chart tippett_chart(const ScoreSet& log10_lr, const std::string& title, const std::string& subtitle);

}  // namespace tuskprint::lr
