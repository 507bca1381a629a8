#include "schreger/polar_unwrap.hpp"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace tuskprint::schreger {

double PolarImage::radius_at_row(double row) const { return r_min * std::exp(row * step); }
double PolarImage::row_at_radius(double r) const { return std::log(std::max(r, 1e-6) / r_min) / step; }

namespace {

// Line energy along the angle direction: squared tangential derivative, smoothed.
// The outer edge and the cementum-dentine junction run along the angle axis, so they
// hardly register, while Schreger lines (which cross the radius obliquely) do.
cv::Mat tangential_energy(const cv::Mat& polar_grey) {
  cv::Mat dx, energy;
  cv::Sobel(polar_grey, dx, CV_32F, 1, 0, 3);
  cv::GaussianBlur(dx.mul(dx), energy, cv::Size(9, 3), 0);
  return energy;
}

// Chromaticity (R - B) / (R + G + B): cementum is often of another hue than dentine
// even when its brightness is the same.
cv::Mat chroma_of(const cv::Mat& colour) {
  std::vector<cv::Mat> c;
  cv::split(colour, c);
  cv::Mat sum = c[0] + c[1] + c[2] + 1.0f;
  return (c[2] - c[0]) / sum;
}

}  // namespace

PolarImage unwrap_polar(const WorkingImage& w, const SectionMask& mask, const SectionCentre& c,
                        const OuterEdge& edge, const SchregerParams& p) {
  PolarImage out;
  out.centre = c.centre;
  out.px_per_mm = w.px_per_mm;
  const double R = std::max(8.0, c.outer_radius);
  out.step = 1.0 / R;
  out.r_min = p.polar_inner_frac * R;
  const int cols = int(std::ceil(2 * M_PI / out.step));
  out.step = 2 * M_PI / cols;
  const int rows = int(std::ceil(std::log(p.polar_outer_frac / p.polar_inner_frac) / out.step));
  cv::Mat map_x(rows, cols, CV_32F), map_y(rows, cols, CV_32F);
  for (int i = 0; i < rows; ++i) {
    const double r = out.radius_at_row(i);
    for (int j = 0; j < cols; ++j) {
      const double th = out.theta_at_col(j);
      map_x.at<float>(i, j) = float(c.centre.x + r * std::cos(th));
      map_y.at<float>(i, j) = float(c.centre.y + r * std::sin(th));
    }
  }
  cv::remap(w.grey, out.grey, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::remap(chroma_of(w.colour), out.chroma, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  out.texture = tangential_energy(out.grey);
  cv::remap(mask.material, out.material, map_x, map_y, cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::remap(mask.filled, out.filled, map_x, map_y, cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar(0));

  // Outer edge per column: the outermost inside-outline row with a solid run below it.
  out.edge_radius.assign(cols, -1.0f);
  out.arc_column.assign(cols, false);
  const int min_run = std::max(3, int(1.5 * w.px_per_mm / (R * out.step)));
  for (int j = 0; j < cols; ++j) {
    for (int i = rows - 1; i >= min_run; --i) {
      if (!out.filled.at<std::uint8_t>(i, j)) continue;
      bool solid = true;
      for (int k = 1; k < min_run && solid; ++k) solid = out.filled.at<std::uint8_t>(i - k, j) != 0;
      if (!solid) continue;
      const double r = out.radius_at_row(i + 0.5);
      out.edge_radius[j] = float(r);
      const cv::Point2d q(c.centre.x + r * std::cos(out.theta_at_col(j)), c.centre.y + r * std::sin(out.theta_at_col(j)));
      const double off_circle = std::abs(std::hypot(q.x - edge.circle_centre.x, q.y - edge.circle_centre.y) - edge.circle_radius);
      const bool inside_image = q.x > 2 && q.y > 2 && q.x < w.grey.cols - 3 && q.y < w.grey.rows - 3;
      out.arc_column[j] = inside_image && (edge.whole_section || off_circle < p.edge_inlier_tol * edge.circle_radius);
      break;
    }
  }
  return out;
}

}  // namespace tuskprint::schreger
