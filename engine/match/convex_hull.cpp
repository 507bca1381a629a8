#include "match/convex_hull.hpp"

#include <algorithm>
#include <cmath>

namespace tuskprint::match {
namespace {

float cross(Point o, Point a, Point b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

float squared_distance_to_segment(Point p, Point a, Point b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float length_squared = dx * dx + dy * dy;
  float t = 0;
  if (length_squared > 0) t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length_squared, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

// Andrew's monotone chain; collinear points are dropped.
std::vector<Point> convex_hull(std::vector<Point> points) {
  std::sort(points.begin(), points.end(),
            [](Point a, Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  points.erase(std::unique(points.begin(), points.end(),
                           [](Point a, Point b) { return a.x == b.x && a.y == b.y; }),
               points.end());
  if (points.size() < 3) return points;
  std::vector<Point> hull(2 * points.size());
  std::size_t k = 0;
  for (const Point& p : points) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) --k;
    hull[k++] = p;
  }
  for (std::size_t i = points.size() - 1, lower = k + 1; i-- > 0;) {
    while (k >= lower && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  hull.resize(k - 1);
  return hull;
}

}  // namespace

GrownConvexHull::GrownConvexHull(const std::vector<Point>& points, float margin)
    : vertices_(convex_hull(points)), margin_(margin), margin_squared_(margin * margin) {}

bool GrownConvexHull::contains_disc(Point centre, float radius) const {
  const std::size_t n = vertices_.size();
  if (n < 3) return false;
  const float inner = radius - margin_;
  for (std::size_t i = 0; i < n; ++i) {
    const Point a = vertices_[i];
    const Point b = vertices_[(i + 1) % n];
    const float length = std::hypot(b.x - a.x, b.y - a.y);
    // Signed distance to the edge's line, positive inside (counter-clockwise hull).
    if (cross(a, b, centre) / length < inner) return false;
  }
  return true;
}

bool GrownConvexHull::contains(Point p) const {
  const std::size_t n = vertices_.size();
  if (n == 0) return false;
  if (n >= 3) {
    bool inside = true;
    for (std::size_t i = 0; i < n && inside; ++i) {
      inside = cross(vertices_[i], vertices_[(i + 1) % n], p) >= 0;
    }
    if (inside) return true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Point a = vertices_[i];
    const Point b = vertices_[(i + 1) % n];
    if (squared_distance_to_segment(p, a, b) <= margin_squared_) return true;
  }
  return false;
}

ConvexOutline::ConvexOutline(const std::vector<Point>& points) : vertices_(convex_hull(points)) {
  const std::size_t n = vertices_.size();
  if (n < 3) return;
  for (std::size_t i = 0; i < n; ++i) {
    const Point a = vertices_[i];
    const Point b = vertices_[(i + 1) % n];
    const float length = std::hypot(b.x - a.x, b.y - a.y);
    normals_.push_back({-(b.y - a.y) / length, (b.x - a.x) / length});
  }
}

bool ConvexOutline::contains(Point p, float margin) const {
  const std::size_t n = vertices_.size();
  if (n < 3) {
    // A point or a segment: within the margin of it.
    if (n == 0) return false;
    const Point b = vertices_[n - 1];
    return squared_distance_to_segment(p, vertices_[0], b) <= margin * margin;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const float inside = normals_[i].x * (p.x - vertices_[i].x) + normals_[i].y * (p.y - vertices_[i].y);
    if (inside < -margin) return false;
  }
  return true;
}

}  // namespace tuskprint::match
