#include "lr/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "lr/pav.hpp"

namespace tuskprint::lr {
namespace {

constexpr double kLn10 = 2.302585092994045684;
constexpr double kInf = std::numeric_limits<double>::infinity();

void require_finite_scores(const ScoreSet& s) {
  require_both_classes(s, "the fitting set");
  for (double v : s.genuine) TP_CHECK(std::isfinite(v), kInvalidArgument, "a genuine score is not finite: " << v);
  for (double v : s.impostor) TP_CHECK(std::isfinite(v), kInvalidArgument, "an impostor score is not finite: " << v);
}

void set_support(const ScoreSet& s, Calibration& c) {
  const auto [gmin, gmax] = std::minmax_element(s.genuine.begin(), s.genuine.end());
  const auto [imin, imax] = std::minmax_element(s.impostor.begin(), s.impostor.end());
  c.score_min = std::min(*gmin, *imin);
  c.score_max = std::max(*gmax, *imax);
  c.log10_lr_min = -std::log10(static_cast<double>(s.genuine.size()));
  c.log10_lr_max = std::log10(static_cast<double>(s.impostor.size()));
}

// ---- PAV ------------------------------------------------------------------------------

void fit_pav(const ScoreSet& s, const FitConstants& k, Calibration& c) {
  std::vector<ScoreBlock> groups = score_groups(s);
  ScoreBlock below, above;  // Laplace pseudo-observations beyond the ends
  below.genuine = k.laplace_pseudo_count;
  above.impostor = k.laplace_pseudo_count;
  groups.insert(groups.begin(), below);
  groups.push_back(above);
  const std::vector<ScoreBlock> blocks = pool_adjacent_violators(groups);

  const double genuine_total = static_cast<double>(s.genuine.size()) + k.laplace_pseudo_count;
  const double impostor_total = static_cast<double>(s.impostor.size()) + k.laplace_pseudo_count;
  const double log10_prior_odds = std::log10(genuine_total / impostor_total);
  for (const ScoreBlock& b : blocks) {
    if (!b.has_scores()) continue;  // a block of pseudo-observations only
    TP_ASSERT(b.genuine > 0 && b.impostor > 0);
    // Flat across the block's own scores (PAV's step), linear across the gap to the next.
    const double value = std::log10(b.genuine / b.impostor) - log10_prior_odds;
    c.knot_scores.push_back(b.score_low), c.knot_log10_lr.push_back(value);
    if (b.score_high > b.score_low) c.knot_scores.push_back(b.score_high), c.knot_log10_lr.push_back(value);
  }
}

// ---- logistic regression ----------------------------------------------------------------

struct WeightedPoint {
  double x;
  double y;  // 1 genuine, 0 impostor
  double w;
};

double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }
double sigmoid(double z) { return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)); }

double logistic_loss(const std::vector<WeightedPoint>& p, double a, double b, double ridge) {
  double loss = 0.5 * ridge * b * b;
  for (const WeightedPoint& q : p) {
    const double z = a + b * q.x;
    loss += q.w * (softplus(z) - q.y * z);
  }
  return loss;
}

void fit_logistic(const ScoreSet& s, bool log_feature, const FitConstants& k, Calibration& c) {
  c.log_offset = log_feature ? k.log_score_offset : 0;
  auto feature = [&](double score) {
    if (!log_feature) return score;
    TP_CHECK(score + c.log_offset > 0, kInvalidArgument,
             "logistic-log-score needs scores above " << -c.log_offset << "; got " << score
                                                      << " (use logistic-score for this matcher)");
    return std::log(score + c.log_offset);
  };
  std::vector<WeightedPoint> points;
  const double wg = 0.5 / static_cast<double>(s.genuine.size());
  const double wi = 0.5 / static_cast<double>(s.impostor.size());
  for (double v : s.genuine) points.push_back({feature(v), 1, wg});
  for (double v : s.impostor) points.push_back({feature(v), 0, wi});

  // Standardise the feature for a well-conditioned Newton iteration.
  double mean = 0, var = 0;
  for (const auto& q : points) mean += q.x;
  mean /= static_cast<double>(points.size());
  for (const auto& q : points) var += (q.x - mean) * (q.x - mean);
  const double sd = std::sqrt(var / static_cast<double>(points.size()));
  TP_CHECK(sd > 0, kInvalidArgument, "every fitting score is the same: nothing to calibrate");
  for (auto& q : points) q.x = (q.x - mean) / sd;

  double a = 0, b = 0;
  double loss = logistic_loss(points, a, b, k.logistic_ridge);
  for (int it = 0; it < k.logistic_max_iterations; ++it) {
    double ga = 0, gb = k.logistic_ridge * b, haa = 0, hab = 0, hbb = k.logistic_ridge;
    for (const auto& q : points) {
      const double p = sigmoid(a + b * q.x);
      const double r = q.w * (p - q.y), h = q.w * p * (1 - p);
      ga += r, gb += r * q.x;
      haa += h, hab += h * q.x, hbb += h * q.x * q.x;
    }
    const double det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
    double step = 1, next = loss;
    for (int halving = 0; halving < 40; ++halving, step *= 0.5) {
      next = logistic_loss(points, a - step * da, b - step * db, k.logistic_ridge);
      if (next <= loss) break;
    }
    if (!(next <= loss)) break;
    a -= step * da, b -= step * db;
    const bool converged = loss - next < k.logistic_tolerance;
    loss = next;
    if (converged) break;
  }
  c.slope = b / sd;
  c.intercept = a - b * mean / sd;
  TP_CHECK(c.slope >= 0, kInvalidArgument,
           "logistic fit has a negative slope (" << c.slope << "): higher scores point to different sources");
}

}  // namespace

