#pragma once
// Synthetic minutiae sets for matcher tests: positions spread over a finger-sized area
// with a minimum spacing, directions following a smooth ridge-flow field (as on real
// fingers, so that unrelated templates are not trivially different).
#include <cmath>
#include <numbers>
#include <random>

#include "ridge/template.hpp"

namespace tuskprint::match::testing {

inline float wrap_angle(float a) {
  constexpr float two_pi = 2 * std::numbers::pi_v<float>;
  a = std::fmod(a, two_pi);
  return a < 0 ? a + two_pi : a;
}

inline ridge::FingerTemplate random_template(unsigned seed, int count = 45, int width = 320,
                                             int height = 360) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> ux(20, static_cast<float>(width - 20));
  std::uniform_real_distribution<float> uy(20, static_cast<float>(height - 20));
  std::uniform_real_distribution<float> phase(0, 6.28f);
  std::bernoulli_distribution flip(0.5);
  const float p1 = phase(rng), p2 = phase(rng);
  ridge::FingerTemplate t;
  t.width = width;
  t.height = height;
  int attempts = 0;
  while (static_cast<int>(t.minutiae.size()) < count && attempts++ < 100000) {
    ridge::Minutia m;
    m.x = ux(rng);
    m.y = uy(rng);
    bool crowded = false;
    for (const auto& o : t.minutiae) crowded = crowded || std::hypot(o.x - m.x, o.y - m.y) < 18;
    if (crowded) continue;
    const float flow = 0.9f * std::sin(m.x / 90 + p1) + 0.7f * std::cos(m.y / 110 + p2) + 1.2f;
    m.direction = wrap_angle(flow + (flip(rng) ? std::numbers::pi_v<float> : 0.0f));
    m.type = flip(rng) ? ridge::MinutiaType::kEnding : ridge::MinutiaType::kBifurcation;
    t.minutiae.push_back(m);
  }
  return t;
}

// `source` rotated by `angle` (radians, CCW as seen with y up) about its centre, shifted by
// (dx, dy), with Gaussian jitter on positions (px) and directions (rad).
inline ridge::FingerTemplate moved_copy(const ridge::FingerTemplate& source, float angle, float dx,
                                        float dy, float position_jitter, float direction_jitter,
                                        unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> jp(0, position_jitter > 0 ? position_jitter : 1e-6f);
  std::normal_distribution<float> jd(0, direction_jitter > 0 ? direction_jitter : 1e-6f);
  ridge::FingerTemplate out = source;
  const float cx = static_cast<float>(source.width) / 2, cy = static_cast<float>(source.height) / 2;
  const float c = std::cos(angle), s = std::sin(angle);
  for (auto& m : out.minutiae) {
    // Rotate in the y-up frame: y_up = -y.
    const float x = m.x - cx, yu = -(m.y - cy);
    const float rx = c * x - s * yu, ryu = s * x + c * yu;
    m.x = rx + cx + dx + jp(rng);
    m.y = -ryu + cy + dy + jp(rng);
    m.direction = wrap_angle(m.direction + angle + jd(rng));
  }
  return out;
}

}  // namespace tuskprint::match::testing
