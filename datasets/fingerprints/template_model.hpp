#pragma once
// Template-level generation for scale (no images): a master minutiae set per finger and
// mated "impressions" of it, keeping the statistics of rendered prints. Per finger: a
// class model (the same one the renderer uses), minutiae placed with a minimum spacing,
// directions along the class orientation field, endings and bifurcations in the rendered
// ratio. Per mate: the same placement and elastic distortion model as the renderer
// (rigid + Cappelli), a partial elliptical contact, missed, spurious and type-flipped
// minutiae, and position / angle noise of an extractor.
#include <cstdint>
#include <vector>

#include "datasets/fingerprints/finger_shape.hpp"
#include "datasets/fingerprints/orientation_model.hpp"
#include "datasets/fingerprints/synth_params.hpp"
#include "ridge/template.hpp"

namespace tuskprint::synth {

// One generated template and who it belongs to.
struct SyntheticTemplate {
  std::uint32_t finger_id = 0;   // from 1
  std::uint32_t mate_index = 0;  // from 0: templates of one finger with different mate
                                 // indices are mated pairs
  ridge::FingerTemplate tpl;
};

struct MasterMinutiae {
  FingerShape shape;
  ClassModel class_model;
  std::vector<ridge::Minutia> minutiae;  // master canvas pixels
};

MasterMinutiae draw_master_minutiae(std::uint64_t finger_seed, const SynthParams& params);

ridge::FingerTemplate draw_mate(const MasterMinutiae& master, std::uint64_t mate_seed,
                                const SynthParams& params);

// fingers x mates templates, finger ids 1..fingers, mate indices 0..mates-1, from `seed`.
// Throws kInvalidArgument for fingers < 1 or mates < 1.
std::vector<SyntheticTemplate> generate_template_set(int fingers, int mates, std::uint64_t seed,
                                                     const SynthParams& params);

inline constexpr const char* kTemplateModelVersion = "tuskprint-synth-templates/1";

}  // namespace tuskprint::synth
