#include "chart/finger_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "image/decode.hpp"
#include "ridge/extract.hpp"
#include "ridge/template_io.hpp"

namespace tuskprint::chart {
namespace {

// ---- tuning constants (pixels of the output picture) ----
constexpr int kPanelHeight = 640;        // both prints are scaled to this height
constexpr int kMargin = 24;
constexpr int kPanelGap = 70;            // room for the pair lines between the prints
constexpr int kMinWidth = 1000;          // the caption needs this much
constexpr int kTitleBand = 56;
constexpr int kLabelBand = 34;           // file name under each print
constexpr int kCaptionBand = 118;
constexpr double kRidgeContrast = 0.55;  // prints are lightened so the marks stand out
constexpr double kMinutiaRadius = 6;
constexpr double kTickLength = 15;
constexpr double kPairLineOpacity = 0.6;    // the ridges stay visible under the lines
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
const cv::Scalar kUnpaired{70, 70, 70};
const cv::Scalar kText{35, 35, 35};
const cv::Scalar kMuted{100, 100, 100};
const cv::Scalar kWhite{255, 255, 255};
// Similarity colour stops (BGR): Okabe-Ito vermillion, reddish purple, blue.
const cv::Scalar kWeak{0, 94, 213};
const cv::Scalar kMiddle{167, 121, 204};
const cv::Scalar kStrong{178, 114, 0};
// The colour scale is logarithmic: LSS-R relaxed similarities of non-mated pairs sit near
// 0.01-0.03 and mated ones spread over 0.05-0.5 (FVC2002 DB1_B), so a linear 0..1 ramp
// would paint them all alike.
constexpr double kColourLow = 0.01;   // this similarity and below: weakest colour
constexpr double kColourHigh = 0.5;   // this and above: strongest colour

constexpr int kShift = 4;  // cv drawing sub-pixel bits
cv::Point sub(cv::Point2d p) { return {int(std::lround(p.x * 16)), int(std::lround(p.y * 16))}; }

std::string fixed(double v, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

void text(cv::Mat& image, const std::string& s, cv::Point2d baseline_left, double scale,
          const cv::Scalar& colour, int thickness = 1) {
  cv::putText(image, s, cv::Point(int(baseline_left.x), int(baseline_left.y)), kFont, scale, colour,
              thickness, cv::LINE_AA);
}

// Text with a white halo, readable over ridges.
void halo_text(cv::Mat& image, const std::string& s, cv::Point2d at, double scale,
               const cv::Scalar& colour) {
  const cv::Point p(int(at.x), int(at.y));
  cv::putText(image, s, p, kFont, scale, kWhite, 4, cv::LINE_AA);
  cv::putText(image, s, p, kFont, scale, colour, 1, cv::LINE_AA);
}

struct Panel {
  cv::Rect area;   // in the output picture
  double scale;    // output px per template px
  cv::Point2d at(const ridge::Minutia& m) const {
    return {area.x + (m.x + 0.5) * scale, area.y + (m.y + 0.5) * scale};
  }
};

// The print, lightened, or for a template file its foreground blocks on a grey field.
cv::Mat panel_picture(const FingerSide& side, cv::Size size) {
  cv::Mat grey;
  const ridge::FingerTemplate& t = side.finger;
  if (!side.grey.empty()) {
    cv::resize(side.grey, grey, size, 0, 0, cv::INTER_AREA);
    grey.convertTo(grey, CV_8U, kRidgeContrast, 255 * (1 - kRidgeContrast));
  } else {
    grey = cv::Mat(size, CV_8U, cv::Scalar(225));
    if (t.mask_block_size > 0 && !t.foreground_mask.empty()) {
      const int cols = (t.width + t.mask_block_size - 1) / t.mask_block_size;
      const int rows = (t.height + t.mask_block_size - 1) / t.mask_block_size;
      if (static_cast<int>(t.foreground_mask.size()) == rows * cols) {
        cv::Mat blocks(rows, cols, CV_8U, const_cast<std::uint8_t*>(t.foreground_mask.data()));
        cv::Mat mask;
        cv::resize(blocks, mask, size, 0, 0, cv::INTER_NEAREST);
        grey.setTo(cv::Scalar(250), mask);
      }
    }
    cv::putText(grey, "template file: no image", {10, size.height - 12}, kFont, 0.5,
                cv::Scalar(110), 1, cv::LINE_AA);
  }
  cv::Mat colour;
  cv::cvtColor(grey, colour, cv::COLOR_GRAY2BGR);
  return colour;
}

void draw_minutia(cv::Mat& image, cv::Point2d p, double direction, const cv::Scalar& colour,
                  int thickness, double radius) {
  cv::circle(image, sub(p), int(std::lround(radius * 16)), colour, thickness, cv::LINE_AA, kShift);
  // Direction is counter-clockwise from +x with y up: image vector (cos d, -sin d).
  const cv::Point2d from = p + radius * cv::Point2d(std::cos(direction), -std::sin(direction));
  const cv::Point2d to = p + (radius + kTickLength) * cv::Point2d(std::cos(direction), -std::sin(direction));
  cv::line(image, sub(from), sub(to), colour, thickness, cv::LINE_AA, kShift);
}

double colour_position(double similarity) {
  const double s = std::isfinite(similarity) ? std::max(similarity, kColourLow) : kColourLow;
  return std::clamp(std::log(s / kColourLow) / std::log(kColourHigh / kColourLow), 0.0, 1.0);
}

void draw_colour_bar(cv::Mat& image, cv::Point top_left) {
  const int width = 260, height = 12;
  for (int x = 0; x < width; ++x) {
    const double t = double(x) / (width - 1);
    const double similarity = kColourLow * std::pow(kColourHigh / kColourLow, t);
    cv::line(image, {top_left.x + x, top_left.y}, {top_left.x + x, top_left.y + height},
             similarity_colour(similarity), 1);
  }
  cv::rectangle(image, cv::Rect(top_left.x, top_left.y, width, height), kMuted, 1);
  for (double tick : {0.01, 0.03, 0.1, 0.3}) {
    const double x = top_left.x + colour_position(tick) * (width - 1);
    cv::line(image, cv::Point(int(x), top_left.y + height), cv::Point(int(x), top_left.y + height + 4), kMuted, 1);
    text(image, fixed(tick, 2), {x - 12, double(top_left.y + height + 18)}, 0.42, kText);
  }
  text(image, "pair colour: relaxed similarity (log scale)", {double(top_left.x), double(top_left.y - 8)}, 0.42, kText);
}

// Both prints are drawn at the same height, so their scales may differ: the label says
// how many picture pixels one millimetre of skin takes.
std::string side_caption(const char* role, const FingerSide& side, std::size_t minutiae, double scale) {
  const double px_per_mm = scale * side.finger.ppi / 25.4;
  std::string s = std::string(role) + ": " + side.label + "   " + std::to_string(minutiae) +
                  " minutiae, quality " + fixed(side.finger.quality, 0) + ", shown at " + fixed(px_per_mm, 1) +
                  " px/mm";
  if (side.finger.too_poor_to_search) s += " (too poor to search)";
  return s;
}

}  // namespace

cv::Scalar similarity_colour(double similarity) {
  const double t = colour_position(similarity);
  const auto mix = [](const cv::Scalar& a, const cv::Scalar& b, double f) { return a * (1 - f) + b * f; };
  return t < 0.5 ? mix(kWeak, kMiddle, t / 0.5) : mix(kMiddle, kStrong, (t - 0.5) / 0.5);
}

FingerSide load_finger_side(const std::string& path, int ppi) {
  const std::string bytes = image::read_file_bytes(path);
  FingerSide side;
  side.label = std::filesystem::path(path).filename().string();
  if (std::string_view(bytes).substr(0, ridge::kTemplateFileTag.size()) == ridge::kTemplateFileTag) {
    side.finger = ridge::decode_template_file(bytes);
    return side;
  }
  const image::DecodedImage decoded = image::decode(bytes);
  side.finger = ridge::extract(decoded.grey, ppi);
  cv::resize(decoded.grey, side.grey, cv::Size(side.finger.width, side.finger.height), 0, 0,
             cv::INTER_AREA);
  return side;
}

FingerComparison compare_fingers(const FingerSide& probe, const FingerSide& gallery, match::Mode mode) {
  const match::MatchTemplate p(probe.finger), g(gallery.finger);
  FingerComparison c;
  c.details = match::match_details(p, g, mode);
  c.probe_minutiae = p.minutiae();
  c.gallery_minutiae = g.minutiae();
  std::stable_sort(c.details.pairs.begin(), c.details.pairs.end(), [](const auto& x, const auto& y) {
    return x.relaxed_similarity > y.relaxed_similarity;
  });
  return c;
}

cv::Mat render_finger_chart(const FingerSide& probe, const FingerSide& gallery,
                            const FingerComparison& comparison, const std::string& lr_text) {
  for (const FingerSide* side : {&probe, &gallery}) {
    TP_CHECK(side->finger.width > 0 && side->finger.height > 0, kInvalidArgument,
             "finger '" << side->label << "' has no size (" << side->finger.width << "x"
                        << side->finger.height << ")");
  }
  const auto& pairs = comparison.details.pairs;
  for (const auto& pair : pairs) {
    TP_CHECK(pair.probe_minutia >= 0 && pair.probe_minutia < int(comparison.probe_minutiae.size()) &&
                 pair.gallery_minutia >= 0 && pair.gallery_minutia < int(comparison.gallery_minutiae.size()),
             kInvalidArgument,
             "paired minutiae (" << pair.probe_minutia << ", " << pair.gallery_minutia
                                 << ") are outside the minutia lists");
  }

  // Layout: title, two panels of equal height, labels, caption.
  Panel left, right;
  left.scale = double(kPanelHeight) / probe.finger.height;
  right.scale = double(kPanelHeight) / gallery.finger.height;
  const int left_width = int(std::lround(probe.finger.width * left.scale));
  const int right_width = int(std::lround(gallery.finger.width * right.scale));
  const int content = left_width + kPanelGap + right_width;
  const int width = std::max(kMinWidth, content + 2 * kMargin);
  const int height = kTitleBand + kPanelHeight + kLabelBand + kCaptionBand;
  const int x0 = (width - content) / 2;
  left.area = cv::Rect(x0, kTitleBand, left_width, kPanelHeight);
  right.area = cv::Rect(x0 + left_width + kPanelGap, kTitleBand, right_width, kPanelHeight);

  cv::Mat image(height, width, CV_8UC3, kWhite);
  panel_picture(probe, left.area.size()).copyTo(image(left.area));
  panel_picture(gallery, right.area.size()).copyTo(image(right.area));
  cv::rectangle(image, left.area, kMuted, 1);
  cv::rectangle(image, right.area, kMuted, 1);

  // Every minutia, thin and grey; the paired ones are drawn over in colour below.
  for (const auto& m : comparison.probe_minutiae) draw_minutia(image, left.at(m), m.direction, kUnpaired, 1, kMinutiaRadius - 1);
  for (const auto& m : comparison.gallery_minutiae) draw_minutia(image, right.at(m), m.direction, kUnpaired, 1, kMinutiaRadius - 1);

  // Pair lines, weakest first so the strongest end up on top.
  cv::Mat lines = image.clone();
  for (auto it = pairs.rbegin(); it != pairs.rend(); ++it) {
    const auto& a = comparison.probe_minutiae[it->probe_minutia];
    const auto& b = comparison.gallery_minutiae[it->gallery_minutia];
    cv::line(lines, sub(left.at(a)), sub(right.at(b)), similarity_colour(it->relaxed_similarity), 2,
             cv::LINE_AA, kShift);
  }
  cv::addWeighted(lines, kPairLineOpacity, image, 1 - kPairLineOpacity, 0, image);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& a = comparison.probe_minutiae[pairs[i].probe_minutia];
    const auto& b = comparison.gallery_minutiae[pairs[i].gallery_minutia];
    const cv::Scalar colour = similarity_colour(pairs[i].relaxed_similarity);
    draw_minutia(image, left.at(a), a.direction, colour, 2, kMinutiaRadius + 1);
    draw_minutia(image, right.at(b), b.direction, colour, 2, kMinutiaRadius + 1);
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const std::string number = std::to_string(i + 1);
    const auto& a = comparison.probe_minutiae[pairs[i].probe_minutia];
    const auto& b = comparison.gallery_minutiae[pairs[i].gallery_minutia];
    halo_text(image, number, left.at(a) + cv::Point2d(-8 - 8.0 * number.size(), -8), 0.45, kText);
    halo_text(image, number, right.at(b) + cv::Point2d(9, -8), 0.45, kText);
  }

