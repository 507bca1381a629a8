#include "ridge/gradient_moments.hpp"

#include <opencv2/imgproc.hpp>

namespace tuskprint::ridge {

GradientMoments gradient_moments(const cv::Mat& grey, const GradientParams& params) {
  CV_Assert(grey.type() == CV_8UC1 && params.cell > 0);
  const int cell = params.cell;
  cv::Mat smooth;
  grey.convertTo(smooth, CV_32F);
  if (params.presmooth_sigma > 0) {
    cv::GaussianBlur(smooth, smooth, cv::Size(), params.presmooth_sigma, 0, cv::BORDER_REPLICATE);
  }
  cv::Mat gx, gy;
  cv::Sobel(smooth, gx, CV_32F, 1, 0, 3, 1.0 / 8, 0, cv::BORDER_REPLICATE);
  cv::Sobel(smooth, gy, CV_32F, 0, 1, 3, 1.0 / 8, 0, cv::BORDER_REPLICATE);

  const int rows = (grey.rows + cell - 1) / cell;
  const int cols = (grey.cols + cell - 1) / cell;
  GradientMoments m;
  m.cell = cell;
  m.gxx = cv::Mat::zeros(rows, cols, CV_32F);
  m.gyy = cv::Mat::zeros(rows, cols, CV_32F);
  m.gxy = cv::Mat::zeros(rows, cols, CV_32F);
  m.mean = cv::Mat::zeros(rows, cols, CV_32F);
  m.mean_sq = cv::Mat::zeros(rows, cols, CV_32F);
  cv::Mat count = cv::Mat::zeros(rows, cols, CV_32F);
  for (int y = 0; y < grey.rows; ++y) {
    const float* px = gx.ptr<float>(y);
    const float* py = gy.ptr<float>(y);
    const std::uint8_t* pg = grey.ptr<std::uint8_t>(y);
    const int cy = y / cell;
    float* sxx = m.gxx.ptr<float>(cy);
    float* syy = m.gyy.ptr<float>(cy);
    float* sxy = m.gxy.ptr<float>(cy);
    float* sm = m.mean.ptr<float>(cy);
    float* sm2 = m.mean_sq.ptr<float>(cy);
    float* sc = count.ptr<float>(cy);
    for (int x = 0; x < grey.cols; ++x) {
      const int cx = x / cell;
      const float g = pg[x];
      sxx[cx] += px[x] * px[x];
      syy[cx] += py[x] * py[x];
      sxy[cx] += px[x] * py[x];
      sm[cx] += g;
      sm2[cx] += g * g;
      sc[cx] += 1.f;
    }
  }
  for (cv::Mat* mat : {&m.gxx, &m.gyy, &m.gxy, &m.mean, &m.mean_sq}) cv::divide(*mat, count, *mat);
  return m;
}

}  // namespace tuskprint::ridge
