#pragma once
// A latent lift on ivory: part of a finger (20-50 % of its area), developed with black
// magnetic powder on a creamy, porous tusk surface and photographed at 1000 ppi. The
// mark lies on a cylinder (the tusk), so it is shaded across the axis and foreshortened
// towards the sides; Schreger-like crossing lines (~1 mm period) show through the
// background; the powder is grainy, speckled and sometimes smudged; contrast is low.
// Geometry: the 500 ppi impression transform (placement + elastic distortion), scaled by
// 2 to 1000 ppi (a 500 ppi pixel centre x maps to 2x + 0.5), then the cylinder projection.
// Ground-truth minutiae are in 1000 ppi pixels of the photograph.
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "datasets/fingerprints/impression_transform.hpp"
#include "datasets/fingerprints/master.hpp"
#include "datasets/fingerprints/synth_params.hpp"
#include "ridge/template.hpp"

namespace tuskprint::synth {

struct TuskCylinder {
  cv::Point2d centre;      // a point on the axis, photograph pixels
  double axis_angle = 0;   // radians, image frame
  double radius_px = 1000; // at the capture ppi
  double light_tilt = 0;   // radians across the axis: where the highlight sits
  // Flat (unrolled) photograph coordinates <-> projected ones.
  cv::Point2d project(cv::Point2d flat) const;
  cv::Point2d unproject(cv::Point2d seen) const;
  double shading(cv::Point2d seen) const;  // Lambertian, ~0.6..1
};

struct LatentLift {
  ImpressionTransform transform;  // 500 ppi frame (the deposit ellipse is its contact)
  double scale = 2;               // photograph px per 500 ppi px
  int ppi = 1000;
  TuskCylinder cylinder;
  double schreger_angle_deg = 0;
  double area_fraction = 0;       // of the finger's area, measured on the deposit
  bool smudged = false;
  cv::Mat3b image;                // BGR photograph
  cv::Mat1b region;               // 255 where powder developed ridges
  std::vector<ridge::Minutia> minutiae;  // ground truth, photograph pixels at `ppi`

  cv::Point2d map(cv::Point2d master) const;    // master -> photograph
  cv::Point2d unmap(cv::Point2d seen) const;    // photograph -> master
};

LatentLift render_latent(const MasterFingerprint& master, std::uint64_t seed, const SynthParams& params);

}  // namespace tuskprint::synth
