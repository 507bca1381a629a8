#include "index/hamming.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <numbers>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tuskprint::index::hamming {
namespace {

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

// 512-bit codes (the default) get an unrolled loop; other lengths the general one.
inline void distances_body(const std::uint8_t* query, const std::uint8_t* codes, std::size_t n,
                           std::size_t bytes, std::uint16_t* out) {
  if (bytes == 64) {
    std::uint64_t q[8];
    std::memcpy(q, query, 64);
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t c[8];
      std::memcpy(c, codes + i * 64, 64);
      out[i] = std::uint16_t(std::popcount(q[0] ^ c[0]) + std::popcount(q[1] ^ c[1]) +
                             std::popcount(q[2] ^ c[2]) + std::popcount(q[3] ^ c[3]) +
                             std::popcount(q[4] ^ c[4]) + std::popcount(q[5] ^ c[5]) +
                             std::popcount(q[6] ^ c[6]) + std::popcount(q[7] ^ c[7]));
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = std::uint16_t(count_differing(query, codes + i * bytes, bytes));
}

#if defined(__x86_64__) || defined(__i386__)
#define TUSKPRINT_HAMMING_DISPATCH 1
// AVX2 for codes of whole 32-byte blocks (up to 31 blocks, so byte counters cannot overflow):
// bits counted per nibble by table lookup (vpshufb), summed by vpsadbw. About twice the popcnt
// loop's speed on 512-bit codes; the same counts.
__attribute__((target("avx2"))) void distances_avx2(const std::uint8_t* query,
                                                    const std::uint8_t* codes, std::size_t n,
                                                    std::size_t bytes, std::uint16_t* out) {
  const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                         0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  const std::size_t blocks = bytes / 32;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* code = codes + i * bytes;
    __m256i counts = _mm256_setzero_si256();
    for (std::size_t b = 0; b < blocks; ++b) {
      const __m256i x = _mm256_xor_si256(
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(query + 32 * b)),
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(code + 32 * b)));
      const __m256i low = _mm256_shuffle_epi8(table, _mm256_and_si256(x, nibble));
      const __m256i high = _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble));
      counts = _mm256_add_epi8(counts, _mm256_add_epi8(low, high));
    }
    const __m256i sums = _mm256_sad_epu8(counts, _mm256_setzero_si256());
    const __m128i pair = _mm_add_epi64(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1));
    out[i] = std::uint16_t(_mm_cvtsi128_si64(pair) + _mm_extract_epi64(pair, 1));
  }
}

bool has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

__attribute__((target("popcnt"))) void distances_popcnt(const std::uint8_t* query,
                                                        const std::uint8_t* codes, std::size_t n,
                                                        std::size_t bytes, std::uint16_t* out) {
  distances_body(query, codes, n, bytes, out);
}

bool has_popcnt() {
  static const bool has = __builtin_cpu_supports("popcnt");
  return has;
}
#endif

}  // namespace

void nearest_centroids(const std::uint8_t* codes, std::size_t n, const std::uint8_t* centroids,
                       std::size_t m, std::size_t bytes, std::int64_t* nearest) {
  // The distance kernel is called per code: an OpenMP region is outlined into a function
  // without the kernels' target attributes, so the counting must not happen inside it.
#pragma omp parallel
  {
    std::vector<std::uint16_t> d(m);
#pragma omp for schedule(dynamic, 256)
    for (std::ptrdiff_t i = 0; i < std::ptrdiff_t(n); ++i) {
      distances(codes + std::size_t(i) * bytes, centroids, m, bytes, d.data());
      nearest[i] = std::int64_t(std::min_element(d.begin(), d.end()) - d.begin());  // first of ties
    }
  }
}

void distances(const std::uint8_t* query, const std::uint8_t* codes, std::size_t n,
               std::size_t bytes, std::uint16_t* out) {
#ifdef TUSKPRINT_HAMMING_DISPATCH
  if (bytes % 32 == 0 && bytes / 32 <= 31 && has_avx2()) return distances_avx2(query, codes, n, bytes, out);
  if (has_popcnt()) return distances_popcnt(query, codes, n, bytes, out);
#endif
  distances_body(query, codes, n, bytes, out);
}

void smallest(const std::uint16_t* distances, std::size_t n, std::size_t k, int max_distance,
              std::vector<std::uint32_t>& positions) {
  positions.clear();
  k = std::min(k, n);
  if (k == 0) return;
  // Histogram of distances, then the largest distance still needed and how many of it.
  std::vector<std::uint32_t> count(std::size_t(max_distance) + 2, 0);
  for (std::size_t i = 0; i < n; ++i) ++count[std::min<std::size_t>(distances[i], std::size_t(max_distance) + 1)];
  std::size_t below = 0;
  std::size_t cut = 0;
  while (below + count[cut] < k) below += count[cut++];
  // start[d]: where distance d goes in the output (counting sort of the kept ones).
  std::vector<std::uint32_t> start(cut + 1, 0);
  for (std::size_t d = 1; d <= cut; ++d) start[d] = start[d - 1] + count[d - 1];
  std::size_t at_cut = k - below;  // how many of distance `cut` are kept (the first ones)
  positions.resize(k);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t d = std::min<std::size_t>(distances[i], std::size_t(max_distance) + 1);
    if (d > cut) continue;
    if (d == cut) {
      if (at_cut == 0) continue;
      --at_cut;
    }
    positions[start[d]++] = std::uint32_t(i);
  }
}

void code_similarities(const std::uint8_t* probe_codes, const float* probe_directions,
                       std::size_t np, const std::uint8_t* gallery_codes,
                       const float* gallery_directions, std::size_t ng, std::size_t bytes,
                       float max_turn, std::vector<float>& out) {
  // Bits set = distance to the all-zero code; every count goes through the dispatched kernel.
  const std::vector<std::uint8_t> zero(bytes, 0);
  std::vector<std::uint16_t> gallery_ones(ng), probe_ones(np), differing(ng);
  distances(zero.data(), gallery_codes, ng, bytes, gallery_ones.data());
  distances(zero.data(), probe_codes, np, bytes, probe_ones.data());
  for (std::size_t i = 0; i < np; ++i) {
    distances(probe_codes + i * bytes, gallery_codes, ng, bytes, differing.data());
    for (std::size_t j = 0; j < ng; ++j) {
      float turn = std::fabs(probe_directions[i] - gallery_directions[j]);
      turn = std::min(turn, 2 * std::numbers::pi_v<float> - turn);
      if (turn > max_turn) continue;
      const int denominator = probe_ones[i] + gallery_ones[j];
      if (denominator == 0) continue;
      out.push_back(1.0f - float(differing[j]) / float(denominator));
    }
  }
}

}  // namespace tuskprint::index::hamming
