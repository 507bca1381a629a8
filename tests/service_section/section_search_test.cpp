#include "service/section_search.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "datasets/tusks/cross_section.hpp"
#include "datasets/tusks/tusk_model.hpp"
#include "schreger/measure.hpp"
#include "service/evidence_service.hpp"
#include "server_process.hpp"

namespace tuskprint::service {
namespace {
namespace fs = std::filesystem;
namespace tusks = datasets::tusks;
using tuskprint::testing::TempDir;

constexpr double kPpi = 150;
constexpr std::uint64_t kSeed = 61;

tusks::GeneratorOptions generator_options() {
  tusks::GeneratorOptions o;
  o.ppi = kPpi;
  o.cdj_radius_min_mm = 20;
  o.cdj_radius_max_mm = 24;
  o.jpeg_quality = 0;
  return o;
}

// Cut faces of a few small generated tusks ("t<tusk>_<slice>" -> PNG bytes).
const std::map<std::string, std::string>& faces() {
  static const std::map<std::string, std::string> all = [] {
    const tusks::GeneratorOptions o = generator_options();
    std::map<std::string, std::string> out;
    const int slices[] = {4, 2, 2, 2};
    for (int t = 0; t < 4; ++t) {
      const tusks::TuskModel tusk = tusks::sample_tusk(kSeed, t, o);
      for (int s = 0; s < slices[t]; ++s) {
        const cv::Mat bgr = tusks::render_slice(tusk, tusks::sample_slice(tusk, kSeed, t, s, o)).bgr;
        std::vector<std::uint8_t> png;
        cv::imencode(".png", bgr, png);
        const std::string name = cv::format("t%d_%d", t, s);  // GCC 12 -Wrestrict on "t" + string
        out[name] = std::string(png.begin(), png.end());
      }
    }
    return out;
  }();
  return all;
}

v1::SchregerProfile profile_of(const std::string& name) {
  const catalog::FeatureRecord r = schreger_feature_record(faces().at(name), kPpi);
  v1::SchregerProfile p;
  EXPECT_TRUE(p.ParseFromString(r.data));
  return p;
}

// A catalog holding every face but the probe t0_1 (its neighbours: t0_0 and t0_2 adjacent,
// t0_3 two cuts away), with scan ids by face name.
struct Gallery {
  TempDir dir;
  std::unique_ptr<catalog::Catalog> catalog = catalog::Catalog::open(dir.path());
  std::map<std::string, std::string> scan_of;  // face name -> scan id
  std::map<std::string, std::string> name_of;  // scan id -> face name

