#include "match/parameters.hpp"

#include <iomanip>
#include <sstream>

#include "core/sha256.hpp"

namespace tuskprint::match {

const MccParameters& default_parameters() {
  static const MccParameters parameters;
  return parameters;
}

std::string parameters_hash(const MccParameters& p) {
  std::ostringstream os;
  os << std::setprecision(9) << kMatcherVersion << ";R=" << p.radius << ";NS=" << p.spatial_cells
     << ";ND=" << p.direction_cells << ";sS=" << p.sigma_spatial << ";sD=" << p.sigma_direction
     << ";mu=" << p.sigmoid_mu << ";tau=" << p.sigmoid_tau << ";omega=" << p.hull_margin << ";fg=" << p.use_foreground << ";fgm=" << p.foreground_margin
     << ";minVC=" << p.min_valid_cells << ";minM=" << p.min_contributing_minutiae
     << ";cut=" << p.neighbour_cutoff_sigmas << ";dtheta=" << p.max_direction_difference
     << ";minME=" << p.min_matchable_cells << ";muP=" << p.pairs_sigmoid_mu
     << ";tauP=" << p.pairs_sigmoid_tau << ";minNP=" << p.min_pairs << ";maxNP=" << p.max_pairs
     << ";one2one=" << p.one_to_one_pairs << ";nrel=" << p.relaxation_iterations << ";wR=" << p.relaxation_weight
     << ";mu1=" << p.distance_mu << ";tau1=" << p.distance_tau << ";mu2=" << p.direction_mu
     << ";tau2=" << p.direction_tau << ";mu3=" << p.radial_mu << ";tau3=" << p.radial_tau
     << ";gc=" << p.global_consistency << ";gcd=" << p.consistency_distance
     << ";gca=" << p.consistency_angle << ";gchm=" << p.consistency_hull_margin
     << ";gcmin=" << p.consistency_min_overlap << ";gcexp=" << p.consistency_exponent
     << ";gcalign=" << p.consistency_alignments;
  return sha256_hex(os.str());
}

}  // namespace tuskprint::match
