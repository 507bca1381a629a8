#include "catalog/catalog.hpp"

#include <sstream>

#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <random>

#include "catalog/sqlite.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"

namespace tuskprint::catalog {
namespace fs = std::filesystem;
namespace {

// Schema migrations, applied in order; migration i brings user_version from i to i + 1.
// Never edit a released migration: add a new one.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE seizures(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  discovering_country TEXT NOT NULL,
  date TEXT NOT NULL,
  owner_lab TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  record BLOB NOT NULL);
CREATE INDEX seizures_country ON seizures(discovering_country);
CREATE TABLE specimens(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  seizure_id TEXT NOT NULL REFERENCES seizures(id),
  cites_mark TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  record BLOB NOT NULL);
CREATE INDEX specimens_seizure ON specimens(seizure_id);
CREATE INDEX specimens_cites ON specimens(cites_mark);
CREATE TABLE blobs(
  sha256 TEXT PRIMARY KEY,
  byte_size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE scans(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  seizure_id TEXT NOT NULL REFERENCES seizures(id),
  specimen_id TEXT REFERENCES specimens(id),
  kind INTEGER NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  withdrawn INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  record BLOB NOT NULL);
CREATE INDEX scans_seizure ON scans(seizure_id);
CREATE INDEX scans_sha256 ON scans(sha256);
CREATE TABLE features(
  scan_id TEXT PRIMARY KEY REFERENCES scans(id),
  modality TEXT NOT NULL,
  extractor_version TEXT NOT NULL,
  parameters_hash TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  records TEXT NOT NULL,
  result TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
)sql",
    // 2: the feature log, the order in which templates became searchable or were withdrawn.
    // Indexes record the last sequence number they reflect and replay what came after.
    R"sql(
CREATE TABLE feature_log(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  scan_id TEXT NOT NULL REFERENCES scans(id),
  modality TEXT NOT NULL,
  operation TEXT NOT NULL CHECK (operation IN ('add', 'remove')),
  at INTEGER NOT NULL);
CREATE INDEX feature_log_scan ON feature_log(scan_id);
)sql",
    // 3: access control. Seizures can be shared with other labs by their owner; API tokens
    // are kept as the SHA-256 of their secret part only.
    R"sql(
ALTER TABLE seizures ADD COLUMN shareable INTEGER NOT NULL DEFAULT 0;
CREATE INDEX seizures_owner ON seizures(owner_lab);
CREATE TABLE api_tokens(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  lab TEXT NOT NULL,
  name TEXT NOT NULL,
  roles TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at INTEGER NOT NULL DEFAULT 0);
)sql",
    // 4: evidence edges between scans (a calibrated 1:1 comparison), found when a scan is
    // searched at enrolment or compared on request, and how far the linker has read the
    // feature log. Edges and progress commit together, so a crash replays, never skips.
    R"sql(
CREATE TABLE match_edges(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  modality TEXT NOT NULL,
  scan_a TEXT NOT NULL REFERENCES scans(id),
  scan_b TEXT NOT NULL REFERENCES scans(id),
  raw_score REAL NOT NULL,
  log10_lr REAL NOT NULL,
  method TEXT NOT NULL,
  model_version TEXT NOT NULL,
  found_at INTEGER NOT NULL,
  UNIQUE(modality, scan_a, scan_b),
  CHECK (scan_a < scan_b));
CREATE INDEX match_edges_b ON match_edges(scan_b);
CREATE TABLE link_progress(
  modality TEXT PRIMARY KEY,
  feature_seq INTEGER NOT NULL);
)sql",
    // 5: re-measurements after an engine upgrade: what had measured the replaced features,
    // and the feature-log removal that retired them (earlier additions are not replayed).
    R"sql(
CREATE TABLE feature_remeasures(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  scan_id TEXT NOT NULL REFERENCES scans(id),
  modality TEXT NOT NULL,
  log_seq INTEGER NOT NULL,
  from_version TEXT NOT NULL,
  from_parameters_hash TEXT NOT NULL,
  at INTEGER NOT NULL);
