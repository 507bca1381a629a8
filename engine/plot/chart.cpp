#include "plot/chart.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/durable_file.hpp"
#include "core/error.hpp"
#include "plot/ticks.hpp"

namespace tuskprint::plot {
namespace {

// ---- tuning constants (all lengths scale with the image: 1.0 = a 600-pixel side) ----
constexpr int kMinSide = 240;              // smaller images cannot hold the labels
constexpr int kMaxSide = 8000;             // larger ones are a mistake, not a chart
constexpr double kReferenceSide = 600;     // side length at which the sizes below apply
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kTitleFont = 0.75;        // putText font scales
constexpr double kSubtitleFont = 0.5;
constexpr double kAxisLabelFont = 0.55;
constexpr double kTickFont = 0.45;
constexpr double kLegendFont = 0.45;
constexpr double kPadding = 12;            // outer margin and gaps between text blocks
constexpr double kTickLength = 5;
constexpr double kHistogramAlpha = 0.35;   // bar fill opacity; overlapping bars stay visible
constexpr double kPointRadius = 6;
constexpr double kDash = 8;                // dash and gap length of marker lines
constexpr int kSubpixelBits = 4;           // cv::line shift: 1/16 pixel positions
const cv::Scalar kWhite{255, 255, 255};
const cv::Scalar kText{40, 40, 40};
const cv::Scalar kFrame{90, 90, 90};
const cv::Scalar kMajorGrid{215, 215, 215};
const cv::Scalar kMinorGrid{238, 238, 238};

// ---- text ----
struct Style {
  double unit = 1;  // pixels per reference pixel
  double font(double base) const { return base * unit; }
  int thickness(double base = 1) const { return std::max(1, static_cast<int>(std::lround(base * unit))); }
  double px(double length) const { return length * unit; }
};

enum class Align { kLeft, kCentre, kRight };

cv::Size text_size(const std::string& text, double font, int thickness) {
  int baseline = 0;
  cv::Size size = cv::getTextSize(text, kFont, font, thickness, &baseline);
  return {size.width, size.height + baseline};
}

// Draws `text` with its box's top edge at `top`, aligned horizontally around `x`.
cv::Rect draw_text(cv::Mat& image, const std::string& text, double x, double top, double font,
                   int thickness, cv::Scalar colour, Align align) {
  int baseline = 0;
  const cv::Size size = cv::getTextSize(text, kFont, font, thickness, &baseline);
  double left = x;
  if (align == Align::kCentre) left = x - size.width / 2.0;
  if (align == Align::kRight) left = x - size.width;
  const cv::Point origin(static_cast<int>(std::lround(left)),
                         static_cast<int>(std::lround(top + size.height)));
  cv::putText(image, text, origin, kFont, font, colour, thickness, cv::LINE_AA);
  return {origin.x, static_cast<int>(std::lround(top)), size.width, size.height + baseline};
}

// Dark text rotated a quarter turn anticlockwise, centred on (cx, cy); drawn on white and
// merged with a per-pixel minimum, so it suits dark text on a light margin.
void draw_vertical_text(cv::Mat& image, const std::string& text, double cx, double cy,
                        double font, int thickness, cv::Scalar colour) {
  const cv::Size size = text_size(text, font, thickness);
  cv::Mat canvas(size.height + 2, size.width + 2, CV_8UC3, kWhite);
  draw_text(canvas, text, 1, 1, font, thickness, colour, Align::kLeft);
  cv::Mat rotated;
  cv::rotate(canvas, rotated, cv::ROTATE_90_COUNTERCLOCKWISE);
  cv::Rect target(static_cast<int>(std::lround(cx - rotated.cols / 2.0)),
                  static_cast<int>(std::lround(cy - rotated.rows / 2.0)), rotated.cols,
                  rotated.rows);
  const cv::Rect clipped = target & cv::Rect(0, 0, image.cols, image.rows);
  if (clipped.empty()) return;
  cv::Mat source = rotated(cv::Rect(clipped.x - target.x, clipped.y - target.y, clipped.width,
                                    clipped.height));
  cv::Mat destination = image(clipped);
  cv::min(destination, source, destination);
}

// A white box with a thin border behind a label, for text over the plot area.
void draw_label_box(cv::Mat& image, const std::string& text, double x, double top, double font,
                    int thickness, cv::Scalar colour, Align align, const Style& style) {
  const cv::Size size = text_size(text, font, thickness);
  double left = x;
  if (align == Align::kCentre) left = x - size.width / 2.0;
  if (align == Align::kRight) left = x - size.width;
  const int margin = static_cast<int>(style.px(3));
  const cv::Rect box(static_cast<int>(left) - margin, static_cast<int>(top) - margin,
                     size.width + 2 * margin, size.height + 2 * margin);
  cv::rectangle(image, box, kWhite, cv::FILLED);
  cv::rectangle(image, box, kMajorGrid, 1);
  draw_text(image, text, left, top, font, thickness, colour, Align::kLeft);
}

// ---- axes ----
struct ResolvedAxis {
  Scale scale = Scale::kLinear;
  double min = 0, max = 1;          // data units
  double axis_min = 0, axis_max = 1;  // after the scale transform
};

struct Frame {
  cv::Rect area;
  ResolvedAxis x, y;
  cv::Point2d to_pixel(double xv, double yv) const {
    return {area.x + (to_axis(x.scale, xv) - x.axis_min) / (x.axis_max - x.axis_min) * area.width,
            area.y + area.height -
                (to_axis(y.scale, yv) - y.axis_min) / (y.axis_max - y.axis_min) * area.height};
  }
  double x_pixel(double xv) const { return to_pixel(xv, y.min).x; }
  double y_pixel(double yv) const { return to_pixel(x.min, yv).y; }
};

void check_axis_range(const char* which, const std::string& label, Scale scale, double min,
                      double max) {
  TP_CHECK(std::isfinite(min) && std::isfinite(max) && min < max, kInvalidArgument,
           which << " axis '" << label << "': range [" << min << ", " << max
                 << "] is empty (min must be below max)");
  TP_CHECK(in_domain(scale, min) && in_domain(scale, max), kInvalidArgument,
           which << " axis '" << label << "': range [" << min << ", " << max << "] does not fit a "
                 << to_string(scale) << " scale (both ends must be " << domain_text(scale) << ")");
}

void check_series_value(const char* kind, const std::string& name, const char* which,
                        const Chart::Axis& axis, double value, std::size_t index) {
  TP_CHECK(in_domain(axis.scale, value), kInvalidArgument,
           kind << " '" << name << "': " << which << " value " << value << " at index " << index
                << " cannot be shown on the " << to_string(axis.scale) << " " << which
                << " axis '" << axis.label << "' (values must be " << domain_text(axis.scale)
                << ")");
}

// Range from data when the caller gave none.
ResolvedAxis resolve_axis(const char* which, const Chart::Axis& axis, std::vector<double> values,
                          bool starts_at_zero) {
  ResolvedAxis resolved;
  resolved.scale = axis.scale;
  if (axis.min && axis.max) {
    resolved.min = *axis.min;
    resolved.max = *axis.max;
  } else {
    values.erase(std::remove_if(values.begin(), values.end(),
                                [&](double v) { return !in_domain(axis.scale, v); }),
                 values.end());
    TP_CHECK(!values.empty(), kInvalidArgument,
             which << " axis '" << axis.label << "' has no range and no data to take one from");
    auto [low, high] = std::minmax_element(values.begin(), values.end());
    double min = *low, max = *high;
    switch (axis.scale) {
      case Scale::kLinear: {
        if (starts_at_zero) min = std::min(min, 0.0);
        if (max <= min) {
          const double half = std::max(1e-9, std::abs(min) * 0.1);
          min -= half;
          max += half;
        }
        const auto ticks = axis_ticks(Scale::kLinear, min, max);
        const double step = ticks.size() >= 2 ? ticks[1].value - ticks[0].value : (max - min);
        min = std::floor(min / step + 1e-9) * step;
        max = std::ceil(max / step - 1e-9) * step;
        break;
      }
      case Scale::kLog10:
        min = std::pow(10.0, std::floor(std::log10(min)));
        max = std::pow(10.0, std::ceil(std::log10(max)));
        if (max <= min) max = min * 10;
        break;
      case Scale::kProbit:
        min = std::max(1e-6, min * 0.5);
        max = std::min(1 - 1e-6, 1 - (1 - max) * 0.5);
        if (max <= min) max = std::min(1 - 1e-6, min * 2);
        break;
    }
    resolved.min = axis.min.value_or(min);
    resolved.max = axis.max.value_or(max);
  }
  check_axis_range(which, axis.label, axis.scale, resolved.min, resolved.max);
  resolved.axis_min = to_axis(axis.scale, resolved.min);
  resolved.axis_max = to_axis(axis.scale, resolved.max);
  return resolved;
}

// ---- geometry ----
// Liang-Barsky clipping of segment a-b to `box`; false when nothing is left.
bool clip_segment(cv::Point2d& a, cv::Point2d& b, const cv::Rect2d& box) {
  double t0 = 0, t1 = 1;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double p[] = {-dx, dx, -dy, dy};
  const double q[] = {a.x - box.x, box.x + box.width - a.x, a.y - box.y,
                      box.y + box.height - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) t0 = std::max(t0, t);
    else t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  const cv::Point2d start = a;
  a = start + t0 * cv::Point2d(dx, dy);
  b = start + t1 * cv::Point2d(dx, dy);
  return true;
}

cv::Point subpixel(cv::Point2d p) {
  constexpr double kScale = 1 << kSubpixelBits;
  return {static_cast<int>(std::lround(p.x * kScale)), static_cast<int>(std::lround(p.y * kScale))};
}

void draw_segment(cv::Mat& image, cv::Point2d a, cv::Point2d b, const cv::Rect2d& clip,
                  cv::Scalar colour, int thickness) {
  if (!clip_segment(a, b, clip)) return;
  cv::line(image, subpixel(a), subpixel(b), colour, thickness, cv::LINE_AA, kSubpixelBits);
}

void draw_dashed(cv::Mat& image, cv::Point2d a, cv::Point2d b, const cv::Rect2d& clip,
                 cv::Scalar colour, int thickness, double dash) {
  const double length = cv::norm(b - a);
  if (length <= 0) return;
  const cv::Point2d unit = (b - a) / length;
  for (double s = 0; s < length; s += 2 * dash) {
    draw_segment(image, a + unit * s, a + unit * std::min(length, s + dash), clip, colour,
                 thickness);
  }
}

cv::Rect2d expanded(const cv::Rect& r, double by) {
  return {r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by};
}

// ---- layers ----
void draw_grid(cv::Mat& image, const Frame& frame, const std::vector<Tick>& x_ticks,
               const std::vector<Tick>& y_ticks) {
  const cv::Rect2d clip = expanded(frame.area, 0);
  for (const auto& tick : x_ticks) {
    const double x = frame.x_pixel(tick.value);
    draw_segment(image, {x, double(frame.area.y)}, {x, double(frame.area.br().y)}, clip,
                 tick.label.empty() ? kMinorGrid : kMajorGrid, 1);
  }
  for (const auto& tick : y_ticks) {
    const double y = frame.y_pixel(tick.value);
    draw_segment(image, {double(frame.area.x), y}, {double(frame.area.br().x), y}, clip,
                 tick.label.empty() ? kMinorGrid : kMajorGrid, 1);
  }
}

void draw_histogram(cv::Mat& image, const Frame& frame, const Chart::Histogram& histogram,
                    const Style& style) {
  const double floor_value = frame.y.scale == Scale::kLinear ? std::max(frame.y.min, 0.0) : frame.y.min;
  const double base = frame.y_pixel(floor_value);
  cv::Mat fill = image.clone();
  std::vector<cv::Point2d> outline;
  for (std::size_t i = 0; i < histogram.counts.size(); ++i) {
    const double count = histogram.counts[i];
    const bool drawable = in_domain(frame.y.scale, count) && count > 0;
    const double top = drawable ? frame.y_pixel(count) : base;
    const double left = frame.x_pixel(histogram.edges[i]);
    const double right = frame.x_pixel(histogram.edges[i + 1]);
    outline.emplace_back(left, base);
    outline.emplace_back(left, top);
    outline.emplace_back(right, top);
    outline.emplace_back(right, base);
    if (!drawable) continue;
    cv::Point2d a(left, top), b(right, base);
    const cv::Rect2d bar = cv::Rect2d(a, b) & cv::Rect2d(frame.area);
    if (bar.width <= 0 || bar.height <= 0) continue;
    cv::rectangle(fill, cv::Rect(cv::Point(int(std::lround(bar.x)), int(std::lround(bar.y))),
                                 cv::Point(int(std::lround(bar.br().x)), int(std::lround(bar.br().y)))),
                  histogram.colour, cv::FILLED);
  }
  cv::Mat roi = image(frame.area);
  cv::addWeighted(fill(frame.area), kHistogramAlpha, roi, 1 - kHistogramAlpha, 0, roi);
  const cv::Rect2d clip = expanded(frame.area, 0);
  for (std::size_t i = 1; i < outline.size(); ++i) {
    if (outline[i - 1] == outline[i]) continue;
    draw_segment(image, outline[i - 1], outline[i], clip, histogram.colour, style.thickness(1.5));
  }
}

void draw_line(cv::Mat& image, const Frame& frame, const Chart::Line& line, const Style& style) {
  const cv::Rect2d clip = expanded(frame.area, 0);
  const int thickness = std::max(1, static_cast<int>(std::lround(line.thickness * style.unit)));
  if (line.xs.size() == 1) {
    const cv::Point2d p = frame.to_pixel(line.xs[0], line.ys[0]);
    if (clip.contains(p)) cv::circle(image, subpixel(p), thickness * 16, line.colour, cv::FILLED, cv::LINE_AA, kSubpixelBits);
    return;
  }
  for (std::size_t i = 1; i < line.xs.size(); ++i) {
    draw_segment(image, frame.to_pixel(line.xs[i - 1], line.ys[i - 1]),
                 frame.to_pixel(line.xs[i], line.ys[i]), clip, line.colour, thickness);
  }
}

// Labels of successive markers are stacked downwards so that close markers stay legible.
void draw_marker(cv::Mat& image, const Frame& frame, const Chart::Marker& marker,
                 std::size_t index, const Style& style) {
  const double x = frame.x_pixel(marker.x);
  if (x < frame.area.x || x > frame.area.br().x) return;
  draw_dashed(image, {x, double(frame.area.y)}, {x, double(frame.area.br().y)},
              expanded(frame.area, 0), marker.colour, style.thickness(1.5), style.px(kDash));
  if (marker.label.empty()) return;
  const double font = style.font(kLegendFont);
  const cv::Size size = text_size(marker.label, font, style.thickness());
  // Label to the right of the line unless it would leave the plot.
  const bool right = x + style.px(6) + size.width < frame.area.br().x;
  draw_label_box(image, marker.label, right ? x + style.px(6) : x - style.px(6),
                 frame.area.y + style.px(8) + index * (size.height + style.px(10)), font,
                 style.thickness(), marker.colour,
                 right ? Align::kLeft : Align::kRight, style);
}

void draw_point(cv::Mat& image, const Frame& frame, const Chart::Point& point, const Style& style) {
  const cv::Point2d p = frame.to_pixel(point.x, point.y);
  if (!expanded(frame.area, 0).contains(p)) return;
  const int radius = static_cast<int>(std::lround(style.px(kPointRadius) * 16));
  cv::circle(image, subpixel(p), radius, point.colour, cv::FILLED, cv::LINE_AA, kSubpixelBits);
  cv::circle(image, subpixel(p), radius, kText, style.thickness(), cv::LINE_AA, kSubpixelBits);
  if (point.label.empty()) return;
  const double font = style.font(kLegendFont);
  const cv::Size size = text_size(point.label, font, style.thickness());
  const double gap = style.px(kPointRadius + 6);
  const bool right = p.x + gap + size.width < frame.area.br().x;
  const double top = std::max<double>(frame.area.y + style.px(4), p.y - gap - size.height);
  draw_label_box(image, point.label, right ? p.x + gap : p.x - gap, top, font, style.thickness(),
                 kText, right ? Align::kLeft : Align::kRight, style);
}

struct LegendEntry {
  enum Kind { kLine, kBar, kDot } kind;
  std::string name;
  cv::Scalar colour;
};

void draw_legend(cv::Mat& image, const Frame& frame, const std::vector<LegendEntry>& entries,
                 Corner corner, const Style& style) {
  if (entries.empty()) return;
  const double font = style.font(kLegendFont);
  const int thickness = style.thickness();
  const double swatch = style.px(26), gap = style.px(8), row = text_size("Ag", font, thickness).height + style.px(6);
  double text_width = 0;
  for (const auto& e : entries) text_width = std::max<double>(text_width, text_size(e.name, font, thickness).width);
  const double width = gap + swatch + gap + text_width + gap;
  const double height = gap + row * entries.size() + gap - style.px(6);
  const double inset = style.px(10);
  const bool left = corner == Corner::kTopLeft || corner == Corner::kBottomLeft;
  const bool top = corner == Corner::kTopLeft || corner == Corner::kTopRight;
  const double x0 = left ? frame.area.x + inset : frame.area.br().x - inset - width;
  const double y0 = top ? frame.area.y + inset : frame.area.br().y - inset - height;
  const cv::Rect box{int(x0), int(y0), int(width), int(height)};
  cv::rectangle(image, box, kWhite, cv::FILLED);
  cv::rectangle(image, box, kFrame, 1);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const double top_y = y0 + gap + row * i;
    const double mid_y = top_y + (row - style.px(6)) / 2;
    const double sx = x0 + gap;
    switch (e.kind) {
      case LegendEntry::kLine:
        cv::line(image, subpixel({sx, mid_y}), subpixel({sx + swatch, mid_y}), e.colour,
                 style.thickness(2), cv::LINE_AA, kSubpixelBits);
        break;
      case LegendEntry::kBar: {
        cv::Rect bar(int(sx), int(mid_y - style.px(6)), int(swatch), int(style.px(12)));
        cv::Mat roi = image(bar & cv::Rect(0, 0, image.cols, image.rows));
        cv::Mat tint(roi.size(), roi.type(), e.colour);
        cv::addWeighted(tint, kHistogramAlpha, roi, 1 - kHistogramAlpha, 0, roi);
        cv::rectangle(image, bar, e.colour, style.thickness(1.5));
        break;
      }
      case LegendEntry::kDot:
        cv::circle(image, subpixel({sx + swatch / 2, mid_y}), int(style.px(kPointRadius) * 16),
                   e.colour, cv::FILLED, cv::LINE_AA, kSubpixelBits);
        break;
    }
    draw_text(image, e.name, sx + swatch + gap, top_y, font, thickness, kText, Align::kLeft);
  }
}

// Tick labels along the axes. Labels are placed by priority (decades first); one that
// would touch a label already placed is skipped.
void draw_tick_labels(cv::Mat& image, const Frame& frame, const std::vector<Tick>& x_ticks,
                      const std::vector<Tick>& y_ticks, const Style& style) {
  const double font = style.font(kTickFont);
  const int thickness = style.thickness();
  const double tick = style.px(kTickLength);
  const double gap = style.px(6);
  int lowest_priority = 0;
  for (const auto& t : x_ticks) lowest_priority = std::max(lowest_priority, t.priority);
  for (const auto& t : y_ticks) lowest_priority = std::max(lowest_priority, t.priority);

  std::vector<std::pair<double, double>> taken_x, taken_y;  // occupied [from, to] intervals
  auto is_free = [](const std::vector<std::pair<double, double>>& taken, double from, double to) {
    for (const auto& [a, b] : taken) {
      if (from < b && to > a) return false;
    }
    return true;
  };
  for (int priority = 0; priority <= lowest_priority; ++priority) {
    for (const auto& t : x_ticks) {
      if (t.label.empty() || t.priority != priority) continue;
      const double x = frame.x_pixel(t.value);
      const cv::Size size = text_size(t.label, font, thickness);
      const double from = x - size.width / 2.0 - gap / 2, to = x + size.width / 2.0 + gap / 2;
      if (!is_free(taken_x, from, to)) continue;
      taken_x.emplace_back(from, to);
      cv::line(image, {int(std::lround(x)), frame.area.br().y},
               {int(std::lround(x)), frame.area.br().y + int(tick)}, kFrame, 1);
      draw_text(image, t.label, x, frame.area.br().y + tick + style.px(3), font, thickness, kText,
                Align::kCentre);
    }
    for (const auto& t : y_ticks) {
      if (t.label.empty() || t.priority != priority) continue;
      const double y = frame.y_pixel(t.value);
      const cv::Size size = text_size(t.label, font, thickness);
      const double from = y - size.height / 2.0 - gap / 3, to = y + size.height / 2.0 + gap / 3;
      if (!is_free(taken_y, from, to)) continue;
      taken_y.emplace_back(from, to);
      cv::line(image, {frame.area.x - int(tick), int(std::lround(y))},
               {frame.area.x, int(std::lround(y))}, kFrame, 1);
      draw_text(image, t.label, frame.area.x - tick - style.px(4), y - size.height / 2.0, font,
                thickness, kText, Align::kRight);
    }
  }
}

}  // namespace

