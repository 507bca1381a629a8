#pragma once
// Median of a sample, shared by the pipeline's robust fits.
#include <algorithm>
#include <limits>
#include <vector>

namespace tuskprint::schreger {

// The middle value of v (the upper of the two middle values for an even count); `if_empty`
// when v is empty.
inline double median_of(std::vector<double> v, double if_empty = std::numeric_limits<double>::quiet_NaN()) {
  if (v.empty()) return if_empty;
  const auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

}  // namespace tuskprint::schreger
