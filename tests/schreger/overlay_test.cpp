// The examiner's overlay: the sub-pixel edge the face's size was fitted to is drawn where the
// face's edge is, and the size is reported with it.
#include <gtest/gtest.h>

#include <cmath>

#include "datasets/tusks/cross_section.hpp"
#include "schreger/measure.hpp"
#include "schreger/overlay.hpp"
#include "test_images.hpp"

namespace tuskprint::schreger {
namespace {

struct Face {
  datasets::tusks::RenderedSlice truth;
  image::DecodedImage scan;
};

// A round generated face (no ellipse, no wobble), whole or a cut piece.
Face round_face(bool sector, std::uint64_t seed) {
  auto o = testing::small_options();
  o.sector_fraction = sector ? 1.0 : 0.0;
  auto t = datasets::tusks::sample_tusk(seed, 0, o);
  t.axis_ratio = 1.0;
  t.outline_harmonics.clear();
  t.outline_phases.clear();
  auto s = datasets::tusks::sample_slice(t, seed, 0, 0, o);
  s.jpeg_quality = 0;
  Face f;
  f.truth = datasets::tusks::render_slice(t, s);
  f.scan = testing::as_scan(f.truth.bgr);
  return f;
}

TEST(Overlay, TheSizesEdgePointsLieOnTheFacesEdgeAndAreDrawnThere) {
  for (bool sector : {false, true}) {
    SCOPED_TRACE(sector ? "cut piece" : "whole section");
    const Face f = round_face(sector, 77);
    const SchregerResult r = measure(f.scan, testing::kTestPpi);
    ASSERT_TRUE(r.section_found);
    const std::vector<cv::Point2d> edge = outline_edge_points(r);
    // One point per measured column: all of a whole outline, the outer arc of a piece.
    std::size_t measured = 0;
    for (float v : r.link.outline_mm) measured += std::isfinite(v) && v > 0;
    EXPECT_EQ(edge.size(), measured);
    EXPECT_GE(int(edge.size()), sector ? 64 : int(0.9 * double(r.link.outline_mm.size())));
    // On the rendered outline (a circle around its centre) to within a pixel or so.
    std::size_t on_edge = 0;
    for (const cv::Point2d& q : edge)
      on_edge += std::abs(cv::norm(q - f.truth.outline_centre_px) - f.truth.outer_radius_px) <= 1.5;
    EXPECT_GE(double(on_edge), 0.95 * double(edge.size()));
    // And on the face's side of it: material 4 px inside each point, background 4 px outside
    // (a point drawn on the side the piece does not have would see background on both).
    const double background = f.scan.grey.at<std::uint8_t>(0, 0);
    auto grey_at = [&](cv::Point2d q) {
      const cv::Point p(int(std::lround(q.x)), int(std::lround(q.y)));
      return p.x >= 0 && p.y >= 0 && p.x < f.scan.grey.cols && p.y < f.scan.grey.rows
                 ? double(f.scan.grey.at<std::uint8_t>(p))
                 : background;
    };
    std::size_t sided = 0;
    for (const cv::Point2d& q : edge) {
      const cv::Point2d out = (q - r.pattern_centre) * (1.0 / cv::norm(q - r.pattern_centre));
      sided += std::abs(grey_at(q - 4.0 * out) - background) > 40 && std::abs(grey_at(q + 4.0 * out) - background) < 15;
    }
    EXPECT_GE(double(sided), 0.9 * double(edge.size()));
    // The size is the outline fit's: the rendered radius to a tenth of a mm on the whole
    // outline; on a piece's arc within the pulp's offset from the outline's centre as well
    // (outline_size_mm leaves the offset along the arc's bisector in the size).
    const double mm_per_px = 25.4 / testing::kTestPpi;
    const double offset_mm = cv::norm(f.truth.pattern_centre_px - f.truth.outline_centre_px) * mm_per_px;
    EXPECT_TRUE(r.size_from_outline);
    EXPECT_NEAR(r.size_mm, f.truth.outer_radius_px * mm_per_px, 0.1 + (sector ? offset_mm : 0.0))
        << "pulp offset " << offset_mm << " mm";
    // Drawn in cyan at those points (the scan is under 2,000 px: not scaled).
    const cv::Mat img = draw_overlay(f.scan, r);
    ASSERT_EQ(img.size(), f.truth.bgr.size());
    std::size_t cyan = 0;
    for (const cv::Point2d& q : edge) {
      const cv::Point at(int(std::lround(q.x)), int(std::lround(q.y)));
      if (at.x >= 0 && at.y >= 0 && at.x < img.cols && at.y < img.rows) cyan += img.at<cv::Vec3b>(at) == cv::Vec3b(255, 255, 0);
    }
    EXPECT_GE(double(cyan), 0.95 * double(edge.size()));
  }
}

TEST(Overlay, WithoutAProfileNothingIsDrawnForTheEdgeAndNothingBreaks) {
  const Face f = round_face(false, 78);
  SchregerResult r = measure(f.scan, testing::kTestPpi);
  r.link.outline_mm.clear();
  EXPECT_TRUE(outline_edge_points(r).empty());
  r = measure(f.scan, testing::kTestPpi);
  r.profile.set_source_ppi(0);
  EXPECT_TRUE(outline_edge_points(r).empty());
  // A blank scan: not ivory, no size, an overlay all the same.
  const image::DecodedImage blank = testing::as_scan(cv::Mat(400, 400, CV_8UC3, cv::Scalar(40, 40, 40)));
  const SchregerResult none = measure(blank, testing::kTestPpi);
  EXPECT_EQ(none.size_mm, 0.0);
  EXPECT_TRUE(outline_edge_points(none).empty());
  EXPECT_EQ(draw_overlay(blank, none).size(), cv::Size(400, 400));
}

}  // namespace
}  // namespace tuskprint::schreger
