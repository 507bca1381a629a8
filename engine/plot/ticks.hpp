#pragma once
// Tick positions and labels for one axis.
//   kLinear: 1-2-5 steps, about `target_count` of them, labels with just enough decimals.
//   kLog10:  every decade; 2 and 5 within decades are labelled when the range spans fewer
//            than three decades, the other integers are unlabelled grid lines.
//   kProbit: the probabilities of NIST DET plots (0.01 %, 0.1 %, 1 %, 2 %, 5 %, 10 %, ...),
//            labelled in percent.
// The chart drops labels that would collide, highest priority number first; grid lines stay.
#include <string>
#include <vector>

#include "plot/scale.hpp"

namespace tuskprint::plot {

struct Tick {
  double value = 0;    // in data units
  std::string label;   // empty for minor ticks (grid line only)
  int priority = 0;    // when labels collide, lower numbers keep theirs (decades before 5s, 2s)
};

// Ticks inside [min, max], increasing. Error(kInvalidArgument) for min >= max or values
// outside the scale's domain.
std::vector<Tick> axis_ticks(Scale scale, double min, double max, int target_count = 6);

// Short label for a value ("0.02", "1500", "1e-06"); probit axes add "%".
std::string tick_label(Scale scale, double value, double step_hint);

}  // namespace tuskprint::plot
