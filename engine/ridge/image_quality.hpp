#pragma once
// Stage 8: image quality 0..100 and whether the print is worth searching. The score
// weighs orientation coherence (ridge clarity), foreground area and minutiae count; a
// print is refused for search when any of them falls under its floor, with the reason.
#include <string>
#include <vector>

#include "ridge/orientation_field.hpp"
#include "ridge/params.hpp"
#include "ridge/segmentation_mask.hpp"
#include "ridge/template.hpp"

namespace tuskprint::ridge {

struct ImageQuality {
  float score = 0;               // 0..100
  bool too_poor_to_search = false;
  std::string reason;            // empty when searchable
  double foreground_px = 0;
  double mean_coherence = 0;     // over the foreground cells
};

ImageQuality image_quality(const SegmentationMask& mask, const OrientationField& field,
                           const std::vector<Minutia>& minutiae, const QualityParams& params);

}  // namespace tuskprint::ridge
