#pragma once
// The five Henry classes SFinGe generates, with their natural frequencies.
#include <string>
#include <string_view>

#include "datasets/fingerprints/random.hpp"

namespace tuskprint::synth {

enum class FingerClass { kArch, kTentedArch, kLeftLoop, kRightLoop, kWhorl };

// "arch", "tented-arch", "left-loop", "right-loop", "whorl".
std::string_view to_string(FingerClass finger_class);
// Throws kInvalidArgument naming the accepted names for anything else.
FingerClass parse_finger_class(std::string_view name);
// Drawn with the frequencies of NIST's class statistics (Wilson, Candela, Watson 1994):
// arch 3.7 %, tented arch 2.9 %, left loop 33.8 %, right loop 31.7 %, whorl 27.9 %.
FingerClass draw_finger_class(Rng& rng);

}  // namespace tuskprint::synth