CREATE INDEX feature_remeasures_scan ON feature_remeasures(scan_id);
)sql",
};
constexpr int kMigrationCount = int(sizeof(kMigrations) / sizeof(kMigrations[0]));
static_assert(kMigrationCount == kSchemaVersion);

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

google::protobuf::Timestamp to_timestamp(std::int64_t micros) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

std::string serialize(const google::protobuf::Message& message) {
  std::string bytes;
  TP_CHECK(message.SerializeToString(&bytes), kInternal, "cannot serialise record");
  return bytes;
}

template <typename Message>
Message parse_record(const std::string& bytes, const char* what) {
  Message message;
  TP_CHECK(message.ParseFromString(bytes), kDataLoss, "stored " << what << " record is corrupt");
  return message;
}

}  // namespace

std::unique_ptr<Catalog> Catalog::open(const fs::path& data_dir) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  TP_CHECK(!ec, kInternal, "cannot create data directory '" << data_dir.string() << "': "
                                                            << ec.message());
  auto db = std::make_unique<sql::Database>((data_dir / "catalog.sqlite3").string());
  db->exec("PRAGMA journal_mode=WAL");
  db->exec("PRAGMA synchronous=FULL");
  db->exec("PRAGMA foreign_keys=ON");
  std::unique_ptr<Catalog> catalog(new Catalog(data_dir, std::move(db)));
  catalog->migrate();
  return catalog;
}

Catalog::Catalog(fs::path data_dir, std::unique_ptr<sql::Database> db)
    : data_dir_(std::move(data_dir)), db_(std::move(db)), blobs_(data_dir_ / "blobs") {}

Catalog::~Catalog() = default;

int Catalog::schema_version() const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, "PRAGMA user_version");
  return st.step() ? int(st.integer(0)) : 0;
}

