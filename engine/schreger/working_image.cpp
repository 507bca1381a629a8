#include "schreger/working_image.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::schreger {

WorkingImage resample_to_working(const image::DecodedImage& scan, double ppi, const SchregerParams& p) {
  TP_CHECK(ppi >= 50 && ppi <= 4800, kInvalidArgument, "ppi " << ppi << " is outside 50..4800");
  TP_CHECK(!scan.grey.empty(), kInvalidArgument, "empty image");
  const double width_mm = scan.grey.cols / ppi * 25.4, height_mm = scan.grey.rows / ppi * 25.4;
  TP_CHECK(std::min(width_mm, height_mm) >= p.min_section_mm, kInvalidArgument,
           "image is " << scan.grey.cols << "x" << scan.grey.rows << " px at " << ppi << " ppi ("
                       << width_mm << " x " << height_mm << " mm): too small to hold a tusk section (need "
                       << p.min_section_mm << " mm across)");
  WorkingImage w;
  w.source_ppi = ppi;
  w.scale = p.working_ppi / ppi;
  const int longest = std::max(scan.grey.cols, scan.grey.rows);
  if (longest * w.scale > p.max_working_side) w.scale = double(p.max_working_side) / longest;
  w.px_per_mm = ppi * w.scale / 25.4;
  const cv::Size size(std::max(1, int(scan.grey.cols * w.scale + 0.5)), std::max(1, int(scan.grey.rows * w.scale + 0.5)));
  const int interp = w.scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR;
  cv::Mat grey, colour;
  cv::resize(scan.grey, grey, size, 0, 0, interp);
  grey.convertTo(w.grey, CV_32F);
  if (!scan.colour.empty()) {
    cv::resize(scan.colour, colour, size, 0, 0, interp);
    colour.convertTo(w.colour, CV_32FC3);
  } else {
    cv::cvtColor(w.grey, w.colour, cv::COLOR_GRAY2BGR);
  }
  return w;
}

}  // namespace tuskprint::schreger
