#pragma once
// The transport-free core of tuskprintd: validates what labs submit, stores it in the
// catalog and writes the audit trail. services/server adapts it to gRPC; everything here
// reports failure as tuskprint::Error.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "image/decode.hpp"
#include "service/access.hpp"
#include "service/finger_search.hpp"
#include "service/section_search.hpp"
#include "service/seizure_links.hpp"
#include "service/work_gate.hpp"
#include "tuskprint/v1/records.pb.h"
#include "tuskprint/v1/service.pb.h"

namespace tuskprint::service {

struct Limits {
  image::DecodeLimits image;  // upload byte size, pixel count, minimum side
};

struct ServiceOptions {
  Limits limits;
  // FAISS binary factory for the fingerprint gallery (see index/binary_index.hpp).
  std::string finger_index_factory = "auto";  // see FingerSearch: by catalog size
  int finger_search_breadth = 128;
  // Threads FAISS uses inside one search; the server runs searches side by side, so 1.
  int index_threads = 1;
  // Threads that code and insert cylinders while the indexes are opened (a rebuild from the
  // catalog before the server listens); 0: every core.
  int index_build_threads = 0;
  // This lab, as it signs INTERPOL exports (1.008 ORI and 1.017 ANM), and the default
  // destination (1.007 DAI).
  std::string agency_id = "TUSKPRINT";
  std::string agency_name = "TuskPrint forensic lab";
  std::string destination_id = "INTERPOL";
  std::string destination_name = "INTERPOL General Secretariat";
  std::string agency_country;                // ISO alpha-3; default: the seizure's country
  std::string destination_country = "FRA";  // the General Secretariat is in Lyon
  // Heavy requests (extraction at submit and import, search, verify): how many run at once,
  // how many more may wait, and the longest wait when the client set no deadline.
  int max_heavy_running = 4;
  int max_heavy_waiting = 64;
  int max_heavy_wait_ms = 60'000;
  // Where the likelihood-ratio models are (empty: lr::models_directory()).
  std::string models_dir;
};

struct SubmitResult {
  v1::Scan scan;
  bool duplicate_bytes = false;
};

// `remeasure_stale`: features measured by an older extractor (or other parameters) than this
// engine's are measured again from the stored scan images, and so are cross-section scans
// stored without any profile (nothing could be measured from them then): those that still
// give nothing are reported with the reason and left as they are.
struct RemeasureOptions {
  bool dry_run = false;  // only report what is stale
  // Called after each stale scan (done of total), for progress.
  std::function<void(std::size_t done, std::size_t total, const std::string& scan_id)> progress;
};

struct RemeasureItem {
  std::string scan_id;
  std::string modality;
  std::string from_version, from_parameters_hash;
  std::string to_version, to_parameters_hash;  // empty when the new measurement found nothing
  bool searchable = false;                     // the new features are indexed
  std::string error;                           // why this scan could not be re-measured
  bool unmeasured = false;     // stored without features (from_version empty), measured again
  std::string nothing_measurable;  // an unmeasured scan that still gives nothing: why (left as it is)
};

struct RemeasureReport {
  std::size_t features = 0;  // feature rows checked
  std::vector<RemeasureItem> stale;
  std::size_t remeasured = 0, failed = 0;
  std::size_t unmeasured = 0;        // items for scans stored without features
  std::size_t still_unmeasured = 0;  // of those, giving nothing again (not failures)
};

class EvidenceService;

// One scan upload in progress: metadata checked up front, bytes appended as they stream in
// (refused as soon as they pass the size limit), everything checked again and stored by
// commit(). Nothing is stored unless commit() returns.
class ScanUpload {
 public:
  void append(std::string_view bytes);
  SubmitResult commit();
  std::uint64_t size() const { return bytes_.size(); }

 private:
  friend class EvidenceService;
  ScanUpload(EvidenceService& service, v1::ScanMetadata metadata, Caller caller);

  EvidenceService& service_;
  v1::ScanMetadata metadata_;
  Caller caller_;
  std::string bytes_;
};

class EvidenceService {
 public:
  EvidenceService(catalog::Catalog& catalog, ServiceOptions options);

  const Limits& limits() const { return options_.limits; }

  // Brings the search indexes in step with the catalog (load, replay or rebuild); call once
  // before serving.
  FingerIndexStatus open_indexes();
  // Saves the indexes that reflect catalog events their files do not (periodically and at
  // shutdown, so the next start only replays); the number written. An unchanged index is
  // not rewritten (4 GB at 10^6 prints).
  int checkpoint_indexes();
  // Why a matcher has no LR model (empty when all are loaded); filled by open_indexes().
  const std::vector<std::string>& lr_model_problems() const { return lr_models_.problems; }
  const SectionIndexStatus& section_index_status() const { return section_status_; }
  // Turns newly enrolled scans into link-graph edges (see seizure_links.hpp); returns the
  // number of feature-log events processed. Called by the server's background linker.
  std::size_t link_new_scans(std::size_t max_events = 200);
  catalog::Catalog& catalog() { return catalog_; }

