#pragma once
// ISO 3166-1 alpha-2 country codes, for validating seizure and CITES records.
#include <string_view>

namespace tuskprint::catalog {

// True when `code` is an officially assigned ISO 3166-1 alpha-2 code (upper case),
// or "XX" (unknown, as ETIS uses for unreported countries).
bool is_iso3166_alpha2(std::string_view code) noexcept;

}  // namespace tuskprint::catalog
