#include "plot/scale.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace tuskprint::plot {
namespace {

// Rational approximation of the inverse normal CDF by P. J. Acklam (2003), relative error
// below 1.2e-9, refined below by one Halley step against std::erfc to full precision.
constexpr double kCentralNumerator[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                        -2.759285104469687e+02, 1.383577518672690e+02,
                                        -3.066479806614716e+01, 2.506628277459239e+00};
constexpr double kCentralDenominator[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                          -1.556989798598866e+02, 6.680131188771972e+01,
                                          -1.328068155288572e+01};
constexpr double kTailNumerator[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                     -2.400758277161838e+00, -2.549732539343734e+00,
                                     4.374664141464968e+00,  2.938163982698783e+00};
constexpr double kTailDenominator[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                       2.445134137142996e+00, 3.754408661907416e+00};
// Below this probability (and above 1 minus it) the tail form is used.
constexpr double kTailBreak = 0.02425;

double acklam_estimate(double p) {
  const auto& a = kCentralNumerator;
  const auto& b = kCentralDenominator;
  const auto& c = kTailNumerator;
  const auto& d = kTailDenominator;
  if (p < kTailBreak || p > 1 - kTailBreak) {
    const double tail = p < kTailBreak ? p : 1 - p;
    const double q = std::sqrt(-2 * std::log(tail));
    const double z = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                     ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < kTailBreak ? z : -z;
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

}  // namespace

const char* to_string(Scale scale) {
  switch (scale) {
    case Scale::kLinear: return "linear";
    case Scale::kLog10: return "log10";
    case Scale::kProbit: return "probit";
  }
  return "unknown";
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double probit(double p) {
  TP_CHECK(std::isfinite(p) && p > 0 && p < 1, kInvalidArgument,
           "probit of " << p << " is undefined: the probability must be in (0, 1)");
  double z = acklam_estimate(p);
  // One Halley step on f(z) = Phi(z) - p. In the upper tail, work with 1 - p so that the
  // residual keeps its precision (Phi(z) rounds to 1 there).
  const double density = std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI);
  // Phi(z) - p equals (1 - p) - Q(z) with Q(z) = erfc(z / sqrt 2) / 2.
  const double residual = p > 0.5 ? (1 - p) - 0.5 * std::erfc(z / std::sqrt(2.0))
                                  : normal_cdf(z) - p;
  const double step = residual / density;
  z -= step / (1 + 0.5 * z * step);
  return z;
}

bool in_domain(Scale scale, double value) {
  if (!std::isfinite(value)) return false;
  switch (scale) {
    case Scale::kLinear: return true;
    case Scale::kLog10: return value > 0;
    case Scale::kProbit: return value > 0 && value < 1;
  }
  return false;
}

std::string domain_text(Scale scale) {
  switch (scale) {
    case Scale::kLinear: return "finite";
    case Scale::kLog10: return "positive and finite";
    case Scale::kProbit: return "a probability strictly between 0 and 1";
  }
  return "unknown";
}

double to_axis(Scale scale, double value) {
  TP_CHECK(in_domain(scale, value), kInvalidArgument,
           "value " << value << " cannot be shown on a " << to_string(scale)
                    << " axis: it must be " << domain_text(scale));
  switch (scale) {
    case Scale::kLinear: return value;
    case Scale::kLog10: return std::log10(value);
    case Scale::kProbit: return probit(value);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace tuskprint::plot
