#pragma once
// A generated set of tusk cross-sections on disk: <tusk>_<slice>.png files and a
// manifest.json with the ground truth of each.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "datasets/tusks/tusk_model.hpp"

namespace tuskprint::datasets::tusks {

struct TruthAngle {
  double radius_norm;
  double angle_deg;
};

// One manifest entry.
struct SliceTruth {
  std::string file;          // relative to the set directory
  std::string tusk_id;
  int slice_index = 0;
  std::string species;       // "elephant", "mammoth", "lookalike"
  std::string lookalike;     // "none" or the look-alike kind
  double outer_angle_deg = 0;
  double inner_angle_deg = 0;
  std::vector<TruthAngle> angle_profile;  // A(rho), rho in [0, 1]
  double ppi = 0;
  bool sector = false;
  bool mirrored = false;
  bool cdj_visible = true;
  double cdj_radius_mm = 0;
  double pattern_centre_x = 0, pattern_centre_y = 0;  // pixels
  // The part of the tusk's circumference the face shows, in degrees of the tusk's own section
  // frame (the same for every slice of the tusk, whatever the face's rotation and handedness in
  // its image): from arc_start_deg over arc_span_deg in the direction of increasing angle; 0 and
  // 360 for a whole section. arc_span_deg < 0: not recorded (manifests written before it was).
  double arc_start_deg = 0, arc_span_deg = -1;
};

// Degrees of circumference two faces both show (0..360), from their arcs; -1 when either arc
// is not recorded.
double shared_arc_deg(const SliceTruth& a, const SliceTruth& b);

struct SetManifest {
  std::uint64_t seed = 0;
  int tusks = 0, slices = 0;
  std::string species_option;
  double ppi = 0;
  std::vector<SliceTruth> slices_truth;
};

// Writes `tusks` x `slices` images and manifest.json into `dir` (created if missing).
// `progress(done, total)` is called after each image when set.
SetManifest generate_set(const std::string& dir, int tusks, int slices, std::uint64_t seed,
                         const GeneratorOptions& options, const std::string& species_option,
                         const std::function<void(int, int)>& progress = {});

// Truth for one slice (used by generate_set and by tests that render in memory).
SliceTruth describe_slice(const TuskModel& tusk, const SliceModel& slice, const std::string& file);

std::string manifest_to_json(const SetManifest& m);
// Throws Error(kInvalidArgument) naming the problem when the JSON is not a manifest.
SetManifest manifest_from_json(const std::string& text);
SetManifest load_manifest(const std::string& dir);

// Parses --species: elephant, mammoth, mixed, lookalike. Throws kInvalidArgument otherwise.
GeneratorOptions options_for_species(const std::string& species);

}  // namespace tuskprint::datasets::tusks
