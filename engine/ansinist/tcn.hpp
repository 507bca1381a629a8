#pragma once
// INT-I transaction control numbers (1.009 TCN): two-digit year, 12-digit serial and a
// check character. Check = (YY * 10^12 + serial) mod 23, with 1..22 mapped to the letters
// A-H, J-N, P-R, T-Y (I, O, S omitted) and 0 to Z.
#include <string>
#include <string_view>

namespace tuskprint::ansinist {

// The check character for the 14 digits `yy_serial`; throws kInvalidArgument unless they are
// exactly 14 digits.
char tcn_check_character(std::string_view yy_serial);

// "YY" + 12-digit serial + check character. `year` is the full year (e.g. 2026).
std::string make_tcn(int year, unsigned long long serial);

// True when `tcn` is 14 digits followed by its correct check character.
bool tcn_is_valid(std::string_view tcn);

}  // namespace tuskprint::ansinist
