#include "link/link_graph.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

#include "catalog/cites_mark.hpp"
#include "catalog/countries.hpp"
#include "catalog/validation.hpp"
#include "core/error.hpp"

namespace tuskprint::link {
namespace {

// Every assigned alpha-3 code, from the catalog's alpha-2 table.
const std::unordered_set<std::string>& alpha3_codes() {
  static const std::unordered_set<std::string> codes = [] {
    std::unordered_set<std::string> out;
    for (char a = 'A'; a <= 'Z'; ++a)
      for (char b = 'A'; b <= 'Z'; ++b) {
        const char two[2] = {a, b};
        const std::string_view three = catalog::iso3166_alpha3(std::string_view(two, 2));
        if (!three.empty()) out.emplace(three);
      }
    return out;
  }();
  return codes;
}

// Alpha-3 form of a seizure country: alpha-3 as given, alpha-2 converted, "XX"/"XXX"
// (unknown, as ETIS writes it) kept as "XXX".
std::string normalised_country(const Seizure& s) {
  const std::string& c = s.country;
  if (c == "XX" || c == "XXX") return "XXX";
  if (c.size() == 2) {
    const std::string_view three = catalog::iso3166_alpha3(c);
    TP_CHECK(!three.empty(), kInvalidArgument,
             "seizure '" << s.id << "': country '" << c << "' is not an ISO 3166-1 code");
    return std::string(three);
  }
  TP_CHECK(alpha3_codes().count(c) == 1, kInvalidArgument,
           "seizure '" << s.id << "': country '" << c << "' is not an ISO 3166-1 alpha-3 (or alpha-2) code");
  return c;
}

void check_id(const char* what, const std::string& id) {
  TP_CHECK(!id.empty(), kInvalidArgument, what << " id is empty");
}

std::uint64_t pair_key(int a, int b) {
  const auto lo = static_cast<std::uint32_t>(std::min(a, b)), hi = static_cast<std::uint32_t>(std::max(a, b));
  return (std::uint64_t(lo) << 32) | hi;
}

template <class T>
int upsert(std::vector<T>& records, std::unordered_map<std::string, int>& ids, const T& record, bool& added) {
  const auto [it, inserted] = ids.emplace(record.id, int(records.size()));
  added = inserted;
  if (inserted) records.push_back(record);
  else records[std::size_t(it->second)] = record;
  return it->second;
}

}  // namespace

int LinkGraph::seizure_index(std::string_view id) const {
  const auto it = seizure_ids_.find(std::string(id));
  return it == seizure_ids_.end() ? -1 : it->second;
}

int LinkGraph::scan_index(std::string_view id) const {
  const auto it = scan_ids_.find(std::string(id));
  return it == scan_ids_.end() ? -1 : it->second;
}

int LinkGraph::require_seizure(std::string_view id) const {
  const int i = seizure_index(id);
  TP_CHECK(i >= 0, kInvalidArgument, "unknown seizure '" << id << "'");
  return i;
}

void LinkGraph::upsert_seizure(const Seizure& input) {
  check_id("seizure", input.id);
  Seizure s = input;
  s.country = normalised_country(input);
  try {
    catalog::validate_date("date", s.date);
  } catch (const Error& e) {
    TP_THROW(kInvalidArgument, "seizure '" << s.id << "': " << e.what());
  }
  bool added = false;
  upsert(seizures_, seizure_ids_, s, added);
  if (added) {
    seizure_specimens_.emplace_back();
    seizure_scans_.emplace_back();
  }
}

void LinkGraph::upsert_specimen(const Specimen& s) {
  check_id("specimen", s.id);
  const auto seizure = seizure_ids_.find(s.seizure_id);
  TP_CHECK(seizure != seizure_ids_.end(), kInvalidArgument,
           "specimen '" << s.id << "': unknown seizure '" << s.seizure_id << "'");
  if (s.weight_kg)
    TP_CHECK(std::isfinite(*s.weight_kg) && *s.weight_kg >= 0, kInvalidArgument,
             "specimen '" << s.id << "': weight " << *s.weight_kg << " kg is not a finite, non-negative number");
  if (!s.cites_mark.empty()) {
    try {
      catalog::parse_cites_mark(s.cites_mark);
    } catch (const Error& e) {
      TP_THROW(kInvalidArgument, "specimen '" << s.id << "': CITES mark: " << e.what());
    }
  }
  const auto existing = specimen_ids_.find(s.id);
  if (existing != specimen_ids_.end())
    TP_CHECK(specimens_[std::size_t(existing->second)].seizure_id == s.seizure_id, kInvalidArgument,
             "specimen '" << s.id << "' belongs to seizure '" << specimens_[std::size_t(existing->second)].seizure_id
                          << "' and cannot move to '" << s.seizure_id << "'");
  bool added = false;
  const int index = upsert(specimens_, specimen_ids_, s, added);
  if (added) seizure_specimens_[std::size_t(seizure->second)].push_back(index);
}

void LinkGraph::upsert_scan(const Scan& s) {
  check_id("scan", s.id);
  const auto seizure = seizure_ids_.find(s.seizure_id);
  TP_CHECK(seizure != seizure_ids_.end(), kInvalidArgument,
           "scan '" << s.id << "': unknown seizure '" << s.seizure_id << "'");
  if (!s.specimen_id.empty()) {
    const auto specimen = specimen_ids_.find(s.specimen_id);
    TP_CHECK(specimen != specimen_ids_.end(), kInvalidArgument,
             "scan '" << s.id << "': unknown specimen '" << s.specimen_id << "'");
    TP_CHECK(specimens_[std::size_t(specimen->second)].seizure_id == s.seizure_id, kInvalidArgument,
             "scan '" << s.id << "': specimen '" << s.specimen_id << "' belongs to seizure '"
                      << specimens_[std::size_t(specimen->second)].seizure_id << "', not '" << s.seizure_id << "'");
  }
  const auto existing = scan_ids_.find(s.id);
  if (existing != scan_ids_.end()) {
    const Scan& old = scans_[std::size_t(existing->second)];
    TP_CHECK(old.seizure_id == s.seizure_id, kInvalidArgument,
             "scan '" << s.id << "' belongs to seizure '" << old.seizure_id << "' and cannot move to '" << s.seizure_id << "'");
    TP_CHECK(modality_of(old.kind) == modality_of(s.kind) || scan_edges_[std::size_t(existing->second)].empty(),
             kInvalidArgument, "scan '" << s.id << "' has " << to_string(modality_of(old.kind))
                                        << " edges and cannot become a " << to_string(s.kind));
  }
  bool added = false;
  const int index = upsert(scans_, scan_ids_, s, added);
  if (added) {
    seizure_scans_[std::size_t(seizure->second)].push_back(index);
    scan_edges_.emplace_back();
    scan_seizure_.push_back(seizure->second);
  }
}

void LinkGraph::upsert_edge(const MatchEdge& e) {
  const auto name = [&] { return std::string(to_string(e.modality)) + " edge " + e.scan_a + " - " + e.scan_b; };
  const int a = scan_index(e.scan_a), b = scan_index(e.scan_b);
  TP_CHECK(a >= 0, kInvalidArgument, name() << ": unknown scan '" << e.scan_a << "'");
  TP_CHECK(b >= 0, kInvalidArgument, name() << ": unknown scan '" << e.scan_b << "'");
  TP_CHECK(a != b, kInvalidArgument, name() << ": a scan cannot be matched with itself (self-edge)");
  TP_CHECK(std::isfinite(e.log10_lr), kInvalidArgument, name() << ": log10 LR " << e.log10_lr << " is not finite");
  TP_CHECK(std::isfinite(e.raw_score), kInvalidArgument, name() << ": raw score " << e.raw_score << " is not finite");
  for (const int s : {a, b})
    TP_CHECK(modality_of(scans_[std::size_t(s)].kind) == e.modality, kInvalidArgument,
             name() << ": scan '" << scans_[std::size_t(s)].id << "' is a " << to_string(scans_[std::size_t(s)].kind)
                    << ", which has no " << to_string(e.modality) << " evidence");
  auto& keys = edge_keys_[e.modality == Modality::kFinger ? 0 : 1];
  const auto [it, inserted] = keys.emplace(pair_key(a, b), int(edges_.size()));
  if (!inserted) {
    edges_[std::size_t(it->second)] = e;
    edge_scans_[std::size_t(it->second)] = {a, b};
    return;
  }
  edges_.push_back(e);
  edge_scans_.emplace_back(a, b);
  scan_edges_[std::size_t(a)].push_back(it->second);
  scan_edges_[std::size_t(b)].push_back(it->second);
}

}  // namespace tuskprint::link
