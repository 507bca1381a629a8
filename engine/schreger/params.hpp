#pragma once
// Tuning constants of the Schreger pipeline, in one place. Each is hashed into the
// parameters hash recorded in every SchregerProfile (a profile measured with other
// constants is refused by consumers that compare hashes).
#include <string>

namespace tuskprint::schreger {

inline constexpr const char* kExtractorVersion = "tuskprint-schreger/1.10";

struct SchregerParams {
  // -- working image -------------------------------------------------------------------
  double working_ppi = 180.0;       // outer Schreger lines (~1.1 mm) span ~8 px: enough for spectra
  int max_working_side = 2400;      // cap on the working image side (huge low-ppi pieces)
  double min_section_mm = 12.0;     // images smaller than this across cannot hold a section
  // -- section / background ------------------------------------------------------------
  double border_fraction = 0.04;    // image border strip used to model the plain background
  double min_section_area = 0.03;   // section must cover >= 3 % of the image
  double mask_smoothing_mm = 0.35;  // Gaussian smoothing of the colour difference before Otsu
  // -- outer edge ------------------------------------------------------------------------
  double edge_inlier_tol = 0.035;   // contour point on the outer circle within 3.5 % of R
  int ransac_iterations = 300;      // circle hypotheses for the outer edge
  double whole_section_arc_deg = 300.0;  // arc coverage above which the section is whole
  // -- centre -----------------------------------------------------------------------------
  double pulp_search_frac = 0.25;   // look for the pulp within 25 % of R of the outline centre
  double nerve_dot_mm = 1.0;        // scale of the nerve dot detector
  double nerve_dot_min_contrast = 0.12;  // dot darker than its ring by >= 12 %
  // -- polar unwrap ------------------------------------------------------------------------
  double polar_inner_frac = 0.08;   // unwrap from 8 % of R ...
  double polar_outer_frac = 1.12;   // ... to 112 % of R (log-polar, conformal)
  // -- CDJ ----------------------------------------------------------------------------------
  double cdj_min_mm = 0.5;          // thinnest cementum we look for
  double cdj_max_mm = 4.0;          // thickest
  double cdj_min_energy_ratio = 1.8;  // Schreger texture inside vs smooth cementum outside
  double cdj_min_tone_step = 0.05;  // or a tone step of >= 5 % across the junction
  double cdj_min_chroma_step = 0.012;  // or a hue step ((R-B)/(R+G+B)) of >= 0.012
  double cdj_min_agreement = 0.5;   // fraction of angular sectors agreeing on the depth (+-0.4 mm)
  double cdj_min_agreement_strong = 0.3;  // ... when the junction is twice as clear as the minimum
  double cdj_min_voters_frac = 0.4;  // sectors with an evident step of their own, needed
                                    // before the others may abstain from the agreement
  double cdj_hue_only_min_mm = 0.6;  // a step in hue alone (line energy and tone below their
                                    // minima) shallower than this is the outer edge's blur with
                                    // the background (a section without cementum), no junction
  int cdj_sectors = 24;             // angular sectors for the agreement test
  int cdj_min_agreeing_sectors = 2;  // at least this many sectors at the junction's depth (the
                                    // fractions above are of the sectors that see any junction)
  // -- line families ------------------------------------------------------------------------
  int patch_px = 48;                // outer patch side (working px, ~6.8 mm at 180 ppi)
  double patch_min_valid = 0.9;     // fraction of a patch that must be dentine
  double min_period_mm = 0.6;       // Schreger line spacing band searched in local spectra
  double max_period_mm = 4.0;
  double symmetry_tol_deg = 12.0;   // the two families must be mirror images about the radius
  double min_peak_snr = 6.0;        // peak power over the median power of the band
  double min_peak_ratio = 0.15;     // weaker family at least 15 % of the stronger
  double lobe_halfwidth_deg = 10.0; // angular half-width of a family's spectral lobe
  double outer_margin_mm = 0.25;    // outer patches stop this far inside the CDJ
  int outer_short_arc_places = 20;  // an outer ring of fewer places than this at half-patch steps
                                    // (a cut piece's short arc) is sampled at quarter-patch steps
                                    // instead, so that it can give min_outer_angles angles
  // -- angles / call ----------------------------------------------------------------------------
  int min_outer_angles = 10;        // classify on the mean of at least 10 outer angles
  double outlier_mad = 3.0;         // drop outer angles beyond 3 robust SDs of the median
  double min_pattern_fraction = 0.5;  // outer patches showing two crossing families ...
  double pattern_consistency_deg = 12.0;  // ... at an angle within 12 deg of the median
  double pattern_min_texture = 0.1; // ... over the outer patches with at least this fraction of
                                    // the crossings' median band energy (others show no lines)
  double mammoth_below_deg = 90.0;  // published thresholds (Espinoza & Mann)
  double elephant_above_deg = 115.0;
  double systematic_sd_deg = 3.0;   // estimator's own error, added to the SE in confidences
  // -- link descriptor ----------------------------------------------------------------------------
  int link_rows = 16;               // polar map for alignment: radius bins (rho 0.3..0.98)
  int link_cols = 72;               // angle bins (5 deg)
  int link_band_bins = 64;          // radial tone profile (growth bands) bins
  // Expected spread of each descriptor feature between adjacent faces of one tusk.
  double link_sigma_outer_deg = 1.5;
  double link_sigma_profile_deg = 6.0;
  double link_sigma_spacing_mm = 0.05;
  double link_sigma_radius_mm = 0.5;  // of the face's size (kLinkSizeIndex)
  double link_sigma_cementum_mm = 0.25;
  double link_weight_bands = 3.0;   // norm of the growth-band shape block
  double link_pulp_descriptor_scale = 0.05;  // pulp cavity radius (mm) in the descriptor: a
                                    // 10 mm cavity against none adds 0.25 to the distance
  double link_distance_scale = 100.0;  // link score = alignment + ring_weight * ring alignment
  double link_ring_weight = 1.0;       //              - descriptor distance / distance_scale
  double link_handedness_weight = 1.0; // weight of (mirrored - plain) coarse alignment
  int link_ring_rows = 7;           // ring map: rings at rho 0.55 .. 0.85
  int link_ring_cols = 1024;        // samples around (fine enough for ~1 mm lines)
  double link_min_overlap = 0.2;    // coarse polar / ring alignment needs >= 20 % of the cells in common
  // -- pattern centre (where the crossings' bisectors point) ----------------------------------
  double centre_max_lean_deg = 20.0;   // ignore patches whose bisector leans more (misfits)
  int centre_min_patches = 12;         // crossings needed to fix the centre
  double centre_inlier_deg = 5.0;      // Tukey cut-off of a patch's lean residual
  double centre_min_spread = 0.04;     // smaller/larger eigenvalue floor: the crossings must
                                       // surround the centre enough to fix both coordinates
  double centre_max_shift_frac = 0.12; // a larger move than 12 % of R is not believed ...
  double centre_confirm_shift_frac = 0.3;  // ... unless it is up to 30 % of R and fits around
  double centre_confirm_mm = 0.5;      // the moved centre converge on it (each moving less than
  int centre_confirm_rounds = 3;       // half the one before, the last less than 0.5 mm, in at
                                       // most 3 fits)
  double centre_pulp_agree_mm = 0.5;   // a pulp cavity this close to it is the centre
  double centre_refine_mm = 0.3;       // a first fit this far from the assumed centre is fitted
                                       // again around itself (sheared crossings fall short)
  // -- pattern map (fine line pattern for registering two faces) -----------------------------
  int pattern_rows = 88;            // log-radius rows over rho_lo..rho_hi of the CDJ radius (~1.3 % each)
  int pattern_cols = 1024;          // angle columns: >= 2.5 samples per ~1.1 mm line period up
                                    // to a 45 mm CDJ radius (512 aliased the lines of big tusks)
  double pattern_rho_lo = 0.3;      // inner lines are faint, but they drift along the tusk too
  double pattern_rho_hi = 0.93;     // stay inside the CDJ of slightly oval sections
  double pattern_cdj_margin = 0.96; // and inside the local CDJ
  double pattern_fine_mm = 0.15;    // band-pass: noise smoothing ...
  double pattern_coarse_mm = 1.2;   // ... minus the tone beyond line scale
  double pattern_clamp_sd = 2.0;    // map values (z-scores per row) clipped to +-2 SD: stains,
                                    // cracks and saw marks stop outweighing the lines (0: no
                                    // clip; 1.5 and 3 linked worse than 2, engine/schreger/README.md)
  int pattern_max_row_shift = 6;    // radial scale search, rows (+-6 rows = +-8 %)
  double pattern_min_overlap = 0.1;  // a registration needs >= 10 % of the smaller map's cells
                                    // (two cut pieces of adjacent faces may share little more)
  double pattern_handedness_weight = 2.5;  // link score = max(mirrored, plain NCC)
                                           //   + w * max(0, mirrored - plain)
  double pattern_distance_scale = 1000.0;  // ... - descriptor distance / scale: the descriptor
                                    // tells tusks apart, hardly faces of one tusk (cut pieces
                                    // are farther in it than their whole neighbours)
  double pulp_depth_weight = 1.0;   // ... - w * min(|ln(pulp radius a / b)|, cap): the cavity
  double pulp_depth_cap = 0.1;      // narrows ~1 %/mm along the tusk; a misread cavity costs <= w * cap
  // -- outline profile (outline_profile.hpp: the face's size, for the cut order) ---------------
  double outline_inside_mm = 1.5;   // the edge is looked for from this far inside the mask's outer arc ...
  double outline_outside_mm = 3.5;  // ... to this far beyond it (more than a cementum ring the mask left out)
  double outline_min_contrast = 8.0;  // material at least this far (grey levels) from the background
  int link_size_min_outline_columns = 64;  // the descriptor's size is fitted to the outline profile
                                    // when >= this many columns have a radius (22.5 deg) ...
  double link_size_shift_ridge = 0.5;  // ... with this ridge on the centre shift (outline_size_mm)
  // -- gallery-level ranking (link_ranking.hpp): not part of what a profile stores -------------
  double link_cluster_min_ncc = 0.55;  // a candidate joins the probe's cut order when it registers
                                    // (max of mirrored and plain NCC) at least this well: faces of
                                    // different tusks reach it in ~1 of 1,000 shortlisted pairs
                                    // (0.53 is their 99.9th percentile over 53,000 pairs at 150 and
                                    // 250 ppi), most faces of one tusk exceed it (10th pct. ~0.55)
  double link_cluster_weak_ncc = 0.4;  // a shortlist face registering with the probe between this
                                    // and link_cluster_min_ncc (a poor cut piece, or a face farther
                                    // along with more drift) joins the order when it registers at
                                    // link_cluster_min_ncc or better with a face already in it:
                                    // different tusks rarely reach 0.4 with the probe, so this
                                    // costs few comparisons
  double link_cluster_coherent_ncc = 0.3;  // ... and one registering between this and
                                    // link_cluster_min_ncc joins when its local phase coherence with
                                    // the probe is >= link_cluster_min_coherence (a noisy neighbour
                                    // whose pattern drifted little); below 0.3 the registration
                                    // itself is doubtful (other tusks' median ~0.29 in the shortlist)
  double link_cluster_min_coherence = 0.8;  // other tusks' shortlist faces registering at
                                    // 0.3-0.55 reach it in 2 of ~1,350 development pairs (max
                                    // 0.83), a tusk's own faces registering there in ~60 %; faces
                                    // 1-4 cuts apart registering above 0.55 exceed it in all but 2
                                    // of ~1,270
  int link_cluster_max_faces = 8;   // cut order over at most 8 faces with the probe (a tusk's
                                    // pieces in one search; exact order search, 7 x 6 / 2 extra
                                    // comparisons at most)
  // The cut order's weight of a pair: how close the two faces are along the tusk,
  // -ln(1 - local phase coherence of the registered maps) (pattern_coherence.hpp)
  // - link_order_ncc_weight * their registration NCC, + link_order_handedness_bonus if mirrored
  // fits better. The coherence ranks the adjacent face above the face three cuts away where the
  // NCC (and so the link score) does not: on development faces (seeds 12001/12002, 120 probes)
  // it does so in 92 % of (adjacent, three-away) pairs against 80 % for the link score.
  double coherence_sigma_rows = 8.0;   // local window: ~10 % of the radius (log-radius rows) ...
  double coherence_sigma_cols = 48.0;  // ... by ~17 deg (a few lines of each family); 6 x 32 to
                                    // 12 x 96 cells measured within a point of this
  int coherence_erode_cells = 2;    // away from the edges of what both maps observe (ringing)
  int coherence_min_lines = 10;     // family fields keep >= 10 periods around (drop the tone)
  double link_order_ncc_weight = 1.5;  // scan noise lowers both the coherence and the NCC, the
                                    // drift between faces mostly the coherence: at equal
                                    // coherence a higher NCC means the faces are farther apart.
                                    // (adjacent, three-away) pairs put right: 90.6 -> 93.2-93.8 %
                                    // (weight fitted on one development set, tested on the other;
                                    // 1-2 measured within 0.5 points of each other)
  // Size: a tusk tapers, so the faces' outer radii (outline_profile.hpp) order them along it.
  // Steps are measured between faces of the order that register at link_size_min_ncc or
  // better over link_size_min_columns columns of outer arc seen by both; the faces' positions
  // are fitted to all such steps (Huber beyond link_size_huber_mm), and each pair's weight
  // loses link_order_size_weight * min(|x_i - x_j| / link_order_size_scale_mm,
  // link_order_size_cap) (pairs without positions: the mean of those with).
  double link_size_min_ncc = 0.5;
  int link_size_min_columns = 150;  // ~53 deg of arc
  double link_size_huber_mm = 0.1;
  // Each step's weight in that fit: sqrt(columns) / (residual + link_size_residual_floor_mm),
  // the outer arc both faces show and how well their outlines' shapes agree in the
  // registration taken (outline_agreement; a step without a residual is taken at
  // link_size_unknown_residual_mm). A step between two short arcs of cut pieces, or between
  // outlines that do not fit each other (a misfit registration, a chipped rim), counts less
  // than one between two whole sections. false: every step counts the same (as before).
  bool link_size_weight_steps = true;
  double link_size_residual_floor_mm = 0.01;    // the edge's measurement noise
  double link_size_unknown_residual_mm = 0.05;  // a poor fit's residual
  double link_order_size_weight = 1.0;
  double link_order_size_scale_mm = 0.15;
  // With the steps weighted, no cap: the penalty summed along an order is then its total
  // variation in size, the same for every order that runs one way along the tusk, so a
  // fast-tapering tusk's faces (0.3 mm or more per cut) are ordered by size beyond 3 cuts'
  // worth. The cap of 3 (0.45 mm) had kept misfit cut pieces from scrambling orders, which
  // the weights now do, mostly. From cached profiles, adjacent at rank 1 with steps weighted
  // and uncapped against unweighted and capped at 3: on sets held out for it, W 615 -> 613 /
  // 660 (+7 -9), H20 655 -> 662 / 705 (+8 -1) (session 22); with session 21's scratch build
  // of the same rule, L150 671 -> 672 / 705 (+6 -5), R 642 -> 645 / 665 (+4 -1), H18 641 ->
  // 647 / 680 (+11 -5); uncapped alone: R +3 -1, H18 +4 -5; weighted alone (cap 3): H18 643.
  double link_order_size_cap = 100.0;  // 15 mm: none in practice
  int link_order_parity_faces = 2;  // a same-handedness neighbour in the order is still taken as
                                    // adjacent when >= this many faces beyond it all have the
                                    // handedness of a complete chain and the sizes do not place
                                    // it more than link_order_parity_max_size_mm from the probe
                                    // (0: never)
  double link_order_parity_max_size_mm = 0.45;  // ~3 cuts' taper of a slender tusk
  bool link_order_neighbours_fallback = true;  // when no neighbour of the probe in the order is
                                    // taken as adjacent, its order neighbours (faces clearly of
                                    // its tusk, placed next to it) still come before the rest by
                                    // link score, where a face of another tusk can be first.
                                    // From cached profiles, adjacent at rank 1: P 857 -> 859
                                    // (+5 -3), N 863 -> 864 (+3 -2), Q 900 -> 905 (+5 -0),
                                    // held-out R 627 -> 629 (+2 -0)
  double link_order_handedness_bonus = 1.0;  // facing cut faces are mirror images: a mirrored
                                    // pair outweighs a same-handedness pair (two cuts apart),
                                    // whose -ln(1 - coherence) is ~0.3 lower than the adjacent
                                    // pair's (0.5-1.5 measured the same)
  // Gap filling. With no neighbour of the probe in the order taken as adjacent, those
  // neighbours are of the probe's handedness: most often the face two cuts away, the adjacent
  // face between them missing from the order (a poor cut piece that registers too weakly with
  // the probe to join it). A shortlist face outside the order that registers with such a
  // neighbour as its mirror image is that face: mirrored NCC >= link_gap_min_ncc, above the
  // plain NCC by >= link_gap_min_margin, over >= link_gap_min_overlap cells of the pattern map.
  // The best such face comes first, before the order neighbours. Looked for among the faces
  // that register with the probe at >= link_cluster_coherent_ncc (kept from the 1:1 stage).
  // In the fallback cases of development sets P, N, Q and R (48 probes, 13 ranked right
  // before), 0.5 / 0.1 / 10,000 put 9 more right and 1 wrong (net +8); 0.45-0.5, 0-0.1 and
  // 0-10,000 all measured net +8 or +9.
  double link_gap_min_ncc = 0.5;       // 0: off
  double link_gap_min_margin = 0.1;    // a clear handedness: other tusks' faces registering
                                       // near 0.5 with the neighbour rarely beat plain by 0.1
  int link_gap_min_overlap = 10000;    // ~11 % of the 88 x 1024 map: smaller overlaps (a cut
                                       // piece's corner) reach high NCCs by chance
  // Handedness from the outline's shape. Whether b is a's mirror image (adjacent faces) or
  // not (two cuts apart) is read from the pattern (mirrored minus plain NCC) plus
  // link_shape_handedness_weight x ln((plain residual + floor) / (mirrored residual + floor)),
  // the ln clamped to +-link_shape_log_cap: the outlines' shape residuals in the two
  // registrations (outline_agreement), when both have >= link_shape_min_columns columns. A
  // section is an oval with a few lobes, the same from cut to cut, so the outline fits in the
  // right registration to its measurement noise and not in the wrong one; near-circular
  // outlines give a ratio near 1 and leave the reading to the pattern. On development set R
  // (1,330 pairs of faces of one tusk), the pattern alone misread 103, the outline alone 72 of
  // the 1,269 pairs with outlines in both registrations (24 pairs misread by both); weights
  // 0.1-0.5 with caps >= 1 misread 59-68 of the 1,330 (0.2: 60).
  double link_shape_handedness_weight = 0.2;  // 0: the pattern alone
  double link_shape_log_cap = 2.0;
  double link_shape_floor_mm = 0.01;    // the edge's measurement noise: below it, no evidence
  int link_shape_min_columns = 64;      // ~22 deg of outer arc seen by both faces

  // Stable text of every constant above the ranking block, for hashing: what a profile and
  // the 1:1 link score depend on (recorded in every SchregerProfile, and by the LR model).
  std::string canonical() const;
  // sha256 of canonical() (hex).
  std::string hash() const;
  // The same for the ranking constants (with hash()): what a search's order depends on.
  std::string ranking_canonical() const;
  std::string ranking_hash() const;
};

}  // namespace tuskprint::schreger
