#include "index/binary_index.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "index/hamming.hpp"

namespace tuskprint::index {
namespace {

std::vector<std::uint8_t> random_codes(std::size_t n, int bits, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> codes(n * std::size_t(bits / 8));
  for (auto& c : codes) c = std::uint8_t(rng());
  return codes;
}

TEST(BinaryIndex, FactoryStringRoundTrips) {
  for (const std::string factory : {"BFlat", "BIVF16", "BHNSW16"}) {
    auto index = make_binary_index(factory, 256);
    EXPECT_EQ(index->factory(), factory);
    EXPECT_EQ(index->code_bits(), 256);
  }
}

TEST(BinaryIndex, RefusesBadFactoryAndCodeLength) {
  EXPECT_THROW(make_binary_index("NotAnIndex", 256), Error);
  EXPECT_THROW(make_binary_index("BFlat", 100), Error);
  EXPECT_THROW(make_binary_index("BFlat", 0), Error);
}

TEST(BinaryIndex, FlatFindsExactCodesWithTheirIds) {
  auto index = make_binary_index("BFlat", 256);
  const auto codes = random_codes(100, 256, 1);
  std::vector<Id> ids(100);
  for (int i = 0; i < 100; ++i) ids[std::size_t(i)] = 1000 + i * 7;
  index->add(100, codes.data(), ids.data());
  std::vector<std::int32_t> d(3);
  std::vector<Id> l(3);
  index->search(1, codes.data() + 42 * 32, 3, d.data(), l.data());
  EXPECT_EQ(l[0], 1000 + 42 * 7);
  EXPECT_EQ(d[0], 0);
  EXPECT_GT(d[1], 0);
}

TEST(BinaryIndex, EmptyIndexSearchReturnsNoIds) {
  auto index = make_binary_index("BFlat", 64);
  std::uint8_t query[8] = {};
  std::int32_t d[2];
  Id l[2];
  index->search(1, query, 2, d, l);
  EXPECT_EQ(l[0], -1);
  EXPECT_EQ(l[1], -1);
}

TEST(BinaryIndex, IvfMustBeTrainedAndSerializesWithChecksum) {
  auto index = make_binary_index("BIVF4", 64);
  const auto codes = random_codes(400, 64, 2);
  std::vector<Id> ids(400);
  for (int i = 0; i < 400; ++i) ids[std::size_t(i)] = i;
  EXPECT_THROW(index->add(400, codes.data(), ids.data()), Error);
  index->train(400, codes.data());
  index->add(400, codes.data(), ids.data());
  index->set_search_breadth(4);  // all lists: exact
  const std::string bytes = index->serialize();
  auto loaded = load_binary_index(bytes);
  EXPECT_EQ(loaded->factory(), "BIVF4");
  EXPECT_EQ(loaded->size(), 400u);
  loaded->set_search_breadth(4);
  std::int32_t d[1];
  Id l[1];
  loaded->search(1, codes.data() + 17 * 8, 1, d, l);
  EXPECT_EQ(l[0], 17);

  std::string corrupt = bytes;
  corrupt[bytes.size() / 2] ^= 0x20;
  EXPECT_THROW(load_binary_index(corrupt), Error);
  EXPECT_THROW(load_binary_index(bytes.substr(0, bytes.size() - 10)), Error);
  EXPECT_THROW(load_binary_index(""), Error);
}

int reference_distance(const std::uint8_t* a, const std::uint8_t* b, std::size_t bytes) {
  int d = 0;
  for (std::size_t i = 0; i < bytes; ++i) d += std::popcount(unsigned(a[i] ^ b[i]));
  return d;
}

TEST(Hamming, SmallestKeepsTheNearestWithTiesInPositionOrder) {
  std::mt19937 rng(11);
  std::vector<std::uint16_t> d(500);
  for (auto& v : d) v = std::uint16_t(rng() % 40);  // many ties
  std::vector<std::uint32_t> order(d.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return d[a] < d[b]; });
  std::vector<std::uint32_t> got;
  for (std::size_t k : {0u, 1u, 37u, 500u, 900u}) {
    hamming::smallest(d.data(), d.size(), k, 64, got);
    const std::size_t kept = std::min<std::size_t>(k, d.size());
    ASSERT_EQ(got.size(), kept);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), order.begin())) << "k=" << k;
  }
}

