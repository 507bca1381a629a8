#pragma once
// Extended Feature Set (EFS, ANSI/NIST-ITL 1-2011 Type-9 fields 9.300-9.373) units:
// coordinates in 10 micrometre units from the image's top-left corner, minutia direction
// theta in whole degrees 0-359 counter-clockwise from the +x axis, type E (ridge ending),
// B (bifurcation) or X (unknown).
#include <vector>

#include "ansinist/transaction.hpp"
#include "ridge/template.hpp"

namespace tuskprint::ansinist {

struct EfsMinutia {
  int x = 0;      // 10 um units
  int y = 0;
  int theta = 0;  // degrees, 0-359
  char type = 'X';
};

// 10 um units per pixel at `ppi` (2540 / ppi).
double efs_units_per_pixel(int ppi);

// Pixel minutia at `ppi` -> EFS (rounded to whole units and degrees).
EfsMinutia to_efs(const ridge::Minutia& m, int ppi);
// EFS -> pixels at `ppi` (direction in radians [0, 2*pi), quality 1).
ridge::Minutia from_efs(const EfsMinutia& m, int ppi);

// The minutiae of field 9.331 (one subfield each: X, Y, theta, type, ...). Throws kDataLoss
// naming the subfield when an entry is malformed.
std::vector<EfsMinutia> parse_efs_minutiae(const Field& field_9_331);
Field efs_minutiae_field(const std::vector<EfsMinutia>& minutiae);

}  // namespace tuskprint::ansinist
