#pragma once
// Stage 7a: structural false-minutia filters, applied to the skeleton itself so that what
// they remove cannot reappear: spurs (short branches off a ridge), fragments (short
// isolated ridges), lakes (a ridge splitting and rejoining within a short distance),
// bridges (short links across the ridge flow) are erased; breaks (two endings facing each
// other across a short gap) are joined.
#include <opencv2/core.hpp>

#include "ridge/orientation_field.hpp"
#include "ridge/params.hpp"

namespace tuskprint::ridge {

cv::Mat repaired_skeleton(const cv::Mat& skel, const OrientationField& field,
                          const FilterParams& params);

}  // namespace tuskprint::ridge
