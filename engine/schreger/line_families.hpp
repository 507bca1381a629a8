#pragma once
// Detection of the two crossing Schreger line families in local spectra of the
// log-polar image. Each patch gives the orientations of its two strongest line
// families; a pair counts as a Schreger crossing when the two families are mirror
// images about the radial direction (as Schreger lines are) and similar in spacing.
#include <vector>

#include "schreger/cdj.hpp"
#include "schreger/params.hpp"
#include "schreger/polar_unwrap.hpp"

namespace tuskprint::schreger {

struct PatchFamilies {
  double rho = 0;           // normalised radius of the patch centre (1 = CDJ)
  double theta_deg = 0;     // polar position
  double row = 0, col = 0;  // patch centre in the polar image
  double size_rows = 0;     // patch side in polar pixels
  bool outer = false;       // one of the outer (next to the CDJ) samples
  bool crossing = false;    // two mirrored families found
  double line1_deg = 0, line2_deg = 0;  // line orientations from the radial direction, (-90, 90]
  double angle_deg = 0;     // Schreger angle (see crossing_angle)
  double symmetry_error_deg = 0;
  double spacing_mm = 0;    // mean line spacing of the two families
  double strength = 0;      // weaker family's peak power over the band median
  double band_energy = 0;   // total power in the spacing band (line texture; 0 where the
                            // patch is flat, e.g. clipped by the lighting)
};

// The Schreger angle of two lines given by their orientations from the radial
// direction (degrees, any representation mod 180): the angle between them measured
// across whichever of their two bisectors lies nearer the radial direction (so it
// opens toward the periphery). `symmetry_error_deg` receives how far that bisector is
// from the radial direction.
double crossing_angle(double line1_deg, double line2_deg, double* symmetry_error_deg = nullptr);

// Outer samples: a ring of overlapping patches just inside the CDJ. Profile samples:
// rings of patches at rho 0.25 .. 0.85.
std::vector<PatchFamilies> detect_line_families(const PolarImage& polar, const CdjEstimate& cdj,
                                                const SchregerParams& params);

// Analyses one square CV_32F patch (any side; resampled to 64). `mm_per_px` converts
// patch pixels to millimetres. Exposed for tests.
PatchFamilies analyse_patch(const cv::Mat& patch, double mm_per_px, const SchregerParams& params);

}  // namespace tuskprint::schreger
