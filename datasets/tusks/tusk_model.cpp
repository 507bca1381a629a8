#include "datasets/tusks/tusk_model.hpp"

#include <algorithm>
#include <cmath>

namespace tuskprint::datasets::tusks {

const char* to_string(Material m) {
  switch (m) {
    case Material::kElephant: return "elephant";
    case Material::kMammoth: return "mammoth";
    case Material::kLookalike: return "lookalike";
  }
  return "?";
}

const char* to_string(LookalikeKind k) {
  switch (k) {
    case LookalikeKind::kNone: return "none";
    case LookalikeKind::kBone: return "bone";
    case LookalikeKind::kHippo: return "hippo";
    case LookalikeKind::kResinUniform: return "resin-uniform";
    case LookalikeKind::kResinLayered: return "resin-layered";
    case LookalikeKind::kResinChevron: return "resin-chevron";
  }
  return "?";
}

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Rng::uniform(double lo, double hi) {
  return lo + (hi - lo) * (double(next() >> 11) * (1.0 / 9007199254740992.0));
}

double Rng::normal(double mean, double sd) {
  const double u1 = std::max(uniform(), 1e-300);
  const double u2 = uniform();
  return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

int Rng::integer(int lo, int hi_inclusive) {
  return lo + int(next() % std::uint64_t(hi_inclusive - lo + 1));
}

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  Rng r(seed ^ (a * 0xD1B54A32D192ED03ull) ^ (b * 0x8CB92BA72F3D8DD7ull));
  r.next();
  return r.next();
}

double SmoothField::value(double rho, double theta, double z_mm) const {
  double v = 0.0;
  for (const Mode& m : modes)
    v += m.amplitude * std::cos(m.m * theta + m.phase + m.drift * z_mm) *
         std::cos(M_PI * m.n * rho + m.radial_phase);
  return v;
}

SmoothField SmoothField::random(Rng& rng, int mode_count, double amplitude, int max_m, int max_n,
                                double drift_sd) {
  SmoothField f;
  const double per_mode = amplitude / std::sqrt(double(mode_count));
  for (int i = 0; i < mode_count; ++i) {
    f.modes.push_back({per_mode * rng.uniform(0.5, 1.5), double(rng.integer(0, max_m)),
                       double(rng.integer(1, max_n)), rng.uniform(0, 2 * M_PI),
                       rng.uniform(0, 2 * M_PI), rng.normal(0.0, drift_sd)});
  }
  return f;
}

namespace {

// The Schreger pattern is a 3-D structure: its intersection with the cut plane drifts
// along the tusk. The line families keep their angles, spacing and count, but their
// irregularities (bends, local phase) renew over a few centimetres of tusk length: each
// wiggle mode's phase drifts by ~0.2 rad per mm (a full cycle in ~3 cm), so faces 3 mm
// apart are near copies and faces 9 mm apart visibly less so.
constexpr double kLineDriftRadPerMm = 0.2;

// Published outer-angle distributions (Espinoza & Mann 1993; Trapani & Fisher 2003):
// elephant mean 124.2 SD 9.3 range 95-163, mammoth mean 73.7 SD 9.8 range 35-115.
double sample_outer_angle(Rng& rng, Material m) {
  if (m == Material::kMammoth) return std::clamp(rng.normal(73.7, 9.8), 35.0, 115.0);
  return std::clamp(rng.normal(124.2, 9.3), 95.0, 163.0);
}

Material sample_material(Rng& rng, const GeneratorOptions& o) {
  if (!o.mixed) return o.material;
  const double u = rng.uniform();
  return u < 0.45 ? Material::kElephant : u < 0.9 ? Material::kMammoth : Material::kLookalike;
}

}  // namespace

TuskModel sample_tusk(std::uint64_t seed, int tusk_index, const GeneratorOptions& o) {
  Rng rng(mix_seed(seed, 0x7457u, std::uint64_t(tusk_index)));
  TuskModel t;
  char id[32];
  std::snprintf(id, sizeof id, "t%04d", tusk_index);
  t.id = id;
  t.material = sample_material(rng, o);
  if (t.material == Material::kLookalike) t.lookalike = LookalikeKind(rng.integer(1, 5));
  const Material for_angles = t.material == Material::kLookalike ? Material::kElephant : t.material;
  t.angles.outer_deg = sample_outer_angle(rng, for_angles);
  // Inner angles: 25-40 deg near the pulp in mammoth, wider in elephant; always clearly
  // below the outer angle.
  const double inner = t.material == Material::kMammoth ? rng.uniform(25, 40) : rng.uniform(40, 75);
  t.angles.inner_deg = std::min(inner, t.angles.outer_deg - 15.0);
  t.angles.exponent = rng.uniform(2.0, 3.2);
  t.cdj_radius_mm = rng.uniform(o.cdj_radius_min_mm, o.cdj_radius_max_mm);
  t.axis_ratio = rng.uniform(0.92, 1.0);
  t.outline_rotation = rng.uniform(0, M_PI);
  for (int k = 2; k <= 6; ++k) {
    t.outline_harmonics.push_back(rng.uniform(0.0, 0.012 / (k - 1)));
    t.outline_phases.push_back(rng.uniform(0, 2 * M_PI));
  }
  t.cementum_mm = rng.uniform(0.7, 2.5);
  t.cementum_visible = !rng.chance(o.no_cementum_fraction);
  t.cementum_tone = rng.chance(0.5) ? rng.uniform(0.62, 0.86) : rng.uniform(1.04, 1.08);
  t.pulp_cavity = rng.chance(0.4);
  t.pulp_radius_frac = t.pulp_cavity ? rng.uniform(0.08, 0.3) : rng.uniform(0.02, 0.05);
  const double off = rng.uniform(0.0, 0.05), off_dir = rng.uniform(0, 2 * M_PI);
  t.pulp_offset_x = off * std::cos(off_dir);
  t.pulp_offset_y = off * std::sin(off_dir);
  t.spacing_inner_mm = rng.uniform(2.0, 2.4);
  t.spacing_outer_mm = rng.uniform(1.0, 1.2);
  t.family_phase[0] = rng.uniform(0, 2 * M_PI);
  t.family_phase[1] = rng.uniform(0, 2 * M_PI);
  t.line_contrast = rng.uniform(0.05, 0.11);
  t.twist_rad_per_mm = rng.normal(0.0, 0.004);
  t.taper_per_mm = rng.uniform(0.0005, 0.003);
  for (auto& w : t.wiggle) w = SmoothField::random(rng, 6, 0.6, 6, 4, kLineDriftRadPerMm);
  t.contrast = SmoothField::random(rng, 8, 0.35, 7, 5);
  t.tone = SmoothField::random(rng, 6, 0.025, 5, 4);
  const int bands = rng.integer(6, 16);
  for (int i = 0; i < bands; ++i) {
    t.band_rho.push_back(rng.uniform(0.15, 0.97));
    t.band_height.push_back(rng.uniform(-0.06, 0.06));
    t.band_width.push_back(rng.uniform(0.003, 0.015));
  }
  const int cracks = rng.integer(0, 4);
  for (int i = 0; i < cracks; ++i) {
    const double z0 = rng.uniform(-20, 40);
    t.cracks.push_back({rng.uniform(0, 2 * M_PI), rng.uniform(0.08, 0.5), rng.uniform(0.06, 0.25),
                        rng.uniform(0.0, 0.05), z0, z0 + rng.uniform(5, 40), rng.next()});
  }
  const double warm = rng.uniform(-10, 10);
  t.colour_bgr[0] = 170 + warm - rng.uniform(0, 25);
  t.colour_bgr[1] = 208 + warm * 0.5;
  t.colour_bgr[2] = 226 + rng.uniform(-6, 6);
  return t;
}

SliceModel sample_slice(const TuskModel& tusk, std::uint64_t seed, int tusk_index, int slice_index,
                        const GeneratorOptions& o) {
  Rng rng(mix_seed(seed, 0x511CEu + std::uint64_t(tusk_index), std::uint64_t(slice_index)));
  SliceModel s;
  s.index = slice_index;
  s.z_mm = slice_index * o.slice_step_mm;
  s.mirrored = (slice_index % 2) == 1;
  s.rotation = rng.uniform(0, 2 * M_PI);
  s.ppi = o.ppi;
  s.sector = rng.chance(o.sector_fraction);
  if (s.sector) {
    s.sector_span = rng.uniform(120, 210) * M_PI / 180.0;
    s.sector_start = rng.uniform(0, 2 * M_PI);
    s.sector_inner_frac = rng.chance(0.5) ? rng.uniform(0.15, 0.45) : 0.0;
  }
  s.lighting = o.lighting * rng.uniform(0.5, 1.0);
  s.lighting_direction = rng.uniform(0, 2 * M_PI);
  s.blur_mm = rng.uniform(0.03, 0.1);
  s.noise_sd = rng.uniform(1.5, 4.0);
  s.jpeg_quality = o.jpeg_quality;
  // A plain background, dark or light, well apart from the ivory tone.
  const int kind = rng.integer(0, 3);
  const double bg[4][3] = {{35, 35, 38}, {70, 55, 45}, {245, 245, 245}, {120, 80, 40}};
  for (int c = 0; c < 3; ++c) s.background_bgr[c] = bg[kind][c] + rng.uniform(-8, 8);
  s.saw_mark_count = rng.chance(0.6) ? rng.integer(20, 120) : 0;
  s.saw_direction = rng.uniform(0, M_PI);
  s.saw_strength = rng.uniform(0.01, 0.04);
  s.stain_count = rng.integer(0, 4);
  s.seed = rng.next();
  (void)tusk;
  return s;
}

}  // namespace tuskprint::datasets::tusks
