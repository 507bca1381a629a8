// PAV on inputs small enough to check by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "lr/pav.hpp"

namespace tuskprint::lr {
namespace {

ScoreSet labelled(const std::vector<std::pair<double, bool>>& points) {
  ScoreSet s;
  for (const auto& [score, genuine] : points) (genuine ? s.genuine : s.impostor).push_back(score);
  return s;
}

TEST(Pav, PoolsViolatorsIntoIncreasingShares) {
  // scores 1..6 labelled i g i g g i:
  //   (0,1) | (1,0) (0,1) -> (1,1) | (1,0) (1,0) (0,1) -> (2,1)
  const auto blocks = pool_adjacent_violators(score_groups(
      labelled({{1, false}, {2, true}, {3, false}, {4, true}, {5, true}, {6, false}})));
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].genuine, 0);
  EXPECT_EQ(blocks[0].impostor, 1);
  EXPECT_EQ(blocks[0].score_low, 1);
  EXPECT_EQ(blocks[0].score_high, 1);
  EXPECT_EQ(blocks[1].genuine, 1);
  EXPECT_EQ(blocks[1].impostor, 1);
  EXPECT_EQ(blocks[1].score_low, 2);
  EXPECT_EQ(blocks[1].score_high, 3);
  EXPECT_EQ(blocks[2].genuine, 2);
  EXPECT_EQ(blocks[2].impostor, 1);
  EXPECT_EQ(blocks[2].score_low, 4);
  EXPECT_EQ(blocks[2].score_high, 6);
}

TEST(Pav, EqualScoresFormOneGroup) {
  const auto groups = score_groups(labelled({{0.5, true}, {0.5, false}, {0.5, false}, {0.7, true}}));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].genuine, 1);
  EXPECT_EQ(groups[0].impostor, 2);
  EXPECT_EQ(groups[1].genuine, 1);
}

TEST(Pav, MonotoneInputIsLeftAloneAndEqualSharesMerge) {
  // Already increasing shares: nothing pooled.
  auto blocks = pool_adjacent_violators(score_groups(labelled({{1, false}, {2, false}, {3, true}})));
  // 1 and 2 both have share 0: equal shares are pooled (strictly increasing output).
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].impostor, 2);
  EXPECT_EQ(blocks[1].genuine, 1);
  blocks = pool_adjacent_violators(score_groups(labelled({{1, false}, {3, true}})));
  EXPECT_EQ(blocks.size(), 2u);
}

TEST(Pav, SharesStrictlyIncreaseOnAnyInput) {
  ScoreSet s;
  for (int k = 0; k < 200; ++k) ((k * 7919) % 13 < 5 ? s.genuine : s.impostor).push_back((k * 104729) % 97);
  const auto blocks = pool_adjacent_violators(score_groups(s));
  double total = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    total += blocks[i].genuine + blocks[i].impostor;
    if (i > 0) {
      EXPECT_LT(blocks[i - 1].genuine_share(), blocks[i].genuine_share());
      EXPECT_LT(blocks[i - 1].score_high, blocks[i].score_low);
    }
  }
  EXPECT_EQ(total, 200);
}

TEST(Pav, RefusesEmptyGroupsAndNaN) {
  ScoreBlock empty;
  try {
    pool_adjacent_violators({empty});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no comparisons"), std::string::npos) << e.what();
  }
  ScoreSet s;
  s.genuine = {std::nan("")};
  EXPECT_THROW(score_groups(s), Error);
}

}  // namespace
}  // namespace tuskprint::lr
