#pragma once
// The pattern map: the band-passed Schreger line pattern of a cut face in log-polar
// coordinates around the pattern centre (pattern_centre.hpp), fine enough to see the
// individual lines. Two faces are registered by a 2-D masked normalised cross-correlation
// over every rotation (column shift) and a small scale change (row shift: the tusk tapers
// and the CDJ radius that normalises the rows is measured with some error), plain or with
// one face mirrored. Adjacent cut faces of one tusk are near mirror images; the line
// pattern drifts slowly along the tusk, so faces further apart correlate less.
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "schreger/cdj.hpp"
#include "schreger/params.hpp"
#include "schreger/polar_unwrap.hpp"
#include "schreger/section_mask.hpp"
#include "schreger/working_image.hpp"

namespace tuskprint::schreger {

// CV_32F pattern_rows x pattern_cols, z-scored per row, NaN where not observed. Row i lies
// at radius rho_lo * (rho_hi / rho_lo)^(i / rows) of the mean CDJ radius; column j at angle
// 2 pi j / cols (image axes, y down) around `centre` (working px).
cv::Mat sample_pattern_map(const WorkingImage& w, const SectionMask& mask, const PolarImage& polar,
                           const CdjEstimate& cdj, cv::Point2d centre, const SchregerParams& params);

// Compact storage: one signed byte per cell (value * 25, clamped), -128 where not observed.
std::string pack_pattern_map(const cv::Mat& map);
// Error(kInvalidArgument) when the byte count is not rows * cols.
cv::Mat unpack_pattern_map(const std::string& bytes, int rows, int cols);

// Fourier transforms of a pattern map prepared for masked cross-correlation.
struct PatternSpectra {
  cv::Mat values, squares, mask;  // DFTs (CCS packed) of v*m, v^2*m and m, rows zero-padded
  int rows = 0, cols = 0;         // of the map
  int observed = 0;
};
PatternSpectra pattern_spectra(const cv::Mat& map, bool mirrored, const SchregerParams& params);

struct PatternAlignment {
  double score = -1;         // masked NCC at the best shift, -1 when the maps overlap too little
  double rotation_deg = 0;   // rotation of b onto a
  double scale = 1;          // radial scale of b relative to a
  int overlap = 0;           // cells compared at the best shift
  int row_shift = 0;         // the best shift in map cells: b's cell (r, c) lies on a's cell
  int col_shift = 0;         // (r + row_shift, c + col_shift), columns modulo the map width
};

// Best alignment of b onto a (b mirrored when its spectra were made mirrored). Throws
// Error(kInvalidArgument) for spectra of different shapes.
PatternAlignment pattern_alignment(const PatternSpectra& a, const PatternSpectra& b, const SchregerParams& params);

}  // namespace tuskprint::schreger
