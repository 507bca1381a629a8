#include "schreger/link_descriptor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::schreger {
namespace {

constexpr double kRhoLo = 0.3, kRhoHi = 0.98;
constexpr int kProfileRadii = 5;     // rho 0.5, 0.6, ..., 0.9 (inner angles are unreliable)
const float kNaN = std::numeric_limits<float>::quiet_NaN();

double sample_polar(const cv::Mat& m, const PolarImage& polar, double radius, int col) {
  const double row = polar.row_at_radius(radius);
  const int i = int(std::floor(row));
  if (i < 0 || i + 1 >= m.rows) return kNaN;
  const double f = row - i;
  return (1 - f) * m.at<float>(i, col) + f * m.at<float>(i + 1, col);
}

bool material_at(const PolarImage& polar, double radius, int col) {
  const int i = int(std::lround(polar.row_at_radius(radius)));
  return i >= 0 && i < polar.material.rows && polar.material.at<std::uint8_t>(i, col) != 0;
}

// Removes a + b cos(theta) + c sin(theta) from one row of valid cells (the lighting
// gradient and the row's mean), then scales to unit RMS.
void remove_row_trend(float* row, int cols) {
  cv::Mat A(0, 3, CV_64F), y(0, 1, CV_64F);
  for (int j = 0; j < cols; ++j) {
    if (std::isnan(row[j])) continue;
    const double t = 2 * M_PI * (j + 0.5) / cols;
    cv::Mat r = (cv::Mat_<double>(1, 3) << 1, std::cos(t), std::sin(t));
    A.push_back(r);
    y.push_back(double(row[j]));
  }
  if (A.rows < 6) {
    for (int j = 0; j < cols; ++j) row[j] = kNaN;
    return;
  }
  cv::Mat c;
  cv::solve(A, y, c, cv::DECOMP_SVD);
  double ss = 0;
  int n = 0;
  for (int j = 0; j < cols; ++j) {
    if (std::isnan(row[j])) continue;
    const double t = 2 * M_PI * (j + 0.5) / cols;
    row[j] = float(row[j] - (c.at<double>(0) + c.at<double>(1) * std::cos(t) + c.at<double>(2) * std::sin(t)));
    ss += row[j] * row[j], ++n;
  }
  const double rms = std::sqrt(ss / std::max(1, n));
  for (int j = 0; j < cols; ++j)
    if (!std::isnan(row[j])) row[j] = rms > 1e-9 ? float(row[j] / rms) : 0.0f;
}

void normalise_block(std::vector<float>& v, std::size_t from, std::size_t to, double weight) {
  double ss = 0;
  for (std::size_t i = from; i < to; ++i) ss += double(v[i]) * v[i];
  const double s = ss > 1e-12 ? weight / std::sqrt(ss) : 0.0;
  for (std::size_t i = from; i < to; ++i) v[i] = float(v[i] * s);
}

double interpolate_profile(const AngleSummary& a, double rho, bool spacing) {
  const auto& p = a.profile;
  if (p.empty()) return spacing ? a.outer_spacing_mm : a.outer_mean_deg;
  auto val = [&](const ProfilePoint& q) { return spacing ? q.spacing_mm : q.angle_deg; };
  if (rho <= p.front().rho) return val(p.front());
  for (std::size_t i = 1; i < p.size(); ++i)
    if (rho <= p[i].rho) {
      const double f = (rho - p[i - 1].rho) / std::max(1e-9, p[i].rho - p[i - 1].rho);
      return val(p[i - 1]) + f * (val(p[i]) - val(p[i - 1]));
    }
  return val(p.back());
}

}  // namespace