Chart& Chart::title(std::string text) {
  title_ = std::move(text);
  return *this;
}

Chart& Chart::subtitle(std::string text) {
  subtitle_ = std::move(text);
  return *this;
}

Chart& Chart::x_axis(std::string label, Scale scale, double min, double max) {
  check_axis_range("x", label, scale, min, max);
  x_ = {std::move(label), scale, min, max};
  return *this;
}

Chart& Chart::x_axis(std::string label, Scale scale) {
  x_ = {std::move(label), scale, std::nullopt, std::nullopt};
  return *this;
}

Chart& Chart::y_axis(std::string label, Scale scale, double min, double max) {
  check_axis_range("y", label, scale, min, max);
  y_ = {std::move(label), scale, min, max};
  return *this;
}

Chart& Chart::y_axis(std::string label, Scale scale) {
  y_ = {std::move(label), scale, std::nullopt, std::nullopt};
  return *this;
}

Chart& Chart::add_line(std::string name, std::vector<double> xs, std::vector<double> ys,
                       cv::Scalar colour, double thickness) {
  TP_CHECK(!xs.empty() && !ys.empty(), kInvalidArgument, "line '" << name << "' has no points");
  TP_CHECK(xs.size() == ys.size(), kInvalidArgument,
           "line '" << name << "' has " << xs.size() << " x values but " << ys.size()
                    << " y values");
  for (std::size_t i = 0; i < xs.size(); ++i) {
    TP_CHECK(std::isfinite(xs[i]) && std::isfinite(ys[i]), kInvalidArgument,
             "line '" << name << "': point " << i << " (" << xs[i] << ", " << ys[i]
                      << ") is not finite");
  }
  TP_CHECK(std::isfinite(thickness) && thickness > 0, kInvalidArgument,
           "line '" << name << "': thickness " << thickness << " must be positive");
  lines_.push_back({std::move(name), std::move(xs), std::move(ys), colour, thickness});
  return *this;
}

