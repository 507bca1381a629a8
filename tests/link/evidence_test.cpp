#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "graph_fixture.hpp"
#include "link/pair_evidence.hpp"
#include "link/seizure_clusters.hpp"

namespace tuskprint::link {
namespace {

using fixture::add_seizure;
using fixture::finger;
using fixture::schreger;

LinkGraph two_seizures() {
  LinkGraph g;
  add_seizure(g, "A", "KEN", "2024-01-01", Role::kOrigin, 3, 2);
  add_seizure(g, "B", "VNM", "2024-03-01", Role::kDestination, 3, 2);
  return g;
}

const ModalityEvidence& modality(const PairEvidence& p, Modality m) {
  for (const ModalityEvidence& e : p.modalities)
    if (e.modality == m) return e;
  throw std::runtime_error("modality missing");
}

TEST(PairEvidence, AScanIsCountedOnce) {
  LinkGraph g = two_seizures();
  // One lift of A matches three lifts of B: one fact, counted once (the strongest).
  finger(g, "A-L1", "B-L1", 4.0);
  finger(g, "A-L1", "B-L2", 3.0);
  finger(g, "A-L1", "B-L3", 2.5);
  const auto pairs = combine_pair_evidence(g, {0, 1}, 2.0);
  ASSERT_EQ(pairs.size(), 1u);
  const ModalityEvidence& f = modality(pairs[0], Modality::kFinger);
  EXPECT_EQ(f.linking_edges, 3);
  ASSERT_EQ(f.counted_edges.size(), 1u);
  EXPECT_DOUBLE_EQ(f.combined_log10_lr, 4.0);
  EXPECT_DOUBLE_EQ(pairs[0].combined_log10_lr, 4.0);
}

TEST(PairEvidence, DistinctScanPairsAddGreedilyStrongestFirst) {
  LinkGraph g = two_seizures();
  finger(g, "A-L1", "B-L1", 5.0);
  finger(g, "A-L2", "B-L1", 4.5);  // B-L1 already used: not counted
  finger(g, "A-L2", "B-L2", 3.0);  // distinct pair: counted
  finger(g, "A-L3", "B-L3", 1.0);  // below threshold: not counted
  const auto pairs = combine_pair_evidence(g, {0, 1}, 2.0);
  ASSERT_EQ(pairs.size(), 1u);
  const ModalityEvidence& f = modality(pairs[0], Modality::kFinger);
  EXPECT_EQ(f.linking_edges, 3);
  EXPECT_DOUBLE_EQ(f.combined_log10_lr, 8.0);
  ASSERT_EQ(f.counted_edges.size(), 2u);
  EXPECT_DOUBLE_EQ(g.edge(f.counted_edges[0]).log10_lr, 5.0);
  EXPECT_DOUBLE_EQ(g.edge(f.counted_edges[1]).log10_lr, 3.0);
}

TEST(PairEvidence, ScansOfOneSourceWithinASeizureCountOnce) {
  LinkGraph g = two_seizures();
  // A-L1 and A-L2 are the same finger (matched to each other inside seizure A); each
  // matches a different lift in B. The finger touched B once as far as evidence goes.
  finger(g, "A-L1", "A-L2", 6.0);
  finger(g, "A-L1", "B-L1", 4.0);
  finger(g, "A-L2", "B-L2", 3.5);
  const auto pairs = combine_pair_evidence(g, {0, 1}, 2.0);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_DOUBLE_EQ(pairs[0].combined_log10_lr, 4.0);
  // Without the within-seizure edge the two are distinct sources and add up.
  LinkGraph h = two_seizures();
  finger(h, "A-L1", "B-L1", 4.0);
  finger(h, "A-L2", "B-L2", 3.5);
  EXPECT_DOUBLE_EQ(combine_pair_evidence(h, {0, 1}, 2.0)[0].combined_log10_lr, 7.5);
}

TEST(PairEvidence, ModalitiesAreCombinedAsIndependentFacts) {
  LinkGraph g = two_seizures();
  finger(g, "A-L1", "B-L1", 4.0);
  schreger(g, "A-X1", "B-X1", 2.5);
  schreger(g, "A-X2", "B-X1", 3.0);  // B-X1 is one face: only the stronger counts
  const auto pairs = combine_pair_evidence(g, {0, 1}, 2.0);
  ASSERT_EQ(pairs.size(), 1u);
  ASSERT_EQ(pairs[0].modalities.size(), 2u);
  EXPECT_EQ(pairs[0].modalities[0].modality, Modality::kFinger);
  EXPECT_DOUBLE_EQ(modality(pairs[0], Modality::kSchreger).combined_log10_lr, 3.0);
  EXPECT_DOUBLE_EQ(pairs[0].combined_log10_lr, 7.0);
}

TEST(PairEvidence, NeverAboveThePlainSumNorBelowTheStrongestEdge) {
  LinkGraph g = two_seizures();
  const double lrs[3][3] = {{2.1, 6.0, 2.2}, {3.3, 2.0, 4.4}, {2.7, 5.1, 3.9}};
  double sum = 0, strongest = 0;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      finger(g, "A-L" + std::to_string(i + 1), "B-L" + std::to_string(j + 1), lrs[i][j]);
      sum += lrs[i][j];
      strongest = std::max(strongest, lrs[i][j]);
    }
  const double combined = combine_pair_evidence(g, {0, 1}, 2.0)[0].combined_log10_lr;
  EXPECT_LT(combined, sum);
  EXPECT_GE(combined, strongest);
  // Greedy: 6.0 (L1-L2), then 4.4 (L2-L3), then 2.7 (L3-L1).
  EXPECT_DOUBLE_EQ(combined, 6.0 + 4.4 + 2.7);
}

TEST(PairEvidence, OnlyPairsInsideTheGivenSetAreReported) {
  LinkGraph g = two_seizures();
  add_seizure(g, "C", "TZA", "2024-02-01", Role::kTransit);
  finger(g, "A-L1", "B-L1", 4.0);
  finger(g, "A-L2", "C-L1", 4.0);
  EXPECT_EQ(combine_pair_evidence(g, {0, 1}, 2.0).size(), 1u);
  EXPECT_EQ(combine_pair_evidence(g, {0, 1, 2}, 2.0).size(), 2u);
  const auto c = cluster_around(g, "B", 2.0);
  EXPECT_EQ(c.pairs.size(), 2u);
}

}  // namespace
}  // namespace tuskprint::link

