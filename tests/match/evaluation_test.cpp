#include "match/evaluation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.hpp"

namespace tuskprint::match {
namespace {

TEST(MatchEvaluation, CrossingAtAScore) {
  const auto m = verification_metrics({0.9, 0.8, 0.7, 0.6}, {0.1, 0.2, 0.3, 0.65});
  EXPECT_EQ(m.genuine_count, 4u);
  EXPECT_EQ(m.impostor_count, 4u);
  EXPECT_DOUBLE_EQ(m.eer, 0.25);
  EXPECT_DOUBLE_EQ(m.fmr100, 0.25);
  EXPECT_DOUBLE_EQ(m.fmr1000, 0.25);
  EXPECT_DOUBLE_EQ(m.zero_fmr, 0.25);
}

TEST(MatchEvaluation, PerfectSeparation) {
  const auto m = verification_metrics({0.8, 0.9}, {0.1, 0.2});
  EXPECT_DOUBLE_EQ(m.eer, 0.0);
  EXPECT_DOUBLE_EQ(m.fmr100, 0.0);
  EXPECT_DOUBLE_EQ(m.zero_fmr, 0.0);
}

TEST(MatchEvaluation, EerIntervalTakesTheBetterSideOfTheCrossing) {
  // FMR:  1  .5  .5   0    0    0    at t = .1 .3 .5 .7 .8 inf
  // FNMR: 0   0  1/3 1/3  2/3   1
  // t1 = .5 (FNMR <= FMR), t2 = .7 (FNMR >= FMR); t2 has the smaller sum: EER = (0 + 1/3)/2.
  const auto m = verification_metrics({0.3, 0.7, 0.8}, {0.1, 0.5});
  EXPECT_NEAR(m.eer_low, 0.0, 1e-12);
  EXPECT_NEAR(m.eer_high, 1.0 / 3, 1e-12);
  EXPECT_NEAR(m.eer, 1.0 / 6, 1e-12);
  EXPECT_NEAR(m.zero_fmr, 1.0 / 3, 1e-12);
  ASSERT_EQ(m.det.size(), 6u);
  EXPECT_TRUE(std::isinf(m.det.back().threshold));
  EXPECT_DOUBLE_EQ(m.det.back().fnmr, 1.0);
  EXPECT_DOUBLE_EQ(m.det.front().fmr, 1.0);
}

TEST(MatchEvaluation, FmrOperatingPoints) {
  // 1000 impostors 0..999 (/1000), genuine spread so that each operating point differs.
  std::vector<double> impostor, genuine;
  for (int i = 0; i < 1000; ++i) impostor.push_back(i / 1000.0);
  // 100 genuine: 10 below the 1 % FMR point (0.99), 5 more below 0.999, 5 at 0.9985.
  for (int i = 0; i < 10; ++i) genuine.push_back(0.5);
  for (int i = 0; i < 5; ++i) genuine.push_back(0.9935);
  for (int i = 0; i < 5; ++i) genuine.push_back(0.9985);
  for (int i = 0; i < 80; ++i) genuine.push_back(2.0);
  const auto m = verification_metrics(genuine, impostor);
  EXPECT_NEAR(m.fmr100, 0.10, 1e-12);   // t = 0.99 gives FMR 10/1000
  EXPECT_NEAR(m.fmr1000, 0.15, 1e-12);  // t = 0.999 gives FMR 1/1000
  EXPECT_NEAR(m.zero_fmr, 0.20, 1e-12); // t just above 0.999
  // DET: FMR never rises and FNMR never falls as the threshold rises.
  for (std::size_t i = 1; i < m.det.size(); ++i) {
    EXPECT_LE(m.det[i].fmr, m.det[i - 1].fmr);
    EXPECT_GE(m.det[i].fnmr, m.det[i - 1].fnmr);
  }
}

TEST(MatchEvaluation, GaussianScoresGiveTheTheoreticalEer) {
  // Unit-variance normals 2 apart cross at 1: EER = Phi(-1) = 0.1587.
  std::mt19937 rng(4);
  std::normal_distribution<double> g(2, 1), i(0, 1);
  std::vector<double> genuine(20000), impostor(20000);
  for (auto& s : genuine) s = g(rng);
  for (auto& s : impostor) s = i(rng);
  EXPECT_NEAR(verification_metrics(genuine, impostor).eer, 0.1587, 0.01);
}

TEST(MatchEvaluation, RejectsEmptyOrNanScores) {
  try {
    verification_metrics({}, {0.1});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("no genuine scores"), std::string::npos);
  }
  try {
    verification_metrics({0.5}, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no impostor scores"), std::string::npos);
  }
  try {
    verification_metrics({0.5, std::nan("")}, {0.1});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("NaN"), std::string::npos);
  }
}

}  // namespace
}  // namespace tuskprint::match
