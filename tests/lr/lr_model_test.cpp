// The model file: round trip, refusal of malformed or unknown files with a clear message,
// and where models are looked for.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/error.hpp"
#include "lr/lr_model.hpp"

namespace tuskprint::lr {
namespace {

using nlohmann::json;

struct Failure {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

Failure failure_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

LrModel pav_model() {
  const ScoreSet s{{0.05, 0.08, 0.12, 0.02, 0.3}, {0.01, 0.015, 0.02, 0.012, 0.03, 0.008}};
  return LrModel("lr-finger-v1", "finger", std::string(64, 'a'), fit_calibration(s, CalibrationMethod::kPav),
                 {{"fitting", {{"data", "unit test"}}}});
}

json model_json() { return json::parse(pav_model().to_json()); }

TEST(LrModel, JsonRoundTripKeepsEverything) {
  const ScoreSet s{{0.05, 0.08, 0.12, 0.02, 0.3}, {0.01, 0.015, 0.02, 0.012, 0.03, 0.008}};
  for (CalibrationMethod m :
       {CalibrationMethod::kPav, CalibrationMethod::kLogisticScore, CalibrationMethod::kLogisticLogScore}) {
    const LrModel a("lr-schreger-v3", "schreger", "abc123", fit_calibration(s, m), {{"note", "x"}});
    const LrModel b = LrModel::from_json(a.to_json());
    EXPECT_EQ(b.to_json(), a.to_json());
    EXPECT_EQ(b.version(), "lr-schreger-v3");
    EXPECT_EQ(b.modality(), "schreger");
    EXPECT_EQ(b.score_parameters_hash(), "abc123");
    EXPECT_EQ(b.provenance().at("note"), "x");
    for (double x = -0.1; x < 0.5; x += 0.003) EXPECT_EQ(a.log10_lr(x), b.log10_lr(x)) << to_string(m) << " " << x;
  }
}

TEST(LrModel, LoadReadsAFileAndNamesItInErrors) {
  const auto dir = std::filesystem::temp_directory_path() / ("tuskprint_lr_model_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto good = (dir / "m.json").string(), bad = (dir / "bad.json").string();
  std::ofstream(good) << pav_model().to_json();
  std::ofstream(bad) << "{ not json";
  EXPECT_EQ(LrModel::load(good).to_json(), pav_model().to_json());
  const Failure f = failure_of([&] { LrModel::load(bad); });
  EXPECT_EQ(f.code, ErrorCode::kDataLoss);
  EXPECT_NE(f.message.find("LR model file '" + bad + "': LR model is not valid JSON"), std::string::npos) << f.message;
  const Failure missing = failure_of([&] { LrModel::load((dir / "none.json").string()); });
  EXPECT_EQ(missing.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.message.find("cannot read LR model file"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(LrModel, RefusesUnknownFormatsVersionsAndModalities) {
  json j = model_json();
  j["format"] = "something-else";
  Failure f = failure_of([&] { LrModel::from_json(j.dump()); });
  EXPECT_EQ(f.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(f.message.find("not a TuskPrint LR model"), std::string::npos) << f.message;

  j = model_json();
  j["format_version"] = 2;
  f = failure_of([&] { LrModel::from_json(j.dump()); });
  EXPECT_EQ(f.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(f.message.find("format_version 2 is not supported (this build reads 1)"), std::string::npos) << f.message;

  j = model_json();
  j["modality"] = "iris";
  f = failure_of([&] { LrModel::from_json(j.dump()); });
  EXPECT_NE(f.message.find("unknown modality 'iris'"), std::string::npos) << f.message;

  j = model_json();
  j["version"] = "lr-schreger-v1";  // a Schreger version on a finger model
  f = failure_of([&] { LrModel::from_json(j.dump()); });
  EXPECT_NE(f.message.find("is not a finger model"), std::string::npos) << f.message;

  j = model_json();
  j["version"] = "finger-1";
  f = failure_of([&] { LrModel::from_json(j.dump()); });
  EXPECT_NE(f.message.find("does not read lr-<modality>-v<N>"), std::string::npos) << f.message;

  j = model_json();
  j["calibration"]["method"] = "spline";
  f = failure_of([&] { LrModel::from_json(j.dump()); });
  EXPECT_NE(f.message.find("unknown calibration method 'spline'"), std::string::npos) << f.message;
}

TEST(LrModel, RefusesMalformedFields) {
  auto expect_data_loss = [](const json& j, const std::string& needle) {
    const Failure f = failure_of([&] { LrModel::from_json(j.dump()); });
    EXPECT_EQ(f.code, ErrorCode::kDataLoss) << f.message;
    EXPECT_NE(f.message.find(needle), std::string::npos) << f.message << " (wanted: " << needle << ")";
  };
  json j = model_json();
  j.erase("calibration");
  expect_data_loss(j, "LR model has no 'calibration'");
  j = model_json();
  j.erase("score_parameters_hash");
  expect_data_loss(j, "has no 'score_parameters_hash'");
  j = model_json();
  j["format_version"] = "1";
  expect_data_loss(j, "'format_version' is not an integer");
  j = model_json();
  j["calibration"]["knots"]["log10_lr"][0] = 50.0;  // decreasing curve
  expect_data_loss(j, "must not decrease");
  j = model_json();
  j["calibration"]["knots"]["score"].erase(0);
  expect_data_loss(j, "knot scores but");
  j = model_json();
  j["calibration"]["score_range"] = {1.0};
  expect_data_loss(j, "must hold two numbers");
  j = model_json();
  j["calibration"]["log10_lr_range"] = {1.0, 2.0};
  expect_data_loss(j, "must be finite and hold 0");
  j = model_json();
  j["provenance"] = "text";
  expect_data_loss(j, "'provenance' is not an object");
  expect_data_loss(json::array(), "not a JSON object");
}

TEST(LrModel, ConstructorChecksIdentity) {
  const Calibration c = pav_model().calibration();
  EXPECT_NE(failure_of([&] { LrModel("lr-finger-v1", "finger", "", c); }).message.find("no score_parameters_hash"),
            std::string::npos);
  EXPECT_NE(failure_of([&] { LrModel("lr-finger-v1", "palm", "h", c); }).message.find("unknown modality 'palm'"),
            std::string::npos);
}

TEST(LrModel, ModelsDirectory) {
  const char* old = std::getenv("TUSKPRINT_MODELS");
  const std::string saved = old ? old : "";
  ::setenv("TUSKPRINT_MODELS", "/somewhere/models", 1);
  EXPECT_EQ(models_directory(), std::filesystem::path("/somewhere/models"));
  EXPECT_EQ(default_model_path("schreger"), std::filesystem::path("/somewhere/models/lr-schreger-v1.json"));
  ::unsetenv("TUSKPRINT_MODELS");
  // The test binary sits in <build>/tests/: <exe>/../../models is the source tree's only
  // when the build folder is directly under it; either way the name is right.
  EXPECT_EQ(default_model_path("finger").filename(), "lr-finger-v1.json");
  EXPECT_NE(failure_of([] { default_model_path("voice"); }).message.find("unknown modality 'voice'"), std::string::npos);
  if (old) ::setenv("TUSKPRINT_MODELS", saved.c_str(), 1);
}

}  // namespace
}  // namespace tuskprint::lr