LinkFeatures link_features(const PolarImage& polar, const CdjEstimate& cdj, const AngleSummary& angles,
                           bool whole_section, const SchregerParams& p) {
  LinkFeatures out;
  const int rows = p.link_rows, cols = p.link_cols, pcols = polar.grey.cols;
  // --- polar map: tone (rows 0..rows-1) and log line energy (rows..2*rows-1) ---
  cv::Mat map(2 * rows, cols, CV_32F, cv::Scalar(kNaN));
  std::vector<double> band_sum(p.link_band_bins, 0.0);
  std::vector<int> band_n(p.link_band_bins, 0);
  for (int c = 0; c < cols; ++c) {
    const int j0 = c * pcols / cols, j1 = (c + 1) * pcols / cols;
    for (int i = 0; i < rows; ++i) {
      const double rho_a = kRhoLo + (kRhoHi - kRhoLo) * i / rows, rho_b = kRhoLo + (kRhoHi - kRhoLo) * (i + 1) / rows;
      double tone = 0, energy = 0;
      int n = 0, seen = 0;
      for (int j = j0; j < j1; ++j) {
        if (cdj.cdj_radius[j] <= 0 || !polar.arc_column[j]) continue;
        for (int s = 0; s < 3; ++s) {
          const double radius = (rho_a + (rho_b - rho_a) * (s + 0.5) / 3) * cdj.cdj_radius[j];
          ++seen;
          if (!material_at(polar, radius, j)) continue;
          const double t = sample_polar(polar.grey, polar, radius, j), e = sample_polar(polar.texture, polar, radius, j);
          if (std::isnan(t)) continue;
          tone += t, energy += std::log(1.0 + e), ++n;
        }
      }
      if (n > 0 && n >= 0.7 * seen) {
        map.at<float>(i, c) = float(tone / n);
        map.at<float>(rows + i, c) = float(energy / n);
      }
    }
  }
  // Radial tone profile (growth bands), finer than the map.
  for (int j = 0; j < pcols; ++j) {
    if (cdj.cdj_radius[j] <= 0 || !polar.arc_column[j]) continue;
    for (int b = 0; b < p.link_band_bins; ++b) {
      const double radius = (kRhoLo + (kRhoHi - kRhoLo) * (b + 0.5) / p.link_band_bins) * cdj.cdj_radius[j];
      if (!material_at(polar, radius, j)) continue;
      const double t = sample_polar(polar.grey, polar, radius, j);
      if (!std::isnan(t)) band_sum[b] += t, ++band_n[b];
    }
  }
  for (int i = 0; i < 2 * rows; ++i) remove_row_trend(map.ptr<float>(i), cols);
  out.polar_map = map;

  // --- ring map: the line pattern itself on a few rings, band-passed and z-scored ---
  {
    cv::Mat smooth, band;
    cv::GaussianBlur(polar.grey, smooth, cv::Size(), 4.0);
    band = polar.grey - smooth;
    cv::Mat ring(p.link_ring_rows, p.link_ring_cols, CV_32F, cv::Scalar(kNaN));
    for (int i = 0; i < p.link_ring_rows; ++i) {
      const double rho = 0.55 + 0.3 * i / std::max(1, p.link_ring_rows - 1);
      double sum = 0, sq = 0;
      int n = 0;
      for (int c = 0; c < p.link_ring_cols; ++c) {
        const int j = int(double(c) * pcols / p.link_ring_cols) % pcols;
        if (cdj.cdj_radius[j] <= 0 || !polar.arc_column[j]) continue;
        const double radius = rho * cdj.cdj_radius[j];
        if (!material_at(polar, radius, j)) continue;
        const double v = sample_polar(band, polar, radius, j);
        if (std::isnan(v)) continue;
        ring.at<float>(i, c) = float(v);
        sum += v, sq += v * v, ++n;
      }
      if (n < 8) continue;
      const double mean = sum / n, sd = std::sqrt(std::max(1e-9, sq / n - mean * mean));
      for (int c = 0; c < p.link_ring_cols; ++c) {
        float& v = ring.at<float>(i, c);
        if (!std::isnan(v)) v = float((v - mean) / sd);
      }
    }
    out.ring_map = ring;
  }

  // --- descriptor: each feature divided by its expected spread between adjacent cut
  // faces of one tusk, so that squared L2 distance counts "how many noise units apart" ---
  std::vector<float> d(kLinkDescriptorSize, 0.0f);
  std::size_t at = 0;
  d[at++] = float(angles.outer_mean_deg / p.link_sigma_outer_deg);
  for (int k = 0; k < kProfileRadii; ++k)
    d[at++] = float(interpolate_profile(angles, 0.5 + 0.1 * k, false) / p.link_sigma_profile_deg);
  d[at++] = float(angles.outer_spacing_mm / p.link_sigma_spacing_mm);
  for (int k = 0; k < kProfileRadii; ++k)
    d[at++] = float(interpolate_profile(angles, 0.5 + 0.1 * k, true) / (2 * p.link_sigma_spacing_mm));
  TP_ASSERT(at == std::size_t(kLinkSizeIndex));
  const double cementum_mm = cdj.found ? cdj.depth_mm : 0.0;
  d[at++] = float((cdj.mean_radius / polar.px_per_mm + cementum_mm) / p.link_sigma_radius_mm);
  d[at++] = float(cementum_mm / p.link_sigma_cementum_mm);
  // Growth bands: radial tone profile minus its running mean, unit-normalised shape.
  const std::size_t band_from = at;
  std::vector<double> prof(p.link_band_bins, 0.0);
  for (int b = 0; b < p.link_band_bins; ++b) prof[b] = band_n[b] > 0 ? band_sum[b] / band_n[b] : 0.0;
  for (int b = 0; b < p.link_band_bins; ++b) {
    double s = 0;
    int n = 0;
    for (int k = std::max(0, b - 4); k <= std::min(p.link_band_bins - 1, b + 4); ++k)
      if (band_n[k] > 0) s += prof[k], ++n;
    d[at++] = band_n[b] > 0 && n > 0 ? float(prof[b] - s / n) : 0.0f;
  }
  normalise_block(d, band_from, at, p.link_weight_bands);
  TP_ASSERT(at <= std::size_t(kLinkPulpIndex));
  (void)whole_section;
  out.descriptor = std::move(d);
  return out;
}

double pulp_radius_mm(const std::vector<float>& d, const SchregerParams& p) {
  return int(d.size()) > kLinkPulpIndex ? std::max(0.0, double(d[kLinkPulpIndex]) / p.link_pulp_descriptor_scale) : 0.0;
}

