#include "datasets/fingerprints/random.hpp"

#include <algorithm>
#include <cmath>

namespace tuskprint::synth {
namespace {
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
}  // namespace

std::uint64_t derive_seed(std::uint64_t base, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  std::uint64_t h = splitmix64(base);
  h = splitmix64(h ^ a);
  h = splitmix64(h ^ (b * 0xD6E8FEB86659FD93ULL));
  h = splitmix64(h ^ (c * 0xA0761D6478BD642FULL));
  return h;
}

double Rng::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

int Rng::uniform_int(int lo, int hi) {
  if (hi <= lo) return lo;
  const std::uint64_t span = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo) + 1;
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
  std::uint64_t r = engine_();
  while (r >= limit) r = engine_();
  return static_cast<int>(static_cast<std::int64_t>(lo) + static_cast<std::int64_t>(r % span));
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u = 0, v = 0, s = 0;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

double Rng::clipped_normal(double mean, double sd, double lo, double hi) {
  return std::clamp(normal(mean, sd), lo, hi);
}

int Rng::poisson(double mean) {
  if (mean <= 0) return 0;
  if (mean > 50) return std::max(0, static_cast<int>(std::lround(normal(mean, std::sqrt(mean)))));
  const double limit = std::exp(-mean);
  int k = 0;
  double p = uniform();
  while (p > limit) {
    ++k;
    p *= uniform();
  }
  return k;
}

}  // namespace tuskprint::synth