  // Every call names its caller: the lab it acts for (ownership and visibility), its roles
  // were checked by the transport (see access.hpp), and who it is for the audit log. A lab
  // sees its own seizures and shared ones; only the owner adds to or changes a seizure.
  // Not allowed: Error(kPermissionDenied), recorded in the audit log.
  v1::Seizure create_seizure(v1::Seizure seizure, const Caller& caller);
  v1::Seizure get_seizure(const std::string& id, const Caller& caller) const;
  catalog::SeizurePage list_seizures(std::uint32_t page_size, const std::string& page_token,
                                     const std::string& country, const Caller& caller) const;
  // The owner shares a seizure (and all under it) with other labs, or stops sharing it.
  v1::Seizure set_seizure_sharing(const std::string& id, bool shareable, const std::string& reason,
                                  const Caller& caller);

  // Parses the CITES mark when one is given (cites_mark_text).
  v1::Specimen add_specimen(v1::Specimen specimen, const Caller& caller);
  std::vector<v1::Specimen> list_specimens(const std::string& seizure_id,
                                           const Caller& caller) const;

  ScanUpload begin_scan(v1::ScanMetadata metadata, const Caller& caller);
  // Convenience for callers that hold the whole image.
  SubmitResult submit_scan(v1::ScanMetadata metadata, std::string_view bytes,
                           const Caller& caller);
  v1::Scan get_scan(const std::string& id, const Caller& caller) const;
  std::vector<v1::Scan> list_scans(const std::string& seizure_id, const Caller& caller) const;
  // The stored image (hash-checked); the read is recorded in the audit log.
  std::string read_scan_bytes(const std::string& id, const Caller& caller);
  v1::Scan withdraw_scan(const std::string& id, const std::string& reason, const Caller& caller);

  // 1:N search of the fingerprint gallery, and 1:1 comparison. Candidates the caller may not
  // see are left out.
  v1::SearchResponse search(const v1::SearchRequest& request, const Caller& caller);
  v1::VerifyResponse verify(const v1::VerifyRequest& request, const Caller& caller);

  // Clusters of linked seizures among those the caller may see (brings the linker up to
  // date first, so that every acknowledged scan counts).
  v1::LinkSeizuresResponse link_seizures(const v1::LinkSeizuresRequest& request,
                                         const Caller& caller);

  // INT-I v6 MPS transactions (traditional "an2" or "xml") for latent scans, and import of a
  // latent from any ANSI/NIST-ITL file as a new scan.
  v1::ExportResponse export_scans(const v1::ExportRequest& request, const Caller& caller);
  v1::ImportResponse import_transaction(const v1::ImportRequest& request, const Caller& caller);

  // Tokens and the audit log (admin). Token changes are audited.
  v1::CreateTokenResponse create_token(const v1::CreateTokenRequest& request, const Caller& caller);
  v1::ListTokensResponse list_tokens(const v1::ListTokensRequest& request, const Caller& caller);
  v1::TokenInfo revoke_token(const std::string& token_id, const Caller& caller);
  v1::VerifyAuditResponse verify_audit(const Caller& caller);
  const TokenAuthority& tokens() const { return tokens_; }

  // After an engine upgrade: every stored feature row whose extractor version or parameters
  // differ from this engine's is measured again from its scan's stored image (hash-checked)
  // and replaced, one audited transaction per scan (catalog::Catalog::replace_features).
  // Needs no open index: run it on the data directory before starting the server, which
  // refuses stale features. A scan that cannot be re-measured (image missing or unreadable)
  // is reported and left as it was.
  RemeasureReport remeasure_stale(const Caller& caller, const RemeasureOptions& options = {});

  // Records a refused call (authentication or role) in the audit log.
  void audit_refusal(const std::string& actor, const std::string& method, const std::string& why);

 private:
  friend class ScanUpload;
  SubmitResult store_scan(const v1::ScanMetadata& metadata, std::string_view bytes,
                          const Caller& caller);

  // Measures a scan's features (fingerprint template or Schreger profile, by its kind) from
  // its decoded image, embeds them in `scan` and returns the rows to store.
  // `unmeasurable`, when given, gets why a cross-section scan gave no profile.
  std::vector<catalog::FeatureRecord> measure_features(const v1::ScanMetadata& metadata,
                                                       const image::DecodedImage& decoded,
                                                       v1::Scan& scan,
                                                       std::string* unmeasurable = nullptr) const;

  struct ResolvedProbe;
  ResolvedProbe resolve_finger_probe(const v1::Probe& probe, const Caller& caller) const;
  // Finger unless the request or its probe says cross-section.
  v1::Modality probe_modality(const v1::SearchRequest& request) const;
  v1::SchregerProfile resolve_section_probe(const v1::Probe& probe, const Caller& caller,
                                            std::string* scan_id, std::string* seizure_id) const;
  // The seizure, if `caller` may see it (owner or shared); kPermissionDenied otherwise.
  v1::Seizure visible_seizure(const std::string& seizure_id, const Caller& caller) const;
  // The seizure, if `caller` owns it; kPermissionDenied otherwise.
  v1::Seizure owned_seizure(const std::string& seizure_id, const Caller& caller) const;
  v1::Scan visible_scan(const std::string& scan_id, const Caller& caller) const;

  catalog::Catalog& catalog_;
  ServiceOptions options_;
  FingerSearch finger_search_;
  TokenAuthority tokens_;
  SectionSearch section_search_;
  SectionIndexStatus section_status_;
  WorkGate heavy_;
  LrModels lr_models_;
  SeizureLinker linker_;
  std::mutex linker_mutex_;  // one linker pass at a time
};

}  // namespace tuskprint::service
