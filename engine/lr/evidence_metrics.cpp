#include "lr/evidence_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "lr/pav.hpp"
#include "match/evaluation.hpp"

namespace tuskprint::lr {
namespace {

constexpr double kLn2 = 0.693147180559945309;
constexpr double kLog2Of10 = 3.321928094887362348;

// log2(1 + 10^z), without overflow for large z.
double log2_one_plus_pow10(double z) {
  if (z == -std::numeric_limits<double>::infinity()) return 0;
  if (z == 0) return 1;  // LR = 1: log2(2), exactly
  if (z > 0) return z * kLog2Of10 + std::log1p(std::pow(10.0, -z)) / kLn2;
  return std::log1p(std::pow(10.0, z)) / kLn2;
}

double mean_cost(const std::vector<double>& log10_lr, double sign) {
  double sum = 0;
  for (double l : log10_lr) {
    TP_CHECK(!std::isnan(l), kInvalidArgument, "a log10 LR is NaN");
    sum += log2_one_plus_pow10(sign * l);
  }
  return sum / static_cast<double>(log10_lr.size());
}

}  // namespace

double cllr(const std::vector<double>& genuine_log10_lr, const std::vector<double>& impostor_log10_lr) {
  TP_CHECK(!genuine_log10_lr.empty(), kInvalidArgument, "Cllr needs at least one genuine comparison");
  TP_CHECK(!impostor_log10_lr.empty(), kInvalidArgument, "Cllr needs at least one impostor comparison");
  return 0.5 * (mean_cost(genuine_log10_lr, -1) + mean_cost(impostor_log10_lr, +1));
}

ScoreSet pav_log10_lr(const ScoreSet& scores) {
  require_both_classes(scores, "the evaluation set");
  const std::vector<ScoreBlock> blocks = pool_adjacent_violators(score_groups(scores));
  const double log10_prior_odds =
      std::log10(static_cast<double>(scores.genuine.size()) / static_cast<double>(scores.impostor.size()));
  // Blocks cover disjoint, increasing score ranges: look each score up by its block.
  std::vector<double> highs, values;
  for (const ScoreBlock& b : blocks) {
    highs.push_back(b.score_high);
    const double odds = b.impostor == 0 ? std::numeric_limits<double>::infinity() : b.genuine / b.impostor;
    values.push_back(std::log10(odds) - log10_prior_odds);  // log10(0) = -inf
  }
  auto lookup = [&](double s) {
    const auto it = std::lower_bound(highs.begin(), highs.end(), s);
    TP_ASSERT(it != highs.end());
    return values[static_cast<std::size_t>(it - highs.begin())];
  };
  ScoreSet out;
  for (double s : scores.genuine) out.genuine.push_back(lookup(s));
  for (double s : scores.impostor) out.impostor.push_back(lookup(s));
  return out;
}

double cllr_min(const ScoreSet& scores) {
  const ScoreSet l = pav_log10_lr(scores);
  return cllr(l.genuine, l.impostor);
}

EvidenceMetrics evidence_metrics(const ScoreSet& scores, const std::function<double(double)>& log10_lr) {
  require_both_classes(scores, "the evaluation set");
  EvidenceMetrics m;
  m.genuine = scores.genuine.size();
  m.impostor = scores.impostor.size();
  std::vector<double> lg, li;
  std::size_t misleading_p = 0, misleading_d = 0;
  for (double s : scores.genuine) {
    lg.push_back(log10_lr(s));
    if (lg.back() < 0) ++misleading_p;
  }
  for (double s : scores.impostor) {
    li.push_back(log10_lr(s));
    if (li.back() > 0) ++misleading_d;
  }
  m.cllr = cllr(lg, li);
  m.cllr_min = cllr_min(scores);
  m.rmep = static_cast<double>(misleading_p) / static_cast<double>(m.genuine);
  m.rmed = static_cast<double>(misleading_d) / static_cast<double>(m.impostor);
  m.eer = match::verification_metrics(scores.genuine, scores.impostor).eer;
  const auto [gmin, gmax] = std::minmax_element(lg.begin(), lg.end());
  const auto [imin, imax] = std::minmax_element(li.begin(), li.end());
  m.log10_lr_min = std::min(*gmin, *imin);
  m.log10_lr_max = std::max(*gmax, *imax);
  return m;
}

}  // namespace tuskprint::lr
