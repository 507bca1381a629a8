// tuskprint-bench-search: 1:N search throughput and accuracy on a synthetic template gallery.
//
//   tuskprint-bench-search --gallery N --probes M [--seed S] [--index FACTORY]
//                          [--exhaustive-probes K] [--breadth B] [--rerank R] [--voting V]
//                          [--variant "voting=count neighbours=64 ..."]... [--cache-dir DIR]
//                          [--fvc DIR] [--code-inner-radius R] [--code-cells C]
//
// Builds a gallery of N synthetic templates (one mate per finger, template-level generator),
// runs M probes (half mated: another mate of a gallery finger; half non-mated: fingers not
// in the gallery), and prints JSON: gallery_size, probes, p50_ms, p99_ms,
// searches_per_second, rank1_indexed, rank1_exhaustive, penetration_rate,
// index_memory_bytes, peak_resident_bytes (whole process), build_seconds (and a few more). rank1_exhaustive compares the first K
// mated probes against every gallery template with the exact matcher; rank1_indexed_subset
// is the indexed rank-1 on the same K probes, so the two can be compared directly.
//
// Diagnostics per run: where the true mate stood after each stage (in the shortlist after
// voting, among the re-ranked after stage 2, first after re-ranking), and rank-1 by probe
// size (tercile of the probe's valid cylinders).
//
// --variant runs the same probes again with other search settings on the same index (one
// JSON object per variant under "variants"). --cache-dir keeps the generated gallery and
// the built index in files, so later runs with the same seed, size and index settings skip
// both (build_seconds then reports the original build, index_loaded_from_cache says so).
//
// --fvc DIR (FVC2002 layout: DIR/DB1_B, DB2_B, DB3_B): the first impression of every finger
// is enrolled next to the N synthetic distractors; probes are all other impressions; prints
// the CMC (rank-1 / rank-10, indexed and exhaustive) instead of the synthetic probes.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "bench/common/stats.hpp"
#include "bench/search/server_run.hpp"
#include "datasets/fingerprints/random.hpp"
#include "datasets/fingerprints/template_file.hpp"
#include "datasets/fingerprints/template_model.hpp"
#include "datasets/fvc/fvc_layout.hpp"
#include "image/decode.hpp"
#include "index/byte_io.hpp"
#include "index/finger_index.hpp"
#include "match/matcher.hpp"
#include "ridge/extract.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using tuskprint::ridge::FingerTemplate;
namespace idx = tuskprint::index;
using tuskprint::bench::percentile;
using tuskprint::bench::seconds_since;

// CPU time of the calling thread: on a shared machine, wall time also counts the waiting.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Peak resident memory of the process so far (VmHWM), in bytes; 0 where /proc is absent.
std::size_t peak_resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::size_t(std::stoull(line.substr(6))) * 1024;
  }
  return 0;
}

void progress(const char* what, std::size_t done, std::size_t total) {
  if (!isatty(2)) return;
  if (done % std::max<std::size_t>(1, total / 200) != 0 && done != total) return;
  std::cerr << "\r" << what << " " << done << "/" << total << std::flush;
  if (done == total) std::cerr << "\n";
}

// Search settings of one run over the probes.
struct Variant {
  idx::FingerSearchOptions options;
  int breadth = 128;

  nlohmann::json describe() const {
    return {{"voting", options.voting == idx::Voting::kCount ? "count" : "geometric"},
            {"neighbours", options.neighbours},
            {"probe_hits", options.probe_hits},
            {"shortlist", options.shortlist},
            {"rerank", options.rerank},
            {"search_breadth", breadth},
            {"vote_weight", options.vote_weight_in_shortlist},
            {"rerank_by_vote", options.rerank_by_vote},
            {"vote_rank_scale", options.vote_rank_scale},
            {"small_probe_cylinders", options.small_probe_cylinders},
            {"small_probe_shortlist", options.small_probe_shortlist},
            {"shortlist_per_million", options.shortlist_per_million},
            {"small_probe_rerank", options.small_probe_rerank}};
  }
};

