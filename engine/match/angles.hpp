#pragma once
// Small angle helpers shared by the cylinder and score stages.
#include <cmath>
#include <numbers>

namespace tuskprint::match {

// Difference theta1 - theta2 wrapped to [-pi, pi) (the paper's d_phi).
inline float angle_difference(float theta1, float theta2) {
  constexpr float kPi = std::numbers::pi_v<float>;
  float d = theta1 - theta2;
  // Inputs are usually within one turn of each other: avoid fmod in the common case.
  if (d >= -kPi && d < kPi) return d;
  d -= 2 * kPi * std::floor((d + kPi) / (2 * kPi));
  if (d >= kPi) d -= 2 * kPi;  // rounding at the upper edge
  if (d < -kPi) d = -kPi;
  return d;
}

// Logistic Z(v; mu, tau) = 1 / (1 + exp(-tau (v - mu))).
inline float sigmoid(float v, float mu, float tau) {
  return 1.0f / (1.0f + std::exp(-tau * (v - mu)));
}

}  // namespace tuskprint::match
