#pragma once
// A Schreger pair chart: two tusk cross-sections side by side, B rotated (and mirrored,
// when that fits better) onto A's frame as schreger::alignment_score finds it, each
// section's outer edge, cementum-dentine junction (CDJ), centre and measured outer
// angle pairs drawn, and a caption with the alignment, link score and species calls.
//
// Geometry: the polar maps are indexed by the image angle theta (x = cx + r cos theta,
// y = cy + r sin theta, source pixels). A plain alignment with rotation R pairs A's
// theta with B's theta + R, a mirrored one pairs A's theta with B's -theta - R. So B is
// shown mapped through p -> R(-R) * F * (p - c_B), F the reflection y -> -y when mirrored.
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "image/decode.hpp"
#include "schreger/link_descriptor.hpp"
#include "schreger/measure.hpp"

namespace tuskprint::chart {

struct SchregerSide {
  std::string label;  // file name
  image::DecodedImage scan;
  schreger::SchregerResult result;
};

// Decodes and measures one cross-section scan at `ppi`. Errors from image::load_file
// (kNotFound, kInvalidArgument) and schreger::measure (unusable ppi).
SchregerSide load_schreger_side(const std::string& path, double ppi);

struct SchregerPairing {
  schreger::Alignment best;        // plain or mirrored, whichever fits better: what is drawn
  double mirrored_alignment = -1;  // best score with B mirrored (facing cut faces)
  double plain_alignment = -1;     // best score with B as photographed
  double descriptor_distance = 0;  // squared L2 of the link descriptors
};

// Error(kInvalidArgument) naming the side when a section was not found or has no link
// features (nothing to align).
SchregerPairing compare_sections(const SchregerSide& a, const SchregerSide& b);

// The 2x3 affine map from B's source pixels into A's frame, centred on A's centre and at
// A's scale (see the geometry note above).
cv::Matx23d b_onto_a(const SchregerSide& a, const SchregerSide& b, const schreger::Alignment& alignment);

// `evidence_text`: the caption's last line, the link score and likelihood ratio as the
// caller computed them ("LR: no calibration model" when there is no model).
cv::Mat render_schreger_chart(const SchregerSide& a, const SchregerSide& b,
                              const SchregerPairing& pairing, const std::string& evidence_text);

}  // namespace tuskprint::chart
