#pragma once
// The catalog: the source of truth for evidence records. An embedded SQLite database
// (WAL, synchronous=FULL, foreign keys on, versioned schema with migrations) in
// <data>/catalog.sqlite3, and the scan image bytes content-addressed in <data>/blobs.
// A record is acknowledged only after its transaction commits; image bytes are on disk
// before the row that names them. Indexes elsewhere (FAISS) are caches rebuilt from here.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/blob_store.hpp"
#include "tuskprint/v1/records.pb.h"

namespace tuskprint::catalog {

namespace sql {
class Database;
}

inline constexpr int kSchemaVersion = 5;

struct SeizurePage {
  std::vector<v1::Seizure> seizures;
  std::string next_page_token;  // empty at the end
};

// Features extracted from a scan (a template or profile), stored with the scan.
struct FeatureRecord {
  std::string modality;           // "finger" or "schreger"
  std::string extractor_version;
  std::string parameters_hash;
  std::string data;               // serialised proto (tuskprint.v1.FingerTemplate, ...)
  bool searchable = true;         // false: kept as evidence, not indexed (too poor to search)
};

// What measured one scan's stored features.
struct FeatureStamp {
  std::string scan_id;
  std::string modality;
  std::string extractor_version;
  std::string parameters_hash;
};

// One step of the feature log: a template that became searchable, or was withdrawn.
struct FeatureEvent {
  std::int64_t seq = 0;
  std::string scan_id;
  std::string modality;
  bool add = true;                // false: remove
  FeatureRecord feature;          // filled for additions
};

struct AuditEntry {
  std::int64_t seq = 0;
  std::int64_t at_micros = 0;
  std::string actor;    // lab / operator / token name
  std::string action;   // "submit_scan", "search", "export", ...
  std::string records;  // ids concerned, comma separated
  std::string result;   // "ok" or an error summary
  std::string prev_hash;
  std::string hash;
};

// An API token as stored: never the secret itself, only its SHA-256.
struct TokenRecord {
  std::string id;                 // "TK-..." (assigned by insert_token)
  std::string lab;
  std::string name;
  std::string roles;              // comma separated: submit, search, export, admin
  std::string secret_sha256;
  std::int64_t created_at_micros = 0;
  std::string created_by;
  std::int64_t revoked_at_micros = 0;  // 0: active
};

// A calibrated comparison of two scans: an edge of the seizure link graph.
struct MatchEdgeRecord {
  std::string modality;         // "finger" or "schreger"
  std::string scan_a, scan_b;   // stored with scan_a < scan_b
  double raw_score = 0;
  double log10_lr = 0;
  std::string method;           // "enrolment-search" or "verify"
  std::string model_version;    // the LR model that gave log10_lr
  std::int64_t found_at_micros = 0;
};

// Result of checking the audit log's hash chain from its first entry.
struct AuditVerification {
  bool intact = true;
  std::int64_t entries = 0;           // entries that checked out before the first problem
  std::int64_t first_broken_seq = 0;  // 0 when intact
  std::string problem;
};

// An audit entry written in the same transaction as the change it records: a change is never
// stored without its entry, nor an entry without its change, whatever the moment of a crash.
// "{id}" in `records` is replaced by the id the change assigns (or names).
struct AuditIntent {
  std::string actor;
  std::string action;
  std::string records;
  std::string result;
};

class Catalog {
 public:
  // Opens (creating if needed) the catalog in `data_dir` and migrates it to kSchemaVersion.
  // Error(kFailedPrecondition) when the database was written by a newer schema.
  static std::unique_ptr<Catalog> open(const std::filesystem::path& data_dir);
  ~Catalog();

  int schema_version() const;
  const std::filesystem::path& data_dir() const { return data_dir_; }

  // Seizures. insert_* assign id and created_at and return the stored record.
  v1::Seizure insert_seizure(v1::Seizure seizure, const AuditIntent* audit = nullptr);
  std::optional<v1::Seizure> find_seizure(const std::string& id) const;
  v1::Seizure get_seizure(const std::string& id) const;  // Error(kNotFound)
  // `visible_to_lab` non-empty: only seizures that lab owns or that are shared.
  SeizurePage list_seizures(std::uint32_t page_size, const std::string& page_token,
                            const std::string& discovering_country,
                            const std::string& visible_to_lab = "") const;
  // Marks a seizure shareable with other labs (or not); returns the updated record.
  v1::Seizure set_seizure_shareable(const std::string& id, bool shareable,
                                    const AuditIntent* audit = nullptr);

  // Specimens: the seizure must exist (kNotFound otherwise).
  v1::Specimen insert_specimen(v1::Specimen specimen, const AuditIntent* audit = nullptr);
  std::optional<v1::Specimen> find_specimen(const std::string& id) const;
  std::vector<v1::Specimen> list_specimens(const std::string& seizure_id) const;

