#pragma once
// Small hand-built link graphs for the unit tests.
#include <string>

#include "core/error.hpp"
#include "link/link_graph.hpp"

namespace tuskprint::link::fixture {

// Adds a seizure with one specimen per scan: latent lifts "<id>-L<k>" (k = 1..lifts) and
// cross-sections "<id>-X<k>".
inline void add_seizure(LinkGraph& g, const std::string& id, const std::string& country, const std::string& date,
                        Role role = Role::kUnknown, int lifts = 2, int faces = 1, double kg = 10) {
  g.upsert_seizure({id, country, date, role});
  for (int k = 1; k <= lifts; ++k) {
    const std::string sp = id + "-SPL" + std::to_string(k);
    g.upsert_specimen({sp, id, "", kg});
    g.upsert_scan({id + "-L" + std::to_string(k), id, sp, ScanKind::kLatentLift, ""});
  }
  for (int k = 1; k <= faces; ++k) {
    const std::string sp = id + "-SPX" + std::to_string(k);
    g.upsert_specimen({sp, id, "", kg});
    g.upsert_scan({id + "-X" + std::to_string(k), id, sp, ScanKind::kCrossSection, ""});
  }
}

inline void finger(LinkGraph& g, const std::string& a, const std::string& b, double lr) {
  g.upsert_edge({Modality::kFinger, a, b, 0.1, lr, "2026-11-29T10:00:00Z"});
}

inline void schreger(LinkGraph& g, const std::string& a, const std::string& b, double lr) {
  g.upsert_edge({Modality::kSchreger, a, b, 0.5, lr, "2026-11-29T10:00:00Z"});
}

// The message of the Error(kInvalidArgument) `f` throws; "" when it throws nothing, and a
// marker when it throws another code.
template <class F>
std::string invalid_argument_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidArgument) return std::string("wrong code: ") + to_string(e.code());
    return e.what();
  }
  return "";
}

}  // namespace tuskprint::link::fixture
