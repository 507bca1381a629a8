#pragma once
// The scorers the LR models calibrate, and the hash that names each one. A model fitted
// for one scorer is meaningless for another: compare LrModel::score_parameters_hash()
// with these before using a model.
//
// * finger: ridge::extract (tuskprint-ridge, its parameter hash) then match::score in
//   LSS-R bit mode (mcc matcher version, MCC parameter hash), latent (or first image) as
//   probe.
// * schreger: schreger::measure (tuskprint-schreger, SchregerParams hash) then the
//   facing-cut-face link score of engine/schreger (face_link_score below).
#include <string>
#include <vector>

#include "match/matcher.hpp"
#include "schreger/link_compare.hpp"
#include "schreger/params.hpp"

namespace tuskprint::lr {

std::string finger_score_description(match::Mode mode = match::Mode::kLssrBit);
std::string finger_score_parameters_hash(match::Mode mode = match::Mode::kLssrBit);

std::string schreger_score_description();
std::string schreger_score_parameters_hash(const schreger::SchregerParams& params = {});

// A measured cut face prepared for many comparisons (both pattern-map transforms).
using FaceLinkFeatures = schreger::LinkFace;
FaceLinkFeatures face_link_features(const schreger::LinkFeatures& link,
                                      const schreger::SchregerParams& params = {});

// The 1:1 link score of two facing cut faces, as engine/schreger defines it
// (schreger::compare_link_faces: mirrored pattern correlation, handedness, descriptor
// distance). Symmetric in a and b.
double face_link_score(const FaceLinkFeatures& a, const FaceLinkFeatures& b,
                       const schreger::SchregerParams& params = {});

}  // namespace tuskprint::lr