  Gallery() {
    v1::Seizure seizure;
    seizure.set_date("2024-03-01");
    seizure.set_discovering_country("KE");
    const std::string seizure_id = catalog->insert_seizure(seizure).id();
    for (const auto& [name, bytes] : faces()) {
      if (name == "t0_1") continue;
      v1::Scan scan;
      scan.mutable_metadata()->set_seizure_id(seizure_id);
      scan.mutable_metadata()->set_kind(v1::SCAN_KIND_CROSS_SECTION);
      scan.mutable_metadata()->set_ppi(std::uint32_t(kPpi));
      scan.set_sha256(sha256_hex(bytes));
      const v1::Scan stored = catalog->insert_scan(scan, bytes, nullptr, {schreger_feature_record(bytes, kPpi)});
      scan_of[name] = stored.id();
      name_of[stored.id()] = name;
    }
  }
};

template <typename F>
std::string error_of(F&& f, ErrorCode* code = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (code) *code = e.code();
    return e.what();
  }
  return "";
}

TEST(SchregerFeatureRecord, CarriesTheProfileAndIsSearchable) {
  const catalog::FeatureRecord r = schreger_feature_record(faces().at("t1_0"), kPpi);
  EXPECT_EQ(r.modality, "schreger");
  EXPECT_TRUE(r.searchable);
  v1::SchregerProfile p;
  ASSERT_TRUE(p.ParseFromString(r.data));
  EXPECT_EQ(r.extractor_version, p.extractor_version());
  EXPECT_EQ(r.parameters_hash, p.parameters_hash());
  EXPECT_EQ(p.link_descriptor_size(), schreger::kLinkDescriptorSize);
  EXPECT_EQ(p.link_pattern_map().size(), std::size_t(p.link_pattern_rows()) * p.link_pattern_cols());
  EXPECT_GT(p.link_pattern_rows(), 0u);
}

TEST(SchregerFeatureRecord, BlankImageIsKeptButNotSearchable) {
  cv::Mat blank(600, 600, CV_8UC3, cv::Scalar(200, 200, 200));
  std::vector<std::uint8_t> png;
  cv::imencode(".png", blank, png);
  const catalog::FeatureRecord r = schreger_feature_record(std::string(png.begin(), png.end()), kPpi);
  EXPECT_FALSE(r.searchable);
  v1::SchregerProfile p;
  ASSERT_TRUE(p.ParseFromString(r.data));
  EXPECT_EQ(p.species(), v1::SPECIES_NOT_IVORY);
}

TEST(SchregerFeatureRecord, BadInputIsAClearError) {
  cv::Mat tiny(40, 40, CV_8UC3, cv::Scalar(200, 200, 200));
  std::vector<std::uint8_t> png;
  cv::imencode(".png", tiny, png);
  ErrorCode code{};
  EXPECT_NE(error_of([&] { schreger_feature_record(std::string(png.begin(), png.end()), kPpi); }, &code)
                .find("too small to hold a tusk section"),
            std::string::npos);
  EXPECT_EQ(code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error_of([&] { schreger_feature_record(faces().at("t1_0"), 20); }).find("ppi 20 is outside"),
            std::string::npos);
  EXPECT_FALSE(error_of([&] { schreger_feature_record(std::string("not an image"), kPpi); }).empty());
}

TEST(SectionSearch, AdjacentFaceRanksFirst) {
  Gallery g;
  SectionSearch search(*g.catalog);
  const SectionIndexStatus status = search.open();
  EXPECT_EQ(status.how_opened, "rebuilt: index file missing");
  EXPECT_EQ(status.sections, faces().size() - 1);
  EXPECT_EQ(search.size(), faces().size() - 1);
  const auto hits = search.search(profile_of("t0_1"), {5, 50});
  ASSERT_EQ(hits.size(), 5u);
  const std::string first = g.name_of.at(hits[0].scan_id), second = g.name_of.at(hits[1].scan_id);
  EXPECT_TRUE(first == "t0_0" || first == "t0_2") << first;
  EXPECT_TRUE(second == "t0_0" || second == "t0_2") << second;  // both adjacent faces before t0_3
  EXPECT_TRUE(hits[0].mirrored);  // facing cut faces are mirror images
  for (std::size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].link_score, hits[i].link_score);
  // Faces of other tusks score far below.
  for (const auto& h : hits) {
    if (g.name_of.at(h.scan_id).rfind("t0_", 0) != 0) {
      EXPECT_LT(h.link_score, hits[0].link_score - 0.3);
    }
  }
}

