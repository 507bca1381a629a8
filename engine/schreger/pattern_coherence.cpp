#include "schreger/pattern_coherence.hpp"

#include <algorithm>
#include <cmath>
#include <complex>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::schreger {
namespace {

using Complex = std::complex<float>;
static_assert(sizeof(Complex) == sizeof(cv::Vec2f));

// Columns averaged together before the local window (the window is ~12 times wider).
constexpr int kDecimate = 4;

// Width of a box whose three passes have the variance sigma^2 (3 (w^2 - 1) / 12), odd.
int box_width(double sigma) { return 2 * int(std::lround(0.5 * std::sqrt(4 * sigma * sigma + 1) - 0.5)) + 1; }

// Near-Gaussian smoothing (three box passes) with the columns wrapping around (angle) and
// zeros beyond the first and last row (radius).
cv::Mat smooth(const cv::Mat& m, const SchregerParams& p) {
  const int wr = box_width(p.coherence_sigma_rows), wc = box_width(p.coherence_sigma_cols / kDecimate);
  const int pr = 3 * (wr / 2) + 1, pc = std::min(m.cols, 3 * (wc / 2) + 1);
  cv::Mat padded, wrapped;
  cv::copyMakeBorder(m, wrapped, 0, 0, pc, pc, cv::BORDER_WRAP);
  cv::copyMakeBorder(wrapped, padded, pr, pr, 0, 0, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  for (int pass = 0; pass < 3; ++pass)
    cv::blur(padded, padded, cv::Size(wc, wr), cv::Point(-1, -1), cv::BORDER_CONSTANT);
  return padded(cv::Rect(pc, pr, m.cols, m.rows)).clone();
}

}  // namespace

PatternPhase pattern_phase(const cv::Mat& map, bool mirrored, const SchregerParams& p) {
  TP_CHECK(!map.empty() && map.type() == CV_32F, kInvalidArgument, "empty pattern map");
  const int rows = map.rows, cols = map.cols;
  // Zero rows below the map keep the radial (non-periodic) direction from wrapping around.
  const int prow = cv::getOptimalDFTSize(rows + 2 * box_width(p.coherence_sigma_rows));
  cv::Mat v = cv::Mat::zeros(prow, cols, CV_32F);
  PatternPhase out;
  out.mask = cv::Mat::zeros(rows, cols, CV_8U);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const float x = map.at<float>(i, mirrored ? (cols - j) % cols : j);
      if (std::isnan(x)) continue;
      v.at<float>(i, j) = x;
      out.mask.at<std::uint8_t>(i, j) = 1;
    }
  cv::Mat spectrum;
  cv::dft(v, spectrum, cv::DFT_COMPLEX_OUTPUT);
  // Column frequency j is the number of line periods around the centre; radial frequency of
  // either sign picks the family leaning one way or the other from the radius.
  cv::Mat half[2] = {cv::Mat::zeros(prow, cols, CV_32FC2), cv::Mat::zeros(prow, cols, CV_32FC2)};
  const int first = std::max(1, p.coherence_min_lines);
  for (int i = 1; i < prow; ++i) {
    const int family = i < (prow + 1) / 2 ? 0 : 1;
    if (2 * i == prow) continue;  // the Nyquist row leans neither way
    for (int j = first; 2 * j < cols; ++j) half[family].at<cv::Vec2f>(i, j) = spectrum.at<cv::Vec2f>(i, j);
  }
  for (int k = 0; k < 2; ++k) {
    cv::Mat field;
    cv::dft(half[k], field, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_COMPLEX_OUTPUT);
    out.family[k] = cv::Mat::zeros(rows, cols, CV_32FC2);
    field(cv::Rect(0, 0, cols, rows)).copyTo(out.family[k], out.mask);
  }
  return out;
}

PatternPhase mirror_phase(const PatternPhase& plain) {
  TP_CHECK(!plain.mask.empty(), kInvalidArgument, "empty pattern phase");
  // With x'(r, c) = x(r, -c) the half-plane (u > 0, v > 0) of x' is the conjugate of x's
  // (u < 0, v > 0): family k of the mirrored map is the conjugate of family 1 - k, mirrored.
  const int rows = plain.mask.rows, cols = plain.mask.cols;
  PatternPhase out;
  out.mask = cv::Mat(rows, cols, CV_8U);
  for (int k = 0; k < 2; ++k) out.family[k] = cv::Mat(rows, cols, CV_32FC2);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const int from = (cols - c) % cols;
      out.mask.at<std::uint8_t>(r, c) = plain.mask.at<std::uint8_t>(r, from);
      for (int k = 0; k < 2; ++k) {
        const cv::Vec2f& v = plain.family[1 - k].at<cv::Vec2f>(r, from);
        out.family[k].at<cv::Vec2f>(r, c) = cv::Vec2f(v[0], -v[1]);
      }
    }
  return out;
}