namespace tuskprint::link {
namespace {

TEST(PairEvidence, FingersOfOnePersonCountOnce) {
  LinkGraph g;
  add_seizure(g, "A", "KEN", "2024-01-01", Role::kOrigin, 0, 0);
  add_seizure(g, "B", "VNM", "2024-03-01", Role::kDestination, 2, 0);
  // A suspect's tenprint card in A: thumb and index, both matched by lifts in B.
  g.upsert_scan({"A-thumb", "A", "", ScanKind::kReferencePrint, "suspect-1"});
  g.upsert_scan({"A-index", "A", "", ScanKind::kReferencePrint, "suspect-1"});
  fixture::finger(g, "B-L1", "A-thumb", 4.0);
  fixture::finger(g, "B-L2", "A-index", 3.0);
  EXPECT_DOUBLE_EQ(combine_pair_evidence(g, {0, 1}, 2.0)[0].combined_log10_lr, 4.0);
  // Unnamed prints are distinct sources.
  g.upsert_scan({"A-thumb", "A", "", ScanKind::kReferencePrint, ""});
  EXPECT_DOUBLE_EQ(combine_pair_evidence(g, {0, 1}, 2.0)[0].combined_log10_lr, 7.0);
}

}  // namespace
}  // namespace tuskprint::link
