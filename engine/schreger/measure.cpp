#include "schreger/measure.hpp"

#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "core/transparency.hpp"
#include "schreger/cdj.hpp"
#include "schreger/outer_edge.hpp"
#include "schreger/outline_profile.hpp"
#include "schreger/pattern_centre.hpp"
#include "schreger/pattern_map.hpp"
#include "schreger/polar_unwrap.hpp"
#include "schreger/section_centre.hpp"
#include "schreger/section_mask.hpp"
#include "schreger/working_image.hpp"

namespace tuskprint::schreger {
namespace {

v1::Species to_proto(SpeciesCall s) {
  switch (s) {
    case SpeciesCall::kElephant: return v1::SPECIES_ELEPHANT;
    case SpeciesCall::kMammoth: return v1::SPECIES_MAMMOTH;
    case SpeciesCall::kIndeterminate: return v1::SPECIES_INDETERMINATE;
    case SpeciesCall::kNotIvory: return v1::SPECIES_NOT_IVORY;
  }
  return v1::SPECIES_UNSPECIFIED;
}

void fill_profile(SchregerResult& r, double ppi, const SchregerParams& p) {
  v1::SchregerProfile& pr = r.profile;
  pr.set_extractor_version(kExtractorVersion);
  pr.set_parameters_hash(p.hash());
  pr.set_species(to_proto(r.species));
  pr.set_outer_angle_mean_deg(float(r.angles.outer_mean_deg));
  pr.set_outer_angle_sd_deg(float(r.angles.outer_sd_deg));
  pr.set_outer_angle_count(std::uint32_t(r.angles.outer_count));
  pr.set_cdj_found(r.cdj_found);
  pr.set_confidence(float(r.confidence));
  for (const PatchFamilies& f : r.patches) {
    if (!f.crossing) continue;
    auto* a = pr.add_angles();
    a->set_radius_norm(float(f.rho));
    a->set_angle_deg(float(f.angle_deg));
    a->set_theta_deg(float(f.theta_deg));
    a->set_outer(f.outer);
    a->set_spacing_mm(float(f.spacing_mm));
  }
  for (float v : r.link.descriptor) pr.add_link_descriptor(v);
  for (int i = 0; i < r.link.polar_map.rows; ++i)
    for (int j = 0; j < r.link.polar_map.cols; ++j) pr.add_link_polar_map(r.link.polar_map.at<float>(i, j));
  pr.set_link_polar_rows(std::uint32_t(r.link.polar_map.rows));
  pr.set_link_polar_cols(std::uint32_t(r.link.polar_map.cols));
  for (int i = 0; i < r.link.ring_map.rows; ++i)
    for (int j = 0; j < r.link.ring_map.cols; ++j) pr.add_link_ring_map(r.link.ring_map.at<float>(i, j));
  pr.set_link_ring_rows(std::uint32_t(r.link.ring_map.rows));
  pr.set_link_ring_cols(std::uint32_t(r.link.ring_map.cols));
  if (!r.link.pattern_map.empty()) {
    pr.set_link_pattern_map(pack_pattern_map(r.link.pattern_map));
    pr.set_link_pattern_rows(std::uint32_t(r.link.pattern_map.rows));
    pr.set_link_pattern_cols(std::uint32_t(r.link.pattern_map.cols));
    for (float v : r.link.outline_mm) pr.add_link_outline_mm(v);
  }
  pr.set_link_pattern_centre_found(r.link.pattern_centre_found);
  pr.set_pattern_centre_x(float(r.pattern_centre.x));
  pr.set_pattern_centre_y(float(r.pattern_centre.y));
  pr.set_pattern_fraction(float(r.angles.pattern_fraction));
  pr.set_whole_section(r.whole_section);
  pr.set_source_ppi(std::uint32_t(std::lround(ppi)));
  pr.set_notes(r.reason);
}

std::string angles_json(const AngleSummary& s) {
  nlohmann::json j;
  j["outer_mean_deg"] = s.outer_mean_deg;
  j["outer_sd_deg"] = s.outer_sd_deg;
  j["outer_count"] = s.outer_count;
  j["pattern_fraction"] = s.pattern_fraction;
  j["outer_patches"] = s.outer_patches;
  j["outer_textured"] = s.outer_textured;
  for (const auto& q : s.profile) j["profile"].push_back({{"rho", q.rho}, {"angle_deg", q.angle_deg}, {"n", q.count}});
  return j.dump();
}

cv::Mat draw_polar_families(const PolarImage& polar, const std::vector<PatchFamilies>& patches) {
  cv::Mat view;
  cv::normalize(polar.grey, view, 0, 255, cv::NORM_MINMAX, CV_8U);
  cv::cvtColor(view, view, cv::COLOR_GRAY2BGR);
  for (const PatchFamilies& f : patches) {
    if (!f.crossing) continue;
    const double len = f.size_rows / 2;
    for (double a : {f.line1_deg, f.line2_deg}) {
      const double t = a * M_PI / 180;  // from the row (radial) axis
      const cv::Point2d d(std::sin(t) * len, std::cos(t) * len);
      cv::line(view, cv::Point2d(f.col, f.row) - d, cv::Point2d(f.col, f.row) + d,
               f.outer ? cv::Scalar(0, 0, 255) : cv::Scalar(0, 200, 0), 1, cv::LINE_AA);
    }
  }
  return view;
}

}  // namespace

cv::Point2d patch_position_px(const SchregerResult& r, const PatchFamilies& f) {
  const double radius = r.polar_r_min * std::exp(f.row * r.polar_step);
  const double th = f.col * r.polar_step;
  return {(r.centre.x * r.working_scale + radius * std::cos(th)) / r.working_scale,
          (r.centre.y * r.working_scale + radius * std::sin(th)) / r.working_scale};
}

SchregerResult measure(const image::DecodedImage& scan, double ppi, const SchregerParams& p) {
  SchregerResult r;
  const WorkingImage w = resample_to_working(scan, ppi, p);
  r.working_scale = w.scale;

  const SectionMask mask = segment_section(w, p);
  if (transparency::enabled() && !mask.material.empty()) transparency::emit("section-mask", mask.material);
  r.section_found = mask.found;
  if (!mask.found) {
    const CallResult call = call_species({false}, p);
    r.species = call.species, r.confidence = call.confidence, r.reason = call.reason;
    fill_profile(r, ppi, p);
    return r;
  }

  const OuterEdge edge = find_outer_edge(mask, p);
  r.whole_section = edge.whole_section;
  for (const auto& q : edge.contour) r.outline.emplace_back(float(q.x / w.scale), float(q.y / w.scale));
  if (transparency::enabled()) {
    cv::Mat view;
    cv::cvtColor(mask.filled, view, cv::COLOR_GRAY2BGR);
    for (std::size_t i = 0; i < edge.contour.size(); ++i)
      cv::circle(view, edge.contour[i], 1, edge.on_arc[i] ? cv::Scalar(0, 255, 0) : cv::Scalar(0, 0, 255), -1);
    std::ostringstream o;
    o << "{\"circle_radius_px\":" << edge.circle_radius << ",\"arc_coverage_deg\":" << edge.arc_coverage_deg
      << ",\"whole_section\":" << (edge.whole_section ? "true" : "false") << "}";
    transparency::emit("outer-edge", view, o.str());
  }

  const SectionCentre centre = locate_centre(w, mask, edge, p);
  r.centre = centre.centre / w.scale;
  r.centre_method = centre.method;
  if (transparency::enabled())
    transparency::emit_text("section-centre", "{\"method\":\"" + centre.method + "\",\"x\":" +
                                                  std::to_string(r.centre.x) + ",\"y\":" + std::to_string(r.centre.y) + "}");

  const PolarImage polar = unwrap_polar(w, mask, centre, edge, p);
  r.polar_step = polar.step;
  r.polar_r_min = polar.r_min;
  if (transparency::enabled()) transparency::emit("polar-unwrap", polar.grey);

  const CdjEstimate cdj = find_cdj(polar, p);
  r.cdj_found = cdj.found;
  for (int j = 0; j < int(cdj.cdj_radius.size()); j += 2) {
    if (!polar.arc_column[j] || cdj.cdj_radius[j] <= 0) continue;
    const cv::Point2d q = polar.point_at(cdj.cdj_radius[j], j);
    r.cdj_line.emplace_back(float(q.x / w.scale), float(q.y / w.scale));
  }
  if (transparency::enabled()) {
    std::ostringstream o;
    o << "{\"found\":" << (cdj.found ? "true" : "false") << ",\"depth_mm\":" << cdj.depth_mm
      << ",\"energy_ratio\":" << cdj.energy_ratio << ",\"tone_step\":" << cdj.tone_step
      << ",\"sector_agreement\":" << cdj.sector_agreement << ",\"profile_step_mm\":" << cdj.profile_step_mm
      << ",\"tone\":" << nlohmann::json(cdj.profile_tone).dump() << ",\"energy\":" << nlohmann::json(cdj.profile_energy).dump()
      << ",\"chroma\":" << nlohmann::json(cdj.profile_chroma).dump() << "}";
    transparency::emit_text("cdj", o.str());
  }

  r.patches = detect_line_families(polar, cdj, p);
  if (transparency::enabled()) transparency::emit("line-families", draw_polar_families(polar, r.patches));

  r.angles = summarise_angles(r.patches, p);
  if (transparency::enabled()) transparency::emit_text("angles", angles_json(r.angles));

  CallInputs in;
  in.section_found = true;
  in.crossing_pattern = r.angles.outer_textured >= 4 && r.angles.pattern_fraction >= p.min_pattern_fraction;
  in.cdj_found = cdj.found;
  in.outer_count = r.angles.outer_count;
  in.outer_mean_deg = r.angles.outer_mean_deg;
  in.outer_sd_deg = r.angles.outer_sd_deg;
  in.pattern_fraction = r.angles.pattern_fraction;
  const CallResult call = call_species(in, p);
  r.species = call.species, r.confidence = call.confidence, r.reason = call.reason;
  if (transparency::enabled()) transparency::emit_text("species", std::string("{\"species\":\"") + to_string(r.species) + "\"}");

  r.link = link_features(polar, cdj, r.angles, edge.whole_section, p);
  if (!r.link.descriptor.empty())
    r.link.descriptor[kLinkPulpIndex] = float(centre.pulp_radius / w.px_per_mm * p.link_pulp_descriptor_scale);
  PatternCentre pattern_centre = locate_pattern_centre(polar, r.patches, p);
  // Crossings seen around a centre far from the true one are sheared and the fit stops
  // short of it: look again from the first estimate (for the pattern centre only; the
  // angles above stay those measured around the section centre).
  const auto fit_around = [&](cv::Point2d at) {
    SectionCentre again = centre;
    again.centre = at;
    const PolarImage polar2 = unwrap_polar(w, mask, again, edge, p);
    return locate_pattern_centre(polar2, detect_line_families(polar2, find_cdj(polar2, p), p), p);
  };
  if (pattern_centre.found && pattern_centre.shift_px > p.centre_refine_mm * w.px_per_mm) {
    const PatternCentre second = fit_around(pattern_centre.centre);
    if (second.found) pattern_centre.centre = second.centre, pattern_centre.shift_px = cv::norm(second.centre - centre.centre),
                      pattern_centre.patches = second.patches, pattern_centre.residual_deg = second.residual_deg;
  } else if (pattern_centre.beyond_limit) {
    // A large move (a cut piece's outline or a misread cavity several mm off) is believed
    // only when fits around the moved centre converge on it: each found, each moving less
    // than half as far as the one before (sheared crossings fall short, so it may take more
    // than one), the last less than centre_confirm_mm.
    cv::Point2d at = pattern_centre.candidate;
    double moved = pattern_centre.shift_px;
    for (int round = 0; round < p.centre_confirm_rounds; ++round) {
      const PatternCentre next = fit_around(at);
      if (!next.found || next.shift_px >= 0.5 * moved) break;
      at = next.centre, moved = next.shift_px;
      if (moved < p.centre_confirm_mm * w.px_per_mm) {
        pattern_centre = next, pattern_centre.shift_px = cv::norm(next.centre - centre.centre);
        break;
      }
    }
  }
  // An open pulp cavity's centroid is the most precise centre there is; keep it when the
  // crossings agree that the pattern radiates from it.
  if (centre.method == "pulp-cavity" &&
      (!pattern_centre.found || cv::norm(pattern_centre.centre - centre.centre) < p.centre_pulp_agree_mm * w.px_per_mm))
    pattern_centre.centre = centre.centre, pattern_centre.found = true;
  if (transparency::enabled()) {
    std::ostringstream o;
    o << "{\"found\":" << (pattern_centre.found ? "true" : "false") << ",\"x\":" << pattern_centre.centre.x / w.scale
      << ",\"y\":" << pattern_centre.centre.y / w.scale << ",\"shift_px\":" << pattern_centre.shift_px / w.scale
      << ",\"patches\":" << pattern_centre.patches << ",\"residual_deg\":" << pattern_centre.residual_deg << "}";
    transparency::emit_text("pattern-centre", o.str());
  }
  r.pattern_centre = pattern_centre.centre / w.scale;
  r.link.pattern_centre_found = pattern_centre.found;
  r.link.pattern_map = sample_pattern_map(w, mask, polar, cdj, pattern_centre.centre, p);
  r.link.outline_mm = outline_radius_profile(w, mask, edge, pattern_centre.centre, p);
  if (const double size_mm = outline_size_mm(r.link.outline_mm, p.link_size_min_outline_columns, p.link_size_shift_ridge);
      size_mm > 0 && !r.link.descriptor.empty()) {
    r.link.descriptor[kLinkSizeIndex] = float(size_mm / p.link_sigma_radius_mm);
    r.size_from_outline = true;
  }
  if (std::size_t(kLinkSizeIndex) < r.link.descriptor.size())
    r.size_mm = double(r.link.descriptor[kLinkSizeIndex]) * p.link_sigma_radius_mm;
  if (transparency::enabled()) transparency::emit("pattern-map", r.link.pattern_map);
  if (transparency::enabled()) transparency::emit("link-descriptor", r.link.polar_map);
  fill_profile(r, ppi, p);
  return r;
}

}  // namespace tuskprint::schreger
