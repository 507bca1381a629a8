#include "datasets/fingerprints/finger_class.hpp"

#include "core/error.hpp"

namespace tuskprint::synth {

std::string_view to_string(FingerClass finger_class) {
  switch (finger_class) {
    case FingerClass::kArch: return "arch";
    case FingerClass::kTentedArch: return "tented-arch";
    case FingerClass::kLeftLoop: return "left-loop";
    case FingerClass::kRightLoop: return "right-loop";
    case FingerClass::kWhorl: return "whorl";
  }
  return "unknown";
}

FingerClass parse_finger_class(std::string_view name) {
  for (FingerClass c : {FingerClass::kArch, FingerClass::kTentedArch, FingerClass::kLeftLoop,
                        FingerClass::kRightLoop, FingerClass::kWhorl}) {
    if (name == to_string(c)) return c;
  }
  TP_THROW(kInvalidArgument, "unknown finger class '"
                                 << name
                                 << "' (expected arch, tented-arch, left-loop, right-loop or whorl)");
}

FingerClass draw_finger_class(Rng& rng) {
  const double u = rng.uniform();
  if (u < 0.037) return FingerClass::kArch;
  if (u < 0.066) return FingerClass::kTentedArch;
  if (u < 0.404) return FingerClass::kLeftLoop;
  if (u < 0.721) return FingerClass::kRightLoop;
  return FingerClass::kWhorl;
}

}  // namespace tuskprint::synth
