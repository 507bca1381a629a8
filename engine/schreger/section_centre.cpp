#include "schreger/section_centre.hpp"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace tuskprint::schreger {
namespace {

double mean_edge_distance(const OuterEdge& e, cv::Point2d c) {
  double sum = 0;
  int n = 0;
  for (std::size_t i = 0; i < e.contour.size(); ++i)
    if (e.on_arc[i]) sum += std::hypot(e.contour[i].x - c.x, e.contour[i].y - c.y), ++n;
  return n > 0 ? sum / n : e.circle_radius;
}

bool find_pulp_cavity(const SectionMask& mask, cv::Point2d near, double radius, cv::Point2d& centre, int& area) {
  cv::Mat holes = mask.filled & ~mask.material;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(holes, labels, stats, centroids, 8, CV_32S);
  int best = -1, best_area = 0;
  for (int i = 1; i < n; ++i) {
    const cv::Point2d c(centroids.at<double>(i, 0), centroids.at<double>(i, 1));
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (std::hypot(c.x - near.x, c.y - near.y) < radius && area > best_area) best = i, best_area = area;
  }
  if (best < 0 || best_area < 6) return false;
  centre = {centroids.at<double>(best, 0), centroids.at<double>(best, 1)};
  area = best_area;
  return true;
}

bool find_nerve_dot(const WorkingImage& w, const SectionMask& mask, cv::Point2d near, double radius,
                    const SchregerParams& p, cv::Point2d& centre) {
  const double dot_px = std::max(1.0, p.nerve_dot_mm * w.px_per_mm);
  const int half = int(radius + 4 * dot_px);
  cv::Rect roi(int(near.x) - half, int(near.y) - half, 2 * half + 1, 2 * half + 1);
  roi &= cv::Rect(0, 0, w.grey.cols, w.grey.rows);
  if (roi.width < 8 || roi.height < 8) return false;
  cv::Mat g = w.grey(roi), small, ring;
  cv::GaussianBlur(g, small, cv::Size(), 0.6 * dot_px);
  cv::GaussianBlur(g, ring, cv::Size(), 3.0 * dot_px);
  cv::Mat contrast = (ring - small) / (ring + 1.0f);
  double best = 0;
  cv::Point best_at;
  for (int y = 0; y < roi.height; ++y)
    for (int x = 0; x < roi.width; ++x) {
      if (std::hypot(x + roi.x - near.x, y + roi.y - near.y) > radius) continue;
      if (!mask.material.at<std::uint8_t>(y + roi.y, x + roi.x)) continue;
      const float v = contrast.at<float>(y, x);
      if (v > best) best = v, best_at = {x, y};
    }
  if (best < p.nerve_dot_min_contrast) return false;
  centre = {double(best_at.x + roi.x), double(best_at.y + roi.y)};
  return true;
}

}  // namespace

SectionCentre locate_centre(const WorkingImage& w, const SectionMask& mask, const OuterEdge& edge,
                            const SchregerParams& p) {
  SectionCentre out;
  if (!edge.whole_section) {
    out.centre = edge.circle_centre;
    out.method = "edge-curvature";
  } else {
    const cv::Moments m = cv::moments(mask.filled, true);
    const cv::Point2d centroid(m.m10 / m.m00, m.m01 / m.m00);
    const double search = p.pulp_search_frac * edge.circle_radius;
    cv::Point2d c;
    int area = 0;
    if (find_pulp_cavity(mask, centroid, search, c, area)) {
      out.centre = c, out.method = "pulp-cavity";
      out.pulp_radius = std::sqrt(area / M_PI);
    } else if (find_nerve_dot(w, mask, centroid, search, p, c)) {
      out.centre = c, out.method = "nerve-dot";
    } else {
      out.centre = centroid, out.method = "outline-centroid";
    }
  }
  out.outer_radius = mean_edge_distance(edge, out.centre);
  return out;
}

}  // namespace tuskprint::schreger
