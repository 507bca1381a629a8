// libFuzzer target: the INT-I XML reader, then re-encoding (XML and traditional) and latent
// import of whatever it accepted. Only tuskprint::Error may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ansinist/dump.hpp"
#include "ansinist/latent_import.hpp"
#include "ansinist/traditional.hpp"
#include "ansinist/xml.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace an2 = tuskprint::ansinist;
  try {
    const an2::Transaction t = an2::read_xml(std::string_view(reinterpret_cast<const char*>(data), size));
    (void)an2::dump(t);
    try {
      (void)an2::read_xml(an2::write_xml(t));
    } catch (const tuskprint::Error&) {
    }
    try {
      (void)an2::write_traditional(t);
    } catch (const tuskprint::Error&) {
    }
    try {
      (void)an2::import_latent(t);
    } catch (const tuskprint::Error&) {
    }
  } catch (const tuskprint::Error&) {
  }
  return 0;
}
