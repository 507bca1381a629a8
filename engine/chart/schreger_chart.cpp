#include "chart/schreger_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::chart {
namespace {

// ---- tuning constants (pixels of the output picture) ----
constexpr int kPanelSide = 600;            // each section is drawn in a square this size
constexpr double kSectionFill = 0.46;      // farthest outline point at this share of the side
constexpr int kMargin = 24;
constexpr int kPanelGap = 30;
constexpr int kTitleBand = 56;
constexpr int kLabelBand = 34;
constexpr int kCaptionBand = 124;
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kLabelSpacingDeg = 24;    // at most one outer-angle value per this much arc
const cv::Scalar kOutline{60, 190, 0};     // outer edge
const cv::Scalar kCdj{230, 110, 0};        // cementum-dentine junction
const cv::Scalar kCentre{40, 40, 220};
const cv::Scalar kAngleLines{30, 30, 200};
const cv::Scalar kText{35, 35, 35};
const cv::Scalar kMuted{100, 100, 100};
const cv::Scalar kWhite{255, 255, 255};

std::string fixed(double v, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

void text(cv::Mat& image, const std::string& s, cv::Point2d at, double scale, const cv::Scalar& colour,
          int thickness = 1) {
  cv::putText(image, s, cv::Point(int(at.x), int(at.y)), kFont, scale, colour, thickness, cv::LINE_AA);
}

void halo_text(cv::Mat& image, const std::string& s, cv::Point2d at, double scale, const cv::Scalar& colour) {
  cv::putText(image, s, cv::Point(int(at.x), int(at.y)), kFont, scale, kWhite, 3, cv::LINE_AA);
  cv::putText(image, s, cv::Point(int(at.x), int(at.y)), kFont, scale, colour, 1, cv::LINE_AA);
}

cv::Point2d apply(const cv::Matx23d& m, cv::Point2d p) {
  return {m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2), m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2)};
}

cv::Matx23d compose(const cv::Matx23d& outer, const cv::Matx23d& inner) {
  const cv::Matx33d o(outer(0, 0), outer(0, 1), outer(0, 2), outer(1, 0), outer(1, 1), outer(1, 2), 0, 0, 1);
  const cv::Matx33d i(inner(0, 0), inner(0, 1), inner(0, 2), inner(1, 0), inner(1, 1), inner(1, 2), 0, 0, 1);
  const cv::Matx33d r = o * i;
  return {r(0, 0), r(0, 1), r(0, 2), r(1, 0), r(1, 1), r(1, 2)};
}

// Farthest outline point from the centre (source px): how much room the section needs.
double reach(const schreger::SchregerResult& r) {
  double far = 0;
  for (const auto& p : r.outline) far = std::max(far, cv::norm(cv::Point2d(p) - r.centre));
  return far;
}

std::string species_line(const char* name, const SchregerSide& side) {
  const auto& r = side.result;
  std::string s = std::string(name) + ": " + schreger::to_string(r.species);
  if (r.angles.outer_count > 0) {
    s += ", outer angle " + fixed(r.angles.outer_mean_deg, 1) + " +- " + fixed(r.angles.outer_sd_deg, 1) +
         " deg (n=" + std::to_string(r.angles.outer_count) + ")";
  } else {
    s += ", no outer angle measured";
  }
  s += r.cdj_found ? ", CDJ found" : ", no CDJ";
  return s;
}

