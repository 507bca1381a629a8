#pragma once
// ISO 3166-1 alpha-2 country codes, for validating seizure and CITES records.
#include <string_view>

namespace tuskprint::catalog {

// True when `code` is an officially assigned ISO 3166-1 alpha-2 code (upper case),
// or "XX" (unknown, as ETIS uses for unreported countries).
bool is_iso3166_alpha2(std::string_view code) noexcept;

// The alpha-3 code of an assigned alpha-2 code ("KE" -> "KEN"); empty for "XX" or unknown.
std::string_view iso3166_alpha3(std::string_view alpha2) noexcept;

}  // namespace tuskprint::catalog
