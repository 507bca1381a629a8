#pragma once
// An examiner's overlay: outer edge (the mask's outline, green, and the sub-pixel edge the
// face's size was fitted to, cyan dots), CDJ, centre, pattern centre, each measured angle pair,
// and the call with the size.
#include <vector>

#include <opencv2/core.hpp>

#include "image/decode.hpp"
#include "schreger/measure.hpp"

namespace tuskprint::schreger {

// Draws on a copy of the scan (colour when it has colour). Large scans are drawn at a
// reduced size (longest side <= 2000 px).
cv::Mat draw_overlay(const image::DecodedImage& scan, const SchregerResult& result);

// The sub-pixel outer edge of the outline profile in source-image pixels: one point per
// measured column of result.link.outline_mm, at its radius around the pattern centre (the
// points outline_size_mm fitted the size to). Empty when the profile or the ppi is missing.
std::vector<cv::Point2d> outline_edge_points(const SchregerResult& result);

}  // namespace tuskprint::schreger
