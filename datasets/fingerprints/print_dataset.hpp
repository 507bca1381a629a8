#pragma once
// Writes a synthetic fingerprint set in the FVC layout: `<finger>_<impression>.png`
// (fingers from 1, impressions 1..K), one ground-truth minutiae JSON per image
// (`<finger>_<impression>.json`) and `manifest.json` (generator, parameters hash, seed,
// ppi, class, singularities, transform, ground-truth path per image). Everything follows
// from the seed: the same options give byte-identical files.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "datasets/fingerprints/finger_class.hpp"
#include "datasets/fingerprints/synth_params.hpp"
#include "ridge/template.hpp"

namespace tuskprint::synth {

struct PrintDatasetOptions {
  int fingers = 0;
  int impressions = 0;
  bool latent = false;  // latent lifts on ivory at 1000 ppi instead of plain impressions
  std::uint64_t seed = 0;
  std::filesystem::path out_dir;
  std::optional<FingerClass> finger_class;  // all fingers of one class (tests, demos)
  bool write_masters = false;               // also masters/<finger>.png
  std::function<void(int fingers_done, int fingers_total)> progress;
};

struct PrintDatasetSummary {
  int images = 0;
  long long ground_truth_minutiae = 0;
};

// Throws kInvalidArgument for counts out of range or an output directory that cannot be
// created or written.
PrintDatasetSummary write_print_dataset(const PrintDatasetOptions& options, const SynthParams& params);

// Ground-truth minutiae file content (also what tests read back).
nlohmann::json minutiae_json(const std::vector<ridge::Minutia>& minutiae);
std::vector<ridge::Minutia> minutiae_from_json(const nlohmann::json& j);

}  // namespace tuskprint::synth
