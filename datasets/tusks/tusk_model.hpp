#pragma once
// Synthetic tusk cross-sections: the model of one tusk (constant along its length,
// with slow drift), of one cut face (slice), and the sampling of both from a seed.
#include <cstdint>
#include <string>
#include <vector>

#include "datasets/tusks/angle_convention.hpp"

namespace tuskprint::datasets::tusks {

enum class Material { kElephant, kMammoth, kLookalike };
enum class LookalikeKind { kNone, kBone, kHippo, kResinUniform, kResinLayered, kResinChevron };

const char* to_string(Material m);
const char* to_string(LookalikeKind k);

// Small deterministic RNG (splitmix64 core) with portable distributions, so a seed gives
// the same images on every standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  double uniform(double lo = 0.0, double hi = 1.0);
  double normal(double mean, double sd);
  int integer(int lo, int hi_inclusive);
  bool chance(double p) { return uniform() < p; }

 private:
  std::uint64_t state_;
};

// A smooth random field on the section, periodic in theta: sum of a few modes
// a * cos(m * theta + phase) * cos(pi * n * rho + radial_phase). Evolves along the
// tusk by drifting the phases.
struct SmoothField {
  struct Mode {
    double amplitude, m, n, phase, radial_phase, drift;
  };
  std::vector<Mode> modes;
  double value(double rho, double theta, double z_mm) const;
  // `drift_sd`: spread of each mode's phase drift along the tusk (radians per mm).
  static SmoothField random(Rng& rng, int mode_count, double amplitude, int max_m, int max_n,
                            double drift_sd = 0.004);
};

struct Crack {
  double theta;         // where it starts on the rim (section frame, radians)
  double depth;         // how far inward, fraction of the radius
  double width_mm;
  double wander;        // lateral random-walk strength
  double z_from, z_to;  // extent along the tusk (mm); visible on faces inside it
  std::uint64_t seed;
};

// Everything about one tusk that its slices share.
struct TuskModel {
  std::string id;
  Material material = Material::kElephant;
  LookalikeKind lookalike = LookalikeKind::kNone;
  AngleProfile angles;
  double cdj_radius_mm = 30.0;       // mean radius of the cementum-dentine junction
  double axis_ratio = 1.0;           // outline ellipse minor/major
  double outline_rotation = 0.0;     // radians
  std::vector<double> outline_harmonics;  // relative amplitude of k = 2, 3, ... wobble
  std::vector<double> outline_phases;
  double cementum_mm = 1.2;          // cementum ring thickness
  bool cementum_visible = true;
  double cementum_tone = 0.75;       // relative brightness of cementum
  bool pulp_cavity = false;          // true: open cavity; false: nerve dot
  double pulp_radius_frac = 0.03;    // of the CDJ radius
  double pulp_offset_x = 0.0, pulp_offset_y = 0.0;  // pattern centre offset, fraction of radius
  double spacing_inner_mm = 2.2;     // Schreger line spacing near the pulp
  double spacing_outer_mm = 1.1;     // near the CDJ
  double family_phase[2] = {0.0, 0.0};
  double line_contrast = 0.08;       // amplitude of each family, relative to base tone
  double twist_rad_per_mm = 0.002;   // spiral twist of the pattern along the tusk
  double taper_per_mm = 0.002;       // relative radius loss per mm along the tusk
  SmoothField wiggle[2];             // phase perturbation of each family, radians
  SmoothField contrast;              // pattern visibility, multiplicative
  SmoothField tone;                  // dentine tone variation
  std::vector<double> band_rho, band_height, band_width;  // growth bands
  std::vector<Crack> cracks;
  double colour_bgr[3] = {175, 210, 228};  // ivory at tone 1
};

// One photographed cut face.
struct SliceModel {
  int index = 0;
  double z_mm = 0.0;            // position along the tusk
  bool mirrored = false;        // facing cut faces are mirror images
  double rotation = 0.0;        // orientation of the piece in the photograph, radians
  double ppi = 300.0;
  bool sector = false;          // a cut piece (wedge) instead of the whole section
  double sector_start = 0.0, sector_span = 0.0;  // radians, section frame
  double sector_inner_frac = 0.0;  // wedge cut off below this fraction of the radius
  double lighting = 0.15;       // strength of the lighting gradient
  double lighting_direction = 0.0;
  double blur_mm = 0.06;
  double noise_sd = 2.5;        // grey levels
  int jpeg_quality = 92;        // 0 or >= 100: no JPEG round trip
  double background_bgr[3] = {40, 40, 40};
  int saw_mark_count = 0;
  double saw_direction = 0.0;
  double saw_strength = 0.03;
  int stain_count = 0;
  std::uint64_t seed = 0;       // for per-slice noise, saw marks, stains
};

struct GeneratorOptions {
  Material material = Material::kElephant;  // when not mixed
  bool mixed = false;                       // 45 % elephant, 45 % mammoth, 10 % look-alikes
  double ppi = 300.0;
  double sector_fraction = 0.0;             // fraction of faces cut as sectors
  int jpeg_quality = 92;
  double lighting = 0.15;
  double cdj_radius_min_mm = 20.0;
  double cdj_radius_max_mm = 45.0;
  double no_cementum_fraction = 0.0;        // tusks whose cementum was removed (no CDJ)
  double slice_step_mm = 3.0;               // distance between successive cut faces
};

TuskModel sample_tusk(std::uint64_t seed, int tusk_index, const GeneratorOptions& options);
SliceModel sample_slice(const TuskModel& tusk, std::uint64_t seed, int tusk_index,
                        int slice_index, const GeneratorOptions& options);

// Combines a seed with indices into an independent stream seed.
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0);

}  // namespace tuskprint::datasets::tusks
