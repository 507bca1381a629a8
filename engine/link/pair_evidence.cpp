#include "link/pair_evidence.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>

#include "link/union_find.hpp"

namespace tuskprint::link {
namespace {

// Scans of one seizure joined at the threshold by a same-modality edge: one source.
class SourceGroups {
 public:
  int local(int scan) {
    return ids_.emplace(scan, int(ids_.size())).first->second;
  }
  void join(int scan_a, int scan_b) { joins_.emplace_back(local(scan_a), local(scan_b)); }
  void freeze() {
    sets_ = std::make_unique<UnionFind>(ids_.size());
    for (const auto& [a, b] : joins_) sets_->unite(a, b);
  }
  int source(int scan) { return sets_->find(local_existing(scan)); }

 private:
  int local_existing(int scan) const { return ids_.at(scan); }
  std::unordered_map<int, int> ids_;
  std::vector<std::pair<int, int>> joins_;
  std::unique_ptr<UnionFind> sets_;
};

}  // namespace

std::vector<PairEvidence> combine_pair_evidence(const LinkGraph& g, const std::vector<int>& seizures, double t) {
  std::vector<int> members = seizures;
  std::sort(members.begin(), members.end());
  const auto in_cluster = [&](int s) { return std::binary_search(members.begin(), members.end(), s); };

  SourceGroups sources;
  std::unordered_map<std::string, int> person_scan;  // person -> first scan seen
  std::map<std::tuple<int, int, int>, std::vector<int>> groups;  // (a, b, modality) -> edges
  for (const int s : members)
    for (const int scan : g.scans_of(s))
      for (const int e : g.edges_of_scan(scan)) {
        const MatchEdge& edge = g.edge(e);
        if (edge.log10_lr < t) continue;
        const int a = g.scan_a_index(e), b = g.scan_b_index(e);
        const int sa = g.seizure_of_scan(a), sb = g.seizure_of_scan(b);
        for (const int x : {a, b}) {
          sources.local(x);
          const std::string& person = g.scan(x).person;
          if (person.empty()) continue;
          const auto [first, inserted] = person_scan.emplace(person, x);
          if (!inserted) sources.join(first->second, x);
        }
        if (sa == sb) {
          sources.join(a, b);
        } else if (in_cluster(sa) && in_cluster(sb) && scan == a) {  // each cross edge once
          groups[{std::min(sa, sb), std::max(sa, sb), int(edge.modality)}].push_back(e);
        }
      }
  sources.freeze();

  std::vector<PairEvidence> out;
  for (auto& [key, edges] : groups) {
    const auto [a, b, modality] = key;
    if (out.empty() || out.back().seizure_a != a || out.back().seizure_b != b) {
      out.emplace_back();
      out.back().seizure_a = a, out.back().seizure_b = b;
    }
    std::sort(edges.begin(), edges.end(), [&](int x, int y) {
      return g.edge(x).log10_lr != g.edge(y).log10_lr ? g.edge(x).log10_lr > g.edge(y).log10_lr : x < y;
    });
    ModalityEvidence m;
    m.modality = Modality(modality);
    m.linking_edges = int(edges.size());
    std::set<int> used;
    for (const int e : edges) {
      const int sa = sources.source(g.scan_a_index(e)), sb = sources.source(g.scan_b_index(e));
      if (used.count(sa) || used.count(sb)) continue;
      used.insert(sa), used.insert(sb);
      m.counted_edges.push_back(e);
      m.combined_log10_lr += g.edge(e).log10_lr;
    }
    out.back().combined_log10_lr += m.combined_log10_lr;
    out.back().modalities.push_back(std::move(m));
  }
  return out;
}

}  // namespace tuskprint::link