// The tusk tapers toward its tip (slice 0 is the nearest the base), so the probe t0_1 is
// smaller than t0_0 and larger than t0_2, by the generator's taper over one cut; the faces'
// size steps, measured from the outlines the index keeps, say so.
TEST(SectionSearch, TellsWhichAdjacentFaceIsLarger) {
  const tusks::GeneratorOptions o = generator_options();
  const tusks::TuskModel tusk = tusks::sample_tusk(kSeed, 0, o);
  const double cut_mm = tusks::sample_slice(tusk, kSeed, 0, 1, o).z_mm - tusks::sample_slice(tusk, kSeed, 0, 0, o).z_mm;
  const double expected = tusk.cdj_radius_mm * tusk.taper_per_mm * cut_mm;  // radius lost per cut
  ASSERT_GT(expected, 0.06) << "premise: the taper over one cut is well above the step's error";
  Gallery g;
  SectionSearch search(*g.catalog);
  search.open();
  std::map<std::string, double> step;
  std::map<std::string, SectionCandidate> hit;
  for (const auto& h : search.search(profile_of("t0_1"), {5, 50})) {
    if (h.size_step_mm.has_value()) step[g.name_of.at(h.scan_id)] = *h.size_step_mm;
    hit[g.name_of.at(h.scan_id)] = h;
  }
  ASSERT_TRUE(step.count("t0_0") && step.count("t0_2"));
  // Facing cut faces: mirror images, whose outlines' shapes agree to the edge's noise.
  for (const char* adjacent : {"t0_0", "t0_2"}) {
    SCOPED_TRACE(adjacent);
    EXPECT_TRUE(hit[adjacent].mirrored);
    ASSERT_TRUE(hit[adjacent].outline_residual_mm.has_value());
    EXPECT_LT(*hit[adjacent].outline_residual_mm, 0.06);
  }
  EXPECT_NEAR(step["t0_0"], -expected, 0.03 + 0.2 * expected);
  EXPECT_NEAR(step["t0_2"], expected, 0.03 + 0.2 * expected);
}

TEST(SectionSearch, IndexSurvivesReopenAndIsRebuiltWhenDeleted) {
  Gallery g;
  std::vector<SectionCandidate> before;
  {
    SectionSearch search(*g.catalog);
    search.open();
    before = search.search(profile_of("t0_1"), {3, 20});
    search.save();
  }
  ASSERT_TRUE(fs::exists(g.dir.path() / "index" / "section.idx"));
  auto same = [&](const std::vector<SectionCandidate>& after) {
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
      EXPECT_EQ(after[i].scan_id, before[i].scan_id);
      EXPECT_DOUBLE_EQ(after[i].link_score, before[i].link_score);
      EXPECT_EQ(after[i].size_step_mm, before[i].size_step_mm);  // the outlines were kept
    }
  };
  {
    SectionSearch search(*g.catalog);
    EXPECT_EQ(search.open().how_opened, "loaded");
    same(search.search(profile_of("t0_1"), {3, 20}));
  }
  fs::remove(g.dir.path() / "index" / "section.idx");
  {
    SectionSearch search(*g.catalog);
    const auto status = search.open();
    EXPECT_EQ(status.how_opened, "rebuilt: index file missing");
    EXPECT_EQ(status.sections, faces().size() - 1);
    same(search.search(profile_of("t0_1"), {3, 20}));
  }
  // A damaged file is rebuilt too.
  {
    SectionSearch search(*g.catalog);
    search.open();
    search.save();
  }
  {
    std::fstream f(g.dir.path() / "index" / "section.idx", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x7f');
  }
  SectionSearch search(*g.catalog);
  EXPECT_EQ(search.open().how_opened.rfind("rebuilt: ", 0), 0u);
  same(search.search(profile_of("t0_1"), {3, 20}));
}

TEST(SectionSearch, ReplaysNewScansAndWithdrawals) {
  Gallery g;
  SectionSearch search(*g.catalog);
  search.open();
  search.save();
  ASSERT_TRUE(g.catalog->withdraw_scan(g.scan_of.at("t0_0")));
  ASSERT_TRUE(g.catalog->withdraw_scan(g.scan_of.at("t0_2")));
  const auto hits = search.search(profile_of("t0_1"), {10, 50});  // catches up first
  EXPECT_EQ(search.size(), faces().size() - 3);
  for (const auto& h : hits) {
    EXPECT_NE(h.scan_id, g.scan_of.at("t0_0"));
    EXPECT_NE(h.scan_id, g.scan_of.at("t0_2"));
  }
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(g.name_of.at(hits[0].scan_id), "t0_3");  // the tusk's remaining face
  SectionSearch reopened(*g.catalog);
  EXPECT_EQ(reopened.open().how_opened, "loaded+replayed");
  EXPECT_EQ(reopened.size(), faces().size() - 3);
}

