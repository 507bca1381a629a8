// Google Benchmark of the friction-ridge extractor on one 500 ppi print: the whole
// extract() and each stage alone. Uses FVC2002 DB1_B/101_1.tif under $TUSKPRINT_SHARED
// when present, else a synthetic print (concentric sinusoidal ridges, period 9 px).
//   build-<you>/bin/bench_ridge            (ms per print: the BM_Extract line)
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "image/decode.hpp"
#include "ridge/binarised_image.hpp"
#include "ridge/enhanced_image.hpp"
#include "ridge/extract.hpp"
#include "ridge/gradient_moments.hpp"
#include "ridge/minutiae_detection.hpp"
#include "ridge/minutiae_filter.hpp"
#include "ridge/orientation_field.hpp"
#include "ridge/repaired_skeleton.hpp"
#include "ridge/ridge_frequency.hpp"
#include "ridge/segmentation_mask.hpp"
#include "ridge/skeleton.hpp"

namespace tuskprint::ridge {
namespace {

cv::Mat synthetic_print() {
  cv::Mat image(374, 388, CV_8UC1, cv::Scalar(230));
  const cv::Point2d centre(194, 200);
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const double dx = (x - centre.x) / 150.0, dy = (y - centre.y) / 180.0;
      if (dx * dx + dy * dy > 1) continue;
      const double r = std::hypot(x - centre.x, (y - centre.y) * 0.8);
      image.at<std::uint8_t>(y, x) =
          static_cast<std::uint8_t>(128 + 90 * std::cos(2 * CV_PI * r / 9.0 + 0.02 * x));
    }
  }
  return image;
}

const cv::Mat& test_print() {
  static const cv::Mat print = [] {
    const char* shared = std::getenv("TUSKPRINT_SHARED");
    const std::string path = std::string(shared ? shared : "/work/shared") +
                             "/data/fvc2002/DB1_B/101_1.tif";
    if (std::filesystem::exists(path)) return image::load_file(path).grey;
    return synthetic_print();
  }();
  return print;
}

void BM_Extract(benchmark::State& state) {
  const cv::Mat& print = test_print();
  std::size_t minutiae = 0;
  for (auto _ : state) {
    FingerTemplate t = extract(print, 500);
    minutiae = t.minutiae.size();
    benchmark::DoNotOptimize(t);
  }
  state.counters["minutiae"] = static_cast<double>(minutiae);
}
BENCHMARK(BM_Extract)->Unit(benchmark::kMillisecond);

// Stage by stage, each fed with the real output of the stages before it.
struct Stages {
  Params p = default_params();
  cv::Mat grey = test_print();
  GradientMoments moments = gradient_moments(grey, p.gradient);
  SegmentationMask mask = segmentation_mask(moments, grey.size(), p.segmentation);
  OrientationField field = orientation_field(moments, p.orientation);
  RidgeFrequency frequency = ridge_frequency(grey, field, mask, p.frequency);
  cv::Mat enhanced = enhanced_image(grey, field, frequency, mask, p.enhancement);
  cv::Mat binary = binarised_image(enhanced, mask, p.binarisation);
  cv::Mat thin = skeleton(binary);
  cv::Mat repaired = repaired_skeleton(thin, field, p.filters);
};

const Stages& stages() {
  static const Stages s;
  return s;
}

void BM_GradientMoments(benchmark::State& state) {
  const Stages& s = stages();
  for (auto _ : state) benchmark::DoNotOptimize(gradient_moments(s.grey, s.p.gradient));
}
void BM_Segmentation(benchmark::State& state) {
  const Stages& s = stages();
  for (auto _ : state)
    benchmark::DoNotOptimize(segmentation_mask(s.moments, s.grey.size(), s.p.segmentation));
}
void BM_OrientationField(benchmark::State& state) {
  const Stages& s = stages();
  for (auto _ : state) benchmark::DoNotOptimize(orientation_field(s.moments, s.p.orientation));
}
void BM_RidgeFrequency(benchmark::State& state) {
  const Stages& s = stages();
  for (auto _ : state)
    benchmark::DoNotOptimize(ridge_frequency(s.grey, s.field, s.mask, s.p.frequency));
}
void BM_Enhancement(benchmark::State& state) {
  const Stages& s = stages();
  for (auto _ : state)
    benchmark::DoNotOptimize(enhanced_image(s.grey, s.field, s.frequency, s.mask, s.p.enhancement));
}
void BM_Binarisation(benchmark::State& state) {
  const Stages& s = stages();
  for (auto _ : state) benchmark::DoNotOptimize(binarised_image(s.enhanced, s.mask, s.p.binarisation));
}
void BM_Thinning(benchmark::State& state) {
  const Stages& s = stages();
  for (auto _ : state) benchmark::DoNotOptimize(skeleton(s.binary));
}
void BM_MinutiaeAndFilters(benchmark::State& state) {
  const Stages& s = stages();
  for (auto _ : state) {
    const cv::Mat repaired = repaired_skeleton(s.thin, s.field, s.p.filters);
    benchmark::DoNotOptimize(filtered_minutiae(
        detect_minutiae(repaired, s.mask.pixels, s.field, s.p.minutiae), s.mask, s.field,
        s.p.filters));
  }
}
BENCHMARK(BM_GradientMoments)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Segmentation)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OrientationField)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RidgeFrequency)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Enhancement)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Binarisation)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Thinning)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MinutiaeAndFilters)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tuskprint::ridge

BENCHMARK_MAIN();