// Draws one section into its panel through `to_panel` (source px -> picture px).
void draw_section(cv::Mat& picture, const cv::Rect& panel, const SchregerSide& side, const cv::Matx23d& to_panel) {
  // Large scans are reduced first (area averaging) so the warp does not alias.
  const cv::Mat& source = side.scan.colour.empty() ? side.scan.grey : side.scan.colour;
  const double scale = std::hypot(to_panel(0, 0), to_panel(1, 0));
  cv::Mat reduced = source;
  double reduction = 1;
  if (scale < 0.5) {
    reduction = std::min(1.0, 2 * scale);
    cv::resize(source, reduced, cv::Size(), reduction, reduction, cv::INTER_AREA);
  }
  if (reduced.channels() == 1) cv::cvtColor(reduced, reduced, cv::COLOR_GRAY2BGR);
  const cv::Matx23d from_reduced = compose(to_panel, cv::Matx23d(1 / reduction, 0, 0, 0, 1 / reduction, 0));
  const cv::Matx23d local = compose(cv::Matx23d(1, 0, -panel.x, 0, 1, -panel.y), from_reduced);
  cv::Mat warped;
  cv::warpAffine(reduced, warped, cv::Mat(local), panel.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, kWhite);
  warped.copyTo(picture(panel));

  const auto& r = side.result;
  cv::Mat clip = picture(panel);
  const cv::Point2d offset(panel.x, panel.y);
  auto local_point = [&](cv::Point2d p) {
    const cv::Point2d q = apply(to_panel, p) - offset;
    return cv::Point(int(std::lround(q.x * 16)), int(std::lround(q.y * 16)));
  };
  if (!r.outline.empty()) {
    std::vector<cv::Point> outline;
    for (const auto& p : r.outline) outline.push_back(local_point(p));
    cv::polylines(clip, outline, true, kOutline, 2, cv::LINE_AA, 4);
  }
  for (const auto& p : r.cdj_line) {
    cv::circle(clip, local_point(p), 2 * 16, r.cdj_found ? kCdj : kMuted, cv::FILLED, cv::LINE_AA, 4);
  }
  if (r.section_found) {
    const cv::Point2d c = apply(to_panel, r.centre) - offset;
    cv::drawMarker(clip, cv::Point(int(c.x), int(c.y)), kCentre, cv::MARKER_CROSS, 16, 2, cv::LINE_AA);
  }
  // Each measured outer angle: its two line directions through the patch centre; values
  // are written for one patch per kLabelSpacingDeg of polar angle, so they stay legible.
  double last_label_deg = -1e9, first_label_deg = 1e9;
  std::vector<const schreger::PatchFamilies*> outer;
  for (const schreger::PatchFamilies& f : r.patches) {
    if (f.crossing && f.outer) outer.push_back(&f);
  }
  std::sort(outer.begin(), outer.end(), [](const auto* x, const auto* y) { return x->col < y->col; });
  for (const schreger::PatchFamilies* patch : outer) {
    const schreger::PatchFamilies& f = *patch;
    const cv::Point2d at = schreger::patch_position_px(r, f);
    const double radial = f.col * r.polar_step;
    const double half = 0.5 * f.size_rows * r.polar_step * r.polar_r_min * std::exp(f.row * r.polar_step) /
                        r.working_scale;
    for (double a : {f.line1_deg, f.line2_deg}) {
      const double t = radial + a * M_PI / 180.0;
      const cv::Point2d d(std::cos(t) * half, std::sin(t) * half);
      cv::line(clip, local_point(at - d), local_point(at + d), kAngleLines, 1, cv::LINE_AA, 4);
    }
    const double theta_deg = radial * 180 / M_PI;
    if (theta_deg - last_label_deg < kLabelSpacingDeg) continue;
    if (first_label_deg + 360 - theta_deg < kLabelSpacingDeg) continue;  // wraps onto the first
    if (last_label_deg < -1e8) first_label_deg = theta_deg;
    last_label_deg = theta_deg;
    // Written just inside the patch, towards the centre.
    const cv::Point2d label = apply(to_panel, at + (r.centre - at) * 0.12) - offset;
    halo_text(clip, std::to_string(int(std::lround(f.angle_deg))), label + cv::Point2d(-10, 5), 0.42, kAngleLines);
  }
  cv::rectangle(picture, panel, kMuted, 1);
}

}  // namespace

SchregerSide load_schreger_side(const std::string& path, double ppi) {
  SchregerSide side;
  side.label = std::filesystem::path(path).filename().string();
  side.scan = image::load_file(path);
  side.result = schreger::measure(side.scan, ppi);
  return side;
}

SchregerPairing compare_sections(const SchregerSide& a, const SchregerSide& b) {
  for (const SchregerSide* side : {&a, &b}) {
    TP_CHECK(side->result.section_found, kInvalidArgument,
             "no tusk section found in '" << side->label << "': " << side->result.reason);
    TP_CHECK(!side->result.link.polar_map.empty() && !side->result.link.descriptor.empty(), kInvalidArgument,
             "'" << side->label << "' has no link features to align (" << side->result.reason << ")");
  }
  const schreger::SchregerParams params;
  const auto& la = a.result.link;
  const auto& lb = b.result.link;
  SchregerPairing p;
  p.best = schreger::alignment_score(la.polar_map, lb.polar_map, params, schreger::MirrorMode::kEither);
  p.mirrored_alignment =
      schreger::alignment_score(la.polar_map, lb.polar_map, params, schreger::MirrorMode::kMirroredOnly).score;
  p.plain_alignment =
      schreger::alignment_score(la.polar_map, lb.polar_map, params, schreger::MirrorMode::kPlainOnly).score;
  p.descriptor_distance = schreger::descriptor_distance(la.descriptor, lb.descriptor);
  return p;
}