void Catalog::migrate() {
  const int version = schema_version();
  TP_CHECK(version <= kSchemaVersion, kFailedPrecondition,
           "catalog schema version " << version << " is newer than this build supports ("
                                     << kSchemaVersion << "); upgrade TuskPrint");
  std::lock_guard lock(mutex_);
  for (int v = version; v < kSchemaVersion; ++v) {
    sql::Transaction tx(*db_);
    db_->exec(kMigrations[v]);
    db_->exec(("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
    tx.commit();
  }
}

std::string Catalog::new_id(const char* prefix, const char* table) const {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  for (;;) {
    std::uint64_t bits = rng();
    std::string id = prefix;
    id += '-';
    for (int i = 0; i < 10; ++i, bits >>= 5) id += kAlphabet[bits & 31];
    sql::Statement st(*db_, std::string("SELECT 1 FROM ") + table + " WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return id;
  }
}

v1::Seizure Catalog::insert_seizure(v1::Seizure seizure, const AuditIntent* audit) {
  std::lock_guard lock(mutex_);
  const std::int64_t now = now_micros();
  seizure.set_id(new_id("SZ", "seizures"));
  *seizure.mutable_created_at() = to_timestamp(now);
  sql::Transaction tx(*db_);
  sql::Statement st(*db_,
                    "INSERT INTO seizures(id, discovering_country, date, owner_lab, created_at, "
                    "record) VALUES(?, ?, ?, ?, ?, ?)");
  st.bind(1, seizure.id())
      .bind(2, seizure.discovering_country())
      .bind(3, seizure.date())
      .bind(4, seizure.owner_lab())
      .bind(5, now)
      .bind_blob(6, serialize(seizure));
  st.run();
  append_intent_locked(audit, seizure.id());
  tx.commit();
  return seizure;
}

std::optional<v1::Seizure> Catalog::find_seizure(const std::string& id) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, "SELECT record FROM seizures WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return parse_record<v1::Seizure>(st.blob(0), "seizure");
}

v1::Seizure Catalog::get_seizure(const std::string& id) const {
  auto seizure = find_seizure(id);
  TP_CHECK(seizure.has_value(), kNotFound, "seizure '" << id << "' does not exist");
  return *std::move(seizure);
}

SeizurePage Catalog::list_seizures(std::uint32_t page_size, const std::string& page_token,
                                   const std::string& discovering_country,
                                   const std::string& visible_to_lab) const {
  if (page_size == 0) page_size = 100;
  TP_CHECK(page_size <= 1000, kInvalidArgument, "page_size " << page_size << " is over 1000");
  std::int64_t after = 0;
  if (!page_token.empty()) {
    try {
      std::size_t used = 0;
      after = std::stoll(page_token, &used);
      TP_CHECK(used == page_token.size() && after >= 0, kInvalidArgument, "bad page token");
    } catch (const std::logic_error&) {
      TP_THROW(kInvalidArgument, "page_token '" << page_token << "' is not one this server issued");
    }
  }
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT seq, record FROM seizures WHERE seq > ? AND (? = '' OR "
                    "discovering_country = ?) AND (? = '' OR owner_lab = ? OR shareable = 1) "
                    "ORDER BY seq LIMIT ?");
  st.bind(1, after).bind(2, discovering_country).bind(3, discovering_country);
  st.bind(4, visible_to_lab).bind(5, visible_to_lab);
  st.bind(6, std::int64_t(page_size) + 1);
  SeizurePage page;
  std::int64_t last_seq = 0;
  while (st.step()) {
    if (page.seizures.size() == page_size) {
      page.next_page_token = std::to_string(last_seq);
      break;
    }
    last_seq = st.integer(0);
    page.seizures.push_back(parse_record<v1::Seizure>(st.blob(1), "seizure"));
  }
  return page;
}

v1::Specimen Catalog::insert_specimen(v1::Specimen specimen, const AuditIntent* audit) {
  std::lock_guard lock(mutex_);
  {
    sql::Statement st(*db_, "SELECT 1 FROM seizures WHERE id = ?");
    st.bind(1, specimen.seizure_id());
    TP_CHECK(st.step(), kNotFound, "seizure '" << specimen.seizure_id() << "' does not exist");
  }
  const std::int64_t now = now_micros();
  specimen.set_id(new_id("SP", "specimens"));
  *specimen.mutable_created_at() = to_timestamp(now);
  sql::Transaction tx(*db_);
  sql::Statement st(*db_,
                    "INSERT INTO specimens(id, seizure_id, cites_mark, created_at, record) "
                    "VALUES(?, ?, ?, ?, ?)");
  st.bind(1, specimen.id())
      .bind(2, specimen.seizure_id())
      .bind(3, specimen.cites_mark().text())
      .bind(4, now)
      .bind_blob(5, serialize(specimen));
  st.run();
  append_intent_locked(audit, specimen.id());
  tx.commit();
  return specimen;
}

std::optional<v1::Specimen> Catalog::find_specimen(const std::string& id) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, "SELECT record FROM specimens WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return parse_record<v1::Specimen>(st.blob(0), "specimen");
}

std::vector<v1::Specimen> Catalog::list_specimens(const std::string& seizure_id) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, "SELECT record FROM specimens WHERE seizure_id = ? ORDER BY seq");
  st.bind(1, seizure_id);
  std::vector<v1::Specimen> out;
  while (st.step()) out.push_back(parse_record<v1::Specimen>(st.blob(0), "specimen"));
  return out;
}

void Catalog::insert_features_locked(const std::string& scan_id, const std::vector<FeatureRecord>& features,
                                     std::int64_t now, bool log_additions) {
  for (const auto& f : features) {
    sql::Statement fst(*db_,
                       "INSERT INTO features(scan_id, modality, extractor_version, parameters_hash, "
                       "data, created_at) VALUES(?, ?, ?, ?, ?, ?)");
    fst.bind(1, scan_id)
        .bind(2, f.modality)
        .bind(3, f.extractor_version)
        .bind(4, f.parameters_hash)
        .bind_blob(5, f.data)
        .bind(6, now);
    fst.run();
    if (f.searchable && log_additions) {
      sql::Statement log(*db_,
                         "INSERT INTO feature_log(scan_id, modality, operation, at) "
                         "VALUES(?, ?, 'add', ?)");
      log.bind(1, scan_id).bind(2, f.modality).bind(3, now);
      log.run();
    }
  }
}

