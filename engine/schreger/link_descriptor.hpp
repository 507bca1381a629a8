#pragma once
// Cut-face linking. Adjacent cut faces of one tusk show near mirror-image patterns.
//
// * descriptor: a fixed-length float vector, invariant to rotation and mirroring and
//   defined for whole sections and cut pieces alike. Each feature is divided by its
//   expected spread between adjacent faces of one tusk, so the squared L2 distance
//   counts noise units: index it with an L2 index (flat or IVF-Flat). Features: outer
//   angle, angle and spacing profile by radius, outer radius and cementum thickness (mm),
//   and the shape of the radial tone profile (growth bands).
// * polar map: tone and line-energy anomalies on a (radius x angle) grid, used by
//   alignment_score() to compare two faces over every rotation, plain and mirrored.
#include <vector>

#include <opencv2/core.hpp>

#include "schreger/cdj.hpp"
#include "schreger/params.hpp"
#include "schreger/polar_unwrap.hpp"
#include "schreger/schreger_angles.hpp"

namespace tuskprint::schreger {

inline constexpr int kLinkDescriptorSize = 128;
// The last descriptor slot carries the open pulp cavity's radius in mm times
// link_pulp_descriptor_scale (0: no cavity seen, as on most cut pieces). The scale is small,
// so the shortlist distance hardly sees it; the link score reads it back (pulp_radius_mm).
inline constexpr int kLinkPulpIndex = kLinkDescriptorSize - 1;
// The face's size: its outer radius in mm over link_sigma_radius_mm. link_features() puts the
// CDJ's mean radius plus the cementum there (around the section centre: on a cut piece that
// centre is often mm off, and the radius with it); measure() replaces it with the size fitted
// to the outline profile around the pattern centre when enough of the outline was measured
// (since tuskprint-schreger/1.7; outline_size_mm).
inline constexpr int kLinkSizeIndex = 12;

struct LinkFeatures {
  std::vector<float> descriptor;  // kLinkDescriptorSize floats (empty: no section)
  cv::Mat polar_map;              // CV_32F (2 * link_rows) x link_cols; NaN where not observed
  cv::Mat ring_map;               // CV_32F ring_rows x ring_cols: the band-passed line pattern
                                  // on rings rho 0.55..0.85 (fine enough to see the lines)
  cv::Mat pattern_map;            // CV_32F pattern_rows x pattern_cols around the pattern
                                  // centre (pattern_map.hpp); empty when none was sampled
  bool pattern_centre_found = false;  // the map is centred on the pattern's own centre
  std::vector<float> outline_mm;  // outer edge radius per pattern map column (outline_profile.hpp);
                                  // empty when none was measured
};

LinkFeatures link_features(const PolarImage& polar, const CdjEstimate& cdj, const AngleSummary& angles,
                           bool whole_section, const SchregerParams& params);

// Radius of the open pulp cavity (mm) recorded in a descriptor, 0 when none was seen.
double pulp_radius_mm(const std::vector<float>& descriptor, const SchregerParams& params);

// Squared L2 distance of two descriptors (smaller: more alike). Throws
// Error(kInvalidArgument) when the sizes differ.
double descriptor_distance(const std::vector<float>& a, const std::vector<float>& b);

struct Alignment {
  double score = -1;       // normalised cross-correlation of the polar maps, -1..1
  bool mirrored = false;   // best match with one face mirrored
  double rotation_deg = 0; // rotation of b onto a
};

enum class MirrorMode {
  kEither,        // plain or mirrored, whichever fits better
  kMirroredOnly,  // facing cut faces (both photographed face up) are mirror images
  kPlainOnly,
};

// Best alignment over all rotations (and mirroring, per `mode`). Score -1 when the maps
// overlap too little. Throws Error(kInvalidArgument) for maps of different shapes.
Alignment alignment_score(const cv::Mat& map_a, const cv::Mat& map_b, const SchregerParams& params,
                          MirrorMode mode = MirrorMode::kEither);

// Fourier transforms of a ring map prepared for masked circular cross-correlation;
// computing them once per face makes many comparisons cheap.
struct RingSpectra {
  cv::Mat values, squares, mask;  // per row: DFT of v*m, v^2*m and m (CV_32FC2)
  int observed = 0;               // observed cells
};
RingSpectra ring_spectra(const cv::Mat& ring_map, bool mirrored);

// Best masked normalised cross-correlation of the line pattern over all rotations, with
// `b` mirrored when `b_mirrored_spectra` was made with mirrored = true. -1 when the
// rings overlap too little.
double ring_alignment(const RingSpectra& a, const RingSpectra& b, const SchregerParams& params);

// The 1:1 link score of two facing cut faces (higher: more likely adjacent faces of one
// tusk): mirrored coarse alignment, plus how much better mirrored fits than plain
// (facing faces are mirror images; faces further apart along the tusk are not), plus
// ring_weight * mirrored ring alignment, minus descriptor distance / scale.
// Higher: more likely adjacent faces of one tusk.
double link_score(double descriptor_distance, double mirrored_alignment, double plain_alignment,
                  double ring_alignment, const SchregerParams& params);

// Rebuilds the polar map stored in a SchregerProfile-like flat array.
cv::Mat polar_map_from_values(const std::vector<float>& values, int rows, int cols);

}  // namespace tuskprint::schreger
