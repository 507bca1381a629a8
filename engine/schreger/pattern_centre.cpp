#include "schreger/pattern_centre.hpp"

#include <algorithm>
#include <cmath>

namespace tuskprint::schreger {
namespace {

double wrap180(double a) {  // to (-90, 90]
  a = std::fmod(a, 180.0);
  if (a <= -90) a += 180;
  if (a > 90) a -= 180;
  return a;
}

// Signed lean of the families' bisector from the assumed radial direction (degrees,
// positive toward increasing theta), the same bisector crossing_angle() picks.
double signed_bisector_deg(const PatchFamilies& f) {
  const double a1 = wrap180(f.line1_deg), a2 = wrap180(f.line2_deg);
  double b = std::fmod((a1 + a2) / 2.0, 90.0);
  if (b > 45) b -= 90;
  if (b <= -45) b += 90;
  return b;
}

struct Constraint {
  cv::Point2d normal;  // unit normal of the patch's true radial line
  double offset;       // normal . centre_offset = offset (working px)
  double radius;       // patch distance from the assumed centre (working px)
};

}  // namespace

PatternCentre locate_pattern_centre(const PolarImage& polar, const std::vector<PatchFamilies>& patches,
                                    const SchregerParams& p) {
  PatternCentre out;
  out.centre = polar.centre;
  std::vector<Constraint> cs;
  for (const PatchFamilies& f : patches) {
    if (!f.crossing) continue;
    const double b = signed_bisector_deg(f) * M_PI / 180.0;
    if (std::abs(b) > p.centre_max_lean_deg * M_PI / 180.0) continue;
    const double r = polar.radius_at_row(f.row), th = polar.theta_at_col(f.col);
    cs.push_back({{-std::sin(th + b), std::cos(th + b)}, -r * std::sin(b), r});
  }
  if (int(cs.size()) < p.centre_min_patches) return out;
  // Robust least squares: a few reweighted rounds; a patch whose lean disagrees with the
  // fit by more than centre_inlier_deg gets no weight.
  cv::Point2d x(0, 0);
  std::vector<double> w(cs.size(), 1.0);
  double min_eig = 0;
  for (int round = 0; round < 4; ++round) {
    double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const auto& c = cs[i];
      // Residuals compare leans (angles): divide by the radius so far patches do not dominate.
      const double wi = w[i] / (c.radius * c.radius);
      a11 += wi * c.normal.x * c.normal.x, a12 += wi * c.normal.x * c.normal.y, a22 += wi * c.normal.y * c.normal.y;
      b1 += wi * c.normal.x * c.offset, b2 += wi * c.normal.y * c.offset;
    }
    const double det = a11 * a22 - a12 * a12, tr = a11 + a22;
    min_eig = tr / 2 - std::sqrt(std::max(0.0, tr * tr / 4 - det));
    if (det <= 1e-12 || min_eig <= p.centre_min_spread * tr) return out;
    x = {(a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det};
    const double tol = p.centre_inlier_deg * M_PI / 180.0;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const double res = (cs[i].normal.dot(x) - cs[i].offset) / cs[i].radius;  // ~ lean error, rad
      const double u = res / tol;
      w[i] = std::abs(u) < 1 ? (1 - u * u) * (1 - u * u) : 0.0;  // Tukey biweight
    }
  }
  double ss = 0;
  int n = 0;
  const double tol = p.centre_inlier_deg * M_PI / 180.0;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const double res = (cs[i].normal.dot(x) - cs[i].offset) / cs[i].radius;
    if (std::abs(res) < tol) ss += res * res, ++n;
  }
  if (n < p.centre_min_patches) return out;
  out.shift_px = std::hypot(x.x, x.y);
  // A shift beyond a fraction of the radius means the crossings do not describe one centre.
  const double R = polar.radius_at_row(0) / p.polar_inner_frac;
  if (out.shift_px > p.centre_max_shift_frac * R) {
    out.beyond_limit = out.shift_px <= p.centre_confirm_shift_frac * R;
    out.candidate = polar.centre + x;
    return out;
  }
  out.found = true;
  out.centre = polar.centre + x;
  out.patches = n;
  out.residual_deg = std::sqrt(ss / n) * 180.0 / M_PI;
  return out;
}

}  // namespace tuskprint::schreger
