#include "catalog/catalog.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "catalog_file.hpp"
#include "server_process.hpp"
#include "service/evidence_service.hpp"

namespace tuskprint::catalog {
namespace {
namespace fs = std::filesystem;
using tuskprint::testing::exec_on_catalog_file;
using tuskprint::testing::make_png;
using tuskprint::testing::TempDir;

v1::Seizure seizure_in(const std::string& country) {
  v1::Seizure s;
  s.set_date("2023-11-02");
  s.set_discovering_country(country);
  return s;
}

TEST(Catalog, CreatesSchemaInWalMode) {
  TempDir dir;
  auto catalog = Catalog::open(dir.path());
  EXPECT_EQ(catalog->schema_version(), kSchemaVersion);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "catalog.sqlite3").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(Catalog, RefusesADatabaseFromANewerSchema) {
  TempDir dir;
  Catalog::open(dir.path());
  ASSERT_EQ(exec_on_catalog_file(dir.path(), "PRAGMA user_version=99"), "");
  try {
    Catalog::open(dir.path());
    FAIL() << "opened a newer schema";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos);
  }
}

TEST(Catalog, PagesSeizuresAndFiltersByCountry) {
  TempDir dir;
  auto catalog = Catalog::open(dir.path());
  for (int i = 0; i < 5; ++i) catalog->insert_seizure(seizure_in(i % 2 ? "VN" : "KE"));
  auto page = catalog->list_seizures(2, "", "");
  EXPECT_EQ(page.seizures.size(), 2u);
  EXPECT_FALSE(page.next_page_token.empty());
  std::size_t total = page.seizures.size();
  while (!page.next_page_token.empty()) {
    page = catalog->list_seizures(2, page.next_page_token, "");
    total += page.seizures.size();
  }
  EXPECT_EQ(total, 5u);
  EXPECT_EQ(catalog->list_seizures(0, "", "KE").seizures.size(), 3u);
  EXPECT_THROW(catalog->list_seizures(10, "garbage", ""), Error);
  EXPECT_THROW(catalog->list_seizures(5000, "", ""), Error);
}

TEST(Catalog, SpecimenNeedsItsSeizure) {
  TempDir dir;
  auto catalog = Catalog::open(dir.path());
  v1::Specimen specimen;
  specimen.set_seizure_id("SZ-MISSING");
  try {
    catalog->insert_specimen(specimen);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST(BlobStore, StoresOnceAndDetectsCorruption) {
  TempDir dir;
  BlobStore store(dir.path() / "blobs");
  const std::string bytes = "evidence bytes";
  const std::string sha = sha256_hex(bytes);
  EXPECT_TRUE(store.put(sha, bytes));
  EXPECT_FALSE(store.put(sha, bytes));
  EXPECT_EQ(store.get(sha), bytes);
  std::ofstream(store.path_of(sha), std::ios::binary | std::ios::trunc) << "tampered";
  try {
    store.get(sha);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kDataLoss);
  }
  EXPECT_THROW(store.get(std::string(64, 'a')), Error);
  EXPECT_THROW(store.path_of("../../etc/passwd"), Error);
}

TEST(Audit, EntriesChainByHashAndCannotBeRewritten) {
  TempDir dir;
  auto catalog = Catalog::open(dir.path());
  catalog->append_audit("lab-ke", "create_seizure", "SZ-1", "ok");
  catalog->append_audit("lab-vn", "search", "SC-2", "ok");
  const auto entries = catalog->audit_entries(0, 10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ(entries[1].prev_hash, entries[0].hash);
  for (const auto& e : entries) EXPECT_EQ(audit_entry_hash(e), e.hash);

  EXPECT_NE(exec_on_catalog_file(dir.path(), "UPDATE audit_log SET actor='x'"), "");
  EXPECT_NE(exec_on_catalog_file(dir.path(), "DELETE FROM audit_log"), "");
}

// A change and its audit entry are one transaction: the entry names the id the change
// assigned, and when the entry cannot be written the change is not stored either.
TEST(Audit, ChangeAndItsEntryCommitTogether) {
  TempDir dir;
  auto catalog = Catalog::open(dir.path());
  const AuditIntent create{"lab-ke", "create_seizure", "{id}", "ok"};
  const auto seizure = catalog->insert_seizure(seizure_in("KEN"), &create);
  v1::Specimen specimen;
  specimen.set_seizure_id(seizure.id());
  const AuditIntent add{"lab-ke", "add_specimen", seizure.id() + ",{id}", "ok"};
  const auto stored = catalog->insert_specimen(specimen, &add);
  auto entries = catalog->audit_entries(0, 10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].records, seizure.id());
  EXPECT_EQ(entries[1].records, seizure.id() + "," + stored.id());
  EXPECT_EQ(entries[1].prev_hash, entries[0].hash);

  // A change refused by the catalog leaves no entry.
  specimen.set_seizure_id("SZ-missing");
  EXPECT_THROW(catalog->insert_specimen(specimen, &add), Error);
  EXPECT_EQ(catalog->audit_entries(0, 10).size(), 2u);

  // An audit log that refuses the entry takes the change down with it.
  ASSERT_EQ(exec_on_catalog_file(dir.path(),
                                 "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
                                 "BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END;"),
            "");
  const auto before = catalog->list_seizures(100, "", "").seizures.size();
  EXPECT_THROW(catalog->insert_seizure(seizure_in("VNM"), &create), Error);
  EXPECT_EQ(catalog->list_seizures(100, "", "").seizures.size(), before);
}

// A re-measurement (engine upgrade) replaces a scan's features: the log removes the old ones
// and adds the new; additions logged before it are no longer replayed, whatever the new
// measurement found, so an index rebuilt from the log never reads a row that is gone.
TEST(Catalog, ReplacedFeaturesRetireTheirEarlierAdditions) {
  TempDir dir;
  auto catalog = Catalog::open(dir.path());
  const auto seizure = catalog->insert_seizure(seizure_in("KEN"));
  auto scan_with = [&](const std::string& bytes, const FeatureRecord& f) {
    v1::Scan scan;
    scan.mutable_metadata()->set_seizure_id(seizure.id());
    scan.mutable_metadata()->set_kind(v1::SCAN_KIND_CROSS_SECTION);
    scan.set_sha256(sha256_hex(bytes));
    return catalog->insert_scan(scan, bytes, nullptr, {f});
  };
  const FeatureRecord old{"schreger", "x/1", "h1", "old profile", true};
  const v1::Scan a = scan_with("image a", old);
  const v1::Scan b = scan_with("image b", old);
  auto events = [&] { return catalog->feature_events("schreger", 0, 100); };
  ASSERT_EQ(events().size(), 2u);
  const std::int64_t before = catalog->last_feature_seq();

  // a: a new searchable measurement; b: nothing measurable any more.
  const AuditIntent audit{"local/test", "remeasure", "{id}", "ok"};
  catalog->replace_features(a, {FeatureRecord{"schreger", "x/2", "h2", "new profile", true}}, &audit);
  catalog->replace_features(b, {}, &audit);
  const auto after = events();
  ASSERT_EQ(after.size(), 3u);  // a removed and added again, b removed; the first additions gone
  EXPECT_FALSE(after[0].add);
  EXPECT_EQ(after[0].scan_id, a.id());
  EXPECT_TRUE(after[1].add);
  EXPECT_EQ(after[1].feature.data, "new profile");
  EXPECT_EQ(after[1].feature.extractor_version, "x/2");
  EXPECT_FALSE(after[2].add);
  EXPECT_EQ(after[2].scan_id, b.id());
  // A follower already past the old additions sees the same removals and addition.
  EXPECT_EQ(catalog->feature_events("schreger", before, 100).size(), 3u);
  EXPECT_EQ(catalog->find_feature(a.id(), "schreger")->data, "new profile");
  EXPECT_FALSE(catalog->find_feature(b.id(), "schreger").has_value());
  const auto stamps = catalog->feature_stamps();
  ASSERT_EQ(stamps.size(), 1u);
  EXPECT_EQ(stamps[0].scan_id, a.id());
  EXPECT_EQ(stamps[0].extractor_version, "x/2");
  EXPECT_EQ(catalog->audit_entries(0, 10).size(), 2u);

  v1::Scan unknown = a;
  unknown.set_id("SC-missing");
  EXPECT_THROW(catalog->replace_features(unknown, {}), Error);
}

TEST(EvidenceService, UploadRefusedPastLimitAndOnHashMismatchStoresNothing) {
  TempDir dir;
  auto catalog = Catalog::open(dir.path());
  service::ServiceOptions options;
  options.limits.image.max_bytes = 1000;
  service::EvidenceService core(*catalog, options);
  service::Caller tester;
  tester.lab = "LAB-KE";
  tester.name = "tester";
  tester.token_id = "local";
  const auto seizure = core.create_seizure(seizure_in("KE"), tester);
  v1::ScanMetadata m;
  m.set_seizure_id(seizure.id());
  m.set_kind(v1::SCAN_KIND_CROSS_SECTION);
  m.set_ppi(600);
  m.set_operator_name("op");
  auto upload = core.begin_scan(m, tester);
  upload.append(std::string(800, 'a'));
  try {
    upload.append(std::string(300, 'a'));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted);
  }
  m.set_expected_sha256(std::string(64, 'f'));
  const std::string png = make_png(20, 20);
  try {
    core.submit_scan(m, png, tester);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kDataLoss);
  }
  EXPECT_EQ(catalog->count_scans(), 0);
  m.set_expected_sha256(sha256_hex(png));
  const auto stored = core.submit_scan(m, png, tester);
  EXPECT_EQ(stored.scan.sha256(), sha256_hex(png));
  EXPECT_EQ(core.read_scan_bytes(stored.scan.id(), tester), png);
  // Refusals are audited too.
  bool saw_refusal = false;
  for (const auto& e : catalog->audit_entries(0, 100)) {
    saw_refusal = saw_refusal || e.result.find("refused") != std::string::npos;
  }
  EXPECT_TRUE(saw_refusal);
}

}  // namespace
}  // namespace tuskprint::catalog
