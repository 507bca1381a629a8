#include "match/cylinder_similarity.hpp"

#include <bit>
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#endif
#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "match/angles.hpp"

namespace tuskprint::match {
namespace {

struct Thresholds {
  float max_direction_difference;
  int min_common_base_cells;  // in base (NS x NS) cells
};

Thresholds thresholds(const CylinderSet& a, const MccParameters& p) {
  return {p.max_direction_difference,
          static_cast<int>(std::ceil(p.min_matchable_cells * static_cast<float>(a.in_circle_cells)))};
}

bool directions_compatible(const CylinderSet& a, int i, const CylinderSet& b, int j, float limit) {
  return std::fabs(angle_difference(a.direction[i], b.direction[j])) <= limit;
}

float float_similarity(const CylinderSet& a, int i, const CylinderSet& b, int j, const Thresholds& t) {
  const int base = a.base_cells;
  const float* ma = a.base_mask_of(i);
  const float* mb = b.base_mask_of(j);
  int common = 0;
  for (int c = 0; c < base; ++c) common += static_cast<int>(ma[c] * mb[c]);
  if (common < t.min_common_base_cells) return 0;

  // Invalid cells hold 0, so a's values need only b's mask (and vice versa).
  // Eight independent accumulators keep the sums vectorisable and deterministic.
  constexpr int kLanes = 8;
  float aa[kLanes] = {}, bb[kLanes] = {}, ab[kLanes] = {};
  const float* va = a.values_of(i);
  const float* vb = b.values_of(j);
  const int slices = a.cells / base;
  for (int k = 0; k < slices; ++k) {
    const float* sa = va + k * base;
    const float* sb = vb + k * base;
    for (int c = 0; c < base; c += kLanes) {
      for (int l = 0; l < kLanes; ++l) {
        const float x = sa[c + l], y = sb[c + l];
        aa[l] += mb[c + l] * x * x;
        bb[l] += ma[c + l] * y * y;
        ab[l] += x * y;
      }
    }
  }
  float saa = 0, sbb = 0, sab = 0;
  for (int l = 0; l < kLanes; ++l) {
    saa += aa[l];
    sbb += bb[l];
    sab += ab[l];
  }
  const float norm_a = std::sqrt(saa), norm_b = std::sqrt(sbb);
  if (norm_a + norm_b <= 0) return 0;
  const float difference = std::sqrt(std::max(0.0f, saa + sbb - 2 * sab));
  return 1 - difference / (norm_a + norm_b);
}

// The bit comparison body; inlined into a popcnt-enabled and a generic caller below.
inline float bit_similarity_body(const CylinderSet& a, int i, const CylinderSet& b, int j,
                                 const Thresholds& t) {
  const std::uint64_t* ma = a.mask_of(i);
  const std::uint64_t* mb = b.mask_of(j);
  constexpr int kMaxBaseWords = 16;
  std::uint64_t common[kMaxBaseWords];
  const int base_words = a.base_words;
  int common_count = 0;
  for (int w = 0; w < base_words; ++w) {
    common[w] = ma[w] & mb[w];
    common_count += std::popcount(common[w]);
  }
  if (common_count < t.min_common_base_cells) return 0;
  const std::uint64_t* va = a.bits_of(i);
  const std::uint64_t* vb = b.bits_of(j);
  int count_a = 0, count_b = 0, count_xor = 0;
  for (int w0 = 0; w0 < a.words; w0 += base_words) {
    for (int w = 0; w < base_words; ++w) {
      const std::uint64_t x = va[w0 + w] & common[w];
      const std::uint64_t y = vb[w0 + w] & common[w];
      count_a += std::popcount(x);
      count_b += std::popcount(y);
      count_xor += std::popcount(x ^ y);
    }
  }
  if (count_a + count_b == 0) return 0;
  return 1 - std::sqrt(static_cast<float>(count_xor)) /
                 (std::sqrt(static_cast<float>(count_a)) + std::sqrt(static_cast<float>(count_b)));
}

void fill_matrix_generic(const CylinderSet& a, const CylinderSet& b, CylinderForm form,
                         const Thresholds& t, float* out) {
  for (int i = 0; i < a.size(); ++i) {
    for (int j = 0; j < b.size(); ++j) {
      float s = 0;
      if (directions_compatible(a, i, b, j, t.max_direction_difference)) {
        s = form == CylinderForm::kBit ? bit_similarity_body(a, i, b, j, t)
                                       : float_similarity(a, i, b, j, t);
      }
      out[static_cast<std::size_t>(i) * b.size() + j] = s;
    }
  }
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
// Same loop compiled with the POPCNT instruction; chosen at run time when the CPU has it.
__attribute__((target("popcnt"))) void fill_bit_matrix_popcnt(const CylinderSet& a,
                                                               const CylinderSet& b,
                                                               const Thresholds& t, float* out) {
  for (int i = 0; i < a.size(); ++i) {
    for (int j = 0; j < b.size(); ++j) {
      float s = 0;
      if (directions_compatible(a, i, b, j, t.max_direction_difference)) {
        s = bit_similarity_body(a, i, b, j, t);
      }
      out[static_cast<std::size_t>(i) * b.size() + j] = s;
    }
  }
}
bool cpu_has_popcnt() {
  static const bool has = __builtin_cpu_supports("popcnt");
  return has;
}

// AVX-512 VPOPCNTQ: one cylinder (1536 bits) is three 512-bit registers, and the 256-bit
// base mask is broadcast to both halves of a register. Needs NS = 16 (base_words = 4) and
// whole registers; gives the same counts as the scalar body, hence the same similarities.
bool avx512_layout(const CylinderSet& a) { return a.base_words == 4 && a.words % 8 == 0; }

bool cpu_has_avx512_popcount() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
  return has;
}

__attribute__((target("avx512f"))) inline std::uint64_t horizontal_sum(__m512i v) {
  alignas(64) std::uint64_t lanes[8];
  _mm512_store_si512(lanes, v);
  std::uint64_t sum = 0;
  for (std::uint64_t lane : lanes) sum += lane;
  return sum;
}

__attribute__((target("popcnt,avx2,avx512f,avx512vpopcntdq"))) void fill_bit_matrix_avx512(
    const CylinderSet& a, const CylinderSet& b, const Thresholds& t, float* out) {
  for (int i = 0; i < a.size(); ++i) {
    const std::uint64_t* ma = a.mask_of(i);
    const std::uint64_t* va = a.bits_of(i);
    for (int j = 0; j < b.size(); ++j) {
      float s = 0;
      if (directions_compatible(a, i, b, j, t.max_direction_difference)) {
        const std::uint64_t* mb = b.mask_of(j);
        alignas(64) std::uint64_t common[8];
        int common_count = 0;
        for (int w = 0; w < 4; ++w) {
          common[w] = common[w + 4] = ma[w] & mb[w];
          common_count += std::popcount(common[w]);
        }
        if (common_count >= t.min_common_base_cells) {
          const __m512i cm = _mm512_load_si512(common);
          const std::uint64_t* vb = b.bits_of(j);
          __m512i count_a = _mm512_setzero_si512(), count_b = count_a, count_xor = count_a;
          for (int w = 0; w < a.words; w += 8) {
            const __m512i x = _mm512_and_si512(_mm512_loadu_si512(va + w), cm);
            const __m512i y = _mm512_and_si512(_mm512_loadu_si512(vb + w), cm);
            count_a = _mm512_add_epi64(count_a, _mm512_popcnt_epi64(x));
            count_b = _mm512_add_epi64(count_b, _mm512_popcnt_epi64(y));
            count_xor = _mm512_add_epi64(count_xor, _mm512_popcnt_epi64(_mm512_xor_si512(x, y)));
          }
          const auto na = static_cast<float>(horizontal_sum(count_a));
          const auto nb = static_cast<float>(horizontal_sum(count_b));
          const auto nx = static_cast<float>(horizontal_sum(count_xor));
          if (na + nb > 0) s = 1 - std::sqrt(nx) / (std::sqrt(na) + std::sqrt(nb));
        }
      }
      out[static_cast<std::size_t>(i) * b.size() + j] = s;
    }
  }
}
#endif

void check_compatible(const CylinderSet& a, const CylinderSet& b) {
  TP_CHECK(a.cells == b.cells && a.base_cells == b.base_cells, kInvalidArgument,
           "cylinder sets have different layouts (" << a.cells << " vs " << b.cells << " cells)");
  TP_CHECK(a.base_words <= 16, kInvalidArgument, "MCC NS above 32 is not supported");
}

}  // namespace

float cylinder_similarity(const CylinderSet& a, int i, const CylinderSet& b, int j,
                          CylinderForm form, const MccParameters& p) {
  check_compatible(a, b);
  TP_CHECK(i >= 0 && i < a.size() && j >= 0 && j < b.size(), kInvalidArgument,
           "cylinder index out of range (" << i << " of " << a.size() << ", " << j << " of "
                                           << b.size() << ")");
  const Thresholds t = thresholds(a, p);
  if (!directions_compatible(a, i, b, j, t.max_direction_difference)) return 0;
  return form == CylinderForm::kBit ? bit_similarity_body(a, i, b, j, t)
                                    : float_similarity(a, i, b, j, t);
}

std::vector<float> local_similarity_matrix(const CylinderSet& a, const CylinderSet& b,
                                           CylinderForm form, const MccParameters& p) {
  std::vector<float> matrix(static_cast<std::size_t>(a.size()) * b.size(), 0.0f);
  if (matrix.empty()) return matrix;
  check_compatible(a, b);
  const Thresholds t = thresholds(a, p);
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  if (form == CylinderForm::kBit && avx512_layout(a) && cpu_has_avx512_popcount()) {
    fill_bit_matrix_avx512(a, b, t, matrix.data());
    return matrix;
  }
  if (form == CylinderForm::kBit && cpu_has_popcnt()) {
    fill_bit_matrix_popcnt(a, b, t, matrix.data());
    return matrix;
  }
#endif
  fill_matrix_generic(a, b, form, t, matrix.data());
  return matrix;
}

}  // namespace tuskprint::match
