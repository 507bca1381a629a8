#pragma once
// The transport-free core of tuskprintd: validates what labs submit, stores it in the
// catalog and writes the audit trail. services/server adapts it to gRPC; everything here
// reports failure as tuskprint::Error.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "image/decode.hpp"
#include "service/finger_search.hpp"
#include "tuskprint/v1/records.pb.h"
#include "tuskprint/v1/service.pb.h"

namespace tuskprint::service {

struct Limits {
  image::DecodeLimits image;  // upload byte size, pixel count, minimum side
};

struct ServiceOptions {
  Limits limits;
  // FAISS binary factory for the fingerprint gallery (see index/binary_index.hpp).
  std::string finger_index_factory = "BFlat";
  int finger_search_breadth = 32;
  // Threads FAISS uses inside one search; the server runs searches side by side, so 1.
  int index_threads = 1;
  // This lab, as it signs INTERPOL exports (1.008 ORI and 1.017 ANM), and the default
  // destination (1.007 DAI).
  std::string agency_id = "TUSKPRINT";
  std::string agency_name = "TuskPrint forensic lab";
  std::string destination_id = "INTERPOL";
  std::string destination_name = "INTERPOL General Secretariat";
  std::string agency_country;                // ISO alpha-3; default: the seizure's country
  std::string destination_country = "FRA";  // the General Secretariat is in Lyon
};

struct SubmitResult {
  v1::Scan scan;
  bool duplicate_bytes = false;
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
  ScanUpload(EvidenceService& service, v1::ScanMetadata metadata, std::string actor);

  EvidenceService& service_;
  v1::ScanMetadata metadata_;
  std::string actor_;
  std::string bytes_;
};

class EvidenceService {
 public:
  EvidenceService(catalog::Catalog& catalog, ServiceOptions options);

  const Limits& limits() const { return options_.limits; }

  // Brings the search indexes in step with the catalog (load, replay or rebuild); call once
  // before serving. save_indexes() writes them so the next start only replays.
  FingerIndexStatus open_indexes();
  void save_indexes();
  catalog::Catalog& catalog() { return catalog_; }

  v1::Seizure create_seizure(v1::Seizure seizure, const std::string& actor);
  v1::Seizure get_seizure(const std::string& id) const;
  catalog::SeizurePage list_seizures(std::uint32_t page_size, const std::string& page_token,
                                     const std::string& country) const;

  // Parses the CITES mark when one is given (cites_mark_text).
  v1::Specimen add_specimen(v1::Specimen specimen, const std::string& actor);
  std::vector<v1::Specimen> list_specimens(const std::string& seizure_id) const;

  ScanUpload begin_scan(v1::ScanMetadata metadata, const std::string& actor);
  // Convenience for callers that hold the whole image.
  SubmitResult submit_scan(v1::ScanMetadata metadata, std::string_view bytes,
                           const std::string& actor);
  v1::Scan get_scan(const std::string& id) const;
  std::vector<v1::Scan> list_scans(const std::string& seizure_id) const;
  std::string read_scan_bytes(const std::string& id) const;
  v1::Scan withdraw_scan(const std::string& id, const std::string& reason,
                         const std::string& actor);

  // 1:N search of the fingerprint gallery, and 1:1 comparison.
  v1::SearchResponse search(const v1::SearchRequest& request, const std::string& actor);
  v1::VerifyResponse verify(const v1::VerifyRequest& request, const std::string& actor);

  // INT-I v6 MPS transactions (traditional "an2" or "xml") for latent scans, and import of a
  // latent from any ANSI/NIST-ITL file as a new scan.
  v1::ExportResponse export_scans(const v1::ExportRequest& request, const std::string& actor);
  v1::ImportResponse import_transaction(const v1::ImportRequest& request, const std::string& actor);

 private:
  friend class ScanUpload;
  SubmitResult store_scan(const v1::ScanMetadata& metadata, std::string_view bytes,
                          const std::string& actor);

  struct ResolvedProbe;
  ResolvedProbe resolve_finger_probe(const v1::Probe& probe) const;

  catalog::Catalog& catalog_;
  ServiceOptions options_;
  FingerSearch finger_search_;
};

}  // namespace tuskprint::service