// A seizure in `catalog` to store scans in, and the caller remeasure runs as (the data
// directory's operator).
std::string any_seizure(catalog::Catalog& catalog) {
  v1::Seizure seizure;
  seizure.set_date("2024-03-01");
  seizure.set_discovering_country("KE");
  return catalog.insert_seizure(seizure).id();
}

Caller data_directory_admin() {
  Caller admin;
  admin.lab = "local";
  admin.name = "test";
  admin.token_id = "data-directory";
  return admin;
}

RemeasureOptions dry_run() {
  RemeasureOptions o;
  o.dry_run = true;
  return o;
}

// After an engine upgrade the catalog holds profiles of an older extractor: the index refuses
// them (naming the way out), and remeasure_stale measures them again from the stored scans.
TEST(Remeasure, ReplacesProfilesOfAnOlderExtractorFromTheStoredScans) {
  TempDir dir;
  auto catalog = catalog::Catalog::open(dir.path());
  const std::string seizure_id = any_seizure(*catalog);
  std::map<std::string, std::string> scan_of, name_of;
  for (const auto& [name, bytes] : faces()) {
    if (name == "t0_1") continue;
    catalog::FeatureRecord record = schreger_feature_record(bytes, kPpi);
    v1::Scan scan;
    scan.mutable_metadata()->set_seizure_id(seizure_id);
    scan.mutable_metadata()->set_kind(v1::SCAN_KIND_CROSS_SECTION);
    scan.mutable_metadata()->set_ppi(std::uint32_t(kPpi));
    scan.set_sha256(sha256_hex(bytes));
    if (name == "t0_0" || name == "t0_2" || name == "t1_0" || name == "t2_1") {
      // As an older engine stored it: its profile is stamped with another extractor version.
      v1::SchregerProfile old;
      ASSERT_TRUE(old.ParseFromString(record.data));
      old.set_extractor_version("tuskprint-schreger/0.9");
      record.extractor_version = old.extractor_version();
      record.data = old.SerializeAsString();
      *scan.mutable_schreger_profile() = old;
    }
    const v1::Scan stored = catalog->insert_scan(scan, bytes, nullptr, {record});
    scan_of[name] = stored.id();
    name_of[stored.id()] = name;
  }
  ASSERT_TRUE(catalog->withdraw_scan(scan_of.at("t1_0")));  // stale and withdrawn
  {
    SectionSearch search(*catalog);
    ErrorCode code{};
    const std::string why = error_of([&] { search.open(); }, &code);
    EXPECT_EQ(code, ErrorCode::kFailedPrecondition);
    EXPECT_NE(why.find("tuskprint-schreger/0.9"), std::string::npos) << why;
    EXPECT_NE(why.find("tuskprint catalog remeasure"), std::string::npos) << why;
  }
  EvidenceService core(*catalog, ServiceOptions{});
  const Caller admin = data_directory_admin();
  // A dry run lists the four stale profiles and changes nothing.
  RemeasureReport report = core.remeasure_stale(admin, dry_run());
  EXPECT_EQ(report.features, faces().size() - 1);
  ASSERT_EQ(report.stale.size(), 4u);
  EXPECT_EQ(report.remeasured, 0u);
  EXPECT_EQ(catalog->find_feature(scan_of.at("t0_0"), kSchregerModality)->extractor_version,
            "tuskprint-schreger/0.9");
  // One stale scan's stored image is gone: it is reported and left as it was; the rest are
  // re-measured, with progress.
  const v1::Scan lost = catalog->get_scan(scan_of.at("t2_1"));
  fs::remove(catalog->blobs().path_of(lost.sha256()));
  RemeasureOptions run;
  std::size_t progress_calls = 0;
  run.progress = [&](std::size_t done, std::size_t total, const std::string&) {
    ++progress_calls;
    EXPECT_LE(done, total);
  };
  report = core.remeasure_stale(admin, run);
  EXPECT_EQ(progress_calls, 4u);
  EXPECT_EQ(report.remeasured, 3u);
  ASSERT_EQ(report.failed, 1u);
  for (const RemeasureItem& item : report.stale) {
    if (item.scan_id == lost.id()) {
      EXPECT_FALSE(item.error.empty());
      continue;
    }
    EXPECT_TRUE(item.error.empty()) << item.error;
    EXPECT_EQ(item.from_version, "tuskprint-schreger/0.9");
    EXPECT_EQ(item.to_version, schreger::kExtractorVersion);
    EXPECT_EQ(item.searchable, item.scan_id != scan_of.at("t1_0"));  // withdrawn: kept unindexed
    const v1::Scan scan = catalog->get_scan(item.scan_id);
    EXPECT_EQ(scan.schreger_profile().extractor_version(), schreger::kExtractorVersion);  // the record too
    EXPECT_EQ(catalog->find_feature(item.scan_id, kSchregerModality)->extractor_version,
              schreger::kExtractorVersion);
  }
  EXPECT_EQ(catalog->find_feature(lost.id(), kSchregerModality)->extractor_version, "tuskprint-schreger/0.9");
  // Restore the lost image (a lab recovering its blob store) and run again: only it is left.
  catalog->blobs().put(lost.sha256(), faces().at("t2_1"));
  report = core.remeasure_stale(admin, run);
  EXPECT_EQ(report.stale.size(), 1u);
  EXPECT_EQ(report.remeasured, 1u);
  EXPECT_EQ(core.remeasure_stale(admin, run).stale.size(), 0u);
  // Rebuilt from the feature log, the index holds each live face once, with its new profile,
  // and the re-measured neighbour links as before.
  SectionSearch search(*catalog);
  EXPECT_EQ(search.open().sections, faces().size() - 2);  // all but the probe and the withdrawn face
  const auto hits = search.search(profile_of("t0_1"), {3, 20});
  ASSERT_FALSE(hits.empty());
  const std::string first = name_of.at(hits[0].scan_id);
  EXPECT_TRUE(first == "t0_0" || first == "t0_2") << first;
  for (const auto& h : hits) EXPECT_NE(h.scan_id, scan_of.at("t1_0"));
  // Every re-measurement is in the audit log, whose chain is intact.
  std::size_t audited = 0;
  for (const auto& e : catalog->audit_entries(0, 1000)) audited += e.action == "remeasure" && e.result == "ok";
  EXPECT_EQ(audited, 4u);
  EXPECT_TRUE(catalog->verify_audit_chain().intact);
}

