#include "ridge/skeleton.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace tuskprint::ridge {
namespace {

bool contains(const std::vector<cv::Point>& points, cv::Point p) {
  return std::find(points.begin(), points.end(), p) != points.end();
}

bool adjacent(cv::Point a, cv::Point b) {
  return std::abs(a.x - b.x) <= 1 && std::abs(a.y - b.y) <= 1 && a != b;
}

}  // namespace

namespace {

// Zhang-Suen deletion tables, one per sub-iteration, indexed by the 8-neighbour code
// (bit 0 = N, then clockwise: NE, E, SE, S, SW, W, NW).
struct ZhangSuenTables {
  std::array<std::uint8_t, 256> deletable[2];
  ZhangSuenTables() {
    for (int code = 0; code < 256; ++code) {
      auto bit = [code](int i) { return (code >> (i % 8)) & 1; };
      int neighbours = 0, transitions = 0;
      for (int i = 0; i < 8; ++i) {
        neighbours += bit(i);
        transitions += !bit(i) && bit(i + 1);
      }
      const int n = bit(0), e = bit(2), s = bit(4), w = bit(6);
      const bool base = neighbours >= 2 && neighbours <= 6 && transitions == 1;
      deletable[0][code] = base && !(n && e && s) && !(e && s && w);
      deletable[1][code] = base && !(n && e && w) && !(n && s && w);
    }
  }
};

}  // namespace

cv::Mat skeleton(const cv::Mat& binarised) {
  // Zhang-Suen thinning with lookup tables (the rules of cv::ximgproc::thinning, several
  // times faster on ridge images because only set pixels are examined).
  static const ZhangSuenTables tables;
  cv::Mat skel = cv::Mat::zeros(binarised.size(), CV_8U);
  if (binarised.rows < 3 || binarised.cols < 3) return skel;
  for (int y = 1; y + 1 < binarised.rows; ++y) {
    const auto* src = binarised.ptr<std::uint8_t>(y);
    auto* dst = skel.ptr<std::uint8_t>(y);
    for (int x = 1; x + 1 < binarised.cols; ++x) dst[x] = src[x] != 0;
  }
  const int step = static_cast<int>(skel.step);
  // Neighbour offsets in bit order N, NE, E, SE, S, SW, W, NW.
  const int offsets[8] = {-step, -step + 1, 1, step + 1, step, step - 1, -1, -step - 1};
  std::vector<int> candidates;
  for (int y = 1; y + 1 < skel.rows; ++y) {
    const auto* row = skel.ptr<std::uint8_t>(y);
    for (int x = 1; x + 1 < skel.cols; ++x)
      if (row[x]) candidates.push_back(y * step + x);
  }
  std::uint8_t* data = skel.data;
  std::vector<int> doomed;
  bool changed = true;
  while (changed) {
    changed = false;
    for (int sub = 0; sub < 2; ++sub) {
      doomed.clear();
      const auto& table = tables.deletable[sub];
      for (const int i : candidates) {
        if (!data[i]) continue;
        int code = 0;
        for (int b = 0; b < 8; ++b) code |= (data[i + offsets[b]] != 0) << b;
        if (table[code]) doomed.push_back(i);
      }
      for (const int i : doomed) data[i] = 0;
      changed = changed || !doomed.empty();
    }
    // Deleted pixels never come back: drop them from the candidates.
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                    [data](int i) { return data[i] == 0; }),
                     candidates.end());
  }
  return skel;
}

int crossing_number(const cv::Mat& skel, cv::Point p) {
  int transitions = 0;
  for (int i = 0; i < 8; ++i) {
    const cv::Point a = p + kRing[i], b = p + kRing[(i + 1) % 8];
    transitions += skel.at<std::uint8_t>(a) != skel.at<std::uint8_t>(b);
  }
  return transitions / 2;
}

std::vector<cv::Point> branch_starts(const cv::Mat& skel, cv::Point p) {
  std::array<bool, 8> set{};
  for (int i = 0; i < 8; ++i) set[i] = skel.at<std::uint8_t>(p + kRing[i]) != 0;
  std::vector<cv::Point> starts;
  // Find a clear position to begin the circular scan.
  int first_clear = -1;
  for (int i = 0; i < 8; ++i)
    if (!set[i]) {
      first_clear = i;
      break;
    }
  if (first_clear < 0) return starts;  // fully surrounded: no branches to speak of
  int i = first_clear;
  for (int step = 0; step < 8;) {
    if (!set[i % 8]) {
      ++i;
      ++step;
      continue;
    }
    // A run of set neighbours: prefer a 4-neighbour (even index in kRing).
    cv::Point chosen = p + kRing[i % 8];
    bool have_four = (i % 8) % 2 == 0;
    while (step < 8 && set[i % 8]) {
      if (!have_four && (i % 8) % 2 == 0) {
        chosen = p + kRing[i % 8];
        have_four = true;
      }
      ++i;
      ++step;
    }
    starts.push_back(chosen);
  }
  return starts;
}

Trace trace_ridge(const cv::Mat& skel, cv::Point from, cv::Point first, int max_length,
                  const std::vector<cv::Point>& avoid) {
  Trace t;
  std::vector<cv::Point> visited = avoid;
  visited.push_back(from);
  cv::Point previous = from, current = first;
  const cv::Rect inner(1, 1, skel.cols - 2, skel.rows - 2);
  while (true) {
    t.path.push_back(current);
    visited.push_back(current);
    if (!inner.contains(current)) break;
    if (crossing_number(skel, current) != 2) {
      t.reached_minutia = true;
      break;
    }
    if (static_cast<int>(t.path.size()) >= max_length) break;
    // Next pixel: an unvisited skeleton neighbour; prefer one not touching the previous
    // pixel (skips the corner pixels of staircases), then 4-neighbours.
    cv::Point next(-1, -1);
    int best_rank = 99;
    for (int i = 0; i < 8; ++i) {
      const cv::Point q = current + kRing[i];
      if (!skel.at<std::uint8_t>(q) || contains(visited, q)) continue;
      // A pixel adjacent to an earlier path pixel other than current is a staircase corner.
      const int rank = (adjacent(q, previous) ? 2 : 0) + (i % 2);
      if (rank < best_rank) {
        best_rank = rank;
        next = q;
      }
    }
    if (next.x < 0) break;
    previous = current;
    current = next;
  }
  t.end = t.path.empty() ? from : t.path.back();
  return t;
}

cv::Mat render_skeleton(const cv::Mat& skel) { return skel * 255; }

}  // namespace tuskprint::ridge