v1::Scan Catalog::insert_scan(v1::Scan scan, std::string_view bytes, bool* duplicate_bytes,
                              const std::vector<FeatureRecord>& features,
                              const AuditIntent* audit) {
  TP_ASSERT(scan.sha256().size() == 64);
  std::lock_guard lock(mutex_);
  {
    sql::Statement st(*db_, "SELECT 1 FROM seizures WHERE id = ?");
    st.bind(1, scan.metadata().seizure_id());
    TP_CHECK(st.step(), kNotFound,
             "seizure '" << scan.metadata().seizure_id() << "' does not exist");
  }
  if (!scan.metadata().specimen_id().empty()) {
    sql::Statement st(*db_, "SELECT seizure_id FROM specimens WHERE id = ?");
    st.bind(1, scan.metadata().specimen_id());
    TP_CHECK(st.step(), kNotFound,
             "specimen '" << scan.metadata().specimen_id() << "' does not exist");
    TP_CHECK(st.text(0) == scan.metadata().seizure_id(), kInvalidArgument,
             "specimen '" << scan.metadata().specimen_id() << "' belongs to seizure '"
                          << st.text(0) << "', not '" << scan.metadata().seizure_id() << "'");
  }
  // Bytes first, durable, then the rows that name them.
  const bool wrote = blobs_.put(scan.sha256(), bytes);
  const std::int64_t now = now_micros();
  scan.set_id(new_id("SC", "scans"));
  *scan.mutable_submitted_at() = to_timestamp(now);
  scan.set_byte_size(bytes.size());
  sql::Transaction tx(*db_);
  bool existed = !wrote;
  {
    sql::Statement st(*db_,
                      "INSERT OR IGNORE INTO blobs(sha256, byte_size, media_type, created_at) "
                      "VALUES(?, ?, ?, ?)");
    st.bind(1, scan.sha256())
        .bind(2, std::int64_t(bytes.size()))
        .bind(3, scan.media_type())
        .bind(4, now);
    st.run();
    existed = sqlite3_changes(db_->handle()) == 0;
  }
  sql::Statement st(*db_,
                    "INSERT INTO scans(id, seizure_id, specimen_id, kind, sha256, created_at, "
                    "record) VALUES(?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, scan.id()).bind(2, scan.metadata().seizure_id());
  if (scan.metadata().specimen_id().empty()) {
    st.bind_null(3);
  } else {
    st.bind(3, scan.metadata().specimen_id());
  }
  st.bind(4, std::int64_t(scan.metadata().kind()))
      .bind(5, scan.sha256())
      .bind(6, now)
      .bind_blob(7, serialize(scan));
  st.run();
  insert_features_locked(scan.id(), features, now, true);
  append_intent_locked(audit, scan.id());
  tx.commit();
  if (duplicate_bytes != nullptr) *duplicate_bytes = existed;
  return scan;
}

std::optional<v1::Scan> Catalog::find_scan(const std::string& id) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, "SELECT record, withdrawn FROM scans WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  auto scan = parse_record<v1::Scan>(st.blob(0), "scan");
  scan.set_withdrawn(st.integer(1) != 0);
  return scan;
}

v1::Scan Catalog::get_scan(const std::string& id) const {
  auto scan = find_scan(id);
  TP_CHECK(scan.has_value(), kNotFound, "scan '" << id << "' does not exist");
  return *std::move(scan);
}

