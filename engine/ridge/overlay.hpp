#pragma once
// What an examiner looks at: minutiae drawn over the print, and every transparency stage
// written to a folder.
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/transparency.hpp"
#include "ridge/template.hpp"

namespace tuskprint::ridge {

// `image` at `ppi` is brought to the template's working resolution and drawn in colour:
// endings as red circles, bifurcations as green squares, each with a tick along its
// direction (length grows with quality).
cv::Mat render_overlay(const cv::Mat& image, int ppi, const FingerTemplate& t);

// While alive, writes each transparency item of this thread to `directory`:
// "<NN>-<key>.png" for images (8-bit as is, other depths scaled to 0..255) and
// "<NN>-<key>.json" for text. The directory must exist (kNotFound otherwise).
class StageDump {
 public:
  explicit StageDump(std::string directory);
  ~StageDump();
  StageDump(const StageDump&) = delete;
  StageDump& operator=(const StageDump&) = delete;

  const std::vector<std::string>& written() const { return written_; }

 private:
  void write(const transparency::Item& item);

  std::string directory_;
  std::vector<std::string> written_;
  int counter_ = 0;
  std::unique_ptr<transparency::ScopedSink> sink_;
};

// An 8-bit image for display from any single- or three-channel Mat (scaled min..max).
cv::Mat displayable(const cv::Mat& image);

}  // namespace tuskprint::ridge
