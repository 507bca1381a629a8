#pragma once
// The seizure link graph: seizures, specimens, scans and verified scan-to-scan matches,
// grown incrementally as scans arrive. Every edge is kept whatever its strength; which
// edges link seizures is decided per query (seizure_clusters.hpp), so one graph answers
// at any LR threshold.
//
//   LinkGraph g;
//   g.upsert_seizure({"SZ-1", "KEN", "2024-03-02", Role::kOrigin});
//   g.upsert_specimen({"SP-1", "SZ-1", "KE 24/0017/23.5", 23.5});
//   g.upsert_scan({"SC-1", "SZ-1", "SP-1", ScanKind::kLatentLift});
//   ...
//   g.upsert_edge({Modality::kFinger, "SC-1", "SC-9", 0.12, 4.3, "2024-05-01T10:00:00Z"});
//
// upsert_* add a record or replace the one with the same id (an edge's identity is its
// modality and unordered scan pair). Bad input throws Error(kInvalidArgument) naming the
// record and the problem: unknown seizure/specimen/scan, an empty id, a country that is not
// ISO 3166-1, a date that is not YYYY-MM-DD, a malformed CITES mark, a negative or
// non-finite weight, a self-edge, a NaN or infinite LR or score, a modality that does not
// fit the scans' kinds, or moving a specimen or scan to another seizure (evidence does not
// change seizure; record a new one instead).
//
// Thread safety: const member functions may run concurrently; a mutation needs exclusive
// access (the service holds a shared_mutex).
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "link/graph_types.hpp"

namespace tuskprint::link {

class LinkGraph {
 public:
  void upsert_seizure(const Seizure& seizure);
  void upsert_specimen(const Specimen& specimen);
  void upsert_scan(const Scan& scan);
  void upsert_edge(const MatchEdge& edge);

  std::size_t seizure_count() const { return seizures_.size(); }
  std::size_t specimen_count() const { return specimens_.size(); }
  std::size_t scan_count() const { return scans_.size(); }
  std::size_t edge_count() const { return edges_.size(); }

  // Dense indices (stable: records are never removed). -1 when unknown.
  int seizure_index(std::string_view id) const;
  int scan_index(std::string_view id) const;
  // Throws Error(kInvalidArgument) "unknown seizure 'X'".
  int require_seizure(std::string_view id) const;

  const Seizure& seizure(int index) const { return seizures_[std::size_t(index)]; }
  const Specimen& specimen(int index) const { return specimens_[std::size_t(index)]; }
  const Scan& scan(int index) const { return scans_[std::size_t(index)]; }
  const MatchEdge& edge(int index) const { return edges_[std::size_t(index)]; }

  // Index views for queries.
  int seizure_of_scan(int scan) const { return scan_seizure_[std::size_t(scan)]; }
  int scan_a_index(int edge) const { return edge_scans_[std::size_t(edge)].first; }
  int scan_b_index(int edge) const { return edge_scans_[std::size_t(edge)].second; }
  const std::vector<int>& specimens_of(int seizure) const { return seizure_specimens_[std::size_t(seizure)]; }
  const std::vector<int>& scans_of(int seizure) const { return seizure_scans_[std::size_t(seizure)]; }
  const std::vector<int>& edges_of_scan(int scan) const { return scan_edges_[std::size_t(scan)]; }

 private:
  std::vector<Seizure> seizures_;
  std::vector<Specimen> specimens_;
  std::vector<Scan> scans_;
  std::vector<MatchEdge> edges_;
  std::unordered_map<std::string, int> seizure_ids_, specimen_ids_, scan_ids_;
  std::unordered_map<std::uint64_t, int> edge_keys_[2];  // per modality: scan pair -> edge

  std::vector<std::vector<int>> seizure_specimens_, seizure_scans_, scan_edges_;
  std::vector<int> scan_seizure_;
  std::vector<std::pair<int, int>> edge_scans_;
};

}  // namespace tuskprint::link
