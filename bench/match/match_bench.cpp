// Hot paths of the MCC matcher: cylinder creation per template and one 1:1 comparison in
// each mode. Templates are synthetic (45 minutiae over a 320 x 360 px finger, the size of
// an FVC2002 DB1 print at 500 ppi); the comparison is a genuine-like pair (rotated,
// shifted, jittered copy), which costs the same as an impostor pair.
// items_per_second of BM_Compare is comparisons per second on one core.
#include <benchmark/benchmark.h>

#include "match/matcher.hpp"
#include "../../tests/match/synthetic_minutiae.hpp"

namespace {

using namespace tuskprint;

void BM_CylinderCreation(benchmark::State& state) {
  const auto finger = match::testing::random_template(1, static_cast<int>(state.range(0)), 400, 450);
  for (auto _ : state) {
    match::MatchTemplate t(finger);
    benchmark::DoNotOptimize(t.cylinders().bits.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CylinderCreation)->Arg(30)->Arg(45)->Arg(70)->Unit(benchmark::kMicrosecond);

void BM_Compare(benchmark::State& state) {
  const auto mode = static_cast<match::Mode>(state.range(0));
  const int count = static_cast<int>(state.range(1));
  const auto source = match::testing::random_template(2, count, 400, 450);
  const match::MatchTemplate a(source);
  const match::MatchTemplate b(match::testing::moved_copy(source, 0.4f, 20, -10, 2.0f, 0.08f, 3));
  for (auto _ : state) benchmark::DoNotOptimize(match::score(a, b, mode));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(match::to_string(mode)) + " cylinders " + std::to_string(a.cylinders().size()) +
                 "x" + std::to_string(b.cylinders().size()));
}
BENCHMARK(BM_Compare)
    ->ArgsProduct({{static_cast<int>(match::Mode::kLssFloat), static_cast<int>(match::Mode::kLssBit),
                    static_cast<int>(match::Mode::kLssrFloat), static_cast<int>(match::Mode::kLssrBit)},
                   {45}})
    ->Args({static_cast<int>(match::Mode::kLssrBit), 30})
    ->Args({static_cast<int>(match::Mode::kLssrBit), 70})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
