#include "ridge/repaired_skeleton.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "ridge/minutiae_detection.hpp"
#include "ridge/skeleton.hpp"

namespace tuskprint::ridge {
namespace {

void erase(cv::Mat& skel, const std::vector<cv::Point>& pixels, std::size_t count) {
  for (std::size_t i = 0; i < count && i < pixels.size(); ++i) skel.at<std::uint8_t>(pixels[i]) = 0;
}

std::vector<cv::Point> pixels_with(const cv::Mat& skel, bool (*keep)(int)) {
  std::vector<cv::Point> out;
  for (int y = 1; y + 1 < skel.rows; ++y) {
    const auto* row = skel.ptr<std::uint8_t>(y);
    for (int x = 1; x + 1 < skel.cols; ++x)
      if (row[x] && keep(crossing_number(skel, {x, y}))) out.emplace_back(x, y);
  }
  return out;
}

bool is_ending(int cn) { return cn == 1; }
bool is_bifurcation(int cn) { return cn >= 3; }
bool is_isolated(int cn) { return cn == 0; }

// Acute angle between a segment and the ridge flow, in [0, pi/2].
double angle_to_flow(cv::Point2d segment, double flow) {
  const double a = std::atan2(segment.y, segment.x);
  double d = std::fmod(std::abs(a - flow), CV_PI);
  return std::min(d, CV_PI - d);
}

void remove_spurs_and_fragments(cv::Mat& skel, const FilterParams& p) {
  for (const cv::Point& e : pixels_with(skel, is_isolated)) skel.at<std::uint8_t>(e) = 0;
  const int length = std::max(p.spur_length, p.fragment_length);
  for (const cv::Point& e : pixels_with(skel, is_ending)) {
    if (!skel.at<std::uint8_t>(e) || crossing_number(skel, e) != 1) continue;
    const std::vector<cv::Point> starts = branch_starts(skel, e);
    if (starts.empty()) continue;
    const Trace t = trace_ridge(skel, e, starts.front(), length);
    if (!t.reached_minutia) continue;
    const int n = static_cast<int>(t.path.size());
    const int cn_end = crossing_number(skel, t.end);
    if (cn_end >= 3 && n < p.spur_length) {
      skel.at<std::uint8_t>(e) = 0;
      erase(skel, t.path, t.path.size() - 1);  // keep the junction pixel
    } else if (cn_end == 1 && n < p.fragment_length) {
      skel.at<std::uint8_t>(e) = 0;
      erase(skel, t.path, t.path.size());
    }
  }
}

void remove_lakes_and_bridges(cv::Mat& skel, const OrientationField& field, const FilterParams& p) {
  const int length = std::max(p.lake_length, p.bridge_length);
  for (const cv::Point& b : pixels_with(skel, is_bifurcation)) {
    if (!skel.at<std::uint8_t>(b) || crossing_number(skel, b) < 3) continue;
    const std::vector<cv::Point> starts = branch_starts(skel, b);
    std::vector<Trace> links;  // branches ending on another junction
    for (const cv::Point& s : starts) {
      std::vector<cv::Point> others;
      for (const cv::Point& o : starts)
        if (o != s) others.push_back(o);
      Trace t = trace_ridge(skel, b, s, length, others);
      if (t.reached_minutia && t.path.size() >= 2 && crossing_number(skel, t.end) >= 3)
        links.push_back(std::move(t));
    }
    bool done = false;
    // Lake: two branches meeting again at (nearly) the same junction.
    for (std::size_t i = 0; i < links.size() && !done; ++i) {
      for (std::size_t j = i + 1; j < links.size() && !done; ++j) {
        const cv::Point d = links[i].end - links[j].end;
        if (std::max(std::abs(d.x), std::abs(d.y)) > 2) continue;
        if (static_cast<int>(std::max(links[i].path.size(), links[j].path.size())) >= p.lake_length)
          continue;
        const Trace& longer = links[i].path.size() >= links[j].path.size() ? links[i] : links[j];
        erase(skel, longer.path, longer.path.size() - 1);
        done = true;
      }
    }
    if (done) continue;
    // Bridge: a short link that crosses the flow.
    for (const Trace& t : links) {
      if (static_cast<int>(t.path.size()) >= p.bridge_length) continue;
      const cv::Point2d mid = (cv::Point2d(b) + cv::Point2d(t.end)) * 0.5;
      const double flow = field.angle_at(mid.x, mid.y);
      if (angle_to_flow(cv::Point2d(t.end - b), flow) < p.bridge_min_angle) continue;
      erase(skel, t.path, t.path.size() - 1);
      break;
    }
  }
}

bool line_is_clear(const cv::Mat& skel, cv::Point a, cv::Point b) {
  cv::LineIterator it(skel, a, b, 8);
  for (int i = 0; i < it.count; ++i, ++it) {
    const cv::Point q = it.pos();
    const cv::Point da = q - a, db = q - b;
    if (std::max(std::abs(da.x), std::abs(da.y)) <= 1 || std::max(std::abs(db.x), std::abs(db.y)) <= 1)
      continue;
    if (skel.at<std::uint8_t>(q)) return false;
  }
  return true;
}

void join_gaps(cv::Mat& skel, const FilterParams& p) {
  const std::vector<cv::Point> endings = pixels_with(skel, is_ending);
  std::vector<cv::Point2d> outward(endings.size());
  for (std::size_t i = 0; i < endings.size(); ++i)
    outward[i] = ending_outward(skel, endings[i], 8);
  struct Pair {
    double distance;
    std::size_t a, b;
  };
  std::vector<Pair> pairs;
  const double cos_max = std::cos(p.gap_max_angle);
  for (std::size_t i = 0; i < endings.size(); ++i) {
    for (std::size_t j = i + 1; j < endings.size(); ++j) {
      const cv::Point2d d(endings[j] - endings[i]);
      const double distance = std::hypot(d.x, d.y);
      if (distance >= p.gap_length || distance < 1) continue;
      const cv::Point2d u = d / distance;
      if (outward[i].dot(u) < cos_max || outward[j].dot(-u) < cos_max) continue;
      pairs.push_back({distance, i, j});
    }
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const Pair& x, const Pair& y) { return x.distance < y.distance; });
  std::vector<bool> used(endings.size(), false);
  for (const Pair& pair : pairs) {
    if (used[pair.a] || used[pair.b]) continue;
    if (!line_is_clear(skel, endings[pair.a], endings[pair.b])) continue;
    cv::line(skel, endings[pair.a], endings[pair.b], cv::Scalar(1), 1, cv::LINE_8);
    used[pair.a] = used[pair.b] = true;
  }
}

}  // namespace

cv::Mat repaired_skeleton(const cv::Mat& skel, const OrientationField& field,
                          const FilterParams& params) {
  cv::Mat out = skel.clone();
  for (int round = 0; round < params.repair_rounds; ++round) {
    join_gaps(out, params);
    remove_spurs_and_fragments(out, params);
    remove_lakes_and_bridges(out, field, params);
  }
  // Drawing and erasing can leave corners of 2 px thickness: thin once more.
  cv::Mat thick = out * 255;
  out = skeleton(thick);
  return out;
}

}  // namespace tuskprint::ridge
