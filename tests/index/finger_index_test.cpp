#include "index/finger_index.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "index/cylinder_code.hpp"

namespace tuskprint::index {
namespace {

// A plausible random minutiae set: ~45 minutiae at least 12 px apart in a 300 x 360 print.
ridge::FingerTemplate random_finger(std::mt19937& rng) {
  std::uniform_real_distribution<float> ux(20, 280), uy(20, 340), ua(0, 2 * std::numbers::pi_v<float>);
  ridge::FingerTemplate t;
  t.width = 300;
  t.height = 360;
  while (t.minutiae.size() < 45) {
    ridge::Minutia m{ux(rng), uy(rng), ua(rng),
                     rng() % 2 ? ridge::MinutiaType::kEnding : ridge::MinutiaType::kBifurcation, 1};
    bool far = true;
    for (const auto& o : t.minutiae) far = far && std::hypot(o.x - m.x, o.y - m.y) > 12;
    if (far) t.minutiae.push_back(m);
  }
  return t;
}

// Another impression of the same finger: rotated, shifted, jittered, some minutiae lost.
ridge::FingerTemplate mate_of(const ridge::FingerTemplate& t, std::mt19937& rng) {
  std::normal_distribution<float> jitter(0, 2.0f), turn(0, 0.03f);
  const float angle = 0.25f, c = std::cos(angle), s = std::sin(angle);
  ridge::FingerTemplate m = t;
  m.minutiae.clear();
  for (const auto& p : t.minutiae) {
    if (rng() % 5 == 0) continue;
    const float x = p.x - 150, y = p.y - 180;
    // Rotation by `angle` counter-clockwise in the y-up frame.
    ridge::Minutia q = p;
    q.x = c * x + s * y + 150 + 10 + jitter(rng);
    q.y = -s * x + c * y + 180 - 6 + jitter(rng);
    q.direction = std::fmod(p.direction + angle + turn(rng) + 2 * std::numbers::pi_v<float>,
                            2 * std::numbers::pi_v<float>);
    m.minutiae.push_back(q);
  }
  return m;
}

// `count` random fingers enrolled as <prefix>0, <prefix>1, ...; returns the fingers.
std::vector<ridge::FingerTemplate> enrol_random(FingerprintIndex& index, int count, const std::string& prefix,
                                                std::mt19937& rng) {
  std::vector<ridge::FingerTemplate> fingers;
  std::vector<std::string> keys;
  for (int i = 0; i < count; ++i) {
    fingers.push_back(random_finger(rng));
    keys.push_back(std::string(prefix).append(std::to_string(i)));
  }
  index.add_batch(keys, fingers);
  return fingers;
}

class FingerIndexTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FingerIndexTest, FindsTheMateAtRankOneAndForgetsRemovedTemplates) {
  std::mt19937 rng(7);
  FingerprintIndex index(GetParam());
  std::vector<ridge::FingerTemplate> fingers;
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) {
    fingers.push_back(random_finger(rng));
    keys.push_back("SC-" + std::to_string(i));
  }
  index.add_batch(keys, fingers);
  EXPECT_EQ(index.size(), 60u);
  for (int probe : {3, 17, 42}) {
    const auto candidates = index.search(mate_of(fingers[std::size_t(probe)], rng));
    ASSERT_FALSE(candidates.empty());
    EXPECT_EQ(candidates[0].key, keys[std::size_t(probe)]);
    if (candidates.size() > 1) {
      EXPECT_GT(candidates[0].score, candidates[1].score);
    }
  }
  EXPECT_TRUE(index.remove("SC-17"));
  EXPECT_FALSE(index.remove("SC-17"));
  for (const auto& c : index.search(mate_of(fingers[17], rng))) EXPECT_NE(c.key, "SC-17");
  EXPECT_EQ(index.size(), 59u);
}

// BHNSW is accepted by the factory but not offered: on cylinder codes its graph search misses
// mates that Flat and IVF find (measured with this test), so it is not a supported default.
INSTANTIATE_TEST_SUITE_P(Factories, FingerIndexTest, ::testing::Values("BFlat", "BIVF8"));

TEST(FingerIndex, EmptyGalleryReturnsNoCandidates) {
  FingerprintIndex index;
  std::mt19937 rng(1);
  EXPECT_TRUE(index.search(random_finger(rng)).empty());
}

TEST(FingerIndex, ReAddingAKeyReplacesIt) {
  std::mt19937 rng(3);
  FingerprintIndex index;
  const auto a = random_finger(rng), b = random_finger(rng);
  index.add("K", a);
  index.add("K", b);
  EXPECT_EQ(index.size(), 1u);
  const auto found = index.search(mate_of(b, rng));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].key, "K");
  EXPECT_GT(found[0].score, 0.3);
}

