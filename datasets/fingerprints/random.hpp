#pragma once
// Portable randomness for the synthetic generators. std::mt19937_64 is specified bit for
// bit by the standard, but std::*_distribution are not: each standard library turns the
// engine's output into numbers its own way. Every draw here is computed from the raw
// 64-bit engine output with our own arithmetic, so a seed gives the same numbers (and so
// byte-identical images and manifests) with any compiler and standard library.
// The order of draws must be fixed too: never draw twice among the arguments of one call
// (`Point2d(rng.normal(), rng.normal())` is evaluated in either order); use a braced
// initialiser (`Point2d{...}`, evaluated left to right) or separate statements.
#include <cstdint>
#include <random>

namespace tuskprint::synth {

// Mixes seeds into a new one (SplitMix64 finaliser): a finger's stream is
// derive_seed(run_seed, finger_id), an impression's derive_seed(run_seed, finger_id, k).
// Each unit draws from its own stream, so finger 7 looks the same whatever N is.
std::uint64_t derive_seed(std::uint64_t base, std::uint64_t a, std::uint64_t b = 0,
                          std::uint64_t c = 0);

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next() { return engine_(); }
  // Uniform in [0, 1) from the top 53 bits.
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi] (inclusive), unbiased by rejection.
  int uniform_int(int lo, int hi);
  // Standard normal by the Marsaglia polar method (log and sqrt only).
  double normal();
  double normal(double mean, double sd) { return mean + sd * normal(); }
  // Normal clipped to [lo, hi] by clamping (keeps draws bounded, shape nearly intact).
  double clipped_normal(double mean, double sd, double lo, double hi);
  bool bernoulli(double p) { return uniform() < p; }
  // Poisson count (Knuth's product method for small means, normal approximation above 50).
  int poisson(double mean);
  // A child generator on its own stream: stages fork so adding a draw to one stage does
  // not shift every later stage.
  Rng fork(std::uint64_t stream) { return Rng(derive_seed(next(), stream)); }

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace tuskprint::synth
