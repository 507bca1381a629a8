#pragma once
// Small generated cross-sections for the Schreger tests (about 500 x 500 px).
#include <opencv2/imgproc.hpp>

#include "datasets/tusks/cross_section.hpp"
#include "datasets/tusks/tusk_model.hpp"
#include "image/decode.hpp"

namespace tuskprint::schreger::testing {

inline constexpr double kTestPpi = 200.0;

inline datasets::tusks::GeneratorOptions small_options() {
  datasets::tusks::GeneratorOptions o;
  o.ppi = kTestPpi;
  o.cdj_radius_min_mm = 24.0;
  o.cdj_radius_max_mm = 26.0;
  return o;
}

inline image::DecodedImage as_scan(const cv::Mat& bgr) {
  image::DecodedImage d;
  d.colour = bgr;
  cv::cvtColor(bgr, d.grey, cv::COLOR_BGR2GRAY);
  d.width = bgr.cols;
  d.height = bgr.rows;
  d.media_type = "image/png";
  return d;
}

// A clean ivory section with outer angle `outer_deg` (and a profile rising from inner).
inline image::DecodedImage clean_section(double outer_deg, std::uint64_t seed, bool sector = false,
                                         datasets::tusks::Material m = datasets::tusks::Material::kElephant) {
  auto o = small_options();
  o.material = m;
  o.sector_fraction = sector ? 1.0 : 0.0;
  datasets::tusks::TuskModel t = datasets::tusks::sample_tusk(seed, 0, o);
  t.angles.outer_deg = outer_deg;
  t.angles.inner_deg = std::min(t.angles.inner_deg, outer_deg - 15);
  datasets::tusks::SliceModel s = datasets::tusks::sample_slice(t, seed, 0, 0, o);
  s.jpeg_quality = 0;
  return as_scan(datasets::tusks::render_slice(t, s).bgr);
}

}  // namespace tuskprint::schreger::testing