idx::Voting parse_voting(const std::string& text) {
  if (text == "count") return idx::Voting::kCount;
  if (text == "geometric") return idx::Voting::kGeometric;
  throw std::invalid_argument("voting must be count or geometric, got '" + text + "'");
}

// "voting=count neighbours=64 ..." on top of `base`.
Variant parse_variant(const std::string& text, Variant base) {
  std::istringstream in(text);
  std::string item;
  while (in >> item) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("variant item '" + item + "' is not key=value");
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "voting") base.options.voting = parse_voting(value);
    else if (key == "neighbours") base.options.neighbours = std::stoi(value);
    else if (key == "shortlist") base.options.shortlist = std::stoi(value);
    else if (key == "hits") base.options.probe_hits = std::stoi(value);
    else if (key == "rerank") base.options.rerank = std::stoi(value);
    else if (key == "breadth") base.breadth = std::stoi(value);
    else if (key == "vote_weight") base.options.vote_weight_in_shortlist = std::stod(value);
    else if (key == "rerank_by_vote") base.options.rerank_by_vote = std::stoi(value);
    else if (key == "rank_scale") base.options.vote_rank_scale = std::stod(value);
    else if (key == "small") base.options.small_probe_cylinders = std::stoi(value);
    else if (key == "small_rerank") base.options.small_probe_rerank = std::stoi(value);
    else if (key == "small_shortlist") base.options.small_probe_shortlist = std::stoi(value);
    else if (key == "shortlist_per_million") base.options.shortlist_per_million = std::stoi(value);
    else throw std::invalid_argument("unknown variant key '" + key + "'");
  }
  return base;
}

struct Probe {
  FingerTemplate finger;
  std::string mate_key;  // empty for a non-mated probe
  std::size_t mate_index = 0;  // gallery position of the mate
};

// Exhaustive 1:1 matching of `probes` against the whole gallery on two threads, gallery
// template outermost so each gallery template's cylinders are built once. Returns, per
// probe, the 0-based rank of its mate (how many gallery templates scored higher).
std::vector<long> exhaustive_ranks(const std::vector<Probe>& probes,
                                   const std::vector<FingerTemplate>& gallery) {
  std::vector<tuskprint::match::MatchTemplate> probe_templates;
  for (const auto& p : probes) probe_templates.emplace_back(p.finger);
  // Pass 1: mate scores. Pass 2 (fused): count better scores per probe.
  std::vector<double> mate_score(probes.size());
  for (std::size_t p = 0; p < probes.size(); ++p) {
    mate_score[p] = tuskprint::match::score(probe_templates[p],
                                            tuskprint::match::MatchTemplate(gallery[probes[p].mate_index]));
  }
  std::vector<std::vector<long>> better(2, std::vector<long>(probes.size(), 0));
  std::atomic<std::size_t> done{0};
  auto scan = [&](int worker, std::size_t begin, std::size_t end) {
    for (std::size_t g = begin; g < end; ++g) {
      const tuskprint::match::MatchTemplate candidate(gallery[g]);
      for (std::size_t p = 0; p < probes.size(); ++p) {
        if (g == probes[p].mate_index) continue;
        if (tuskprint::match::score(probe_templates[p], candidate) > mate_score[p]) {
          ++better[std::size_t(worker)][p];
        }
      }
      progress("exhaustive matching", ++done, gallery.size());
    }
  };
  std::thread other(scan, 1, gallery.size() / 2, gallery.size());
  scan(0, 0, gallery.size() / 2);
  other.join();
  std::vector<long> ranks(probes.size());
  for (std::size_t p = 0; p < probes.size(); ++p) ranks[p] = better[0][p] + better[1][p];
  return ranks;
}

struct RunResult {
  nlohmann::json json;
  std::vector<long> final_rank;  // per probe, -1 when the mate was not returned
};

