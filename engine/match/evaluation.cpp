#include "match/evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace tuskprint::match {
namespace {

void check_scores(const std::vector<double>& scores, const char* what) {
  TP_CHECK(!scores.empty(), kInvalidArgument, "no " << what << " scores: verification metrics need both genuine and impostor scores");
  for (double s : scores) {
    TP_CHECK(!std::isnan(s), kInvalidArgument, what << " scores contain NaN");
  }
}

// Lowest FNMR among points whose FMR does not exceed `max_fmr`.
double fnmr_at(const std::vector<DetPoint>& det, double max_fmr) {
  double best = 1;
  for (const DetPoint& p : det) {
    if (p.fmr <= max_fmr) best = std::min(best, p.fnmr);
  }
  return best;
}

}  // namespace

VerificationMetrics verification_metrics(std::vector<double> genuine, std::vector<double> impostor) {
  check_scores(genuine, "genuine");
  check_scores(impostor, "impostor");
  std::sort(genuine.begin(), genuine.end());
  std::sort(impostor.begin(), impostor.end());

  std::vector<double> thresholds;
  thresholds.reserve(genuine.size() + impostor.size() + 1);
  thresholds.insert(thresholds.end(), genuine.begin(), genuine.end());
  thresholds.insert(thresholds.end(), impostor.begin(), impostor.end());
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  thresholds.push_back(std::numeric_limits<double>::infinity());

  VerificationMetrics m;
  m.genuine_count = genuine.size();
  m.impostor_count = impostor.size();
  const double ng = static_cast<double>(genuine.size());
  const double ni = static_cast<double>(impostor.size());
  std::size_t genuine_below = 0, impostor_below = 0;
  for (double t : thresholds) {
    while (genuine_below < genuine.size() && genuine[genuine_below] < t) ++genuine_below;
    while (impostor_below < impostor.size() && impostor[impostor_below] < t) ++impostor_below;
    m.det.push_back({t, static_cast<double>(impostor.size() - impostor_below) / ni,
                     static_cast<double>(genuine_below) / ng});
  }

  // FVC EER: t1 = last point with FNMR <= FMR, t2 = first point with FNMR >= FMR
  // (both exist: the first point has FNMR 0, the last has FMR 0).
  std::size_t t1 = 0, t2 = m.det.size() - 1;
  for (std::size_t i = 0; i < m.det.size(); ++i) {
    if (m.det[i].fnmr <= m.det[i].fmr) t1 = i;
  }
  for (std::size_t i = m.det.size(); i-- > 0;) {
    if (m.det[i].fnmr >= m.det[i].fmr) t2 = i;
  }
  const DetPoint& p1 = m.det[t1];
  const DetPoint& p2 = m.det[t2];
  if (p1.fnmr + p1.fmr <= p2.fnmr + p2.fmr) {
    m.eer_low = p1.fnmr;
    m.eer_high = p1.fmr;
  } else {
    m.eer_low = p2.fmr;
    m.eer_high = p2.fnmr;
  }
  m.eer = (m.eer_low + m.eer_high) / 2;
  m.fmr100 = fnmr_at(m.det, 0.01);
  m.fmr1000 = fnmr_at(m.det, 0.001);
  m.zero_fmr = fnmr_at(m.det, 0.0);
  return m;
}

}  // namespace tuskprint::match
