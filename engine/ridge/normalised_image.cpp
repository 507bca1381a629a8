#include "ridge/normalised_image.hpp"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace tuskprint::ridge {

NormalisedImage normalise_to_working_ppi(const cv::Mat& image, int ppi,
                                         const NormalisationParams& params) {
  TP_CHECK(!image.empty(), kInvalidArgument, "fingerprint image is empty");
  TP_CHECK(image.depth() == CV_8U, kInvalidArgument,
           "fingerprint image must be 8-bit, got OpenCV depth " << image.depth());
  TP_CHECK(image.channels() == 1 || image.channels() == 3 || image.channels() == 4,
           kInvalidArgument,
           "fingerprint image must be grey or colour, got " << image.channels() << " channels");
  TP_CHECK(ppi >= params.min_ppi && ppi <= params.max_ppi, kInvalidArgument,
           "resolution " << ppi << " ppi is outside the supported range " << params.min_ppi
                         << ".." << params.max_ppi << " ppi");

  const double scale = static_cast<double>(kWorkingPpi) / ppi;
  const int width = static_cast<int>(std::lround(image.cols * scale));
  const int height = static_cast<int>(std::lround(image.rows * scale));
  TP_CHECK(static_cast<double>(width) * height <= params.max_pixels, kResourceExhausted,
           "fingerprint image of " << image.cols << " x " << image.rows << " px at " << ppi
                                   << " ppi is too large (" << width << " x " << height
                                   << " px at 500 ppi, limit " << params.max_pixels
                                   << " px)");
  TP_CHECK(width >= params.min_side && height >= params.min_side, kInvalidArgument,
           "fingerprint image of " << image.cols << " x " << image.rows << " px at " << ppi
                                   << " ppi is too small (" << width << " x " << height
                                   << " px at 500 ppi, need at least " << params.min_side
                                   << " px per side)");

  cv::Mat grey;
  if (image.channels() == 3) {
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  } else if (image.channels() == 4) {
    cv::cvtColor(image, grey, cv::COLOR_BGRA2GRAY);
  } else {
    grey = image;
  }

  NormalisedImage out;
  out.source_ppi = ppi;
  out.scale = scale;
  if (ppi == kWorkingPpi) {
    out.grey = grey.clone();
  } else {
    // Area averaging when shrinking (no aliasing of fine powder speckle into ridges),
    // cubic when enlarging.
    const int interpolation = scale < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC;
    cv::resize(grey, out.grey, cv::Size(width, height), 0, 0, interpolation);
  }
  return out;
}

}  // namespace tuskprint::ridge
