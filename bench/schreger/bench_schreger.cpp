// Schreger pipeline throughput: a whole ~2000 x 2000 px section (the budget is
// < 1 s), a cut piece, and the 1:1 link comparison.
#include <benchmark/benchmark.h>

#include <opencv2/imgproc.hpp>

#include "datasets/tusks/cross_section.hpp"
#include "datasets/tusks/tusk_model.hpp"
#include "schreger/link_compare.hpp"
#include "schreger/measure.hpp"

namespace {

using namespace tuskprint;

// `pulp_offset`: the pattern centre's offset from the outline centre, fraction of the radius
// (< 0: the tusk's own).
image::DecodedImage section(double ppi, double cdj_mm, bool sector, double pulp_offset = -1) {
  datasets::tusks::GeneratorOptions o;
  o.ppi = ppi;
  o.cdj_radius_min_mm = cdj_mm;
  o.cdj_radius_max_mm = cdj_mm;
  o.sector_fraction = sector ? 1.0 : 0.0;
  auto t = datasets::tusks::sample_tusk(2024, 0, o);
  if (pulp_offset >= 0) t.pulp_offset_x = pulp_offset, t.pulp_offset_y = 0;
  const auto s = datasets::tusks::sample_slice(t, 2024, 0, 0, o);
  image::DecodedImage d;
  d.colour = datasets::tusks::render_slice(t, s).bgr;
  cv::cvtColor(d.colour, d.grey, cv::COLOR_BGR2GRAY);
  d.width = d.grey.cols;
  d.height = d.grey.rows;
  return d;
}

// 600 ppi, CDJ radius 34 mm: a 2000 x 2000 px photograph.
void BM_MeasureWhole2000px(benchmark::State& state) {
  const image::DecodedImage img = section(600, 34, false);
  state.counters["width"] = img.width;
  state.counters["height"] = img.height;
  for (auto _ : state) benchmark::DoNotOptimize(schreger::measure(img, 600));
}
BENCHMARK(BM_MeasureWhole2000px)->Unit(benchmark::kMillisecond);

void BM_MeasureSector300ppi(benchmark::State& state) {
  const image::DecodedImage img = section(300, 30, true);
  for (auto _ : state) benchmark::DoNotOptimize(schreger::measure(img, 300));
}
BENCHMARK(BM_MeasureSector300ppi)->Unit(benchmark::kMillisecond);

// The worst case of the pattern centre: a 600 ppi cut piece whose outline centres ~7 mm (20 %
// of the radius) off the pattern centre, so the first fit moves too far to be believed and is
// confirmed by further unwraps and fits around the moved centre (it ends ~0.15 mm off).
void BM_MeasureSectorFarCentre600ppi(benchmark::State& state) {
  const image::DecodedImage img = section(600, 34, true, 0.12);
  state.counters["width"] = img.width;
  state.counters["height"] = img.height;
  for (auto _ : state) benchmark::DoNotOptimize(schreger::measure(img, 600));
}
BENCHMARK(BM_MeasureSectorFarCentre600ppi)->Unit(benchmark::kMillisecond);

// One re-ranking step of a search: the probe's transforms are made once; the candidate's
// plain transforms are made from its stored map (as SectionSearch does), then both
// registrations (mirrored and plain) over every rotation and +-5 % scale.
void BM_LinkCompare(benchmark::State& state) {
  const auto a = schreger::measure(section(200, 30, false), 200).link;
  const auto b = schreger::measure(section(200, 28, false), 200).link;
  const schreger::LinkFace probe = schreger::prepare_link_face(a);
  for (auto _ : state)
    benchmark::DoNotOptimize(schreger::compare_link_faces(probe, schreger::prepare_link_face(b, {}, false)).score);
}
BENCHMARK(BM_LinkCompare)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
