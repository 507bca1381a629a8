#pragma once
// The scorers the LR models calibrate, and the hash that names each one. A model fitted
// for one scorer is meaningless for another: compare LrModel::score_parameters_hash()
// with these before using a model.
//
// * finger: ridge::extract (tuskprint-ridge, its parameter hash) then match::score in
//   LSS-R bit mode (mcc matcher version, MCC parameter hash), latent (or first image) as
//   probe.
// * schreger: schreger::measure (tuskprint-schreger, SchregerParams hash) then the
//   facing-cut-face link score (face_link_score below).
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "match/matcher.hpp"
#include "schreger/link_descriptor.hpp"
#include "schreger/params.hpp"

namespace tuskprint::lr {

std::string finger_score_description(match::Mode mode = match::Mode::kLssrBit);
std::string finger_score_parameters_hash(match::Mode mode = match::Mode::kLssrBit);

std::string schreger_score_description();
std::string schreger_score_parameters_hash(const schreger::SchregerParams& params = {});

// What the link score needs of one measured cut face.
struct FaceLinkFeatures {
  std::vector<float> descriptor;
  cv::Mat polar_map;
  schreger::RingSpectra ring_plain, ring_mirrored;
};
FaceLinkFeatures face_link_features(const schreger::LinkFeatures& link);

// The 1:1 link score of two facing cut faces, as engine/schreger defines it (link_score of
// the descriptor distance, mirrored and plain coarse alignment and mirrored ring alignment).
double face_link_score(const FaceLinkFeatures& a, const FaceLinkFeatures& b, const schreger::SchregerParams& params = {});

}  // namespace tuskprint::lr