Chart& Chart::add_histogram(std::string name, std::vector<double> bin_edges,
                            std::vector<double> counts, cv::Scalar colour) {
  TP_CHECK(!counts.empty(), kInvalidArgument, "histogram '" << name << "' has no bins");
  TP_CHECK(bin_edges.size() == counts.size() + 1, kInvalidArgument,
           "histogram '" << name << "' has " << counts.size() << " counts, so it needs "
                         << counts.size() + 1 << " bin edges, not " << bin_edges.size());
  for (std::size_t i = 0; i < bin_edges.size(); ++i) {
    TP_CHECK(std::isfinite(bin_edges[i]), kInvalidArgument,
             "histogram '" << name << "': bin edge " << i << " is not finite");
    TP_CHECK(i == 0 || bin_edges[i] > bin_edges[i - 1], kInvalidArgument,
             "histogram '" << name << "': bin edges must increase, but edge " << i << " ("
                           << bin_edges[i] << ") is not above edge " << i - 1 << " ("
                           << bin_edges[i - 1] << ")");
  }
  for (std::size_t i = 0; i < counts.size(); ++i) {
    TP_CHECK(std::isfinite(counts[i]) && counts[i] >= 0, kInvalidArgument,
             "histogram '" << name << "': count " << counts[i] << " in bin " << i
                           << " must be finite and not negative");
  }
  histograms_.push_back({std::move(name), std::move(bin_edges), std::move(counts), colour});
  return *this;
}

