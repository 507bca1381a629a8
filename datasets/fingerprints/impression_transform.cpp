#include "datasets/fingerprints/impression_transform.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <nlohmann/json.hpp>

namespace tuskprint::synth {
namespace {
constexpr double kPi = std::numbers::pi;

cv::Point2d rotate(cv::Point2d v, double angle) {
  const double c = std::cos(angle), s = std::sin(angle);
  return {c * v.x - s * v.y, s * v.x + c * v.y};
}

double smoothstep(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3 - 2 * t);
}
}  // namespace

cv::Point2d ImpressionTransform::rigid(cv::Point2d master) const {
  return rotate(master - master_pivot, rotation) + impression_pivot;
}

cv::Point2d ImpressionTransform::rigid_inverse(cv::Point2d placed) const {
  return rotate(placed - impression_pivot, -rotation) + master_pivot;
}

double ImpressionTransform::contact_radius(cv::Point2d q) const {
  const cv::Point2d v = rotate(q - contact_centre, -contact_angle);
  return std::sqrt((v.x / contact_rx) * (v.x / contact_rx) + (v.y / contact_ry) * (v.y / contact_ry));
}

cv::Point2d ImpressionTransform::distortion(cv::Point2d placed) const {
  const double rho = contact_radius(placed);
  // Distance beyond the inner ellipse, in pixels along the mean radius.
  const double beyond = (rho - inner_fraction) * 0.5 * (contact_rx + contact_ry);
  const double brake = smoothstep(beyond / outer_extra);
  const cv::Point2d moved = rotate(placed - contact_centre, outer_rotation) + contact_centre + outer_shift;
  cv::Point2d d = brake * (moved - placed);
  const double field_weight = std::min(1.0, rho);
  for (const Wave& w : waves) {
    const double s = std::sin(w.kx * placed.x + w.ky * placed.y + w.phase);
    d += field_weight * s * cv::Point2d(w.ax, w.ay);
  }
  return d;
}

cv::Point2d ImpressionTransform::map(cv::Point2d master) const {
  const cv::Point2d placed = rigid(master);
  return placed + distortion(placed);
}

cv::Point2d ImpressionTransform::unmap(cv::Point2d q) const {
  // Solve placed + distortion(placed) = q by fixed-point iteration (the distortion is a
  // contraction: its slope stays well below 1).
  cv::Point2d placed = q;
  for (int i = 0; i < 12; ++i) placed = q - distortion(placed);
  return rigid_inverse(placed);
}

ImpressionTransform draw_impression_transform(cv::Point2d master_centre, cv::Size impression_size,
                                              Rng& rng, const ImpressionParams& p, bool distorted) {
  ImpressionTransform t;
  const cv::Point2d centre(0.5 * impression_size.width, 0.5 * impression_size.height);
  t.rotation = rng.clipped_normal(0, p.rotation_sd_deg * kPi / 180, -kPi / 4, kPi / 4);
  t.master_pivot = master_centre;
  t.impression_pivot = centre + cv::Point2d{rng.clipped_normal(0, p.translation_sd, -60, 60),
                                            rng.clipped_normal(0, p.translation_sd, -60, 60)};
  t.contact_centre = t.impression_pivot + cv::Point2d{rng.normal(0, p.contact_centre_sd),
                                                      rng.normal(0, p.contact_centre_sd)};
  t.contact_rx = rng.uniform(p.contact_rx_min, p.contact_rx_max);
  t.contact_ry = rng.uniform(p.contact_ry_min, p.contact_ry_max);
  t.contact_angle = t.rotation + rng.normal(0, 0.1);
  t.inner_fraction = p.distortion_inner_fraction;
  t.outer_extra = p.distortion_outer_extra;
  // Drawn even when undistorted so both settings consume the same random numbers.
  const cv::Point2d shift{rng.normal(0, p.distortion_shift_sd), rng.normal(0, p.distortion_shift_sd)};
  const double turn = rng.normal(0, p.distortion_rotation_sd_deg * kPi / 180);
  std::array<ImpressionTransform::Wave, 3> waves{};
  for (ImpressionTransform::Wave& w : waves) {
    const double dir = rng.uniform(0, 2 * kPi);
    const double wavelength = rng.uniform(150, 400);  // px: smooth over several ridges
    w.kx = 2 * kPi / wavelength * std::cos(dir);
    w.ky = 2 * kPi / wavelength * std::sin(dir);
    w.phase = rng.uniform(0, 2 * kPi);
    const double amp_dir = rng.uniform(0, 2 * kPi);
    const double amp = p.distortion_field_amplitude * rng.uniform(0.3, 1.0);
    w.ax = amp * std::cos(amp_dir);
    w.ay = amp * std::sin(amp_dir);
  }
  if (distorted) {
    t.outer_shift = shift;
    t.outer_rotation = turn;
    t.waves = waves;
  }
  return t;
}

nlohmann::json to_json(const ImpressionTransform& t) {
  nlohmann::json waves = nlohmann::json::array();
  for (const auto& w : t.waves) {
    waves.push_back({{"ax", w.ax}, {"ay", w.ay}, {"kx", w.kx}, {"ky", w.ky}, {"phase", w.phase}});
  }
  return {
      {"model", "rigid then Cappelli-Maio-Maltoni elastic distortion; see datasets/README.md"},
      {"rotation_rad", t.rotation},
      {"master_pivot", {t.master_pivot.x, t.master_pivot.y}},
      {"impression_pivot", {t.impression_pivot.x, t.impression_pivot.y}},
      {"contact", {{"centre", {t.contact_centre.x, t.contact_centre.y}},
                   {"rx", t.contact_rx}, {"ry", t.contact_ry}, {"angle_rad", t.contact_angle}}},
      {"distortion", {{"inner_fraction", t.inner_fraction}, {"outer_extra", t.outer_extra},
                      {"outer_shift", {t.outer_shift.x, t.outer_shift.y}},
                      {"outer_rotation_rad", t.outer_rotation}, {"waves", waves}}},
  };
}

}  // namespace tuskprint::synth
