#include "schreger/line_families.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace tuskprint::schreger {
namespace {

constexpr int kPatch = 64;   // analysis size
constexpr int kFft = 128;    // zero-padded transform size (2x oversampled spectrum)

double wrap180(double a) {  // to (-90, 90]
  a = std::fmod(a, 180.0);
  if (a <= -90) a += 180;
  if (a > 90) a -= 180;
  return a;
}

const cv::Mat& hann_window() {
  static const cv::Mat w = [] {
    cv::Mat m;
    cv::createHanningWindow(m, cv::Size(kPatch, kPatch), CV_32F);
    return m;
  }();
  return w;
}

struct Peak {
  double fx, fy, power;  // frequency in cycles per analysis pixel: x tangential, y radial
};

// Where a family changes spacing inside a patch (line forks), its spectral peak splits
// and the parts interfere, which moves the single strongest bin off the family's
// direction. The power-weighted orientation of the whole lobe (all in-band frequencies
// within the lobe's angular window) does not move: by Parseval the cross terms of
// spatially separate parts cancel in the total power.
void refine_by_lobes(const std::vector<Peak>& band, double noise, const SchregerParams& p, PatchFamilies& f,
                     double mm_per_analysis_px);

}  // namespace

double crossing_angle(double a1, double a2, double* symmetry_error_deg) {
  a1 = wrap180(a1), a2 = wrap180(a2);
  // The two bisector axes of the lines are b and b + 90 (mod 180); pick the one
  // nearest the radial direction (0).
  double b = std::fmod((a1 + a2) / 2.0, 90.0);
  if (b > 45) b -= 90;
  if (b <= -45) b += 90;
  const double half = std::abs(wrap180(a1 - b));
  if (symmetry_error_deg) *symmetry_error_deg = std::abs(b);
  return 2.0 * half;
}

