#include "catalog/cites_mark.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "catalog/countries.hpp"
#include "core/error.hpp"

namespace tuskprint::catalog {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

v1::CitesMark parse_cites_mark(std::string_view text) {
  const std::string quoted = "CITES mark '" + std::string(text) + "': ";
  std::string_view s = trim(text);
  TP_CHECK(!s.empty(), kInvalidArgument, "CITES mark is empty");
  TP_CHECK(s.size() >= 2 && std::isalpha(static_cast<unsigned char>(s[0])) &&
               std::isalpha(static_cast<unsigned char>(s[1])),
           kInvalidArgument, quoted << "must start with a two-letter ISO 3166 country code");
  std::string country{s.substr(0, 2)};
  for (char& c : country) c = char(std::toupper(static_cast<unsigned char>(c)));
  TP_CHECK(is_iso3166_alpha2(country), kInvalidArgument,
           quoted << "'" << country << "' is not an ISO 3166-1 alpha-2 country code");
  s.remove_prefix(2);
  TP_CHECK(!s.empty() && (s.front() == ' ' || s.front() == '-'), kInvalidArgument,
           quoted << "expected a space after the country code, as in 'KE 00/127/14'");
  s = trim(s.substr(1));

  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/') {
      parts.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  TP_CHECK(parts.size() == 3, kInvalidArgument,
           quoted << "expected year/serial/weight separated by '/', as in 'KE 00/127/14'");
  const std::string_view year = parts[0], serial = parts[1], weight = parts[2];
  TP_CHECK(year.size() == 2 && all_digits(year), kInvalidArgument,
           quoted << "year '" << year << "' must be the last two digits of the year");
  TP_CHECK(!serial.empty() && serial.size() <= 10, kInvalidArgument,
           quoted << "serial '" << serial << "' must be 1 to 10 letters or digits");
  for (char c : serial) {
    TP_CHECK(std::isalnum(static_cast<unsigned char>(c)), kInvalidArgument,
             quoted << "serial '" << serial << "' must be letters or digits only");
  }
  double kg = 0;
  const auto [end, ec] = std::from_chars(weight.data(), weight.data() + weight.size(), kg);
  TP_CHECK(ec == std::errc() && end == weight.data() + weight.size() && !weight.empty() &&
               std::isdigit(static_cast<unsigned char>(weight.front())),
           kInvalidArgument, quoted << "weight '" << weight << "' must be a number of kilograms");
  const auto dot = weight.find('.');
  TP_CHECK(dot == std::string_view::npos || weight.size() - dot - 1 <= 2, kInvalidArgument,
           quoted << "weight '" << weight << "' has more than two decimals");
  TP_CHECK(std::isfinite(kg) && kg > 0 && kg <= 250, kInvalidArgument,
           quoted << "weight " << weight << " kg is outside 0-250 kg");

  v1::CitesMark mark;
  mark.set_country(country);
  mark.set_year(std::uint32_t((year[0] - '0') * 10 + (year[1] - '0')));
  std::string serial_upper{serial};
  for (char& c : serial_upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  mark.set_serial(serial_upper);
  mark.set_weight_kg(kg);
  mark.set_text(format_cites_mark(mark));
  return mark;
}

std::string format_cites_mark(const v1::CitesMark& mark) {
  char year[4];
  std::snprintf(year, sizeof year, "%02u", mark.year() % 100);
  char weight[32];
  std::snprintf(weight, sizeof weight, "%.2f", mark.weight_kg());
  std::string w = weight;
  while (!w.empty() && w.back() == '0') w.pop_back();
  if (!w.empty() && w.back() == '.') w.pop_back();
  return mark.country() + " " + year + "/" + mark.serial() + "/" + w;
}

}  // namespace tuskprint::catalog
