#pragma once
// Test images with known ridge geometry.
#include <opencv2/core.hpp>

namespace tuskprint::ridge::testing {

// Straight sinusoidal ridges: grey = 128 + amplitude cos(2 pi n.x / period), where the
// ridge tangent makes `ridge_angle` (radians, image coordinates, y down) with +x.
cv::Mat sinusoid(cv::Size size, double ridge_angle, double period, double amplitude = 80);

// A finger-like print: concentric elliptical ridges (period 9 px) inside an ellipse on
// a light background, 388 x 374 px.
cv::Mat concentric_print();

}  // namespace tuskprint::ridge::testing
