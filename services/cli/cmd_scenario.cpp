// `tuskprint synth scenario`: a generated investigation (seizures in several countries,
// lifts, reference prints, cut faces, ground truth). `tuskprint eval scenario DIR`: the
// seizure link graph built end to end on it, compared with the truth. `tuskprint eval
// link-scale`: cluster query time on a large random link graph.
//
// The `synth` and `eval` groups are shared with other files: see synth_group() and
// eval_group() (the same pattern as cmd_synth.cpp and cmd_eval.cpp).
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <random>

#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "datasets/scenario/scenario.hpp"
#include "datasets/scenario/scenario_links.hpp"
#include "link/link_render.hpp"
#include "link/seizure_clusters.hpp"

namespace tuskprint::cli {
namespace {

namespace sc = datasets::scenario;

CLI::App* synth_group(CLI::App& app) {
  try {
    return app.get_subcommand("synth");
  } catch (const CLI::OptionNotFound&) {
    auto* group = app.add_subcommand("synth", "Synthetic data: fingerprints, latent lifts on ivory, tusks");
    group->require_subcommand(1);
    return group;
  }
}

CLI::App* eval_group(CLI::App& app) {
  try {
    return app.get_subcommand("eval");
  } catch (const CLI::OptionNotFound&) {
    auto* group = app.add_subcommand("eval", "Accuracy evaluations on public and synthetic data sets");
    group->require_subcommand(1);
    return group;
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// -- synth scenario ----------------------------------------------------------------------

struct SynthOptions {
  std::uint64_t seed = 1;
  std::string out;
  bool json = false;
};

int run_synth(const SynthOptions& o) {
  void (*progress)(int, int) = nullptr;
  if (isatty(2) != 0)
    progress = [](int done, int total) {
      std::cerr << "\rsynth scenario: scan " << done << "/" << total << std::flush;
      if (done == total) std::cerr << "\n";
    };
  const sc::Scenario s = sc::generate_scenario({o.seed, o.out}, progress);
  if (o.json) {
    std::cout << nlohmann::json{{"out", o.out}, {"seizures", s.seizures.size()}, {"specimens", s.specimens.size()},
                                {"scans", s.scans.size()}, {"truth_links", s.truth_links.size()},
                                {"truth_clusters", s.truth_clusters}}
                     .dump()
              << "\n";
  } else {
    std::cout << "wrote " << s.seizures.size() << " seizures, " << s.specimens.size() << " specimens, "
              << s.scans.size() << " scans and manifest.json to " << o.out << " (" << s.truth_links.size()
              << " true seizure links in " << s.truth_clusters.size() << " clusters)\n";
  }
  return 0;
}

// -- eval scenario -----------------------------------------------------------------------

struct EvalOptions {
  std::string dir;
  double min_log10_lr = link::kDefaultMinLog10Lr;
  sc::LrModelPaths lr = sc::default_lr_model_paths();
  std::string dot, png, scores;
  bool json = false;
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  TP_CHECK(out.good(), kInvalidArgument, "cannot write " << path);
}

// Every scored pair with its truth: for fitting and checking LR calibrations.
void write_scores(const std::string& path, const sc::Scenario& s, const link::LinkGraph& g) {
  std::map<std::string, std::string> source;
  for (const sc::ScanRecord& c : s.scans) source[c.id] = c.source.substr(0, c.source.find('/'));
  std::ostringstream os;
  os << "modality,scan_a,scan_b,same_source,raw_score,log10_lr\n";
  for (int e = 0; e < int(g.edge_count()); ++e) {
    const link::MatchEdge& m = g.edge(e);
    os << link::to_string(m.modality) << "," << m.scan_a << "," << m.scan_b << ","
       << (source[m.scan_a] == source[m.scan_b] ? 1 : 0) << "," << std::setprecision(9) << m.raw_score << ","
       << m.log10_lr << "\n";
  }
  write_text(path, os.str());
}

int run_eval(const EvalOptions& o) {
  const sc::Scenario s = sc::load_scenario(o.dir);
  const link::LrFunctions lr = sc::load_lr_functions(o.lr);
  std::function<void(int, int)> progress;
  if (isatty(2) != 0)
    progress = [](int done, int total) {
      std::cerr << "\reval scenario: features " << done << "/" << total << std::flush;
      if (done == total) std::cerr << "\n";
    };
  const sc::LinkRun run = sc::link_scenario(s, lr, progress);
  const auto summaries = link::clusters(run.graph, o.min_log10_lr);
  const sc::TruthComparison cmp = sc::compare_with_truth(s, run.graph, o.min_log10_lr);
  if (!o.scores.empty()) write_scores(o.scores, s, run.graph);
  const std::string dot = link::clusters_dot(run.graph, summaries);
  if (!o.dot.empty()) write_text(o.dot, dot);
  if (!o.png.empty()) {
    const auto png = link::render_png(dot);
    write_text(o.png, std::string(png.begin(), png.end()));
  }
  nlohmann::ordered_json truth{{"clusters_exact", cmp.clusters_exact},
                               {"true_clusters", s.truth_clusters},
                               {"recovered_clusters", cmp.recovered_clusters},
                               {"true_pairs", cmp.true_pairs},
                               {"recovered_true_pairs", cmp.recovered_true_pairs},
                               {"false_pairs", cmp.false_pairs},
                               {"missed", cmp.missed},
                               {"spurious", cmp.spurious},
                               {"direct_truth_links", cmp.direct_truth_links},
                               {"direct_links_found", cmp.direct_links_found}};
  if (o.json) {
    nlohmann::ordered_json j{{"scenario", o.dir},
                             {"seed", s.seed},
                             {"scans", s.scans.size()},
                             {"edges", run.graph.edge_count()},
                             {"unusable_scans", run.unusable_scans},
                             {"extract_seconds", run.extract_seconds},
                             {"score_seconds", run.score_seconds},
                             {"truth", truth},
                             {"links", link::clusters_json(run.graph, summaries, o.min_log10_lr)}};
    std::cout << j.dump(1) << "\n";
  } else {
    std::cout << "scenario " << o.dir << " (seed " << s.seed << "): " << s.scans.size() << " scans, "
              << run.graph.edge_count() << " scored pairs, " << run.unusable_scans.size() << " unusable scans; "
              << std::fixed << std::setprecision(1) << run.extract_seconds << " s features, " << run.score_seconds
              << " s scoring\n";
    for (const auto& c : summaries) {
      std::cout << "cluster:";
      for (const int z : c.seizures) std::cout << " " << run.graph.seizure(z).id;
      std::cout << "  route";
      for (const auto& country : c.route.countries) std::cout << " " << country;
      std::cout << " (" << c.route.basis << "), " << c.first_date << " .. " << c.last_date << ", "
                << c.total_weight_kg << " kg\n";
      for (const auto& p : c.pairs)
        std::cout << "  " << run.graph.seizure(p.seizure_a).id << " - " << run.graph.seizure(p.seizure_b).id
                  << ": combined log10 LR " << std::setprecision(2) << p.combined_log10_lr << "\n";
    }
    std::cout << "truth: " << (cmp.clusters_exact ? "clusters recovered exactly" : "clusters differ") << "; "
              << cmp.recovered_true_pairs << "/" << cmp.true_pairs << " true seizure pairs together, "
              << cmp.false_pairs << " false; " << cmp.direct_links_found << "/" << cmp.direct_truth_links
              << " true links with a direct edge at log10 LR >= " << o.min_log10_lr << "\n";
  }
  return cmp.clusters_exact ? 0 : 3;
}

// -- eval link-scale ---------------------------------------------------------------------

struct ScaleOptions {
  int seizures = 10000;
  int edges = 100000;
  int scans_per_seizure = 4;
  std::uint64_t seed = 1;
  int repeats = 5;
  bool json = false;
};

// A random graph: every edge joins scans of two random seizures; most edges are chance
// comparisons (log10 LR ~ N(-1.5, 1)), one in 20 is a strong same-source hit (N(4, 1)).
int run_scale(const ScaleOptions& o) {
  TP_CHECK(o.seizures >= 2 && o.scans_per_seizure >= 1 && o.edges >= 0 && o.repeats >= 1, kInvalidArgument,
           "--seizures >= 2, --scans-per-seizure >= 1, --edges >= 0 and --repeats >= 1 are required");
  std::mt19937_64 rng(o.seed);
  const auto uniform = [&](int n) { return int(rng() % std::uint64_t(n)); };
  const auto normal = [&](double mean, double sd) { return std::normal_distribution<double>(mean, sd)(rng); };
  const char* countries[] = {"KEN", "TZA", "MOZ", "NGA", "MYS", "VNM", "CHN", "THA", "HKG", "SGP"};
  const auto build_start = std::chrono::steady_clock::now();
  link::LinkGraph g;
  for (int s = 0; s < o.seizures; ++s) {
    const std::string id = "SZ-" + std::to_string(s);
    g.upsert_seizure({id, countries[s % 10], "2024-0" + std::to_string(1 + s % 9) + "-1" + std::to_string(s % 10),
                      link::Role(s % 4)});
    for (int k = 0; k < o.scans_per_seizure; ++k) {
      const std::string sp = id + "-P" + std::to_string(k);
      g.upsert_specimen({sp, id, "", 5.0 + s % 20});
      g.upsert_scan({id + "-C" + std::to_string(k), id, sp,
                     k % 2 == 0 ? link::ScanKind::kLatentLift : link::ScanKind::kCrossSection, ""});
    }
  }
  for (int e = 0; e < o.edges; ++e) {
    const int a = uniform(o.seizures);
    int b = uniform(o.seizures - 1);
    b += b >= a ? 1 : 0;
    const int k = uniform(o.scans_per_seizure);
    const int k2 = (k % 2) + 2 * uniform((o.scans_per_seizure - 1 - k % 2) / 2 + 1);
    const double lr = uniform(20) == 0 ? normal(4, 1) : normal(-1.5, 1);
    g.upsert_edge({k % 2 == 0 ? link::Modality::kFinger : link::Modality::kSchreger,
                   "SZ-" + std::to_string(a) + "-C" + std::to_string(k),
                   "SZ-" + std::to_string(b) + "-C" + std::to_string(std::min(k2, o.scans_per_seizure - 1)),
                   0.1, lr, ""});
  }
  const double build_s = seconds_since(build_start);

  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const double t : {1.0, 2.0, 3.0}) {
    double components_ms = 1e300, summaries_ms = 1e300, around_ms = 1e300;
    std::size_t count = 0, largest = 0;
    for (int r = 0; r < o.repeats; ++r) {
      auto start = std::chrono::steady_clock::now();
      const auto comps = link::seizure_components(g, t);
      components_ms = std::min(components_ms, 1e3 * seconds_since(start));
      start = std::chrono::steady_clock::now();
      const auto summaries = link::clusters(g, t);
      summaries_ms = std::min(summaries_ms, 1e3 * seconds_since(start));
      count = summaries.size();
      largest = comps.empty() ? 0 : comps.front().size();
      start = std::chrono::steady_clock::now();
      for (int q = 0; q < 100; ++q) link::cluster_around(g, "SZ-" + std::to_string(uniform(o.seizures)), t);
      around_ms = std::min(around_ms, 1e3 * seconds_since(start) / 100);
    }
    rows.push_back({{"min_log10_lr", t}, {"clusters", count}, {"largest_cluster", largest},
                    {"components_ms", components_ms}, {"clusters_with_summaries_ms", summaries_ms},
                    {"cluster_around_ms", around_ms}});
  }
  if (o.json) {
    std::cout << nlohmann::ordered_json{{"seizures", g.seizure_count()}, {"scans", g.scan_count()},
                                        {"edges", g.edge_count()}, {"build_seconds", build_s}, {"queries", rows}}
                     .dump(1)
              << "\n";
  } else {
    std::cout << "graph: " << g.seizure_count() << " seizures, " << g.scan_count() << " scans, " << g.edge_count()
              << " edges, built in " << std::fixed << std::setprecision(2) << build_s << " s\n";
    for (const auto& r : rows)
      std::cout << "log10 LR >= " << std::setprecision(1) << r["min_log10_lr"].get<double>() << ": "
                << r["clusters"].get<std::size_t>() << " clusters (largest " << r["largest_cluster"].get<std::size_t>()
                << "), components " << std::setprecision(2) << r["components_ms"].get<double>()
                << " ms, clusters with summaries " << r["clusters_with_summaries_ms"].get<double>()
                << " ms, cluster_around " << std::setprecision(3) << r["cluster_around_ms"].get<double>()
                << " ms (best of " << o.repeats << ")\n";
  }
  return 0;
}

const bool registered = register_commands("scenario", [](CLI::App& app, Context& ctx) {
  auto synth = std::make_shared<SynthOptions>();
  auto* s = synth_group(app)->add_subcommand(
      "scenario", "A generated investigation: seizures in several countries, latent lifts, reference prints and "
                  "tusk cut faces, with the truth of which seizures share a finger or a tusk (manifest.json)");
  s->add_option("--seed", synth->seed, "Seed: the same seed gives the same files")->capture_default_str();
  s->add_option("--out", synth->out, "Output directory (created if missing)")->required();
  s->add_flag("--json", synth->json, "Print a JSON summary");
  s->callback([&ctx, synth] { ctx.exit_code = run_guarded([&] { return run_synth(*synth); }); });

  auto eval = std::make_shared<EvalOptions>();
  auto* e = eval_group(app)->add_subcommand(
      "scenario", "Build the seizure link graph end to end on a `synth scenario` folder (features, 1:1 scores, "
                  "log10 LR, clusters) and compare it with the truth. Exit status 3 when the clusters differ.");
  e->add_option("DIR", eval->dir, "Scenario folder")->required();
  e->add_option("--min-log10-lr", eval->min_log10_lr,
                "Link threshold: an edge links two seizures when log10 LR >= this (2: the evidence is 100 times "
                "more likely if the scans share a source)")
      ->capture_default_str();
  e->add_option("--finger-lr", eval->lr.finger, "Fingerprint LR model, mark-to-print (engine/lr JSON)")
      ->capture_default_str();
  e->add_option("--schreger-lr", eval->lr.schreger, "Schreger LR model, facing cut faces (engine/lr JSON)")
      ->capture_default_str();
  e->add_option("--mark-to-mark-lr", eval->lr.mark_to_mark,
                "LR model for latent-latent pairs (none by default: such pairs are not compared, since the "
                "finger model is fitted on latents against prints)");
  e->add_option("--dot", eval->dot, "Write the cluster graph as GraphViz DOT");
  e->add_option("--png", eval->png, "Write the cluster graph as PNG (runs GraphViz dot)");
  e->add_option("--scores", eval->scores, "Write every scored pair with its truth as CSV");
  e->add_flag("--json", eval->json, "Print the truth comparison and the clusters as JSON");
  e->callback([&ctx, eval] { ctx.exit_code = run_guarded([&] { return run_eval(*eval); }); });

  auto scale = std::make_shared<ScaleOptions>();
  auto* l = eval_group(app)->add_subcommand(
      "link-scale", "Time link-graph cluster queries on a random graph (best of --repeats, single thread)");
  l->add_option("--seizures", scale->seizures, "Seizures")->capture_default_str();
  l->add_option("--edges", scale->edges, "Edges (random scan pairs)")->capture_default_str();
  l->add_option("--scans-per-seizure", scale->scans_per_seizure, "Scans per seizure")->capture_default_str();
  l->add_option("--seed", scale->seed, "Seed")->capture_default_str();
  l->add_option("--repeats", scale->repeats, "Repeats per query")->capture_default_str();
  l->add_flag("--json", scale->json, "Print JSON");
  l->callback([&ctx, scale] { ctx.exit_code = run_guarded([&] { return run_scale(*scale); }); });
});

}  // namespace
}  // namespace tuskprint::cli
