#pragma once
// A small chart renderer for pictures that leave the lab: DET curves on probit axes,
// overlaid score histograms, match summaries. Drawn by hand with OpenCV primitives
// (cv::line, cv::putText, anti-aliased) rather than opencv_plot: Plot2d has one linear
// curve per image, no log or probit axes, no legend, no histograms and no titles.
//
//   plot::Chart chart;
//   chart.title("DET, FVC2002 DB1_A")
//       .x_axis("False match rate", plot::Scale::kProbit, 1e-4, 0.5)
//       .y_axis("False non-match rate", plot::Scale::kProbit, 1e-3, 0.5)
//       .add_line("LSS-R bit", fmr, fnmr, plot::palette::kBlue)
//       .add_point(eer, eer, "EER 2.1 %", plot::palette::kVermillion);
//   chart.save_png("det.png");
//
// Input checks: series must be non-empty, the same length, finite; histogram edges
// strictly increasing with one more edge than counts, counts >= 0; axis ranges min < max
// inside the scale's domain. Values a scale cannot show (<= 0 on kLog10, outside (0, 1) on
// kProbit) are refused when rendering, naming the series, axis and index. Everything else
// outside the axis range is clipped. All failures are Error(kInvalidArgument).
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "plot/scale.hpp"

namespace tuskprint::plot {

// Okabe-Ito colours (distinguishable with colour-vision deficiency), as BGR scalars.
namespace palette {
inline const cv::Scalar kBlue{178, 114, 0};
inline const cv::Scalar kVermillion{0, 94, 213};
inline const cv::Scalar kGreen{115, 158, 0};
inline const cv::Scalar kOrange{0, 159, 230};
inline const cv::Scalar kSkyBlue{233, 180, 86};
inline const cv::Scalar kPurple{167, 121, 204};
inline const cv::Scalar kBlack{0, 0, 0};
inline const cv::Scalar kGrey{110, 110, 110};
}  // namespace palette

enum class Corner { kTopLeft, kTopRight, kBottomLeft, kBottomRight };

class Chart {
 public:
  Chart& title(std::string text);
  // Smaller text under the title (sample sizes, EER, data set); '\n' starts a new line.
  Chart& subtitle(std::string text);

  // With min and max the axis shows exactly that range; without, it follows the data
  // (linear ranges are widened to round ticks, histogram counts start at 0).
  Chart& x_axis(std::string label, Scale scale, double min, double max);
  Chart& x_axis(std::string label, Scale scale = Scale::kLinear);
  Chart& y_axis(std::string label, Scale scale, double min, double max);
  Chart& y_axis(std::string label, Scale scale = Scale::kLinear);

  // A polyline through (xs[i], ys[i]). An empty name keeps it out of the legend.
  Chart& add_line(std::string name, std::vector<double> xs, std::vector<double> ys,
                  cv::Scalar colour, double thickness = 2);
  // Bars [edges[i], edges[i+1]) of height counts[i], translucent so that several overlay.
  Chart& add_histogram(std::string name, std::vector<double> bin_edges,
                       std::vector<double> counts, cv::Scalar colour);
  // A dashed vertical line across the plot with a label at its top.
  Chart& add_vertical_marker(double x, std::string label, cv::Scalar colour = palette::kGrey);
  // A filled circle at (x, y) with a label beside it (it also appears in the legend).
  Chart& add_point(double x, double y, std::string label, cv::Scalar colour);
  Chart& legend(Corner corner);

  // CV_8UC3 BGR image, width x height pixels (each 240..8000).
  cv::Mat render(int width, int height) const;
  // Renders and writes a PNG file; Error(kInternal) naming the path if it cannot be written.
  void save_png(const std::string& path, int width = 1000, int height = 750) const;

  struct Axis {
    std::string label;
    Scale scale = Scale::kLinear;
    std::optional<double> min, max;
  };
  struct Line {
    std::string name;
    std::vector<double> xs, ys;
    cv::Scalar colour;
    double thickness = 2;
  };
  struct Histogram {
    std::string name;
    std::vector<double> edges, counts;
    cv::Scalar colour;
  };
  struct Marker {
    double x = 0;
    std::string label;
    cv::Scalar colour;
  };
  struct Point {
    double x = 0, y = 0;
    std::string label;
    cv::Scalar colour;
  };

 private:
  std::string title_, subtitle_;
  Axis x_, y_;
  std::vector<Line> lines_;
  std::vector<Histogram> histograms_;
  std::vector<Marker> markers_;
  std::vector<Point> points_;
  Corner legend_corner_ = Corner::kTopRight;
};

// Encodes `image` as PNG and writes it (durably: temp file, fsync, rename).
// Error(kInvalidArgument) for an empty image, Error(kInternal) naming the path on I/O failure.
void write_png(const std::string& path, const cv::Mat& image);

}  // namespace tuskprint::plot