TEST(Hamming, DistancesMatchABitByBitCount) {
  for (int bits : {64, 512, 136}) {
    const std::size_t bytes = std::size_t(bits / 8);
    const auto codes = random_codes(50, bits, unsigned(bits));
    std::vector<std::uint16_t> d(50);
    hamming::distances(codes.data(), codes.data(), 50, bytes, d.data());
    for (std::size_t i = 0; i < 50; ++i) {
      EXPECT_EQ(d[i], reference_distance(codes.data(), codes.data() + i * bytes, bytes));
    }
  }
}

TEST(Hamming, CodeSimilaritiesSkipTurnedPairsAndMatchTheFormula) {
  const auto probe = random_codes(3, 512, 21), gallery = random_codes(4, 512, 22);
  const float probe_directions[3] = {0.0f, 1.0f, 3.0f};
  const float gallery_directions[4] = {0.1f, 6.2f, 2.0f, 4.5f};
  std::vector<float> got;
  hamming::code_similarities(probe.data(), probe_directions, 3, gallery.data(), gallery_directions,
                             4, 64, 1.6f, got);
  std::vector<float> expected;
  const std::vector<std::uint8_t> zero(64, 0);
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      float turn = std::fabs(probe_directions[i] - gallery_directions[j]);
      turn = std::min(turn, 2 * 3.14159265f - turn);
      if (turn > 1.6f) continue;
      const int ones = reference_distance(probe.data() + i * 64, zero.data(), 64) +
                       reference_distance(gallery.data() + j * 64, zero.data(), 64);
      expected.push_back(1.0f - float(reference_distance(probe.data() + i * 64, gallery.data() + j * 64, 64)) / float(ones));
    }
  }
  ASSERT_EQ(got.size(), expected.size());
  ASSERT_LT(got.size(), 12u);  // some pairs were turned too far
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_FLOAT_EQ(got[i], expected[i]);
}

// Our own list scan (Flat; IVF visiting every list) returns exactly the k smallest distances.
TEST(BinaryIndex, ScansReturnTheExactNearestCodes) {
  const auto codes = random_codes(600, 512, 3);
  std::vector<Id> ids(600);
  for (int i = 0; i < 600; ++i) ids[std::size_t(i)] = 5000 + i;
  for (const std::string factory : {"BFlat", "BIVF8"}) {
    auto index = make_binary_index(factory, 512);
    index->train(600, codes.data());
    index->add(600, codes.data(), ids.data());
    index->set_search_breadth(8);
    const auto queries = random_codes(3, 512, 4);
    const int k = 25;
    std::vector<std::int32_t> d(3 * k);
    std::vector<Id> l(3 * k);
    index->search(3, queries.data(), k, d.data(), l.data());
    for (std::size_t q = 0; q < 3; ++q) {
      std::vector<int> truth;
      for (std::size_t i = 0; i < 600; ++i) truth.push_back(reference_distance(queries.data() + q * 64, codes.data() + i * 64, 64));
      std::sort(truth.begin(), truth.end());
      for (std::size_t j = 0; j < std::size_t(k); ++j) {
        EXPECT_EQ(d[q * k + j], truth[j]) << factory;
        const auto i = std::size_t(l[q * k + j] - 5000);
        ASSERT_LT(i, 600u);
        EXPECT_EQ(d[q * k + j], reference_distance(queries.data() + q * 64, codes.data() + i * 64, 64));
      }
    }
    // Fewer codes than k: the rest is -1.
    std::vector<std::int32_t> d2(700);
    std::vector<Id> l2(700);
    index->search(1, queries.data(), 700, d2.data(), l2.data());
    EXPECT_NE(l2[599], -1);
    EXPECT_EQ(l2[600], -1);
  }
}

