// libFuzzer target: the traditional ANSI/NIST reader and everything that runs on what it
// returns (dump, re-encoding, latent import). Only tuskprint::Error may escape the reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ansinist/dump.hpp"
#include "ansinist/latent_import.hpp"
#include "ansinist/replies.hpp"
#include "ansinist/traditional.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace an2 = tuskprint::ansinist;
  try {
    const an2::Transaction t = an2::read_traditional(std::string_view(reinterpret_cast<const char*>(data), size));
    (void)an2::dump(t);
    try {
      (void)an2::read_traditional(an2::write_traditional(t));
    } catch (const tuskprint::Error&) {
    }
    try {
      (void)an2::import_latent(t);
    } catch (const tuskprint::Error&) {
    }
    try {
      (void)an2::parse_reply(t);
    } catch (const tuskprint::Error&) {
    }
  } catch (const tuskprint::Error&) {
  }
  return 0;
}
