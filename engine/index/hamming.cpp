#include "index/hamming.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <numbers>

namespace tuskprint::index::hamming {
namespace {

inline int count_ones(const std::uint8_t* code, std::size_t bytes) {
  int ones = 0;
  std::size_t b = 0;
  for (; b + 8 <= bytes; b += 8) {
    std::uint64_t v;
    std::memcpy(&v, code + b, 8);
    ones += std::popcount(v);
  }
  for (; b < bytes; ++b) ones += std::popcount(unsigned(code[b]));
  return ones;
}

inline int count_differing(const std::uint8_t* x, const std::uint8_t* y, std::size_t bytes) {
  int differing = 0;
  std::size_t b = 0;
  for (; b + 8 <= bytes; b += 8) {
    std::uint64_t u, v;
    std::memcpy(&u, x + b, 8);
    std::memcpy(&v, y + b, 8);
    differing += std::popcount(u ^ v);
  }
  for (; b < bytes; ++b) differing += std::popcount(unsigned(x[b] ^ y[b]));
  return differing;
}

inline void nearest_body(const std::uint8_t* codes, std::size_t n, const std::uint8_t* centroids,
                         std::size_t m, std::size_t bytes, std::int64_t* nearest) {
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t i = 0; i < std::ptrdiff_t(n); ++i) {
    const std::uint8_t* code = codes + std::size_t(i) * bytes;
    int best = 1 << 30;
    std::int64_t best_index = 0;
    for (std::size_t c = 0; c < m; ++c) {
      const int d = count_differing(code, centroids + c * bytes, bytes);
      if (d < best) {
        best = d;
        best_index = std::int64_t(c);
      }
    }
    nearest[i] = best_index;
  }
}

inline void similarities_body(const std::uint8_t* probe_codes, const float* probe_directions,
                              std::size_t np, const std::uint8_t* gallery_codes,
                              const float* gallery_directions, std::size_t ng, std::size_t bytes,
                              float max_turn, std::vector<float>& out) {
  std::vector<int> gallery_ones(ng);
  for (std::size_t j = 0; j < ng; ++j) gallery_ones[j] = count_ones(gallery_codes + j * bytes, bytes);
  for (std::size_t i = 0; i < np; ++i) {
    const std::uint8_t* a = probe_codes + i * bytes;
    const int probe_ones = count_ones(a, bytes);
    for (std::size_t j = 0; j < ng; ++j) {
      float turn = std::fabs(probe_directions[i] - gallery_directions[j]);
      turn = std::min(turn, 2 * std::numbers::pi_v<float> - turn);
      if (turn > max_turn) continue;
      const int denominator = probe_ones + gallery_ones[j];
      if (denominator == 0) continue;
      const int differing = count_differing(a, gallery_codes + j * bytes, bytes);
      out.push_back(1.0f - float(differing) / float(denominator));
    }
  }
}

#if defined(__x86_64__) || defined(__i386__)
#define TUSKPRINT_HAMMING_DISPATCH 1
__attribute__((target("popcnt"))) void nearest_popcnt(const std::uint8_t* codes, std::size_t n,
                                                      const std::uint8_t* centroids, std::size_t m,
                                                      std::size_t bytes, std::int64_t* nearest) {
  nearest_body(codes, n, centroids, m, bytes, nearest);
}

__attribute__((target("popcnt"))) void similarities_popcnt(
    const std::uint8_t* probe_codes, const float* probe_directions, std::size_t np,
    const std::uint8_t* gallery_codes, const float* gallery_directions, std::size_t ng,
    std::size_t bytes, float max_turn, std::vector<float>& out) {
  similarities_body(probe_codes, probe_directions, np, gallery_codes, gallery_directions, ng,
                    bytes, max_turn, out);
}

bool has_popcnt() {
  static const bool has = __builtin_cpu_supports("popcnt");
  return has;
}
#endif

}  // namespace

void nearest_centroids(const std::uint8_t* codes, std::size_t n, const std::uint8_t* centroids,
                       std::size_t m, std::size_t bytes, std::int64_t* nearest) {
#ifdef TUSKPRINT_HAMMING_DISPATCH
  if (has_popcnt()) return nearest_popcnt(codes, n, centroids, m, bytes, nearest);
#endif
  nearest_body(codes, n, centroids, m, bytes, nearest);
}

void code_similarities(const std::uint8_t* probe_codes, const float* probe_directions,
                       std::size_t np, const std::uint8_t* gallery_codes,
                       const float* gallery_directions, std::size_t ng, std::size_t bytes,
                       float max_turn, std::vector<float>& out) {
#ifdef TUSKPRINT_HAMMING_DISPATCH
  if (has_popcnt()) {
    return similarities_popcnt(probe_codes, probe_directions, np, gallery_codes,
                               gallery_directions, ng, bytes, max_turn, out);
  }
#endif
  similarities_body(probe_codes, probe_directions, np, gallery_codes, gallery_directions, ng,
                    bytes, max_turn, out);
}

}  // namespace tuskprint::index::hamming