std::vector<v1::Scan> Catalog::list_scans(const std::string& seizure_id) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT record, withdrawn FROM scans WHERE seizure_id = ? ORDER BY seq");
  st.bind(1, seizure_id);
  std::vector<v1::Scan> out;
  while (st.step()) {
    out.push_back(parse_record<v1::Scan>(st.blob(0), "scan"));
    out.back().set_withdrawn(st.integer(1) != 0);
  }
  return out;
}

std::string Catalog::read_scan_bytes(const v1::Scan& scan) const {
  return blobs_.get(scan.sha256());
}

std::int64_t Catalog::count_scans() const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, "SELECT COUNT(*) FROM scans");
  return st.step() ? st.integer(0) : 0;
}

bool Catalog::withdraw_scan(const std::string& id, const AuditIntent* audit) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(*db_);
  {
    sql::Statement st(*db_, "SELECT withdrawn FROM scans WHERE id = ?");
    st.bind(1, id);
    TP_CHECK(st.step(), kNotFound, "scan '" << id << "' does not exist");
    if (st.integer(0) != 0) return false;
  }
  sql::Statement mark(*db_, "UPDATE scans SET withdrawn = 1 WHERE id = ?");
  mark.bind(1, id);
  mark.run();
  sql::Statement log(*db_,
                     "INSERT INTO feature_log(scan_id, modality, operation, at) SELECT scan_id, "
                     "modality, 'remove', ? FROM features WHERE scan_id = ?");
  log.bind(1, now_micros()).bind(2, id);
  log.run();
  append_intent_locked(audit, id);
  tx.commit();
  return true;
}

std::vector<FeatureStamp> Catalog::feature_stamps() const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT f.scan_id, f.modality, f.extractor_version, f.parameters_hash "
                    "FROM features f JOIN scans s ON s.id = f.scan_id ORDER BY s.seq, f.modality");
  std::vector<FeatureStamp> out;
  while (st.step())
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3)});
  return out;
}

std::vector<std::string> Catalog::scans_without_features(int kind) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT s.id FROM scans s WHERE s.kind = ? AND NOT EXISTS (SELECT 1 FROM features f "
                    "WHERE f.scan_id = s.id) ORDER BY s.seq");
  st.bind(1, std::int64_t(kind));
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.text(0));
  return out;
}

void Catalog::replace_features(const v1::Scan& scan, const std::vector<FeatureRecord>& features,
                               const AuditIntent* audit) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(*db_);
  bool withdrawn = false;
  {
    sql::Statement st(*db_, "SELECT withdrawn FROM scans WHERE id = ?");
    st.bind(1, scan.id());
    TP_CHECK(st.step(), kNotFound, "scan '" << scan.id() << "' does not exist");
    withdrawn = st.integer(0) != 0;
  }
  v1::Scan record = scan;
  record.clear_withdrawn();  // kept in its own column
  {
    sql::Statement st(*db_, "UPDATE scans SET record = ? WHERE id = ?");
    st.bind_blob(1, serialize(record)).bind(2, scan.id());
    st.run();
  }
  const std::int64_t now = now_micros();
  struct Old {
    std::string modality, version, hash;
  };
  std::vector<Old> old;
  {
    sql::Statement st(*db_,
                      "SELECT modality, extractor_version, parameters_hash FROM features WHERE "
                      "scan_id = ?");
    st.bind(1, scan.id());
    while (st.step()) old.push_back({st.text(0), st.text(1), st.text(2)});
  }
  for (const Old& o : old) {
    sql::Statement log(*db_,
                       "INSERT INTO feature_log(scan_id, modality, operation, at) "
                       "VALUES(?, ?, 'remove', ?)");
    log.bind(1, scan.id()).bind(2, o.modality).bind(3, now);
    log.run();
    sql::Statement hist(*db_,
                        "INSERT INTO feature_remeasures(scan_id, modality, log_seq, from_version, "
                        "from_parameters_hash, at) VALUES(?, ?, ?, ?, ?, ?)");
    hist.bind(1, scan.id())
        .bind(2, o.modality)
        .bind(3, std::int64_t(sqlite3_last_insert_rowid(db_->handle())))
        .bind(4, o.version)
        .bind(5, o.hash)
        .bind(6, now);
    hist.run();
  }
  {
    sql::Statement st(*db_, "DELETE FROM features WHERE scan_id = ?");
    st.bind(1, scan.id());
    st.run();
  }
  insert_features_locked(scan.id(), features, now, !withdrawn);
  append_intent_locked(audit, scan.id());
  tx.commit();
}

