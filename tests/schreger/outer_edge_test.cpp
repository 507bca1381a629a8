// Outer edge: the circle the section's outline follows, among saw cuts and ragged boundaries.
#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "schreger/outer_edge.hpp"
#include "schreger/params.hpp"
#include "schreger/section_mask.hpp"

namespace tuskprint::schreger {
namespace {

// The lower half of a disc (centre (400, 150), radius 350: the straight top side is a saw cut)
// whose right part ends in a ragged boundary near x = 550, where a washed-out side of the
// section faded into the background (wiggles of +-15 px every 8 px).
SectionMask half_disc_with_a_ragged_side() {
  SectionMask m;
  m.found = true;
  m.filled = cv::Mat::zeros(800, 800, CV_8U);
  for (int y = 150; y < 800; ++y)
    for (int x = 0; x < 800; ++x) {
      const double ragged = 550 + 15 * std::sin(2 * M_PI * y / 8.0);
      if (std::hypot(x - 400.0, y - 150.0) <= 350 && x <= ragged) m.filled.at<std::uint8_t>(y, x) = 255;
    }
  m.material = m.filled.clone();
  m.area_fraction = cv::countNonZero(m.filled) / double(m.filled.total());
  return m;
}

TEST(OuterEdge, ARaggedBoundaryDoesNotOutvoteTheArc) {
  // The true arc runs ~700 px; the ragged side spans ~320 px but its outline is several times
  // longer. Counted by outline pixels near a circle, a circle through the ragged side won
  // (before tuskprint-schreger/1.4); counted by how much of the circumference the outline
  // follows, the arc does.
  const OuterEdge e = find_outer_edge(half_disc_with_a_ragged_side(), SchregerParams{});
  EXPECT_NEAR(e.circle_radius, 350, 5);
  EXPECT_NEAR(e.circle_centre.x, 400, 5);
  EXPECT_NEAR(e.circle_centre.y, 150, 5);
  EXPECT_FALSE(e.whole_section);
}

}  // namespace
}  // namespace tuskprint::schreger