TEST(FingerIndex, SerializesAndDetectsCorruption) {
  std::mt19937 rng(5);
  FingerprintIndex index("BIVF4");
  std::vector<ridge::FingerTemplate> fingers;
  for (int i = 0; i < 20; ++i) {
    fingers.push_back(random_finger(rng));
    index.add(std::string("T").append(std::to_string(i)), fingers.back());  // pending until trained
  }
  index.remove("T5");
  const std::string bytes = index.serialize();
  auto loaded = FingerprintIndex::deserialize(bytes);
  EXPECT_EQ(loaded->size(), 19u);
  EXPECT_EQ(loaded->configuration_hash(), index.configuration_hash());
  const auto probe = mate_of(fingers[9], rng);
  const auto found = loaded->search(probe);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].key, "T9");
  EXPECT_FALSE(loaded->contains("T5"));
  // The loaded index finds its codes again (stage 2 reads them from the binary index): same
  // candidates, same scores, same votes.
  const auto before = index.search(probe);
  ASSERT_EQ(before.size(), found.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    EXPECT_EQ(before[i].key, found[i].key);
    EXPECT_DOUBLE_EQ(before[i].score, found[i].score);
    EXPECT_DOUBLE_EQ(before[i].votes, found[i].votes);
  }

  std::string corrupt = bytes;
  corrupt[100] ^= 1;
  EXPECT_THROW(FingerprintIndex::deserialize(corrupt), Error);
  EXPECT_THROW(FingerprintIndex::deserialize(bytes.substr(0, 50)), Error);
}

// Both voting schemes find the mate; the trace reports where it stood after every stage.
TEST(FingerIndex, VotingSchemesFindTheMateAndTraceReportsItsRanks) {
  std::mt19937 rng(11);
  FingerprintIndex index;
  const auto fingers = enrol_random(index, 40, "K", rng);
  const auto probe = mate_of(fingers[23], rng);
  for (const Voting voting : {Voting::kCount, Voting::kGeometric}) {
    FingerSearchOptions options;
    options.voting = voting;
    if (voting == Voting::kCount) {
      // Plain counting needs the rank weighting: with every neighbour weighing 1, templates
      // with many minutiae collect the most chance hits (the mate then ranked 7th here).
      options.neighbours = 32;
      options.vote_rank_scale = 8;
    }
    options.trace_key = "K23";
    FingerSearchStats stats;
    const auto found = index.search(probe, options, &stats);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found[0].key, "K23");
    EXPECT_EQ(stats.trace_vote_rank, 0) << int(voting);
    EXPECT_EQ(stats.trace_shortlist_rank, 0);
    EXPECT_EQ(stats.trace_final_rank, 0);
    EXPECT_GT(found[0].votes, 0);
  }
  FingerSearchOptions unknown;
  unknown.trace_key = "nobody";
  FingerSearchStats stats;
  index.search(probe, unknown, &stats);
  EXPECT_EQ(stats.trace_vote_rank, -1);
  EXPECT_EQ(stats.trace_final_rank, -1);
}

// Geometric voting counts only hits that agree on one rotation and translation: a template
// made of the probe's own cylinders scattered (same local structure, broken global layout)
// scores below the real mate, and the real mate's vote approaches one per matched cylinder.
TEST(FingerIndex, GeometricVotesFavourAConsistentLayout) {
  std::mt19937 rng(13);
  const auto finger = random_finger(rng);
  FingerprintIndex index;
  index.add("mate", finger);
  for (int i = 0; i < 10; ++i) index.add(std::string("other").append(std::to_string(i)), random_finger(rng));
  FingerSearchOptions geometric;
  geometric.voting = Voting::kGeometric;
  FingerSearchOptions count = geometric;  // same neighbours and weights, only the voting differs
  count.voting = Voting::kCount;
  const auto probe = mate_of(finger, rng);
  const auto by_geometry = index.search(probe, geometric);
  const auto by_count = index.search(probe, count);
  ASSERT_FALSE(by_geometry.empty());
  ASSERT_FALSE(by_count.empty());
  EXPECT_EQ(by_geometry[0].key, "mate");
  // Every agreeing hit also counts as a hit, never the other way round.
  EXPECT_LE(by_geometry[0].votes, by_count[0].votes + 1e-9);
  EXPECT_GT(by_geometry[0].votes, 0.5 * by_count[0].votes);
}

TEST(FingerIndex, RefusesAnIndexFileOfTheOlderFormatWithAClearMessage) {
  std::mt19937 rng(9);
  FingerprintIndex index;
  index.add("A", random_finger(rng));
  // TPFIDX3: before cylinder positions were stored; TPFIDX4: with a second copy of the codes;
  // TPFIDX5: nested checksummed strings (not streamable). Checksum made right again, so the
  // tag is what is refused.
  for (const std::string old : {"TPFIDX3", "TPFIDX4", "TPFIDX5"}) {
    std::string bytes = index.serialize();
    bytes.replace(0, 8, old + "\n");
    bytes.resize(bytes.size() - 64);
    bytes += sha256_hex(bytes);
    try {
      FingerprintIndex::deserialize(bytes);
      FAIL() << "an old-format index file was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
      EXPECT_NE(std::string(e.what()).find(old), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("rebuild"), std::string::npos) << e.what();
    }
  }
}