std::vector<FeatureEvent> Catalog::feature_events(const std::string& modality,
                                                  std::int64_t after_seq,
                                                  std::size_t limit) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT l.seq, l.scan_id, l.operation, f.extractor_version, "
                    "f.parameters_hash, f.data FROM feature_log l LEFT JOIN features f ON "
                    "f.scan_id = l.scan_id AND f.modality = l.modality WHERE l.modality = ? AND "
                    "l.seq > ? AND NOT (l.operation = 'add' AND EXISTS (SELECT 1 FROM "
                    "feature_remeasures r WHERE r.scan_id = l.scan_id AND r.modality = "
                    "l.modality AND r.log_seq > l.seq)) ORDER BY l.seq LIMIT ?");
  st.bind(1, modality).bind(2, after_seq).bind(3, std::int64_t(limit));
  std::vector<FeatureEvent> out;
  while (st.step()) {
    FeatureEvent e;
    e.seq = st.integer(0);
    e.scan_id = st.text(1);
    e.modality = modality;
    e.add = st.text(2) == "add";
    if (e.add) {
      e.feature = FeatureRecord{modality, st.text(3), st.text(4), st.blob(5), true};
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t Catalog::last_feature_seq() const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, "SELECT COALESCE(MAX(seq), 0) FROM feature_log");
  return st.step() ? st.integer(0) : 0;
}

std::optional<FeatureRecord> Catalog::find_feature(const std::string& scan_id,
                                                   const std::string& modality) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT extractor_version, parameters_hash, data FROM features WHERE "
                    "scan_id = ? AND modality = ?");
  st.bind(1, scan_id).bind(2, modality);
  if (!st.step()) return std::nullopt;
  return FeatureRecord{modality, st.text(0), st.text(1), st.blob(2), true};
}

std::string audit_entry_hash(const AuditEntry& e) {
  Sha256 h;
  const std::string fields[] = {std::to_string(e.seq), std::to_string(e.at_micros), e.actor,
                                e.action,              e.records,                  e.result,
                                e.prev_hash};
  for (const auto& f : fields) {
    const std::string length = std::to_string(f.size()) + ":";
    h.update(length);
    h.update(f);
  }
  return h.hex_digest();
}

AuditEntry Catalog::append_audit(const std::string& actor, const std::string& action,
                                 const std::string& records, const std::string& result) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(*db_);
  AuditEntry entry = append_audit_locked(actor, action, records, result);
  tx.commit();
  return entry;
}

void Catalog::append_intent_locked(const AuditIntent* audit, const std::string& id) {
  if (audit == nullptr) return;
  std::string records = audit->records;
  for (auto at = records.find("{id}"); at != std::string::npos; at = records.find("{id}", at)) {
    records.replace(at, 4, id);
    at += id.size();
  }
  append_audit_locked(audit->actor, audit->action, records, audit->result);
}

