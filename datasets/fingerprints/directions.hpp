#pragma once
// Angle conventions. Image-frame angles are measured from +x towards +y with y down (what
// atan2(dy, dx) gives on pixel offsets). Template directions (ridge::Minutia::direction)
// are counter-clockwise from +x with y up, in [0, 2*pi).
#include <cmath>
#include <numbers>

namespace tuskprint::synth {

inline float template_direction(double image_angle) {
  constexpr double kTwoPi = 2 * std::numbers::pi;
  double d = std::fmod(-image_angle, kTwoPi);
  if (d < 0) d += kTwoPi;
  float f = static_cast<float>(d);
  if (f >= static_cast<float>(kTwoPi)) f = 0.0f;  // rounding to float can reach 2*pi
  return f;
}

inline double image_angle_of(float template_dir) { return -static_cast<double>(template_dir); }

}  // namespace tuskprint::synth