double descriptor_distance(const std::vector<float>& a, const std::vector<float>& b) {
  TP_CHECK(a.size() == b.size(), kInvalidArgument,
           "link descriptors differ in length: " << a.size() << " vs " << b.size());
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  return s;
}

Alignment alignment_score(const cv::Mat& a, const cv::Mat& b, const SchregerParams& p, MirrorMode mode) {
  TP_CHECK(!a.empty() && !b.empty(), kInvalidArgument, "empty polar map");
  TP_CHECK(a.size() == b.size() && a.type() == CV_32F && b.type() == CV_32F, kInvalidArgument,
           "polar maps differ in shape: " << a.rows << "x" << a.cols << " vs " << b.rows << "x" << b.cols);
  Alignment best;
  const int rows = a.rows, cols = a.cols;
  const int min_cells = int(p.link_min_overlap * rows * cols);
  for (int mirror = 0; mirror < 2; ++mirror) {
    if ((mirror == 0 && mode == MirrorMode::kMirroredOnly) || (mirror == 1 && mode == MirrorMode::kPlainOnly)) continue;
    for (int shift = 0; shift < cols; ++shift) {
      double sab = 0, saa = 0, sbb = 0;
      int n = 0;
      for (int i = 0; i < rows; ++i) {
        const float* ra = a.ptr<float>(i);
        const float* rb = b.ptr<float>(i);
        for (int j = 0; j < cols; ++j) {
          const int k = mirror ? (2 * cols - 1 - j - shift) % cols : (j + shift) % cols;
          const float va = ra[j], vb = rb[k];
          if (std::isnan(va) || std::isnan(vb)) continue;
          sab += va * vb, saa += va * va, sbb += vb * vb, ++n;
        }
      }
      if (n < min_cells || saa <= 0 || sbb <= 0) continue;
      const double s = sab / std::sqrt(saa * sbb);
      if (s > best.score) best = {s, mirror == 1, 360.0 * shift / cols};
    }
  }
  return best;
}

double link_score(double descriptor_distance, double mirrored, double plain, double ring, const SchregerParams& p) {
  return mirrored + p.link_handedness_weight * (mirrored - plain) + p.link_ring_weight * ring -
         descriptor_distance / p.link_distance_scale;
}

RingSpectra ring_spectra(const cv::Mat& ring, bool mirrored) {
  RingSpectra s;
  const int rows = ring.rows, cols = ring.cols;
  cv::Mat v(rows, cols, CV_32F), v2(rows, cols, CV_32F), m(rows, cols, CV_32F);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const float x = ring.at<float>(i, mirrored ? (cols - j) % cols : j);
      const bool ok = !std::isnan(x);
      v.at<float>(i, j) = ok ? x : 0.0f;
      v2.at<float>(i, j) = ok ? x * x : 0.0f;
      m.at<float>(i, j) = ok ? 1.0f : 0.0f;
      s.observed += ok;
    }
  cv::dft(v, s.values, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
  cv::dft(v2, s.squares, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
  cv::dft(m, s.mask, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
  return s;
}

double ring_alignment(const RingSpectra& a, const RingSpectra& b, const SchregerParams& p) {
  TP_CHECK(a.values.size() == b.values.size() && !a.values.empty(), kInvalidArgument, "ring maps differ in shape");
  const int rows = a.values.rows, cols = a.values.cols;
  // corr(x, y)(s) = sum_j x(j) y(j + s) = IDFT(conj(X) Y); rows are summed in the
  // frequency domain (linearity), so each term needs one inverse transform.
  auto correlate = [&](const cv::Mat& x, const cv::Mat& y) {
    cv::Mat prod, sum = cv::Mat::zeros(1, cols, CV_32FC2);
    cv::mulSpectrums(x, y, prod, cv::DFT_ROWS, true);
    for (int i = 0; i < rows; ++i) sum += prod.row(i);
    cv::Mat out;
    cv::dft(sum, out, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
    return out;
  };
  const cv::Mat num = correlate(a.values, b.values), ea = correlate(a.squares, b.mask),
                eb = correlate(a.mask, b.squares), n = correlate(a.mask, b.mask);
  const double min_cells = p.link_min_overlap * std::min(a.observed, b.observed);
  double best = -1;
  for (int j = 0; j < cols; ++j) {
    if (n.at<float>(j) < std::max(1.0, min_cells)) continue;
    const double den = std::sqrt(std::max(1e-9, double(ea.at<float>(j)) * eb.at<float>(j)));
    best = std::max(best, double(num.at<float>(j)) / den);
  }
  return best;
}

cv::Mat polar_map_from_values(const std::vector<float>& values, int rows, int cols) {
  TP_CHECK(rows > 0 && cols > 0 && values.size() == std::size_t(rows) * std::size_t(cols), kInvalidArgument,
           "polar map has " << values.size() << " values, expected " << rows << " x " << cols);
  cv::Mat m(rows, cols, CV_32F);
  std::copy(values.begin(), values.end(), m.ptr<float>(0));
  return m;
}

}  // namespace tuskprint::schreger
