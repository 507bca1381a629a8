#pragma once
// Schreger measurement of one cross-section scan: the top-level pipeline.
//
//   working image -> section mask -> outer edge -> centre -> log-polar unwrap -> CDJ
//   -> line families -> angles -> species call -> link features -> SchregerProfile
//
// Angle convention: see crossing_angle() in line_families.hpp (the lozenge angle
// bisected by the radial direction, opening toward the periphery; mammoth acute,
// elephant obtuse).
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "image/decode.hpp"
#include "schreger/line_families.hpp"
#include "schreger/link_descriptor.hpp"
#include "schreger/params.hpp"
#include "schreger/schreger_angles.hpp"
#include "schreger/species_call.hpp"
#include "tuskprint/v1/features.pb.h"

namespace tuskprint::schreger {

struct SchregerResult {
  SpeciesCall species = SpeciesCall::kNotIvory;
  double confidence = 0;
  std::string reason;
  bool section_found = false;
  bool cdj_found = false;
  bool whole_section = false;
  std::string centre_method;
  AngleSummary angles;
  std::vector<PatchFamilies> patches;
  // Geometry in source-image pixels (for overlays).
  std::vector<cv::Point2f> outline;
  std::vector<cv::Point2f> cdj_line;
  cv::Point2d centre;
  cv::Point2d pattern_centre;  // where the line families' bisectors meet (== centre when unknown)
  double working_scale = 1;  // working px per source px
  double polar_step = 0, polar_r_min = 0;  // to map patches back (working px)
  LinkFeatures link;
  // The face's size in the link descriptor (mm): the outer radius fitted to the sub-pixel
  // outline profile (link.outline_mm, outline_size_mm), or, with too few measured columns,
  // the CDJ's mean radius plus the cementum (size_from_outline false). 0 when not measured.
  double size_mm = 0;
  bool size_from_outline = false;
  tuskprint::v1::SchregerProfile profile;
};

// Throws Error(kInvalidArgument) for an unusable ppi or an image too small to hold a
// section; a blank or non-ivory image gives species kNotIvory with a reason.
SchregerResult measure(const image::DecodedImage& scan, double ppi, const SchregerParams& params = {});

// Polar position (degrees) and radius of a patch in source-image pixels.
cv::Point2d patch_position_px(const SchregerResult& r, const PatchFamilies& f);

}  // namespace tuskprint::schreger
