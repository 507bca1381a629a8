#pragma once
// Small figures shared by the bench programs, so that they compute them the same way.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace tuskprint::bench {

// Wall seconds since `t` on the steady clock.
inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The p-th percentile (0..100) of `v`, interpolated between neighbouring ranks; 0 when empty.
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double rank = p / 100.0 * double(v.size() - 1);
  const auto lo = std::size_t(rank);
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - double(lo));
}

}  // namespace tuskprint::bench
