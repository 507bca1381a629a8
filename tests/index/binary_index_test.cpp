#include "index/binary_index.hpp"

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"

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

TEST(BinaryIndex, DefaultFactoryGrowsWithTheGallery) {
  EXPECT_EQ(default_binary_factory(1000), "BFlat");
  EXPECT_EQ(default_binary_factory(400'000).rfind("BIVF", 0), 0u);
  EXPECT_EQ(default_binary_factory(4'000'000).rfind("BIVF", 0), 0u);
}

}  // namespace
}  // namespace tuskprint::index
