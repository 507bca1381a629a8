#pragma once
// The class model of the ridge orientation: Sherlock & Monro's zero-pole model
// (orientation = theta_inf + 1/2 sum over cores arg(z - c) - 1/2 sum over deltas arg(z - d))
// for loops, tented arches and whorls, with the singularities placed at random inside
// per-class constraints; plain arches (no singularity) use an analytic bump whose level
// lines are the ridges. Angles are ridge tangents in the image frame (x right, y down),
// in [0, pi).
#include <vector>

#include <opencv2/core.hpp>

#include "datasets/fingerprints/finger_class.hpp"
#include "datasets/fingerprints/finger_shape.hpp"
#include "datasets/fingerprints/random.hpp"
#include "datasets/fingerprints/synth_params.hpp"

namespace tuskprint::synth {

struct ClassModel {
  FingerClass finger_class = FingerClass::kArch;
  std::vector<cv::Point2d> cores;   // Poincare index +1/2 each, canvas pixels
  std::vector<cv::Point2d> deltas;  // Poincare index -1/2 each
  double theta_inf = 0;             // far-field orientation (the pattern's rotation)
  // Plain arch only: bump of the ridges around `arch_centre`, rotated by theta_inf.
  cv::Point2d arch_centre;
  double arch_height = 0;  // px the middle ridges rise
  double arch_width = 0;   // px half-width of the rise
  double arch_fade = 0;    // px below the centre where the rise fades out

  // Ridge tangent angle in [0, pi) at canvas point (x, y).
  double orientation_at(double x, double y) const;
};

ClassModel draw_class_model(FingerClass finger_class, const FingerShape& shape, Rng& rng,
                            const MasterParams& params);

// Per-pixel ridge orientation (radians, [0, pi)) on a canvas of `size`.
cv::Mat1f orientation_field(const ClassModel& model, cv::Size size);

}  // namespace tuskprint::synth
