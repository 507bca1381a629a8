#pragma once
// The species call from the outer Schreger angles (Espinoza & Mann thresholds).
#include <string>

#include "schreger/params.hpp"
#include "schreger/schreger_angles.hpp"

namespace tuskprint::schreger {

enum class SpeciesCall { kElephant, kMammoth, kIndeterminate, kNotIvory };

const char* to_string(SpeciesCall s);  // "elephant", "mammoth", "indeterminate", "not_ivory"

struct CallInputs {
  bool section_found = true;
  bool crossing_pattern = true;  // two mirrored line families over most of the outer ring
  bool cdj_found = true;
  int outer_count = 0;
  double outer_mean_deg = 0;
  double outer_sd_deg = 0;
  double pattern_fraction = 1;
};

struct CallResult {
  SpeciesCall species = SpeciesCall::kIndeterminate;
  double confidence = 0;  // 0..1: probability-like support for the call
  std::string reason;
};

// mean < mammoth_below_deg -> mammoth; mean > elephant_above_deg -> elephant; between
// (both edges included) -> indeterminate. No section or no crossing pattern -> not_ivory;
// no CDJ or fewer than min_outer_angles outer angles -> indeterminate.
CallResult call_species(const CallInputs& in, const SchregerParams& params);

}  // namespace tuskprint::schreger
