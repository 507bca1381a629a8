// Generator speed on one core: master print, plain impression (target < 200 ms), ivory
// latent, and template-level sets (10,000 templates; 100,000 should take < 60 s).
#include <benchmark/benchmark.h>

#include "datasets/fingerprints/impression.hpp"
#include "datasets/fingerprints/latent.hpp"
#include "datasets/fingerprints/master.hpp"
#include "datasets/fingerprints/template_model.hpp"

namespace tuskprint::synth {
namespace {

const MasterFingerprint& bench_master() {
  static const MasterFingerprint m = generate_master(4242, FingerClass::kLeftLoop, SynthParams());
  return m;
}

void BM_MasterPrint(benchmark::State& state) {
  const SynthParams params;
  std::uint64_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(generate_master(seed++, std::nullopt, params));
}
BENCHMARK(BM_MasterPrint)->Unit(benchmark::kMillisecond);

void BM_PlainImpression500ppi(benchmark::State& state) {
  const SynthParams params;
  const MasterFingerprint& m = bench_master();
  std::uint64_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(render_impression(m, seed++, params));
}
BENCHMARK(BM_PlainImpression500ppi)->Unit(benchmark::kMillisecond);

void BM_IvoryLatent1000ppi(benchmark::State& state) {
  const SynthParams params;
  const MasterFingerprint& m = bench_master();
  std::uint64_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(render_latent(m, seed++, params));
}
BENCHMARK(BM_IvoryLatent1000ppi)->Unit(benchmark::kMillisecond);

void BM_Templates(benchmark::State& state) {
  const SynthParams params;
  const int templates = static_cast<int>(state.range(0));
  std::uint64_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(generate_template_set(templates / 4, 4, seed++, params));
  state.SetItemsProcessed(state.iterations() * templates);
}
BENCHMARK(BM_Templates)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tuskprint::synth

BENCHMARK_MAIN();
