#include "ridge/overlay.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "ridge/normalised_image.hpp"

namespace tuskprint::ridge {

cv::Mat displayable(const cv::Mat& image) {
  if (image.depth() == CV_8U) return image;
  double lo = 0, hi = 0;
  cv::minMaxLoc(image.reshape(1), &lo, &hi);
  cv::Mat out;
  const double gain = hi > lo ? 255.0 / (hi - lo) : 0.0;
  image.convertTo(out, CV_8U, gain, -lo * gain);
  return out;
}

cv::Mat render_overlay(const cv::Mat& image, int ppi, const FingerTemplate& t) {
  const NormalisedImage base = normalise_to_working_ppi(image, ppi, NormalisationParams{});
  cv::Mat out;
  cv::cvtColor(base.grey, out, cv::COLOR_GRAY2BGR);
  const cv::Scalar ending(40, 40, 230), bifurcation(40, 190, 40);
  for (const Minutia& m : t.minutiae) {
    const cv::Point2d c(m.x, m.y);
    const double length = 8 + 8 * m.quality;
    // Template directions are counter-clockwise with y up.
    const cv::Point2d tip = c + cv::Point2d(std::cos(m.direction), -std::sin(m.direction)) * length;
    const bool is_ending = m.type == MinutiaType::kEnding;
    const cv::Scalar colour = is_ending ? ending : bifurcation;
    if (is_ending) {
      cv::circle(out, c, 4, colour, 1, cv::LINE_AA);
    } else {
      cv::rectangle(out, c - cv::Point2d(4, 4), c + cv::Point2d(4, 4), colour, 1, cv::LINE_AA);
    }
    cv::line(out, c, tip, colour, 1, cv::LINE_AA);
  }
  return out;
}

StageDump::StageDump(std::string directory) : directory_(std::move(directory)) {
  TP_CHECK(std::filesystem::is_directory(directory_), kNotFound,
           "stage dump directory '" << directory_ << "' does not exist");
  sink_ = std::make_unique<transparency::ScopedSink>(
      [this](const transparency::Item& item) { write(item); });
}

StageDump::~StageDump() = default;

void StageDump::write(const transparency::Item& item) {
  std::ostringstream stem;
  stem << directory_ << '/' << std::setw(2) << std::setfill('0') << ++counter_ << '-' << item.key;
  if (item.image != nullptr && !item.image->empty()) {
    const std::string path = stem.str() + ".png";
    TP_CHECK(cv::imwrite(path, displayable(*item.image)), kInternal, "cannot write " << path);
    written_.push_back(path);
  }
  if (!item.text.empty()) {
    const std::string path = stem.str() + ".json";
    std::ofstream out(path);
    out << item.text << '\n';
    TP_CHECK(out.good(), kInternal, "cannot write " << path);
    written_.push_back(path);
  }
}

}  // namespace tuskprint::ridge
