#pragma once
// A versioned score -> likelihood-ratio model for one matcher, as stored in models/.
//
//   auto model = lr::LrModel::load(lr::default_model_path("finger").string());
//   TP_CHECK(model.score_parameters_hash() == lr::finger_score_parameters_hash(), ...);
//   double l = model.log10_lr(match::score(probe, gallery));   // finite, monotone in the score
//
// log10 LR > 0 supports "same source" (same finger; adjacent faces of one tusk), < 0
// "different sources"; 0 is neutral. The value is clamped to what the fitting data
// support (see calibration.hpp). A model is only valid for the scorer it was fitted on:
// score_parameters_hash() names it (lr/score_sources.hpp computes the current one).
//
// File (JSON, written by `tuskprint calibrate`):
//   {"format": "tuskprint-lr-model", "format_version": 1, "version": "lr-finger-v1",
//    "modality": "finger", "score_parameters_hash": "<sha256 hex>",
//    "calibration": {"method": "pav" | "logistic-score" | "logistic-log-score",
//                    "knots": {"score": [...], "log10_lr": [...]}            (pav)
//                    "intercept", "slope", "log_offset"  (logistic: ln LR = intercept + slope x)
//                    "score_range": [min, max], "log10_lr_range": [min, max]},
//    "provenance": {how it was fitted, on what data, held-out Cllr / RMEP / RMED, tool}}
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "lr/calibration.hpp"

namespace tuskprint::lr {

inline constexpr const char* kModelFormat = "tuskprint-lr-model";
inline constexpr int kModelFormatVersion = 1;

class LrModel {
 public:
  // `version` must read "lr-<modality>-v<N>"; modality "finger" or "schreger"; the
  // calibration must pass Calibration::check(). Error(kInvalidArgument) otherwise.
  LrModel(std::string version, std::string modality, std::string score_parameters_hash,
          Calibration calibration, nlohmann::json provenance = nlohmann::json::object());

  // Error(kInvalidArgument) for a file that cannot be read, is not an LR model, or has an
  // unsupported format_version, modality or method; Error(kDataLoss) for a model file
  // that is not JSON or has missing, ill-typed or inconsistent fields. Messages name the
  // path and the problem.
  static LrModel load(const std::string& path);
  static LrModel from_json(const std::string& text);
  std::string to_json() const;  // pretty-printed; from_json(to_json()) gives the same model

  double log10_lr(double score) const { return calibration_.log10_lr(score); }

  const std::string& modality() const { return modality_; }
  const std::string& version() const { return version_; }
  const std::string& score_parameters_hash() const { return score_parameters_hash_; }
  const Calibration& calibration() const { return calibration_; }
  const nlohmann::json& provenance() const { return provenance_; }

 private:
  std::string version_;
  std::string modality_;
  std::string score_parameters_hash_;
  Calibration calibration_;
  nlohmann::json provenance_;
};

// Where model files live: $TUSKPRINT_MODELS when set; else <executable dir>/../../models
// when that folder exists (build-*/bin/tuskprint in the source tree); else ./models.
std::filesystem::path models_directory();
// models_directory() / "lr-<modality>-v1.json". Error(kInvalidArgument) for another modality.
std::filesystem::path default_model_path(const std::string& modality);

}  // namespace tuskprint::lr
