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

}  // namespace tuskprint::index::hamming
