// Cllr, Cllr_min, RMEP, RMED on sets with known answers; score files.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "lr/calibration.hpp"
#include "lr/evidence_metrics.hpp"

namespace tuskprint::lr {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(EvidenceMetrics, UninformativeModelHasCllrExactlyOne) {
  EXPECT_EQ(cllr({0, 0, 0}, {0, 0}), 1.0);
  ScoreSet s{{0.3, 0.9, 0.5}, {0.1, 0.4}};
  const EvidenceMetrics m = evidence_metrics(s, [](double) { return 0.0; });
  EXPECT_EQ(m.cllr, 1.0);
  EXPECT_EQ(m.rmep, 0.0);  // LR = 1 is neutral, not misleading
  EXPECT_EQ(m.rmed, 0.0);
}

TEST(EvidenceMetrics, PerfectlySeparatedSetHasCllrNearZero) {
  EXPECT_LT(cllr({8, 9, 10}, {-8, -9}), 1e-7);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(cllr({inf}, {-inf}), 0.0);
  // A fitted PAV model on a large separated set: the Laplace ends keep it near 0.
  ScoreSet s;
  for (int k = 0; k < 1000; ++k) s.genuine.push_back(1 + k), s.impostor.push_back(-1 - k);
  const Calibration c = fit_calibration(s, CalibrationMethod::kPav);
  const EvidenceMetrics m = evidence_metrics(s, [&](double x) { return c.log10_lr(x); });
  EXPECT_LT(m.cllr, 0.01);
  EXPECT_EQ(m.cllr_min, 0.0);
  EXPECT_EQ(m.rmep, 0.0);
  EXPECT_EQ(m.rmed, 0.0);
}

TEST(EvidenceMetrics, CllrByHand) {
  // genuine LR 10 and 0.1, impostor LR 1: 1/2 [ (log2 1.1 + log2 11) / 2 + 1 ].
  const double expected = 0.5 * (0.5 * (std::log2(1.1) + std::log2(11.0)) + 1.0);
  EXPECT_NEAR(cllr({1, -1}, {0}), expected, 1e-12);
  // Strongly misleading evidence costs more than 1.
  EXPECT_GT(cllr({-3}, {3}), 1.0);
}

TEST(EvidenceMetrics, RatesOfMisleadingEvidence) {
  ScoreSet s{{1, 2, 3, 4}, {1, 2, 3, 4, 5}};
  // log10 LR = score - 2.5: genuine 1, 2 are below 0 (RMEP 2/4); impostor 3, 4, 5 above (RMED 3/5).
  const EvidenceMetrics m = evidence_metrics(s, [](double x) { return x - 2.5; });
  EXPECT_DOUBLE_EQ(m.rmep, 0.5);
  EXPECT_DOUBLE_EQ(m.rmed, 0.6);
  EXPECT_EQ(m.genuine, 4u);
  EXPECT_EQ(m.impostor, 5u);
  EXPECT_DOUBLE_EQ(m.log10_lr_min, -1.5);
  EXPECT_DOUBLE_EQ(m.log10_lr_max, 2.5);
}

TEST(EvidenceMetrics, CllrMinIsThePavOptimum) {
  EXPECT_EQ(cllr_min(ScoreSet{{0.5, 0.5}, {0.5, 0.5, 0.5}}), 1.0);  // ties: nothing to learn
  EXPECT_EQ(cllr_min(ScoreSet{{2, 3}, {0, 1}}), 0.0);
  // Any monotone map does no better than PAV on the same set.
  ScoreSet s{{0.2, 0.5, 0.7, 0.9}, {0.1, 0.3, 0.6, 0.05}};
  const double best = cllr_min(s);
  for (double slope : {0.5, 1.0, 2.0, 5.0})
    for (double shift : {-0.5, -0.3, 0.0}) {
      const auto m = evidence_metrics(s, [&](double x) { return slope * x + shift; });
      EXPECT_GE(m.cllr, best - 1e-12);
    }
  const ScoreSet l = pav_log10_lr(s);
  EXPECT_EQ(l.genuine.size(), 4u);
  EXPECT_EQ(l.impostor.size(), 4u);
}

TEST(EvidenceMetrics, RefusesEmptyClassesAndNaN) {
  EXPECT_NE(error_of([] { cllr({}, {1}); }).find("genuine"), std::string::npos);
  EXPECT_NE(error_of([] { cllr({1}, {}); }).find("impostor"), std::string::npos);
  EXPECT_NE(error_of([] { cllr({std::nan("")}, {1}); }).find("NaN"), std::string::npos);
  EXPECT_NE(error_of([] { evidence_metrics(ScoreSet{{}, {1}}, [](double) { return 0.0; }); })
                .find("the evaluation set has no genuine scores"),
            std::string::npos);
}

TEST(ScoreFile, ParsesLabelledLines) {
  const ScoreSet s = parse_score_lines("# header\ngenuine 0.5\n\nimpostor 0.01\r\n  impostor -2e-3\n");
  EXPECT_EQ(s.genuine, std::vector<double>({0.5}));
  EXPECT_EQ(s.impostor, std::vector<double>({0.01, -0.002}));
  const ScoreSet back = parse_score_lines(score_lines(s));
  EXPECT_EQ(back.genuine, s.genuine);
  EXPECT_EQ(back.impostor, s.impostor);
}

TEST(ScoreFile, NamesTheBadLine) {
  EXPECT_NE(error_of([] { parse_score_lines("genuine 1\nmate 0.3\n", "f"); }).find("f line 2: label 'mate'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_score_lines("genuine\n", "f"); }).find("f line 1: no score"), std::string::npos);
  EXPECT_NE(error_of([] { parse_score_lines("impostor 0.3x\n", "f"); }).find("'0.3x' is not a finite number"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_score_lines("impostor nan\n", "f"); }).find("not a finite number"), std::string::npos);
  EXPECT_NE(error_of([] { parse_score_lines("impostor 0.3 0.4\n", "f"); }).find("unexpected text '0.4'"),
            std::string::npos);
  EXPECT_NE(error_of([] { read_score_file("/nonexistent/scores.txt"); }).find("cannot read scores file"),
            std::string::npos);
}

}  // namespace
}  // namespace tuskprint::lr
