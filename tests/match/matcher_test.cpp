#include "match/matcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.hpp"
#include "match/cylinder_similarity.hpp"
#include "synthetic_minutiae.hpp"

namespace tuskprint::match {
namespace {

using testing::moved_copy;
using testing::random_template;

constexpr Mode kAllModes[] = {Mode::kLssFloat, Mode::kLssBit, Mode::kLssrFloat, Mode::kLssrBit};

TEST(MatchScore, IdenticalTemplatesScoreNearOne) {
  const MatchTemplate a(random_template(1));
  ASSERT_GT(a.cylinders().size(), 10);
  for (Mode mode : kAllModes) EXPECT_GT(score(a, a, mode), 0.97) << to_string(mode);
}

TEST(MatchScore, RotatedTranslatedCopyScoresHighAndUnrelatedLow) {
  double lowest_genuine = 1, highest_impostor = 0;
  for (unsigned seed = 10; seed < 20; ++seed) {
    const auto source = random_template(seed);
    const MatchTemplate a(source);
    const MatchTemplate moved(moved_copy(source, 0.5f, 35, -20, 1.5f, 0.05f, seed + 100));
    const MatchTemplate other(random_template(seed + 1000));
    lowest_genuine = std::min(lowest_genuine, score(a, moved));
    highest_impostor = std::max(highest_impostor, score(a, other));
  }
  EXPECT_GT(lowest_genuine, 0.45);
  EXPECT_LT(highest_impostor, 0.2);
}

TEST(MatchScore, PartialOverlapStillMatches) {
  const auto source = random_template(7, 60, 400, 450);
  auto partial = source;
  // Keep the upper half only (a partial mark), then move it.
  partial.minutiae.erase(std::remove_if(partial.minutiae.begin(), partial.minutiae.end(),
                                        [](const ridge::Minutia& m) { return m.y > 225; }),
                         partial.minutiae.end());
  const MatchTemplate a(source);
  const MatchTemplate b(moved_copy(partial, -0.3f, 10, 40, 1.0f, 0.04f, 3));
  const MatchTemplate other(random_template(8, 60, 400, 450));
  EXPECT_GT(score(b, a), 0.3);
  EXPECT_GT(score(b, a), 3 * score(b, other));
}

TEST(MatchScore, BitAndFloatFormsAgree) {
  for (unsigned seed = 30; seed < 36; ++seed) {
    const auto source = random_template(seed);
    const MatchTemplate a(source);
    const MatchTemplate b(moved_copy(source, -0.4f, 5, 12, 2.0f, 0.08f, seed));
    const MatchTemplate c(random_template(seed + 50));
    // Binarising loses the graded cell values, so jittered genuine pairs score somewhat
    // lower in bit form; both forms must still tell the copy from the stranger.
    EXPECT_NEAR(score(a, b, Mode::kLssrBit), score(a, b, Mode::kLssrFloat), 0.2) << seed;
    EXPECT_NEAR(score(a, b, Mode::kLssBit), score(a, b, Mode::kLssFloat), 0.2) << seed;
    EXPECT_NEAR(score(a, c, Mode::kLssrBit), score(a, c, Mode::kLssrFloat), 0.1) << seed;
    for (auto [bit, flt] : {std::pair{Mode::kLssBit, Mode::kLssFloat}, std::pair{Mode::kLssrBit, Mode::kLssrFloat}}) {
      EXPECT_GT(score(a, b, bit), score(a, c, bit) + 0.2) << seed;
      EXPECT_GT(score(a, b, flt), score(a, c, flt) + 0.2) << seed;
    }
  }
  // Cylinder by cylinder on a genuine pair: both forms rank the pairs alike.
  const auto source = random_template(40);
  const MatchTemplate a(source), b(moved_copy(source, 0.2f, 0, 0, 1.0f, 0.03f, 1));
  const auto bit = local_similarity_matrix(a.cylinders(), b.cylinders(), CylinderForm::kBit);
  const auto flt = local_similarity_matrix(a.cylinders(), b.cylinders(), CylinderForm::kFloat);
  ASSERT_EQ(bit.size(), flt.size());
  double mean_abs = 0;
  for (std::size_t i = 0; i < bit.size(); ++i) mean_abs += std::fabs(bit[i] - flt[i]);
  EXPECT_LT(mean_abs / static_cast<double>(bit.size()), 0.08);
}

TEST(MatchScore, SingleCylinderSimilarityMatchesTheMatrix) {
  const MatchTemplate a(random_template(41)), b(random_template(42));
  const auto gamma = local_similarity_matrix(a.cylinders(), b.cylinders(), CylinderForm::kBit);
  const int nb = b.cylinders().size();
  for (int i = 0; i < a.cylinders().size(); i += 7) {
    for (int j = 0; j < nb; j += 5) {
      EXPECT_EQ(gamma[static_cast<std::size_t>(i) * nb + j],
                cylinder_similarity(a.cylinders(), i, b.cylinders(), j, CylinderForm::kBit));
    }
  }
  EXPECT_THROW(cylinder_similarity(a.cylinders(), -1, b.cylinders(), 0, CylinderForm::kBit), Error);
}

TEST(MatchScore, Deterministic) {
  const auto source = random_template(50);
  const MatchTemplate a(source);
  const MatchTemplate b(moved_copy(source, 1.0f, -30, 10, 2.5f, 0.1f, 9));
  for (Mode mode : kAllModes) {
    const double first = score(a, b, mode);
    for (int repeat = 0; repeat < 3; ++repeat) {
      const MatchTemplate a2(source);
      EXPECT_EQ(score(a2, b, mode), first) << to_string(mode);
    }
  }
}

TEST(MatchScore, NearlySymmetric) {
  double worst = 0;
  for (unsigned seed = 60; seed < 70; ++seed) {
    const auto source = random_template(seed);
    const MatchTemplate a(source);
    const MatchTemplate b(moved_copy(source, 0.3f, 8, 8, 3.0f, 0.1f, seed));
    const MatchTemplate c(random_template(seed + 7));
    for (Mode mode : kAllModes) {
      worst = std::max(worst, std::fabs(score(a, b, mode) - score(b, a, mode)));
      worst = std::max(worst, std::fabs(score(a, c, mode) - score(c, a, mode)));
    }
  }
  // LSS is symmetric by construction; LSS-R can differ only through ties in pair order.
  EXPECT_LT(worst, 0.02);
}

TEST(MatchScore, DetailsPairTheRightMinutiae) {
  const auto source = random_template(80);
  const MatchTemplate a(source);
  const MatchTemplate b(moved_copy(source, 0.7f, 20, 20, 1.0f, 0.03f, 2));
  const MatchDetails details = match_details(a, b);
  EXPECT_EQ(details.mode, Mode::kLssrBit);
  EXPECT_EQ(details.pairs_required, number_of_pairs(a.cylinders().size(), b.cylinders().size()));
  ASSERT_EQ(static_cast<int>(details.pairs.size()), details.pairs_required);
  int correct = 0;
  for (const auto& pair : details.pairs) correct += pair.probe_minutia == pair.gallery_minutia ? 1 : 0;
  // The copy keeps minutia order, so true pairs have equal indices.
  EXPECT_GE(correct, details.pairs_required - 1);
  EXPECT_DOUBLE_EQ(details.score, score(a, b));
}

TEST(MatchScore, NumberOfPairsFollowsTheSigmoid) {
  EXPECT_EQ(number_of_pairs(0, 50), 4);
  EXPECT_EQ(number_of_pairs(5, 50), 4);
  EXPECT_EQ(number_of_pairs(20, 20), 8);
  EXPECT_EQ(number_of_pairs(60, 45), 12);
}

TEST(MatchScore, DegenerateTemplatesScoreZero) {
  const MatchTemplate full(random_template(90));
  ridge::FingerTemplate empty;
  ridge::FingerTemplate one;
  one.minutiae.push_back({100, 100, 1.0f});
  ridge::FingerTemplate two;
  two.minutiae = {{100, 100, 1.0f}, {130, 110, 2.0f}};
  for (const auto& t : {empty, one, two}) {
    const MatchTemplate m(t);
    EXPECT_EQ(m.cylinders().size(), 0);
    for (Mode mode : kAllModes) {
      EXPECT_EQ(score(m, full, mode), 0.0);
      EXPECT_EQ(score(full, m, mode), 0.0);
      EXPECT_EQ(score(m, m, mode), 0.0);
    }
    EXPECT_TRUE(match_details(m, full).pairs.empty());
  }
}

TEST(MatchScore, RescalesTemplatesNotAt500Ppi) {
  const auto source = random_template(95);
  auto hi = source;
  hi.ppi = 1000;
  for (auto& m : hi.minutiae) {
    m.x *= 2;
    m.y *= 2;
  }
  const MatchTemplate a(source), b(hi);
  EXPECT_GT(score(a, b), 0.97);
}

TEST(MatchScore, BadInputIsRejectedWithAClearMessage) {
  ridge::FingerTemplate bad_ppi = random_template(1);
  bad_ppi.ppi = 0;
  try {
    MatchTemplate m(bad_ppi);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("ppi"), std::string::npos);
  }
  ridge::FingerTemplate nan_direction = random_template(1);
  nan_direction.minutiae[0].direction = std::nanf("");
  EXPECT_THROW(MatchTemplate{nan_direction}, Error);

