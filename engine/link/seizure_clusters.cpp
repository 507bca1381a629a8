#include "link/seizure_clusters.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "link/union_find.hpp"

namespace tuskprint::link {
namespace {

void check_threshold(double t) {
  TP_CHECK(std::isfinite(t), kInvalidArgument, "min_log10_lr " << t << " is not a finite number");
}

}  // namespace

std::vector<std::vector<int>> seizure_components(const LinkGraph& g, double t, int min_size) {
  check_threshold(t);
  UnionFind sets(g.seizure_count());
  for (int e = 0; e < int(g.edge_count()); ++e)
    if (g.edge(e).log10_lr >= t) sets.unite(g.seizure_of_scan(g.scan_a_index(e)), g.seizure_of_scan(g.scan_b_index(e)));
  std::vector<std::vector<int>> by_root(g.seizure_count());
  for (int s = 0; s < int(g.seizure_count()); ++s) by_root[std::size_t(sets.find(s))].push_back(s);
  std::vector<std::vector<int>> out;
  for (auto& members : by_root)
    if (int(members.size()) >= std::max(1, min_size)) out.push_back(std::move(members));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() > b.size() : a.front() < b.front();
  });
  return out;
}

ClusterSummary summarise_cluster(const LinkGraph& g, const std::vector<int>& seizures, double t) {
  check_threshold(t);
  ClusterSummary c;
  c.min_log10_lr = t;
  std::set<std::string> countries;
  for (const int s : seizures) {
    const Seizure& z = g.seizure(s);
    countries.insert(z.country);
    if (c.first_date.empty() || z.date < c.first_date) c.first_date = z.date;
    if (c.last_date.empty() || z.date > c.last_date) c.last_date = z.date;
    for (const int sp : g.specimens_of(s)) {
      const Specimen& specimen = g.specimen(sp);
      if (specimen.weight_kg) c.total_weight_kg += *specimen.weight_kg;
      else ++c.specimens_without_weight;
    }
    c.specimen_count += int(g.specimens_of(s).size());
    c.scan_count += int(g.scans_of(s).size());
  }
  c.countries.assign(countries.begin(), countries.end());
  c.pairs = combine_pair_evidence(g, seizures, t);
  for (const PairEvidence& p : c.pairs)
    for (const ModalityEvidence& m : p.modalities) c.linking_edges += m.linking_edges;
  c.route = infer_route(g, seizures);
  for (const RouteStop& stop : c.route.stops) c.seizures.push_back(stop.seizure);
  return c;
}

std::vector<ClusterSummary> clusters(const LinkGraph& g, double t) {
  std::vector<ClusterSummary> out;
  for (const auto& members : seizure_components(g, t)) out.push_back(summarise_cluster(g, members, t));
  return out;
}

ClusterSummary cluster_around(const LinkGraph& g, std::string_view seizure_id, double t) {
  check_threshold(t);
  const int start = g.require_seizure(seizure_id);
  // Breadth-first over seizures through linking edges: touches only this component.
  std::vector<int> members{start};
  std::set<int> seen{start};
  for (std::size_t i = 0; i < members.size(); ++i)
    for (const int scan : g.scans_of(members[i]))
      for (const int e : g.edges_of_scan(scan)) {
        if (g.edge(e).log10_lr < t) continue;
        const int other_scan = g.scan_a_index(e) == scan ? g.scan_b_index(e) : g.scan_a_index(e);
        const int other = g.seizure_of_scan(other_scan);
        if (seen.insert(other).second) members.push_back(other);
      }
  std::sort(members.begin(), members.end());
  return summarise_cluster(g, members, t);
}

}  // namespace tuskprint::link
