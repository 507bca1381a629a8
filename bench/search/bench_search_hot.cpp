// Google Benchmark of the 1:N hot path on synthetic template galleries:
//   BM_CylinderCodes        encoding one template's cylinders into retrieval codes
//   BM_Search/<gallery>     end-to-end search (retrieval, code scoring, exact re-ranking)
//   BM_Retrieval/<gallery>  the same with re-ranking limited to one template
// Gallery sizes 10^4 and 10^5 (the 10^5 gallery takes a few minutes to build).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "datasets/fingerprints/random.hpp"
#include "datasets/fingerprints/template_model.hpp"
#include "index/finger_index.hpp"

namespace {

using tuskprint::index::FingerprintIndex;
using tuskprint::ridge::FingerTemplate;

constexpr std::uint64_t kSeed = 77;

FingerTemplate mate(std::size_t finger, std::uint64_t which) {
  static const tuskprint::synth::SynthParams params;
  const auto master =
      tuskprint::synth::draw_master_minutiae(tuskprint::synth::derive_seed(kSeed, finger + 1), params);
  return tuskprint::synth::draw_mate(master, tuskprint::synth::derive_seed(kSeed, finger + 1, which, 7),
                                     params);
}

FingerprintIndex& gallery(std::size_t size) {
  static std::map<std::size_t, std::unique_ptr<FingerprintIndex>> galleries;
  auto& slot = galleries[size];
  if (!slot) {
    tuskprint::index::set_index_threads(1);
    slot = std::make_unique<FingerprintIndex>(tuskprint::index::default_binary_factory(size * 40));
    for (std::size_t start = 0; start < size; start += 10000) {
      std::vector<std::string> keys;
      std::vector<FingerTemplate> templates;
      for (std::size_t i = start; i < std::min(size, start + 10000); ++i) {
        keys.push_back(std::to_string(i));
        templates.push_back(mate(i, 1));
      }
      slot->add_batch(keys, templates);
    }
  }
  return *slot;
}

void BM_CylinderCodes(benchmark::State& state) {
  const FingerTemplate t = mate(1, 1);
  FingerprintIndex index;
  std::size_t n = 0;
  for (auto _ : state) {
    index.add("k", t);
    ++n;
  }
  state.SetItemsProcessed(std::int64_t(n));
}
BENCHMARK(BM_CylinderCodes)->Unit(benchmark::kMicrosecond);

void run_search(benchmark::State& state, int rerank) {
  const auto size = std::size_t(state.range(0));
  FingerprintIndex& index = gallery(size);
  std::vector<FingerTemplate> probes;
  for (std::size_t i = 0; i < 20; ++i) probes.push_back(mate(i * size / 20, 2));
  tuskprint::index::FingerSearchOptions options;
  options.rerank = rerank;
  std::size_t p = 0, hits = 0, searches = 0;
  for (auto _ : state) {
    const auto found = index.search(probes[p % probes.size()], options);
    hits += !found.empty() && found[0].key == std::to_string((p % probes.size()) * size / 20);
    ++p;
    ++searches;
  }
  state.SetItemsProcessed(std::int64_t(searches));
  state.counters["rank1"] = double(hits) / double(searches);
}

void BM_Search(benchmark::State& state) { run_search(state, 32); }
void BM_Retrieval(benchmark::State& state) { run_search(state, 1); }
BENCHMARK(BM_Search)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Retrieval)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
