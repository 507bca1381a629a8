#pragma once
// Local phase coherence of two registered pattern maps: how far apart two cut faces of one
// tusk are along it, rather than how alike they look.
//
// The Schreger pattern is a 3-D structure; a cut face is its intersection with a plane, and
// moving the plane along the tusk shifts each line family's local phase by a smooth field
// that grows with the distance between the faces (first order: distance times the field's
// gradient along the tusk). Registration removes the common rotation and scale; what is left
// between adjacent faces is a small, slowly varying phase shift, between faces three cuts
// apart a larger one that also varies faster across the face. The masked NCC mixes that with
// the noise of both scans (JPEG, lighting, a cut piece's small overlap), which differs far more
// between pairs than the drift between one and three cuts. This measure compares each family's
// phase locally instead: each map is split into its two line families (complex analytic
// fields: the half-planes of positive angular frequency with radial frequency of either sign,
// as the two families lean either way from the radius in log-polar), the product of a's field
// and b's conjugate field is averaged over a window of a few lines (coherence_sigma_*), and
// the coherence is the magnitude kept by that local average over the magnitude before it:
// near 1 when the phase difference is constant within each window (whatever its value there),
// lower when it varies within the window. A global phase offset (the registration's whole-cell
// rounding) does not lower it. Noise lowers it as well, but less than it lowers the NCC, as the
// window averages it away.
#include <opencv2/core.hpp>

#include "schreger/params.hpp"
#include "schreger/pattern_map.hpp"

namespace tuskprint::schreger {

// The two line families of one pattern map as complex fields (CV_32FC2, the map's shape; 0
// where the map is not observed), and its observation mask (CV_8U).
struct PatternPhase {
  cv::Mat family[2];
  cv::Mat mask;
};

// `mirrored`: of the map mirrored as pattern_spectra(map, true, ...) mirrors it. Throws
// Error(kInvalidArgument) for an empty map or one that is not CV_32F.
PatternPhase pattern_phase(const cv::Mat& map, bool mirrored, const SchregerParams& params);

// The phase of the mirrored map from the plain one's (the same as pattern_phase(map, true),
// without transforms). Throws Error(kInvalidArgument) for an empty phase.
PatternPhase mirror_phase(const PatternPhase& plain);

// Coherence (0..1) of b registered onto a by `alignment` (pattern_alignment of the spectra
// with the same handedness as b's phase): the mean over the two families of the local-average
// magnitude over the magnitude of the phase product, over the cells both observe (eroded by
// coherence_erode_cells). 0 when they share no cell. Throws Error(kInvalidArgument) when the
// two differ in shape.
double pattern_coherence(const PatternPhase& a, const PatternPhase& b, const PatternAlignment& alignment,
                         const SchregerParams& params);

}  // namespace tuskprint::schreger
