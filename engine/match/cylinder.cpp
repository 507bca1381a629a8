#include "match/cylinder.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "match/angles.hpp"
#include "match/convex_hull.hpp"

namespace tuskprint::match {
namespace {

constexpr float kPi = std::numbers::pi_v<float>;

// Cell centres of the base grid relative to the minutia, before rotation, and which of
// them lie within the cylinder radius.
struct CellGrid {
  std::vector<float> dx, dy;
  std::vector<unsigned char> in_circle;
  int in_circle_count = 0;

  explicit CellGrid(const MccParameters& p) {
    const int ns = p.spatial_cells;
    const float step = 2 * p.radius / static_cast<float>(ns);
    const float half = (static_cast<float>(ns) + 1) / 2;
    for (int i = 1; i <= ns; ++i) {
      for (int j = 1; j <= ns; ++j) {
        // i indexes the x axis of the cylinder's frame, j its y axis.
        const float ox = step * (static_cast<float>(i) - half);
        const float oy = step * (static_cast<float>(j) - half);
        dx.push_back(ox);
        dy.push_back(oy);
        const bool inside = ox * ox + oy * oy <= p.radius * p.radius;
        in_circle.push_back(inside ? 1 : 0);
        in_circle_count += inside ? 1 : 0;
      }
    }
  }
};

// Share of a Gaussian (sigma_D) of direction difference falling in each angular slice:
// the integral over [alpha - dD/2, alpha + dD/2] with alpha = d_phi(slice centre, diff).
void directional_contributions(float direction_difference, const MccParameters& p, float* out) {
  const float slice = 2 * kPi / static_cast<float>(p.direction_cells);
  const float scale = 1.0f / (p.sigma_direction * std::numbers::sqrt2_v<float>);
  for (int k = 0; k < p.direction_cells; ++k) {
    const float centre = -kPi + (static_cast<float>(k) + 0.5f) * slice;
    const float alpha = angle_difference(centre, direction_difference);
    out[k] = 0.5f * (std::erf((alpha + slice / 2) * scale) - std::erf((alpha - slice / 2) * scale));
  }
}

}  // namespace

const char* to_string(CylinderStatus status) {
  switch (status) {
    case CylinderStatus::kValid: return "valid";
    case CylinderStatus::kTooFewValidCells: return "too-few-valid-cells";
    case CylinderStatus::kTooFewNeighbourMinutiae: return "too-few-neighbour-minutiae";
  }
  return "unknown";
}

bool ForegroundMask::contains(float x, float y) const {
  if (x < 0 || y < 0) return false;
  const int col = static_cast<int>(x) / block;
  const int row = static_cast<int>(y) / block;
  if (col >= cols || row >= rows) return false;
  return cells[static_cast<std::size_t>(row) * cols + col] != 0;
}

CylinderSet make_cylinders(const std::vector<ridge::Minutia>& minutiae, const MccParameters& p,
                           const ForegroundMask* foreground) {
  TP_CHECK(p.spatial_cells > 0 && p.direction_cells > 0 && p.radius > 0 && p.sigma_spatial > 0 &&
               p.sigma_direction > 0,
           kInvalidArgument, "MCC parameters must be positive (R, NS, ND, sigma_S, sigma_D)");
  // The bit comparison reuses one base mask for every slice: it must fill whole words.
  TP_CHECK(p.spatial_cells % 8 == 0, kInvalidArgument,
           "MCC NS must be a multiple of 8 (whole 64-bit words per slice), got " << p.spatial_cells);
  for (std::size_t m = 0; m < minutiae.size(); ++m) {
    const auto& mt = minutiae[m];
    TP_CHECK(std::isfinite(mt.x) && std::isfinite(mt.y) && std::isfinite(mt.direction),
             kInvalidArgument,
             "minutia " << m << " has a non-finite position or direction (" << mt.x << ", " << mt.y
                        << ", " << mt.direction << ")");
  }

  const CellGrid grid(p);
  CylinderSet set;
  set.base_cells = p.spatial_cells * p.spatial_cells;
  set.cells = set.base_cells * p.direction_cells;
  set.words = (set.cells + 63) / 64;
  set.base_words = (set.base_cells + 63) / 64;
  set.in_circle_cells = grid.in_circle_count;
  set.status.assign(minutiae.size(), CylinderStatus::kValid);

  // Work in a y-up frame so that directions are ordinary math angles.
  const std::size_t n = minutiae.size();
  std::vector<Point> position(n);
  std::vector<float> theta(n);
  for (std::size_t m = 0; m < n; ++m) {
    position[m] = {minutiae[m].x, -minutiae[m].y};
    theta[m] = minutiae[m].direction;
  }
  const GrownConvexHull hull(position, p.hull_margin);
  if (foreground != nullptr && (foreground->empty() || !p.use_foreground)) foreground = nullptr;
  if (foreground != nullptr) {
    TP_CHECK(foreground->cells.size() == static_cast<std::size_t>(foreground->rows) * foreground->cols,
             kInvalidArgument, "foreground mask has " << foreground->cells.size() << " cells, expected "
                                                      << foreground->rows << " x " << foreground->cols);
  }

  const float cutoff = p.neighbour_cutoff_sigmas * p.sigma_spatial;
  const float cutoff_squared = cutoff * cutoff;
  const float reach = p.radius + cutoff;
  const float spatial_norm = 1.0f / (p.sigma_spatial * std::sqrt(2 * kPi));
  const float spatial_exponent = -1.0f / (2 * p.sigma_spatial * p.sigma_spatial);
  const int nd = p.direction_cells;
  const int min_valid = static_cast<int>(std::ceil(p.min_valid_cells * static_cast<float>(grid.in_circle_count)));

  set.values.reserve(n * static_cast<std::size_t>(set.cells));
  set.bits.reserve(n * static_cast<std::size_t>(set.words));
  set.mask.reserve(n * static_cast<std::size_t>(set.words));
  set.base_mask.reserve(n * static_cast<std::size_t>(set.base_cells));
  std::vector<int> neighbours;
  std::vector<float> neighbour_directional;  // neighbours * nd
  std::vector<float> raw(static_cast<std::size_t>(set.cells));
  std::vector<float> cell_x(static_cast<std::size_t>(set.base_cells));
  std::vector<float> cell_y(static_cast<std::size_t>(set.base_cells));
  std::vector<unsigned char> valid(static_cast<std::size_t>(set.base_cells));
  const int ns = p.spatial_cells;
  const float empty_cell_value = sigmoid(0.0f, p.sigmoid_mu, p.sigmoid_tau);  // no neighbour in reach
  std::vector<float> du2(static_cast<std::size_t>(ns)), dv2(static_cast<std::size_t>(ns));
  std::vector<float> gu(static_cast<std::size_t>(ns)), gv(static_cast<std::size_t>(ns));

  for (std::size_t m = 0; m < n; ++m) {
    // Neighbour list: only minutiae within R + 3 sigma_S can reach a cell.
    neighbours.clear();
    for (std::size_t t = 0; t < n; ++t) {
      if (t == m) continue;
      const float ex = position[t].x - position[m].x, ey = position[t].y - position[m].y;
      if (ex * ex + ey * ey <= reach * reach) neighbours.push_back(static_cast<int>(t));
    }
    if (static_cast<int>(neighbours.size()) < p.min_contributing_minutiae) {
      set.status[m] = CylinderStatus::kTooFewNeighbourMinutiae;
      continue;
    }

    // Cell centres of this cylinder and their validity.
    const float c = std::cos(theta[m]), s = std::sin(theta[m]);
    // Most cylinders lie well inside the hull: then every in-circle cell is valid.
    const bool whole_circle_inside = foreground == nullptr && hull.contains_disc(position[m], p.radius);
    int valid_count = 0;
    for (int b = 0; b < set.base_cells; ++b) {
      cell_x[b] = position[m].x + c * grid.dx[b] - s * grid.dy[b];
      cell_y[b] = position[m].y + s * grid.dx[b] + c * grid.dy[b];
      valid[b] = grid.in_circle[b] && (whole_circle_inside || hull.contains({cell_x[b], cell_y[b]})) &&
                         (foreground == nullptr || foreground->contains(cell_x[b], -cell_y[b]))
                     ? 1
                     : 0;
      valid_count += valid[b];
    }
    if (valid_count < min_valid) {
      set.status[m] = CylinderStatus::kTooFewValidCells;
      continue;
    }

    // The directional term depends only on the neighbour, not on the cell.
    neighbour_directional.resize(neighbours.size() * static_cast<std::size_t>(nd));
    for (std::size_t q = 0; q < neighbours.size(); ++q) {
      directional_contributions(angle_difference(theta[m], theta[neighbours[q]]), p,
                                &neighbour_directional[q * nd]);
    }

    // In the cylinder's own frame the cell centres lie on a square grid, so a neighbour's
    // squared distance to cell (i, j) is du_i^2 + dv_j^2 and its Gaussian factorises: 2 NS
    // exponentials per neighbour instead of NS^2 (cylinder creation is most of the cost of
    // re-ranking a search shortlist). Each cell still sums its neighbours in order.
    std::fill(raw.begin(), raw.end(), 0.0f);
    for (std::size_t q = 0; q < neighbours.size(); ++q) {
      const Point& pt = position[neighbours[q]];
      const float ex = pt.x - position[m].x, ey = pt.y - position[m].y;
      const float u = c * ex + s * ey, v = -s * ex + c * ey;
      for (int i = 0; i < ns; ++i) {
        const float du = u - grid.dx[std::size_t(i * ns)], dv = v - grid.dy[std::size_t(i)];
        du2[std::size_t(i)] = du * du;
        dv2[std::size_t(i)] = dv * dv;
        gu[std::size_t(i)] = std::exp(du2[std::size_t(i)] * spatial_exponent);
        gv[std::size_t(i)] = spatial_norm * std::exp(dv2[std::size_t(i)] * spatial_exponent);
      }
      const float* directional = &neighbour_directional[q * nd];
      for (int i = 0; i < ns; ++i) {
        if (du2[std::size_t(i)] > cutoff_squared) continue;
        for (int j = 0; j < ns; ++j) {
          const int b = i * ns + j;
          if (!valid[std::size_t(b)] || du2[std::size_t(i)] + dv2[std::size_t(j)] > cutoff_squared) continue;
          const float spatial = gu[std::size_t(i)] * gv[std::size_t(j)];
          for (int k = 0; k < nd; ++k) raw[std::size_t(k * set.base_cells + b)] += spatial * directional[k];
        }
      }
    }

    // Store float and bit forms.
    const int cylinder = set.size();
    set.minutia.push_back(static_cast<int>(m));
    set.x.push_back(position[m].x);
    set.y.push_back(position[m].y);
    set.direction.push_back(theta[m]);
    set.valid_base_cells.push_back(valid_count);
    set.values.resize(set.values.size() + set.cells, 0.0f);
    set.base_mask.resize(set.base_mask.size() + set.base_cells, 0.0f);
    set.bits.resize(set.bits.size() + set.words, 0);
    set.mask.resize(set.mask.size() + set.words, 0);
    float* values = set.values.data() + static_cast<std::size_t>(cylinder) * set.cells;
    float* base_mask = set.base_mask.data() + static_cast<std::size_t>(cylinder) * set.base_cells;
    std::uint64_t* bits = set.bits.data() + static_cast<std::size_t>(cylinder) * set.words;
    std::uint64_t* mask = set.mask.data() + static_cast<std::size_t>(cylinder) * set.words;
    for (int b = 0; b < set.base_cells; ++b) base_mask[b] = valid[b] ? 1.0f : 0.0f;
    for (int cell = 0; cell < set.cells; ++cell) {
      if (!valid[cell % set.base_cells]) continue;
      const float v = raw[std::size_t(cell)];
      values[cell] = v == 0.0f ? empty_cell_value : sigmoid(v, p.sigmoid_mu, p.sigmoid_tau);
      const std::uint64_t bit = std::uint64_t{1} << (cell % 64);
      mask[cell / 64] |= bit;
      if (v >= p.sigmoid_mu) bits[cell / 64] |= bit;
    }
  }

  const std::size_t count = static_cast<std::size_t>(set.size());
  std::vector<Point> kept(count);
  for (std::size_t i = 0; i < count; ++i) kept[i] = {set.x[i], set.y[i]};
  set.outline = ConvexOutline(kept);
  set.pair_distance.assign(count * count, 0.0f);
  set.pair_radial_angle.assign(count * count, 0.0f);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t j = 0; j < count; ++j) {
      if (i == j) continue;
      const float ex = set.x[j] - set.x[i], ey = set.y[j] - set.y[i];
      set.pair_distance[i * count + j] = std::hypot(ex, ey);
      set.pair_radial_angle[i * count + j] = angle_difference(set.direction[i], std::atan2(ey, ex));
    }
  }
  return set;
}

}  // namespace tuskprint::match