AuditEntry Catalog::append_audit_locked(const std::string& actor, const std::string& action,
                                        const std::string& records, const std::string& result) {
  AuditEntry entry;
  {
    sql::Statement st(*db_, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (st.step()) {
      entry.seq = st.integer(0) + 1;
      entry.prev_hash = st.text(1);
    } else {
      entry.seq = 1;
      entry.prev_hash = std::string(64, '0');
    }
  }
  entry.at_micros = now_micros();
  entry.actor = actor;
  entry.action = action;
  entry.records = records;
  entry.result = result;
  entry.hash = audit_entry_hash(entry);
  sql::Statement st(*db_,
                    "INSERT INTO audit_log(seq, at, actor, action, records, result, prev_hash, "
                    "hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, entry.seq)
      .bind(2, entry.at_micros)
      .bind(3, entry.actor)
      .bind(4, entry.action)
      .bind(5, entry.records)
      .bind(6, entry.result)
      .bind(7, entry.prev_hash)
      .bind(8, entry.hash);
  st.run();
  return entry;
}

std::vector<AuditEntry> Catalog::audit_entries(std::int64_t after_seq, std::size_t limit) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT seq, at, actor, action, records, result, prev_hash, hash FROM "
                    "audit_log WHERE seq > ? ORDER BY seq LIMIT ?");
  st.bind(1, after_seq).bind(2, std::int64_t(limit));
  std::vector<AuditEntry> out;
  while (st.step()) {
    out.push_back(AuditEntry{st.integer(0), st.integer(1), st.text(2), st.text(3), st.text(4),
                             st.text(5), st.text(6), st.text(7)});
  }
  return out;
}

v1::Seizure Catalog::set_seizure_shareable(const std::string& id, bool shareable,
                                               const AuditIntent* audit) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(*db_);
  v1::Seizure seizure;
  {
    sql::Statement st(*db_, "SELECT record FROM seizures WHERE id = ?");
    st.bind(1, id);
    TP_CHECK(st.step(), kNotFound, "seizure '" << id << "' does not exist");
    seizure = parse_record<v1::Seizure>(st.blob(0), "seizure");
  }
  seizure.set_shareable(shareable);
  sql::Statement st(*db_, "UPDATE seizures SET shareable = ?, record = ? WHERE id = ?");
  st.bind(1, std::int64_t(shareable ? 1 : 0)).bind_blob(2, serialize(seizure)).bind(3, id);
  st.run();
  append_intent_locked(audit, id);
  tx.commit();
  return seizure;
}

TokenRecord Catalog::insert_token(TokenRecord token, const AuditIntent* audit) {
  TP_CHECK(token.secret_sha256.size() == 64, kInvalidArgument, "token secret hash must be SHA-256 hex");
  std::lock_guard lock(mutex_);
  token.id = new_id("TK", "api_tokens");
  token.created_at_micros = now_micros();
  token.revoked_at_micros = 0;
  sql::Transaction tx(*db_);
  sql::Statement st(*db_,
                    "INSERT INTO api_tokens(id, lab, name, roles, secret_sha256, created_at, "
                    "created_by) VALUES(?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, token.id)
      .bind(2, token.lab)
      .bind(3, token.name)
      .bind(4, token.roles)
      .bind(5, token.secret_sha256)
      .bind(6, token.created_at_micros)
      .bind(7, token.created_by);
  st.run();
  append_intent_locked(audit, token.id);
  tx.commit();
  return token;
}

namespace {
constexpr const char* kTokenColumns =
    "id, lab, name, roles, secret_sha256, created_at, created_by, revoked_at";
TokenRecord token_from(const sql::Statement& st) {
  return TokenRecord{st.text(0), st.text(1),    st.text(2),    st.text(3),
                     st.text(4), st.integer(5), st.text(6),    st.integer(7)};
}
}  // namespace

std::optional<TokenRecord> Catalog::find_token(const std::string& id) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return token_from(st);
}

std::vector<TokenRecord> Catalog::list_tokens(bool include_revoked) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, std::string("SELECT ") + kTokenColumns +
                              " FROM api_tokens WHERE ? OR revoked_at = 0 ORDER BY seq");
  st.bind(1, std::int64_t(include_revoked ? 1 : 0));
  std::vector<TokenRecord> out;
  while (st.step()) out.push_back(token_from(st));
  return out;
}

