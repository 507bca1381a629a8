#include "schreger/overlay.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace tuskprint::schreger {

std::vector<cv::Point2d> outline_edge_points(const SchregerResult& r) {
  std::vector<cv::Point2d> out;
  const double px_per_mm = r.profile.source_ppi() / 25.4;
  const std::vector<float>& radius = r.link.outline_mm;
  if (!(px_per_mm > 0) || radius.empty()) return out;
  // Column j lies at angle 2 pi j / columns around the pattern centre (image axes, y down).
  const double step = 2.0 * M_PI / double(radius.size());
  for (std::size_t j = 0; j < radius.size(); ++j) {
    const double mm = radius[j];
    if (!std::isfinite(mm) || mm <= 0) continue;
    const double t = step * double(j);
    out.push_back(r.pattern_centre + cv::Point2d(std::cos(t), std::sin(t)) * (mm * px_per_mm));
  }
  return out;
}

cv::Mat draw_overlay(const image::DecodedImage& scan, const SchregerResult& r) {
  cv::Mat img;
  if (!scan.colour.empty()) img = scan.colour.clone();
  else cv::cvtColor(scan.grey, img, cv::COLOR_GRAY2BGR);
  const double s = std::min(1.0, 2000.0 / std::max(img.cols, img.rows));
  if (s < 1.0) cv::resize(img, img, cv::Size(), s, s, cv::INTER_AREA);
  const int thick = std::max(1, int(std::lround(std::max(img.cols, img.rows) / 600.0)));
  auto scaled = [&](const std::vector<cv::Point2f>& pts) {
    std::vector<cv::Point> out;
    for (const auto& q : pts) out.emplace_back(int(q.x * s), int(q.y * s));
    return out;
  };
  if (!r.outline.empty()) cv::polylines(img, scaled(r.outline), true, cv::Scalar(0, 200, 0), thick, cv::LINE_AA);
  for (const auto& q : scaled(r.cdj_line))
    cv::circle(img, q, thick, r.cdj_found ? cv::Scalar(255, 120, 0) : cv::Scalar(128, 128, 128), -1, cv::LINE_AA);
  // The sub-pixel edge the size was fitted to, over the mask's outline.
  for (const cv::Point2d& q : outline_edge_points(r))
    cv::circle(img, cv::Point(int(std::lround(q.x * s)), int(std::lround(q.y * s))), thick, cv::Scalar(255, 255, 0), -1,
               cv::LINE_8);
  if (r.section_found) {
    const cv::Point c(int(r.centre.x * s), int(r.centre.y * s));
    cv::drawMarker(img, c, cv::Scalar(0, 0, 255), cv::MARKER_CROSS, 12 * thick, thick);
    const cv::Point pc(int(r.pattern_centre.x * s), int(r.pattern_centre.y * s));
    if (pc != c) cv::drawMarker(img, pc, cv::Scalar(255, 255, 0), cv::MARKER_TILTED_CROSS, 8 * thick, thick);
  }
  // Each outer angle: the two measured line directions through the patch centre.
  for (const PatchFamilies& f : r.patches) {
    if (!f.crossing || !f.outer) continue;
    const cv::Point2d at = patch_position_px(r, f) * s;
    const double radial = f.col * r.polar_step;  // direction of the radius in the image
    const double len = 0.5 * f.size_rows * r.polar_step * r.polar_r_min * std::exp(f.row * r.polar_step) / r.working_scale * s;
    for (double a : {f.line1_deg, f.line2_deg}) {
      const double t = radial + a * M_PI / 180.0;
      const cv::Point2d d(std::cos(t) * len, std::sin(t) * len);
      cv::line(img, at - d, at + d, cv::Scalar(0, 0, 255), thick, cv::LINE_AA);
    }
    std::ostringstream o;
    o << int(std::lround(f.angle_deg));
    cv::putText(img, o.str(), at + cv::Point2d(3, -3), cv::FONT_HERSHEY_SIMPLEX, 0.35 * thick, cv::Scalar(0, 0, 160), 1,
                cv::LINE_AA);
  }
  std::ostringstream o;
  o << to_string(r.species);
  if (r.angles.outer_count > 0)
    o << "  outer " << std::lround(r.angles.outer_mean_deg * 10) / 10.0 << " +- " << std::lround(r.angles.outer_sd_deg * 10) / 10.0
      << " deg (n=" << r.angles.outer_count << ")";
  o << "  conf " << std::lround(r.confidence * 100) / 100.0;
  const double font = 0.5 * thick;
  // The call, then the size on a line of its own (small scans are narrow).
  std::vector<std::string> lines{o.str()};
  if (r.size_mm > 0) {
    std::ostringstream z;
    z << "size " << std::lround(r.size_mm * 10) / 10.0 << " mm"
      << (r.size_from_outline ? " (outer edge fit)" : " (CDJ + cementum)");
    lines.push_back(z.str());
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const cv::Point at(8, int(22 * thick * (1 + int(i))));
    cv::putText(img, lines[i], at, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(0, 0, 0), 3 * thick, cv::LINE_AA);
    cv::putText(img, lines[i], at, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(255, 255, 255), thick, cv::LINE_AA);
  }
  return img;
}

}  // namespace tuskprint::schreger
