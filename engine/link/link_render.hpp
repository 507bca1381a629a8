#pragma once
// Renderers of link clusters: JSON, GraphViz DOT, PNG (through the `dot` program).
//
// JSON (clusters_json), keys in this order, stable across versions (add, never rename):
// {
//   "min_log10_lr": 2.0,                     // the query threshold
//   "clusters": [{
//     "seizures": [{"id", "country", "date", "role", "route_rank"}],  // route order;
//                                             // role as recorded, route_rank 0/1/2 = origin/
//                                             // transit/destination (inferred when unknown)
//     "countries": ["KEN", ...],              // distinct ISO 3166-1 alpha-3, sorted
//     "date_range": {"first": "YYYY-MM-DD", "last": "YYYY-MM-DD"},
//     "total_weight_kg": 41.5,                // specimens of known weight
//     "specimens_without_weight": 0,
//     "specimen_count": 3, "scan_count": 7,
//     "linking_edges": 4,                     // cross-seizure edges >= threshold
//     "route": {"basis": "role"|"date"|"role+date", "countries": ["KEN","TZA","VNM"],
//               "seizures": ["SZ-1", ...]},
//     "pairs": [{"seizure_a", "seizure_b", "combined_log10_lr",   // see pair_evidence.hpp
//                "modalities": [{"modality": "finger"|"schreger", "combined_log10_lr",
//                                "linking_edges",
//                                "counted": [{"scan_a", "scan_b", "raw_score", "log10_lr",
//                                             "found_at"}]}]}]
//   }]
// }
// cluster_json() is one element of "clusters".
//
// DOT: an undirected graph, one node per seizure (label: id, role, date, weight), seizures
// grouped in one box per country, one edge per linked seizure pair and modality, coloured
// by modality (finger blue, Schreger orange) and labelled with the combined log10 LR and
// the number of counted scan pairs.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "link/link_graph.hpp"
#include "link/seizure_clusters.hpp"

namespace tuskprint::link {

nlohmann::ordered_json cluster_json(const LinkGraph& graph, const ClusterSummary& cluster);
nlohmann::ordered_json clusters_json(const LinkGraph& graph, const std::vector<ClusterSummary>& clusters,
                                     double min_log10_lr);

std::string clusters_dot(const LinkGraph& graph, const std::vector<ClusterSummary>& clusters);

// Runs GraphViz `dot -Tpng` (found on PATH) on `dot_source` and returns the PNG bytes.
// Throws Error(kFailedPrecondition) when `dot` is not installed (Debian package graphviz),
// Error(kResourceExhausted) when it runs longer than `timeout` (it is killed), and
// Error(kInternal) when it fails (with its stderr).
std::vector<std::uint8_t> render_png(const std::string& dot_source,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(20),
                                     const std::string& dot_program = "dot");

}  // namespace tuskprint::link
