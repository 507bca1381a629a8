#pragma once
// Stage 6c: minutiae by crossing number on the skeleton (1 = ending, 3+ = bifurcation),
// neighbouring hits merged, each given a direction and a first quality.
//
// Direction convention (template.hpp: radians CCW from +x, y up):
//  - ending: along the ridge, pointing out of its tip (from the ridge into the valley);
//  - bifurcation: along the stem, pointing from the fork towards the single ridge,
//    i.e. away from the two branches (the direction of the valley ending it faces).
// The sense comes from tracing the skeleton; the angle itself is taken from the
// orientation field when the two agree (the field is smoother than a few skeleton
// pixels), else from the trace.
#include <vector>

#include <opencv2/core.hpp>

#include "ridge/orientation_field.hpp"
#include "ridge/params.hpp"
#include "ridge/template.hpp"

namespace tuskprint::ridge {

// Minutiae on `skel` (see skeleton.hpp) inside `mask_pixels` (CV_8U, nonzero = in);
// quality is the local orientation coherence.
std::vector<Minutia> detect_minutiae(const cv::Mat& skel, const cv::Mat& mask_pixels,
                                     const OrientationField& field, const MinutiaeParams& params);

// Converts an image-coordinate vector (x right, y down) to a template direction.
double template_direction(double dx, double dy);

// Outward direction (image coordinates, unit vector) of the ending at `p`, traced over
// `length` skeleton pixels; {0, 0} when the ridge is too short to tell.
cv::Point2d ending_outward(const cv::Mat& skel, cv::Point p, int length);

// A JSON array [{"x":..,"y":..,"direction":..,"type":"ending"|"bifurcation","quality":..}].
std::string minutiae_json(const std::vector<Minutia>& minutiae);

}  // namespace tuskprint::ridge
