#pragma once
// An examiner's overlay: outer edge, CDJ, centre, each measured angle pair and the call.
#include <opencv2/core.hpp>

#include "image/decode.hpp"
#include "schreger/measure.hpp"

namespace tuskprint::schreger {

// Draws on a copy of the scan (colour when it has colour). Large scans are drawn at a
// reduced size (longest side <= 2000 px).
cv::Mat draw_overlay(const image::DecodedImage& scan, const SchregerResult& result);

}  // namespace tuskprint::schreger
