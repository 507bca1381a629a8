#pragma once
// FVC verification metrics from genuine and impostor score lists (higher score = more
// similar). Definitions follow Maio et al., "FVC2000: fingerprint verification
// competition" (IEEE TPAMI 2002) and the later FVC reports:
//   FMR(t)  = share of impostor scores >= t,   FNMR(t) = share of genuine scores < t;
//   EER     = midpoint of [EER_low, EER_high] around the crossing of FMR and FNMR
//             (t1 = largest t with FNMR <= FMR, t2 = smallest t with FNMR >= FMR; the
//             interval is taken at whichever of t1, t2 has the smaller FMR + FNMR);
//   FMR100  = lowest FNMR at FMR <= 1 %; FMR1000 = at FMR <= 0.1 %; ZeroFMR = at FMR = 0.
// All rates are fractions in [0, 1].
#include <cstddef>
#include <vector>

namespace tuskprint::match {

struct DetPoint {
  double threshold = 0;  // accept when score >= threshold
  double fmr = 0;
  double fnmr = 0;
};

struct VerificationMetrics {
  std::size_t genuine_count = 0;
  std::size_t impostor_count = 0;
  double eer = 0;
  double eer_low = 0;
  double eer_high = 0;
  double fmr100 = 0;
  double fmr1000 = 0;
  double zero_fmr = 0;
  // One point per distinct score (and one above them all), thresholds increasing:
  // FMR falls, FNMR rises.
  std::vector<DetPoint> det;
};

// Throws Error(kInvalidArgument) when either list is empty or holds a NaN.
VerificationMetrics verification_metrics(std::vector<double> genuine, std::vector<double> impostor);

}  // namespace tuskprint::match
