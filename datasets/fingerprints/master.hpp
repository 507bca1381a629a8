#pragma once
// The master fingerprint (SFinGe's "master"): the finger's complete, noise-free ridge
// pattern, from which every impression and latent of that finger is made, with its
// ground-truth minutiae.
#include <cstdint>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "datasets/fingerprints/finger_class.hpp"
#include "datasets/fingerprints/finger_shape.hpp"
#include "datasets/fingerprints/orientation_model.hpp"
#include "datasets/fingerprints/synth_params.hpp"
#include "ridge/template.hpp"

namespace tuskprint::synth {

struct MasterFingerprint {
  std::uint64_t seed = 0;
  FingerClass finger_class = FingerClass::kArch;
  FingerShape shape;
  ClassModel class_model;
  cv::Mat1b foreground;   // 255 inside the finger
  cv::Mat1f orientation;  // ridge tangent, image frame, [0, pi)
  cv::Mat1f period;       // ridge period, px
  cv::Mat1f ridges;       // smooth ridge profile, about +1 on ridges, -1 in valleys, 0 outside
  cv::Mat1b skeleton;     // of the binarised master
  std::vector<ridge::Minutia> minutiae;  // canvas pixels at 500 ppi
  int growth_iterations = 0;
};

// Generates the master of one finger. With no class given, the class is drawn with its
// natural frequency. Emits transparency items "synth-orientation-field",
// "synth-ridge-period", "synth-master-ridges" and "synth-master-skeleton".
MasterFingerprint generate_master(std::uint64_t seed, std::optional<FingerClass> finger_class,
                                  const SynthParams& params);

// Dark ridges on white, 8-bit, canvas-sized: how the master looks as an ideal print.
cv::Mat1b render_master(const MasterFingerprint& master);

}  // namespace tuskprint::synth