// A cut face from which an older engine measured nothing was stored without a profile:
// remeasure_stale tries it again, stores the profile when one is measured, and reports those
// that still give nothing, with the reason, leaving them as they are.
TEST(Remeasure, MeasuresCutFacesStoredWithoutAProfileAndReportsThoseThatStillGiveNothing) {
  TempDir dir;
  auto catalog = catalog::Catalog::open(dir.path());
  const std::string seizure_id = any_seizure(*catalog);
  auto store_unmeasured = [&](const std::string& bytes) {
    v1::Scan scan;
    scan.mutable_metadata()->set_seizure_id(seizure_id);
    scan.mutable_metadata()->set_kind(v1::SCAN_KIND_CROSS_SECTION);
    scan.mutable_metadata()->set_ppi(std::uint32_t(kPpi));
    scan.set_sha256(sha256_hex(bytes));
    return catalog->insert_scan(scan, bytes, nullptr, {}).id();
  };
  // A face this engine measures, and a 40 x 40 px image that holds no section at 150 ppi.
  const std::string face = store_unmeasured(faces().at("t0_0"));
  std::vector<unsigned char> png;
  cv::imencode(".png", cv::Mat(40, 40, CV_8UC3, cv::Scalar(200, 210, 220)), png);
  const std::string tiny = store_unmeasured(std::string(png.begin(), png.end()));
  EvidenceService core(*catalog, ServiceOptions{});
  const Caller admin = data_directory_admin();
  RemeasureReport report = core.remeasure_stale(admin, dry_run());
  EXPECT_EQ(report.features, 0u);
  EXPECT_EQ(report.unmeasured, 2u);
  ASSERT_EQ(report.stale.size(), 2u);
  for (const RemeasureItem& item : report.stale) {
    EXPECT_TRUE(item.unmeasured);
    EXPECT_TRUE(item.from_version.empty());
  }
  EXPECT_FALSE(catalog->find_feature(face, kSchregerModality).has_value());

  report = core.remeasure_stale(admin, RemeasureOptions{});
  EXPECT_EQ(report.remeasured, 1u);
  EXPECT_EQ(report.still_unmeasured, 1u);
  EXPECT_EQ(report.failed, 0u);
  for (const RemeasureItem& item : report.stale) {
    EXPECT_TRUE(item.error.empty()) << item.error;
    if (item.scan_id == face) {
      EXPECT_EQ(item.to_version, schreger::kExtractorVersion);
      EXPECT_TRUE(item.searchable);
      EXPECT_TRUE(item.nothing_measurable.empty());
    } else {
      EXPECT_TRUE(item.to_version.empty());
      EXPECT_FALSE(item.nothing_measurable.empty());
    }
  }
  ASSERT_TRUE(catalog->find_feature(face, kSchregerModality).has_value());
  EXPECT_EQ(catalog->find_feature(face, kSchregerModality)->extractor_version, schreger::kExtractorVersion);
  EXPECT_EQ(catalog->get_scan(face).schreger_profile().extractor_version(), schreger::kExtractorVersion);
  EXPECT_FALSE(catalog->find_feature(tiny, kSchregerModality).has_value());
  EXPECT_FALSE(catalog->get_scan(tiny).has_schreger_profile());
  // The measured face is searchable through the feature log; the tiny one is tried again on
  // the next run, and still gives nothing.
  SectionSearch search(*catalog);
  EXPECT_EQ(search.open().sections, 1u);
  report = core.remeasure_stale(admin, RemeasureOptions{});
  ASSERT_EQ(report.stale.size(), 1u);
  EXPECT_EQ(report.stale[0].scan_id, tiny);
  EXPECT_EQ(report.remeasured, 0u);
  EXPECT_EQ(report.still_unmeasured, 1u);
  std::size_t from_none = 0;
  for (const auto& e : catalog->audit_entries(0, 1000))
    from_none += e.action == "remeasure" && e.result == "ok" && e.records.find("schreger:none->") != std::string::npos;
  EXPECT_EQ(from_none, 1u);
  EXPECT_TRUE(catalog->verify_audit_chain().intact);
}

