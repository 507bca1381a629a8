#pragma once
// Axis scales for charts. A scale maps a data value to a linear "axis coordinate";
// the chart then maps axis coordinates linearly to pixels.
//   kLinear  x -> x
//   kLog10   x -> log10(x)          (x > 0)
//   kProbit  p -> Phi^-1(p)         (0 < p < 1), the standard normal deviate. DET curves
//            (Martin et al. 1997; ISO/IEC 19795-1) put FMR and FNMR on probit axes so that
//            normally distributed scores give straight lines.
#include <string>

namespace tuskprint::plot {

enum class Scale { kLinear, kLog10, kProbit };

const char* to_string(Scale scale);

// Standard normal cumulative distribution function.
double normal_cdf(double z);

// Inverse of normal_cdf (the probit function), accurate to about 1e-15 relative.
// Hand-written: none of our packaged dependencies (OpenCV, Eigen, the C++ library)
// provides an inverse normal CDF. Error(kInvalidArgument) unless 0 < p < 1.
double probit(double p);

// True when `value` can be shown on an axis with this scale (finite, and > 0 for kLog10,
// in (0, 1) for kProbit).
bool in_domain(Scale scale, double value);

// The axis coordinate of `value`; Error(kInvalidArgument) naming the value and the scale
// when it is outside the scale's domain.
double to_axis(Scale scale, double value);

// Human description of a scale's domain, for error messages ("positive", "in (0, 1)").
std::string domain_text(Scale scale);

}  // namespace tuskprint::plot
