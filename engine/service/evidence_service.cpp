#include "service/evidence_service.hpp"

#include <algorithm>
#include <cctype>

#include "catalog/cites_mark.hpp"
#include "catalog/validation.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"

namespace tuskprint::service {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void normalise_countries(google::protobuf::RepeatedPtrField<std::string>* countries) {
  for (auto& c : *countries) c = upper(c);
}

// Records an audit entry for a failed call too, then rethrows.
template <typename Body>
auto audited(catalog::Catalog& catalog, const std::string& actor, const char* action,
             const std::string& records, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Error& e) {
    catalog.append_audit(actor, action, records, std::string("refused: ") + to_string(e.code()));
    throw;
  }
}

}  // namespace

EvidenceService::EvidenceService(catalog::Catalog& catalog, Limits limits)
    : catalog_(catalog), limits_(limits) {}

v1::Seizure EvidenceService::create_seizure(v1::Seizure seizure, const std::string& actor) {
  return audited(catalog_, actor, "create_seizure", "", [&] {
    seizure.clear_id();
    seizure.clear_created_at();
    seizure.set_discovering_country(upper(seizure.discovering_country()));
    normalise_countries(seizure.mutable_origin_countries());
    normalise_countries(seizure.mutable_transit_countries());
    normalise_countries(seizure.mutable_destination_countries());
    if (seizure.owner_lab().empty()) seizure.set_owner_lab(actor);
    catalog::validate_seizure(seizure);
    auto stored = catalog_.insert_seizure(std::move(seizure));
    catalog_.append_audit(actor, "create_seizure", stored.id(), "ok");
    return stored;
  });
}

v1::Seizure EvidenceService::get_seizure(const std::string& id) const {
  return catalog_.get_seizure(id);
}

catalog::SeizurePage EvidenceService::list_seizures(std::uint32_t page_size,
                                                    const std::string& page_token,
                                                    const std::string& country) const {
  return catalog_.list_seizures(page_size, page_token, upper(country));
}

v1::Specimen EvidenceService::add_specimen(v1::Specimen specimen, const std::string& actor) {
  return audited(catalog_, actor, "add_specimen", specimen.seizure_id(), [&] {
    specimen.clear_id();
    specimen.clear_created_at();
    specimen.clear_cites_mark();
    catalog::validate_specimen(specimen);
    if (!specimen.cites_mark_text().empty()) {
      *specimen.mutable_cites_mark() = catalog::parse_cites_mark(specimen.cites_mark_text());
    }
    auto stored = catalog_.insert_specimen(std::move(specimen));
    catalog_.append_audit(actor, "add_specimen", stored.seizure_id() + "," + stored.id(), "ok");
    return stored;
  });
}

std::vector<v1::Specimen> EvidenceService::list_specimens(const std::string& seizure_id) const {
  catalog_.get_seizure(seizure_id);  // kNotFound for an unknown seizure
  return catalog_.list_specimens(seizure_id);
}

ScanUpload::ScanUpload(EvidenceService& service, v1::ScanMetadata metadata, std::string actor)
    : service_(service), metadata_(std::move(metadata)), actor_(std::move(actor)) {}

void ScanUpload::append(std::string_view bytes) {
  const std::uint64_t limit = service_.limits().image.max_bytes;
  TP_CHECK(bytes_.size() + bytes.size() <= limit, kResourceExhausted,
           "upload passed the size limit of " << limit << " bytes");
  bytes_.append(bytes);
}

SubmitResult ScanUpload::commit() { return service_.store_scan(metadata_, bytes_, actor_); }

ScanUpload EvidenceService::begin_scan(v1::ScanMetadata metadata, const std::string& actor) {
  audited(catalog_, actor, "submit_scan", metadata.seizure_id(), [&] {
    catalog::validate_scan_metadata(metadata);
    catalog_.get_seizure(metadata.seizure_id());
    if (!metadata.specimen_id().empty()) {
      const auto specimen = catalog_.find_specimen(metadata.specimen_id());
      TP_CHECK(specimen.has_value(), kNotFound,
               "specimen '" << metadata.specimen_id() << "' does not exist");
      TP_CHECK(specimen->seizure_id() == metadata.seizure_id(), kInvalidArgument,
               "specimen '" << metadata.specimen_id() << "' belongs to seizure '"
                            << specimen->seizure_id() << "', not '" << metadata.seizure_id()
                            << "'");
    }
    return 0;
  });
  return ScanUpload(*this, std::move(metadata), actor);
}

SubmitResult EvidenceService::submit_scan(v1::ScanMetadata metadata, std::string_view bytes,
                                          const std::string& actor) {
  auto upload = begin_scan(std::move(metadata), actor);
  upload.append(bytes);
  return upload.commit();
}

SubmitResult EvidenceService::store_scan(const v1::ScanMetadata& metadata,
                                         std::string_view bytes, const std::string& actor) {
  return audited(catalog_, actor, "submit_scan", metadata.seizure_id(), [&] {
    const std::string sha = sha256_hex(bytes);
    if (!metadata.expected_sha256().empty()) {
      std::string expected = metadata.expected_sha256();
      std::transform(expected.begin(), expected.end(), expected.begin(),
                     [](unsigned char c) { return char(std::tolower(c)); });
      TP_CHECK(expected == sha, kDataLoss,
               "uploaded bytes hash to " << sha << ", not the expected " << expected);
    }
    const image::DecodedImage decoded = image::decode(bytes, limits_.image);
    v1::Scan scan;
    *scan.mutable_metadata() = metadata;
    scan.set_sha256(sha);
    scan.set_media_type(decoded.media_type);
    scan.set_width(std::uint32_t(decoded.width));
    scan.set_height(std::uint32_t(decoded.height));
    scan.set_submitted_by(actor);
    SubmitResult result;
    result.scan = catalog_.insert_scan(std::move(scan), bytes, &result.duplicate_bytes);
    catalog_.append_audit(actor, "submit_scan",
                          metadata.seizure_id() + "," + result.scan.id() + ",sha256:" + sha,
                          "ok");
    return result;
  });
}

v1::Scan EvidenceService::get_scan(const std::string& id) const { return catalog_.get_scan(id); }

std::vector<v1::Scan> EvidenceService::list_scans(const std::string& seizure_id) const {
  catalog_.get_seizure(seizure_id);
  return catalog_.list_scans(seizure_id);
}

std::string EvidenceService::read_scan_bytes(const std::string& id) const {
  return catalog_.read_scan_bytes(catalog_.get_scan(id));
}

}  // namespace tuskprint::service
