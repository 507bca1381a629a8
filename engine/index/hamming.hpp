#pragma once
// Hamming-distance kernels over packed binary codes, with a popcnt path chosen at run time:
// the project builds for baseline x86-64, where std::popcount is a library call (it took
// 14 % of a search, and most of IVF list assignment).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tuskprint::index::hamming {

// For each of `n` codes, the position of the nearest of `m` centroids (lowest position on
// ties). Codes and centroids are `bytes` long. Runs on the OpenMP threads allowed.
void nearest_centroids(const std::uint8_t* codes, std::size_t n, const std::uint8_t* centroids,
                       std::size_t m, std::size_t bytes, std::int64_t* nearest);

// Code similarity 1 - |a xor b| / (|a| + |b|) of every probe/gallery code pair whose
// directions differ by at most `max_turn` (radians), appended to `out`.
void code_similarities(const std::uint8_t* probe_codes, const float* probe_directions,
                       std::size_t np, const std::uint8_t* gallery_codes,
                       const float* gallery_directions, std::size_t ng, std::size_t bytes,
                       float max_turn, std::vector<float>& out);

// Hamming distance of `query` to each of `n` codes (contiguous, `bytes` long), into `out`.
void distances(const std::uint8_t* query, const std::uint8_t* codes, std::size_t n,
               std::size_t bytes, std::uint16_t* out);

// Positions of the k smallest of `n` distances (each at most `max_distance`), nearest first,
// ties in position order (so results do not depend on the kernel). Counting selection: linear
// in n, which beats a heap when k is in the hundreds and n in the tens of thousands.
void smallest(const std::uint16_t* distances, std::size_t n, std::size_t k, int max_distance,
              std::vector<std::uint32_t>& positions);

}  // namespace tuskprint::index::hamming