RunResult run_variant(idx::FingerprintIndex& index, const std::vector<Probe>& probes,
                      const Variant& variant, std::size_t gallery_size) {
  index.set_search_breadth(variant.breadth);
  std::vector<double> latencies, cpu_latencies, nonmated_top;
  nlohmann::json misses = nlohmann::json::array();
  std::size_t reranked_total = 0, mated = 0, rank1 = 0, rank10 = 0;
  std::size_t voted = 0, in_shortlist = 0, in_rerank = 0;
  double retrieval_ms = 0, rerank_ms = 0;
  std::vector<long> final_rank(probes.size(), -1);
  std::vector<std::pair<std::size_t, bool>> size_and_hit;  // probe cylinders, rank-1
  const auto started = Clock::now();
  for (std::size_t p = 0; p < probes.size(); ++p) {
    idx::FingerSearchOptions options = variant.options;
    options.top_k = 10;
    options.trace_key = probes[p].mate_key;
    idx::FingerSearchStats stats;
    const auto t = Clock::now();
    const double cpu = thread_cpu_seconds();
    const auto found = index.search(probes[p].finger, options, &stats);
    latencies.push_back(seconds_since(t) * 1000.0);
    cpu_latencies.push_back((thread_cpu_seconds() - cpu) * 1000.0);
    reranked_total += stats.reranked;
    retrieval_ms += stats.retrieval_ms;
    rerank_ms += stats.rerank_ms;
    if (!probes[p].mate_key.empty()) {
      ++mated;
      final_rank[p] = stats.trace_final_rank;
      const bool hit = stats.trace_final_rank == 0;
      rank1 += hit;
      rank10 += stats.trace_final_rank >= 0 && stats.trace_final_rank < 10;
      voted += stats.trace_vote_rank >= 0;
      // On the shortlist the search actually used (it grows for small probes and large galleries).
      in_shortlist += stats.trace_shortlist_rank >= 0;
      in_rerank += stats.trace_reranked;
      size_and_hit.emplace_back(stats.probe_cylinders, hit);
      if (!hit) {
        misses.push_back({{"probe", p}, {"probe_cylinders", stats.probe_cylinders},
                          {"vote_rank", stats.trace_vote_rank},
                          {"shortlist_rank", stats.trace_shortlist_rank},
                          {"final_rank", stats.trace_final_rank}});
      }
    } else {
      nonmated_top.push_back(found.empty() ? 0.0 : found[0].score);
    }
    progress("searching", p + 1, probes.size());
  }
  const double seconds = seconds_since(started);
  nlohmann::json out = variant.describe();
  const double m = double(std::max<std::size_t>(1, mated));
  out["p50_ms"] = percentile(latencies, 50);
  out["p99_ms"] = percentile(latencies, 99);
  out["p50_cpu_ms"] = percentile(cpu_latencies, 50);  // with threads = 1: one core's work
  out["p99_cpu_ms"] = percentile(cpu_latencies, 99);
  out["misses"] = misses;
  out["mean_retrieval_ms"] = retrieval_ms / double(probes.size());
  out["mean_rerank_ms"] = rerank_ms / double(probes.size());
  out["searches_per_second"] = double(probes.size()) / seconds;
  out["rank1_indexed"] = double(rank1) / m;
  out["rank10_indexed"] = double(rank10) / m;
  out["mate_voted"] = double(voted) / m;                // any retrieved code voted for the mate
  out["mate_in_shortlist"] = double(in_shortlist) / m;  // stage 1 recall
  out["mate_in_rerank"] = double(in_rerank) / m;        // stage 1+2 recall
  out["penetration_rate"] = double(reranked_total) / double(probes.size()) / double(gallery_size);
  out["nonmated_top_score_p50"] = percentile(nonmated_top, 50);
  out["nonmated_top_score_max"] =
      nonmated_top.empty() ? 0.0 : *std::max_element(nonmated_top.begin(), nonmated_top.end());
  // Rank-1 by probe size: terciles of valid probe cylinders.
  std::sort(size_and_hit.begin(), size_and_hit.end());
  nlohmann::json by_size = nlohmann::json::array();
  for (int t = 0; t < 3 && !size_and_hit.empty(); ++t) {
    const std::size_t b = size_and_hit.size() * std::size_t(t) / 3;
    const std::size_t e = size_and_hit.size() * std::size_t(t + 1) / 3;
    if (b == e) continue;
    std::size_t hits = 0;
    for (std::size_t i = b; i < e; ++i) hits += size_and_hit[i].second;
    by_size.push_back({{"probe_cylinders", {size_and_hit[b].first, size_and_hit[e - 1].first}},
                       {"probes", e - b},
                       {"rank1_indexed", double(hits) / double(e - b)}});
  }
  out["rank1_by_probe_size"] = by_size;
  return {out, final_rank};
}

