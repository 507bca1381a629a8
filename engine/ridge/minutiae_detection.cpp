#include "ridge/minutiae_detection.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "ridge/skeleton.hpp"

namespace tuskprint::ridge {
namespace {

struct Candidate {
  cv::Point p;
  MinutiaType type;
};

cv::Point2d unit(cv::Point2d v) {
  const double n = std::hypot(v.x, v.y);
  return n > 1e-9 ? v / n : cv::Point2d(0, 0);
}

// Image-coordinate unit vector of the bifurcation at p pointing towards its stem.
cv::Point2d bifurcation_stem(const cv::Mat& skel, cv::Point p, int length) {
  const std::vector<cv::Point> starts = branch_starts(skel, p);
  if (starts.size() < 3) return {0, 0};
  std::vector<cv::Point2d> arms;
  for (const cv::Point& s : starts) {
    std::vector<cv::Point> others;
    for (const cv::Point& o : starts)
      if (o != s) others.push_back(o);
    const Trace t = trace_ridge(skel, p, s, length, others);
    arms.push_back(unit(cv::Point2d(t.end - p)));
  }
  // The two branches of the fork are the pair closest in angle; the stem is opposite.
  double best = -2;
  cv::Point2d stem(0, 0);
  for (std::size_t a = 0; a < arms.size(); ++a) {
    for (std::size_t b = a + 1; b < arms.size(); ++b) {
      const double cosine = arms[a].dot(arms[b]);
      if (cosine > best) {
        best = cosine;
        stem = -(arms[a] + arms[b]);
      }
    }
  }
  return unit(stem);
}

}  // namespace

double template_direction(double dx, double dy) {
  double a = std::atan2(-dy, dx);
  if (a < 0) a += 2 * CV_PI;
  if (a >= 2 * CV_PI) a -= 2 * CV_PI;
  return a;
}

cv::Point2d ending_outward(const cv::Mat& skel, cv::Point p, int length) {
  const std::vector<cv::Point> starts = branch_starts(skel, p);
  if (starts.empty()) return {0, 0};
  const Trace t = trace_ridge(skel, p, starts.front(), length);
  if (t.path.size() < 3) return {0, 0};
  return unit(cv::Point2d(p - t.end));
}

std::vector<Minutia> detect_minutiae(const cv::Mat& skel, const cv::Mat& mask_pixels,
                                     const OrientationField& field, const MinutiaeParams& params) {
  std::vector<Candidate> candidates;
  for (int y = 1; y + 1 < skel.rows; ++y) {
    const auto* row = skel.ptr<std::uint8_t>(y);
    const auto* m = mask_pixels.ptr<std::uint8_t>(y);
    for (int x = 1; x + 1 < skel.cols; ++x) {
      if (!row[x] || !m[x]) continue;
      const int cn = crossing_number(skel, {x, y});
      if (cn == 1) candidates.push_back({{x, y}, MinutiaType::kEnding});
      if (cn >= 3) candidates.push_back({{x, y}, MinutiaType::kBifurcation});
    }
  }
  // Thinning leaves 2-4 adjacent crossing-number hits at one junction: keep the first.
  std::vector<bool> merged(candidates.size(), false);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (merged[i]) continue;
    for (std::size_t j = i + 1; j < candidates.size(); ++j) {
      if (merged[j] || candidates[j].type != candidates[i].type) continue;
      const cv::Point d = candidates[j].p - candidates[i].p;
      if (std::max(std::abs(d.x), std::abs(d.y)) <= params.merge_distance) merged[j] = true;
    }
  }

  std::vector<Minutia> out;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (merged[i]) continue;
    const Candidate& c = candidates[i];
    const cv::Point2d traced = c.type == MinutiaType::kEnding
                                   ? ending_outward(skel, c.p, params.direction_trace)
                                   : bifurcation_stem(skel, c.p, params.direction_trace);
    if (traced.x == 0 && traced.y == 0) continue;  // a dot or a knot: no direction
    const double theta = field.angle_at(c.p.x, c.p.y);
    cv::Point2d along(std::cos(theta), std::sin(theta));
    if (along.dot(traced) < 0) along = -along;
    const double disagreement = std::acos(std::clamp(along.dot(traced), -1.0, 1.0));
    const cv::Point2d direction = disagreement <= params.max_field_disagreement ? along : traced;
    Minutia m;
    m.x = static_cast<float>(c.p.x);
    m.y = static_cast<float>(c.p.y);
    m.direction = static_cast<float>(template_direction(direction.x, direction.y));
    m.type = c.type;
    m.quality = static_cast<float>(std::clamp(field.coherence_at(c.p.x, c.p.y), 0.0, 1.0));
    out.push_back(m);
  }
  return out;
}

std::string minutiae_json(const std::vector<Minutia>& minutiae) {
  std::ostringstream os;
  os.precision(4);
  os << '[';
  for (std::size_t i = 0; i < minutiae.size(); ++i) {
    const Minutia& m = minutiae[i];
    os << (i ? "," : "") << "{\"x\":" << m.x << ",\"y\":" << m.y << ",\"direction\":"
       << m.direction << ",\"type\":\""
       << (m.type == MinutiaType::kEnding ? "ending"
           : m.type == MinutiaType::kBifurcation ? "bifurcation"
                                                 : "other")
       << "\",\"quality\":" << m.quality << '}';
  }
  os << ']';
  return os.str();
}

}  // namespace tuskprint::ridge
