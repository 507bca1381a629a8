#pragma once
// Minutiae read off a ridge skeleton: thinning, crossing number (1 = ending, 3 =
// bifurcation), then the artefact filters applied the same way to masters and to test
// renderings (border margin, spurs, close clusters). Directions follow the project's
// convention (engine/ridge/minutiae_detection.hpp): an ending points out of the ridge tip
// (into the valley), a bifurcation points from the fork along the stem (away from the two
// branches); radians CCW from +x with y up.
#include <vector>

#include <opencv2/core.hpp>

#include "ridge/template.hpp"

namespace tuskprint::synth {

struct SkeletonMinutiaeOptions {
  double border_margin = 14;     // px from the edge of `region`
  double cluster_distance = 7;   // two minutiae closer than this are both removed
  int spur_max_length = 10;      // ending joined to a fork within this many steps: a spur
  int trace_length = 9;          // skeleton steps traced to orient a minutia
};

// One-pixel-wide skeleton (255) of a binary ridge image (255 = ridge), Zhang-Suen thinning.
cv::Mat1b ridge_skeleton(const cv::Mat1b& ridge_binary);

// Minutiae of `skeleton` inside `region` (255 = valid). When `orientation` (ridge tangent
// angle, image frame, radians in [0, pi)) is given, directions take its axis and the
// skeleton trace only decides the sense; otherwise the trace gives the direction.
std::vector<ridge::Minutia> skeleton_minutiae(const cv::Mat1b& skeleton, const cv::Mat1b& region,
                                              const SkeletonMinutiaeOptions& options,
                                              const cv::Mat1f& orientation = cv::Mat1f());

}  // namespace tuskprint::synth
