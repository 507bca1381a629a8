#pragma once
// Stage 6b: one-pixel-wide ridge skeleton (Zhang-Suen thinning) and the skeleton
// neighbourhood primitives shared by minutiae detection and the false-minutia filters.
#include <array>
#include <vector>

#include <opencv2/core.hpp>

namespace tuskprint::ridge {

// CV_8U, 1 = skeleton pixel, 0 elsewhere; the outermost rows/columns are always 0, so
// 8-neighbour reads at any skeleton pixel stay inside the image.
cv::Mat skeleton(const cv::Mat& binarised);

// The 8 neighbour offsets in circular order (E, NE, N, NW, W, SW, S, SE).
inline const std::array<cv::Point, 8> kRing = {
    cv::Point{1, 0}, cv::Point{1, -1}, cv::Point{0, -1}, cv::Point{-1, -1},
    cv::Point{-1, 0}, cv::Point{-1, 1}, cv::Point{0, 1}, cv::Point{1, 1}};

// Crossing number: half the number of 0/1 transitions around p (1 = ending,
// 2 = ridge continues, 3+ = bifurcation or crossing). p must not lie on the image border.
int crossing_number(const cv::Mat& skel, cv::Point p);

// One pixel to start each branch leaving p (one per run of set neighbours, a 4-neighbour
// when the run has one).
std::vector<cv::Point> branch_starts(const cv::Mat& skel, cv::Point p);

struct Trace {
  std::vector<cv::Point> path;  // excluding the start pixel
  bool reached_minutia = false; // ended on a pixel whose crossing number is not 2
  cv::Point end;                // last pixel of the path (== path.back() when not empty)
};

// Follows the skeleton from `from` through `first` for at most max_length pixels,
// stopping at the first pixel whose crossing number is not 2. `avoid` pixels are never
// entered (the other branches of a bifurcation).
Trace trace_ridge(const cv::Mat& skel, cv::Point from, cv::Point first, int max_length,
                  const std::vector<cv::Point>& avoid = {});

// A display image: skeleton white on black.
cv::Mat render_skeleton(const cv::Mat& skel);

}  // namespace tuskprint::ridge
