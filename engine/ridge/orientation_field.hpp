#pragma once
// Stage 3: ridge orientation field on the cell grid. Structure-tensor moments are
// averaged as doubled-angle vectors at a fine and a coarse scale; the fine estimate is
// kept where it is coherent and the coarse one fills in where it is not (creases, scars,
// low contrast). Angles are ridge tangents in IMAGE coordinates (x right, y down) in
// [0, pi); coherence is 0 (isotropic) .. 1 (perfectly parallel ridges).
#include <opencv2/core.hpp>

#include "ridge/gradient_moments.hpp"
#include "ridge/params.hpp"

namespace tuskprint::ridge {

struct OrientationField {
  int cell = 4;
  cv::Mat angle;      // CV_32F ridge direction, radians in [0, pi), image coordinates
  cv::Mat coherence;  // CV_32F 0..1 (fine scale)
  cv::Mat cos2, sin2; // CV_32F doubled-angle unit vector of `angle` (for interpolation)

  // Ridge direction at pixel (x, y), interpolated as a doubled-angle vector.
  double angle_at(double x, double y) const;
  double coherence_at(double x, double y) const;
};

OrientationField orientation_field(const GradientMoments& moments, const OrientationParams& params);

// A display image: ridge-direction line segments over the cell grid, brighter = more coherent.
cv::Mat render_orientation_field(const OrientationField& field, cv::Size image_size);

}  // namespace tuskprint::ridge
