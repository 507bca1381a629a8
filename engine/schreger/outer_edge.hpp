#pragma once
// The outer edge of the section (the tusk surface) and the circle it lies on. For cut
// pieces the contour also has straight saw cuts; those are left out of the circle.
#include <vector>

#include <opencv2/core.hpp>

#include "schreger/params.hpp"
#include "schreger/section_mask.hpp"

namespace tuskprint::schreger {

struct OuterEdge {
  std::vector<cv::Point2f> contour;  // outline of the filled section, working px
  std::vector<bool> on_arc;          // contour point lies on the outer circle
  cv::Point2d circle_centre;
  double circle_radius = 0;
  double arc_coverage_deg = 0;       // angular extent of the on-arc points around the centre
  bool whole_section = false;
};

// RANSAC circle through contour points, refined by least squares on its inliers.
// Throws Error(kInvalidArgument) when the mask has no usable contour.
OuterEdge find_outer_edge(const SectionMask& mask, const SchregerParams& params);

}  // namespace tuskprint::schreger
