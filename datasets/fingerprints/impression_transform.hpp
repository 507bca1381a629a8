#pragma once
// Where a finger lands on the sensor: a rigid placement (rotation about the finger's
// centre, translation) followed by Cappelli, Maio & Maltoni's (2001) elastic distortion,
// which keeps the skin fixed inside the inner part of the contact region, moves the rest
// with a small rigid motion, and blends the two with a brake function, plus a smooth
// random displacement that grows away from the contact centre. The transform is recorded
// so the master's minutiae can be carried into impression coordinates.
#include <array>

#include <nlohmann/json_fwd.hpp>
#include <opencv2/core.hpp>

#include "datasets/fingerprints/random.hpp"
#include "datasets/fingerprints/synth_params.hpp"
#include "ridge/template.hpp"

namespace tuskprint::synth {

struct ImpressionTransform {
  // Rigid placement: p' = R(rotation) (p - master_pivot) + impression_pivot.
  double rotation = 0;  // radians, image frame (clockwise on screen)
  cv::Point2d master_pivot;
  cv::Point2d impression_pivot;
  // Contact ellipse in impression pixels.
  cv::Point2d contact_centre;
  double contact_rx = 1, contact_ry = 1, contact_angle = 0;
  // Elastic distortion (zero = undistorted).
  double inner_fraction = 0.45;  // inner ellipse / contact ellipse
  double outer_extra = 90;       // px from the inner ellipse to full motion
  cv::Point2d outer_shift;       // rigid motion of the outer skin
  double outer_rotation = 0;     // radians, about the contact centre
  struct Wave {
    double ax = 0, ay = 0;  // px amplitudes
    double kx = 0, ky = 0;  // radians per px
    double phase = 0;
  };
  std::array<Wave, 3> waves{};  // smooth random displacement

  cv::Point2d rigid(cv::Point2d master) const;
  cv::Point2d rigid_inverse(cv::Point2d placed) const;
  // Displacement added after the rigid placement, at a placed point.
  cv::Point2d distortion(cv::Point2d placed) const;
  cv::Point2d map(cv::Point2d master) const;          // master -> impression
  cv::Point2d unmap(cv::Point2d impression) const;    // impression -> master (fixed point)
  // Contact ellipse's normalised radius: < 1 inside.
  double contact_radius(cv::Point2d impression) const;
};

ImpressionTransform draw_impression_transform(cv::Point2d master_centre, cv::Size impression_size,
                                              Rng& rng, const ImpressionParams& params,
                                              bool distorted);

// Carries master minutiae through `forward` (any master -> output mapping), turning
// directions with the local Jacobian; keeps those landing on `region` (255).
template <typename Forward>
std::vector<ridge::Minutia> map_minutiae(const std::vector<ridge::Minutia>& master_minutiae,
                                         const Forward& forward, const cv::Mat1b& region);

// The transform as JSON for the manifest (all the numbers needed to redo the mapping).
nlohmann::json to_json(const ImpressionTransform& t);

}  // namespace tuskprint::synth

#include "datasets/fingerprints/impression_transform_inl.hpp"
