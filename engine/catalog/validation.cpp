#include "catalog/validation.hpp"

#include <cctype>
#include <cmath>
#include <string>

#include "catalog/countries.hpp"
#include "core/error.hpp"

namespace tuskprint::catalog {
namespace {

constexpr std::size_t kMaxText = 1024;    // free-text fields
constexpr std::size_t kMaxShort = 128;    // names, references
constexpr int kMinPpi = 150;              // cross-sections may be scanned at 150 ppi
constexpr int kMaxPpi = 4000;

void check_length(const char* field, const std::string& value, std::size_t max) {
  TP_CHECK(value.size() <= max, kInvalidArgument,
           field << " is " << value.size() << " characters long, over the limit of " << max);
}

void check_weight(const char* field, double kg) {
  TP_CHECK(std::isfinite(kg) && kg >= 0 && kg <= 1e6, kInvalidArgument,
           field << " must be a weight in kg between 0 and 1,000,000, got " << kg);
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

void validate_date(const char* field, const std::string& value) {
  const bool shape = value.size() == 10 && value[4] == '-' && value[7] == '-';
  bool digits = shape;
  for (std::size_t i = 0; digits && i < value.size(); ++i) {
    if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(value[i]))) digits = false;
  }
  TP_CHECK(digits, kInvalidArgument, field << " '" << value << "' must be a date YYYY-MM-DD");
  const int y = std::stoi(value.substr(0, 4)), m = std::stoi(value.substr(5, 2)),
            d = std::stoi(value.substr(8, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool ok = y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
                  d <= kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
  TP_CHECK(ok, kInvalidArgument, field << " '" << value << "' is not a calendar date");
}

void validate_country(const char* field, const std::string& value) {
  TP_CHECK(is_iso3166_alpha2(value), kInvalidArgument,
           field << " '" << value << "' is not an ISO 3166-1 alpha-2 country code (e.g. KE, VN)");
}

void validate_seizure(const v1::Seizure& s) {
  validate_date("seizure.date", s.date());
  validate_country("seizure.discovering_country", s.discovering_country());
  for (const auto& c : s.origin_countries()) validate_country("seizure.origin_countries", c);
  for (const auto& c : s.transit_countries()) validate_country("seizure.transit_countries", c);
  for (const auto& c : s.destination_countries()) {
    validate_country("seizure.destination_countries", c);
  }
  check_weight("seizure.raw_kg", s.raw_kg());
  check_weight("seizure.worked_kg", s.worked_kg());
  check_length("seizure.agency", s.agency(), kMaxShort);
  check_length("seizure.location", s.location(), kMaxText);
  check_length("seizure.transport_mode", s.transport_mode(), kMaxShort);
  check_length("seizure.concealment", s.concealment(), kMaxText);
  check_length("seizure.etis_reference", s.etis_reference(), kMaxShort);
  check_length("seizure.interpol_reference", s.interpol_reference(), kMaxShort);
  check_length("seizure.notes", s.notes(), kMaxText);
  TP_CHECK(s.case_references_size() <= 32, kInvalidArgument,
           "seizure.case_references has " << s.case_references_size() << " entries, over 32");
  for (const auto& r : s.case_references()) check_length("seizure.case_references", r, kMaxShort);
}

void validate_specimen(const v1::Specimen& s) {
  TP_CHECK(!s.seizure_id().empty(), kInvalidArgument, "specimen.seizure_id is required");
  check_weight("specimen.weight_kg", s.weight_kg());
  TP_CHECK(std::isfinite(s.length_cm()) && s.length_cm() >= 0 && s.length_cm() <= 1000,
           kInvalidArgument, "specimen.length_cm must be between 0 and 1000, got " << s.length_cm());
  check_length("specimen.dna_sample_id", s.dna_sample_id(), kMaxShort);
  check_length("specimen.description", s.description(), kMaxText);
}

void validate_scan_metadata(const v1::ScanMetadata& m) {
  TP_CHECK(!m.seizure_id().empty(), kInvalidArgument, "scan.seizure_id is required");
  TP_CHECK(m.kind() != v1::SCAN_KIND_UNSPECIFIED && v1::ScanKind_IsValid(m.kind()),
           kInvalidArgument,
           "scan.kind is required (latent_lift, cross_section, reference_print or item_photo)");
  TP_CHECK(int(m.ppi()) >= kMinPpi && int(m.ppi()) <= kMaxPpi, kInvalidArgument,
           "scan.ppi " << m.ppi() << " is outside " << kMinPpi << "-" << kMaxPpi);
  TP_CHECK(!m.operator_name().empty(), kInvalidArgument, "scan.operator_name is required");
  check_length("scan.operator_name", m.operator_name(), kMaxShort);
  check_length("scan.file_name", m.file_name(), kMaxText);
  check_length("scan.capture.notes", m.capture().notes(), kMaxText);
  if (!m.expected_sha256().empty()) {
    bool hex = m.expected_sha256().size() == 64;
    for (char c : m.expected_sha256()) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
    TP_CHECK(hex, kInvalidArgument, "scan.expected_sha256 must be 64 hex digits");
  }
}

}  // namespace tuskprint::catalog
