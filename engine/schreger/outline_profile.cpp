#include "schreger/outline_profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

#include "core/error.hpp"
#include "ridge/grid_sampling.hpp"
#include "schreger/median.hpp"

namespace tuskprint::schreger {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Bilinear sample of a CV_32F image; NaN outside it (where a ray leaves the scan).
double sample(const cv::Mat& m, double x, double y) {
  if (!(x >= 0 && y >= 0 && x <= m.cols - 2 && y <= m.rows - 2)) return kNaN;
  return ridge::sample_bilinear(m, x, y);
}

// The distance profile along one ray, radii r0 + k * step: the mean of three parallel rays a
// pixel apart (less pixel noise), then smoothed by a one-pixel Gaussian. Empty when the ray
// leaves the image.
struct RayProfile {
  std::vector<double> raw, smooth;
};
RayProfile ray_profile(const cv::Mat& distance, cv::Point2d c, double ux, double uy, double r0, double step, int n) {
  RayProfile p;
  p.raw.resize(std::size_t(n));
  for (int k = 0; k < n; ++k) {
    const double r = r0 + k * step;
    double sum = 0;
    for (int t = -1; t <= 1; ++t) {
      const double v = sample(distance, c.x + r * ux - t * uy, c.y + r * uy + t * ux);
      if (std::isnan(v)) return {};
      sum += v;
    }
    p.raw[std::size_t(k)] = sum / 3;
  }
  const int half = int(std::ceil(2 / step));
  const double sigma = 1 / step;  // one pixel, in samples
  p.smooth.resize(std::size_t(n));
  for (int k = 0; k < n; ++k) {
    double s = 0, ws = 0;
    for (int d = -half; d <= half; ++d) {
      const int q = k + d;
      if (q < 0 || q >= n) continue;
      const double wgt = std::exp(-0.5 * d * d / (sigma * sigma));
      s += wgt * p.raw[std::size_t(q)], ws += wgt;
    }
    p.smooth[std::size_t(k)] = s / ws;
  }
  return p;
}

// Least squares of v = x0 + x1 cos + x2 sin (a constant and a shift of the centre), refitted
// twice without the rows whose residual is beyond 3 robust SDs; the last fit adds
// ridge x (rows used) to the shift's normal equations (the trimming fits do not: a shrunk shift
// would leave its own residuals, as large as a chip). NaN when fewer than 4 rows are left.
Eigen::Vector3d fit_constant_and_shift(const std::vector<double>& v, const std::vector<double>& cs,
                                       const std::vector<double>& sn, double ridge) {
  const int n = int(v.size());
  std::vector<char> keep(std::size_t(n), 1);
  Eigen::Vector3d x = Eigen::Vector3d::Constant(std::numeric_limits<double>::quiet_NaN());
  for (int pass = 0; pass < 3; ++pass) {
    Eigen::Matrix3d normal = Eigen::Matrix3d::Zero();
    Eigen::Vector3d rhs = Eigen::Vector3d::Zero();
    int used = 0;
    for (int k = 0; k < n; ++k) {
      if (!keep[std::size_t(k)]) continue;
      const Eigen::Vector3d row(1.0, cs[std::size_t(k)], sn[std::size_t(k)]);
      normal += row * row.transpose(), rhs += row * v[std::size_t(k)], ++used;
    }
    if (used < 4) return Eigen::Vector3d::Constant(std::numeric_limits<double>::quiet_NaN());
    if (pass == 2) normal(1, 1) += ridge * used, normal(2, 2) += ridge * used;
    x = normal.colPivHouseholderQr().solve(rhs);
    if (pass == 2) break;
    std::vector<double> residual(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k)
      residual[std::size_t(k)] = std::abs(v[std::size_t(k)] - x(0) - x(1) * cs[std::size_t(k)] - x(2) * sn[std::size_t(k)]);
    const double cut = 3 * 1.4826 * median_of(residual) + 1e-6;
    for (int k = 0; k < n; ++k) keep[std::size_t(k)] = residual[std::size_t(k)] <= cut;
  }
  return x;
}

}  // namespace