PatchFamilies analyse_patch(const cv::Mat& src, double mm_per_px, const SchregerParams& p) {
  PatchFamilies out;
  cv::Mat patch;
  if (src.rows != kPatch || src.cols != kPatch)
    cv::resize(src, patch, cv::Size(kPatch, kPatch), 0, 0, src.rows > kPatch ? cv::INTER_AREA : cv::INTER_LINEAR);
  else
    patch = src.clone();
  const double mm_per_analysis_px = mm_per_px * double(src.rows) / kPatch;
  patch -= cv::mean(patch)[0];
  patch = patch.mul(hann_window());
  cv::Mat padded = cv::Mat::zeros(kFft, kFft, CV_32F);
  patch.copyTo(padded(cv::Rect(0, 0, kPatch, kPatch)));
  cv::Mat spec;
  cv::dft(padded, spec, cv::DFT_COMPLEX_OUTPUT);
  cv::Mat planes[2];
  cv::split(spec, planes);
  cv::Mat power;
  cv::magnitude(planes[0], planes[1], power);
  power = power.mul(power);

  // Frequencies (cycles per analysis px) of the spacing band.
  const double f_lo = mm_per_analysis_px / p.max_period_mm, f_hi = std::min(0.45, mm_per_analysis_px / p.min_period_mm);
  auto freq = [](int k) { return (k < kFft / 2 ? k : k - kFft) / double(kFft); };
  std::vector<float> band_values;
  std::vector<Peak> peaks, band;
  // Half plane: fy > 0, or fy == 0 and fx > 0.
  for (int v = 0; v <= kFft / 2; ++v) {
    for (int u = 0; u < kFft; ++u) {
      const double fx = freq(u), fy = freq(v);
      if (v == 0 && fx <= 0) continue;
      const double f = std::hypot(fx, fy);
      if (f < f_lo || f > f_hi) continue;
      const float pw = power.at<float>(v, u);
      band_values.push_back(pw);
      band.push_back({fx, fy, pw});
      bool is_max = true;
      for (int dv = -1; dv <= 1 && is_max; ++dv)
        for (int du = -1; du <= 1 && is_max; ++du) {
          if (!dv && !du) continue;
          if (power.at<float>((v + dv + kFft) % kFft, (u + du + kFft) % kFft) > pw) is_max = false;
        }
      if (!is_max) continue;
      // Sub-bin refinement: parabola through log power.
      auto lp = [&](int vv, int uu) { return std::log(1e-12 + power.at<float>((vv + kFft) % kFft, (uu + kFft) % kFft)); };
      const double cx = lp(v, u - 1), cc = lp(v, u), cxp = lp(v, u + 1);
      const double cy = lp(v - 1, u), cyp = lp(v + 1, u);
      const double dx = (cx - cxp) / (2 * (cx - 2 * cc + cxp) - 1e-12), dy = (cy - cyp) / (2 * (cy - 2 * cc + cyp) - 1e-12);
      peaks.push_back({fx + std::clamp(dx, -0.5, 0.5) / kFft, fy + std::clamp(dy, -0.5, 0.5) / kFft, pw});
    }
  }
  for (float v : band_values) out.band_energy += v;
  if (band_values.size() < 8 || peaks.size() < 2) return out;
  std::nth_element(band_values.begin(), band_values.begin() + band_values.size() / 2, band_values.end());
  const double median = std::max(1e-12, double(band_values[band_values.size() / 2]));
  std::sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) { return a.power > b.power; });
  if (peaks.size() > 6) peaks.resize(6);

  // Both families must stand out against the strongest peak of the patch: a single
  // family's side lobes come in mirrored pairs and would otherwise pass for a crossing.
  const double strongest = peaks.front().power;
  double best_score = 0;
  for (std::size_t a = 0; a < peaks.size(); ++a) {
    for (std::size_t b = a + 1; b < peaks.size(); ++b) {
      const Peak &pa = peaks[a], &pb = peaks[b];
      const double weak = std::min(pa.power, pb.power), strong = std::max(pa.power, pb.power);
      if (weak / median < p.min_peak_snr || weak / strong < p.min_peak_ratio || weak / strongest < p.min_peak_ratio)
        continue;
      const double la = std::hypot(pa.fx, pa.fy), lb = std::hypot(pb.fx, pb.fy);
      if (la / lb > 1.5 || lb / la > 1.5) continue;
      // A line is perpendicular to its frequency vector; angle from the radial (row) axis.
      const double line_a = wrap180(std::atan2(pa.fx, pa.fy) * 180 / M_PI + 90);
      const double line_b = wrap180(std::atan2(pb.fx, pb.fy) * 180 / M_PI + 90);
      if (std::abs(wrap180(line_a - line_b)) < 12) continue;  // one family seen twice
      double sym = 0;
      const double angle = crossing_angle(line_a, line_b, &sym);
      if (sym > p.symmetry_tol_deg || angle < 15 || angle > 172) continue;
      const double score = std::sqrt(pa.power * pb.power) * (1.0 - 0.5 * sym / p.symmetry_tol_deg);
      if (score <= best_score) continue;
      best_score = score;
      out.crossing = true;
      out.line1_deg = line_a;
      out.line2_deg = line_b;
      out.angle_deg = angle;
      out.symmetry_error_deg = sym;
      out.spacing_mm = 0.5 * (mm_per_analysis_px / la + mm_per_analysis_px / lb);
      out.strength = weak / median;
    }
  }
  if (out.crossing) refine_by_lobes(band, median, p, out, mm_per_analysis_px);
  return out;
}

namespace {
void refine_by_lobes(const std::vector<Peak>& band, double noise, const SchregerParams& p, PatchFamilies& f,
                     double mm_per_analysis_px) {
  double lines[2] = {f.line1_deg, f.line2_deg};
  double spacing = 0;
  for (double& line : lines) {
    const double normal = wrap180(line - 90);  // frequency direction, from the radial axis
    double c = 0, s = 0, fw = 0, w = 0;
    for (const Peak& q : band) {
      const double dir = std::atan2(q.fx, q.fy) * 180 / M_PI;  // from the radial (row) axis
      if (std::abs(wrap180(dir - normal)) > p.lobe_halfwidth_deg) continue;
      const double pw = q.power - noise;
      if (pw <= 0) continue;
      c += pw * std::cos(2 * dir * M_PI / 180), s += pw * std::sin(2 * dir * M_PI / 180);
      fw += pw * std::hypot(q.fx, q.fy), w += pw;
    }
    if (w <= 0) return;
    line = wrap180(std::atan2(s, c) * 90 / M_PI + 90);
    spacing += 0.5 * mm_per_analysis_px / (fw / w);
  }
  double sym = 0;
  const double angle = crossing_angle(lines[0], lines[1], &sym);
  if (sym > p.symmetry_tol_deg) return;  // keep the peak estimate
  f.line1_deg = lines[0], f.line2_deg = lines[1], f.angle_deg = angle, f.symmetry_error_deg = sym;
  f.spacing_mm = spacing;
}
}  // namespace

