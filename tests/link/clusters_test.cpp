#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "graph_fixture.hpp"
#include "link/seizure_clusters.hpp"

namespace tuskprint::link {
namespace {

using fixture::add_seizure;
using fixture::finger;
using fixture::invalid_argument_of;
using fixture::schreger;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> ids(const LinkGraph& g, const std::vector<int>& seizures) {
  std::vector<std::string> out;
  for (const int s : seizures) out.push_back(g.seizure(s).id);
  return out;
}

// A chain KEN - TZA - VNM (strong finger, moderate Schreger), a pair MYS - CHN, a loner.
LinkGraph chain() {
  LinkGraph g;
  add_seizure(g, "KEN", "KEN", "2024-01-10", Role::kOrigin);
  add_seizure(g, "TZA", "TZA", "2024-02-10", Role::kTransit);
  add_seizure(g, "VNM", "VNM", "2024-04-01", Role::kDestination);
  add_seizure(g, "MYS", "MYS", "2024-03-01");
  add_seizure(g, "CHN", "CHN", "2024-03-20");
  add_seizure(g, "NGA", "NGA", "2024-01-01");
  finger(g, "KEN-L1", "TZA-L1", 5.0);
  schreger(g, "TZA-X1", "VNM-X1", 2.5);
  finger(g, "MYS-L1", "CHN-L2", 3.0);
  finger(g, "NGA-L1", "KEN-L2", 1.2);  // weak: below the default threshold
  finger(g, "TZA-L2", "TZA-L1", 6.0);  // within one seizure: never links seizures
  return g;
}

TEST(Clusters, ConnectedComponentsAtTheThreshold) {
  const LinkGraph g = chain();
  const auto c = clusters(g, 2.0);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_THAT(ids(g, c[0].seizures), ElementsAre("KEN", "TZA", "VNM"));
  EXPECT_THAT(ids(g, c[1].seizures), ElementsAre("MYS", "CHN"));
  EXPECT_EQ(c[0].linking_edges, 2);
  EXPECT_THAT(c[0].countries, ElementsAre("KEN", "TZA", "VNM"));
  EXPECT_EQ(c[0].first_date, "2024-01-10");
  EXPECT_EQ(c[0].last_date, "2024-04-01");
  EXPECT_DOUBLE_EQ(c[0].total_weight_kg, 90.0);  // 3 seizures x 3 specimens x 10 kg
  EXPECT_EQ(c[0].specimen_count, 9);
  EXPECT_EQ(c[0].scan_count, 9);
}

TEST(Clusters, ThresholdIsAQueryParameterAndEdgesAreKept) {
  const LinkGraph g = chain();
  EXPECT_EQ(clusters(g, 2.0).size(), 2u);
  // Raising it to 3 cuts the Schreger link (2.5); MYS-CHN (3.0) stays: >= is inclusive.
  const auto strict = clusters(g, 3.0);
  ASSERT_EQ(strict.size(), 2u);
  EXPECT_THAT(ids(g, strict[0].seizures), ElementsAre("KEN", "TZA"));
  EXPECT_THAT(ids(g, strict[1].seizures), ElementsAre("MYS", "CHN"));
  EXPECT_EQ(clusters(g, 5.0001).size(), 0u);
  // Lowering it lets the weak NGA edge join NGA to the chain.
  const auto loose = clusters(g, 1.0);
  ASSERT_EQ(loose.size(), 2u);
  EXPECT_EQ(loose[0].seizures.size(), 4u);
  EXPECT_EQ(g.edge_count(), 5u);
}

TEST(Clusters, ClusterAroundMatchesTheComponent) {
  const LinkGraph g = chain();
  EXPECT_THAT(ids(g, cluster_around(g, "VNM", 2.0).seizures), ElementsAre("KEN", "TZA", "VNM"));
  EXPECT_THAT(ids(g, cluster_around(g, "CHN", 2.0).seizures), ElementsAre("MYS", "CHN"));
  EXPECT_THAT(ids(g, cluster_around(g, "NGA", 2.0).seizures), ElementsAre("NGA"));
  EXPECT_EQ(cluster_around(g, "NGA", 2.0).pairs.size(), 0u);
  EXPECT_EQ(cluster_around(g, "NGA", 1.0).seizures.size(), 4u);
}

TEST(Clusters, IncrementalEdgesChangeTheAnswer) {
  LinkGraph g = chain();
  EXPECT_EQ(cluster_around(g, "NGA", 2.0).seizures.size(), 1u);
  // A new scan arrives in NGA and matches a CHN lift strongly.
  g.upsert_specimen({"NGA-new", "NGA", "", 4.0});
  g.upsert_scan({"NGA-L9", "NGA", "NGA-new", ScanKind::kLatentLift, ""});
  finger(g, "NGA-L9", "CHN-L1", 4.0);
  EXPECT_THAT(ids(g, cluster_around(g, "NGA", 2.0).seizures), ElementsAre("NGA", "MYS", "CHN"));
  // Re-scoring the same pair weaker replaces the edge and splits NGA off again.
  finger(g, "CHN-L1", "NGA-L9", 0.5);
  EXPECT_EQ(cluster_around(g, "NGA", 2.0).seizures.size(), 1u);
  // A new seizure joins by a Schreger edge.
  add_seizure(g, "HKG", "HKG", "2024-05-01", Role::kDestination);
  schreger(g, "VNM-X1", "HKG-X1", 2.0);
  EXPECT_EQ(cluster_around(g, "KEN", 2.0).seizures.size(), 4u);
}

TEST(Clusters, BadQueriesNameTheProblem) {
  const LinkGraph g = chain();
  EXPECT_THAT(invalid_argument_of([&] { cluster_around(g, "ATL", 2.0); }), HasSubstr("unknown seizure 'ATL'"));
  EXPECT_THAT(invalid_argument_of([&] { clusters(g, std::numeric_limits<double>::quiet_NaN()); }),
              HasSubstr("min_log10_lr nan"));
  EXPECT_THAT(invalid_argument_of([&] { cluster_around(g, "KEN", std::numeric_limits<double>::infinity()); }),
              HasSubstr("not a finite number"));
}

TEST(Clusters, EmptyGraphHasNoClusters) {
  const LinkGraph g;
  EXPECT_TRUE(clusters(g, 2.0).empty());
}

}  // namespace
}  // namespace tuskprint::link