std::vector<float> outline_radius_profile(const WorkingImage& w, const SectionMask& mask, const OuterEdge& edge,
                                          cv::Point2d centre, const SchregerParams& p) {
  const int cols = p.pattern_cols;
  std::vector<float> out(std::size_t(cols), std::numeric_limits<float>::quiet_NaN());
  if (mask.distance.empty() || edge.contour.size() != edge.on_arc.size()) return out;
  // Per column, the outermost outer-arc point of the mask's outline.
  std::vector<double> arc_r(std::size_t(cols), -1.0);
  for (std::size_t i = 0; i < edge.contour.size(); ++i) {
    if (!edge.on_arc[i]) continue;
    const cv::Point2d q = cv::Point2d(edge.contour[i]) - centre;
    double th = std::atan2(q.y, q.x);
    if (th < 0) th += 2 * M_PI;
    const int j = int(std::lround(th / (2 * M_PI) * cols)) % cols;
    arc_r[std::size_t(j)] = std::max(arc_r[std::size_t(j)], std::hypot(q.x, q.y));
  }
  const double mm = w.px_per_mm, step = 0.25;  // samples every quarter pixel
  for (int j = 0; j < cols; ++j) {
    const double rm = arc_r[std::size_t(j)];
    if (rm <= 0) continue;
    const double th = 2 * M_PI * j / cols, ux = std::cos(th), uy = std::sin(th);
    const double r0 = std::max(0.0, rm - p.outline_inside_mm * mm), r1 = rm + p.outline_outside_mm * mm;
    const int n = int((r1 - r0) / step);
    const RayProfile ray = ray_profile(mask.distance, centre, ux, uy, r0, step, n);
    if (ray.raw.empty()) continue;
    const auto index = [&](double r) { return std::clamp(int((r - r0) / step), 0, n - 1); };
    const auto level = [&](double from, double to) {
      return median_of(std::vector<double>(ray.raw.begin() + index(from), ray.raw.begin() + index(to) + 1));
    };
    // The background beyond the section, and the material just inside the mask's edge.
    const double background = level(r1 - 1.0 * mm, r1);
    const double inside = level(rm - 1.2 * mm, rm - 0.4 * mm);
    if (!(inside - background >= p.outline_min_contrast)) continue;
    // The outermost place still a quarter of the way up: the section's outer edge, cementum or not.
    const double low = background + 0.25 * (inside - background);
    int k1 = n - 1;
    while (k1 >= 0 && ray.smooth[std::size_t(k1)] < low) --k1;
    if (k1 < 0 || k1 == n - 1) continue;
    // The steepest fall near it: the middle of the blurred step, whatever the blur (the CDJ,
    // the other step of a cementum ring, lies at least ~0.7 mm further in).
    const int from = std::max(1, k1 - int(0.4 * mm / step)), to = std::min(n - 2, k1 + int(0.3 * mm / step));
    int k2 = -1;
    double steepest = 0;
    const auto slope = [&](int k) { return ray.smooth[std::size_t(k + 1)] - ray.smooth[std::size_t(k - 1)]; };
    for (int k = from; k <= to; ++k)
      if (slope(k) < steepest) steepest = slope(k), k2 = k;
    if (k2 < 0) continue;
    double f = 0;  // parabola through the slopes around the steepest
    if (k2 > from && k2 < to) {
      const double l = slope(k2 - 1), c = slope(k2), r = slope(k2 + 1), den = l - 2 * c + r;
      if (den > 0) f = std::clamp(0.5 * (l - r) / den, -0.5, 0.5);
    }
    out[std::size_t(j)] = float((r0 + (k2 + f) * step) / mm);
  }
  return out;
}

double outline_size_mm(const std::vector<float>& outline_mm, int min_columns, double shift_ridge) {
  TP_CHECK(shift_ridge >= 0, kInvalidArgument, "outline size: negative shift ridge " << shift_ridge);
  std::vector<double> radius, cs, sn;
  const int cols = int(outline_mm.size());
  for (int j = 0; j < cols; ++j) {
    const float r = outline_mm[std::size_t(j)];
    if (!std::isfinite(r) || r <= 0) continue;
    const double th = 2 * M_PI * j / cols;
    radius.push_back(r), cs.push_back(std::cos(th)), sn.push_back(std::sin(th));
  }
  if (int(radius.size()) < std::max(4, min_columns)) return 0.0;
  const double size = fit_constant_and_shift(radius, cs, sn, shift_ridge)(0);
  return std::isfinite(size) && size > 0 ? size : 0.0;
}

