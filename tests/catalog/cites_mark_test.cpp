#include "catalog/cites_mark.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace tuskprint::catalog {
namespace {

TEST(CitesMark, ParsesTheCanonicalExample) {
  const auto mark = parse_cites_mark("KE 00/127/14");
  EXPECT_EQ(mark.country(), "KE");
  EXPECT_EQ(mark.year(), 0u);
  EXPECT_EQ(mark.serial(), "127");
  EXPECT_DOUBLE_EQ(mark.weight_kg(), 14.0);
  EXPECT_EQ(mark.text(), "KE 00/127/14");
}

TEST(CitesMark, NormalisesCaseSpacingAndDecimals) {
  const auto mark = parse_cites_mark("  tz-97 / a12 / 23.50 ");
  EXPECT_EQ(mark.country(), "TZ");
  EXPECT_EQ(mark.year(), 97u);
  EXPECT_EQ(mark.serial(), "A12");
  EXPECT_EQ(mark.text(), "TZ 97/A12/23.5");
}

void expect_refused(const std::string& text, const std::string& fragment) {
  try {
    parse_cites_mark(text);
    ADD_FAILURE() << "accepted '" << text << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
        << "'" << text << "': " << e.what();
  }
}

TEST(CitesMark, RefusesMalformedMarksNamingTheProblem) {
  expect_refused("", "empty");
  expect_refused("K 00/127/14", "country code");
  expect_refused("QQ 00/127/14", "not an ISO 3166-1");
  expect_refused("KE00/127/14", "space after the country");
  expect_refused("KE 2000/127/14", "year");
  expect_refused("KE 0/127/14", "year");
  expect_refused("KE 00/127", "year/serial/weight");
  expect_refused("KE 00//14", "serial");
  expect_refused("KE 00/12#7/14", "letters or digits");
  expect_refused("KE 00/127/abc", "weight");
  expect_refused("KE 00/127/-3", "weight");
  expect_refused("KE 00/127/0", "outside");
  expect_refused("KE 00/127/14.125", "two decimals");
  expect_refused("KE 00/127/999", "outside");
}

}  // namespace
}  // namespace tuskprint::catalog
