#pragma once
// The inferred route of a cluster of linked seizures: origin -> transit -> destination.
//
// Ordering rule (documented in results as "basis"):
//   * every seizure with a known role gets its rank (origin 0, transit 1, destination 2);
//   * a seizure of unknown role takes the rank of the latest-dated seizure of known role
//     seized on or before it (origin rank when none precedes it): ivory moves forward, so
//     a later seizure cannot sit before an earlier known stop;
//   * stops are sorted by (rank, date, id).
// basis is "role" when every role is known, "date" when none is, "role+date" otherwise.
// `countries` is the country sequence with consecutive repeats merged ("KEN", "TZA", "VNM").
// Links are undirected evidence: the route is an ordering for investigators, not a
// proven itinerary.
#include <string>
#include <vector>

#include "link/link_graph.hpp"

namespace tuskprint::link {

struct RouteStop {
  int seizure = 0;          // graph index
  Role role = Role::kUnknown;  // as recorded
  int rank = 0;             // 0 origin, 1 transit, 2 destination (inferred when role unknown)
};

struct Route {
  std::vector<RouteStop> stops;
  std::vector<std::string> countries;
  std::string basis;  // "role", "date" or "role+date"
};

Route infer_route(const LinkGraph& graph, const std::vector<int>& seizures);

}  // namespace tuskprint::link