// Locators give each code back (no second copy needed), also after a save and load.
TEST(BinaryIndex, LocatorsReadCodesBackAcrossSaveAndLoad) {
  const auto codes = random_codes(300, 256, 5);
  std::vector<Id> ids(300);
  for (int i = 0; i < 300; ++i) ids[std::size_t(i)] = 3 * i + 1;
  for (const std::string factory : {"BFlat", "BIVF4", "BHNSW8"}) {
    auto index = make_binary_index(factory, 256);
    index->train(300, codes.data());
    std::vector<Locator> where(300);
    index->add(150, codes.data(), ids.data(), where.data());
    index->add(150, codes.data() + 150 * 32, ids.data() + 150, where.data() + 150);
    for (std::size_t i = 0; i < 300; ++i) {
      ASSERT_TRUE(std::equal(codes.begin() + std::ptrdiff_t(i * 32), codes.begin() + std::ptrdiff_t(i * 32 + 32),
                             index->code_at(where[i])))
          << factory << " code " << i;
    }
    const auto loaded = load_binary_index(index->serialize());
    std::map<Id, Locator> visited;
    loaded->for_each_code([&](Id id, Locator at) { visited.emplace(id, at); });
    ASSERT_EQ(visited.size(), 300u) << factory;
    for (std::size_t i = 0; i < 300; ++i) {
      EXPECT_EQ(visited[ids[i]], where[i]) << factory;
      EXPECT_TRUE(std::equal(codes.begin() + std::ptrdiff_t(i * 32), codes.begin() + std::ptrdiff_t(i * 32 + 32),
                             loaded->code_at(where[i])));
    }
  }
}

// With 1,024 lists or more, codes find their list through groups of lists: most land in the
// list nearest to them (the one a search for the code itself visits first), all in one of
// the few nearest.
TEST(BinaryIndex, GroupedListAssignmentPutsCodesInTheirNearestLists) {
  std::mt19937 rng(8);
  const std::size_t n = 8192, bytes = 32;
  const auto centres = random_codes(64, 256, 9);
  std::vector<std::uint8_t> codes(n * bytes);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t b = 0; b < bytes; ++b) {
      std::uint8_t noise = 0;
      for (int bit = 0; bit < 8; ++bit) noise |= std::uint8_t((rng() % 10 == 0) << bit);
      codes[i * bytes + b] = centres[(i % 64) * bytes + b] ^ noise;
    }
  }
  std::vector<Id> ids(n);
  std::iota(ids.begin(), ids.end(), Id(0));
  auto index = make_binary_index("BIVF1024", 256);
  index->train(n, codes.data());
  index->add(n, codes.data(), ids.data());
  std::size_t first_list = 0, few_lists = 0;
  const std::size_t probes = 1000;
  std::vector<std::int32_t> d(1);
  std::vector<Id> l(1);
  for (std::size_t i = 0; i < probes; ++i) {
    index->set_search_breadth(1);
    index->search(1, codes.data() + i * bytes, 1, d.data(), l.data());
    first_list += d[0] == 0;
    index->set_search_breadth(16);
    index->search(1, codes.data() + i * bytes, 1, d.data(), l.data());
    few_lists += d[0] == 0;
  }
  EXPECT_GE(double(first_list) / double(probes), 0.9);
  EXPECT_EQ(few_lists, probes);
}

TEST(BinaryIndex, DefaultFactoryGrowsWithTheGallery) {
  EXPECT_EQ(default_binary_factory(1000), "BFlat");
  EXPECT_EQ(default_binary_factory(400'000).rfind("BIVF", 0), 0u);
  EXPECT_EQ(default_binary_factory(4'000'000).rfind("BIVF", 0), 0u);
}

}  // namespace
}  // namespace tuskprint::index
