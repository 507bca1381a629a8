#include "schreger/pattern_map.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::schreger {
namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kPackScale = 25.0f;  // z-scores to signed bytes: +-5 SD fit

// Difference of Gaussians computed over the ivory only (normalised convolution: each blur
// of grey * mask divided by the blur of the mask). A plain blur would carry the step to the
// background across a saw cut or into the pulp cavity up to ~2 coarse sigmas inside the
// section, and those false edges decorrelate cut pieces from their whole neighbours.
cv::Mat masked_band_pass(const cv::Mat& grey, const cv::Mat& material, double fine, double coarse) {
  cv::Mat m;
  material.convertTo(m, CV_32F, 1.0 / 255.0);
  const cv::Mat gm = grey.mul(m);
  auto smooth = [&](double sigma) {
    cv::Mat num, den;
    cv::GaussianBlur(gm, num, cv::Size(), sigma);
    cv::GaussianBlur(m, den, cv::Size(), sigma);
    cv::max(den, 1e-3, den);
    return cv::Mat(num / den);
  };
  return smooth(fine) - smooth(coarse);
}

// The CDJ's mean distance from `centre` over the arc of the tusk surface. The CDJ radii were
// measured around the polar image's centre (the section centre); a cut piece's section centre
// can lie a few mm off the pattern centre, and the mean radius seen from it then misstates the
// map's radial scale by several per cent (more than the registration's scale search can
// take up, on top of the tusk's own taper). The mean around the first centre when no arc
// column has a CDJ.
double cdj_radius_around(const PolarImage& polar, const CdjEstimate& cdj, cv::Point2d centre) {
  double sum = 0;
  int n = 0;
  const int cols = int(cdj.cdj_radius.size());
  for (int j = 0; j < cols; ++j) {
    if (!polar.arc_column[j] || cdj.cdj_radius[j] <= 0) continue;
    const cv::Point2d d = polar.point_at(cdj.cdj_radius[j], j) - centre;
    sum += std::hypot(d.x, d.y);
    ++n;
  }
  return n > 0 ? sum / n : cdj.mean_radius;
}

}  // namespace

cv::Mat sample_pattern_map(const WorkingImage& w, const SectionMask& mask, const PolarImage& polar,
                           const CdjEstimate& cdj, cv::Point2d centre, const SchregerParams& p) {
  const int rows = p.pattern_rows, cols = p.pattern_cols;
  cv::Mat out(rows, cols, CV_32F, cv::Scalar(kNaN));
  if (cdj.mean_radius <= 0 || cdj.cdj_radius.empty()) return out;
  // Band-pass: keep line-scale detail (Schreger lines are ~1-2.5 mm apart), drop pixel
  // noise and the lighting gradient.
  const double fine = std::max(0.5, p.pattern_fine_mm * w.px_per_mm);
  const double coarse = std::max(2.0, p.pattern_coarse_mm * w.px_per_mm);
  const cv::Mat band = masked_band_pass(w.grey, mask.material, fine, coarse);
  cv::Mat map_x(rows, cols, CV_32F), map_y(rows, cols, CV_32F);
  const double log_lo = std::log(p.pattern_rho_lo), log_hi = std::log(p.pattern_rho_hi);
  const double reference = cdj_radius_around(polar, cdj, centre);
  for (int i = 0; i < rows; ++i) {
    const double r = reference * std::exp(log_lo + (log_hi - log_lo) * i / rows);
    for (int j = 0; j < cols; ++j) {
      const double th = 2 * M_PI * j / cols;
      map_x.at<float>(i, j) = float(centre.x + r * std::cos(th));
      map_y.at<float>(i, j) = float(centre.y + r * std::sin(th));
    }
  }
  cv::Mat sampled;
  cv::remap(band, sampled, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  const int pcols = int(cdj.cdj_radius.size());
  for (int i = 0; i < rows; ++i) {
    double sum = 0, sq = 0;
    int n = 0;
    for (int j = 0; j < cols; ++j) {
      const double x = map_x.at<float>(i, j), y = map_y.at<float>(i, j);
      const int xi = int(std::lround(x)), yi = int(std::lround(y));
      if (xi < 0 || yi < 0 || xi >= mask.material.cols || yi >= mask.material.rows) continue;
      if (!mask.material.at<std::uint8_t>(yi, xi)) continue;
      // Inside the dentine as the CDJ estimate (around the first centre) sees it, on the
      // arc of the tusk surface (not along a saw cut of a piece).
      const double dx = x - polar.centre.x, dy = y - polar.centre.y;
      double th = std::atan2(dy, dx);
      if (th < 0) th += 2 * M_PI;
      const int pc = std::min(pcols - 1, int(th / polar.step));
      if (!polar.arc_column[pc] || cdj.cdj_radius[pc] <= 0) continue;
      if (std::hypot(dx, dy) > p.pattern_cdj_margin * cdj.cdj_radius[pc]) continue;
      const float v = sampled.at<float>(i, j);
      out.at<float>(i, j) = v;
      sum += v, sq += double(v) * v, ++n;
    }
    if (n < cols / 16) {
      for (int j = 0; j < cols; ++j) out.at<float>(i, j) = kNaN;
      continue;
    }
    const double mean = sum / n, sd = std::sqrt(std::max(1e-9, sq / n - mean * mean));
    for (int j = 0; j < cols; ++j) {
      float& v = out.at<float>(i, j);
      if (std::isnan(v)) continue;
      v = float((v - mean) / sd);
      if (p.pattern_clamp_sd > 0) v = std::clamp(v, float(-p.pattern_clamp_sd), float(p.pattern_clamp_sd));
    }
  }
  return out;
}

std::string pack_pattern_map(const cv::Mat& map) {
  TP_ASSERT(map.type() == CV_32F);
  std::string bytes(std::size_t(map.rows) * std::size_t(map.cols), '\0');
  std::size_t k = 0;
  for (int i = 0; i < map.rows; ++i)
    for (int j = 0; j < map.cols; ++j) {
      const float v = map.at<float>(i, j);
      const int q = std::isnan(v) ? -128 : std::clamp(int(std::lround(v * kPackScale)), -127, 127);
      bytes[k++] = char(static_cast<std::int8_t>(q));
    }
  return bytes;
}

cv::Mat unpack_pattern_map(const std::string& bytes, int rows, int cols) {
  TP_CHECK(rows > 0 && cols > 0 && bytes.size() == std::size_t(rows) * std::size_t(cols), kInvalidArgument,
           "pattern map has " << bytes.size() << " bytes, expected " << rows << " x " << cols);
  cv::Mat m(rows, cols, CV_32F);
  std::size_t k = 0;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const int q = static_cast<std::int8_t>(bytes[k++]);
      m.at<float>(i, j) = q == -128 ? kNaN : float(q) / kPackScale;
    }
  return m;
}

