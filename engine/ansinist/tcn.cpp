#include "ansinist/tcn.hpp"

#include <cstdio>

#include "core/error.hpp"

namespace tuskprint::ansinist {

char tcn_check_character(std::string_view yy_serial) {
  TP_CHECK(yy_serial.size() == 14, kInvalidArgument,
           "TCN body must be 14 digits (YY + 12-digit serial), got " << yy_serial.size() << " characters");
  unsigned long long value = 0;
  for (char c : yy_serial) {
    TP_CHECK(c >= '0' && c <= '9', kInvalidArgument, "TCN body '" << yy_serial << "' is not all digits");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  static constexpr char kLetters[] = "ZABCDEFGHJKLMNPQRTUVWXY";  // index = remainder 0..22
  static_assert(sizeof kLetters == 24);
  return kLetters[value % 23];
}

std::string make_tcn(int year, unsigned long long serial) {
  TP_CHECK(year >= 0 && serial <= 999'999'999'999ULL, kInvalidArgument,
           "TCN serial " << serial << " exceeds 12 digits");
  char body[32];
  std::snprintf(body, sizeof body, "%02d%012llu", year % 100, serial);
  std::string tcn(body);
  tcn += tcn_check_character(tcn);
  return tcn;
}

bool tcn_is_valid(std::string_view tcn) {
  if (tcn.size() != 15) return false;
  for (std::size_t i = 0; i < 14; ++i)
    if (tcn[i] < '0' || tcn[i] > '9') return false;
  return tcn_check_character(tcn.substr(0, 14)) == tcn[14];
}

}  // namespace tuskprint::ansinist
