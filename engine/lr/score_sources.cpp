#include "lr/score_sources.hpp"

#include <sstream>

#include "core/sha256.hpp"
#include "match/parameters.hpp"
#include "ridge/params.hpp"

namespace tuskprint::lr {

std::string finger_score_description(match::Mode mode) {
  std::ostringstream s;
  s << ridge::kExtractorVersion << " extractor (parameters " << ridge::parameters_hash() << "), "
    << match::kMatcherVersion << " " << match::to_string(mode) << " score (MCC parameters "
    << match::parameters_hash() << "), latent or first image as probe";
  return s.str();
}

std::string finger_score_parameters_hash(match::Mode mode) { return sha256_hex(finger_score_description(mode)); }

std::string schreger_score_description() {
  return std::string(schreger::kExtractorVersion) +
         " measure, compare_link_faces score of facing cut faces (mirrored pattern correlation, handedness, "
         "descriptor distance)";
}

std::string schreger_score_parameters_hash(const schreger::SchregerParams& params) {
  return sha256_hex(schreger_score_description() + "; parameters " + params.hash());
}

schreger::LinkFace face_link_features(const schreger::LinkFeatures& link, const schreger::SchregerParams& params) {
  return schreger::prepare_link_face(link, params, true);
}

double face_link_score(const schreger::LinkFace& a, const schreger::LinkFace& b, const schreger::SchregerParams& p) {
  return schreger::compare_link_faces(a, b, p).score;
}

}  // namespace tuskprint::lr
