#pragma once
// The cementum-dentine junction: inside the outer edge, a ring of cementum without
// Schreger lines (and usually of another tone) ends where the line texture of the
// dentine begins. Found from radial profiles of tone and line energy measured inward
// from the edge, averaged over angular sectors (leaving out a sector whose line energy is
// many times the others'); "not found" when no junction depth is supported by most sectors.
#include <vector>

#include "schreger/params.hpp"
#include "schreger/polar_unwrap.hpp"

namespace tuskprint::schreger {

struct CdjEstimate {
  bool found = false;
  double depth_mm = 0;            // cementum thickness (edge to CDJ)
  double energy_ratio = 0;        // line energy just inside / inside the cementum
  double tone_step = 0;           // relative tone change across the junction
  double chroma_step = 0;         // hue change across the junction
  double sector_agreement = 0;    // fraction of sectors agreeing on the depth
  std::vector<float> cdj_radius;  // per polar column, working px (<= 0 where no edge);
                                  // when not found: the outer edge radius (the best
                                  // stand-in for orienting the piece)
  double mean_radius = 0;         // mean over valid columns
  // Mean radial profiles from the edge inward (for inspection).
  std::vector<double> profile_tone, profile_energy, profile_chroma;
  double profile_step_mm = 0;
};

CdjEstimate find_cdj(const PolarImage& polar, const SchregerParams& params);

}  // namespace tuskprint::schreger
