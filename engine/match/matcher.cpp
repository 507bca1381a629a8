#include "match/matcher.hpp"

#include "core/error.hpp"
#include "match/cylinder_similarity.hpp"

namespace tuskprint::match {
namespace {

constexpr int kParametersPpi = 500;

std::vector<ridge::Minutia> at_parameters_resolution(const ridge::FingerTemplate& finger) {
  TP_CHECK(finger.ppi > 0, kInvalidArgument, "template ppi must be positive, got " << finger.ppi);
  std::vector<ridge::Minutia> scaled = finger.minutiae;
  if (finger.ppi != kParametersPpi) {
    const float factor = static_cast<float>(kParametersPpi) / static_cast<float>(finger.ppi);
    for (auto& m : scaled) {
      m.x *= factor;
      m.y *= factor;
    }
  }
  return scaled;
}

CylinderForm form_of(Mode mode) {
  return mode == Mode::kLssBit || mode == Mode::kLssrBit ? CylinderForm::kBit : CylinderForm::kFloat;
}

Consolidation consolidation_of(Mode mode) {
  return mode == Mode::kLssFloat || mode == Mode::kLssBit ? Consolidation::kLss
                                                          : Consolidation::kLssRelaxed;
}

}  // namespace

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::kLssFloat: return "lss-float";
    case Mode::kLssBit: return "lss-bit";
    case Mode::kLssrFloat: return "lssr-float";
    case Mode::kLssrBit: return "lssr-bit";
  }
  return "unknown";
}

Mode parse_mode(const std::string& text) {
  for (Mode m : {Mode::kLssFloat, Mode::kLssBit, Mode::kLssrFloat, Mode::kLssrBit}) {
    if (text == to_string(m)) return m;
  }
  TP_THROW(kInvalidArgument, "unknown match mode '" << text
                                                    << "' (expected lss-float, lss-bit, lssr-float or lssr-bit)");
}

MatchTemplate::MatchTemplate(const ridge::FingerTemplate& finger, const MccParameters& parameters)
    : parameters_(parameters),
      parameters_hash_(match::parameters_hash(parameters)),
      minutiae_(finger.minutiae),
      cylinders_(make_cylinders(at_parameters_resolution(finger), parameters)) {}

MatchDetails match_details(const MatchTemplate& probe, const MatchTemplate& gallery, Mode mode) {
  TP_CHECK(probe.parameters_hash() == gallery.parameters_hash(), kFailedPrecondition,
           "probe and gallery cylinders were built with different MCC parameters ("
               << probe.parameters_hash().substr(0, 12) << " vs "
               << gallery.parameters_hash().substr(0, 12) << ")");
  const CylinderSet& a = probe.cylinders();
  const CylinderSet& b = gallery.cylinders();
  const std::vector<float> gamma = local_similarity_matrix(a, b, form_of(mode), probe.parameters());
  const GlobalScore global = global_score(a, b, gamma, consolidation_of(mode), probe.parameters());
  MatchDetails details;
  details.score = global.score;
  details.mode = mode;
  details.probe_cylinders = a.size();
  details.gallery_cylinders = b.size();
  details.pairs_required = global.pairs_required;
  for (const CylinderPair& pair : global.pairs) {
    details.pairs.push_back({a.minutia[pair.cylinder_a], b.minutia[pair.cylinder_b],
                             pair.local_similarity, pair.relaxed_similarity});
  }
  return details;
}

double score(const MatchTemplate& probe, const MatchTemplate& gallery, Mode mode) {
  return match_details(probe, gallery, mode).score;
}

}  // namespace tuskprint::match