  // Title, labels, caption.
  const auto& d = comparison.details;
  text(image, "Finger comparison: " + probe.label + "  vs  " + gallery.label, {double(kMargin), 36}, 0.75, kText, 2);
  const double label_y = kTitleBand + kPanelHeight + 22;
  text(image, side_caption("Probe", probe, comparison.probe_minutiae.size(), left.scale), {double(left.area.x), label_y}, 0.45, kText);
  text(image, side_caption("Gallery", gallery, comparison.gallery_minutiae.size(), right.scale), {double(right.area.x), label_y}, 0.45, kText);
  const double caption_y = kTitleBand + kPanelHeight + kLabelBand + 28;
  text(image, "Score " + fixed(d.score, 4) + " (" + match::to_string(d.mode) + ")     " +
                  std::to_string(pairs.size()) + " paired minutiae (numbered best first; nP " +
                  std::to_string(d.pairs_required) + ")",
       {double(kMargin), caption_y}, 0.6, kText, 2);
  text(image, "Minutiae: probe " + std::to_string(comparison.probe_minutiae.size()) + ", gallery " +
                  std::to_string(comparison.gallery_minutiae.size()) + "     valid cylinders: " +
                  std::to_string(d.probe_cylinders) + ", " + std::to_string(d.gallery_cylinders),
       {double(kMargin), caption_y + 30}, 0.5, kText);
  text(image, lr_text, {double(kMargin), caption_y + 58}, 0.55, kText, lr_text.rfind("LR:", 0) == 0 ? 1 : 2);
  draw_colour_bar(image, {width - kMargin - 290, int(caption_y + 30)});
  return image;
}

}  // namespace tuskprint::chart