// Minutiae of every image of an FVC folder, keyed "<db>/<finger>_<impression>".
struct FvcTemplate {
  std::string db;
  int finger = 0, impression = 0;
  FingerTemplate finger_template;
};

std::vector<FvcTemplate> extract_fvc(const std::string& root) {
  const std::vector<std::pair<std::string, int>> sets = {{"DB1_B", 500}, {"DB2_B", 569}, {"DB3_B", 500}};
  std::vector<FvcTemplate> out;
  for (const auto& [db, ppi] : sets) {
    const fs::path dir = fs::path(root) / db;
    if (!fs::exists(dir)) continue;
    for (const auto& image : tuskprint::datasets::fvc::list_images(dir.string())) {
      const auto decoded = tuskprint::image::load_file(image.path);
      out.push_back({db, image.finger, image.impression, tuskprint::ridge::extract(decoded.grey, ppi)});
    }
  }
  if (out.empty()) throw std::invalid_argument("no FVC folder (DB1_B, DB2_B, DB3_B) under " + root);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"1:N search benchmark on a synthetic template gallery"};
  std::size_t gallery = 10000, probes = 200, exhaustive_probes = 20;
  std::uint64_t seed = 1;
  std::string factory, cache_dir, fvc_root, voting = "geometric";
  const idx::FingerSearchOptions defaults;  // the library's defaults, unless a flag says otherwise
  int breadth = 128, rerank = defaults.rerank, neighbours = defaults.neighbours,
      shortlist = defaults.shortlist, code_bits = 512, rerank_by_vote = defaults.rerank_by_vote;
  double vote_weight = defaults.vote_weight_in_shortlist;
  std::vector<std::string> variant_texts;
  app.add_option("--gallery", gallery, "Gallery size (synthetic templates)")->check(CLI::Range(1, 5'000'000));
  app.add_option("--probes", probes, "Probes (half mated, half non-mated)")->check(CLI::Range(1, 100000));
  app.add_option("--seed", seed, "Generator seed");
  app.add_option("--index", factory, "FAISS binary factory (default: by gallery size)");
  app.add_option("--exhaustive-probes", exhaustive_probes,
                 "Mated probes also matched exhaustively against the whole gallery");
  app.add_option("--breadth", breadth, "IVF lists visited / HNSW efSearch");
  app.add_option("--rerank", rerank, "Templates re-ranked by the exact matcher per search");
  app.add_option("--shortlist", shortlist, "Best-voted templates scored on their codes");
  app.add_option("--neighbours", neighbours, "Nearest codes retrieved per probe cylinder");
  app.add_option("--voting", voting, "count or geometric");
  app.add_option("--vote-weight", vote_weight, "Weight of the retrieval vote in stage 2");
  app.add_option("--rerank-by-vote", rerank_by_vote, "Re-ranked templates taken by vote alone");
  app.add_option("--variant", variant_texts,
                 "Extra search settings to run on the same index, e.g. \"voting=count rerank=64\"");
  app.add_option("--code-bits", code_bits, "Bits per cylinder code (multiple of 8)");
  idx::CylinderCodeParameters code;
  app.add_option("--code-inner-radius", code.inner_radius,
                 "Cells sampled within this fraction of the cylinder radius");
  app.add_option("--code-cells", code.cells_per_projection, "Cells summed per code bit");
  std::string code_kind = code.kind == idx::CylinderCodeKind::kPatchProjection ? "patch" : "projection";
  app.add_option("--code-kind", code_kind, "patch (local projections), projection or bits")
      ->check(CLI::IsMember({"patch", "projection", "bits"}));
  app.add_option("--code-patch-radius", code.patch_radius, "patch codes: radius of a bit's disc, in cells");
  app.add_option("--cache-dir", cache_dir, "Keep the generated gallery and built index here");
  std::string server_data;
  app.add_option("--server-data", server_data,
                 "Search through tuskprintd instead: import the gallery into a catalog in this "
                 "folder, start the server (beside this program) twice on it (index rebuilt, "
                 "then loaded) and run the probes over gRPC");
  app.add_option("--fvc", fvc_root, "FVC2002 root (DB1_B, DB2_B, DB3_B): CMC with synthetic distractors");
  int threads = 1, build_threads = 2;
  app.add_option("--threads", threads, "Threads FAISS may use within one search");
  app.add_option("--build-threads", build_threads, "Threads for building the index");
  CLI11_PARSE(app, argc, argv);

  try {
    Variant base;
    base.options.voting = parse_voting(voting);
    base.options.neighbours = neighbours;
    base.options.shortlist = shortlist;
    base.options.rerank = rerank;
    base.options.vote_weight_in_shortlist = vote_weight;
    base.options.rerank_by_vote = rerank_by_vote;
    base.breadth = breadth;
    std::vector<Variant> variants{base};
    for (const auto& text : variant_texts) variants.push_back(parse_variant(text, base));

    const tuskprint::synth::SynthParams params;
    using tuskprint::synth::derive_seed;
    if (!cache_dir.empty()) fs::create_directories(cache_dir);
    const std::string stem = "s" + std::to_string(seed) + "-n" + std::to_string(gallery);

    // Gallery: mate 1 of fingers 1..N (from the cache file when there is one).
    const auto generation_started = Clock::now();
    std::vector<FingerTemplate> gallery_templates(gallery);
    const fs::path gallery_file = cache_dir.empty() ? fs::path() : fs::path(cache_dir) / ("gallery-" + stem + ".tpsyn");
    bool gallery_from_cache = false;
    if (!gallery_file.empty() && fs::exists(gallery_file)) {
      auto file = tuskprint::synth::read_template_file(gallery_file);
      if (file.header.seed == seed && file.templates.size() == gallery) {
        for (std::size_t i = 0; i < gallery; ++i) gallery_templates[i] = std::move(file.templates[i].tpl);
        gallery_from_cache = true;
      }
    }
    if (!gallery_from_cache) {
      std::atomic<std::size_t> generated{0};
      auto generate_range = [&](std::size_t begin, std::size_t end) {
        for (std::size_t f = begin; f < end; ++f) {
          const auto master = tuskprint::synth::draw_master_minutiae(derive_seed(seed, f + 1), params);
          gallery_templates[f] = tuskprint::synth::draw_mate(master, derive_seed(seed, f + 1, 1, 7), params);
          progress("generating gallery", ++generated, gallery);
        }
      };
      std::thread other(generate_range, gallery / 2, gallery);
      generate_range(0, gallery / 2);
      other.join();
      if (!gallery_file.empty()) {
        tuskprint::synth::TemplateFileHeader header;
        header.seed = seed;
        header.fingers = std::uint32_t(gallery);
        header.mates = 1;
        std::vector<tuskprint::synth::SyntheticTemplate> records(gallery);
        for (std::size_t i = 0; i < gallery; ++i) {
          records[i] = {std::uint32_t(i + 1), 1, gallery_templates[i]};
        }
        tuskprint::synth::write_template_file(gallery_file, header, records);
      }
    }
    const double generation_seconds = seconds_since(generation_started);

    // Probes: synthetic (mate 2 of evenly spaced gallery fingers; fingers beyond N), or FVC.
    std::vector<Probe> probe_set;
    std::vector<std::string> keys(gallery);
    for (std::size_t i = 0; i < gallery; ++i) keys[i] = std::to_string(i);
    std::vector<std::string> fvc_keys;
    std::vector<FingerTemplate> fvc_gallery;
    if (fvc_root.empty()) {
      const std::size_t mated = (probes + 1) / 2, nonmated = probes - mated;
      for (std::size_t i = 0; i < mated; ++i) {
        const std::size_t f = i * gallery / std::max<std::size_t>(1, mated);
        const auto master = tuskprint::synth::draw_master_minutiae(derive_seed(seed, f + 1), params);
        probe_set.push_back({tuskprint::synth::draw_mate(master, derive_seed(seed, f + 1, 2, 7), params),
                             keys[f], f});
      }
      for (std::size_t i = 0; i < nonmated; ++i) {
        const auto master = tuskprint::synth::draw_master_minutiae(derive_seed(seed, gallery + i + 1), params);
        probe_set.push_back({tuskprint::synth::draw_mate(master, derive_seed(seed, gallery + i + 1, 2, 7), params),
                             "", 0});
      }
    } else {
      const auto prints = extract_fvc(fvc_root);
      std::map<std::string, std::size_t> enrolled;  // "<db>/<finger>" -> gallery position
      for (const auto& t : prints) {
        if (t.impression != 1) continue;
        const std::string key = t.db + "/" + std::to_string(t.finger);
        enrolled[key] = gallery + fvc_gallery.size();
        fvc_keys.push_back(key);
        fvc_gallery.push_back(t.finger_template);
      }
      for (const auto& t : prints) {
        const std::string key = t.db + "/" + std::to_string(t.finger);
        if (t.impression == 1 || enrolled.count(key) == 0) continue;
        probe_set.push_back({t.finger_template, key, enrolled[key]});
      }
    }

    if (!server_data.empty()) {
      if (!fvc_root.empty()) throw std::runtime_error("--server-data runs synthetic galleries only (no --fvc)");
      std::vector<tuskprint::bench::ServerProbe> server_probes;
      for (const auto& p : probe_set)
        server_probes.push_back({p.finger, p.mate_key.empty() ? -1L : long(p.mate_index)});
      tuskprint::bench::ServerRunSettings settings;
      settings.data_dir = server_data;
      const fs::path bin = fs::canonical("/proc/self/exe").parent_path();
      settings.server_binary = bin / "tuskprintd";
      settings.cli_binary = bin / "tuskprint";
      settings.seed = seed;
      nlohmann::json out = tuskprint::bench::run_through_server(gallery_templates, server_probes, settings);
      out["gallery_size"] = gallery;
      out["probes"] = probe_set.size();
      out["generation_seconds"] = generation_seconds;
      out["gallery_loaded_from_cache"] = gallery_from_cache;
      std::cout << out.dump(2) << std::endl;
      return 0;
    }

    // Build the index (in batches, so an IVF index trains on the first batch), or load it.
    const std::size_t expected_codes = (gallery + fvc_gallery.size()) * 40;
    if (factory.empty()) factory = idx::default_binary_factory(expected_codes);
    code.code_bits = code_bits;
    code.kind = code_kind == "patch"        ? idx::CylinderCodeKind::kPatchProjection
                : code_kind == "projection" ? idx::CylinderCodeKind::kProjection
                                            : idx::CylinderCodeKind::kBitSample;
    const idx::CylinderCodeParameters default_code;
    std::string code_stem = "-b" + std::to_string(code_bits);
    if (code.inner_radius != default_code.inner_radius || code.cells_per_projection != default_code.cells_per_projection) {
      code_stem += "-r" + std::to_string(int(std::lround(code.inner_radius * 100))) + "-c" +
                   std::to_string(code.cells_per_projection);
    }
    if (code.kind != default_code.kind || code.patch_radius != default_code.patch_radius) {
      code_stem += "-" + code_kind;
      if (code.kind == idx::CylinderCodeKind::kPatchProjection) {
        code_stem += std::to_string(int(std::lround(code.patch_radius * 10)));
      }
    }
    idx::set_index_threads(build_threads);
    const fs::path index_file =
        cache_dir.empty() || !fvc_root.empty()
            ? fs::path()
            : fs::path(cache_dir) / ("index-" + stem + "-" + factory + code_stem + ".tpfidx");
    std::unique_ptr<idx::FingerprintIndex> index;
    bool index_from_cache = false;
    nlohmann::json build;
    constexpr const char* kCacheTag = "TPBENCH1";
    if (!index_file.empty() && fs::exists(index_file) && fs::exists(index_file.string() + ".json")) {
      try {
        // Streamed like the server's index file: no second copy of a 4 GB index in memory.
        idx::load_checksummed_file(index_file, kCacheTag, "cached index",
                                   [&](idx::ByteSource& in) { index = idx::FingerprintIndex::read(in); });
        std::ifstream meta(index_file.string() + ".json");
        build = nlohmann::json::parse(meta);
        index_from_cache = true;
      } catch (const tuskprint::Error& e) {
        std::cerr << "cached index not used (" << e.what() << "): building it\n";
        index.reset();
      }
    }
    if (!index_from_cache) {
      index = std::make_unique<idx::FingerprintIndex>(factory, code);
      const auto build_started = Clock::now();
      const double build_cpu = process_cpu_seconds();
      const std::size_t batch = 20000;
      std::vector<std::string> all_keys = keys;
      all_keys.insert(all_keys.end(), fvc_keys.begin(), fvc_keys.end());
      // FVC prints go into the first batch, so their codes also train the coarse quantiser.
      std::vector<std::size_t> order;
      for (std::size_t i = 0; i < fvc_keys.size(); ++i) order.push_back(gallery + i);
      for (std::size_t i = 0; i < gallery; ++i) order.push_back(i);
      for (std::size_t start = 0; start < order.size(); start += batch) {
        const std::size_t end = std::min(order.size(), start + batch);
        std::vector<std::string> batch_keys;
        std::vector<FingerTemplate> batch_templates;
        for (std::size_t i = start; i < end; ++i) {
          const std::size_t g = order[i];
          batch_keys.push_back(all_keys[g]);
          batch_templates.push_back(g < gallery ? gallery_templates[g] : fvc_gallery[g - gallery]);
        }
        index->add_batch(batch_keys, batch_templates);
        progress("indexing", end, order.size());
      }
      const auto& bs = index->build_stats();
      build = {{"build_seconds", seconds_since(build_started)},
               {"build_cpu_seconds", process_cpu_seconds() - build_cpu},
               {"build_threads", build_threads},
               {"encode_seconds", bs.encode_seconds},
               {"train_seconds", bs.train_seconds},
               {"insert_seconds", bs.insert_seconds}};
      if (!index_file.empty()) {
        idx::save_checksummed_file(index_file, kCacheTag, [&](idx::ByteSink& out) { index->write(out); });
        std::ofstream(index_file.string() + ".json") << build.dump();
      }
    }
    idx::set_index_threads(threads);

    // Exhaustive 1:1 for the first K mated probes (all FVC probes), gallery = synthetic + FVC.
    std::vector<Probe> exhaustive_set;
    for (const auto& p : probe_set) {
      // FVC: every probe unless --exhaustive-probes 0 (the CMC needs them all).
      const bool wanted = !fvc_root.empty() ? exhaustive_probes > 0 : exhaustive_set.size() < exhaustive_probes;
      if (!p.mate_key.empty() && wanted) {
        exhaustive_set.push_back(p);
      }
    }
    std::vector<FingerTemplate> whole_gallery;
    const std::vector<FingerTemplate>* exhaustive_gallery = &gallery_templates;
    if (!fvc_gallery.empty()) {
      whole_gallery = gallery_templates;
      whole_gallery.insert(whole_gallery.end(), fvc_gallery.begin(), fvc_gallery.end());
      exhaustive_gallery = &whole_gallery;
    }

    nlohmann::json out;
    out["gallery_size"] = gallery + fvc_gallery.size();
    out["synthetic_templates"] = gallery;
    out["probes"] = probe_set.size();
    out["index"] = factory;
    out["code_bits"] = code_bits;
    out["code_inner_radius"] = code.inner_radius;
    out["code_cells_per_bit"] = code.cells_per_projection;
    out["code_kind"] = code_kind;
    if (code.kind == idx::CylinderCodeKind::kPatchProjection) out["code_patch_radius"] = code.patch_radius;
    out["index_memory_bytes"] = index->memory_bytes();
    out["index_codes"] = index->code_count();
    out["index_loaded_from_cache"] = index_from_cache;
    out["gallery_loaded_from_cache"] = gallery_from_cache;
    out["generation_seconds"] = generation_seconds;
    for (const auto& [k, v] : build.items()) out[k] = v;

    std::vector<RunResult> runs;
    for (const auto& v : variants) runs.push_back(run_variant(*index, probe_set, v, gallery + fvc_gallery.size()));

    const auto exhaustive_started = Clock::now();
    const std::vector<long> exhaustive =
        exhaustive_set.empty() ? std::vector<long>{} : exhaustive_ranks(exhaustive_set, *exhaustive_gallery);
    out["exhaustive_probes"] = exhaustive_set.size();
    out["exhaustive_seconds"] = seconds_since(exhaustive_started);
    auto share = [&](auto&& predicate) {
      std::size_t n = 0;
      for (long r : exhaustive) n += predicate(r) ? 1 : 0;
      return exhaustive.empty() ? nlohmann::json(nullptr) : nlohmann::json(double(n) / double(exhaustive.size()));
    };
    out["rank1_exhaustive"] = share([](long r) { return r == 0; });
    nlohmann::json exhaustive_misses = nlohmann::json::array();  // probe position, mate rank
    for (std::size_t e = 0, p = 0; p < probe_set.size() && e < exhaustive.size(); ++p) {
      if (probe_set[p].mate_key.empty()) continue;
      if (exhaustive[e] != 0) exhaustive_misses.push_back({p, exhaustive[e]});
      ++e;
    }
    out["exhaustive_misses"] = exhaustive_misses;
    out["rank10_exhaustive"] = share([](long r) { return r < 10; });

    // The exhaustive probes are the first mated probes, in order: compare like with like.
    nlohmann::json variants_json = nlohmann::json::array();
    for (auto& run : runs) {
      std::size_t subset = 0, subset1 = 0;
      for (std::size_t p = 0; p < probe_set.size() && subset < exhaustive.size(); ++p) {
        if (probe_set[p].mate_key.empty()) continue;
        subset1 += run.final_rank[p] == 0;
        ++subset;
      }
      run.json["rank1_indexed_subset"] =
          subset == 0 ? nlohmann::json(nullptr) : nlohmann::json(double(subset1) / double(subset));
      variants_json.push_back(run.json);
    }
    for (const auto& [k, v] : variants_json[0].items()) out[k] = v;
    if (variants_json.size() > 1) out["variants"] = variants_json;
    out["peak_resident_bytes"] = peak_resident_bytes();  // whole process, gallery included
    std::cout << out.dump(2) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "tuskprint-bench-search: error: " << e.what() << "\n";
    return 2;
  }
}
