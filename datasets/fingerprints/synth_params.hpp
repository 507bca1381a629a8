#pragma once
// Every tuning constant of the synthetic fingerprint generator, in one place, each with
// the reason for its value. parameters_hash() hashes the whole set: it is written into
// every manifest and template file, so a data set says exactly which model made it.
// Lengths are pixels at 500 ppi unless the name says otherwise.
#include <string>

namespace tuskprint::synth {

inline constexpr const char* kGeneratorVersion = "tuskprint-synth-prints/1";

struct MasterParams {
  // Finger outline: a superellipse with separate upper and lower half-heights (the tip is
  // rounder than the crease side). Half-widths 150-190 px = 15-19 mm wide fingertips.
  double half_width_min = 150, half_width_max = 190;
  double half_height_top_min = 190, half_height_top_max = 235;
  double half_height_bottom_min = 170, half_height_bottom_max = 215;
  double outline_exponent_min = 2.2, outline_exponent_max = 3.2;  // 2 = ellipse, larger = boxier
  int canvas_margin = 20;  // background around the outline

  // Ridge period: a smooth random field. Mean ~9 px at 500 ppi (0.46 mm), kept in 7..12 px.
  double period_mean_min = 8.4, period_mean_max = 9.8;  // per-finger mean
  double period_local_sd = 0.8;    // node-to-node variation of the coarse field
  double period_node_spacing = 80; // coarse grid spacing: variation over ~4 mm
  double period_min = 7.0, period_max = 12.0;

  // Orientation model: random rotation of the whole pattern (fingers are never perfectly
  // upright on the finger itself).
  double pattern_rotation_sd_deg = 8;

  // Gabor ridge growth (SFinGe): kernel bank quantisation, shape and iteration.
  int orientation_bins = 24;           // 7.5 degree steps: steps invisible at 9 px period
  double period_bin_step = 0.5;        // px; bins from period_min to period_max
  double gabor_sigma_per_period = 0.38;// Gaussian envelope: ~1 ridge wide, enough to bend
  double gabor_radius_sigmas = 2.0;    // kernel support; weights beyond are < 2 %
  double growth_gain = 3.0;            // amplification before clipping to [-1, 1]
  int growth_seeds_min = 24, growth_seeds_max = 40;  // seeds grow into colliding fronts:
                                       // their mismatches are the minutiae
  int growth_max_iterations = 40;
  double growth_stable_fraction = 0.006;   // stop when fewer pixels than this change sign
  double ridge_profile_blur_sigma = 1.2;   // softens the clipped square wave into a ridge
                                           // profile so pressure can thin or thicken it

  // Ground-truth minutiae from the master's own skeleton.
  double minutia_border_margin = 14;   // ignore minutiae this close to the outline
  double minutia_cluster_distance = 7; // two minutiae closer than this are a thinning artefact
  int spur_max_length = 10;            // ending-to-bifurcation branch shorter than this = spur
  int direction_trace_length = 9;      // skeleton steps traced to orient a minutia
};

struct ImpressionParams {
  int width = 400, height = 448;       // sensor area: 20 x 22 mm at 500 ppi
  double rotation_sd_deg = 12;         // finger placement
  double translation_sd = 22;
  // Contact region: an ellipse around the pressed centre.
  double contact_rx_min = 115, contact_rx_max = 175;
  double contact_ry_min = 145, contact_ry_max = 215;
  double contact_centre_sd = 18;
  double contact_edge_softness = 6;    // px over which pressure fades at the contact edge
  // Elastic distortion (Cappelli, Maio, Maltoni 2001): inside the inner contact region the
  // skin sticks; outside it moves with a small rigid motion; a brake function blends them.
  double distortion_inner_fraction = 0.45;  // of the contact radii: no displacement inside
  double distortion_outer_extra = 90;       // px beyond the inner region to full motion
  double distortion_shift_sd = 6;           // px of the outer rigid motion
  double distortion_rotation_sd_deg = 2.0;
  double distortion_field_amplitude = 2.0;  // px of smooth random displacement on top
  // Skin and pressure: probabilities of dry / wet skin, and their strength.
  double dry_probability = 0.25, wet_probability = 0.2;
  double dry_bias = 0.4, wet_bias = -0.4;   // shift of the ridge-profile threshold
  double dry_break_density = 0.07;            // share of ridge pixels erased by dry blots
  double pressure_sd = 0.12;                  // per-impression threshold jitter
  double edge_thinning = 0.3;                 // extra threshold at the contact edge
  // Sensor: background, contrast, noise, blur.
  double background_min = 215, background_max = 245;
  double contrast_min = 90, contrast_max = 185;
  double noise_sd_min = 4, noise_sd_max = 15;
  double blur_sigma_min = 0.6, blur_sigma_max = 1.3;  // optics and motion
  double uneven_pressure = 0.25;       // relative ink variation over ~3 mm patches
  double creases_max = 1;              // white lines across the print (skin folds, scars)
};

struct LatentParams {
  int ppi = 1000;                       // latent capture resolution
  int width = 720, height = 800;        // photograph: 18 x 20 mm around the mark
  double area_fraction_min = 0.2, area_fraction_max = 0.5;  // of the finger's area
  double tusk_radius_mm_min = 25, tusk_radius_mm_max = 55;  // cylinder under the mark
  double schreger_period_px = 40;       // ~1 mm at 1000 ppi
  double schreger_angle_min_deg = 100, schreger_angle_max_deg = 140;
  double schreger_amplitude_min = 6, schreger_amplitude_max = 14;  // grey levels: faint
  double powder_opacity_min = 0.3, powder_opacity_max = 0.7;      // low contrast
  double residue_keep_min = 0.55, residue_keep_max = 0.9;  // share of ridge residue left:
                                        // latent ridges are dotted and broken
  double residue_scale = 5;             // px at 1000 ppi: size of residue dots
  double development_patchiness = 0.5;  // powder develops unevenly over ~2 mm patches
  double camera_blur_min = 0.8, camera_blur_max = 1.8;  // px at 1000 ppi (focus on a curve)
  double powder_speckle_density = 0.004;  // stray powder grains per pixel
  double powder_grain_scale = 1.6;        // px at 1000 ppi: grain size of the deposit
  double smudge_probability = 0.6;
  double pore_density = 0.0015;           // ivory pores per pixel
  double noise_sd = 4;
};

struct TemplateModelParams {
  // Minutiae per plain impression ~ N(40, 10): the master carries more, the contact
  // region keeps ~40 of them on average.
  double plain_count_mean = 40, plain_count_sd = 10;
  double min_distance = 9;              // px: minutiae closer than a ridge period are rare
  double ending_fraction = 0.49;        // share of endings measured on rendered plain prints
  double missing_probability = 0.15;    // true minutia not found by an extractor
  double spurious_fraction = 0.12;      // false minutiae added, as share of kept ones
  double type_flip_probability = 0.1;   // ending seen as bifurcation and vice versa
  double position_noise_sd = 2.0;       // px
  double angle_noise_sd_deg = 7;
};

struct SynthParams {
  MasterParams master;
  ImpressionParams impression;
  LatentParams latent;
  TemplateModelParams templates;
};

// sha256 (hex) of the generator version and every constant above.
std::string parameters_hash(const SynthParams& params);

}  // namespace tuskprint::synth
