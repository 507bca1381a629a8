#include "lr/model_fitting.hpp"

#include <cmath>

#include "core/error.hpp"

namespace tuskprint::lr {

MethodComparison compare_methods(const ScoreSet& fitting, const std::vector<NamedScores>& held_out,
                                 std::vector<CalibrationMethod> methods, const FitConstants& constants) {
  require_both_classes(fitting, "the fitting set");
  TP_CHECK(!held_out.empty(), kInvalidArgument, "no held-out set to judge the calibration on");
  ScoreSet pooled;
  for (const NamedScores& h : held_out) {
    require_both_classes(h.scores, "held-out set '" + h.name + "'");
    pooled.append(h.scores);
  }
  if (methods.empty())
    methods = {CalibrationMethod::kPav, CalibrationMethod::kLogisticScore, CalibrationMethod::kLogisticLogScore};
  MethodComparison out;
  bool any = false;
  for (CalibrationMethod method : methods) {
    MethodResult r;
    r.method = method;
    try {
      r.calibration = fit_calibration(fitting, method, constants);
      r.fitted = true;
    } catch (const Error& e) {
      r.failure = e.what();
    }
    if (r.fitted) {
      auto f = [&c = r.calibration](double s) { return c.log10_lr(s); };
      r.held_out = evidence_metrics(pooled, f);
      for (const NamedScores& h : held_out) r.by_source.push_back(evidence_metrics(h.scores, f));
      if (!any || r.held_out.cllr < out.methods[out.chosen].held_out.cllr) out.chosen = out.methods.size();
      any = true;
    }
    out.methods.push_back(std::move(r));
  }
  TP_CHECK(any, kInvalidArgument, "no calibration method could be fitted: " << out.methods.front().failure);
  return out;
}

nlohmann::json to_json(const EvidenceMetrics& m) {
  auto round6 = [](double v) { return std::round(v * 1e6) / 1e6; };
  return {{"genuine_pairs", m.genuine},
          {"impostor_pairs", m.impostor},
          {"cllr", round6(m.cllr)},
          {"cllr_min", round6(m.cllr_min)},
          {"rmep", round6(m.rmep)},
          {"rmed", round6(m.rmed)},
          {"eer", round6(m.eer)},
          {"log10_lr_range", {round6(m.log10_lr_min), round6(m.log10_lr_max)}}};
}

nlohmann::json to_json(const FitConstants& k) {
  return {{"laplace_pseudo_count", k.laplace_pseudo_count},
          {"log_score_offset", k.log_score_offset},
          {"logistic_ridge", k.logistic_ridge},
          {"logistic_max_iterations", k.logistic_max_iterations},
          {"logistic_tolerance", k.logistic_tolerance},
          {"log10_lr_bounds", "[-log10(genuine fitting pairs), +log10(impostor fitting pairs)]"},
          {"score_bounds", "scores clamped into the fitting range"}};
}

}  // namespace tuskprint::lr
