#pragma once
// The master fingerprint's foreground: a finger-shaped outline (superellipse with a
// rounder tip than base) of random size, on a canvas with a small margin.
#include <opencv2/core.hpp>

#include "datasets/fingerprints/random.hpp"
#include "datasets/fingerprints/synth_params.hpp"

namespace tuskprint::synth {

struct FingerShape {
  cv::Size canvas;
  cv::Point2d centre;  // the outline's centre, canvas pixels
  double half_width = 0;
  double half_height_top = 0;     // centre to fingertip
  double half_height_bottom = 0;  // centre to crease
  double exponent = 2;            // superellipse exponent

  // Superellipse norm: < 1 inside the outline, 1 on it.
  double normalised_radius(cv::Point2d p) const;
  double area() const;  // px^2, of the outline
};

FingerShape draw_finger_shape(Rng& rng, const MasterParams& params);

// 255 inside the outline, 0 outside, canvas-sized.
cv::Mat1b finger_foreground(const FingerShape& shape);

}  // namespace tuskprint::synth
