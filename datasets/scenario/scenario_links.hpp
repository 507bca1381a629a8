#pragma once
// End to end on a generated scenario, at engine level (no server): load the scans,
// extract features (engine/ridge, engine/schreger), score every cross-seizure pair of the
// same modality (engine/match, engine/schreger link score), convert scores to log10 LR
// with the given calibrations, build the link graph and compare its clusters with the
// manifest's truth.
#include <functional>
#include <string>
#include <vector>

#include "datasets/scenario/scenario.hpp"
#include "link/link_graph.hpp"
#include "link/scan_evidence.hpp"
#include "link/seizure_clusters.hpp"

namespace tuskprint::datasets::scenario {

// The LR models of models/ (engine/lr), checked against the scorers this build runs:
// a model fitted for another extractor or matcher version is refused
// (Error(kFailedPrecondition)). An empty mark_to_mark path leaves latent-latent pairs out.
struct LrModelPaths {
  std::string finger, schreger, mark_to_mark;
};
LrModelPaths default_lr_model_paths();
link::LrFunctions load_lr_functions(const LrModelPaths& paths);

struct LinkRun {
  link::LinkGraph graph;
  std::vector<std::string> unusable_scans;  // "SC-KEN-2: reason"
  double extract_seconds = 0;
  double score_seconds = 0;
};

// Throws Error(kInvalidArgument) for a scan file that cannot be read, or what the graph
// throws for an inconsistent manifest. `progress(done, total)` after each scan's features.
LinkRun link_scenario(const Scenario& scenario, const link::LrFunctions& lr,
                      const std::function<void(int, int)>& progress = {});

struct TruthComparison {
  double min_log10_lr = 0;
  std::vector<std::vector<std::string>> recovered_clusters;  // as truth_clusters
  bool clusters_exact = false;          // recovered partition == true partition
  int true_pairs = 0;                   // seizure pairs in a common true cluster
  int recovered_true_pairs = 0;         // ... that share a recovered cluster
  int false_pairs = 0;                  // pairs sharing a recovered cluster, not a true one
  int direct_truth_links = 0;           // truth links (a shared source)
  int direct_links_found = 0;           // ... with a direct edge at the threshold
  std::vector<std::string> missed, spurious;  // "SZ-A - SZ-B"
};

TruthComparison compare_with_truth(const Scenario& scenario, const link::LinkGraph& graph, double min_log10_lr);

}  // namespace tuskprint::datasets::scenario