double pattern_coherence(const PatternPhase& a, const PatternPhase& b, const PatternAlignment& alignment,
                         const SchregerParams& p) {
  TP_CHECK(!a.mask.empty() && a.mask.size() == b.mask.size() && a.family[0].size() == a.mask.size() &&
               b.family[0].size() == b.mask.size(),
           kInvalidArgument, "pattern phases differ in shape");
  const int rows = a.mask.rows, cols = a.mask.cols;
  // b's cell (r, c) lies on a's cell (r + row_shift, c + col_shift).
  const int col_shift = ((alignment.col_shift % cols) + cols) % cols;
  cv::Mat both = cv::Mat::zeros(rows, cols, CV_8U);
  for (int r = 0; r < rows; ++r) {
    const int rb = r - alignment.row_shift;
    if (rb < 0 || rb >= rows) continue;
    const std::uint8_t* ma = a.mask.ptr<std::uint8_t>(r);
    const std::uint8_t* mb = b.mask.ptr<std::uint8_t>(rb);
    std::uint8_t* out = both.ptr<std::uint8_t>(r);
    for (int c = 0; c < cols; ++c) {
      const int cb = c >= col_shift ? c - col_shift : c - col_shift + cols;
      out[c] = ma[c] && mb[cb] ? 255 : 0;
    }
  }
  // Away from the mask's edges, where the analytic fields ring.
  const int e = p.coherence_erode_cells;
  if (e > 0)
    cv::erode(both, both, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * e + 1, 2 * e + 1)), cv::Point(-1, -1),
              1, cv::BORDER_CONSTANT, cv::Scalar(0));
  if (cv::countNonZero(both) == 0) return 0.0;
  // The phase products are smooth where the drift is (the line carriers cancel), so they are
  // averaged over kDecimate columns before the local window (~48 columns) is applied.
  const int low_cols = std::max(1, cols / kDecimate);
  cv::Mat weight, weight_low;
  both.convertTo(weight, CV_32F, 1.0 / 255.0);
  cv::resize(weight, weight_low, cv::Size(low_cols, rows), 0, 0, cv::INTER_AREA);
  const cv::Mat weight_smooth = smooth(weight_low, p);
  double coherence = 0;
  for (int k = 0; k < 2; ++k) {
    cv::Mat product = cv::Mat::zeros(rows, cols, CV_32FC2);
    double raw = 0;
    for (int r = 0; r < rows; ++r) {
      const int rb = r - alignment.row_shift;
      if (rb < 0 || rb >= rows) continue;
      const std::uint8_t* m = both.ptr<std::uint8_t>(r);
      const Complex* fa = a.family[k].ptr<Complex>(r);
      const Complex* fb = b.family[k].ptr<Complex>(rb);
      Complex* out = product.ptr<Complex>(r);
      for (int c = 0; c < cols; ++c) {
        if (!m[c]) continue;
        const int cb = c >= col_shift ? c - col_shift : c - col_shift + cols;
        out[c] = fa[c] * std::conj(fb[cb]);
        raw += std::abs(out[c]);
      }
    }
    if (raw <= 0) continue;
    cv::Mat product_low;
    cv::resize(product, product_low, cv::Size(low_cols, rows), 0, 0, cv::INTER_AREA);
    const cv::Mat local = smooth(product_low, p);
    double kept = 0;
    for (int r = 0; r < rows; ++r) {
      const float* w = weight_low.ptr<float>(r);
      const float* ws = weight_smooth.ptr<float>(r);
      const Complex* l = local.ptr<Complex>(r);
      for (int c = 0; c < low_cols; ++c)
        if (w[c] > 0) kept += w[c] * std::abs(l[c]) / std::max(1e-6f, ws[c]);
    }
    coherence += 0.5 * std::min(1.0, double(cols) / low_cols * kept / raw);
  }
  return coherence;
}

}  // namespace tuskprint::schreger