cv::Matx23d b_onto_a(const SchregerSide& a, const SchregerSide& b, const schreger::Alignment& alignment) {
  const double phi = -alignment.rotation_deg * M_PI / 180.0;
  const double flip = alignment.mirrored ? -1.0 : 1.0;
  // R(phi) * F: columns are the images of (1, 0) and (0, 1).
  const cv::Matx22d m(std::cos(phi), -std::sin(phi) * flip, std::sin(phi), std::cos(phi) * flip);
  const cv::Point2d cb = b.result.centre, ca = a.result.centre;
  const cv::Point2d t = ca - cv::Point2d(m(0, 0) * cb.x + m(0, 1) * cb.y, m(1, 0) * cb.x + m(1, 1) * cb.y);
  return {m(0, 0), m(0, 1), t.x, m(1, 0), m(1, 1), t.y};
}

cv::Mat render_schreger_chart(const SchregerSide& a, const SchregerSide& b, const SchregerPairing& pairing,
                              const std::string& evidence_text) {
  const int width = 2 * kMargin + 2 * kPanelSide + kPanelGap;
  const int height = kTitleBand + kPanelSide + kLabelBand + kCaptionBand;
  cv::Mat picture(height, width, CV_8UC3, kWhite);
  const cv::Rect left(kMargin, kTitleBand, kPanelSide, kPanelSide);
  const cv::Rect right(kMargin + kPanelSide + kPanelGap, kTitleBand, kPanelSide, kPanelSide);

  // One scale for both (same ppi): true relative sizes, the larger section fills its panel.
  const double room = std::max({reach(a.result), reach(b.result), 1.0});
  const double s = kSectionFill * kPanelSide / room;
  const cv::Point2d ca = a.result.centre;
  const cv::Matx23d a_to_panel(s, 0, left.x + kPanelSide / 2.0 - s * ca.x, 0, s, left.y + kPanelSide / 2.0 - s * ca.y);
  const cv::Matx23d a_frame_to_right(s, 0, right.x + kPanelSide / 2.0 - s * ca.x, 0, s,
                                     right.y + kPanelSide / 2.0 - s * ca.y);
  draw_section(picture, left, a, a_to_panel);
  draw_section(picture, right, b, compose(a_frame_to_right, b_onto_a(a, b, pairing.best)));

  const auto& al = pairing.best;
  text(picture, "Schreger pair: " + a.label + "  vs  " + b.label, {double(kMargin), 36}, 0.75, kText, 2);
  const double label_y = kTitleBand + kPanelSide + 22;
  text(picture, "A: " + a.label + " (as scanned)", {double(left.x), label_y}, 0.45, kText);
  // The drawn turn of B, in (-180, 180]; positive turns clockwise on screen (y down).
  double turn = std::fmod(-al.rotation_deg, 360.0);
  if (turn > 180) turn -= 360;
  if (turn <= -180) turn += 360;
  text(picture,
       "B: " + b.label + (al.mirrored ? " mirrored (top-bottom), then" : "") + " turned " + fixed(std::abs(turn), 1) +
           " deg " + (turn >= 0 ? "clockwise" : "anticlockwise") + " onto A",
       {double(right.x), label_y}, 0.45, kText);
  const double y = kTitleBand + kPanelSide + kLabelBand + 26;
  text(picture,
       "Alignment " + fixed(al.score, 3) + " (polar-map correlation, -1..1)   rotation " + fixed(al.rotation_deg, 1) +
           " deg   mirrored: " + (al.mirrored ? "yes" : "no"),
       {double(kMargin), y}, 0.6, kText, 2);
  text(picture,
       "Best alignment with B mirrored " + fixed(pairing.mirrored_alignment, 3) + ", as photographed " +
           fixed(pairing.plain_alignment, 3) + " (facing cut faces are mirror images)   descriptor distance " +
           fixed(pairing.descriptor_distance, 1),
       {double(kMargin), y + 26}, 0.48, kText);
  text(picture, species_line("A", a) + "     " + species_line("B", b), {double(kMargin), y + 50}, 0.48, kText);
  text(picture, evidence_text, {double(kMargin), y + 76}, 0.52, kText, 1);
  // Key, at the right of the title.
  const double kx = width - kMargin - 330, ky = 12;
  cv::line(picture, cv::Point(int(kx), int(ky + 20)), cv::Point(int(kx + 24), int(ky + 20)), kOutline, 2, cv::LINE_AA);
  text(picture, "outer edge", {kx + 30, ky + 25}, 0.42, kText);
  cv::circle(picture, cv::Point(int(kx + 130), int(ky + 20)), 3, kCdj, cv::FILLED, cv::LINE_AA);
  text(picture, "CDJ", {kx + 140, ky + 25}, 0.42, kText);
  cv::line(picture, cv::Point(int(kx + 185), int(ky + 26)), cv::Point(int(kx + 205), int(ky + 14)), kAngleLines, 2, cv::LINE_AA);
  text(picture, "outer angle (deg)", {kx + 210, ky + 25}, 0.42, kText);
  return picture;
}

}  // namespace tuskprint::chart
