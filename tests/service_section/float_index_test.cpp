#include "index/float_index.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/sha256.hpp"

namespace tuskprint::index {
namespace {

std::vector<float> random_vectors(std::size_t n, int d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> v(n * std::size_t(d));
  for (float& x : v) x = g(rng);
  return v;
}

std::vector<Id> iota_ids(std::size_t n, Id from = 100) {
  std::vector<Id> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = from + Id(i);
  return ids;
}

template <typename F>
std::string error_of(F&& f, ErrorCode* code = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (code) *code = e.code();
    return e.what();
  }
  return "";
}

TEST(FloatIndex, FlatL2FindsEachVectorFirst) {
  constexpr int d = 16;
  const auto v = random_vectors(200, d, 1);
  const auto ids = iota_ids(200);
  auto index = make_float_index("Flat", d, FloatMetric::kL2);
  EXPECT_TRUE(index->is_trained());
  index->add(200, v.data(), ids.data());
  EXPECT_EQ(index->size(), 200u);
  EXPECT_EQ(index->dimension(), d);
  EXPECT_EQ(index->factory(), "Flat");
  EXPECT_GT(index->memory_bytes(), 200u * d * sizeof(float));
  std::vector<float> dist(3 * 5);
  std::vector<Id> got(3 * 5);
  index->search(3, v.data() + 10 * d, 5, dist.data(), got.data());
  for (int q = 0; q < 3; ++q) {
    EXPECT_EQ(got[std::size_t(q) * 5], 110 + q);
    EXPECT_NEAR(dist[std::size_t(q) * 5], 0.0f, 1e-4);
    for (int j = 1; j < 5; ++j) EXPECT_LE(dist[std::size_t(q) * 5 + j - 1], dist[std::size_t(q) * 5 + j]);
  }
}

TEST(FloatIndex, InnerProductRanksLargestFirst) {
  auto index = make_float_index("Flat", 2, FloatMetric::kInnerProduct);
  const std::vector<float> v = {1, 0, 0, 1, 0.7f, 0.7f};
  const std::vector<Id> ids = {1, 2, 3};
  index->add(3, v.data(), ids.data());
  const std::vector<float> q = {1, 0.1f};
  float dist[3];
  Id got[3];
  index->search(1, q.data(), 3, dist, got);
  EXPECT_EQ(got[0], 1);
  EXPECT_EQ(got[1], 3);
  EXPECT_GT(dist[0], dist[1]);
  EXPECT_EQ(index->metric(), FloatMetric::kInnerProduct);
}

TEST(FloatIndex, MissingResultsAreMinusOne) {
  auto index = make_float_index("Flat", 4, FloatMetric::kL2);
  float dist[3];
  Id got[3];
  const std::vector<float> q(4, 0.0f);
  index->search(1, q.data(), 3, dist, got);  // empty index
  EXPECT_EQ(got[0], -1);
  EXPECT_TRUE(std::isinf(dist[0]));
  const std::vector<float> one(4, 1.0f);
  const Id id = 7;
  index->add(1, one.data(), &id);
  index->search(1, q.data(), 3, dist, got);
  EXPECT_EQ(got[0], 7);
  EXPECT_EQ(got[1], -1);
  EXPECT_TRUE(std::isinf(dist[1]));
}

TEST(FloatIndex, IvfNeedsTrainingAndThenSearches) {
  constexpr int d = 8;
  const auto v = random_vectors(2000, d, 2);
  const auto ids = iota_ids(2000);
  auto index = make_float_index("IVF16,Flat", d, FloatMetric::kL2);
  EXPECT_FALSE(index->is_trained());
  ErrorCode code{};
  EXPECT_NE(error_of([&] { index->add(2000, v.data(), ids.data()); }, &code).find("must be trained"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kFailedPrecondition);
  index->train(2000, v.data());
  index->add(2000, v.data(), ids.data());
  index->set_search_breadth(16);  // every list: exact
  float dist[1];
  Id got[1];
  index->search(1, v.data() + 42 * d, 1, dist, got);
  EXPECT_EQ(got[0], 142);
}

TEST(FloatIndex, HnswFindsNearNeighbours) {
  constexpr int d = 8;
  const auto v = random_vectors(500, d, 3);
  const auto ids = iota_ids(500);
  auto index = make_float_index("HNSW16", d, FloatMetric::kL2);
  index->add(500, v.data(), ids.data());
  index->set_search_breadth(64);
  float dist[1];
  Id got[1];
  index->search(1, v.data() + 7 * d, 1, dist, got);
  EXPECT_EQ(got[0], 107);
}

TEST(FloatIndex, SerializeRoundTripsEveryFactory) {
  constexpr int d = 8;
  const auto v = random_vectors(1000, d, 4);
  const auto ids = iota_ids(1000);
  for (const std::string factory : {"Flat", "IVF8,Flat", "HNSW8"}) {
    for (FloatMetric metric : {FloatMetric::kL2, FloatMetric::kInnerProduct}) {
      auto index = make_float_index(factory, d, metric);
      index->train(1000, v.data());
      index->add(1000, v.data(), ids.data());
      const std::string bytes = index->serialize();
      auto loaded = load_float_index(bytes);
      EXPECT_EQ(loaded->factory(), factory);
      EXPECT_EQ(loaded->metric(), metric);
      EXPECT_EQ(loaded->size(), 1000u);
      float d1[5], d2[5];
      Id g1[5], g2[5];
      index->search(1, v.data() + 3 * d, 5, d1, g1);
      loaded->search(1, v.data() + 3 * d, 5, d2, g2);
      for (int j = 0; j < 5; ++j) {
        EXPECT_EQ(g1[j], g2[j]) << factory;
        EXPECT_FLOAT_EQ(d1[j], d2[j]) << factory;
      }
      EXPECT_EQ(loaded->serialize(), bytes) << factory;
    }
  }
}

TEST(FloatIndex, DamagedFilesAreDataLoss) {
  auto index = make_float_index("Flat", 4, FloatMetric::kL2);
  const std::vector<float> v = {1, 2, 3, 4};
  const Id id = 1;
  index->add(1, v.data(), &id);
  const std::string bytes = index->serialize();
  ErrorCode code{};
  EXPECT_NE(error_of([&] { load_float_index(bytes.substr(0, 10)); }, &code).find("truncated"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kDataLoss);
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  EXPECT_NE(error_of([&] { load_float_index(flipped); }, &code).find("checksum"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kDataLoss);
  std::string retagged = bytes;
  retagged.replace(0, 8, "TPBIDX1\n");
  retagged.resize(retagged.size() - 64);  // a consistent file of another kind
  retagged += sha256_hex(retagged);
  EXPECT_NE(error_of([&] { load_float_index(retagged); }, &code).find("bad tag"), std::string::npos);
  EXPECT_NE(error_of([&] { load_float_index(bytes.substr(0, bytes.size() - 1)); }, &code).find("checksum"),
            std::string::npos);
}

TEST(FloatIndex, BadInputIsAClearError) {
  ErrorCode code{};
  EXPECT_NE(error_of([] { make_float_index("PQ8", 8, FloatMetric::kL2); }, &code).find("'PQ8' is not one of"),
            std::string::npos);
  EXPECT_EQ(code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error_of([] { make_float_index("IVFx,Flat", 8, FloatMetric::kL2); }).find("not a FAISS float index"),
            std::string::npos);
  EXPECT_NE(error_of([] { make_float_index("Flat", 0, FloatMetric::kL2); }).find("dimension 0"), std::string::npos);
  auto index = make_float_index("Flat", 2, FloatMetric::kL2);
  const std::vector<float> bad = {1, std::numeric_limits<float>::quiet_NaN()};
  const Id id = 1;
  EXPECT_NE(error_of([&] { index->add(1, bad.data(), &id); }).find("non-finite value at element 1"), std::string::npos);
  float dist[1];
  Id got[1];
  EXPECT_NE(error_of([&] { index->search(1, bad.data(), 0, dist, got); }).find("k > 0"), std::string::npos);
  EXPECT_NE(error_of([&] { index->set_search_breadth(0); }).find("breadth must be positive"), std::string::npos);
  EXPECT_NE(error_of([&] { make_float_index("IVF4,Flat", 2, FloatMetric::kL2)->train(0, bad.data()); })
                .find("on no vectors"),
            std::string::npos);
}

TEST(FloatIndex, DefaultFactoryBySize) {
  EXPECT_EQ(default_float_factory(1000), "Flat");
  EXPECT_EQ(default_float_factory(199'999), "Flat");
  EXPECT_EQ(default_float_factory(1'000'000), "IVF2000,Flat");
  EXPECT_NO_THROW(make_float_index(default_float_factory(1'000'000), 4, FloatMetric::kL2));
}

}  // namespace
}  // namespace tuskprint::index