TEST(SectionSearch, BadInputIsAClearError) {
  Gallery g;
  SectionSearch search(*g.catalog);
  search.open();
  const v1::SchregerProfile probe = profile_of("t0_1");
  ErrorCode code{};
  EXPECT_NE(error_of([&] { search.search(probe, {0, 10}); }, &code).find("k must be 1..1000"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error_of([&] { search.search(probe, {10, 5}); }).find("shortlist must be"), std::string::npos);
  EXPECT_NE(error_of([&] { search.search(schreger::LinkFeatures{}, {1, 1}); }).find("probe has no link features"),
            std::string::npos);
  v1::SchregerProfile other = probe;
  other.set_parameters_hash("0123456789abcdef");
  EXPECT_NE(error_of([&] { search.search(other, {1, 1}); }, &code).find("re-measure the scan"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(error_of([&] { SectionSearch(*g.catalog, "LSH"); }).find("'LSH' is not one of"), std::string::npos);
  // An index built with another factory is rebuilt, not trusted.
  search.save();
  SectionSearch hnsw(*g.catalog, "HNSW16");
  EXPECT_NE(hnsw.open().how_opened.find("configuration asks for HNSW16"), std::string::npos);
  const std::string first = g.name_of.at(hnsw.search(probe, {1, 50})[0].scan_id);
  EXPECT_TRUE(first == "t0_0" || first == "t0_2") << first;
}

}  // namespace
}  // namespace tuskprint::service
