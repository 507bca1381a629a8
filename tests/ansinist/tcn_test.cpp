#include <gtest/gtest.h>

#include "ansinist/tcn.hpp"
#include "core/error.hpp"

namespace tuskprint::ansinist {
namespace {

TEST(Tcn, OfficialSampleSatisfiesCheck) {
  EXPECT_EQ(tcn_check_character("19125458357684"), 'J');
  EXPECT_TRUE(tcn_is_valid("19125458357684J"));
  EXPECT_FALSE(tcn_is_valid("19125458357684K"));
  EXPECT_FALSE(tcn_is_valid("1912545835768J"));
}

TEST(Tcn, MapsRemaindersSkippingIOS) {
  // 23 consecutive bodies cover every remainder; the letters I, O and S never appear.
  std::string seen;
  for (unsigned long long serial = 0; serial < 23; ++serial) {
    const std::string tcn = make_tcn(2000, serial);  // YY = 00: value = serial
    ASSERT_EQ(tcn.size(), 15u);
    seen += tcn.back();
  }
  EXPECT_EQ(seen, "ZABCDEFGHJKLMNPQRTUVWXY");
  EXPECT_EQ(make_tcn(2019, 125458357684ULL), "19125458357684J");
}

TEST(Tcn, RejectsBadBodies) {
  try {
    tcn_check_character("12345");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("14 digits"), std::string::npos);
  }
  EXPECT_THROW(tcn_check_character("1912545835768X"), Error);
  EXPECT_THROW(make_tcn(2026, 1'000'000'000'000ULL), Error);
}

}  // namespace
}  // namespace tuskprint::ansinist
