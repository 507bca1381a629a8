#pragma once
// Log-polar unwrapping around the section centre. Rows step the logarithm of the radius
// and columns the angle by the same amount, so the map is conformal: the angle a line
// makes with the radial direction in the section is the angle it makes with the row
// axis here, at every radius.
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>

#include "schreger/params.hpp"
#include "schreger/section_centre.hpp"
#include "schreger/section_mask.hpp"
#include "schreger/working_image.hpp"

namespace tuskprint::schreger {

struct PolarImage {
  cv::Mat grey;       // CV_32F rows x cols; row i at radius r_min * exp(i * step)
  cv::Mat texture;    // CV_32F line energy along the angle direction
  cv::Mat chroma;     // CV_32F (R - B) / (R + G + B)
  cv::Mat material;   // CV_8U 0/255 ivory present
  cv::Mat filled;     // CV_8U 0/255 inside the outline (pulp cavity included)
  cv::Point2d centre; // working px
  double r_min = 0;   // working px
  double step = 0;    // radians per column == log-radius per row
  double px_per_mm = 0;
  std::vector<float> edge_radius;  // outer edge radius per column (working px), <= 0 where none
  std::vector<bool> arc_column;    // the column meets the outer (tusk-surface) edge

  double radius_at_row(double row) const;
  double row_at_radius(double r) const;
  double theta_at_col(double col) const { return col * step; }
  // The working-image point at `radius` (working px) from the centre along column `col`.
  cv::Point2d point_at(double radius, double col) const {
    const double th = theta_at_col(col);
    return {centre.x + radius * std::cos(th), centre.y + radius * std::sin(th)};
  }
};

PolarImage unwrap_polar(const WorkingImage& w, const SectionMask& mask, const SectionCentre& centre,
                        const OuterEdge& edge, const SchregerParams& params);

}  // namespace tuskprint::schreger
