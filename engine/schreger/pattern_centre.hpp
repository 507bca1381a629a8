#pragma once
// The centre the Schreger pattern itself radiates from. The two line families are mirror
// images about the radial direction, so in every patch the bisector of the two families
// points along the true radius. Measured in the log-polar frame of an assumed centre, a
// patch's bisector leans by b from the assumed radial direction when that centre is off;
// each patch gives one linear constraint on the true centre (n . C = -r sin b, n normal to
// the leaning radius) and their robust least-squares intersection is the pattern centre.
// Unlike the pulp, outline centroid or edge curvature, it is the same point on every cut
// face of a tusk, whole or sector, which is what registering two faces' line patterns needs.
#include <vector>

#include <opencv2/core.hpp>

#include "schreger/line_families.hpp"
#include "schreger/params.hpp"
#include "schreger/polar_unwrap.hpp"

namespace tuskprint::schreger {

struct PatternCentre {
  bool found = false;        // enough well-spread crossings to fix both coordinates
  cv::Point2d centre;        // working px (the assumed centre when not found)
  double shift_px = 0;       // distance moved from the assumed centre
  int patches = 0;           // crossings used (inliers)
  double residual_deg = 0;   // RMS bisector residual of the inliers
  // The fit moved the centre farther than centre_max_shift_frac of the radius: `found` is
  // false and `candidate` holds where it went (working px), for a confirming fit around it.
  bool beyond_limit = false;
  cv::Point2d candidate;
};

PatternCentre locate_pattern_centre(const PolarImage& polar, const std::vector<PatchFamilies>& patches,
                                    const SchregerParams& params);

}  // namespace tuskprint::schreger
