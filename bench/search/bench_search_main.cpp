// tuskprint-bench-search: 1:N search throughput and accuracy on a synthetic template gallery.
//
//   tuskprint-bench-search --gallery N --probes M [--seed S] [--index FACTORY]
//                          [--exhaustive-probes K] [--breadth B] [--rerank R]
//
// Builds a gallery of N synthetic templates (one mate per finger, template-level generator),
// runs M probes (half mated: another mate of a gallery finger; half non-mated: fingers not
// in the gallery), and prints JSON: gallery_size, probes, p50_ms, p99_ms,
// searches_per_second, rank1_indexed, rank1_exhaustive, penetration_rate,
// index_memory_bytes, build_seconds (and a few more). rank1_exhaustive compares the first K
// mated probes against every gallery template with the exact matcher; rank1_indexed_subset
// is the indexed rank-1 on the same K probes, so the two can be compared directly.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "datasets/fingerprints/random.hpp"
#include "datasets/fingerprints/template_model.hpp"
#include "index/finger_index.hpp"
#include "match/matcher.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using tuskprint::ridge::FingerTemplate;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void progress(const char* what, std::size_t done, std::size_t total) {
  if (!isatty(2)) return;
  if (done % std::max<std::size_t>(1, total / 200) != 0 && done != total) return;
  std::cerr << "\r" << what << " " << done << "/" << total << std::flush;
  if (done == total) std::cerr << "\n";
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double rank = p / 100.0 * double(v.size() - 1);
  const auto lo = std::size_t(rank);
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - double(lo));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"1:N search benchmark on a synthetic template gallery"};
  std::size_t gallery = 10000, probes = 200, exhaustive_probes = 20;
  std::uint64_t seed = 1;
  std::string factory;
  int breadth = 32, rerank = 64, neighbours = 32, code_bits = 256;
  app.add_option("--gallery", gallery, "Gallery size (templates)")->check(CLI::Range(1, 5'000'000));
  app.add_option("--probes", probes, "Probes (half mated, half non-mated)")->check(CLI::Range(1, 100000));
  app.add_option("--seed", seed, "Generator seed");
  app.add_option("--index", factory, "FAISS binary factory (default: by gallery size)");
  app.add_option("--exhaustive-probes", exhaustive_probes,
                 "Mated probes also matched exhaustively against the whole gallery");
  app.add_option("--breadth", breadth, "IVF lists visited / HNSW efSearch");
  app.add_option("--rerank", rerank, "Templates re-ranked by the exact matcher per search");
  app.add_option("--neighbours", neighbours, "Nearest codes retrieved per probe cylinder");
  app.add_option("--code-bits", code_bits, "Bits per cylinder code (multiple of 8)");
  int threads = 1;
  std::string code_kind = "projection";
  app.add_option("--code-kind", code_kind, "projection or bit-sample");
  app.add_option("--threads", threads, "Threads FAISS may use within one search");
  CLI11_PARSE(app, argc, argv);

  try {
    const tuskprint::synth::SynthParams params;
    using tuskprint::synth::derive_seed;
    // Gallery: mate 1 of fingers 1..N. Mated probes: mate 2 of evenly spaced fingers.
    // Non-mated probes: fingers beyond N.
    const std::size_t mated = (probes + 1) / 2, nonmated = probes - mated;
    const auto generation_started = Clock::now();
    std::vector<FingerTemplate> gallery_templates(gallery);
    std::vector<FingerTemplate> probe_templates;
    std::vector<std::int64_t> probe_truth;  // gallery index of the mate, -1 when none
    std::vector<std::size_t> mated_fingers;
    for (std::size_t i = 0; i < mated; ++i) mated_fingers.push_back(i * gallery / std::max<std::size_t>(1, mated));
    std::atomic<std::size_t> generated{0};
    auto generate_range = [&](std::size_t begin, std::size_t end) {
      for (std::size_t f = begin; f < end; ++f) {
        const auto master = tuskprint::synth::draw_master_minutiae(derive_seed(seed, f + 1), params);
        gallery_templates[f] = tuskprint::synth::draw_mate(master, derive_seed(seed, f + 1, 1, 7), params);
        progress("generating gallery", ++generated, gallery);
      }
    };
    {
      std::thread other(generate_range, gallery / 2, gallery);
      generate_range(0, gallery / 2);
      other.join();
    }
    for (std::size_t f : mated_fingers) {
      const auto master = tuskprint::synth::draw_master_minutiae(derive_seed(seed, f + 1), params);
      probe_templates.push_back(tuskprint::synth::draw_mate(master, derive_seed(seed, f + 1, 2, 7), params));
      probe_truth.push_back(std::int64_t(f));
    }
    for (std::size_t i = 0; i < nonmated; ++i) {
      const auto master = tuskprint::synth::draw_master_minutiae(derive_seed(seed, gallery + i + 1), params);
      probe_templates.push_back(tuskprint::synth::draw_mate(master, derive_seed(seed, gallery + i + 1, 2, 7), params));
      probe_truth.push_back(-1);
    }
    const double generation_seconds = seconds_since(generation_started);

    // Build the index (in batches, so an IVF index trains on the first batch).
    const std::size_t expected_codes = gallery * 40;
    if (factory.empty()) factory = tuskprint::index::default_binary_factory(expected_codes);
    tuskprint::index::set_index_threads(threads);
    tuskprint::index::CylinderCodeParameters code;
    code.code_bits = code_bits;
    code.kind = code_kind == "bit-sample" ? tuskprint::index::CylinderCodeKind::kBitSample
                                          : tuskprint::index::CylinderCodeKind::kProjection;
    tuskprint::index::FingerprintIndex index(factory, code);
    index.set_search_breadth(breadth);
    const auto build_started = Clock::now();
    const std::size_t batch = 20000;
    for (std::size_t start = 0; start < gallery; start += batch) {
      const std::size_t end = std::min(gallery, start + batch);
      std::vector<std::string> keys;
      std::vector<FingerTemplate> batch_templates;
      for (std::size_t i = start; i < end; ++i) {
        keys.push_back(std::to_string(i));
        batch_templates.push_back(gallery_templates[i]);
      }
      index.add_batch(keys, batch_templates);
      progress("indexing", end, gallery);
    }
    const double build_seconds = seconds_since(build_started);

    tuskprint::index::FingerSearchOptions options;
    options.top_k = 10;
    options.rerank = rerank;
    options.neighbours = neighbours;
    std::vector<double> latencies;
    std::vector<int> indexed_rank1(probe_templates.size(), 0);
    std::size_t reranked_total = 0, rank1 = 0;
    double retrieval_ms_total = 0, rerank_ms_total = 0;
    std::vector<double> nonmated_top;
    const auto search_started = Clock::now();
    for (std::size_t p = 0; p < probe_templates.size(); ++p) {
      tuskprint::index::FingerSearchStats stats;
      const auto t = Clock::now();
      const auto found = index.search(probe_templates[p], options, &stats);
      latencies.push_back(seconds_since(t) * 1000.0);
      reranked_total += stats.reranked;
      retrieval_ms_total += stats.retrieval_ms;
      rerank_ms_total += stats.rerank_ms;
      if (probe_truth[p] >= 0) {
        indexed_rank1[p] = !found.empty() && found[0].key == std::to_string(probe_truth[p]);
        rank1 += std::size_t(indexed_rank1[p]);
      } else {
        nonmated_top.push_back(found.empty() ? 0.0 : found[0].score);
      }
      progress("searching", p + 1, probe_templates.size());
    }
    const double search_seconds = seconds_since(search_started);

    // Exhaustive 1:1 against the whole gallery for the first K mated probes (two threads).
    const std::size_t k = std::min(exhaustive_probes, mated);
    std::size_t exhaustive_rank1 = 0, indexed_subset_rank1 = 0;
    const auto exhaustive_started = Clock::now();
    for (std::size_t p = 0; p < k; ++p) {
      const tuskprint::match::MatchTemplate probe(probe_templates[p]);
      std::vector<double> best(2, -1.0);
      std::vector<std::size_t> best_index(2, 0);
      auto scan = [&](int worker, std::size_t begin, std::size_t end) {
        for (std::size_t g = begin; g < end; ++g) {
          const tuskprint::match::MatchTemplate candidate(gallery_templates[g]);
          const double s = tuskprint::match::score(probe, candidate);
          if (s > best[std::size_t(worker)]) {
            best[std::size_t(worker)] = s;
            best_index[std::size_t(worker)] = g;
          }
        }
      };
      std::thread other(scan, 1, gallery / 2, gallery);
      scan(0, 0, gallery / 2);
      other.join();
      const std::size_t winner = best[1] > best[0] ? best_index[1] : best_index[0];
      exhaustive_rank1 += winner == std::size_t(probe_truth[p]);
      indexed_subset_rank1 += std::size_t(indexed_rank1[p]);
      progress("exhaustive matching", p + 1, k);
    }
    const double exhaustive_seconds = seconds_since(exhaustive_started);

    nlohmann::json out;
    out["gallery_size"] = gallery;
    out["probes"] = probe_templates.size();
    out["mated_probes"] = mated;
    out["index"] = factory;
    out["search_breadth"] = breadth;
    out["rerank"] = rerank;
    out["code_bits"] = code_bits;
    out["code_kind"] = code_kind;
    out["neighbours"] = neighbours;
    out["p50_ms"] = percentile(latencies, 50);
    out["p99_ms"] = percentile(latencies, 99);
    out["mean_retrieval_ms"] = retrieval_ms_total / double(probe_templates.size());
    out["mean_rerank_ms"] = rerank_ms_total / double(probe_templates.size());
    out["searches_per_second"] = double(probe_templates.size()) / search_seconds;
    out["rank1_indexed"] = mated ? double(rank1) / double(mated) : 0.0;
    if (k > 0) {
      out["rank1_exhaustive"] = double(exhaustive_rank1) / double(k);
      out["rank1_indexed_subset"] = double(indexed_subset_rank1) / double(k);
    } else {
      out["rank1_exhaustive"] = nullptr;
      out["rank1_indexed_subset"] = nullptr;
    }
    out["exhaustive_probes"] = k;
    out["exhaustive_seconds"] = exhaustive_seconds;
    out["penetration_rate"] = double(reranked_total) / double(probe_templates.size()) / double(gallery);
    out["index_memory_bytes"] = index.memory_bytes();
    out["index_codes"] = index.code_count();
    out["build_seconds"] = build_seconds;
    out["generation_seconds"] = generation_seconds;
    out["nonmated_top_score_p50"] = percentile(nonmated_top, 50);
    out["nonmated_top_score_max"] = nonmated_top.empty() ? 0.0 : *std::max_element(nonmated_top.begin(), nonmated_top.end());
    std::cout << out.dump(2) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "tuskprint-bench-search: error: " << e.what() << "\n";
    return 2;
  }
}
