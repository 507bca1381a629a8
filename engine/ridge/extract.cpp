#include "ridge/extract.hpp"

#include <nlohmann/json.hpp>

#include "core/transparency.hpp"
#include "ridge/binarised_image.hpp"
#include "ridge/enhanced_image.hpp"
#include "ridge/gradient_moments.hpp"
#include "ridge/image_quality.hpp"
#include "ridge/minutiae_detection.hpp"
#include "ridge/minutiae_filter.hpp"
#include "ridge/normalised_image.hpp"
#include "ridge/orientation_field.hpp"
#include "ridge/repaired_skeleton.hpp"
#include "ridge/ridge_frequency.hpp"
#include "ridge/segmentation_mask.hpp"
#include "ridge/skeleton.hpp"

namespace tuskprint::ridge {
namespace {

bool show() { return transparency::enabled(); }

std::vector<std::uint8_t> block_mask(const cv::Mat& pixels, int block, int* rows, int* cols) {
  *rows = (pixels.rows + block - 1) / block;
  *cols = (pixels.cols + block - 1) / block;
  std::vector<std::uint8_t> out(static_cast<std::size_t>(*rows) * *cols, 0);
  for (int by = 0; by < *rows; ++by) {
    for (int bx = 0; bx < *cols; ++bx) {
      const cv::Rect r = cv::Rect(bx * block, by * block, block, block) &
                         cv::Rect(0, 0, pixels.cols, pixels.rows);
      out[static_cast<std::size_t>(by) * *cols + bx] = 2 * cv::countNonZero(pixels(r)) >= r.area();
    }
  }
  return out;
}

std::string segmentation_summary(const SegmentationMask& mask) {
  return nlohmann::json{{"foreground_px", mask.foreground_px()}, {"cell", mask.cell}}.dump();
}

std::string frequency_summary(const RidgeFrequency& f) {
  return nlohmann::json{{"median_period_px", f.median_period},
                        {"measured_cells", cv::countNonZero(f.measured)}}
      .dump();
}

}  // namespace

FingerTemplate extract(const cv::Mat& image, int ppi, const Params& params) {
  const NormalisedImage input = normalise_to_working_ppi(image, ppi, params.normalisation);
  const cv::Mat& grey = input.grey;
  if (show()) transparency::emit("normalised", grey);

  const GradientMoments moments = gradient_moments(grey, params.gradient);
  SegmentationMask mask = segmentation_mask(moments, grey.size(), params.segmentation);

  const OrientationField field = orientation_field(moments, params.orientation);
  const RidgeFrequency frequency = ridge_frequency(grey, field, mask, params.frequency);
  refine_by_frequency(mask, frequency.measured, frequency.attempted, params.segmentation);
  if (show()) transparency::emit("segmentation-mask", mask.pixels, segmentation_summary(mask));
  if (show()) transparency::emit("orientation-field", render_orientation_field(field, grey.size()));
  if (show())
    transparency::emit("ridge-frequency",
                       render_ridge_frequency(frequency, grey.size(), params.frequency),
                       frequency_summary(frequency));

  const cv::Mat enhanced = enhanced_image(grey, field, frequency, mask, params.enhancement);
  if (show()) transparency::emit("enhanced", render_enhanced(enhanced));

  const cv::Mat binary = binarised_image(enhanced, mask, params.binarisation);
  if (show()) transparency::emit("binarised", binary);

  const cv::Mat thin = skeleton(binary);
  if (show()) transparency::emit("skeleton", render_skeleton(thin));

  const std::vector<Minutia> raw = detect_minutiae(thin, mask.pixels, field, params.minutiae);
  if (show()) transparency::emit_text("minutiae-raw", minutiae_json(raw));

  const cv::Mat repaired = repaired_skeleton(thin, field, params.filters);
  const std::vector<Minutia> minutiae = filtered_minutiae(
      detect_minutiae(repaired, mask.pixels, field, params.minutiae), mask, field, params.filters);
  if (show()) transparency::emit("minutiae", render_skeleton(repaired), minutiae_json(minutiae));

  const ImageQuality quality = image_quality(mask, field, minutiae, params.quality);

  FingerTemplate t;
  t.extractor_version = kExtractorVersion;
  t.parameters_hash = parameters_hash(params);
  t.width = grey.cols;
  t.height = grey.rows;
  t.ppi = kWorkingPpi;
  t.source_ppi = input.source_ppi;
  t.quality = quality.score;
  t.too_poor_to_search = quality.too_poor_to_search;
  t.quality_reason = quality.reason;
  t.minutiae = minutiae;
  int rows = 0, cols = 0;
  t.mask_block_size = params.output.mask_block;
  t.foreground_mask = block_mask(mask.pixels, params.output.mask_block, &rows, &cols);
  return t;
}

}  // namespace tuskprint::ridge