const char* to_string(CalibrationMethod method) {
  switch (method) {
    case CalibrationMethod::kPav: return "pav";
    case CalibrationMethod::kLogisticScore: return "logistic-score";
    case CalibrationMethod::kLogisticLogScore: return "logistic-log-score";
  }
  return "pav";
}

CalibrationMethod parse_calibration_method(const std::string& text) {
  for (CalibrationMethod m : {CalibrationMethod::kPav, CalibrationMethod::kLogisticScore,
                              CalibrationMethod::kLogisticLogScore})
    if (text == to_string(m)) return m;
  TP_THROW(kInvalidArgument,
           "unknown calibration method '" << text << "' (pav, logistic-score, logistic-log-score)");
}

double Calibration::log10_lr(double score) const {
  const double s = std::isnan(score) ? score_min : std::clamp(score, score_min, score_max);
  double value = 0;
  if (method == CalibrationMethod::kPav) {
    const auto upper = std::upper_bound(knot_scores.begin(), knot_scores.end(), s);
    if (upper == knot_scores.begin()) {
      value = knot_log10_lr.front();
    } else if (upper == knot_scores.end()) {
      value = knot_log10_lr.back();
    } else {
      const std::size_t i = static_cast<std::size_t>(upper - knot_scores.begin());
      const double t = (s - knot_scores[i - 1]) / (knot_scores[i] - knot_scores[i - 1]);
      value = knot_log10_lr[i - 1] + t * (knot_log10_lr[i] - knot_log10_lr[i - 1]);
    }
  } else {
    const double x = method == CalibrationMethod::kLogisticLogScore ? std::log(std::max(s + log_offset, 1e-300)) : s;
    value = (intercept + slope * x) / kLn10;
  }
  return std::clamp(value, log10_lr_min, log10_lr_max);
}

void Calibration::check() const {
  auto finite = [](double v) { return std::isfinite(v); };
  TP_CHECK(finite(score_min) && finite(score_max) && score_min <= score_max, kDataLoss,
           "score range [" << score_min << ", " << score_max << "] is empty or not finite");
  TP_CHECK(finite(log10_lr_min) && finite(log10_lr_max) && log10_lr_min <= 0 && log10_lr_max >= 0, kDataLoss,
           "log10 LR bounds [" << log10_lr_min << ", " << log10_lr_max << "] must be finite and hold 0");
  if (method == CalibrationMethod::kPav) {
    TP_CHECK(!knot_scores.empty(), kDataLoss, "PAV calibration has no knots");
    TP_CHECK(knot_scores.size() == knot_log10_lr.size(), kDataLoss,
             "PAV calibration has " << knot_scores.size() << " knot scores but " << knot_log10_lr.size()
                                    << " log10 LR values");
    for (std::size_t i = 0; i < knot_scores.size(); ++i) {
      TP_CHECK(finite(knot_scores[i]) && finite(knot_log10_lr[i]), kDataLoss, "PAV knot " << i << " is not finite");
      if (i == 0) continue;
      TP_CHECK(knot_scores[i] > knot_scores[i - 1], kDataLoss,
               "PAV knot scores must increase: knot " << i << " (" << knot_scores[i] << ") follows "
                                                      << knot_scores[i - 1]);
      TP_CHECK(knot_log10_lr[i] >= knot_log10_lr[i - 1], kDataLoss,
               "PAV log10 LR must not decrease: knot " << i << " (" << knot_log10_lr[i] << ") follows "
                                                       << knot_log10_lr[i - 1]);
    }
  } else {
    TP_CHECK(finite(intercept) && finite(slope), kDataLoss, "logistic coefficients are not finite");
    TP_CHECK(slope >= 0, kDataLoss, "logistic slope " << slope << " is negative: LR would fall as the score rises");
    if (method == CalibrationMethod::kLogisticLogScore)
      TP_CHECK(finite(log_offset) && score_min + log_offset > 0, kDataLoss,
               "log-score offset " << log_offset << " does not keep ln(score + offset) finite from score "
                                   << score_min);
  }
}

Calibration fit_calibration(const ScoreSet& fitting, CalibrationMethod method, const FitConstants& constants) {
  require_finite_scores(fitting);
  Calibration c;
  c.method = method;
  set_support(fitting, c);
  if (method == CalibrationMethod::kPav)
    fit_pav(fitting, constants, c);
  else
    fit_logistic(fitting, method == CalibrationMethod::kLogisticLogScore, constants, c);
  c.check();
  return c;
}

}  // namespace tuskprint::lr
