#pragma once
// A plain impression of a master on a 500 ppi sensor: placement and elastic distortion,
// partial elliptical contact, pressure and skin condition (dry skin breaks ridges, wet
// skin merges them), sensor background, contrast, blur and noise. The ground-truth
// minutiae are the master's, carried through the recorded transform and kept where the
// finger touched.
#include <cstdint>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "datasets/fingerprints/impression_transform.hpp"
#include "datasets/fingerprints/master.hpp"
#include "datasets/fingerprints/synth_params.hpp"
#include "ridge/template.hpp"

namespace tuskprint::synth {

enum class SkinCondition { kNormal, kDry, kWet };
std::string_view to_string(SkinCondition skin);

struct ImpressionOptions {
  bool distortion = true;       // elastic distortion on top of the rigid placement
  bool skin_and_noise = true;   // skin condition, pressure jitter, background, blur, noise
  bool partial_contact = true;  // false: the whole finger touches
};

struct Impression {
  ImpressionTransform transform;
  SkinCondition skin = SkinCondition::kNormal;
  double threshold_bias = 0;  // ridge-profile threshold shift from skin and pressure
  cv::Mat1b image;            // 8-bit grey, dark ridges, 500 ppi
  cv::Mat1b contact;          // 255 where the finger touched the sensor
  std::vector<ridge::Minutia> minutiae;  // ground truth, impression pixels
};

// Renders impression `seed` of `master`. The same master and seed give the same pixels.
Impression render_impression(const MasterFingerprint& master, std::uint64_t seed,
                             const SynthParams& params, const ImpressionOptions& options = {});

}  // namespace tuskprint::synth
