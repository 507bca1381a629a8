#include "schreger/species_call.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace tuskprint::schreger {
namespace {
double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
}  // namespace

const char* to_string(SpeciesCall s) {
  switch (s) {
    case SpeciesCall::kElephant: return "elephant";
    case SpeciesCall::kMammoth: return "mammoth";
    case SpeciesCall::kIndeterminate: return "indeterminate";
    case SpeciesCall::kNotIvory: return "not_ivory";
  }
  return "?";
}

CallResult call_species(const CallInputs& in, const SchregerParams& p) {
  CallResult r;
  if (!in.section_found) {
    r.species = SpeciesCall::kNotIvory;
    r.confidence = 0.5;
    r.reason = "no cross-section found against the background";
    return r;
  }
  if (!in.crossing_pattern) {
    r.species = SpeciesCall::kNotIvory;
    r.confidence = std::clamp(1.0 - in.pattern_fraction / p.min_pattern_fraction, 0.0, 1.0) * 0.5 + 0.5;
    std::ostringstream o;
    o << "no Schreger crossing pattern (" << int(std::lround(100 * in.pattern_fraction))
      << " % of the outer ring shows two mirrored line families)";
    r.reason = o.str();
    return r;
  }
  const double pattern = std::clamp(in.pattern_fraction, 0.0, 1.0);
  if (!in.cdj_found) {
    r.confidence = pattern;
    r.reason = "no cementum-dentine junction: outer angles cannot be located";
    return r;
  }
  if (in.outer_count < p.min_outer_angles) {
    r.confidence = pattern;
    std::ostringstream o;
    o << "only " << in.outer_count << " outer angles (need " << p.min_outer_angles << ")";
    r.reason = o.str();
    return r;
  }
  const double se = std::sqrt(in.outer_sd_deg * in.outer_sd_deg / in.outer_count +
                              p.systematic_sd_deg * p.systematic_sd_deg);
  const double m = in.outer_mean_deg;
  std::ostringstream o;
  o << "mean outer angle " << std::lround(m * 10) / 10.0 << " deg over " << in.outer_count << " angles";
  if (m < p.mammoth_below_deg) {
    r.species = SpeciesCall::kMammoth;
    r.confidence = pattern * normal_cdf((p.mammoth_below_deg - m) / se);
    o << " (< " << p.mammoth_below_deg << ")";
  } else if (m > p.elephant_above_deg) {
    r.species = SpeciesCall::kElephant;
    r.confidence = pattern * normal_cdf((m - p.elephant_above_deg) / se);
    o << " (> " << p.elephant_above_deg << ")";
  } else {
    r.species = SpeciesCall::kIndeterminate;
    r.confidence = pattern * std::min(normal_cdf((m - p.mammoth_below_deg) / se),
                                      normal_cdf((p.elephant_above_deg - m) / se));
    o << " (between " << p.mammoth_below_deg << " and " << p.elephant_above_deg << ")";
  }
  r.reason = o.str();
  return r;
}

}  // namespace tuskprint::schreger
