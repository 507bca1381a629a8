#pragma once
// Fit every calibration method on one score set, judge each on held-out sets, keep the
// one with the lowest held-out Cllr (all sets pooled). The comparison is reported with
// the model, so the choice can be checked.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lr/calibration.hpp"
#include "lr/evidence_metrics.hpp"

namespace tuskprint::lr {

struct NamedScores {
  std::string name;  // e.g. "FVC2002 DB2_B"
  ScoreSet scores;
};

struct MethodResult {
  CalibrationMethod method = CalibrationMethod::kPav;
  bool fitted = false;
  std::string failure;  // why not, when !fitted (e.g. log feature on negative scores)
  Calibration calibration;
  EvidenceMetrics held_out;                  // all held-out sets pooled
  std::vector<EvidenceMetrics> by_source;    // one per held-out set
};

struct MethodComparison {
  std::vector<MethodResult> methods;
  std::size_t chosen = 0;  // index into methods
  const MethodResult& best() const { return methods.at(chosen); }
};

// `methods` empty: all three. Error(kInvalidArgument) when the fitting or a held-out set
// lacks a class, or no method could be fitted.
MethodComparison compare_methods(const ScoreSet& fitting, const std::vector<NamedScores>& held_out,
                                 std::vector<CalibrationMethod> methods = {}, const FitConstants& constants = {});

nlohmann::json to_json(const EvidenceMetrics& m);
nlohmann::json to_json(const FitConstants& k);

}  // namespace tuskprint::lr
