#pragma once
// Separates the cut face from the plain background.
#include <opencv2/core.hpp>

#include "schreger/params.hpp"
#include "schreger/working_image.hpp"

namespace tuskprint::schreger {

struct SectionMask {
  bool found = false;
  cv::Mat filled;     // CV_8U 0/255: the section with holes (pulp cavity) filled
  cv::Mat material;   // CV_8U 0/255: what is actually ivory (filled minus holes)
  cv::Mat distance;   // CV_32F: colour distance to the background model (grey levels, unsmoothed)
  double area_fraction = 0;
};

// Background model: a quadratic surface per colour channel fitted to the image border strip
// (so a lighting gradient over the background is followed), leaving out clipped pixels and,
// by a least-median start and trimmed refits, the section where it reaches into the strip.
// The section is the largest connected region whose smoothed colour distance to that model,
// in grey levels or relative to the model's level, exceeds that distance's Otsu threshold.
SectionMask segment_section(const WorkingImage& w, const SchregerParams& params);

}  // namespace tuskprint::schreger