  // Scans: stores the bytes (once per distinct SHA-256) and the record in one step.
  // `scan.sha256` must be the SHA-256 of `bytes`. Returns the stored record; sets
  // `*duplicate_bytes` when identical bytes were already stored.
  // `features` are stored in the same transaction; searchable ones enter the feature log.
  v1::Scan insert_scan(v1::Scan scan, std::string_view bytes, bool* duplicate_bytes = nullptr,
                       const std::vector<FeatureRecord>& features = {},
                       const AuditIntent* audit = nullptr);
  std::optional<v1::Scan> find_scan(const std::string& id) const;
  v1::Scan get_scan(const std::string& id) const;  // Error(kNotFound)
  std::vector<v1::Scan> list_scans(const std::string& seizure_id) const;
  std::string read_scan_bytes(const v1::Scan& scan) const;  // hash-checked
  std::int64_t count_scans() const;

  // Withdraws a scan (kept as evidence, no longer searchable): marks it and logs a removal
  // of its features. False when it was already withdrawn; kNotFound when unknown.
  bool withdraw_scan(const std::string& id, const AuditIntent* audit = nullptr);

  // The stamps of every stored feature row, oldest scan first: which extractor version and
  // parameters measured it (an engine upgrade leaves rows of older ones, which the indexes
  // refuse; `tuskprint catalog remeasure` replaces them).
  std::vector<FeatureStamp> feature_stamps() const;

  // Scans of `kind` (a v1::ScanKind) with no feature row at all, oldest first: stored as
  // evidence when nothing could be measured from them (a cut face in which no section was
  // found at its ppi), which a later engine may measure.
  std::vector<std::string> scans_without_features(int kind) const;

  // Replaces the features of scan `scan.id()` with a new measurement of its stored image and
  // its record (which embeds them) with `scan`, in one transaction: the old rows' stamps go to
  // the remeasure history, the feature log gets a removal, and searchable new features of a
  // scan that is not withdrawn an addition. Additions logged before a re-measurement are not
  // replayed (their data is gone), so an index rebuilt from the log sees only the new
  // measurement. kNotFound when the scan is unknown.
  void replace_features(const v1::Scan& scan, const std::vector<FeatureRecord>& features,
                        const AuditIntent* audit = nullptr);

  // Feature log after `after_seq`, oldest first, at most `limit` events (additions superseded
  // by a re-measurement left out).
  std::vector<FeatureEvent> feature_events(const std::string& modality, std::int64_t after_seq,
                                           std::size_t limit) const;
  std::int64_t last_feature_seq() const;
  std::optional<FeatureRecord> find_feature(const std::string& scan_id,
                                            const std::string& modality) const;

  // Append-only audit log, chained by hash (each entry's hash covers the previous hash).
  AuditEntry append_audit(const std::string& actor, const std::string& action,
                          const std::string& records, const std::string& result);
  std::vector<AuditEntry> audit_entries(std::int64_t after_seq, std::size_t limit) const;

  // Recomputes every entry's hash and link; reports the first broken entry.
  AuditVerification verify_audit_chain() const;

  // Link-graph edges. record_match_edges stores (or replaces) edges and, in the same
  // transaction, how far the linker has read the feature log for `progress_modality`
  // (empty: no progress to record).
  void record_match_edges(const std::vector<MatchEdgeRecord>& edges,
                          const std::string& progress_modality, std::int64_t progress_seq);
  std::vector<MatchEdgeRecord> match_edges() const;
  std::int64_t link_progress(const std::string& modality) const;

  // API tokens (see service/access.hpp). insert_token assigns id and created_at.
  TokenRecord insert_token(TokenRecord token, const AuditIntent* audit = nullptr);
  std::optional<TokenRecord> find_token(const std::string& id) const;
  std::vector<TokenRecord> list_tokens(bool include_revoked) const;
  TokenRecord revoke_token(const std::string& id, const AuditIntent* audit = nullptr);  // idempotent; kNotFound when unknown

  BlobStore& blobs() { return blobs_; }

 private:
  Catalog(std::filesystem::path data_dir, std::unique_ptr<sql::Database> db);
  void migrate();
  // Appends an audit entry; the caller holds mutex_ and an open transaction.
  AuditEntry append_audit_locked(const std::string& actor, const std::string& action,
                                 const std::string& records, const std::string& result);
  void append_intent_locked(const AuditIntent* audit, const std::string& id);
  // Stores a scan's feature rows; searchable ones enter the feature log when `log_additions`.
  void insert_features_locked(const std::string& scan_id, const std::vector<FeatureRecord>& features,
                              std::int64_t now, bool log_additions);
  std::string new_id(const char* prefix, const char* table) const;

  std::filesystem::path data_dir_;
  std::unique_ptr<sql::Database> db_;
  BlobStore blobs_;
  mutable std::mutex mutex_;  // one connection, serialised; SQLite itself is the durability point
};

// Lower-case hex SHA-256 of an audit entry's content and the previous hash.
std::string audit_entry_hash(const AuditEntry& entry);

}  // namespace tuskprint::catalog
