#include "schreger/outer_edge.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::schreger {
namespace {

bool circle_through(const cv::Point2f& a, const cv::Point2f& b, const cv::Point2f& c, cv::Point2d& centre, double& r) {
  const double d = 2 * (a.x * (b.y - c.y) + b.x * (c.y - a.y) + c.x * (a.y - b.y));
  if (std::abs(d) < 1e-6) return false;
  const double a2 = a.x * a.x + a.y * a.y, b2 = b.x * b.x + b.y * b.y, c2 = c.x * c.x + c.y * c.y;
  centre.x = (a2 * (b.y - c.y) + b2 * (c.y - a.y) + c2 * (a.y - b.y)) / d;
  centre.y = (a2 * (c.x - b.x) + b2 * (a.x - c.x) + c2 * (b.x - a.x)) / d;
  r = std::hypot(a.x - centre.x, a.y - centre.y);
  return true;
}

// Algebraic (Kasa) least-squares circle.
bool fit_circle(const std::vector<cv::Point2f>& pts, cv::Point2d& centre, double& r) {
  if (pts.size() < 3) return false;
  cv::Mat A(int(pts.size()), 3, CV_64F), b(int(pts.size()), 1, CV_64F);
  for (int i = 0; i < int(pts.size()); ++i) {
    A.at<double>(i, 0) = pts[i].x;
    A.at<double>(i, 1) = pts[i].y;
    A.at<double>(i, 2) = 1;
    b.at<double>(i) = -(double(pts[i].x) * pts[i].x + double(pts[i].y) * pts[i].y);
  }
  cv::Mat s;
  if (!cv::solve(A, b, s, cv::DECOMP_SVD)) return false;
  centre = {-s.at<double>(0) / 2, -s.at<double>(1) / 2};
  const double r2 = centre.x * centre.x + centre.y * centre.y - s.at<double>(2);
  if (r2 <= 0) return false;
  r = std::sqrt(r2);
  return true;
}

double coverage_deg(const std::vector<cv::Point2f>& pts, const std::vector<bool>& use, cv::Point2d c) {
  constexpr int kBins = 360;
  std::vector<bool> hit(kBins, false);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (!use[i]) continue;
    double a = std::atan2(pts[i].y - c.y, pts[i].x - c.x) * 180.0 / M_PI;
    if (a < 0) a += 360;
    hit[std::min(kBins - 1, int(a))] = true;
  }
  return double(std::count(hit.begin(), hit.end(), true));
}

// Steps of kSupportStepPx along the circumference of a circle of radius r, and the step a
// point lies in (by its angle around the centre c).
constexpr double kSupportStepPx = 2.0;
std::size_t circumference_steps(double r) { return std::size_t(std::ceil(2 * M_PI * r / kSupportStepPx)) + 1; }
std::size_t step_of(const cv::Point2f& q, const cv::Point2d& c, double r) {
  return std::size_t((std::atan2(q.y - c.y, q.x - c.x) + M_PI) * r / kSupportStepPx);
}

}  // namespace

OuterEdge find_outer_edge(const SectionMask& mask, const SchregerParams& p) {
  TP_CHECK(mask.found, kInvalidArgument, "no section found against the background");
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask.filled.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  TP_CHECK(!contours.empty(), kInvalidArgument, "section mask has no contour");
  const auto& largest = *std::max_element(contours.begin(), contours.end(),
                                          [](const auto& a, const auto& b) { return a.size() < b.size(); });
  TP_CHECK(largest.size() >= 20, kInvalidArgument, "section outline too short (" << largest.size() << " points)");
  OuterEdge e;
  for (const cv::Point& q : largest) e.contour.emplace_back(float(q.x), float(q.y));
  // Points touching the image border are not the tusk surface.
  const cv::Rect inner(2, 2, mask.filled.cols - 4, mask.filled.rows - 4);
  std::vector<cv::Point2f> usable;
  for (const auto& q : e.contour)
    if (inner.contains(cv::Point(int(q.x), int(q.y)))) usable.push_back(q);
  TP_CHECK(usable.size() >= 20, kInvalidArgument, "section outline lies on the image border");

  const int n = int(usable.size());
  cv::RNG rng(0x5C4E);
  std::vector<char> followed;
  int best_score = -1;
  cv::Point2d best_c;
  double best_r = 0;
  for (int it = 0; it < p.ransac_iterations; ++it) {
    const int i = rng.uniform(0, n), j = rng.uniform(0, n), k = rng.uniform(0, n);
    cv::Point2d c;
    double r;
    if (!circle_through(usable[i], usable[j], usable[k], c, r)) continue;
    // A cut piece on a plain background fills a good part of its photograph: its
    // radius cannot exceed the image size (this keeps near-straight saw cuts out).
    if (r < 8 || r > 0.8 * std::max(mask.filled.cols, mask.filled.rows)) continue;
    // Support: how much of the circle's circumference the outline follows (in steps of
    // kSupportStepPx along it), not how many outline pixels lie near it. Where a washed-out
    // side of the section fades into the background, the mask ends in a ragged boundary with
    // many pixels per unit length, which would otherwise outvote the true edge.
    const double tol = p.edge_inlier_tol * r;
    followed.assign(circumference_steps(r), 0);
    int score = 0;
    for (const auto& q : usable)
      if (std::abs(std::hypot(q.x - c.x, q.y - c.y) - r) < tol) {
        char& f = followed[step_of(q, c, r)];
        score += !f;
        f = 1;
      }
    if (score > best_score) best_score = score, best_c = c, best_r = r;
  }
  TP_CHECK(best_r > 0, kInvalidArgument, "no circular outer edge found");
  // Refine twice on the inliers, one point (their mean) per step along the circumference, so
  // that a ragged stretch weighs by its extent as in the support above.
  for (int round = 0; round < 2; ++round) {
    const std::size_t steps = circumference_steps(best_r);
    std::vector<cv::Point2d> sum(steps, cv::Point2d(0, 0));
    std::vector<int> count(steps, 0);
    for (const auto& q : usable)
      if (std::abs(std::hypot(q.x - best_c.x, q.y - best_c.y) - best_r) < p.edge_inlier_tol * best_r) {
        const std::size_t k = step_of(q, best_c, best_r);
        sum[k] += cv::Point2d(q.x, q.y);
        ++count[k];
      }
    std::vector<cv::Point2f> in;
    for (std::size_t k = 0; k < steps; ++k)
      if (count[k] > 0) in.emplace_back(float(sum[k].x / count[k]), float(sum[k].y / count[k]));
    cv::Point2d c;
    double r;
    if (fit_circle(in, c, r)) best_c = c, best_r = r;
  }
  e.circle_centre = best_c;
  e.circle_radius = best_r;
  e.on_arc.resize(e.contour.size());
  for (std::size_t i = 0; i < e.contour.size(); ++i) {
    const auto& q = e.contour[i];
    e.on_arc[i] = inner.contains(cv::Point(int(q.x), int(q.y))) &&
                  std::abs(std::hypot(q.x - best_c.x, q.y - best_c.y) - best_r) < p.edge_inlier_tol * best_r;
  }
  e.arc_coverage_deg = coverage_deg(e.contour, e.on_arc, best_c);
  e.whole_section = e.arc_coverage_deg >= p.whole_section_arc_deg;
  return e;
}

}  // namespace tuskprint::schreger
