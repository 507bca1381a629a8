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
#include "tuskprint/v1/records.pb.h"

namespace tuskprint::service {

struct Limits {
  image::DecodeLimits image;  // upload byte size, pixel count, minimum side
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
  EvidenceService(catalog::Catalog& catalog, Limits limits);

  const Limits& limits() const { return limits_; }
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

 private:
  friend class ScanUpload;
  SubmitResult store_scan(const v1::ScanMetadata& metadata, std::string_view bytes,
                          const std::string& actor);

  catalog::Catalog& catalog_;
  Limits limits_;
};

}  // namespace tuskprint::service
