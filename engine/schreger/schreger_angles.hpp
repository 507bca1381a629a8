#pragma once
// From per-patch crossings to the angle profile and the outer-angle statistics.
#include <vector>

#include "schreger/line_families.hpp"
#include "schreger/params.hpp"

namespace tuskprint::schreger {

struct ProfilePoint {
  double rho;
  double angle_deg;     // median of the crossings at that radius
  double spacing_mm;
  int count;
};

struct AngleSummary {
  std::vector<double> outer_angles;  // kept outer angles (outliers removed)
  double outer_mean_deg = 0;
  double outer_sd_deg = 0;
  int outer_count = 0;
  int outer_patches = 0;             // outer patches examined
  int outer_crossings = 0;           // of which showed two mirrored families
  int outer_textured = 0;            // outer patches that show line texture: band energy at least
                                     // pattern_min_texture of the crossings' median (a patch the
                                     // lighting clipped or darkened to nothing abstains)
  double pattern_fraction = 0;       // outer patches whose crossing agrees with the median
                                     // (within pattern_consistency_deg), over outer_textured
  double outer_spacing_mm = 0;
  std::vector<ProfilePoint> profile; // A(rho), rho ascending
};

AngleSummary summarise_angles(const std::vector<PatchFamilies>& patches, const SchregerParams& params);

}  // namespace tuskprint::schreger
