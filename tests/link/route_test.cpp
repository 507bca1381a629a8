#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "graph_fixture.hpp"
#include "link/route.hpp"

namespace tuskprint::link {
namespace {

using fixture::add_seizure;
using ::testing::ElementsAre;

std::vector<std::string> order(const LinkGraph& g, const Route& r) {
  std::vector<std::string> out;
  for (const RouteStop& s : r.stops) out.push_back(g.seizure(s.seizure).id);
  return out;
}

TEST(Route, RolesOrderTheStopsEvenAgainstDates) {
  LinkGraph g;
  add_seizure(g, "V", "VNM", "2024-01-01", Role::kDestination);  // found first, still the destination
  add_seizure(g, "K", "KEN", "2024-03-01", Role::kOrigin);
  add_seizure(g, "T", "TZA", "2024-02-01", Role::kTransit);
  const Route r = infer_route(g, {0, 1, 2});
  EXPECT_THAT(order(g, r), ElementsAre("K", "T", "V"));
  EXPECT_THAT(r.countries, ElementsAre("KEN", "TZA", "VNM"));
  EXPECT_EQ(r.basis, "role");
}

TEST(Route, DatesOrderTheStopsWhenNoRoleIsKnown) {
  LinkGraph g;
  add_seizure(g, "C", "CHN", "2024-05-01");
  add_seizure(g, "M", "MYS", "2024-02-01");
  add_seizure(g, "M2", "MYS", "2024-03-01");
  const Route r = infer_route(g, {0, 1, 2});
  EXPECT_THAT(order(g, r), ElementsAre("M", "M2", "C"));
  EXPECT_THAT(r.countries, ElementsAre("MYS", "CHN"));  // consecutive repeats merged
  EXPECT_EQ(r.basis, "date");
}

TEST(Route, UnknownRolesFollowTheLastKnownStopBeforeThem) {
  LinkGraph g;
  add_seizure(g, "K", "KEN", "2024-01-01", Role::kOrigin);
  add_seizure(g, "T", "TZA", "2024-02-01", Role::kTransit);
  add_seizure(g, "X", "MYS", "2024-02-15");  // after the transit stop: ranked as transit
  add_seizure(g, "V", "VNM", "2024-02-10", Role::kDestination);
  add_seizure(g, "E", "ETH", "2023-12-01");  // before every known stop: origin rank
  const Route r = infer_route(g, {0, 1, 2, 3, 4});
  // V (2024-02-10, destination) precedes X by date, so X takes V's rank.
  EXPECT_THAT(order(g, r), ElementsAre("E", "K", "T", "V", "X"));
  EXPECT_EQ(r.basis, "role+date");
  EXPECT_EQ(r.stops.back().rank, 2);
  EXPECT_EQ(r.stops.back().role, Role::kUnknown);
}

}  // namespace
}  // namespace tuskprint::link
