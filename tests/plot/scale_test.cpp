#include "plot/scale.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "plot/ticks.hpp"

namespace tuskprint::plot {
namespace {

template <typename F>
std::string invalid_argument_message(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no Error thrown";
  return {};
}

TEST(Probit, HalfIsZero) { EXPECT_NEAR(probit(0.5), 0.0, 1e-15); }

TEST(Probit, KnownQuantiles) {
  EXPECT_NEAR(probit(0.975), 1.959963984540054, 1e-13);
  EXPECT_NEAR(probit(0.025), -1.959963984540054, 1e-13);
  EXPECT_NEAR(probit(0.8413447460685429), 1.0, 1e-12);
  EXPECT_NEAR(probit(1e-6), -4.753424308822899, 1e-11);
  EXPECT_NEAR(probit(1e-300), -37.047096, 1e-5);
}

TEST(Probit, InvertsNormalCdfAcrossTails) {
  // Above z = 5, Phi(z) as a double is too close to 1 for the round trip to mean anything.
  for (double z = -8; z <= 5; z += 0.01) {
    EXPECT_NEAR(probit(normal_cdf(z)), z, 1e-9 * std::max(1.0, std::abs(z))) << "z " << z;
  }
}

TEST(Probit, IsOddAroundHalf) {
  for (double p : {0.001, 0.05, 0.1, 0.25, 0.4}) EXPECT_NEAR(probit(1 - p), -probit(p), 1e-12);
}

TEST(Probit, StrictlyIncreasing) {
  double previous = -INFINITY;
  for (double p = 1e-9; p < 1; p *= 1.01) {
    const double z = probit(p);
    ASSERT_GT(z, previous) << "p " << p;
    previous = z;
  }
  previous = -INFINITY;
  for (double p = 0.0005; p < 1; p += 0.0005) {
    const double z = probit(p);
    ASSERT_GT(z, previous) << "p " << p;
    previous = z;
  }
}

TEST(Probit, RejectsValuesOutsideTheOpenUnitInterval) {
  for (double p : {0.0, 1.0, -0.1, 1.5, std::nan("")}) {
    EXPECT_NE(invalid_argument_message([&] { probit(p); }).find("(0, 1)"), std::string::npos);
  }
}

TEST(Scale, ToAxisTransforms) {
  EXPECT_DOUBLE_EQ(to_axis(Scale::kLinear, -3.5), -3.5);
  EXPECT_DOUBLE_EQ(to_axis(Scale::kLog10, 1000), 3);
  EXPECT_NEAR(to_axis(Scale::kProbit, 0.5), 0, 1e-15);
}

TEST(Scale, ToAxisNamesScaleAndValueOutsideDomain) {
  const std::string log_message = invalid_argument_message([] { to_axis(Scale::kLog10, -2); });
  EXPECT_NE(log_message.find("log10"), std::string::npos) << log_message;
  EXPECT_NE(log_message.find("-2"), std::string::npos) << log_message;
  EXPECT_NE(invalid_argument_message([] { to_axis(Scale::kProbit, 1); }).find("probit"),
            std::string::npos);
  EXPECT_NE(invalid_argument_message([] { to_axis(Scale::kLinear, INFINITY); }).find("linear"),
            std::string::npos);
}

TEST(Ticks, LinearUsesRoundSteps) {
  const auto ticks = axis_ticks(Scale::kLinear, 0, 1);
  ASSERT_EQ(ticks.size(), 6u);
  EXPECT_EQ(ticks.front().label, "0.0");
  EXPECT_EQ(ticks[1].label, "0.2");
  EXPECT_EQ(ticks.back().label, "1.0");
  const auto wide = axis_ticks(Scale::kLinear, -500, 2500);
  EXPECT_EQ(wide.front().label, "-500");
  EXPECT_EQ(wide.back().label, "2500");
}

TEST(Ticks, RangesFarFromZeroEnd) {
  const auto ticks = axis_ticks(Scale::kLinear, 1e17, 1e17 + 4096);
  EXPECT_LE(ticks.size(), 40u);
}

TEST(Ticks, LogLabelsDecadesAndKeepsMinorGridLines) {
  const auto ticks = axis_ticks(Scale::kLog10, 1e-3, 1e2);
  int labelled = 0;
  for (const auto& t : ticks) labelled += !t.label.empty();
  EXPECT_EQ(labelled, 6);  // 0.001 .. 100
  EXPECT_EQ(ticks.front().label, "0.001");
  EXPECT_EQ(ticks.back().label, "100");
  EXPECT_GT(ticks.size(), 6u);
}

TEST(Ticks, ProbitTicksInPercent) {
  const auto ticks = axis_ticks(Scale::kProbit, 1e-3, 0.5);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.front().label, "0.1%");
  EXPECT_EQ(ticks.back().label, "50%");
  for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_GT(ticks[i].value, ticks[i - 1].value);
}

TEST(Ticks, BadRangesAreRefused) {
  EXPECT_NE(invalid_argument_message([] { axis_ticks(Scale::kLinear, 1, 1); }).find("min must be below max"),
            std::string::npos);
  EXPECT_NE(invalid_argument_message([] { axis_ticks(Scale::kLog10, 0, 10); }).find("log10"),
            std::string::npos);
}

}  // namespace
}  // namespace tuskprint::plot
