#pragma once
// The centre the Schreger pattern radiates from: the pulp cavity or nerve dot of a
// whole section, else the outline centre; for a cut piece, the centre of curvature of
// its outer edge.
#include <string>

#include <opencv2/core.hpp>

#include "schreger/outer_edge.hpp"
#include "schreger/params.hpp"
#include "schreger/section_mask.hpp"
#include "schreger/working_image.hpp"

namespace tuskprint::schreger {

struct SectionCentre {
  cv::Point2d centre;
  std::string method;  // "pulp-cavity", "nerve-dot", "outline-centroid", "edge-curvature"
  double outer_radius = 0;  // mean distance of the outer edge from the centre, working px
  double pulp_radius = 0;   // open pulp cavity: radius of the circle of its area, working px
                            // (0: none seen). The cavity narrows along the tusk.
};

SectionCentre locate_centre(const WorkingImage& w, const SectionMask& mask, const OuterEdge& edge,
                            const SchregerParams& params);

}  // namespace tuskprint::schreger
