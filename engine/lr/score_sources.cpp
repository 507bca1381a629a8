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
         " measure, link_score of facing cut faces (descriptor distance, mirrored and plain alignment, "
         "mirrored ring alignment)";
}

std::string schreger_score_parameters_hash(const schreger::SchregerParams& params) {
  return sha256_hex(schreger_score_description() + "; parameters " + params.hash());
}

FaceLinkFeatures face_link_features(const schreger::LinkFeatures& link) {
  return {link.descriptor, link.polar_map, schreger::ring_spectra(link.ring_map, false),
          schreger::ring_spectra(link.ring_map, true)};
}

double face_link_score(const FaceLinkFeatures& a, const FaceLinkFeatures& b, const schreger::SchregerParams& p) {
  const double d2 = schreger::descriptor_distance(a.descriptor, b.descriptor);
  // Facing cut faces are mirror images: mirrored fit, handedness (mirrored - plain), ring.
  const double mirrored =
      schreger::alignment_score(a.polar_map, b.polar_map, p, schreger::MirrorMode::kMirroredOnly).score;
  const double plain = schreger::alignment_score(a.polar_map, b.polar_map, p, schreger::MirrorMode::kPlainOnly).score;
  const double ring = schreger::ring_alignment(a.ring_plain, b.ring_mirrored, p);
  return schreger::link_score(d2, mirrored, plain, ring, p);
}

}  // namespace tuskprint::lr
