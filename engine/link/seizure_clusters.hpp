#pragma once
// Clusters of linked seizures: connected components of the seizure graph in which two
// seizures are joined when at least one edge between their scans has log10 LR at or
// above the query threshold (single linkage: a chain A-B-C puts A and C together even
// with no direct evidence between them; the pair list says which links are direct).
//
// Computed per query with union-find over all edges (O(E a(V))); the graph keeps every
// edge, so the threshold is free per query. Why not maintain components incrementally per
// threshold: measured (`tuskprint eval link-scale`, 10,000 seizures, 100,000 edges, one
// core) a full recomputation takes about 1 ms, cheaper than any bookkeeping of thresholds
// and deletions (a re-scored edge can get weaker). cluster_around walks only the seizure's
// own component. Summaries (pair evidence, routes) cost more: tens of ms for all clusters.
#include <string>
#include <string_view>
#include <vector>

#include "link/link_graph.hpp"
#include "link/pair_evidence.hpp"
#include "link/route.hpp"

namespace tuskprint::link {

struct ClusterSummary {
  std::vector<int> seizures;         // graph indices, in route order
  std::vector<std::string> countries;  // distinct alpha-3 codes, sorted
  std::string first_date, last_date;   // YYYY-MM-DD
  double total_weight_kg = 0;          // specimens of known weight
  int specimens_without_weight = 0;
  int specimen_count = 0;
  int scan_count = 0;
  int linking_edges = 0;               // cross-seizure edges at or above the threshold
  std::vector<PairEvidence> pairs;     // directly linked seizure pairs
  Route route;
  double min_log10_lr = 0;             // the query threshold
};

// Seizure components (graph indices, each sorted) with at least `min_size` seizures,
// largest first, then by smallest index. Throws Error(kInvalidArgument) for a NaN or
// infinite threshold.
std::vector<std::vector<int>> seizure_components(const LinkGraph& graph, double min_log10_lr, int min_size = 2);

// Summaries of every cluster of two or more seizures, in seizure_components order.
std::vector<ClusterSummary> clusters(const LinkGraph& graph, double min_log10_lr);

// The cluster holding `seizure_id` (the seizure alone when nothing links it). Throws
// Error(kInvalidArgument) "unknown seizure 'X'".
ClusterSummary cluster_around(const LinkGraph& graph, std::string_view seizure_id, double min_log10_lr);

// Summary of a given set of seizures (graph indices), e.g. a component.
ClusterSummary summarise_cluster(const LinkGraph& graph, const std::vector<int>& seizures, double min_log10_lr);

}  // namespace tuskprint::link
