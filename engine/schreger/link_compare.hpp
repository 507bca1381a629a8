#pragma once
// 1:1 comparison of two cut faces: the link score.
//
// Adjacent cut faces of one tusk are near mirror images of each other, and the line
// pattern drifts slowly along the tusk. So the evidence that face b is the face adjacent
// to face a is how well b's fine line pattern, mirrored, registers onto a's (pattern_map.hpp:
// masked NCC over every rotation and a small scale change), and how much better the
// mirrored fit is than the plain one (faces two cuts apart have the same handedness).
// Faces three cuts apart are mirror images too and differ from the adjacent face only by
// more drift; where both faces show an open pulp cavity, its radius (which narrows along
// the tusk) says which is nearer. The descriptor distance (link_descriptor.hpp) builds the
// candidate shortlist and weighs little here.
#include <vector>

#include <opencv2/core.hpp>

#include "schreger/link_descriptor.hpp"
#include "schreger/outline_profile.hpp"
#include "schreger/params.hpp"
#include "schreger/pattern_map.hpp"
#include "tuskprint/v1/features.pb.h"

namespace tuskprint::schreger {

// A face prepared once for many comparisons (the transforms of its pattern map).
struct LinkFace {
  std::vector<float> descriptor;
  cv::Mat pattern_map;                // the map itself (shared, not copied); empty when none
  std::vector<float> outline_mm;      // outer edge radius per map column; empty when none
  PatternSpectra pattern_plain;       // empty when the face has no pattern map
  PatternSpectra pattern_mirrored;    // empty when prepared without it
};

// `with_mirrored`: also transform the mirrored map. A comparison needs the mirrored
// transforms of at least one of its two faces (give them to the probe of a search).
LinkFace prepare_link_face(const LinkFeatures& features, const SchregerParams& params = {},
                           bool with_mirrored = true);

// Adds the mirrored transforms to a face prepared without them (nothing to do when it has
// them or has no pattern map).
void add_mirrored_transforms(LinkFace& face, const SchregerParams& params = {});

struct LinkComparison {
  double score = 0;                 // link_score(): higher, more likely adjacent faces
  double descriptor_distance = 0;   // squared L2 of the descriptors
  double pulp_log_ratio = 0;        // |ln| of the ratio of the pulp cavity radii (0 unless
                                    // both faces show a cavity)
  PatternAlignment mirrored;        // b mirrored onto a (facing cut faces)
  PatternAlignment plain;           // b as photographed
  bool mirrored_fits_better = false;  // handedness > 0
  double handedness = 0;            // evidence that b is a's mirror image: mirrored - plain NCC,
                                    // plus the outline-shape term (params.hpp, link_shape_*)
  SizeStep outline_mirrored;        // the outlines compared in each registration (residual_mm:
  SizeStep outline_plain;           // how well their shapes agree; columns 0 when unknown)
  SizeStep size;                    // how much larger a is than b, over the outer arc both
                                    // show in the better registration (columns 0: unknown;
                                    // not part of the score)
};

// Throws Error(kInvalidArgument) when the faces were made with different map shapes or
// neither has mirrored transforms.
LinkComparison compare_link_faces(const LinkFace& a, const LinkFace& b, const SchregerParams& params = {});

// The link score from its parts: the better of the mirrored and plain pattern correlations,
// plus pattern_handedness_weight * max(0, mirrored - plain), minus descriptor_distance /
// pattern_distance_scale, minus pulp_depth_weight * min(pulp_log_ratio, pulp_depth_cap).
// About 1-1.8 for adjacent faces of one tusk, near 0 for faces of different tusks. The
// score is symmetric in a and b.
double link_score(const PatternAlignment& mirrored, const PatternAlignment& plain, double descriptor_distance,
                  double pulp_log_ratio, const SchregerParams& params = {});

// Convenience for one pair (prepares both faces).
double link_score(const LinkFeatures& a, const LinkFeatures& b, const SchregerParams& params = {});

// Rebuilds the link features stored in a SchregerProfile. Throws Error(kFailedPrecondition)
// when the profile was measured by another extractor version or parameter set (it must be
// re-measured), Error(kInvalidArgument) when its maps are malformed or missing.
LinkFeatures link_features_from_profile(const v1::SchregerProfile& profile, const SchregerParams& params = {});

}  // namespace tuskprint::schreger
