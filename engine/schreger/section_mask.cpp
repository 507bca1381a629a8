#include "schreger/section_mask.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "schreger/median.hpp"

namespace tuskprint::schreger {
namespace {

// Terms of the quadratic surface a + bx + cy + dx^2 + exy + fy^2 at pixel (x, y), with the
// coordinates scaled to -1..1 across the image.
cv::Vec6d quadratic_terms(int x, int y, cv::Size size) {
  const double u = x * 2.0 / size.width - 1, v = y * 2.0 / size.height - 1;
  return {1, u, v, u * u, u * v, v * v};
}

// The background of each colour channel as a quadratic surface, fitted to the image border
// strip without the samples that belong to the section.
//
// A cut piece often reaches into the border strip, and its pixels there pull a plain
// least-squares fit towards the ivory, so that the section's far side merges with the model.
// The fit therefore starts from least median of squares (the best of kTrials surfaces through
// random kSubset-sample subsets, by the median colour distance of all samples to it: right as
// long as the background is the larger part of the strip), then refits kRefits times on the
// samples within the median distance plus kTrimMads robust standard deviations (MAD x 1.4826,
// at least kMinTrimGrey grey levels). Samples clipped at white or black say only that the background is
// at least (at most) that bright there, and stay out. The surface is clamped to the 8-bit range,
// as the scan is. Written by hand: OpenCV has no robust surface fit.
std::vector<cv::Mat> fit_background(const std::vector<cv::Mat>& channels, int border) {
  constexpr int kTrials = 64, kSubset = 12, kRefits = 3;
  constexpr double kTrimMads = 3.0, kMinTrimGrey = 6.0;
  constexpr double kWhite = 255.0, kClipMargin = 3.0;
  const cv::Size size = channels[0].size();
  const int step = std::max(1, std::min(size.width, size.height) / 200);
  std::vector<cv::Point> at;
  for (int y = 0; y < size.height; y += step)
    for (int x = 0; x < size.width; x += step)
      if (x < border || x >= size.width - border || y < border || y >= size.height - border) at.emplace_back(x, y);
  const int nc = int(channels.size());
  // The usable samples: not clipped, unless nearly all of the strip is.
  std::vector<cv::Point> usable;
  for (const cv::Point& pt : at) {
    bool clipped = false;
    for (int c = 0; c < nc; ++c) {
      const double v = channels[std::size_t(c)].at<float>(pt);
      clipped = clipped || v >= kWhite - kClipMargin || v <= kClipMargin;
    }
    if (!clipped) usable.push_back(pt);
  }
  if (int(usable.size()) < std::max(kSubset, int(at.size()) / 10)) usable = at;
  const int n = int(usable.size());
  cv::Mat terms(n, 6, CV_64F), values(n, nc, CV_64F);
  for (int i = 0; i < n; ++i) {
    const cv::Vec6d t = quadratic_terms(usable[std::size_t(i)].x, usable[std::size_t(i)].y, size);
    for (int k = 0; k < 6; ++k) terms.at<double>(i, k) = t[k];
    for (int c = 0; c < nc; ++c) values.at<double>(i, c) = channels[std::size_t(c)].at<float>(usable[std::size_t(i)]);
  }
  auto fit = [&](const std::vector<int>& rows) {
    cv::Mat A(int(rows.size()), 6, CV_64F), b(int(rows.size()), nc, CV_64F), coef;  // coef: 6 x nc
    for (std::size_t r = 0; r < rows.size(); ++r)
      terms.row(rows[r]).copyTo(A.row(int(r))), values.row(rows[r]).copyTo(b.row(int(r)));
    cv::solve(A, b, coef, cv::DECOMP_SVD);
    return coef;
  };
  // Colour distance of each sample to the surface `coef`.
  auto distances = [&](const cv::Mat& coef) {
    cv::Mat residual = values - terms * coef, sum;
    cv::reduce(residual.mul(residual), sum, 1, cv::REDUCE_SUM);
    cv::sqrt(sum, sum);
    return std::vector<double>(sum.begin<double>(), sum.end<double>());
  };
  cv::Mat coef;
  double best = std::numeric_limits<double>::infinity();
  cv::RNG rng(0x5EC7);  // fixed: the same scan gives the same mask
  std::vector<int> subset(kSubset);
  for (int trial = 0; trial < kTrials; ++trial) {
    for (int& r : subset) r = rng.uniform(0, n);
    const cv::Mat c = fit(subset);
    const double m = median_of(distances(c));
    if (m < best) best = m, coef = c;
  }
  for (int pass = 0; pass < kRefits; ++pass) {
    const std::vector<double> d = distances(coef);
    const double median = median_of(d);
    std::vector<double> spread(d.size());
    for (std::size_t i = 0; i < d.size(); ++i) spread[i] = std::abs(d[i] - median);
    const double cut = median + std::max(kMinTrimGrey, kTrimMads * 1.4826 * median_of(spread));
    std::vector<int> rows;  // at least the half within the median
    for (int i = 0; i < n; ++i)
      if (d[std::size_t(i)] <= cut) rows.push_back(i);
    coef = fit(rows);
  }
  // The surface, row by row: a + b u + c v + d u^2 + e u v + f v^2 = (a + c v + f v^2) +
  // (b + e v) u + d u^2.
  std::vector<double> u(std::size_t(size.width)), u2(std::size_t(size.width));
  for (int x = 0; x < size.width; ++x) u[std::size_t(x)] = quadratic_terms(x, 0, size)[1], u2[std::size_t(x)] = u[std::size_t(x)] * u[std::size_t(x)];
  std::vector<cv::Mat> model;
  for (int c = 0; c < nc; ++c) {
    const auto k = [&](int term) { return coef.at<double>(term, c); };
    cv::Mat m(size, CV_32F);
    for (int y = 0; y < size.height; ++y) {
      const double v = quadratic_terms(0, y, size)[2];
      const double constant = k(0) + k(2) * v + k(5) * v * v, linear = k(1) + k(4) * v;
      float* row = m.ptr<float>(y);
      for (int x = 0; x < size.width; ++x)
        row[x] = float(std::clamp(constant + linear * u[std::size_t(x)] + k(3) * u2[std::size_t(x)], 0.0, kWhite));
    }
    model.push_back(m);
  }
  return model;
}

}  // namespace

SectionMask segment_section(const WorkingImage& w, const SchregerParams& p) {
  SectionMask out;
  const int border = std::max(2, int(p.border_fraction * std::min(w.grey.cols, w.grey.rows)));
  std::vector<cv::Mat> channels;
  cv::split(w.colour, channels);
  const std::vector<cv::Mat> background = fit_background(channels, border);
  cv::Mat dist(w.grey.size(), CV_32F, cv::Scalar(0)), level(w.grey.size(), CV_32F, cv::Scalar(0));
  for (std::size_t c = 0; c < channels.size(); ++c) {
    const cv::Mat diff = channels[c] - background[c];
    dist += diff.mul(diff);
    level += background[c].mul(background[c]);
  }
  cv::sqrt(dist, dist);
  out.distance = dist;
  // Lighting scales the section and the background alike, so the distance is also taken
  // relative to the local background level (RMS over the channels, plus kDarkLevel so that the
  // noise of a dark background is not blown up), in grey levels of a mid-grey background. On a
  // lighting gradient from black to white, the section's bright side stands out far less than
  // its dark side in grey levels, and one threshold cannot hold both; where the light is merely
  // uneven, the grey-level distance keeps more of a washed-out side. A pixel belongs to the
  // section when either distance is above its own Otsu threshold.
  constexpr double kDarkLevel = 40.0, kReferenceLevel = 128.0;
  cv::sqrt(level / double(channels.size()), level);
  const cv::Mat relative = dist.mul(kReferenceLevel / (level + kDarkLevel));
  const double smoothing = std::max(0.7, p.mask_smoothing_mm * w.px_per_mm);
  cv::Mat bin = cv::Mat::zeros(dist.size(), CV_8U);
  bool stands_out = false;
  for (const cv::Mat& d : {dist, relative}) {
    cv::Mat smooth, smooth8, above;
    cv::GaussianBlur(d, smooth, cv::Size(), smoothing);
    double lo, hi;
    cv::minMaxLoc(smooth, &lo, &hi);
    if (hi < 12.0) continue;  // nothing stands out of the background
    smooth.convertTo(smooth8, CV_8U, 255.0 / hi);
    const double otsu = cv::threshold(smooth8, above, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    if (otsu * hi / 255.0 < 8.0) continue;  // the two classes are both background noise
    bin |= above;
    stands_out = true;
  }
  if (!stands_out) return out;
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
