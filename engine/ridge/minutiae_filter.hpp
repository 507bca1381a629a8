#pragma once
// Stage 7b: minutia-level filters after the skeleton repairs: minutiae near the edge of
// the foreground (where ridges are cut by the mask, not by nature), in incoherent flow,
// too close to another minutia, or in dense clusters (scars, smudges, powder blots) are
// dropped. Each survivor's quality combines coherence and distance from the edge.
#include <vector>

#include <opencv2/core.hpp>

#include "ridge/orientation_field.hpp"
#include "ridge/params.hpp"
#include "ridge/segmentation_mask.hpp"
#include "ridge/template.hpp"

namespace tuskprint::ridge {

std::vector<Minutia> filtered_minutiae(const std::vector<Minutia>& detected,
                                       const SegmentationMask& mask, const OrientationField& field,
                                       const FilterParams& params);

}  // namespace tuskprint::ridge