TEST(FingerIndex, RefusesBadOptionsAndTemplates) {
  FingerprintIndex index;
  std::mt19937 rng(2);
  FingerSearchOptions options;
  options.top_k = 0;
  EXPECT_THROW(index.search(random_finger(rng), options), Error);
  options = {};
  options.shortlist = 0;
  EXPECT_THROW(index.search(random_finger(rng), options), Error);
  // Each bad option is refused with a message naming it.
  auto refused_naming = [&](const std::string& name, auto&& spoil) {
    FingerSearchOptions bad;
    spoil(bad);
    try {
      index.search(random_finger(rng), bad);
      ADD_FAILURE() << "a bad " << name << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  refused_naming("probe_hits", [](FingerSearchOptions& o) { o.probe_hits = -1; });
  refused_naming("small_probe_rerank", [](FingerSearchOptions& o) { o.small_probe_rerank = -1; });
  refused_naming("small_probe_shortlist", [](FingerSearchOptions& o) { o.small_probe_shortlist = -1; });
  refused_naming("shortlist_per_million", [](FingerSearchOptions& o) { o.shortlist_per_million = -1; });
  refused_naming("voting", [](FingerSearchOptions& o) { o.voting = Voting(7); });
  auto bad = random_finger(rng);
  bad.ppi = 0;
  EXPECT_THROW(index.add("X", bad), Error);
  EXPECT_THROW(index.add("", random_finger(rng)), Error);
  // A bad template in a batch (encoded on several threads) leaves the index as it was.
  index.add("good", random_finger(rng));
  std::vector<ridge::FingerTemplate> batch(40, random_finger(rng));
  batch[29].minutiae[3].x = std::numeric_limits<float>::quiet_NaN();
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) keys.push_back(std::string("B").append(std::to_string(i)));
  EXPECT_THROW(index.add_batch(keys, batch), Error);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_FALSE(index.contains("B0"));
  EXPECT_THROW(index.add_batch({"x", "y"}, {random_finger(rng)}), Error);
}

// The stage-2 shortlist grows with the gallery (shortlist_per_million), never below `shortlist`.
TEST(FingerIndex, ShortlistGrowsWithTheGallery) {
  std::mt19937 rng(21);
  FingerprintIndex index;
  const auto fingers = enrol_random(index, 200, "G", rng);
  const auto probe = mate_of(fingers[17], rng);
  FingerSearchOptions options;
  options.shortlist = 10;
  options.small_probe_cylinders = 0;
  options.shortlist_per_million = 0;
  FingerSearchStats fixed, grown;
  index.search(probe, options, &fixed);
  options.shortlist_per_million = 250'000;  // 50 of 200 templates
  const auto found = index.search(probe, options, &grown);
  ASSERT_GT(fixed.voted_templates, 50u);
  EXPECT_EQ(fixed.code_scored, 10u);
  EXPECT_EQ(grown.code_scored, 50u);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].key, "G17");
}

// Patch codes: every bit sums cells of one small disc (so it describes one region), and the
// disc radius is part of the index's configuration and of its file.
TEST(CylinderCode, PatchBitsSampleOneDiscAndTheRadiusRoundTrips) {
  const match::MccParameters mcc = match::default_parameters();
  CylinderCodeParameters parameters;
  ASSERT_EQ(parameters.kind, CylinderCodeKind::kPatchProjection);
  const CylinderCoder coder(parameters, mcc);
  const int ns = mcc.spatial_cells;
  const std::size_t per = std::size_t(parameters.cells_per_projection);
  for (std::size_t b = 0; b < std::size_t(parameters.code_bits); ++b) {
    for (std::size_t t = b * per; t < (b + 1) * per; ++t) {
      for (std::size_t u = t + 1; u < (b + 1) * per; ++u) {
        const int p = coder.sampled_cells()[t] % (ns * ns), q = coder.sampled_cells()[u] % (ns * ns);
        const double d = std::hypot(p / ns - q / ns, p % ns - q % ns);
        ASSERT_LE(d, 2 * parameters.patch_radius + 1e-6) << "bit " << b;
      }
    }
  }
  CylinderCodeParameters wide = parameters;
  wide.patch_radius = 4;
  EXPECT_NE(CylinderCoder(wide, mcc).parameters_hash(), coder.parameters_hash());
  CylinderCodeParameters whole = parameters;
  whole.kind = CylinderCodeKind::kProjection;
  EXPECT_NE(CylinderCoder(whole, mcc).parameters_hash(), coder.parameters_hash());
  whole.patch_radius = 0;  // not used by whole-disc projections
  EXPECT_NO_THROW(CylinderCoder(whole, mcc));
  CylinderCodeParameters bad = parameters;
  bad.patch_radius = 0.2f;
  EXPECT_THROW(CylinderCoder(bad, mcc), Error);

  std::mt19937 rng(8);
  FingerprintIndex index("BFlat", wide);
  const auto finger = random_finger(rng);
  index.add("T", finger);
  const auto loaded = FingerprintIndex::deserialize(index.serialize());
  EXPECT_EQ(loaded->configuration_hash(), index.configuration_hash());
  const auto found = loaded->search(mate_of(finger, rng));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].key, "T");
}

}  // namespace
}  // namespace tuskprint::index
