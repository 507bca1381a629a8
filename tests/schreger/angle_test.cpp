// The angle convention shared by generator and estimator, and angle recovery.
#include <gtest/gtest.h>

#include <cmath>

#include "datasets/tusks/angle_convention.hpp"
#include "schreger/line_families.hpp"
#include "schreger/measure.hpp"
#include "test_images.hpp"

namespace tuskprint::schreger {
namespace {

TEST(CrossingAngle, IsTwiceTheAngleFromTheRadius) {
  EXPECT_NEAR(crossing_angle(37, -37), 74, 1e-9);   // mammoth-like: acute
  EXPECT_NEAR(crossing_angle(62, -62), 124, 1e-9);  // elephant-like: obtuse
  EXPECT_NEAR(crossing_angle(-62, 62), 124, 1e-9);  // order does not matter
}

TEST(CrossingAngle, IgnoresACommonRotationOfBothLines) {
  double sym = 0;
  // A centre error turns both lines by the same amount: the angle stays.
  EXPECT_NEAR(crossing_angle(37 + 8, -37 + 8, &sym), 74, 1e-9);
  EXPECT_NEAR(sym, 8, 1e-9);
  // Near 180 degrees one line wraps past the tangent; still 163.
  EXPECT_NEAR(crossing_angle(81.5 + 10, -81.5 + 10, &sym), 163, 1e-9);
  EXPECT_NEAR(sym, 10, 1e-9);
}

TEST(AngleProfile, RisesFromPulpAndIsFlatAtTheCdj) {
  datasets::tusks::AngleProfile p{30, 120, 2.5};
  EXPECT_NEAR(p.at(0), 30, 1e-9);
  EXPECT_NEAR(p.at(1), 120, 1e-9);
  EXPECT_LT(p.at(0.3), p.at(0.6));
  EXPECT_LT(p.at(1.0) - p.at(0.9), 0.5);  // outer angles measured just inside the CDJ
}

// Two ideal mirrored gratings at +-A/2 from the radial (row) axis.
cv::Mat gratings(double angle_deg, double period_px) {
  const double a = angle_deg / 2 * M_PI / 180;
  cv::Mat m(48, 48, CV_32F);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 48; ++x)
      m.at<float>(y, x) = float(std::cos(2 * M_PI * (x * std::cos(a) - y * std::sin(a)) / period_px + 0.4) +
                                std::cos(2 * M_PI * (x * std::cos(a) + y * std::sin(a)) / period_px + 1.3));
  return m;
}

TEST(AnalysePatch, RecoversKnownAnglesOnIdealGratings) {
  const SchregerParams p;
  for (double angle : {40.0, 74.0, 90.0, 124.0, 150.0}) {
    const PatchFamilies f = analyse_patch(gratings(angle, 8.0), 0.14, p);
    ASSERT_TRUE(f.crossing) << angle;
    EXPECT_NEAR(f.angle_deg, angle, 1.0) << angle;
    EXPECT_NEAR(f.spacing_mm, 8.0 * 0.14, 0.1);
  }
}

TEST(AnalysePatch, OneFamilyIsNoCrossing) {
  cv::Mat m(48, 48, CV_32F);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 48; ++x) m.at<float>(y, x) = float(std::cos(2 * M_PI * y / 7.0));  // concentric lamellae
  EXPECT_FALSE(analyse_patch(m, 0.14, SchregerParams{}).crossing);
}

// Generator and estimator agree on the convention: known outer angles come back.
TEST(Measure, RecoversKnownOuterAnglesOnCleanGeneratedSections) {
  struct Case { double angle; std::uint64_t seed; bool sector; };
  for (const Case c : {Case{74.0, 3, false}, Case{124.0, 4, false}, Case{105.0, 5, false}, Case{140.0, 6, true}}) {
    const SchregerResult r = measure(testing::clean_section(c.angle, c.seed, c.sector), testing::kTestPpi);
    ASSERT_TRUE(r.cdj_found) << c.angle;
    EXPECT_GE(r.angles.outer_count, 10) << c.angle;
    EXPECT_NEAR(r.angles.outer_mean_deg, c.angle, 2.0) << c.angle;
  }
}

TEST(Measure, CallsSpeciesOnCleanSections) {
  EXPECT_EQ(measure(testing::clean_section(72.0, 7), testing::kTestPpi).species, SpeciesCall::kMammoth);
  EXPECT_EQ(measure(testing::clean_section(130.0, 8), testing::kTestPpi).species, SpeciesCall::kElephant);
  EXPECT_EQ(measure(testing::clean_section(102.0, 9), testing::kTestPpi).species, SpeciesCall::kIndeterminate);
}

}  // namespace
}  // namespace tuskprint::schreger
