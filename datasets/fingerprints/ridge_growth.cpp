#include "datasets/fingerprints/ridge_growth.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <opencv2/imgproc.hpp>

namespace tuskprint::synth {
namespace {
constexpr double kPi = std::numbers::pi;

GaborBank::Kernel make_kernel(double orientation, double period, const MasterParams& p) {
  GaborBank::Kernel k;
  const double sigma = p.gabor_sigma_per_period * period;
  k.radius = static_cast<int>(std::ceil(p.gabor_radius_sigmas * sigma));
  const int side = 2 * k.radius + 1;
  k.stride = (side + 3) / 4 * 4;
  k.weights.assign(static_cast<std::size_t>(k.stride * side), 0.0f);
  // Across-ridge unit vector (normal of the tangent).
  const double nx = -std::sin(orientation), ny = std::cos(orientation);
  std::vector<double> envelope(k.weights.size(), 0.0), wave(k.weights.size(), 0.0);
  double env_sum = 0, gabor_sum = 0;
  for (int y = -k.radius; y <= k.radius; ++y) {
    for (int x = -k.radius; x <= k.radius; ++x) {
      if (x * x + y * y > k.radius * k.radius) continue;  // round support
      const std::size_t i = static_cast<std::size_t>((y + k.radius) * k.stride + x + k.radius);
      const double across = x * nx + y * ny;
      envelope[i] = std::exp(-(x * x + y * y) / (2 * sigma * sigma));
      wave[i] = std::cos(2 * kPi * across / period);
      env_sum += envelope[i];
      gabor_sum += envelope[i] * wave[i];
    }
  }
  // Zero mean (flat areas must not drift to all-ridge), unit gain on a matched wave.
  const double dc = gabor_sum / env_sum;
  double response = 0;
  for (std::size_t i = 0; i < envelope.size(); ++i) {
    const double w = envelope[i] * (wave[i] - dc);
    response += w * wave[i];
    k.weights[i] = static_cast<float>(w);
  }
  for (float& w : k.weights) w = static_cast<float>(w / response);
  return k;
}

// Dot product of a kernel with the patch centred at `centre` (row stride `stride`).
inline float filter_at(const GaborBank::Kernel& k, const float* centre, int stride) {
  float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  const float* w = k.weights.data();
  const float* row = centre - k.radius * stride - k.radius;
  const int side = 2 * k.radius + 1;
  for (int y = 0; y < side; ++y, row += stride, w += k.stride) {
    for (int x = 0; x < k.stride; x += 4) {
      a0 += w[x] * row[x];
      a1 += w[x + 1] * row[x + 1];
      a2 += w[x + 2] * row[x + 2];
      a3 += w[x + 3] * row[x + 3];
    }
  }
  return (a0 + a1) + (a2 + a3);
}
}  // namespace

GaborBank::GaborBank(const MasterParams& p)
    : orientation_bins_(p.orientation_bins),
      period_bins_(static_cast<int>(std::floor((p.period_max - p.period_min) / p.period_bin_step)) + 1),
      period_min_(p.period_min),
      period_step_(p.period_bin_step) {
  kernels_.reserve(static_cast<std::size_t>(orientation_bins_ * period_bins_));
  for (int o = 0; o < orientation_bins_; ++o) {
    for (int f = 0; f < period_bins_; ++f) {
      kernels_.push_back(make_kernel(o * kPi / orientation_bins_, period_min_ + f * period_step_, p));
      max_radius_ = std::max(max_radius_, kernels_.back().radius);
    }
  }
}

int GaborBank::index(float orientation, float period) const {
  int o = static_cast<int>(std::lround(orientation / kPi * orientation_bins_)) % orientation_bins_;
  if (o < 0) o += orientation_bins_;
  const int f = std::clamp(static_cast<int>(std::lround((period - period_min_) / period_step_)), 0,
                           period_bins_ - 1);
  return o * period_bins_ + f;
}

cv::Mat1f grow_ridges(const cv::Mat1f& orientation, const cv::Mat1f& period,
                      const cv::Mat1b& foreground, Rng& rng, const MasterParams& params,
                      int* iterations_used) {
  const GaborBank bank(params);
  const int border = bank.max_radius() + 4;
  const cv::Size size = foreground.size();
  // Grow a little past the outline so ridges run cleanly up to it.
  cv::Mat1b work;
  cv::dilate(foreground, work, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(9, 9)));
  cv::Mat_<int> kernel_index(size);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) kernel_index(y, x) = bank.index(orientation(y, x), period(y, x));
  }

  cv::Mat1f current(size.height + 2 * border, size.width + 2 * border, 0.0f);
  cv::Mat1f next = current.clone();
  const int stride = static_cast<int>(current.step1());
  auto at = [&](cv::Mat1f& m, int y, int x) -> float& { return m(y + border, x + border); };

  // Seeds: small patches of the local Gabor wave with random phase sign, one at a random
  // spot in each cell of a coarse grid (spread out so fronts fill the finger quickly).
  const int seeds = rng.uniform_int(params.growth_seeds_min, params.growth_seeds_max);
  const double cell = std::sqrt(static_cast<double>(cv::countNonZero(foreground)) / std::max(seeds, 1));
  for (double cy = 0; cy < size.height; cy += cell) {
    for (double cx = 0; cx < size.width; cx += cell) {
      // A few tries per cell so cells cut by the outline still get their seed.
      cv::Point c(-1, -1);
      for (int attempt = 0; attempt < 6 && c.x < 0; ++attempt) {
        const cv::Point t{static_cast<int>(cx + rng.uniform() * cell), static_cast<int>(cy + rng.uniform() * cell)};
        if (t.x < size.width && t.y < size.height && foreground(t.y, t.x) != 0) c = t;
      }
      const bool sign_up = rng.bernoulli(0.5);
      if (c.x < 0) continue;
      const GaborBank::Kernel& k = bank.kernel(kernel_index(c.y, c.x));
      const float peak = k.weights[static_cast<std::size_t>(k.radius * k.stride + k.radius)];
      const float sign = sign_up ? 1.0f : -1.0f;
      for (int dy = -k.radius; dy <= k.radius; ++dy) {
        for (int dx = -k.radius; dx <= k.radius; ++dx) {
          const int x = c.x + dx, y = c.y + dy;
          if (x < 0 || y < 0 || x >= size.width || y >= size.height) continue;
          const float w = k.weights[static_cast<std::size_t>((dy + k.radius) * k.stride + dx + k.radius)];
          at(current, y, x) = std::clamp(sign * w / peak, -1.0f, 1.0f);
        }
      }
    }
  }

  const int work_pixels = cv::countNonZero(work);
  const float gain = static_cast<float>(params.growth_gain);
  cv::Mat1b alive(size), reached(size);
  const cv::Mat dilation = cv::getStructuringElement(
      cv::MORPH_RECT, cv::Size(2 * bank.max_radius() + 1, 2 * bank.max_radius() + 1));
  bool all_alive = false;
  int it = 0;
  // Iterate until stable; past the cap, only while some of the finger is still unreached.
  for (; it < params.growth_max_iterations || (!all_alive && it < 3 * params.growth_max_iterations); ++it) {
    if (!all_alive) {
      const cv::Mat1f inner = current(cv::Rect(border, border, size.width, size.height));
      cv::compare(cv::abs(inner), 0.0f, reached, cv::CMP_GT);
      cv::dilate(reached, alive, dilation);
      cv::bitwise_and(alive, work, alive);
      all_alive = cv::countNonZero(alive) == work_pixels;
    }
    int sign_changes = 0;
    for (int y = 0; y < size.height; ++y) {
      const unsigned char* live = all_alive ? work.ptr<unsigned char>(y) : alive.ptr<unsigned char>(y);
      const int* idx = kernel_index.ptr<int>(y);
      const float* src = &at(current, y, 0);
      float* dst = &at(next, y, 0);
      for (int x = 0; x < size.width; ++x) {
        if (live[x] == 0) {
          dst[x] = 0;
          continue;
        }
        const float v = std::clamp(gain * filter_at(bank.kernel(idx[x]), src + x, stride), -1.0f, 1.0f);
        if ((v > 0) != (src[x] > 0)) ++sign_changes;
        dst[x] = v;
      }
    }
    std::swap(current, next);
    if (all_alive && sign_changes < params.growth_stable_fraction * work_pixels) {
      ++it;
      break;
    }
  }
  if (iterations_used != nullptr) *iterations_used = it;
  cv::Mat1f ridges = current(cv::Rect(border, border, size.width, size.height)).clone();
  ridges.setTo(0.0f, ~foreground);
  return ridges;
}

}  // namespace tuskprint::synth
