#include "datasets/fingerprints/template_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "datasets/fingerprints/directions.hpp"
#include "datasets/fingerprints/impression_transform.hpp"

namespace tuskprint::synth {
namespace {
constexpr double kPi = std::numbers::pi;

// Mean area of the plain-impression contact ellipse: the master's density is set so that
// this area holds the requested plain-print count on average.
double mean_contact_area(const ImpressionParams& p) {
  return kPi * 0.5 * (p.contact_rx_min + p.contact_rx_max) * 0.5 * (p.contact_ry_min + p.contact_ry_max);
}

// Grid of accepted points for the minimum-distance test (dart throwing).
class SpacingGrid {
 public:
  SpacingGrid(cv::Size canvas, double min_distance)
      : cell_(min_distance), min2_(min_distance * min_distance),
        cols_(static_cast<int>(canvas.width / cell_) + 1), rows_(static_cast<int>(canvas.height / cell_) + 1),
        cells_(static_cast<std::size_t>(cols_ * rows_)) {}

  bool try_add(cv::Point2d p) {
    const int cx = static_cast<int>(p.x / cell_), cy = static_cast<int>(p.y / cell_);
    for (int y = std::max(0, cy - 1); y <= std::min(rows_ - 1, cy + 1); ++y) {
      for (int x = std::max(0, cx - 1); x <= std::min(cols_ - 1, cx + 1); ++x) {
        for (const cv::Point2d& q : cells_[static_cast<std::size_t>(y * cols_ + x)]) {
          const cv::Point2d d = p - q;
          if (d.dot(d) < min2_) return false;
        }
      }
    }
    cells_[static_cast<std::size_t>(cy * cols_ + cx)].push_back(p);
    return true;
  }

