#pragma once
// The size of a cut face: the radius of its outer edge around the pattern centre, column by
// column of the pattern map (pattern_map.hpp), to a fraction of a working pixel.
//
// A tusk tapers toward the tip, so successive cut faces shrink by a few hundredths of a
// millimetre to a few tenths each; the face three cuts away differs in size three times as
// much as the adjacent face. The section mask's boundary cannot show that: it follows the
// Otsu threshold of a smoothed distance, which sits at a different depth of the blurred edge
// on every scan, and a dark cementum ring on a dark background is left out of the mask on
// some scans and not on others (0.3-2 mm either way). So the edge is located again along each
// ray through an outer-arc point of the outline: from the outermost place, up to
// outline_outside_mm beyond the mask, where the colour distance to the background
// model still rises above a quarter of the way to the material's level (whatever the mask
// made of the cementum), it is placed where the distance falls most steeply (the middle of
// a blurred step, whatever the blur and threshold).
#include <limits>
#include <vector>

#include <opencv2/core.hpp>

#include "schreger/outer_edge.hpp"
#include "schreger/params.hpp"
#include "schreger/section_mask.hpp"
#include "schreger/working_image.hpp"

namespace tuskprint::schreger {

// params.pattern_cols radii in mm; column j at angle 2 pi j / cols around `centre`
// (working px, image axes, y down), the pattern map's columns. NaN where the ray does not
// meet the outer arc (sawn sides, missing sectors) or the edge is not clear.
std::vector<float> outline_radius_profile(const WorkingImage& w, const SectionMask& mask, const OuterEdge& edge,
                                          cv::Point2d centre, const SchregerParams& params);

// The face's size for the link descriptor (mm): R of r(theta) = R + c1 cos theta + c2 sin theta
// fitted by least squares to the columns the profile measured, with a ridge of
// shift_ridge x (columns) on the shift (c1, c2); 0 when fewer than min_columns were measured.
// The shift is the outline's centre seen from the pattern centre (an off-centre pulp). On a
// whole outline it is well determined and the ridge only halves it (at 0.5); on an arc it
// cannot be told from a change of R along the arc's bisector, and the ridge leaves that part
// in R, so an arc's size stays near its mean radius instead of following an ill-posed circle
// fit (an oval's curvature varies along its arc). Columns beyond 3 robust SDs of an unshrunk fit
// (a chip, a misread edge) are left out of the final one. Throws Error(kInvalidArgument) for a
// negative ridge.
double outline_size_mm(const std::vector<float>& outline_mm, int min_columns, double shift_ridge);

struct SizeStep {
  double step_mm = 0;  // how much larger face a is than face b (outer radius, mm)
  int columns = 0;     // columns of the outer arc both faces show (0: unknown step)
  double residual_mm = std::numeric_limits<double>::quiet_NaN();  // RMS over those columns of
                       // what the fit leaves: how well the two outlines' shapes agree in this
                       // registration (NaN when unknown)
};

// Which face a registration mirrored (pattern_alignment: b's cell column j, of the map as
// given to it, lies on a's column j + col_shift).
enum class MirroredFace { kNeither, kA, kB };

// The size difference of two faces registered onto each other (both profiles with the same
// column count), and how well their shapes agree. Fitted over the columns both show as a
// constant radius difference plus a shift of the centre (c1 cos + c2 sin: the two pattern
// centres are each placed a little off), by least squares with two trimmed refits (residuals
// beyond 3 robust SDs left out). residual_mm is the RMS, over every column both show (the
// trimmed ones too), of what that fit leaves. A tusk's section is not a circle (an oval, a few
// lobes: tenths of a mm to mm around), and the outline changes little from one cut to the
// next, so in the right registration the residual is the edge's measurement noise (~0.01-0.04
// mm) and in a wrong one the difference of two shapes turned against each other. Unknown
// (columns 0, residual NaN) below min_columns common columns. Throws Error(kInvalidArgument)
// for profiles of different lengths.
SizeStep outline_agreement(const std::vector<float>& a, const std::vector<float>& b, int col_shift,
                           MirroredFace mirrored, int min_columns);

// Positions of faces along the tusk (outer radius in mm) from pairwise size steps:
// step(i, j) = x_i - x_j, fitted by iteratively reweighted least squares with a Huber weight
// beyond `huber_mm` (one misread step moves the positions little), times each step's own
// weight (how much it is trusted: a step measured over a long arc whose shapes agree counts
// more than one from two short arcs of cut pieces). Faces joined by steps form a group, whose
// positions have mean 0; only positions within a group compare. Faces with no step get NaN
// and group -1. Throws Error(kInvalidArgument) for a step naming a face outside 0..faces-1, a
// face and itself, or a weight that is not a positive finite number.
struct FaceStep {
  int i = 0, j = 0;
  double step_mm = 0;
  double weight = 1.0;  // scales the step's row of the fit (its square: the least-squares weight)
};
struct FacePositions {
  std::vector<double> x;
  std::vector<int> group;
};
FacePositions positions_from_steps(int faces, const std::vector<FaceStep>& steps, double huber_mm);

}  // namespace tuskprint::schreger
