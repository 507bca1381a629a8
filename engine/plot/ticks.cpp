#include "plot/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"

namespace tuskprint::plot {
namespace {

// Probabilities offered as ticks on probit axes: the usual DET-plot set.
constexpr double kProbitTicks[] = {1e-6, 1e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01,
                                   0.02, 0.05, 0.1,  0.2,  0.3,  0.4,  0.5,  0.6,  0.7,
                                   0.8,  0.9,  0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9999};
// Relative slack when testing whether a tick lies within [min, max].
constexpr double kEdgeSlack = 1e-9;

std::string format_number(double value, int decimals) {
  if (std::abs(value) < 1e-12) value = 0;  // no "-0"
  char buffer[64];
  const double magnitude = std::abs(value);
  if (magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-4)) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.*f", std::max(0, decimals), value);
  }
  return buffer;
}

// Shortest decimal text of a value with at most 6 significant digits ("0.001", "20").
std::string shortest(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

// 0 for 1 x 10^k, 1 for 5 x 10^k, 2 for anything else.
int mantissa_priority(double value) {
  const double mantissa = value / std::pow(10.0, std::floor(std::log10(value) + 1e-9));
  if (std::abs(mantissa - 1) < 1e-6) return 0;
  if (std::abs(mantissa - 5) < 1e-6) return 1;
  return 2;
}

double nice_step(double raw) {
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0}) {
    if (factor * decade >= raw * (1 - kEdgeSlack)) return factor * decade;
  }
  return 10 * decade;
}

std::vector<Tick> linear_ticks(double min, double max, int target_count) {
  const double step = nice_step((max - min) / std::max(1, target_count));
  std::vector<Tick> ticks;
  const double slack = (max - min) * kEdgeSlack;
  // The count bound guards ranges far from zero, where k + 1 == k in floating point.
  double k = std::ceil((min - slack) / step);
  for (int count = 0; k * step <= max + slack && count < 4 * target_count + 4; ++k, ++count) {
    const double value = k * step;
    ticks.push_back({value, tick_label(Scale::kLinear, value, step)});
  }
  return ticks;
}

std::vector<Tick> log_ticks(double min, double max) {
  const double low = std::floor(std::log10(min));
  const double high = std::ceil(std::log10(max));
  const bool few_decades = high - low < 3;
  std::vector<Tick> ticks;
  for (double decade = low; decade <= high; ++decade) {
    const double base = std::pow(10.0, decade);
    for (int multiple = 1; multiple <= 9; ++multiple) {
      const double value = multiple * base;
      if (value < min * (1 - kEdgeSlack) || value > max * (1 + kEdgeSlack)) continue;
      const bool labelled = multiple == 1 || (few_decades && (multiple == 2 || multiple == 5));
      ticks.push_back({value, labelled ? shortest(value) : std::string(), mantissa_priority(value)});
    }
  }
  return ticks;
}

std::vector<Tick> probit_ticks(double min, double max) {
  std::vector<Tick> ticks;
  for (double p : kProbitTicks) {
    if (p < min * (1 - kEdgeSlack) || p > max * (1 + kEdgeSlack)) continue;
    // Symmetric: 0.99 ranks like 0.01.
    ticks.push_back({p, tick_label(Scale::kProbit, p, 0), mantissa_priority(std::min(p, 1 - p))});
  }
  return ticks;
}

}  // namespace

std::string tick_label(Scale scale, double value, double step_hint) {
  switch (scale) {
    case Scale::kLinear: {
      const int decimals =
          step_hint > 0 ? static_cast<int>(std::ceil(-std::log10(step_hint) - kEdgeSlack)) : 3;
      return format_number(value, decimals);
    }
    case Scale::kLog10: return shortest(value);
    case Scale::kProbit: return shortest(value * 100) + "%";
  }
  return {};
}

std::vector<Tick> axis_ticks(Scale scale, double min, double max, int target_count) {
  TP_CHECK(std::isfinite(min) && std::isfinite(max) && min < max, kInvalidArgument,
           "axis range [" << min << ", " << max << "] is empty: min must be below max");
  TP_CHECK(in_domain(scale, min) && in_domain(scale, max), kInvalidArgument,
           "axis range [" << min << ", " << max << "] does not fit a " << to_string(scale)
                          << " axis: both ends must be " << domain_text(scale));
  switch (scale) {
    case Scale::kLinear: return linear_ticks(min, max, target_count);
    case Scale::kLog10: return log_ticks(min, max);
    case Scale::kProbit: return probit_ticks(min, max);
  }
  return {};
}

}  // namespace tuskprint::plot
