#include "ridge/ridge_frequency.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "ridge/grid_sampling.hpp"

namespace tuskprint::ridge {
namespace {

// Normalised convolution: Gaussian average of `values` over cells where weight > 0.
cv::Mat weighted_blur(const cv::Mat& values, const cv::Mat& weights, double sigma,
                      cv::Mat* blurred_weights) {
  cv::Mat vw, w;
  cv::multiply(values, weights, vw);
  cv::GaussianBlur(vw, vw, cv::Size(), sigma, 0, cv::BORDER_REPLICATE);
  cv::GaussianBlur(weights, w, cv::Size(), sigma, 0, cv::BORDER_REPLICATE);
  cv::Mat out;
  cv::divide(vw, cv::max(w, 1e-6), out);
  if (blurred_weights != nullptr) *blurred_weights = w;
  return out;
}

}  // namespace

double RidgeFrequency::period_at(double x, double y) const {
  return sample_cells(period, cell, x, y);
}

double signature_period(const float* s, int n, const FrequencyParams& params) {
  // Remove the least-squares line: uneven pressure or lighting across the window would
  // otherwise dominate the autocorrelation.
  double mean = 0, slope_num = 0, slope_den = 0;
  const double centre = (n - 1) / 2.0;
  for (int i = 0; i < n; ++i) mean += s[i];
  mean /= n;
  for (int i = 0; i < n; ++i) {
    slope_num += (i - centre) * (s[i] - mean);
    slope_den += (i - centre) * (i - centre);
  }
  const double slope = slope_den > 0 ? slope_num / slope_den : 0;
  std::vector<double> d(n);
  double energy = 0;
  for (int i = 0; i < n; ++i) {
    d[i] = s[i] - mean - slope * (i - centre);
    energy += d[i] * d[i];
  }
  if (energy < 1e-6 * n) return 0;
  const int kmin = std::max(2, static_cast<int>(std::floor(params.min_period)) - 1);
  const int kmax = std::min(n - 4, static_cast<int>(std::ceil(params.max_period)) + 1);
  if (kmax <= kmin + 1) return 0;
  std::vector<double> r(kmax + 2, 0.0);
  for (int k = 1; k <= kmax + 1 && k < n; ++k) {
    double num = 0, ea = 0, eb = 0;
    for (int i = 0; i + k < n; ++i) {
      num += d[i] * d[i + k];
      ea += d[i] * d[i];
      eb += d[i + k] * d[i + k];
    }
    r[k] = ea > 0 && eb > 0 ? num / std::sqrt(ea * eb) : 0;
  }
  double best = -1;
  for (int k = kmin + 1; k <= kmax; ++k) best = std::max(best, r[k]);
  if (best < params.min_autocorrelation) return 0;
  // The first local maximum close to the best one: harmonics (2T, 3T) also correlate.
  for (int k = kmin + 1; k <= kmax; ++k) {
    if (r[k] >= r[k - 1] && r[k] >= r[k + 1] && r[k] >= 0.85 * best) {
      const double denom = r[k - 1] - 2 * r[k] + r[k + 1];
      const double offset = std::abs(denom) > 1e-12 ? 0.5 * (r[k - 1] - r[k + 1]) / denom : 0;
      const double period = k + std::clamp(offset, -0.5, 0.5);
      // A periodic signal anti-correlates at half its period; noise rarely does both.
      const int half = static_cast<int>(period / 2);
      const double trough = std::min(r[std::max(1, half)], r[half + 1]);
      if (trough > -params.min_trough_correlation) return 0;
      if (period < params.min_period || period > params.max_period) return 0;
      return period;
    }
  }
  return 0;
}

RidgeFrequency ridge_frequency(const cv::Mat& grey, const OrientationField& field,
                               const SegmentationMask& mask, const FrequencyParams& params) {
  const int block = params.block;
  const int cell = field.cell;
  const int brows = (grey.rows + block - 1) / block;
  const int bcols = (grey.cols + block - 1) / block;
  cv::Mat image;
  grey.convertTo(image, CV_32F);

  cv::Mat periods = cv::Mat::zeros(brows, bcols, CV_32F);
  cv::Mat valid = cv::Mat::zeros(brows, bcols, CV_32F);
  cv::Mat tried = cv::Mat::zeros(brows, bcols, CV_8U);
  const int length = params.window_length;
  const int half_width = params.window_width / 2;
  std::vector<float> signature(length);
  for (int by = 0; by < brows; ++by) {
    for (int bx = 0; bx < bcols; ++bx) {
      const double cx = std::min((bx + 0.5) * block, grey.cols - 1.0);
      const double cy = std::min((by + 0.5) * block, grey.rows - 1.0);
      // Only where the print is (or right next to it): saves time, avoids background.
      const int mcx = std::min(static_cast<int>(cx) / cell, mask.cells.cols - 1);
      const int mcy = std::min(static_cast<int>(cy) / cell, mask.cells.rows - 1);
      if (!mask.cells.at<std::uint8_t>(mcy, mcx)) continue;
      tried.at<std::uint8_t>(by, bx) = 1;
      const double theta = field.angle_at(cx, cy);
      const double tx = std::cos(theta), ty = std::sin(theta);  // along ridges
      const double nx = -ty, ny = tx;                            // across ridges
      for (int k = 0; k < length; ++k) {
        const double offset = k - (length - 1) / 2.0;
        double sum = 0;
        int count = 0;
        for (int j = -half_width; j <= half_width; j += 2) {
          sum += sample_bilinear(image, cx + offset * nx + j * tx, cy + offset * ny + j * ty);
          ++count;
        }
        signature[k] = static_cast<float>(sum / count);
      }
      const double period = signature_period(signature.data(), length, params);
      if (period > 0) {
        periods.at<float>(by, bx) = static_cast<float>(period);
        valid.at<float>(by, bx) = 1.f;
      }
    }
  }

  RidgeFrequency out;
  out.cell = cell;
  std::vector<float> measured_values;
  for (int y = 0; y < brows; ++y)
    for (int x = 0; x < bcols; ++x)
      if (valid.at<float>(y, x) > 0) measured_values.push_back(periods.at<float>(y, x));
  if (measured_values.empty()) {
    out.median_period = params.default_period;
  } else {
    auto mid = measured_values.begin() + measured_values.size() / 2;
    std::nth_element(measured_values.begin(), mid, measured_values.end());
    out.median_period = *mid;
  }

  // Fill unmeasured blocks from measured neighbours; far from any, use the median.
  cv::Mat weight;
  cv::Mat filled = weighted_blur(periods, valid, params.fill_sigma, &weight);
  for (int y = 0; y < brows; ++y) {
    for (int x = 0; x < bcols; ++x) {
      float& p = filled.at<float>(y, x);
      const float w = weight.at<float>(y, x);
      const float fallback = static_cast<float>(out.median_period);
      // Blend towards the median where the measured support is thin.
      const float support = std::min(1.f, w * 4.f);
      p = support * p + (1 - support) * fallback;
      p = std::clamp(p, static_cast<float>(params.min_period), static_cast<float>(params.max_period));
    }
  }

  const int crows = field.angle.rows, ccols = field.angle.cols;
  out.period.create(crows, ccols, CV_32F);
  out.measured.create(crows, ccols, CV_8U);
  out.attempted.create(crows, ccols, CV_8U);
  for (int y = 0; y < crows; ++y) {
    for (int x = 0; x < ccols; ++x) {
      const double px = (x + 0.5) * cell, py = (y + 0.5) * cell;
      out.period.at<float>(y, x) = sample_bilinear(filled, px / block - 0.5, py / block - 0.5);
      const int bx = std::min(static_cast<int>(px) / block, bcols - 1);
      const int by = std::min(static_cast<int>(py) / block, brows - 1);
      out.measured.at<std::uint8_t>(y, x) = valid.at<float>(by, bx) > 0 ? 1 : 0;
      out.attempted.at<std::uint8_t>(y, x) = tried.at<std::uint8_t>(by, bx);
    }
  }
  return out;
}

cv::Mat render_ridge_frequency(const RidgeFrequency& frequency, cv::Size image_size,
                               const FrequencyParams& params) {
  cv::Mat cells(frequency.period.size(), CV_8U);
  const double span = params.max_period - params.min_period;
  for (int y = 0; y < cells.rows; ++y) {
    for (int x = 0; x < cells.cols; ++x) {
      const double t = (frequency.period.at<float>(y, x) - params.min_period) / span;
      const double level = 40 + 215 * std::clamp(t, 0.0, 1.0);
      cells.at<std::uint8_t>(y, x) =
          static_cast<std::uint8_t>(frequency.measured.at<std::uint8_t>(y, x) ? level : level / 3);
    }
  }
  cv::Mat out;
  cv::resize(cells, out, cv::Size(cells.cols * frequency.cell, cells.rows * frequency.cell), 0, 0,
             cv::INTER_NEAREST);
  return out(cv::Rect(0, 0, image_size.width, image_size.height)).clone();
}

}  // namespace tuskprint::ridge
