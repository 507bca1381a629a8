#include "datasets/fingerprints/skeleton_minutiae.hpp"

#include "datasets/fingerprints/directions.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc.hpp>

namespace tuskprint::synth {
namespace {
constexpr double kPi = std::numbers::pi;
// 8-neighbours in circular order.
constexpr std::array<int, 8> kDx = {1, 1, 0, -1, -1, -1, 0, 1};
constexpr std::array<int, 8> kDy = {0, 1, 1, 1, 0, -1, -1, -1};

bool on(const cv::Mat1b& s, int x, int y) {
  return x >= 0 && y >= 0 && x < s.cols && y < s.rows && s(y, x) != 0;
}

int crossing_number(const cv::Mat1b& s, int x, int y) {
  int transitions = 0;
  for (int i = 0; i < 8; ++i) {
    const bool a = on(s, x + kDx[i], y + kDy[i]);
    const bool b = on(s, x + kDx[(i + 1) % 8], y + kDy[(i + 1) % 8]);
    transitions += a != b ? 1 : 0;
  }
  return transitions / 2;
}

struct Trace {
  cv::Point end;
  int steps = 0;
  bool hit_junction = false;
};

// Walks the skeleton from `start` (a neighbour of `origin`) for up to `length` steps.
Trace trace_branch(const cv::Mat1b& s, cv::Point origin, cv::Point start, int length) {
  Trace t;
  cv::Point cur = start;
  std::vector<cv::Point> visited = {origin, start};
  t.end = cur;
  t.steps = 1;
  while (t.steps < length) {
    if (crossing_number(s, cur.x, cur.y) >= 3) {
      t.hit_junction = true;
      break;
    }
    cv::Point best(-1, -1);
    for (int i = 0; i < 8; ++i) {
      const cv::Point n(cur.x + kDx[i], cur.y + kDy[i]);
      if (!on(s, n.x, n.y)) continue;
      if (std::find(visited.begin(), visited.end(), n) != visited.end()) continue;
      // Prefer 4-connected steps so a diagonal shortcut does not skip a pixel.
      if (best.x < 0 || (kDx[i] == 0 || kDy[i] == 0)) best = n;
    }
    if (best.x < 0) break;
    cur = best;
    visited.push_back(cur);
    t.end = cur;
    ++t.steps;
  }
  return t;
}

// Starting pixels of the branches leaving (x, y): one per run of set neighbours.
std::vector<cv::Point> branch_starts(const cv::Mat1b& s, int x, int y) {
  std::vector<cv::Point> starts;
  for (int i = 0; i < 8; ++i) {
    const bool here = on(s, x + kDx[i], y + kDy[i]);
    const bool before = on(s, x + kDx[(i + 7) % 8], y + kDy[(i + 7) % 8]);
    if (!here || before) continue;
    // The run starts at i; take its first 4-connected pixel if any, else its first pixel.
    int pick = i;
    for (int j = i; j < i + 8; ++j) {
      const int k = j % 8;
      if (!on(s, x + kDx[k], y + kDy[k])) break;
      if (kDx[k] == 0 || kDy[k] == 0) {
        pick = k;
        break;
      }
    }
    starts.emplace_back(x + kDx[pick], y + kDy[pick]);
  }
  return starts;
}

double image_angle(cv::Point from, cv::Point to) {
  return std::atan2(static_cast<double>(to.y - from.y), static_cast<double>(to.x - from.x));
}

double angle_difference(double a, double b) {
  double d = std::fmod(std::abs(a - b), 2 * kPi);
  return d > kPi ? 2 * kPi - d : d;
}

struct Candidate {
  cv::Point p;
  ridge::MinutiaType type;
  double image_direction = 0;  // radians, image frame (y down)
  bool removed = false;
  int spur_partner = -1;
};
}  // namespace

cv::Mat1b ridge_skeleton(const cv::Mat1b& ridge_binary) {
  cv::Mat1b skeleton;
  cv::ximgproc::thinning(ridge_binary, skeleton, cv::ximgproc::THINNING_ZHANGSUEN);
  return skeleton;
}

std::vector<ridge::Minutia> skeleton_minutiae(const cv::Mat1b& skeleton, const cv::Mat1b& region,
                                              const SkeletonMinutiaeOptions& options,
                                              const cv::Mat1f& orientation) {
  cv::Mat1f inside_distance;
  cv::Mat1b padded_region;
  // Distance to the region's edge, counting the image border as an edge too.
  cv::copyMakeBorder(region, padded_region, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  cv::distanceTransform(padded_region, inside_distance, cv::DIST_L2, 3);
  std::vector<Candidate> candidates;
  for (int y = 1; y + 1 < skeleton.rows; ++y) {
    for (int x = 1; x + 1 < skeleton.cols; ++x) {
      if (skeleton(y, x) == 0) continue;
      const int cn = crossing_number(skeleton, x, y);
      if (cn != 1 && cn != 3) continue;
      if (inside_distance(y + 1, x + 1) < options.border_margin) continue;
      Candidate c;
      c.p = {x, y};
      const std::vector<cv::Point> starts = branch_starts(skeleton, x, y);
      if (cn == 1) {
        if (starts.size() != 1) continue;
        c.type = ridge::MinutiaType::kEnding;
        const Trace t = trace_branch(skeleton, c.p, starts[0], options.trace_length);
        c.image_direction = image_angle(t.end, c.p);  // out of the tip
        if (t.hit_junction && t.steps <= options.spur_max_length) c.spur_partner = 1;
      } else {
        if (starts.size() != 3) continue;
        c.type = ridge::MinutiaType::kBifurcation;
        std::array<double, 3> arm{};
        for (std::size_t i = 0; i < 3; ++i) {
          arm[i] = image_angle(c.p, trace_branch(skeleton, c.p, starts[i], options.trace_length).end);
        }
        // The two arms closest in angle are the fork's branches; the third is the stem.
        std::size_t best_i = 0, best_j = 1;
        double best = 10;
        for (std::size_t i = 0; i < 3; ++i) {
          for (std::size_t j = i + 1; j < 3; ++j) {
            const double d = angle_difference(arm[i], arm[j]);
            if (d < best) {
              best = d;
              best_i = i;
              best_j = j;
            }
          }
        }
        // Towards the stem: opposite the branches' bisector.
        c.image_direction = std::atan2(-(std::sin(arm[best_i]) + std::sin(arm[best_j])),
                                       -(std::cos(arm[best_i]) + std::cos(arm[best_j])));
      }
      candidates.push_back(c);
    }
  }
  // Spurs: an ending whose ridge reaches a fork within a few steps; drop it and that fork.
  for (Candidate& c : candidates) {
    if (c.spur_partner < 0) continue;
    c.removed = true;
    double nearest = 1e9;
    Candidate* fork = nullptr;
    for (Candidate& f : candidates) {
      if (f.type != ridge::MinutiaType::kBifurcation) continue;
      const double d = std::hypot(f.p.x - c.p.x, f.p.y - c.p.y);
      if (d < nearest) {
        nearest = d;
        fork = &f;
      }
    }
    if (fork != nullptr && nearest <= options.spur_max_length + 2) fork->removed = true;
  }
  // Clusters: minutiae closer than a ridge width are thinning artefacts (bridges, holes).
  std::vector<bool> clustered(candidates.size(), false);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].removed) continue;
    for (std::size_t j = i + 1; j < candidates.size(); ++j) {
      if (candidates[j].removed) continue;
      const double d = std::hypot(candidates[i].p.x - candidates[j].p.x, candidates[i].p.y - candidates[j].p.y);
      if (d < options.cluster_distance) clustered[i] = clustered[j] = true;
    }
  }
  std::vector<ridge::Minutia> minutiae;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (c.removed || clustered[i]) continue;
    double dir = c.image_direction;
    if (!orientation.empty()) {
      // Axis from the field, sense from the skeleton.
      const double axis = orientation(c.p.y, c.p.x);
      dir = angle_difference(axis, dir) <= kPi / 2 ? axis : axis + kPi;
    }
    ridge::Minutia m;
    m.x = static_cast<float>(c.p.x);
    m.y = static_cast<float>(c.p.y);
    m.direction = template_direction(dir);
    m.type = c.type;
    m.quality = 1;
    minutiae.push_back(m);
  }
  return minutiae;
}

}  // namespace tuskprint::synth
