#include "lr/lr_model.hpp"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <utility>

#include "core/error.hpp"

namespace tuskprint::lr {
namespace {

using nlohmann::json;

void check_identity(const std::string& version, const std::string& modality) {
  TP_CHECK(modality == "finger" || modality == "schreger", kInvalidArgument,
           "unknown modality '" << modality << "' (finger, schreger)");
  static const std::regex pattern("lr-(finger|schreger)-v[0-9]+");
  TP_CHECK(std::regex_match(version, pattern), kInvalidArgument,
           "model version '" << version << "' does not read lr-<modality>-v<N>");
  TP_CHECK(version.rfind("lr-" + modality + "-", 0) == 0, kInvalidArgument,
           "model version '" << version << "' is not a " << modality << " model");
}

const json& field(const json& j, const char* name, const char* where) {
  TP_CHECK(j.is_object() && j.contains(name), kDataLoss, where << " has no '" << name << "'");
  return j.at(name);
}

std::string string_field(const json& j, const char* name, const char* where) {
  const json& v = field(j, name, where);
  TP_CHECK(v.is_string(), kDataLoss, where << " '" << name << "' is not a string");
  return v.get<std::string>();
}

double number_field(const json& j, const char* name, const char* where) {
  const json& v = field(j, name, where);
  TP_CHECK(v.is_number(), kDataLoss, where << " '" << name << "' is not a number");
  return v.get<double>();
}

std::vector<double> numbers(const json& v, const std::string& what) {
  TP_CHECK(v.is_array(), kDataLoss, what << " is not an array");
  std::vector<double> out;
  for (const json& e : v) {
    TP_CHECK(e.is_number(), kDataLoss, what << " holds a non-number");
    out.push_back(e.get<double>());
  }
  return out;
}

std::pair<double, double> range_field(const json& j, const char* name) {
  const std::vector<double> r = numbers(field(j, name, "calibration"), std::string("calibration '") + name + "'");
  TP_CHECK(r.size() == 2, kDataLoss, "calibration '" << name << "' must hold two numbers [min, max]");
  return {r[0], r[1]};
}

Calibration calibration_from(const json& j) {
  Calibration c;
  c.method = parse_calibration_method(string_field(j, "method", "calibration"));
  std::tie(c.score_min, c.score_max) = range_field(j, "score_range");
  std::tie(c.log10_lr_min, c.log10_lr_max) = range_field(j, "log10_lr_range");
  if (c.method == CalibrationMethod::kPav) {
    const json& knots = field(j, "knots", "calibration");
    c.knot_scores = numbers(field(knots, "score", "calibration 'knots'"), "knots 'score'");
    c.knot_log10_lr = numbers(field(knots, "log10_lr", "calibration 'knots'"), "knots 'log10_lr'");
  } else {
    c.intercept = number_field(j, "intercept", "calibration");
    c.slope = number_field(j, "slope", "calibration");
    c.log_offset = number_field(j, "log_offset", "calibration");
  }
  c.check();
  return c;
}

json calibration_to(const Calibration& c) {
  json j = {{"method", to_string(c.method)},
            {"score_range", {c.score_min, c.score_max}},
            {"log10_lr_range", {c.log10_lr_min, c.log10_lr_max}}};
  if (c.method == CalibrationMethod::kPav) {
    j["knots"] = {{"score", c.knot_scores}, {"log10_lr", c.knot_log10_lr}};
    j["curve"] = "log10 LR linear between knots, flat beyond the end knots";
  } else {
    j["intercept"] = c.intercept;
    j["slope"] = c.slope;
    j["log_offset"] = c.log_offset;
    j["curve"] = c.method == CalibrationMethod::kLogisticScore ? "ln LR = intercept + slope * score"
                                                                : "ln LR = intercept + slope * ln(score + log_offset)";
  }
  return j;
}

std::filesystem::path executable_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

LrModel::LrModel(std::string version, std::string modality, std::string score_parameters_hash,
                 Calibration calibration, nlohmann::json provenance)
    : version_(std::move(version)),
      modality_(std::move(modality)),
      score_parameters_hash_(std::move(score_parameters_hash)),
      calibration_(std::move(calibration)),
      provenance_(std::move(provenance)) {
  check_identity(version_, modality_);
  TP_CHECK(!score_parameters_hash_.empty(), kInvalidArgument, "model '" << version_ << "' has no score_parameters_hash");
  TP_CHECK(provenance_.is_object(), kInvalidArgument, "model provenance must be a JSON object");
  try {
    calibration_.check();
  } catch (const Error& e) {
    TP_THROW(kInvalidArgument, "model '" << version_ << "': " << e.what());
  }
}

LrModel LrModel::from_json(const std::string& text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    TP_THROW(kDataLoss, "LR model is not valid JSON: " << e.what());
  }
  TP_CHECK(j.is_object(), kDataLoss, "LR model is not a JSON object");
  TP_CHECK(j.contains("format") && j["format"] == kModelFormat, kInvalidArgument,
           "not a TuskPrint LR model (\"format\" is not \"" << kModelFormat << "\")");
  const json& fv = field(j, "format_version", "LR model");
  TP_CHECK(fv.is_number_integer(), kDataLoss, "LR model 'format_version' is not an integer");
  TP_CHECK(fv.get<int>() == kModelFormatVersion, kInvalidArgument,
           "LR model format_version " << fv.get<int>() << " is not supported (this build reads "
                                      << kModelFormatVersion << ")");
  const std::string version = string_field(j, "version", "LR model");
  const std::string modality = string_field(j, "modality", "LR model");
  check_identity(version, modality);
  const std::string hash = string_field(j, "score_parameters_hash", "LR model");
  TP_CHECK(!hash.empty(), kDataLoss, "LR model 'score_parameters_hash' is empty");
  Calibration c = calibration_from(field(j, "calibration", "LR model"));
  json provenance = j.value("provenance", json::object());
  TP_CHECK(provenance.is_object(), kDataLoss, "LR model 'provenance' is not an object");
  return LrModel(version, modality, hash, std::move(c), std::move(provenance));
}

LrModel LrModel::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  TP_CHECK(in.is_open(), kInvalidArgument, "cannot read LR model file '" << path << "'");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return from_json(text.str());
  } catch (const Error& e) {
    throw Error(e.code(), "LR model file '" + path + "': " + e.what());
  }
}

std::string LrModel::to_json() const {
  json j = {{"format", kModelFormat},
            {"format_version", kModelFormatVersion},
            {"version", version_},
            {"modality", modality_},
            {"score_parameters_hash", score_parameters_hash_},
            {"calibration", calibration_to(calibration_)},
            {"provenance", provenance_}};
  return j.dump(1) + "\n";
}

std::filesystem::path models_directory() {
  if (const char* env = std::getenv("TUSKPRINT_MODELS"); env != nullptr && *env != '\0') return env;
  const std::filesystem::path exe_dir = executable_dir();
  if (!exe_dir.empty()) {
    std::error_code ec;
    const auto beside = exe_dir / ".." / ".." / "models";
    if (std::filesystem::is_directory(beside, ec)) return beside.lexically_normal();
  }
  return "models";
}

std::filesystem::path default_model_path(const std::string& modality) {
  TP_CHECK(modality == "finger" || modality == "schreger", kInvalidArgument,
           "unknown modality '" << modality << "' (finger, schreger)");
  return models_directory() / ("lr-" + modality + "-v1.json");
}

}  // namespace tuskprint::lr
