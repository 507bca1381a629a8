#pragma once
// Cut-face linking. Adjacent cut faces of one tusk show near mirror-image patterns.
//
// * descriptor: a fixed-length float vector, invariant to rotation and mirroring, unit
//   L2 norm, so that inner product (= 1 - L2^2 / 2) ranks candidates in a flat or IVF
//   index. Blocks: Schreger angle and spacing by radius, radial tone profile (growth
//   bands), angular power spectra of tone and line energy in four radial bands, and
//   geometry (CDJ radius, cementum, outline harmonics).
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

struct LinkFeatures {
  std::vector<float> descriptor;  // kLinkDescriptorSize floats, unit norm (empty: no section)
  cv::Mat polar_map;              // CV_32F (2 * link_rows) x link_cols; NaN where not observed
};

LinkFeatures link_features(const PolarImage& polar, const CdjEstimate& cdj, const AngleSummary& angles,
                           bool whole_section, const SchregerParams& params);

// Inner product of two descriptors (cosine: both unit norm). Throws Error(kInvalidArgument)
// when the sizes differ.
double descriptor_similarity(const std::vector<float>& a, const std::vector<float>& b);

struct Alignment {
  double score = -1;       // normalised cross-correlation of the polar maps, -1..1
  bool mirrored = false;   // best match with one face mirrored
  double rotation_deg = 0; // rotation of b onto a
};

// Best alignment over all rotations, plain and mirrored. Score -1 when the maps
// overlap too little. Throws Error(kInvalidArgument) for maps of different shapes.
Alignment alignment_score(const cv::Mat& map_a, const cv::Mat& map_b, const SchregerParams& params);

// Rebuilds the polar map stored in a SchregerProfile-like flat array.
cv::Mat polar_map_from_values(const std::vector<float>& values, int rows, int cols);

}  // namespace tuskprint::schreger