  MccParameters other;
  other.radius = 60;
  const MatchTemplate a(random_template(2)), b(random_template(2), other);
  try {
    score(a, b);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
    EXPECT_NE(std::string(e.what()).find("different MCC parameters"), std::string::npos);
  }
}

TEST(MatchScore, TemplateForegroundMaskIsUsedWhenEnabled) {
  auto finger = random_template(97);
  finger.width = 320;
  finger.height = 360;
  finger.mask_block_size = 8;
  finger.foreground_mask.assign(40 * 45, 1);
  MccParameters with_mask;
  with_mask.use_foreground = true;
  const MatchTemplate full(finger, with_mask);
  // Blank out the right half of the mask: cylinders there lose cells and drop out.
  auto half = finger;
  for (int r = 0; r < 45; ++r)
    for (int c = 20; c < 40; ++c) half.foreground_mask[static_cast<std::size_t>(r) * 40 + c] = 0;
  const MatchTemplate cut(half, with_mask);
  EXPECT_LT(cut.cylinders().size(), full.cylinders().size());
  // Same at 1000 ppi: mask and coordinates are rescaled together.
  auto hi = half;
  hi.ppi = 1000;
  hi.width *= 2;
  hi.height *= 2;
  for (auto& m : hi.minutiae) {
    m.x *= 2;
    m.y *= 2;
  }
  hi.foreground_mask.assign(80 * 90, 0);
  for (int r = 0; r < 90; ++r)
    for (int c = 0; c < 40; ++c) hi.foreground_mask[static_cast<std::size_t>(r) * 80 + c] = 1;
  EXPECT_EQ(MatchTemplate(hi, with_mask).cylinders().size(), cut.cylinders().size());

  auto bad = finger;
  bad.foreground_mask.resize(10);
  try {
    MatchTemplate m(bad, with_mask);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("foreground mask has 10 blocks, expected 45 x 40"), std::string::npos)
        << e.what();
  }
}

TEST(MatchScore, ModeNamesRoundTrip) {
  for (Mode mode : kAllModes) EXPECT_EQ(parse_mode(to_string(mode)), mode);
  try {
    parse_mode("fast");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown match mode 'fast'"), std::string::npos);
  }
}

}  // namespace
}  // namespace tuskprint::match
