#include "datasets/fingerprints/synth_params.hpp"

#include <iomanip>
#include <sstream>

#include "core/sha256.hpp"

namespace tuskprint::synth {
namespace {
class Canon {
 public:
  template <typename T>
  Canon& add(const char* name, T value) {
    os_ << name << '=' << std::setprecision(17) << value << ';';
    return *this;
  }
  std::string str() const { return os_.str(); }

 private:
  std::ostringstream os_;
};
}  // namespace

std::string parameters_hash(const SynthParams& p) {
  Canon c;
  c.add("version", kGeneratorVersion);
  const MasterParams& m = p.master;
  c.add("m.hw0", m.half_width_min).add("m.hw1", m.half_width_max)
      .add("m.ht0", m.half_height_top_min).add("m.ht1", m.half_height_top_max)
      .add("m.hb0", m.half_height_bottom_min).add("m.hb1", m.half_height_bottom_max)
      .add("m.oe0", m.outline_exponent_min).add("m.oe1", m.outline_exponent_max)
      .add("m.margin", m.canvas_margin)
      .add("m.pm0", m.period_mean_min).add("m.pm1", m.period_mean_max)
      .add("m.psd", m.period_local_sd).add("m.pns", m.period_node_spacing)
      .add("m.p0", m.period_min).add("m.p1", m.period_max)
      .add("m.rot", m.pattern_rotation_sd_deg)
      .add("m.ob", m.orientation_bins).add("m.pbs", m.period_bin_step)
      .add("m.gs", m.gabor_sigma_per_period).add("m.gr", m.gabor_radius_sigmas)
      .add("m.gain", m.growth_gain).add("m.s0", m.growth_seeds_min)
      .add("m.s1", m.growth_seeds_max).add("m.it", m.growth_max_iterations)
      .add("m.stable", m.growth_stable_fraction).add("m.blur", m.ridge_profile_blur_sigma)
      .add("m.bm", m.minutia_border_margin).add("m.cd", m.minutia_cluster_distance)
      .add("m.spur", m.spur_max_length).add("m.trace", m.direction_trace_length);
  const ImpressionParams& i = p.impression;
  c.add("i.w", i.width).add("i.h", i.height).add("i.rot", i.rotation_sd_deg)
      .add("i.tr", i.translation_sd).add("i.rx0", i.contact_rx_min).add("i.rx1", i.contact_rx_max)
      .add("i.ry0", i.contact_ry_min).add("i.ry1", i.contact_ry_max)
      .add("i.csd", i.contact_centre_sd).add("i.soft", i.contact_edge_softness)
      .add("i.din", i.distortion_inner_fraction).add("i.dout", i.distortion_outer_extra)
      .add("i.dsh", i.distortion_shift_sd).add("i.drot", i.distortion_rotation_sd_deg)
      .add("i.dfa", i.distortion_field_amplitude).add("i.dry", i.dry_probability)
      .add("i.wet", i.wet_probability).add("i.dbias", i.dry_bias).add("i.wbias", i.wet_bias)
      .add("i.dbreak", i.dry_break_density).add("i.psd", i.pressure_sd)
      .add("i.edge", i.edge_thinning).add("i.bg0", i.background_min)
      .add("i.bg1", i.background_max).add("i.c0", i.contrast_min).add("i.c1", i.contrast_max)
      .add("i.n0", i.noise_sd_min).add("i.n1", i.noise_sd_max).add("i.blur0", i.blur_sigma_min)
      .add("i.blur1", i.blur_sigma_max).add("i.uneven", i.uneven_pressure).add("i.creases", i.creases_max);
  const LatentParams& l = p.latent;
  c.add("l.ppi", l.ppi).add("l.w", l.width).add("l.h", l.height).add("l.a0", l.area_fraction_min).add("l.a1", l.area_fraction_max)
      .add("l.r0", l.tusk_radius_mm_min).add("l.r1", l.tusk_radius_mm_max)
      .add("l.sp", l.schreger_period_px).add("l.sa0", l.schreger_angle_min_deg)
      .add("l.sa1", l.schreger_angle_max_deg).add("l.sam0", l.schreger_amplitude_min)
      .add("l.sam1", l.schreger_amplitude_max).add("l.po0", l.powder_opacity_min)
      .add("l.po1", l.powder_opacity_max)
      .add("l.rk0", l.residue_keep_min).add("l.rk1", l.residue_keep_max).add("l.rs", l.residue_scale)
      .add("l.patch", l.development_patchiness).add("l.cb0", l.camera_blur_min).add("l.cb1", l.camera_blur_max).add("l.spk", l.powder_speckle_density)
      .add("l.grain", l.powder_grain_scale).add("l.smudge", l.smudge_probability)
      .add("l.pore", l.pore_density).add("l.noise", l.noise_sd);
  const TemplateModelParams& t = p.templates;
  c.add("t.cm", t.plain_count_mean).add("t.csd", t.plain_count_sd)
      .add("t.md", t.min_distance).add("t.ef", t.ending_fraction)
      .add("t.miss", t.missing_probability).add("t.spur", t.spurious_fraction)
      .add("t.flip", t.type_flip_probability).add("t.pn", t.position_noise_sd)
      .add("t.an", t.angle_noise_sd_deg);
  return sha256_hex(c.str());
}

}  // namespace tuskprint::synth
