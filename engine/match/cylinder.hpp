#pragma once
// Minutia Cylinder-Code cylinders (Cappelli, Ferrara & Maltoni 2010, Section 3).
//
// Each minutia gets a cylinder of NS x NS x ND cells centred on it and turned to its
// direction. A cell sums, over the other minutiae near its centre, a spatial Gaussian
// times the part of a directional Gaussian that falls in the cell's angular slice.
// Float form: the sum through a sigmoid. Bit form: 1 when the sum reaches mu.
// Cells are stored slice-major: index = k * NS*NS + i * NS + j, so the validity mask
// (which depends on (i, j) only) repeats every NS*NS cells.
#include <cstdint>
#include <vector>

#include "match/convex_hull.hpp"
#include "match/parameters.hpp"
#include "ridge/template.hpp"

namespace tuskprint::match {

enum class CylinderStatus : std::uint8_t {
  kValid,
  kTooFewValidCells,         // less than min_VC of the in-circle cells inside the grown hull
  kTooFewNeighbourMinutiae,  // less than min_M other minutiae within R + 3 sigma_S
};

const char* to_string(CylinderStatus status);

// The cylinders of one template, in float and bit form. Only valid cylinders are kept;
// `minutia[c]` maps cylinder c back to its minutia in the template.
struct CylinderSet {
  int base_cells = 0;        // NS * NS
  int cells = 0;             // NS * NS * ND
  int words = 0;             // 64-bit words per bit vector (cells / 64, rounded up)
  int base_words = 0;        // 64-bit words holding one base (NS * NS) mask
  int in_circle_cells = 0;   // base cells whose centre lies within R (the most that can be valid)

  std::vector<int> minutia;          // per cylinder: index into the template's minutiae
  std::vector<float> x, y;           // per cylinder: minutia position, y-up frame, 500 ppi
  std::vector<float> direction;      // per cylinder: minutia direction (rad, CCW, y-up)
  std::vector<float> values;         // cylinders * cells: sigmoid cell values, 0 where invalid
  std::vector<float> base_mask;      // cylinders * base_cells: 1 valid, 0 invalid
  std::vector<std::uint64_t> bits;   // cylinders * words: cell bits (0 where invalid)
  std::vector<std::uint64_t> mask;   // cylinders * words: validity mask of all cells
  std::vector<int> valid_base_cells; // per cylinder: popcount of the base mask

  // Pairwise geometry of the cylinders' minutiae (size() x size(), row-major), for the
  // relaxation stage: distance, and the angle at which minutia j is seen from minutia i
  // relative to i's direction (the paper's d_R).
  std::vector<float> pair_distance;
  std::vector<float> pair_radial_angle;

  // Convex hull of the cylinders' minutiae (y-up frame): the area a template covers, for
  // the global consistency check.
  ConvexOutline outline;

  std::vector<CylinderStatus> status;  // per template minutia

  int size() const { return static_cast<int>(minutia.size()); }
  const float* values_of(int c) const { return values.data() + static_cast<std::size_t>(c) * cells; }
  const float* base_mask_of(int c) const {
    return base_mask.data() + static_cast<std::size_t>(c) * base_cells;
  }
  const std::uint64_t* bits_of(int c) const { return bits.data() + static_cast<std::size_t>(c) * words; }
  const std::uint64_t* mask_of(int c) const { return mask.data() + static_cast<std::size_t>(c) * words; }
};

// The imaged finger area, as blocks of `block` px (500 ppi), row-major, 1 = foreground.
struct ForegroundMask {
  int block = 0;
  int rows = 0;
  int cols = 0;
  std::vector<std::uint8_t> cells;

  bool empty() const { return block <= 0 || cells.empty(); }
  // (x, y) in image coordinates (y down) at 500 ppi; outside the grid is background.
  bool contains(float x, float y) const;
};

// Builds the cylinders of `minutiae` (coordinates already at 500 ppi, image frame: x right,
// y down; directions CCW with y up, as in ridge::Minutia). Throws Error(kInvalidArgument)
// for non-finite coordinates or directions.
// When `foreground` is given (and parameters.use_foreground), cells off the finger are invalid.
CylinderSet make_cylinders(const std::vector<ridge::Minutia>& minutiae,
                           const MccParameters& parameters = default_parameters(),
                           const ForegroundMask* foreground = nullptr);

}  // namespace tuskprint::match
