#include "ridge/enhanced_image.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace tuskprint::ridge {

cv::Mat gabor_kernel(double ridge_angle, double period, const EnhancementParams& params) {
  const int r = params.radius;
  const double sx = params.sigma_across * period;  // across ridges
  const double sy = params.sigma_along * period;   // along ridges
  const double tx = std::cos(ridge_angle), ty = std::sin(ridge_angle);
  cv::Mat kernel(2 * r + 1, 2 * r + 1, CV_32F);
  cv::Mat envelope(2 * r + 1, 2 * r + 1, CV_32F);
  double sum = 0, envelope_sum = 0;
  for (int dy = -r; dy <= r; ++dy) {
    for (int dx = -r; dx <= r; ++dx) {
      const double along = dx * tx + dy * ty;
      const double across = -dx * ty + dy * tx;
      const double e = std::exp(-0.5 * (across * across / (sx * sx) + along * along / (sy * sy)));
      const double g = e * std::cos(2 * CV_PI * across / period);
      kernel.at<float>(dy + r, dx + r) = static_cast<float>(g);
      envelope.at<float>(dy + r, dx + r) = static_cast<float>(e);
      sum += g;
      envelope_sum += e;
    }
  }
  // Remove the DC response (a flat patch must give 0) and normalise the gain.
  kernel -= envelope * (sum / envelope_sum);
  const double l1 = cv::norm(kernel, cv::NORM_L1);
  if (l1 > 0) kernel /= l1;
  // Dark ridges: the kernel peaks at its centre line, so negate to make ridges positive.
  kernel *= -1.0;
  return kernel;
}

cv::Mat enhanced_image(const cv::Mat& grey, const OrientationField& field,
                       const RidgeFrequency& frequency, const SegmentationMask& mask,
                       const EnhancementParams& params) {
  const int r = params.radius;
  const int cell = field.cell;
  const int bins = params.orientation_bins;

  // Remove the local mean so that truncated kernels see a zero-mean signal.
  cv::Mat image, local_mean;
  grey.convertTo(image, CV_32F);
  cv::boxFilter(image, local_mean, CV_32F, cv::Size(params.mean_window, params.mean_window),
                cv::Point(-1, -1), true, cv::BORDER_REPLICATE);
  image -= local_mean;
  cv::Mat padded;
  cv::copyMakeBorder(image, padded, r, r, r, r, cv::BORDER_REFLECT);

  // Kernel id per cell (period bin k stands for k * period_step px); kernels are built the
  // first time a cell asks for them.
  cv::Mat kernel_id(field.angle.size(), CV_32S);
  int period_bins = 0;
  for (int y = 0; y < kernel_id.rows; ++y) {
    for (int x = 0; x < kernel_id.cols; ++x) {
      const int ob = static_cast<int>(std::lround(field.angle.at<float>(y, x) / CV_PI * bins)) % bins;
      const int pb = std::max(1, static_cast<int>(std::lround(frequency.period.at<float>(y, x) /
                                                              params.period_step)));
      period_bins = std::max(period_bins, pb + 1);
      kernel_id.at<int>(y, x) = pb * bins + ob;
    }
  }
  std::vector<cv::Mat> bank(static_cast<std::size_t>(period_bins) * bins);
  auto kernel_for = [&](int id) -> const cv::Mat& {
    cv::Mat& k = bank[id];
    if (k.empty()) {
      const int ob = id % bins, pb = id / bins;
      k = gabor_kernel(ob * CV_PI / bins, pb * params.period_step, params);
    }
    return k;
  };

  cv::Mat out = cv::Mat::zeros(grey.size(), CV_32F);
  const int taps = 2 * r + 1;
  for (int y = 0; y < grey.rows; ++y) {
    const auto* m = mask.pixels.ptr<std::uint8_t>(y);
    float* dst = out.ptr<float>(y);
    const int* ids = kernel_id.ptr<int>(std::min(y / cell, kernel_id.rows - 1));
    int x = 0;
    while (x < grey.cols) {
      if (!m[x]) {
        ++x;
        continue;
      }
      // A run of mask pixels sharing one kernel.
      const int id = ids[x / cell];
      int end = x + 1;
      while (end < grey.cols && m[end] && ids[end / cell] == id) ++end;
      const cv::Mat& k = kernel_for(id);
      const int n = end - x;
      float* acc = dst + x;
      for (int i = 0; i < taps; ++i) {
        const float* krow = k.ptr<float>(i);
        const float* src_row = padded.ptr<float>(y + i) + x;
        for (int j = 0; j < taps; ++j) {
          const float w = krow[j];
          const float* src = src_row + j;
          for (int t = 0; t < n; ++t) acc[t] += w * src[t];
        }
      }
      x = end;
    }
  }
  return out;
}

cv::Mat render_enhanced(const cv::Mat& enhanced) {
  double max_abs = 0;
  cv::minMaxLoc(cv::abs(enhanced), nullptr, &max_abs);
  cv::Mat out;
  const double gain = max_abs > 0 ? 127.0 / max_abs : 0.0;
  enhanced.convertTo(out, CV_8U, -gain, 128);
  return out;
}

}  // namespace tuskprint::ridge
