#include "datasets/scenario/scenario_links.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "core/error.hpp"
#include "image/decode.hpp"
#include "lr/lr_model.hpp"
#include "lr/score_sources.hpp"

namespace tuskprint::datasets::scenario {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Unordered seizure pairs sharing a cluster, as "A - B" with A < B.
std::set<std::string> co_clustered(const std::vector<std::vector<std::string>>& clusters) {
  std::set<std::string> pairs;
  for (const auto& c : clusters)
    for (std::size_t i = 0; i < c.size(); ++i)
      for (std::size_t j = i + 1; j < c.size(); ++j)
        pairs.insert(std::min(c[i], c[j]) + " - " + std::max(c[i], c[j]));
  return pairs;
}

std::function<double(double)> load_lr(const std::string& path, const std::string& modality, const std::string& hash) {
  auto model = std::make_shared<lr::LrModel>(lr::LrModel::load(path));
  TP_CHECK(model->modality() == modality, kInvalidArgument,
           path << " is a " << model->modality() << " LR model, not " << modality);
  TP_CHECK(model->score_parameters_hash() == hash, kFailedPrecondition,
           path << " (" << model->version() << ") was fitted for another " << modality
                << " scorer than this build runs (score parameters hash " << model->score_parameters_hash()
                << ", expected " << hash << "): refit it with `tuskprint calibrate`");
  return [model](double score) { return model->log10_lr(score); };
}

}  // namespace

LrModelPaths default_lr_model_paths() {
  return {lr::default_model_path("finger").string(), lr::default_model_path("schreger").string(), ""};
}

link::LrFunctions load_lr_functions(const LrModelPaths& paths) {
  link::LrFunctions f;
  f.finger = load_lr(paths.finger, "finger", lr::finger_score_parameters_hash());
  f.schreger = load_lr(paths.schreger, "schreger", lr::schreger_score_parameters_hash());
  if (!paths.mark_to_mark.empty()) f.finger_mark_to_mark = load_lr(paths.mark_to_mark, "finger", lr::finger_score_parameters_hash());
  return f;
}

LinkRun link_scenario(const Scenario& s, const link::LrFunctions& lr, const std::function<void(int, int)>& progress) {
  LinkRun run;
  for (const SeizureRecord& z : s.seizures) run.graph.upsert_seizure({z.id, z.country, z.date, link::parse_role(z.role)});
  for (const SpecimenRecord& p : s.specimens) run.graph.upsert_specimen({p.id, p.seizure_id, p.cites_mark, p.weight_kg});
  for (const ScanRecord& c : s.scans) run.graph.upsert_scan({c.id, c.seizure_id, c.specimen_id, link::parse_scan_kind(c.kind), ""});

  const auto extract_start = std::chrono::steady_clock::now();
  std::vector<link::ScanFeatures> features;
  for (const ScanRecord& c : s.scans) {
    link::ScanImage image{c.id, link::parse_scan_kind(c.kind),
                          image::load_file((std::filesystem::path(s.directory) / c.file).string()), c.ppi};
    features.push_back(link::scan_features(image));
    if (!features.back().usable()) run.unusable_scans.push_back(c.id + ": " + features.back().unusable_reason);
    if (progress) progress(int(features.size()), int(s.scans.size()));
  }
  run.extract_seconds = seconds_since(extract_start);

  const auto score_start = std::chrono::steady_clock::now();
  for (const link::MatchEdge& e : link::score_scan_pairs(run.graph, features, lr, "scenario"))
    run.graph.upsert_edge(e);
  run.score_seconds = seconds_since(score_start);
  return run;
}

TruthComparison compare_with_truth(const Scenario& s, const link::LinkGraph& g, double t) {
  TruthComparison c;
  c.min_log10_lr = t;
  for (const auto& members : link::seizure_components(g, t)) {
    std::vector<std::string> ids;
    for (const int m : members) ids.push_back(g.seizure(m).id);
    std::sort(ids.begin(), ids.end());
    c.recovered_clusters.push_back(ids);
  }
  std::sort(c.recovered_clusters.begin(), c.recovered_clusters.end());
  c.clusters_exact = c.recovered_clusters == s.truth_clusters;

  const std::set<std::string> truth = co_clustered(s.truth_clusters), found = co_clustered(c.recovered_clusters);
  c.true_pairs = int(truth.size());
  for (const std::string& p : truth)
    if (found.count(p)) ++c.recovered_true_pairs;
    else c.missed.push_back(p);
  for (const std::string& p : found)
    if (!truth.count(p)) ++c.false_pairs, c.spurious.push_back(p);

  // Direct links: a truth link whose two seizures have an edge at the threshold.
  std::set<std::pair<int, int>> direct;
  for (int e = 0; e < int(g.edge_count()); ++e)
    if (g.edge(e).log10_lr >= t) {
      const int a = g.seizure_of_scan(g.scan_a_index(e)), b = g.seizure_of_scan(g.scan_b_index(e));
      direct.insert({std::min(a, b), std::max(a, b)});
    }
  c.direct_truth_links = int(s.truth_links.size());
  for (const TruthLink& l : s.truth_links) {
    const int a = g.seizure_index(l.seizure_a), b = g.seizure_index(l.seizure_b);
    if (direct.count({std::min(a, b), std::max(a, b)})) ++c.direct_links_found;
  }
  return c;
}

}  // namespace tuskprint::datasets::scenario
