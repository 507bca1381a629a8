#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "graph_fixture.hpp"
#include "link/link_graph.hpp"

namespace tuskprint::link {
namespace {

using fixture::add_seizure;
using fixture::finger;
using fixture::invalid_argument_of;
using ::testing::HasSubstr;

TEST(LinkGraph, CountriesAreNormalisedToAlpha3) {
  LinkGraph g;
  g.upsert_seizure({"S1", "KE", "2024-03-02", Role::kOrigin});
  g.upsert_seizure({"S2", "VNM", "2024-05-01", Role::kDestination});
  g.upsert_seizure({"S3", "XX", "2024-05-01", Role::kUnknown});
  EXPECT_EQ(g.seizure(0).country, "KEN");
  EXPECT_EQ(g.seizure(1).country, "VNM");
  EXPECT_EQ(g.seizure(2).country, "XXX");
}

TEST(LinkGraph, UpsertReplacesRecordsAndEdges) {
  LinkGraph g;
  add_seizure(g, "S1", "KEN", "2024-01-01");
  add_seizure(g, "S2", "TZA", "2024-02-01");
  g.upsert_seizure({"S1", "KEN", "2024-01-05", Role::kOrigin});
  EXPECT_EQ(g.seizure_count(), 2u);
  EXPECT_EQ(g.seizure(0).date, "2024-01-05");
  finger(g, "S1-L1", "S2-L1", 1.0);
  finger(g, "S2-L1", "S1-L1", 3.0);  // same unordered pair and modality: replaced
  EXPECT_EQ(g.edge_count(), 1u);
  EXPECT_DOUBLE_EQ(g.edge(0).log10_lr, 3.0);
  g.upsert_edge({Modality::kSchreger, "S1-X1", "S2-X1", 0.2, 2.5, ""});
  EXPECT_EQ(g.edge_count(), 2u);
  g.upsert_specimen({"S1-SPL1", "S1", "KE 24/127/14.5", 14.5});
  EXPECT_EQ(g.specimen_count(), 6u);
  EXPECT_EQ(g.specimens_of(0).size(), 3u);
}

TEST(LinkGraph, BadInputIsRejectedWithAMessageNamingIt) {
  LinkGraph g;
  add_seizure(g, "S1", "KEN", "2024-01-01");
  add_seizure(g, "S2", "TZA", "2024-02-01");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_seizure({"", "KEN", "2024-01-01", Role::kOrigin}); }),
              HasSubstr("seizure id is empty"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_seizure({"S9", "KEX", "2024-01-01", Role::kOrigin}); }),
              HasSubstr("country 'KEX'"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_seizure({"S9", "KEN", "2024-02-30", Role::kOrigin}); }),
              HasSubstr("seizure 'S9'"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_specimen({"P9", "S7", "", 1.0}); }),
              HasSubstr("unknown seizure 'S7'"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_specimen({"P9", "S1", "", -2.0}); }), HasSubstr("weight -2"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_specimen({"P9", "S1", "", nan}); }), HasSubstr("specimen 'P9'"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_specimen({"P9", "S1", "KE 2024/1/3", 3.0}); }),
              HasSubstr("CITES mark"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_specimen({"S1-SPL1", "S2", "", 1.0}); }),
              HasSubstr("cannot move to 'S2'"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_scan({"C9", "S1", "S2-SPL1", ScanKind::kLatentLift, ""}); }),
              HasSubstr("belongs to seizure 'S2'"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_scan({"C9", "S1", "nope", ScanKind::kLatentLift, ""}); }),
              HasSubstr("unknown specimen 'nope'"));
  EXPECT_THAT(invalid_argument_of([&] { finger(g, "S1-L1", "S1-L1", 3.0); }), HasSubstr("self-edge"));
  EXPECT_THAT(invalid_argument_of([&] { finger(g, "S1-L1", "ghost", 3.0); }), HasSubstr("unknown scan 'ghost'"));
  EXPECT_THAT(invalid_argument_of([&] { finger(g, "S1-L1", "S2-L1", nan); }), HasSubstr("log10 LR nan is not finite"));
  EXPECT_THAT(invalid_argument_of([&] { finger(g, "S1-L1", "S2-L1", inf); }), HasSubstr("not finite"));
  EXPECT_THAT(invalid_argument_of([&] { finger(g, "S1-X1", "S2-X1", 3.0); }),
              HasSubstr("'S1-X1' is a cross-section, which has no finger evidence"));
  EXPECT_THAT(invalid_argument_of([&] { g.upsert_edge({Modality::kFinger, "S1-L1", "S2-L1", nan, 1.0, ""}); }),
              HasSubstr("raw score nan"));
  EXPECT_THAT(invalid_argument_of([] { parse_role("smuggler"); }), HasSubstr("unknown seizure role 'smuggler'"));
  EXPECT_THAT(invalid_argument_of([] { parse_modality("dna"); }), HasSubstr("unknown modality 'dna'"));
  EXPECT_THAT(invalid_argument_of([] { parse_scan_kind("photo"); }), HasSubstr("unknown scan kind 'photo'"));
  // Nothing half-added.
  EXPECT_EQ(g.seizure_count(), 2u);
  EXPECT_EQ(g.edge_count(), 0u);
}

TEST(LinkGraph, ReferencePrintsBelongToASeizureWithoutASpecimen) {
  LinkGraph g;
  add_seizure(g, "S1", "KEN", "2024-01-01");
  add_seizure(g, "S2", "TZA", "2024-02-01");
  g.upsert_scan({"R1", "S1", "", ScanKind::kReferencePrint, ""});
  finger(g, "R1", "S2-L1", 4.0);
  EXPECT_EQ(g.scans_of(0).size(), 4u);
  EXPECT_EQ(g.edges_of_scan(g.scan_index("R1")).size(), 1u);
}

}  // namespace
}  // namespace tuskprint::link
