#pragma once
// Renders one cut face of a synthetic tusk (or a look-alike material) as a colour
// photograph with the truth needed to score an estimator.
#include <opencv2/core.hpp>

#include "datasets/tusks/tusk_model.hpp"

namespace tuskprint::datasets::tusks {

struct RenderedSlice {
  cv::Mat bgr;                   // CV_8UC3, what the "camera" saw (after JPEG if enabled)
  cv::Point2d pattern_centre_px; // pulp centre (the Schreger pattern's centre), image pixels
  cv::Point2d outline_centre_px;
  double cdj_radius_px = 0;      // mean radius of the cementum-dentine junction
  double outer_radius_px = 0;    // mean radius of the outer edge (cementum surface)
};

// Whole section or sector, ivory or look-alike, as the slice model says.
RenderedSlice render_slice(const TuskModel& tusk, const SliceModel& slice);

}  // namespace tuskprint::datasets::tusks
