#include "schreger/params.hpp"

#include <sstream>

#include "core/sha256.hpp"

namespace tuskprint::schreger {

std::string SchregerParams::canonical() const {
  std::ostringstream o;
  o.precision(10);
  o << kExtractorVersion << ';' << working_ppi << ';' << max_working_side << ';' << min_section_mm << ';'
    << border_fraction << ';' << min_section_area << ';' << mask_smoothing_mm << ';' << edge_inlier_tol << ';'
    << ransac_iterations << ';' << whole_section_arc_deg << ';' << pulp_search_frac << ';' << nerve_dot_mm << ';'
    << nerve_dot_min_contrast << ';' << polar_inner_frac << ';' << polar_outer_frac << ';' << cdj_min_mm << ';'
    << cdj_max_mm << ';' << cdj_min_energy_ratio << ';' << cdj_min_tone_step << ';' << cdj_min_chroma_step << ';' << cdj_min_agreement << ';' << cdj_min_agreement_strong << ';' << cdj_min_voters_frac << ';' << cdj_hue_only_min_mm << ';'
    << cdj_sectors << ';' << patch_px << ';' << patch_min_valid << ';' << min_period_mm << ';' << max_period_mm
    << ';' << symmetry_tol_deg << ';' << min_peak_snr << ';' << min_peak_ratio << ';' << lobe_halfwidth_deg << ';' << outer_margin_mm << ';'
    << min_outer_angles << ';' << outlier_mad << ';' << min_pattern_fraction << ';' << pattern_consistency_deg << ';' << mammoth_below_deg << ';'
    << elephant_above_deg << ';' << systematic_sd_deg << ';' << link_rows << ';' << link_cols << ';' << link_band_bins << ';' << link_sigma_outer_deg << ';'
    << link_sigma_profile_deg << ';' << link_sigma_spacing_mm << ';' << link_sigma_radius_mm << ';'
    << link_sigma_cementum_mm << ';' << link_weight_bands << ';' << link_pulp_descriptor_scale << ';'
    << link_distance_scale << ';' << link_ring_weight << ';' << link_handedness_weight << ';' << link_ring_rows << ';' << link_ring_cols << ';' << link_min_overlap
    << ';' << centre_max_lean_deg << ';' << centre_min_patches << ';' << centre_inlier_deg << ';' << centre_min_spread
    << ';' << centre_max_shift_frac << ';' << centre_confirm_shift_frac << ';' << centre_confirm_mm << ';' << centre_confirm_rounds << ';' << centre_pulp_agree_mm << ';' << centre_refine_mm << ';' << pattern_rows << ';' << pattern_cols << ';' << pattern_rho_lo << ';'
    << pattern_rho_hi << ';' << pattern_cdj_margin << ';' << pattern_fine_mm << ';' << pattern_coarse_mm << ';' << pattern_clamp_sd << ';'
    << pattern_max_row_shift << ';' << pattern_min_overlap << ';' << pattern_handedness_weight << ';' << pattern_distance_scale << ';' << pulp_depth_weight
    << ';' << pulp_depth_cap << ";outline;" << outline_inside_mm << ';' << outline_outside_mm << ';' << outline_min_contrast << ';' << link_size_min_outline_columns << ';' << link_size_shift_ridge << ";cdj-sectors;" << cdj_min_agreeing_sectors
    << ";outer-short-arc;" << outer_short_arc_places << ";texture;" << pattern_min_texture;
  return o.str();
}

std::string SchregerParams::hash() const { return sha256_hex(canonical()); }

std::string SchregerParams::ranking_canonical() const {
  std::ostringstream o;
  o.precision(10);
  o << hash() << ";ranking;" << link_cluster_min_ncc << ';' << link_cluster_max_faces << ";weak;" << link_cluster_weak_ncc
    << ";coherent;" << link_cluster_coherent_ncc << ';' << link_cluster_min_coherence
    << ";coherence;" << coherence_sigma_rows << ';' << coherence_sigma_cols << ';' << coherence_erode_cells << ';'
    << coherence_min_lines << ";order;" << link_order_ncc_weight << ';' << link_order_handedness_bonus << ";size;"
    << link_size_min_ncc << ';' << link_size_min_columns << ';' << link_size_huber_mm << ';' << link_order_size_weight << ';'
    << link_order_size_scale_mm << ';' << link_order_size_cap << ";parity;" << link_order_parity_faces << ';'
    << link_order_parity_max_size_mm << ";steps;" << (link_size_weight_steps ? 1 : 0) << ';' << link_size_residual_floor_mm
    << ';' << link_size_unknown_residual_mm
    << ";fallback;" << (link_order_neighbours_fallback ? 1 : 0) << ";gap;" << link_gap_min_ncc << ';'
    << link_gap_min_margin << ';' << link_gap_min_overlap << ";shape;" << link_shape_handedness_weight << ';'
    << link_shape_log_cap << ';' << link_shape_floor_mm << ';' << link_shape_min_columns;
  return o.str();
}

std::string SchregerParams::ranking_hash() const { return sha256_hex(ranking_canonical()); }

}  // namespace tuskprint::schreger