TokenRecord Catalog::revoke_token(const std::string& id, const AuditIntent* audit) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(*db_);
  {
    sql::Statement st(*db_, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0");
    st.bind(1, now_micros()).bind(2, id);
    st.run();
  }
  sql::Statement st(*db_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = ?");
  st.bind(1, id);
  TP_CHECK(st.step(), kNotFound, "token '" << id << "' does not exist");
  TokenRecord token = token_from(st);
  append_intent_locked(audit, id);
  tx.commit();
  return token;
}

AuditVerification Catalog::verify_audit_chain() const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT seq, at, actor, action, records, result, prev_hash, hash FROM "
                    "audit_log ORDER BY seq");
  AuditVerification out;
  std::string previous_hash(64, '0');
  std::int64_t expected_seq = 1;
  while (st.step()) {
    const AuditEntry e{st.integer(0), st.integer(1), st.text(2), st.text(3),
                       st.text(4),    st.text(5),    st.text(6), st.text(7)};
    std::ostringstream problem;
    if (e.seq != expected_seq) {
      problem << "entry " << expected_seq << " is missing (next stored entry is " << e.seq << ")";
    } else if (e.prev_hash != previous_hash) {
      problem << "its previous-hash does not match the hash of entry " << e.seq - 1;
    } else if (audit_entry_hash(e) != e.hash) {
      problem << "its content does not match its hash (the entry was altered)";
    }
    if (!problem.str().empty()) {
      out.intact = false;
      out.first_broken_seq = e.seq != expected_seq ? expected_seq : e.seq;
      out.problem = problem.str();
      return out;
    }
    ++out.entries;
    previous_hash = e.hash;
    ++expected_seq;
  }
  return out;
}

void Catalog::record_match_edges(const std::vector<MatchEdgeRecord>& edges,
                                 const std::string& progress_modality,
                                 std::int64_t progress_seq) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(*db_);
  for (MatchEdgeRecord e : edges) {
    TP_CHECK(e.scan_a != e.scan_b, kInvalidArgument, "an edge needs two different scans");
    if (e.scan_b < e.scan_a) std::swap(e.scan_a, e.scan_b);
    sql::Statement st(*db_,
                      "INSERT INTO match_edges(modality, scan_a, scan_b, raw_score, log10_lr, "
                      "method, model_version, found_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(modality, scan_a, scan_b) DO UPDATE SET "
                      "raw_score = excluded.raw_score, log10_lr = excluded.log10_lr, "
                      "method = excluded.method, model_version = excluded.model_version, "
                      "found_at = excluded.found_at");
    st.bind(1, e.modality)
        .bind(2, e.scan_a)
        .bind(3, e.scan_b)
        .bind(4, e.raw_score)
        .bind(5, e.log10_lr)
        .bind(6, e.method)
        .bind(7, e.model_version)
        .bind(8, e.found_at_micros != 0 ? e.found_at_micros : now_micros());
    st.run();
  }
  if (!progress_modality.empty()) {
    sql::Statement st(*db_,
                      "INSERT INTO link_progress(modality, feature_seq) VALUES(?, ?) "
                      "ON CONFLICT(modality) DO UPDATE SET feature_seq = excluded.feature_seq");
    st.bind(1, progress_modality).bind(2, progress_seq);
    st.run();
  }
  tx.commit();
}

std::vector<MatchEdgeRecord> Catalog::match_edges() const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_,
                    "SELECT modality, scan_a, scan_b, raw_score, log10_lr, method, model_version, "
                    "found_at FROM match_edges ORDER BY seq");
  std::vector<MatchEdgeRecord> out;
  while (st.step()) {
    out.push_back(MatchEdgeRecord{st.text(0), st.text(1), st.text(2), st.real(3), st.real(4),
                                  st.text(5), st.text(6), st.integer(7)});
  }
  return out;
}

std::int64_t Catalog::link_progress(const std::string& modality) const {
  std::lock_guard lock(mutex_);
  sql::Statement st(*db_, "SELECT feature_seq FROM link_progress WHERE modality = ?");
  st.bind(1, modality);
  return st.step() ? st.integer(0) : 0;
}

}  // namespace tuskprint::catalog
