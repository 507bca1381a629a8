#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "graph_fixture.hpp"
#include "link/scan_evidence.hpp"

namespace tuskprint::link {
namespace {

using fixture::add_seizure;
using fixture::invalid_argument_of;
using ::testing::HasSubstr;

// A finger template with minutiae on a jittered grid: enough for valid cylinders.
ScanFeatures finger_features(const std::string& id, ScanKind kind, int seed) {
  ridge::FingerTemplate t;
  t.width = t.height = 300;
  for (int i = 0; i < 36; ++i) {
    ridge::Minutia m;
    m.x = float(40 + (i % 6) * 40 + (i * 7 + seed * 13) % 11);
    m.y = float(40 + (i / 6) * 40 + (i * 5 + seed * 3) % 9);
    m.direction = float(std::fmod(i * 0.9 + seed, 6.28));
    t.minutiae.push_back(m);
  }
  ScanFeatures f;
  f.scan_id = id;
  f.kind = kind;
  f.finger.emplace(t);
  return f;
}

LinkGraph graph() {
  LinkGraph g;
  add_seizure(g, "A", "KEN", "2024-01-01", Role::kOrigin, 2, 1);
  add_seizure(g, "B", "VNM", "2024-03-01", Role::kDestination, 1, 1);
  g.upsert_scan({"B-R", "B", "", ScanKind::kReferencePrint, ""});
  return g;
}

TEST(ScanEvidence, PairsByKindAndSeizure) {
  const LinkGraph g = graph();
  const std::vector<ScanFeatures> f = {finger_features("A-L1", ScanKind::kLatentLift, 1),
                                       finger_features("A-L2", ScanKind::kLatentLift, 2),
                                       finger_features("B-L1", ScanKind::kLatentLift, 1),
                                       finger_features("B-R", ScanKind::kReferencePrint, 1)};
  LrFunctions lr;
  lr.finger = [](double s) { return 10 * s - 1; };
  // Without a mark-to-mark calibration only lift-vs-print pairs are compared.
  const auto edges = score_scan_pairs(g, f, lr, "now");
  ASSERT_EQ(edges.size(), 3u);
  for (const MatchEdge& e : edges) {
    EXPECT_EQ(e.scan_b, "B-R");
    EXPECT_DOUBLE_EQ(e.log10_lr, 10 * e.raw_score - 1);
    EXPECT_EQ(e.found_at, "now");
  }
  // Identical minutiae (same seed) score highest.
  EXPECT_GT(edges[2].raw_score, edges[1].raw_score);
  lr.finger_mark_to_mark = [](double) { return 0.0; };
  EXPECT_EQ(score_scan_pairs(g, f, lr, "now").size(), 6u);
  EXPECT_EQ(score_scan_pairs(g, f, lr, "now", /*within_seizures=*/false).size(), 4u);
}

TEST(ScanEvidence, BadInputIsNamed) {
  const LinkGraph g = graph();
  std::vector<ScanFeatures> f = {finger_features("A-L1", ScanKind::kLatentLift, 1),
                                 finger_features("B-R", ScanKind::kReferencePrint, 2)};
  EXPECT_THAT(invalid_argument_of([&] { score_scan_pairs(g, f, {}, "now"); }),
              HasSubstr("no LR calibration given for finger scores"));
  LrFunctions bad;
  bad.finger = [](double) { return std::numeric_limits<double>::quiet_NaN(); };
  EXPECT_THAT(invalid_argument_of([&] { score_scan_pairs(g, f, bad, "now"); }),
              HasSubstr("finger LR calibration returned nan"));
  f.push_back(finger_features("ghost", ScanKind::kLatentLift, 3));
  EXPECT_THAT(invalid_argument_of([&] { score_scan_pairs(g, f, bad, "now"); }),
              HasSubstr("scan 'ghost' is not in the link graph"));
  f.back() = finger_features("A-X1", ScanKind::kLatentLift, 3);
  EXPECT_THAT(invalid_argument_of([&] { score_scan_pairs(g, f, bad, "now"); }),
              HasSubstr("'A-X1' is a cross-section in the link graph but latent-lift in its features"));
  ScanFeatures face;
  face.scan_id = "A-X1";
  face.kind = ScanKind::kCrossSection;
  EXPECT_THAT(invalid_argument_of([&] { raw_score(f[0], face); }), HasSubstr("different modalities"));
  ScanFeatures empty = f[1];
  empty.unusable_reason = "no valid cylinder";
  EXPECT_THAT(invalid_argument_of([&] { raw_score(f[0], empty); }), HasSubstr("'B-R' is unusable: no valid cylinder"));
  EXPECT_THAT(invalid_argument_of([&] { scan_features(ScanImage{"A-L1", ScanKind::kLatentLift, {}, 1000}); }),
              HasSubstr("scan 'A-L1': empty image"));
}

}  // namespace
}  // namespace tuskprint::link