 private:
  double cell_, min2_;
  int cols_, rows_;
  std::vector<std::vector<cv::Point2d>> cells_;
};

float wrap_direction(double d) {
  return template_direction(-d);  // template_direction negates: undo to wrap d itself
}
}  // namespace

MasterMinutiae draw_master_minutiae(std::uint64_t finger_seed, const SynthParams& params) {
  const TemplateModelParams& tp = params.templates;
  Rng rng(finger_seed);
  Rng class_rng = rng.fork(1), shape_rng = rng.fork(2), model_rng = rng.fork(3), point_rng = rng.fork(6);
  MasterMinutiae m;
  const FingerClass finger_class = draw_finger_class(class_rng);
  m.shape = draw_finger_shape(shape_rng, params.master);
  m.class_model = draw_class_model(finger_class, m.shape, model_rng, params.master);
  // This finger's richness: its plain prints would hold ~N(mean, sd) minutiae.
  const double plain = std::max(8.0, point_rng.normal(tp.plain_count_mean, 0.8 * tp.plain_count_sd));
  const double density = plain / mean_contact_area(params.impression);
  const int target = static_cast<int>(std::lround(density * m.shape.area()));
  SpacingGrid grid(m.shape.canvas, tp.min_distance);
  const double margin = params.master.minutia_border_margin;
  for (int tries = 0; static_cast<int>(m.minutiae.size()) < target && tries < 30 * target; ++tries) {
    const cv::Point2d p{point_rng.uniform(0, m.shape.canvas.width), point_rng.uniform(0, m.shape.canvas.height)};
    const double rho = m.shape.normalised_radius(p);
    if (rho >= 1.0 - margin / m.shape.half_width) continue;
    if (!grid.try_add(p)) continue;
    ridge::Minutia mn;
    mn.x = static_cast<float>(p.x);
    mn.y = static_cast<float>(p.y);
    const double axis = m.class_model.orientation_at(p.x, p.y);
    mn.direction = template_direction(axis + (point_rng.bernoulli(0.5) ? 0.0 : kPi));
    mn.type = point_rng.bernoulli(tp.ending_fraction) ? ridge::MinutiaType::kEnding : ridge::MinutiaType::kBifurcation;
    mn.quality = 1;
    m.minutiae.push_back(mn);
  }
  return m;
}

ridge::FingerTemplate draw_mate(const MasterMinutiae& master, std::uint64_t mate_seed, const SynthParams& params) {
  const TemplateModelParams& tp = params.templates;
  const ImpressionParams& ip = params.impression;
  Rng rng(mate_seed);
  Rng placement_rng = rng.fork(1), noise_rng = rng.fork(2);
  const cv::Size size(ip.width, ip.height);
  const ImpressionTransform t = draw_impression_transform(master.shape.centre, size, placement_rng, ip, true);
  auto inside = [&](cv::Point2d q) {
    return q.x >= 0 && q.y >= 0 && q.x < size.width && q.y < size.height && t.contact_radius(q) < 1.0;
  };
  const double angle_sd = tp.angle_noise_sd_deg * kPi / 180;
  ridge::FingerTemplate tpl;
  tpl.extractor_version = kTemplateModelVersion;
  tpl.width = size.width;
  tpl.height = size.height;
  tpl.ppi = 500;
  tpl.source_ppi = 500;
  for (const ridge::Minutia& m : master.minutiae) {
    const cv::Point2d p(m.x, m.y);
    const cv::Point2d q = t.map(p);
    if (!inside(q)) continue;
    if (noise_rng.bernoulli(tp.missing_probability)) continue;
    const double a = image_angle_of(m.direction);
    const cv::Point2d q2 = t.map(p + 2.0 * cv::Point2d(std::cos(a), std::sin(a)));
    ridge::Minutia out = m;
    out.x = static_cast<float>(q.x + noise_rng.normal(0, tp.position_noise_sd));
    out.y = static_cast<float>(q.y + noise_rng.normal(0, tp.position_noise_sd));
    out.direction = wrap_direction(template_direction(std::atan2(q2.y - q.y, q2.x - q.x)) +
                                   noise_rng.normal(0, angle_sd));
    if (noise_rng.bernoulli(tp.type_flip_probability)) {
      out.type = out.type == ridge::MinutiaType::kEnding ? ridge::MinutiaType::kBifurcation : ridge::MinutiaType::kEnding;
    }
    out.quality = static_cast<float>(noise_rng.uniform(0.5, 1.0));
    tpl.minutiae.push_back(out);
  }
  // Spurious minutiae: noise, scars and creases, placed at random on the contact.
  const int spurious = noise_rng.poisson(tp.spurious_fraction * static_cast<double>(tpl.minutiae.size()));
  for (int i = 0, tries = 0; i < spurious && tries < 50 * (spurious + 1); ++tries) {
    const cv::Point2d q{noise_rng.uniform(0, size.width), noise_rng.uniform(0, size.height)};
    if (!inside(q)) continue;
    const cv::Point2d p = t.unmap(q);
    if (master.shape.normalised_radius(p) >= 1.0) continue;
    ridge::Minutia out;
    out.x = static_cast<float>(q.x);
    out.y = static_cast<float>(q.y);
    const double axis = master.class_model.orientation_at(p.x, p.y) + t.rotation;
    const double sense = noise_rng.bernoulli(0.5) ? 0.0 : kPi;  // draws in a fixed order
    out.direction = template_direction(axis + sense + noise_rng.normal(0, angle_sd));
    out.type = noise_rng.bernoulli(tp.ending_fraction) ? ridge::MinutiaType::kEnding : ridge::MinutiaType::kBifurcation;
    out.quality = static_cast<float>(noise_rng.uniform(0.2, 0.7));
    tpl.minutiae.push_back(out);
    ++i;
  }
  tpl.quality = static_cast<float>(std::min(100.0, 2.0 * static_cast<double>(tpl.minutiae.size())));
  return tpl;
}

std::vector<SyntheticTemplate> generate_template_set(int fingers, int mates, std::uint64_t seed,
                                                     const SynthParams& params) {
  TP_CHECK(fingers >= 1, kInvalidArgument, "--fingers must be at least 1 (got " << fingers << ")");
  TP_CHECK(mates >= 1, kInvalidArgument, "--mates must be at least 1 (got " << mates << ")");
  const std::string hash = parameters_hash(params);
  std::vector<SyntheticTemplate> out;
  out.reserve(static_cast<std::size_t>(fingers) * static_cast<std::size_t>(mates));
  for (int f = 1; f <= fingers; ++f) {
    const MasterMinutiae master = draw_master_minutiae(derive_seed(seed, static_cast<std::uint64_t>(f)), params);
    for (int k = 0; k < mates; ++k) {
      SyntheticTemplate s;
      s.finger_id = static_cast<std::uint32_t>(f);
      s.mate_index = static_cast<std::uint32_t>(k);
      s.tpl = draw_mate(master, derive_seed(seed, static_cast<std::uint64_t>(f), static_cast<std::uint64_t>(k) + 1, 7), params);
      s.tpl.parameters_hash = hash;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace tuskprint::synth
