#pragma once
// The region where a cylinder cell is valid: the convex hull of the template's
// minutiae grown by a margin (MCC's omega).
#include <vector>

namespace tuskprint::match {

struct Point {
  float x = 0;
  float y = 0;
};

class GrownConvexHull {
 public:
  // Hull of `points` (any number, duplicates and collinear sets allowed) grown by `margin`.
  GrownConvexHull(const std::vector<Point>& points, float margin);

  // True when `p` lies inside the hull or within `margin` of it.
  bool contains(Point p) const;

  // True when the whole disc of `radius` around `centre` lies inside the grown hull. Exact
  // for the sufficient test "the disc shrunk by the margin lies inside the hull"; may say
  // false for discs that only fit thanks to the rounded corners (callers then test points).
  bool contains_disc(Point centre, float radius) const;

  // Counter-clockwise hull vertices (in a y-up sense of the given coordinates).
  const std::vector<Point>& vertices() const { return vertices_; }

 private:
  std::vector<Point> vertices_;
  float margin_;
  float margin_squared_;
};

// The convex hull of a point set as half-planes, for fast "inside, give or take a margin"
// tests: a point is inside when it lies within `margin` of the inner side of every edge
// line (the hull grown by the margin with mitred rather than rounded corners).
class ConvexOutline {
 public:
  ConvexOutline() = default;
  explicit ConvexOutline(const std::vector<Point>& points);

  bool contains(Point p, float margin) const;
  const std::vector<Point>& vertices() const { return vertices_; }

 private:
  std::vector<Point> vertices_;  // counter-clockwise (y-up)
  std::vector<Point> normals_;   // unit, pointing inwards, one per edge (vertex i to i + 1)
};

}  // namespace tuskprint::match
