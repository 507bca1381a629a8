#pragma once
// Bilinear sampling of CV_32F grids (cell fields, images) with clamping at the edges.
#include <algorithm>

#include <opencv2/core.hpp>

namespace tuskprint::ridge {

// Value of `grid` at fractional (column, row) coordinates, clamped to the grid.
inline float sample_bilinear(const cv::Mat& grid, double gx, double gy) {
  gx = std::clamp(gx, 0.0, grid.cols - 1.0);
  gy = std::clamp(gy, 0.0, grid.rows - 1.0);
  const int x0 = static_cast<int>(gx), y0 = static_cast<int>(gy);
  const int x1 = std::min(x0 + 1, grid.cols - 1), y1 = std::min(y0 + 1, grid.rows - 1);
  const float fx = static_cast<float>(gx - x0), fy = static_cast<float>(gy - y0);
  const float* r0 = grid.ptr<float>(y0);
  const float* r1 = grid.ptr<float>(y1);
  const float top = r0[x0] * (1 - fx) + r0[x1] * fx;
  const float bottom = r1[x0] * (1 - fx) + r1[x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

// Value of a cell field at pixel (x, y): cell (i, j) holds the value at its centre.
inline float sample_cells(const cv::Mat& cells, int cell, double x, double y) {
  return sample_bilinear(cells, x / cell - 0.5, y / cell - 0.5);
}

}  // namespace tuskprint::ridge
