#include "lr/pav.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.hpp"

namespace tuskprint::lr {
namespace {

void absorb(ScoreBlock& into, const ScoreBlock& from) {
  into.genuine += from.genuine;
  into.impostor += from.impostor;
  into.score_low = std::min(into.score_low, from.score_low);
  into.score_high = std::max(into.score_high, from.score_high);
}

// share(a) >= share(b), by cross-multiplication (exact for integer counts below 2^53).
bool share_not_below(const ScoreBlock& a, const ScoreBlock& b) {
  return a.genuine * (b.genuine + b.impostor) >= b.genuine * (a.genuine + a.impostor);
}

}  // namespace

std::vector<ScoreBlock> score_groups(const ScoreSet& scores) {
  std::vector<std::pair<double, bool>> labelled;  // (score, is_genuine)
  labelled.reserve(scores.genuine.size() + scores.impostor.size());
  for (double s : scores.genuine) labelled.emplace_back(s, true);
  for (double s : scores.impostor) labelled.emplace_back(s, false);
  for (const auto& [s, g] : labelled) TP_CHECK(!std::isnan(s), kInvalidArgument, "a score is NaN");
  std::sort(labelled.begin(), labelled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ScoreBlock> groups;
  for (std::size_t i = 0; i < labelled.size();) {
    ScoreBlock group;
    const double s = labelled[i].first;
    if (std::isfinite(s)) group.score_low = group.score_high = s;
    for (; i < labelled.size() && labelled[i].first == s; ++i)
      (labelled[i].second ? group.genuine : group.impostor) += 1;
    groups.push_back(group);
  }
  return groups;
}

std::vector<ScoreBlock> pool_adjacent_violators(const std::vector<ScoreBlock>& groups) {
  std::vector<ScoreBlock> blocks;
  blocks.reserve(groups.size());
  for (const ScoreBlock& g : groups) {
    TP_CHECK(g.genuine >= 0 && g.impostor >= 0 && g.genuine + g.impostor > 0, kInvalidArgument,
             "PAV: a score group has no comparisons or a negative count");
    blocks.push_back(g);
    while (blocks.size() >= 2 && share_not_below(blocks[blocks.size() - 2], blocks.back())) {
      const ScoreBlock last = blocks.back();
      blocks.pop_back();
      absorb(blocks.back(), last);
    }
  }
  return blocks;
}

}  // namespace tuskprint::lr
