#pragma once
// The friction-ridge template: what engine/ridge produces and engine/match consumes.
// Coordinates are pixels at the working resolution `ppi` (500), origin top-left,
// x right, y down; `direction` is in radians in [0, 2*pi), measured counter-clockwise
// from +x with y pointing up (so a direction d points along (cos d, -sin d) in image
// coordinates). Conversion to and from the protobuf message tuskprint.v1.FingerTemplate
// lives in template_io.hpp.
#include <cstdint>
#include <string>
#include <vector>

namespace tuskprint::ridge {

enum class MinutiaType : std::uint8_t { kEnding = 1, kBifurcation = 2, kOther = 3 };

struct Minutia {
  float x = 0;
  float y = 0;
  float direction = 0;  // radians, [0, 2*pi)
  MinutiaType type = MinutiaType::kEnding;
  float quality = 1;    // 0..1
};

struct FingerTemplate {
  std::string extractor_version;
  std::string parameters_hash;
  int width = 0;         // at ppi
  int height = 0;
  int ppi = 500;         // working resolution of the coordinates
  int source_ppi = 500;  // native resolution of the scan
  float quality = 0;     // 0..100
  bool too_poor_to_search = false;
  std::string quality_reason;
  std::vector<Minutia> minutiae;
  // Foreground (region of interest) as blocks of mask_block_size px at `ppi`, row-major,
  // ceil(height / size) rows of ceil(width / size) bytes, 1 = foreground. Empty when
  // unknown. Added by engine/ridge for matchers that want the overlap region.
  int mask_block_size = 0;
  std::vector<std::uint8_t> foreground_mask;
};

}  // namespace tuskprint::ridge
