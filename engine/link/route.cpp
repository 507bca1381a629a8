#include "link/route.hpp"

#include <algorithm>

namespace tuskprint::link {
namespace {

int rank_of(Role role) {
  switch (role) {
    case Role::kOrigin: return 0;
    case Role::kTransit: return 1;
    case Role::kDestination: return 2;
    case Role::kUnknown: break;
  }
  return -1;
}

}  // namespace

Route infer_route(const LinkGraph& g, const std::vector<int>& seizures) {
  Route route;
  int known = 0;
  for (const int s : seizures) {
    const Seizure& z = g.seizure(s);
    route.stops.push_back({s, z.role, rank_of(z.role)});
    known += z.role != Role::kUnknown ? 1 : 0;
  }
  // Dates are YYYY-MM-DD, so string order is time order.
  const auto date = [&](const RouteStop& x) -> const std::string& { return g.seizure(x.seizure).date; };
  const auto by_date = [&](const RouteStop& x, const RouteStop& y) {
    return date(x) != date(y) ? date(x) < date(y) : g.seizure(x.seizure).id < g.seizure(y.seizure).id;
  };
  for (RouteStop& stop : route.stops) {
    if (stop.rank >= 0) continue;
    const RouteStop* before = nullptr;
    for (const RouteStop& other : route.stops)
      if (other.role != Role::kUnknown && date(other) <= date(stop) && (before == nullptr || by_date(*before, other)))
        before = &other;
    stop.rank = before != nullptr ? before->rank : 0;
  }
  std::sort(route.stops.begin(), route.stops.end(), [&](const RouteStop& x, const RouteStop& y) {
    return x.rank != y.rank ? x.rank < y.rank : by_date(x, y);
  });
  for (const RouteStop& stop : route.stops) {
    const std::string& c = g.seizure(stop.seizure).country;
    if (route.countries.empty() || route.countries.back() != c) route.countries.push_back(c);
  }
  route.basis = known == int(seizures.size()) ? "role" : known == 0 ? "date" : "role+date";
  return route;
}

}  // namespace tuskprint::link
