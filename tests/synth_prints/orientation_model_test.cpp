#include <numbers>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "datasets/fingerprints/orientation_model.hpp"
#include "poincare.hpp"

namespace tuskprint::synth {
namespace {
using testing::poincare_index;

ClassModel model_of(FingerClass c, std::uint64_t seed, FingerShape* shape_out = nullptr) {
  MasterParams p;
  Rng rng(seed);
  const FingerShape shape = draw_finger_shape(rng, p);
  if (shape_out) *shape_out = shape;
  return draw_class_model(c, shape, rng, p);
}

TEST(SynthOrientationModel, EachClassHasItsSingularities) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const ClassModel loop = model_of(FingerClass::kLeftLoop, seed);
    ASSERT_EQ(loop.cores.size(), 1u);
    ASSERT_EQ(loop.deltas.size(), 1u);
    auto field = [&](const ClassModel& m) { return [&m](double x, double y) { return m.orientation_at(x, y); }; };
    EXPECT_NEAR(poincare_index(field(loop), loop.cores[0], 10), 0.5, 1e-6);
    EXPECT_NEAR(poincare_index(field(loop), loop.deltas[0], 10), -0.5, 1e-6);
    // Left loop: the delta is to the right of the core (right loop: to the left).
    EXPECT_GT(loop.deltas[0].x, loop.cores[0].x);
    const ClassModel right = model_of(FingerClass::kRightLoop, seed);
    EXPECT_LT(right.deltas[0].x, right.cores[0].x);

    const ClassModel whorl = model_of(FingerClass::kWhorl, seed);
    ASSERT_EQ(whorl.cores.size(), 2u);
    ASSERT_EQ(whorl.deltas.size(), 2u);
    const cv::Point2d mid = 0.5 * (whorl.cores[0] + whorl.cores[1]);
    const double gap = cv::norm(whorl.cores[0] - whorl.cores[1]);
    EXPECT_NEAR(poincare_index(field(whorl), mid, gap / 2 + 6), 1.0, 1e-6);

    const ClassModel tented = model_of(FingerClass::kTentedArch, seed);
    ASSERT_EQ(tented.cores.size(), 1u);
    EXPECT_NEAR(poincare_index(field(tented), tented.cores[0], 8), 0.5, 1e-6);
    EXPECT_GT(tented.deltas[0].y, tented.cores[0].y);  // delta below the core

    FingerShape shape;
    const ClassModel arch = model_of(FingerClass::kArch, seed, &shape);
    EXPECT_TRUE(arch.cores.empty());
    for (double dx : {-60.0, 0.0, 60.0}) {
      for (double dy : {-80.0, 0.0, 80.0}) {
        EXPECT_NEAR(poincare_index(field(arch), shape.centre + cv::Point2d(dx, dy), 30), 0.0, 1e-6);
      }
    }
  }
}

TEST(SynthOrientationModel, ParsesClassNamesAndRejectsUnknownOnes) {
  EXPECT_EQ(parse_finger_class("whorl"), FingerClass::kWhorl);
  EXPECT_EQ(parse_finger_class("tented-arch"), FingerClass::kTentedArch);
  for (FingerClass c : {FingerClass::kArch, FingerClass::kLeftLoop, FingerClass::kRightLoop}) {
    EXPECT_EQ(parse_finger_class(to_string(c)), c);
  }
  try {
    parse_finger_class("double-loop");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("unknown finger class 'double-loop'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("whorl"), std::string::npos);
  }
}

TEST(SynthOrientationModel, ClassFrequenciesFollowNaturalStatistics) {
  Rng rng(3);
  int counts[5] = {};
  for (int i = 0; i < 20000; ++i) ++counts[static_cast<int>(draw_finger_class(rng))];
  EXPECT_NEAR(counts[static_cast<int>(FingerClass::kWhorl)] / 20000.0, 0.279, 0.015);
  EXPECT_NEAR(counts[static_cast<int>(FingerClass::kLeftLoop)] / 20000.0, 0.338, 0.015);
  EXPECT_NEAR(counts[static_cast<int>(FingerClass::kArch)] / 20000.0, 0.037, 0.006);
}

}  // namespace
}  // namespace tuskprint::synth
