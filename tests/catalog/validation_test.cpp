#include "catalog/validation.hpp"

#include <cstdlib>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "catalog/countries.hpp"
#include "core/error.hpp"

namespace tuskprint::catalog {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.what();
  }
  return "";
}

TEST(Countries, KnowsAssignedCodesOnly) {
  EXPECT_TRUE(is_iso3166_alpha2("KE"));
  EXPECT_TRUE(is_iso3166_alpha2("VN"));
  EXPECT_TRUE(is_iso3166_alpha2("XX"));
  EXPECT_FALSE(is_iso3166_alpha2("ke"));
  EXPECT_FALSE(is_iso3166_alpha2("UK"));
  EXPECT_FALSE(is_iso3166_alpha2("KEN"));
}

TEST(Countries, Alpha3Codes) {
  EXPECT_EQ(iso3166_alpha3("KE"), "KEN");
  EXPECT_EQ(iso3166_alpha3("VN"), "VNM");
  EXPECT_EQ(iso3166_alpha3("GB"), "GBR");
  EXPECT_EQ(iso3166_alpha3("XX"), "");
  EXPECT_EQ(iso3166_alpha3("QQ"), "");
}

// Every alpha-3 code TuskPrint writes must be in INTERPOL's ISO3166 lookup table.
TEST(Countries, Alpha3CodesAreInInterpolsTable) {
  const char* shared = std::getenv("TUSKPRINT_SHARED");
  const std::string path = std::string(shared ? shared : "") + "/interpol/MRT/MRT_INT-I_LookupCodes.csv";
  std::ifstream in(path);
  if (!in.good()) GTEST_SKIP() << "no " << path;
  std::set<std::string> interpol;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("\"ISO3166\",\"", 0) == 0) interpol.insert(line.substr(11, 3));
  }
  ASSERT_GT(interpol.size(), 200u);
  int checked = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      const std::string code{a, b};
      const auto alpha3 = iso3166_alpha3(code);
      if (alpha3.empty()) continue;
      EXPECT_TRUE(interpol.count(std::string(alpha3))) << code << " -> " << alpha3;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 249);
}

TEST(Validation, Dates) {
  EXPECT_EQ(message_of([] { validate_date("d", "2024-02-29"); }), "");
  EXPECT_NE(message_of([] { validate_date("d", "2023-02-29"); }).find("calendar"), std::string::npos);
  EXPECT_NE(message_of([] { validate_date("d", "17/05/2024"); }).find("YYYY-MM-DD"), std::string::npos);
  EXPECT_NE(message_of([] { validate_date("d", ""); }).find("YYYY-MM-DD"), std::string::npos);
}

TEST(Validation, SeizureFieldsAreNamed) {
  v1::Seizure s;
  s.set_date("2024-01-01");
  s.set_discovering_country("KE");
  EXPECT_EQ(message_of([&] { validate_seizure(s); }), "");
  s.add_transit_countries("ZZ");
  EXPECT_NE(message_of([&] { validate_seizure(s); }).find("transit_countries"), std::string::npos);
  s.clear_transit_countries();
  s.set_raw_kg(-1);
  EXPECT_NE(message_of([&] { validate_seizure(s); }).find("raw_kg"), std::string::npos);
  s.set_raw_kg(std::numeric_limits<double>::quiet_NaN());
  EXPECT_NE(message_of([&] { validate_seizure(s); }).find("raw_kg"), std::string::npos);
  s.set_raw_kg(1);
  s.set_agency(std::string(500, 'a'));
  EXPECT_NE(message_of([&] { validate_seizure(s); }).find("agency"), std::string::npos);
}

TEST(Validation, ScanMetadata) {
  v1::ScanMetadata m;
  m.set_seizure_id("SZ-1");
  m.set_kind(v1::SCAN_KIND_LATENT_LIFT);
  m.set_ppi(1000);
  m.set_operator_name("op");
  EXPECT_EQ(message_of([&] { validate_scan_metadata(m); }), "");
  m.set_ppi(100);
  EXPECT_NE(message_of([&] { validate_scan_metadata(m); }).find("ppi"), std::string::npos);
  m.set_ppi(1000);
  m.set_kind(v1::SCAN_KIND_UNSPECIFIED);
  EXPECT_NE(message_of([&] { validate_scan_metadata(m); }).find("kind"), std::string::npos);
  m.set_kind(v1::SCAN_KIND_CROSS_SECTION);
  m.set_operator_name("");
  EXPECT_NE(message_of([&] { validate_scan_metadata(m); }).find("operator"), std::string::npos);
  m.set_operator_name("op");
  m.set_expected_sha256("abc");
  EXPECT_NE(message_of([&] { validate_scan_metadata(m); }).find("expected_sha256"), std::string::npos);
}

}  // namespace
}  // namespace tuskprint::catalog
