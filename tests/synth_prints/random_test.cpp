#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "datasets/fingerprints/random.hpp"

namespace tuskprint::synth {
namespace {

TEST(SynthRandom, SameSeedSameSequence) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const double x = a.normal(), y = b.normal(), z = c.normal();
    EXPECT_EQ(x, y);
    differs = differs || x != z;
  }
  EXPECT_TRUE(differs);
}

TEST(SynthRandom, EngineIsTheStandardMersenneTwister) {
  // The standard fixes the 10000th output of a default-seeded mt19937_64; our numbers are
  // computed from that engine's raw output, so they are portable too.
  Rng rng(5489u);
  std::uint64_t v = 0;
  for (int i = 0; i < 10000; ++i) v = rng.next();
  EXPECT_EQ(v, 9981545732273789042ULL);
}

TEST(SynthRandom, PinnedDrawsDoNotChangeSilently) {
  // Golden values from our own arithmetic on the standard engine: identical with any
  // compiler and standard library. A change here changes every generated data set (and
  // must bump kGeneratorVersion).
  Rng rng(2024);
  EXPECT_DOUBLE_EQ(rng.uniform(), 0.612684545263525);
  EXPECT_NEAR(rng.normal(), 0.83367785114105519, 1e-15);
  EXPECT_EQ(rng.uniform_int(0, 1000), 600);
  EXPECT_EQ(derive_seed(1, 2, 3), 12604155938341503805ULL);
  EXPECT_NE(derive_seed(1, 2, 3), derive_seed(1, 3, 2));
  EXPECT_NE(derive_seed(1, 2), derive_seed(2, 2));
}

TEST(SynthRandom, DistributionsHaveTheRightMoments) {
  Rng rng(9);
  const int n = 200000;
  double sum = 0, sum2 = 0, usum = 0;
  int lo = 0, hi = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sum2 += z * z;
    usum += rng.uniform();
    const int k = rng.uniform_int(3, 5);
    ASSERT_GE(k, 3);
    ASSERT_LE(k, 5);
    lo += k == 3;
    hi += k == 5;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum2 / n, 1.0, 0.02);
  EXPECT_NEAR(usum / n, 0.5, 0.005);
  EXPECT_NEAR(static_cast<double>(lo) / n, 1.0 / 3, 0.01);
  EXPECT_NEAR(static_cast<double>(hi) / n, 1.0 / 3, 0.01);
  double psum = 0;
  for (int i = 0; i < 20000; ++i) psum += rng.poisson(4.0);
  EXPECT_NEAR(psum / 20000, 4.0, 0.1);
}

}  // namespace
}  // namespace tuskprint::synth
