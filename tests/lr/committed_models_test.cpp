// The model files committed in models/: they load, are monotone, point the right way at
// the ends of their range, carry their provenance, and were fitted for today's scorers.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "lr/lr_model.hpp"
#include "lr/score_sources.hpp"

namespace tuskprint::lr {
namespace {

LrModel committed(const std::string& modality) {
  return LrModel::load((std::filesystem::path(TUSKPRINT_SOURCE_DIR) / "models" / ("lr-" + modality + "-v1.json")).string());
}

void expect_sane(const LrModel& m, const std::string& modality) {
  EXPECT_EQ(m.modality(), modality);
  EXPECT_EQ(m.version(), "lr-" + modality + "-v1");
  EXPECT_EQ(m.score_parameters_hash().size(), 64u);
  const Calibration& c = m.calibration();
  double previous = -1e300;
  const double span = c.score_max - c.score_min;
  for (int k = -100; k <= 1100; ++k) {
    const double x = c.score_min + span * k / 1000.0;
    const double l = m.log10_lr(x);
    ASSERT_TRUE(std::isfinite(l));
    ASSERT_GE(l, previous) << "not monotone at score " << x;
    previous = l;
  }
  EXPECT_LT(m.log10_lr(c.score_min), 0) << "the lowest score seen should favour different sources";
  EXPECT_GT(m.log10_lr(c.score_max), 0) << "the highest score seen should favour the same source";
  const auto& p = m.provenance();
  ASSERT_TRUE(p.contains("held_out")) << "no held-out figures";
  EXPECT_GE(p["held_out"]["cllr"].get<double>(), p["held_out"]["cllr_min"].get<double>() - 1e-9);
  EXPECT_LT(p["held_out"]["cllr"].get<double>(), 1.0) << "held-out Cllr above 1: the model misleads";
  EXPECT_GT(p["fitting"]["genuine_pairs"].get<int>(), 0);
  EXPECT_GT(p["fitting"]["impostor_pairs"].get<int>(), 0);
  EXPECT_FALSE(p["fitting"]["data"].empty());
  EXPECT_NE(p["command"].get<std::string>().find("tuskprint calibrate " + modality), std::string::npos);
}

TEST(CommittedModels, FingerModelIsSane) {
  const LrModel m = committed("finger");
  expect_sane(m, "finger");
  // LSS-R: impostor pairs stay near 0.02 (FVC2002: 0.1 % above 0.026); 0.1 is a clear mate.
  EXPECT_GT(m.log10_lr(0.1), 1);
  EXPECT_LT(m.log10_lr(0.01), 0);
  EXPECT_EQ(m.score_parameters_hash(), finger_score_parameters_hash())
      << "models/lr-finger-v1.json was fitted for another extractor/matcher: re-fit it (see models/README.md)";
}

TEST(CommittedModels, SchregerModelIsSane) {
  const LrModel m = committed("schreger");
  expect_sane(m, "schreger");
  if (m.score_parameters_hash() != schreger_score_parameters_hash())
    GTEST_SKIP() << "models/lr-schreger-v1.json was fitted for another Schreger scorer: re-fit it "
                    "(command in models/README.md)";
}

}  // namespace
}  // namespace tuskprint::lr
