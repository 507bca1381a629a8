#include "schreger/schreger_angles.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "schreger/median.hpp"

namespace tuskprint::schreger {
namespace {

double median(const std::vector<double>& v) { return median_of(v, 0.0); }

}  // namespace

AngleSummary summarise_angles(const std::vector<PatchFamilies>& patches, const SchregerParams& p) {
  AngleSummary s;
  std::vector<double> angles, spacings, crossing_energy;
  for (const PatchFamilies& f : patches) {
    if (!f.outer) continue;
    ++s.outer_patches;
    if (!f.crossing) continue;
    ++s.outer_crossings;
    angles.push_back(f.angle_deg);
    spacings.push_back(f.spacing_mm);
    crossing_energy.push_back(f.band_energy);
  }
  s.outer_spacing_mm = median(spacings);
  // Where the lighting washes out or darkens part of the ring, its patches show no lines at
  // all: they abstain from the pattern fraction instead of counting against the pattern.
  const double min_energy = p.pattern_min_texture * median(crossing_energy);
  for (const PatchFamilies& f : patches)
    if (f.outer && (f.crossing || f.band_energy >= min_energy)) ++s.outer_textured;
  if (!angles.empty()) {
    const double med = median(angles);
    // A Schreger pattern gives the same crossing angle all around the outer ring;
    // straight cross-hatching (imitations) only looks mirrored where the radius happens
    // to bisect it, and then with angles that flip between A and 180 - A.
    int consistent = 0;
    for (double a : angles)
      if (std::abs(a - med) <= p.pattern_consistency_deg) ++consistent;
    s.pattern_fraction = s.outer_textured > 0 ? double(consistent) / s.outer_textured : 0.0;
    std::vector<double> dev;
    for (double a : angles) dev.push_back(std::abs(a - med));
    const double limit = std::max(4.0, p.outlier_mad * 1.4826 * median(dev));
    for (double a : angles)
      if (std::abs(a - med) <= limit) s.outer_angles.push_back(a);
    double sum = 0, sq = 0;
    for (double a : s.outer_angles) sum += a;
    s.outer_count = int(s.outer_angles.size());
    s.outer_mean_deg = sum / s.outer_count;
    for (double a : s.outer_angles) sq += (a - s.outer_mean_deg) * (a - s.outer_mean_deg);
    s.outer_sd_deg = s.outer_count > 1 ? std::sqrt(sq / (s.outer_count - 1)) : 0.0;
  }
  // Profile: crossings grouped by radius (0.1 wide bins), outer samples included.
  std::map<int, std::vector<const PatchFamilies*>> bins;
  for (const PatchFamilies& f : patches)
    if (f.crossing) bins[int(std::floor(f.rho * 10 + 0.5))].push_back(&f);
  for (auto& [bin, list] : bins) {
    std::vector<double> a, sp, r;
    for (const auto* f : list) a.push_back(f->angle_deg), sp.push_back(f->spacing_mm), r.push_back(f->rho);
    s.profile.push_back({median(r), median(a), median(sp), int(list.size())});
  }
  return s;
}

}  // namespace tuskprint::schreger