std::vector<PatchFamilies> detect_line_families(const PolarImage& polar, const CdjEstimate& cdj,
                                                const SchregerParams& p) {
  std::vector<PatchFamilies> out;
  const int cols = polar.grey.cols;
  const double R = cdj.mean_radius;
  if (R <= 0) return out;
  // Outer patches: side in polar px equals working px at the CDJ; small sections get
  // smaller patches so that one patch stays within the outer quarter of the radius.
  const int side = std::max(24, std::min(p.patch_px, int(0.25 * R)));
  auto try_patch = [&](double centre_row, int col0, int size, double rho_ref_radius, bool outer) {
    const int r0 = int(std::lround(centre_row - size / 2.0));
    if (r0 < 0 || r0 + size > polar.grey.rows) return;
    cv::Mat patch(size, size, CV_32F), valid(size, size, CV_8U);
    for (int k = 0; k < size; ++k) {
      const int c = (col0 + k) % cols;
      polar.grey(cv::Rect(c, r0, 1, size)).copyTo(patch.col(k));
      polar.material(cv::Rect(c, r0, 1, size)).copyTo(valid.col(k));
    }
    if (cv::countNonZero(valid) < p.patch_min_valid * size * size) return;
    // Cementum must not enter the patch: top row below the CDJ of every column.
    const double top_radius = polar.radius_at_row(r0 + size);
    for (int k = 0; k < size; k += 4)
      if (cdj.cdj_radius[(col0 + k) % cols] > 0 && top_radius > cdj.cdj_radius[(col0 + k) % cols] + 0.5) return;
    const double r_centre = polar.radius_at_row(centre_row);
    const double mm_per_px = r_centre * polar.step / polar.px_per_mm;
    PatchFamilies f = analyse_patch(patch, mm_per_px, p);
    f.row = centre_row;
    f.col = col0 + size / 2.0;
    f.size_rows = size;
    f.rho = r_centre / rho_ref_radius;
    f.theta_deg = polar.theta_at_col(f.col) * 180 / M_PI;
    f.outer = outer;
    out.push_back(f);
  };
  const double margin_rows = p.outer_margin_mm * polar.px_per_mm / (R * polar.step) + 1;
  // One outer place per column step: its patch spans `side` columns that all have a CDJ.
  auto outer_place = [&](int c0) {
    double sum = 0;
    int n = 0;
    for (int k = 0; k < side; ++k) {
      const int c = (c0 + k) % cols;
      if (polar.arc_column[c] && cdj.cdj_radius[c] > 0) sum += cdj.cdj_radius[c], ++n;
    }
    if (n < side * 0.9) return;
    const double r_cdj = sum / n;
    const double top_row = polar.row_at_radius(r_cdj) - margin_rows;
    try_patch(top_row - side / 2.0, c0, side, r_cdj, true);
  };
  const int half = std::max(1, side / 2);
  for (int c0 = 0; c0 < cols; c0 += half) outer_place(c0);
  // A cut piece's short arc holds few half-patch places: the places halfway between them
  // are sampled too (a quarter patch, >= 6 working px, apart: neighbouring lozenges).
  if (int(out.size()) < p.outer_short_arc_places) {
    for (int c0 = half / 2; c0 < cols; c0 += half) outer_place(c0);
    std::sort(out.begin(), out.end(), [](const PatchFamilies& a, const PatchFamilies& b) { return a.col < b.col; });
  }
  // Profile rings. (Sampling them at quarter-patch steps too on a short arc linked worse on W.)
  for (double rho = 0.25; rho < 0.86; rho += 0.1) {
    const int size = std::min(4 * side, int(std::lround(side / std::pow(rho, 1.2))));
    const double row = polar.row_at_radius(rho * R);
    for (int c0 = 0; c0 < cols; c0 += size / 2) try_patch(row, c0, size, R, false);
  }
  return out;
}

}  // namespace tuskprint::schreger