SizeStep outline_agreement(const std::vector<float>& a, const std::vector<float>& b, int col_shift,
                           MirroredFace mirrored, int min_columns) {
  TP_CHECK(a.size() == b.size(), kInvalidArgument,
           "outline profiles of " << a.size() << " and " << b.size() << " columns cannot be compared");
  SizeStep out;
  const int cols = int(a.size());
  if (cols == 0) return out;
  std::vector<double> diff, cs, sn;
  for (int j = 0; j < cols; ++j) {
    // b's column j on a's column: plain j + s; b mirrored: its column j is the mirrored map's
    // column -j, on a's -j + s; a mirrored: b's j lies on the mirrored a's j + s, a's -(j + s).
    int ja = j + col_shift;
    if (mirrored == MirroredFace::kB) ja = -j + col_shift;
    if (mirrored == MirroredFace::kA) ja = -(j + col_shift);
    ja = ((ja % cols) + cols) % cols;
    const float ra = a[std::size_t(ja)], rb = b[std::size_t(j)];
    if (std::isnan(ra) || std::isnan(rb)) continue;
    const double th = 2 * M_PI * ja / cols;
    diff.push_back(double(ra) - double(rb)), cs.push_back(std::cos(th)), sn.push_back(std::sin(th));
  }
  const int n = int(diff.size());
  if (n < std::max(min_columns, 4)) return out;
  const Eigen::Vector3d x = fit_constant_and_shift(diff, cs, sn, 0.0);
  if (!std::isfinite(x(0))) return out;
  double sum_sq = 0;
  for (int k = 0; k < n; ++k) {
    const double r = diff[std::size_t(k)] - x(0) - x(1) * cs[std::size_t(k)] - x(2) * sn[std::size_t(k)];
    sum_sq += r * r;
  }
  out.step_mm = x(0);
  out.columns = n;
  out.residual_mm = std::sqrt(sum_sq / n);
  return out;
}

FacePositions positions_from_steps(int faces, const std::vector<FaceStep>& steps, double huber_mm) {
  FacePositions out;
  out.x.assign(std::size_t(std::max(faces, 0)), kNaN);
  out.group.assign(out.x.size(), -1);
  std::vector<double>& x = out.x;
  // The faces some step reaches, numbered 0..m-1.
  std::vector<int> slot(x.size(), -1);
  int m = 0;
  for (const FaceStep& s : steps) {
    TP_CHECK(s.i >= 0 && s.i < faces && s.j >= 0 && s.j < faces && s.i != s.j, kInvalidArgument,
             "size step between faces " << s.i << " and " << s.j << " of " << faces);
    TP_CHECK(std::isfinite(s.weight) && s.weight > 0, kInvalidArgument,
             "size step between faces " << s.i << " and " << s.j << " has weight " << s.weight
                                        << " (a positive number is needed)");
    for (int f : {s.i, s.j})
      if (slot[std::size_t(f)] < 0) slot[std::size_t(f)] = m++;
  }
  if (m < 2) return out;
  // Groups: faces joined by steps (union-find over the slots).
  std::vector<int> parent(static_cast<std::size_t>(m));
  for (int i = 0; i < m; ++i) parent[std::size_t(i)] = i;
  const auto root = [&](int i) {
    while (parent[std::size_t(i)] != i) i = parent[std::size_t(i)] = parent[std::size_t(parent[std::size_t(i)])];
    return i;
  };
  for (const FaceStep& s : steps) parent[std::size_t(root(slot[std::size_t(s.i)]))] = root(slot[std::size_t(s.j)]);
  // Rows: one per step, plus one per group fixing its mean at 0.
  std::vector<int> group_row(std::size_t(m), -1);
  int groups = 0;
  for (int i = 0; i < m; ++i)
    if (group_row[std::size_t(root(i))] < 0) group_row[std::size_t(root(i))] = groups++;
  const int rows = int(steps.size()) + groups;
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(rows, m);
  Eigen::VectorXd y = Eigen::VectorXd::Zero(rows), wt = Eigen::VectorXd::Ones(rows);
  for (int r = 0; r < int(steps.size()); ++r) {
    wt(r) = steps[std::size_t(r)].weight;
    A(r, slot[std::size_t(steps[std::size_t(r)].i)]) = 1;
    A(r, slot[std::size_t(steps[std::size_t(r)].j)]) = -1;
    y(r) = steps[std::size_t(r)].step_mm;
  }
  for (int i = 0; i < m; ++i) A(int(steps.size()) + group_row[std::size_t(root(i))], i) = 1;
  Eigen::VectorXd sol = Eigen::VectorXd::Zero(m);
  for (int it = 0; it < 6; ++it) {
    const Eigen::MatrixXd Aw = wt.asDiagonal() * A;
    sol = Aw.colPivHouseholderQr().solve(wt.asDiagonal() * y);
    const Eigen::VectorXd res = (A * sol - y).cwiseAbs();
    for (int r = 0; r < int(steps.size()); ++r)
      wt(r) = steps[std::size_t(r)].weight * (res(r) <= huber_mm ? 1.0 : std::sqrt(huber_mm / res(r)));
  }
  for (int f = 0; f < faces; ++f)
    if (slot[std::size_t(f)] >= 0)
      x[std::size_t(f)] = sol(slot[std::size_t(f)]), out.group[std::size_t(f)] = group_row[std::size_t(root(slot[std::size_t(f)]))];
  return out;
}

}  // namespace tuskprint::schreger
