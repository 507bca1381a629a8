#include "ridge/image_quality.hpp"

#include <algorithm>
#include <sstream>

#include <opencv2/core.hpp>

namespace tuskprint::ridge {

ImageQuality image_quality(const SegmentationMask& mask, const OrientationField& field,
                           const std::vector<Minutia>& minutiae, const QualityParams& params) {
  ImageQuality q;
  q.foreground_px = mask.foreground_px();
  if (cv::countNonZero(mask.cells) > 0) q.mean_coherence = cv::mean(field.coherence, mask.cells)[0];

  const double coherence_term = std::clamp((q.mean_coherence - 0.2) / 0.5, 0.0, 1.0);
  const double area_term = std::clamp(q.foreground_px / params.full_area_px, 0.0, 1.0);
  const double count_term =
      std::clamp(static_cast<double>(minutiae.size()) / params.full_minutiae, 0.0, 1.0);
  double minutia_quality = 0;
  for (const Minutia& m : minutiae) minutia_quality += m.quality;
  if (!minutiae.empty()) minutia_quality /= minutiae.size();
  q.score = static_cast<float>(
      100.0 * (0.35 * coherence_term + 0.25 * area_term + 0.25 * count_term + 0.15 * minutia_quality));

  std::ostringstream reason;
  if (q.foreground_px < params.min_foreground_px) {
    reason << "foreground too small (" << static_cast<long>(q.foreground_px) << " px at 500 ppi, need "
           << static_cast<long>(params.min_foreground_px) << ")";
  } else if (q.mean_coherence < params.min_mean_coherence) {
    reason << "ridge flow too incoherent (mean coherence " << q.mean_coherence << ", need "
           << params.min_mean_coherence << ")";
  } else if (static_cast<int>(minutiae.size()) < params.min_minutiae) {
    reason << "too few minutiae (" << minutiae.size() << ", need " << params.min_minutiae << ")";
  }
  q.reason = reason.str();
  q.too_poor_to_search = !q.reason.empty();
  if (q.too_poor_to_search) q.score = std::min(q.score, 20.f);
  return q;
}

}  // namespace tuskprint::ridge