Chart& Chart::add_vertical_marker(double x, std::string label, cv::Scalar colour) {
  TP_CHECK(std::isfinite(x), kInvalidArgument, "marker '" << label << "' at x " << x << " is not finite");
  markers_.push_back({x, std::move(label), colour});
  return *this;
}

Chart& Chart::add_point(double x, double y, std::string label, cv::Scalar colour) {
  TP_CHECK(std::isfinite(x) && std::isfinite(y), kInvalidArgument,
           "point '" << label << "' at (" << x << ", " << y << ") is not finite");
  points_.push_back({x, y, std::move(label), colour});
  return *this;
}

Chart& Chart::legend(Corner corner) {
  legend_corner_ = corner;
  return *this;
}

cv::Mat Chart::render(int width, int height) const {
  TP_CHECK(width >= kMinSide && height >= kMinSide && width <= kMaxSide && height <= kMaxSide,
           kInvalidArgument,
           "chart size " << width << "x" << height << " is outside " << kMinSide << ".." << kMaxSide
                         << " pixels per side");
  // Every value must be showable on its axis's scale.
  std::vector<double> x_values, y_values;
  for (const auto& line : lines_) {
    for (std::size_t i = 0; i < line.xs.size(); ++i) {
      check_series_value("line", line.name, "x", x_, line.xs[i], i);
      check_series_value("line", line.name, "y", y_, line.ys[i], i);
    }
    x_values.insert(x_values.end(), line.xs.begin(), line.xs.end());
    y_values.insert(y_values.end(), line.ys.begin(), line.ys.end());
  }
  for (const auto& histogram : histograms_) {
    for (std::size_t i = 0; i < histogram.edges.size(); ++i) {
      check_series_value("histogram", histogram.name, "x", x_, histogram.edges[i], i);
    }
    for (std::size_t i = 0; i < histogram.counts.size(); ++i) {
      // Empty bins are simply not drawn on log axes.
      if (histogram.counts[i] == 0 && y_.scale == Scale::kLog10) continue;
      check_series_value("histogram", histogram.name, "y", y_, histogram.counts[i], i);
    }
    x_values.insert(x_values.end(), histogram.edges.begin(), histogram.edges.end());
    y_values.insert(y_values.end(), histogram.counts.begin(), histogram.counts.end());
  }
  for (std::size_t i = 0; i < markers_.size(); ++i) {
    check_series_value("marker", markers_[i].label, "x", x_, markers_[i].x, i);
    x_values.push_back(markers_[i].x);
  }
  for (std::size_t i = 0; i < points_.size(); ++i) {
    check_series_value("point", points_[i].label, "x", x_, points_[i].x, i);
    check_series_value("point", points_[i].label, "y", y_, points_[i].y, i);
    x_values.push_back(points_[i].x);
    y_values.push_back(points_[i].y);
  }

  Frame frame;
  frame.x = resolve_axis("x", x_, x_values, false);
  frame.y = resolve_axis("y", y_, y_values, !histograms_.empty());
  const auto x_ticks = axis_ticks(frame.x.scale, frame.x.min, frame.x.max);
  const auto y_ticks = axis_ticks(frame.y.scale, frame.y.min, frame.y.max);

  Style style;
  style.unit = std::clamp(std::min(width, height) / kReferenceSide, 0.5, 4.0);
  const int thin = style.thickness();
  const double pad = style.px(kPadding);

  // Margins from the sizes of the texts around the plot area.
  const double title_height = title_.empty() ? 0 : text_size(title_, style.font(kTitleFont), style.thickness(1.6)).height + pad / 2;
  std::vector<std::string> subtitle_lines;
  for (std::size_t from = 0; !subtitle_.empty() && from <= subtitle_.size();) {
    const std::size_t end = std::min(subtitle_.find('\n', from), subtitle_.size());
    subtitle_lines.push_back(subtitle_.substr(from, end - from));
    from = end + 1;
  }
  const double subtitle_line_height = text_size("Ag", style.font(kSubtitleFont), thin).height + style.px(4);
  const double subtitle_height = subtitle_lines.empty() ? 0 : subtitle_line_height * subtitle_lines.size() + pad / 2;
  const double axis_label_height = text_size("Ag", style.font(kAxisLabelFont), thin).height;
  const double tick_label_height = text_size("0", style.font(kTickFont), thin).height;
  double y_tick_width = 0;
  for (const auto& t : y_ticks) y_tick_width = std::max<double>(y_tick_width, text_size(t.label, style.font(kTickFont), thin).width);
  double last_x_label = 0;
  for (const auto& t : x_ticks) if (!t.label.empty()) last_x_label = text_size(t.label, style.font(kTickFont), thin).width;
  const int left = int(pad + (y_.label.empty() ? 0 : axis_label_height + pad) + y_tick_width + style.px(kTickLength) + style.px(6));
  const int top = int(pad + title_height + subtitle_height + pad / 2);
  const int bottom = int(pad + (x_.label.empty() ? 0 : axis_label_height + pad / 2) + tick_label_height + style.px(kTickLength) + style.px(6));
  const int right = int(std::max(pad * 1.5, last_x_label / 2 + pad));
  frame.area = cv::Rect(left, top, width - left - right, height - top - bottom);
  TP_CHECK(frame.area.width >= 60 && frame.area.height >= 60, kInvalidArgument,
           "chart size " << width << "x" << height << " leaves no room to plot beside the labels");

  cv::Mat image(height, width, CV_8UC3, kWhite);
  draw_grid(image, frame, x_ticks, y_ticks);
  for (const auto& histogram : histograms_) draw_histogram(image, frame, histogram, style);
  for (std::size_t i = 0; i < markers_.size(); ++i) draw_marker(image, frame, markers_[i], i, style);
  for (const auto& line : lines_) draw_line(image, frame, line, style);
  for (const auto& point : points_) draw_point(image, frame, point, style);
  cv::rectangle(image, frame.area, kFrame, 1);
  draw_tick_labels(image, frame, x_ticks, y_ticks, style);

  std::vector<LegendEntry> entries;
  for (const auto& h : histograms_) if (!h.name.empty()) entries.push_back({LegendEntry::kBar, h.name, h.colour});
  for (const auto& l : lines_) if (!l.name.empty()) entries.push_back({LegendEntry::kLine, l.name, l.colour});
  for (const auto& p : points_) if (!p.label.empty()) entries.push_back({LegendEntry::kDot, p.label, p.colour});
  draw_legend(image, frame, entries, legend_corner_, style);

  if (!title_.empty()) {
    draw_text(image, title_, width / 2.0, pad, style.font(kTitleFont), style.thickness(1.6), kText, Align::kCentre);
  }
  for (std::size_t i = 0; i < subtitle_lines.size(); ++i) {
    draw_text(image, subtitle_lines[i], width / 2.0, pad + title_height + i * subtitle_line_height,
              style.font(kSubtitleFont), thin, kFrame, Align::kCentre);
  }
  if (!x_.label.empty()) {
    draw_text(image, x_.label, frame.area.x + frame.area.width / 2.0, height - pad - axis_label_height,
              style.font(kAxisLabelFont), thin, kText, Align::kCentre);
  }
  if (!y_.label.empty()) {
    draw_vertical_text(image, y_.label, pad + axis_label_height / 2.0,
                       frame.area.y + frame.area.height / 2.0, style.font(kAxisLabelFont), thin, kText);
  }
  return image;
}

void Chart::save_png(const std::string& path, int width, int height) const {
  write_png(path, render(width, height));
}

void write_png(const std::string& path, const cv::Mat& image) {
  TP_CHECK(!image.empty(), kInvalidArgument, "cannot write an empty image to " << path);
  std::vector<uchar> bytes;
  bool encoded = false;
  try {
    encoded = cv::imencode(".png", image, bytes);
  } catch (const cv::Exception& e) {
    TP_THROW(kInternal, "PNG encoding for " << path << " failed: " << e.what());
  }
  TP_CHECK(encoded, kInternal, "PNG encoding for " << path << " failed");
  write_file_durably(path, path + ".tmp",
                     std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace tuskprint::plot
