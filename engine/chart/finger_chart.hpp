#pragma once
// A finger match chart for examiners: the two prints side by side at equal height, every
// minutia as a circle with a tick along its direction, the matcher's paired minutiae
// joined by lines coloured by their relaxed similarity and numbered best first, and a
// caption with the score, pair and minutia counts, matcher mode and likelihood ratio.
//
//   auto probe = chart::load_finger_side("latent.png", 500);
//   auto gallery = chart::load_finger_side("ref.tpl", 500);
//   auto comparison = chart::compare_fingers(probe, gallery);
//   cv::Mat picture = chart::render_finger_chart(probe, gallery, comparison, "LR: ...");
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "match/matcher.hpp"
#include "ridge/template.hpp"

namespace tuskprint::chart {

struct FingerSide {
  std::string label;             // shown under the print (the file name)
  cv::Mat grey;                  // the scan at the template's working resolution; empty when
                                 // the side was loaded from a template file
  ridge::FingerTemplate finger;  // coordinates at finger.ppi
};

// An image file (PNG, TIFF, JPEG, BMP, ... at `ppi`) is decoded and extracted; a template
// file (tag TPFTPL01, ridge/template_io.hpp) is loaded as is (`ppi` unused). Errors come
// from the loaders: kNotFound for a missing file, kInvalidArgument for bytes that are
// neither an image nor a template, kFailedPrecondition for a template from another
// extractor version.
FingerSide load_finger_side(const std::string& path, int ppi);

struct FingerComparison {
  match::MatchDetails details;                   // pairs by relaxed similarity, best first
  std::vector<ridge::Minutia> probe_minutiae;    // what details.pairs index into
  std::vector<ridge::Minutia> gallery_minutiae;
};

FingerComparison compare_fingers(const FingerSide& probe, const FingerSide& gallery,
                                 match::Mode mode = match::Mode::kLssrBit);

// `lr_text` is the caption's likelihood-ratio line, e.g. "log10 LR = 3.41 (model
// lr-finger-v1.json)" or "LR: no calibration model". Returns a CV_8UC3 picture.
cv::Mat render_finger_chart(const FingerSide& probe, const FingerSide& gallery,
                            const FingerComparison& comparison, const std::string& lr_text);

// Colour of a pair line for a relaxed similarity: vermillion (<= 0.01) through purple to
// blue (>= 0.5) on a log scale, distinguishable with colour-vision deficiency. BGR.
cv::Scalar similarity_colour(double similarity);

}  // namespace tuskprint::chart