PatternSpectra pattern_spectra(const cv::Mat& map, bool mirrored, const SchregerParams& p) {
  TP_CHECK(!map.empty() && map.type() == CV_32F, kInvalidArgument, "empty pattern map");
  PatternSpectra s;
  s.rows = map.rows, s.cols = map.cols;
  const int prow = cv::getOptimalDFTSize(map.rows + p.pattern_max_row_shift);
  cv::Mat v = cv::Mat::zeros(prow, map.cols, CV_32F), v2 = v.clone(), m = v.clone();
  for (int i = 0; i < map.rows; ++i)
    for (int j = 0; j < map.cols; ++j) {
      const float x = map.at<float>(i, mirrored ? (map.cols - j) % map.cols : j);
      if (std::isnan(x)) continue;
      v.at<float>(i, j) = x, v2.at<float>(i, j) = x * x, m.at<float>(i, j) = 1.0f;
      ++s.observed;
    }
  cv::dft(v, s.values);
  cv::dft(v2, s.squares);
  cv::dft(m, s.mask);
  return s;
}

PatternAlignment pattern_alignment(const PatternSpectra& a, const PatternSpectra& b, const SchregerParams& p) {
  TP_CHECK(!a.values.empty() && a.values.size() == b.values.size() && a.rows == b.rows && a.cols == b.cols,
           kInvalidArgument, "pattern maps differ in shape");
  PatternAlignment best;
  if (a.observed == 0 || b.observed == 0) return best;
  // corr(x, y)(s) = sum_t x(t + s) y(t): the inverse DFT of X conj(Y).
  auto correlate = [](const cv::Mat& x, const cv::Mat& y) {
    cv::Mat prod, out;
    cv::mulSpectrums(x, y, prod, 0, true);
    cv::dft(prod, out, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
    return out;
  };
  const cv::Mat num = correlate(a.values, b.values), ea = correlate(a.squares, b.mask),
                eb = correlate(a.mask, b.squares), n = correlate(a.mask, b.mask);
  const double min_cells = std::max(16.0, p.pattern_min_overlap * std::min(a.observed, b.observed));
  const int prow = num.rows;
  for (int dr = -p.pattern_max_row_shift; dr <= p.pattern_max_row_shift; ++dr) {
    const int i = (dr + prow) % prow;
    const float* pn = num.ptr<float>(i);
    const float* pa = ea.ptr<float>(i);
    const float* pb = eb.ptr<float>(i);
    const float* pc = n.ptr<float>(i);
    for (int j = 0; j < num.cols; ++j) {
      if (pc[j] < min_cells) continue;
      const double den = std::sqrt(std::max(1e-9, double(pa[j]) * pb[j]));
      const double s = pn[j] / den;
      if (s > best.score) {
        best.score = s;
        best.rotation_deg = 360.0 * j / num.cols;
        best.scale = std::exp(-dr * std::log(p.pattern_rho_hi / p.pattern_rho_lo) / a.rows);
        best.overlap = int(std::lround(pc[j]));
        best.row_shift = dr, best.col_shift = j;
      }
    }
  }
  return best;
}

}  // namespace tuskprint::schreger
