#include "schreger/section_mask.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace tuskprint::schreger {
namespace {

// Least-squares quadratic surface a + bx + cy + dx^2 + exy + fy^2 through border pixels.
cv::Mat fit_background(const cv::Mat& channel, int border) {
  std::vector<cv::Vec6d> rows;
  std::vector<double> values;
  const int step = std::max(1, std::min(channel.cols, channel.rows) / 200);
  const double sx = 2.0 / channel.cols, sy = 2.0 / channel.rows;
  for (int y = 0; y < channel.rows; y += step)
    for (int x = 0; x < channel.cols; x += step) {
      if (x >= border && x < channel.cols - border && y >= border && y < channel.rows - border) continue;
      const double u = x * sx - 1, v = y * sy - 1;
      rows.push_back({1, u, v, u * u, u * v, v * v});
      values.push_back(channel.at<float>(y, x));
    }
  cv::Mat A(int(rows.size()), 6, CV_64F), b(int(rows.size()), 1, CV_64F);
  for (int i = 0; i < int(rows.size()); ++i) {
    for (int k = 0; k < 6; ++k) A.at<double>(i, k) = rows[i][k];
    b.at<double>(i) = values[i];
  }
  cv::Mat coef;
  cv::solve(A, b, coef, cv::DECOMP_SVD);
  cv::Mat model(channel.size(), CV_32F);
  for (int y = 0; y < channel.rows; ++y)
    for (int x = 0; x < channel.cols; ++x) {
      const double u = x * sx - 1, v = y * sy - 1;
      const double c[6] = {1, u, v, u * u, u * v, v * v};
      double m = 0;
      for (int k = 0; k < 6; ++k) m += coef.at<double>(k) * c[k];
      model.at<float>(y, x) = float(m);
    }
  return model;
}

}  // namespace

SectionMask segment_section(const WorkingImage& w, const SchregerParams& p) {
  SectionMask out;
  const int border = std::max(2, int(p.border_fraction * std::min(w.grey.cols, w.grey.rows)));
  std::vector<cv::Mat> channels;
  cv::split(w.colour, channels);
  cv::Mat dist(w.grey.size(), CV_32F, cv::Scalar(0));
  for (cv::Mat& c : channels) {
    cv::Mat diff = c - fit_background(c, border);
    dist += diff.mul(diff);
  }
  cv::sqrt(dist, dist);
  cv::GaussianBlur(dist, dist, cv::Size(), std::max(0.7, p.mask_smoothing_mm * w.px_per_mm));
  double lo, hi;
  cv::minMaxLoc(dist, &lo, &hi);
  if (hi < 12.0) return out;  // nothing stands out of the background
  cv::Mat dist8;
  dist.convertTo(dist8, CV_8U, 255.0 / hi);
  cv::Mat bin;
  const double otsu = cv::threshold(dist8, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (otsu * hi / 255.0 < 8.0) return out;  // the two classes are both background noise
  const cv::Mat k = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5));
  cv::morphologyEx(bin, bin, cv::MORPH_OPEN, k);
  cv::morphologyEx(bin, bin, cv::MORPH_CLOSE, k);

  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8, CV_32S);
  int best = -1, best_area = 0;
  for (int i = 1; i < n; ++i)
    if (stats.at<int>(i, cv::CC_STAT_AREA) > best_area) best_area = stats.at<int>(i, cv::CC_STAT_AREA), best = i;
  if (best < 0) return out;
  out.area_fraction = double(best_area) / double(bin.total());
  if (out.area_fraction < p.min_section_area || out.area_fraction > 0.97) return out;
  out.material = labels == best;
  // Fill holes: everything not reachable from the image border through non-section pixels.
  cv::Mat outside = 255 - out.material;
  cv::Mat padded;
  cv::copyMakeBorder(outside, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(255));
  cv::floodFill(padded, cv::Point(0, 0), cv::Scalar(128));
  out.filled = padded(cv::Rect(1, 1, outside.cols, outside.rows)) != 128;
  out.found = true;
  return out;
}

}  // namespace tuskprint::schreger
