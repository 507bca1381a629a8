#include "ridge/orientation_field.hpp"

#include "ridge/grid_sampling.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace tuskprint::ridge {
namespace {

struct DoubledAngle {
  cv::Mat u, v, coherence;  // unit doubled-angle vector of the ridge normal, and its coherence
};

DoubledAngle doubled_angle(const GradientMoments& m, double sigma) {
  cv::Mat gxx, gyy, gxy;
  cv::GaussianBlur(m.gxx, gxx, cv::Size(), sigma, 0, cv::BORDER_REPLICATE);
  cv::GaussianBlur(m.gyy, gyy, cv::Size(), sigma, 0, cv::BORDER_REPLICATE);
  cv::GaussianBlur(m.gxy, gxy, cv::Size(), sigma, 0, cv::BORDER_REPLICATE);
  DoubledAngle d;
  d.u.create(gxx.size(), CV_32F);
  d.v.create(gxx.size(), CV_32F);
  d.coherence.create(gxx.size(), CV_32F);
  for (int y = 0; y < gxx.rows; ++y) {
    for (int x = 0; x < gxx.cols; ++x) {
      const float a = gxx.at<float>(y, x), b = gyy.at<float>(y, x), c = gxy.at<float>(y, x);
      const float u = a - b, v = 2 * c;
      const float norm = std::sqrt(u * u + v * v);
      const float energy = a + b;
      d.u.at<float>(y, x) = norm > 1e-9f ? u / norm : 1.f;
      d.v.at<float>(y, x) = norm > 1e-9f ? v / norm : 0.f;
      d.coherence.at<float>(y, x) = energy > 1e-9f ? std::min(1.f, norm / energy) : 0.f;
    }
  }
  return d;
}

}  // namespace

double OrientationField::angle_at(double x, double y) const {
  // Interpolate the doubled-angle vector, not the angle (which wraps at pi).
  const double c = sample_cells(cos2, cell, x, y), s = sample_cells(sin2, cell, x, y);
  double a = 0.5 * std::atan2(s, c);
  if (a < 0) a += CV_PI;
  return a;
}

double OrientationField::coherence_at(double x, double y) const {
  return sample_cells(coherence, cell, x, y);
}

OrientationField orientation_field(const GradientMoments& moments, const OrientationParams& params) {
  const DoubledAngle fine = doubled_angle(moments, params.fine_sigma);
  const DoubledAngle coarse = doubled_angle(moments, params.coarse_sigma);
  OrientationField f;
  f.cell = moments.cell;
  f.coherence = fine.coherence;
  f.angle.create(fine.u.size(), CV_32F);
  f.cos2.create(fine.u.size(), CV_32F);
  f.sin2.create(fine.u.size(), CV_32F);
  for (int y = 0; y < f.angle.rows; ++y) {
    for (int x = 0; x < f.angle.cols; ++x) {
      const float wf = fine.coherence.at<float>(y, x);
      const float wc = coarse.coherence.at<float>(y, x) * (1 - wf) + 1e-6f;
      const float u = wf * fine.u.at<float>(y, x) + wc * coarse.u.at<float>(y, x);
      const float v = wf * fine.v.at<float>(y, x) + wc * coarse.v.at<float>(y, x);
      // (u, v) is the doubled angle of the gradient (ridge normal); the ridge tangent
      // is perpendicular, i.e. the doubled angle turned by pi.
      double normal = 0.5 * std::atan2(v, u);
      double tangent = normal + CV_PI / 2;
      if (tangent >= CV_PI) tangent -= CV_PI;
      if (tangent < 0) tangent += CV_PI;
      f.angle.at<float>(y, x) = static_cast<float>(tangent);
      f.cos2.at<float>(y, x) = static_cast<float>(std::cos(2 * tangent));
      f.sin2.at<float>(y, x) = static_cast<float>(std::sin(2 * tangent));
    }
  }
  return f;
}

cv::Mat render_orientation_field(const OrientationField& field, cv::Size image_size) {
  cv::Mat out(image_size, CV_8UC1, cv::Scalar(0));
  const int step = 2;  // draw every other cell: one segment per 8 px at 500 ppi
  const double half = field.cell * step * 0.45;
  for (int y = step / 2; y < field.angle.rows; y += step) {
    for (int x = step / 2; x < field.angle.cols; x += step) {
      const double a = field.angle.at<float>(y, x);
      const int level = static_cast<int>(55 + 200 * field.coherence.at<float>(y, x));
      const cv::Point2d c((x + 0.5) * field.cell, (y + 0.5) * field.cell);
      const cv::Point2d d(std::cos(a) * half, std::sin(a) * half);
      cv::line(out, c - d, c + d, cv::Scalar(level), 1, cv::LINE_AA);
    }
  }
  return out;
}

}  // namespace tuskprint::ridge
