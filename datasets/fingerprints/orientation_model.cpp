#include "datasets/fingerprints/orientation_model.hpp"

#include <cmath>
#include <numbers>

namespace tuskprint::synth {
namespace {
constexpr double kPi = std::numbers::pi;

double wrap_pi(double a) {
  a = std::fmod(a, kPi);
  return a < 0 ? a + kPi : a;
}

cv::Point2d rotate(cv::Point2d v, double angle) {
  const double c = std::cos(angle), s = std::sin(angle);
  return {c * v.x - s * v.y, s * v.x + c * v.y};
}

// Level function of the arch ridges in the arch's own frame (y down): ridges are its
// level lines, raised by a Gaussian bump that fades out below the centre.
double arch_level(const ClassModel& m, cv::Point2d q) {
  const double bump = std::exp(-(q.x * q.x) / (m.arch_width * m.arch_width));
  const double fade = 1.0 / (1.0 + std::exp((q.y - m.arch_fade) / 40.0));
  return q.y + m.arch_height * bump * fade;
}
}  // namespace

double ClassModel::orientation_at(double x, double y) const {
  if (finger_class == FingerClass::kArch) {
    const cv::Point2d q = rotate(cv::Point2d(x, y) - arch_centre, -theta_inf);
    const double fx = arch_level(*this, q + cv::Point2d(1, 0)) - arch_level(*this, q - cv::Point2d(1, 0));
    const double fy = arch_level(*this, q + cv::Point2d(0, 1)) - arch_level(*this, q - cv::Point2d(0, 1));
    return wrap_pi(std::atan2(-fx, fy) + theta_inf);
  }
  double angle = theta_inf;
  for (const auto& c : cores) angle += 0.5 * std::atan2(y - c.y, x - c.x);
  for (const auto& d : deltas) angle -= 0.5 * std::atan2(y - d.y, x - d.x);
  return wrap_pi(angle);
}

ClassModel draw_class_model(FingerClass finger_class, const FingerShape& shape, Rng& rng,
                            const MasterParams& params) {
  ClassModel m;
  m.finger_class = finger_class;
  const double rotation = rng.clipped_normal(0, params.pattern_rotation_sd_deg * kPi / 180,
                                             -0.35, 0.35);
  m.theta_inf = rotation;
  const double a = shape.half_width;
  const double b = 0.5 * (shape.half_height_top + shape.half_height_bottom);
  const cv::Point2d c0 = shape.centre;
  // Singularities are placed in the upright pattern frame, then turned with the pattern.
  auto place = [&](cv::Point2d offset) { return c0 + rotate(offset, rotation); };
  switch (finger_class) {
    case FingerClass::kArch:
      m.arch_centre = place({rng.uniform(-0.1, 0.1) * a, rng.uniform(-0.2, 0.1) * b});
      m.arch_height = rng.uniform(60, 130);
      m.arch_width = rng.uniform(0.35, 0.6) * a;
      m.arch_fade = rng.uniform(0.2, 0.6) * b;
      break;
    case FingerClass::kTentedArch: {
      const cv::Point2d core{rng.uniform(-0.12, 0.12) * a, rng.uniform(-0.3, 0.0) * b};
      m.cores.push_back(place(core));
      m.deltas.push_back(place(core + cv::Point2d{rng.uniform(-0.06, 0.06) * a,
                                                  rng.uniform(0.28, 0.5) * b}));
      break;
    }
    case FingerClass::kLeftLoop:
    case FingerClass::kRightLoop: {
      // Left loop: ridges enter and leave on the left, the delta sits low on the right.
      const double side = finger_class == FingerClass::kLeftLoop ? 1.0 : -1.0;
      const cv::Point2d core{side * rng.uniform(-0.2, 0.1) * a, rng.uniform(-0.3, 0.05) * b};
      m.cores.push_back(place(core));
      m.deltas.push_back(place(core + cv::Point2d{side * rng.uniform(0.45, 0.8) * a,
                                                  rng.uniform(0.45, 0.75) * b}));
      break;
    }
    case FingerClass::kWhorl: {
      const cv::Point2d mid{rng.uniform(-0.12, 0.12) * a, rng.uniform(-0.25, 0.05) * b};
      const double gap = rng.uniform(14, 50);
      const double tilt = rng.uniform(-0.6, 0.6);
      const cv::Point2d half = rotate(cv::Point2d(0, 0.5 * gap), tilt);
      m.cores.push_back(place(mid - half));
      m.cores.push_back(place(mid + half));
      const double drop = rng.uniform(0.45, 0.7) * b;
      m.deltas.push_back(place(mid + cv::Point2d{-rng.uniform(0.55, 0.85) * a, drop + rng.uniform(-0.08, 0.08) * b}));
      m.deltas.push_back(place(mid + cv::Point2d{rng.uniform(0.55, 0.85) * a, drop + rng.uniform(-0.08, 0.08) * b}));
      break;
    }
  }
  return m;
}

cv::Mat1f orientation_field(const ClassModel& model, cv::Size size) {
  cv::Mat1f field(size);
  for (int y = 0; y < size.height; ++y) {
    float* row = field.ptr<float>(y);
    for (int x = 0; x < size.width; ++x) row[x] = static_cast<float>(model.orientation_at(x, y));
  }
  return field;
}

}  // namespace tuskprint::synth
