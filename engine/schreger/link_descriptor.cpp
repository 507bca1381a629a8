#include "schreger/link_descriptor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace tuskprint::schreger {
namespace {

constexpr double kRhoLo = 0.3, kRhoHi = 0.98;
constexpr int kProfileRadii = 7;     // rho 0.3, 0.4, ..., 0.9
constexpr int kSpectrumBands = 4;    // radial bands of the polar map
constexpr int kHarmonics = 8;        // angular harmonics per band and channel
constexpr int kOutlineHarmonics = 6; // outline radius harmonics k = 2..7
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

  // --- descriptor ---
  std::vector<float> d(kLinkDescriptorSize, 0.0f);
  std::size_t at = 0;
  const std::size_t angle_from = at;
  for (int k = 0; k < kProfileRadii; ++k) d[at++] = float((interpolate_profile(angles, 0.3 + 0.1 * k, false) - 100.0) / 30.0);
  normalise_block(d, angle_from, at, p.link_weight_angles);
  const std::size_t spacing_from = at;
  for (int k = 0; k < kProfileRadii; ++k) d[at++] = float((interpolate_profile(angles, 0.3 + 0.1 * k, true) - 1.5) / 0.5);
  normalise_block(d, spacing_from, at, p.link_weight_spacing);
  // Growth bands: profile minus its running mean (lighting and radial tone trends).
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
  // Angular power spectra: only meaningful for whole sections.
  const std::size_t tex_from = at;
  for (int ch = 0; ch < 2; ++ch)
    for (int band = 0; band < kSpectrumBands; ++band) {
      std::vector<double> line(cols, 0.0);
      bool complete = whole_section;
      for (int c = 0; c < cols && complete; ++c) {
        for (int i = band * rows / kSpectrumBands; i < (band + 1) * rows / kSpectrumBands; ++i) {
          const float v = map.at<float>(ch * rows + i, c);
          if (std::isnan(v)) { complete = false; break; }
          line[c] += v;
        }
      }
      for (int k = 2; k < 2 + kHarmonics; ++k) {
        double re = 0, im = 0;
        if (complete)
          for (int c = 0; c < cols; ++c) re += line[c] * std::cos(2 * M_PI * k * c / cols), im += line[c] * std::sin(2 * M_PI * k * c / cols);
        d[at++] = float(std::hypot(re, im) / cols);
      }
    }
  normalise_block(d, tex_from, at, p.link_weight_texture);
  // Geometry: CDJ radius, cementum thickness, outline harmonics (whole sections).
  const std::size_t geo_from = at;
  d[at++] = float(cdj.mean_radius / polar.px_per_mm / 30.0);
  d[at++] = float(cdj.found ? cdj.depth_mm : 0.0);
  {
    double mean = 0;
    int n = 0;
    for (int j = 0; j < pcols; ++j)
      if (polar.edge_radius[j] > 0) mean += polar.edge_radius[j], ++n;
    mean = n > 0 ? mean / n : 1.0;
    for (int k = 2; k < 2 + kOutlineHarmonics; ++k) {
      double re = 0, im = 0;
      if (whole_section && n == pcols)
        for (int j = 0; j < pcols; ++j) {
          const double v = polar.edge_radius[j] / mean - 1.0;
          re += v * std::cos(2 * M_PI * k * j / pcols), im += v * std::sin(2 * M_PI * k * j / pcols);
        }
      d[at++] = float(std::hypot(re, im) / pcols * 50.0);
    }
  }
  normalise_block(d, geo_from, at, p.link_weight_geometry);
  TP_ASSERT(at <= d.size());
  normalise_block(d, 0, d.size(), 1.0);
  out.descriptor = std::move(d);
  return out;
}

double descriptor_similarity(const std::vector<float>& a, const std::vector<float>& b) {
  TP_CHECK(a.size() == b.size(), kInvalidArgument,
           "link descriptors differ in length: " << a.size() << " vs " << b.size());
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

Alignment alignment_score(const cv::Mat& a, const cv::Mat& b, const SchregerParams& p) {
  TP_CHECK(!a.empty() && !b.empty(), kInvalidArgument, "empty polar map");
  TP_CHECK(a.size() == b.size() && a.type() == CV_32F && b.type() == CV_32F, kInvalidArgument,
           "polar maps differ in shape: " << a.rows << "x" << a.cols << " vs " << b.rows << "x" << b.cols);
  Alignment best;
  const int rows = a.rows, cols = a.cols;
  const int min_cells = int(p.link_min_overlap * rows * cols);
  for (int mirror = 0; mirror < 2; ++mirror) {
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

cv::Mat polar_map_from_values(const std::vector<float>& values, int rows, int cols) {
  TP_CHECK(rows > 0 && cols > 0 && values.size() == std::size_t(rows) * std::size_t(cols), kInvalidArgument,
           "polar map has " << values.size() << " values, expected " << rows << " x " << cols);
  cv::Mat m(rows, cols, CV_32F);
  std::copy(values.begin(), values.end(), m.ptr<float>(0));
  return m;
}

}  // namespace tuskprint::schreger
