#include "service/evidence_service.hpp"

#include <algorithm>
#include <thread>
#include <cctype>
#include <cmath>

#include <chrono>

#include <atomic>
#include <ctime>
#include <optional>

#include <google/protobuf/util/time_util.h>
#include <opencv2/imgcodecs.hpp>

#include "ansinist/ansinist.hpp"
#include "link/seizure_clusters.hpp"
#include "link/link_render.hpp"
#include "catalog/cites_mark.hpp"
#include "catalog/countries.hpp"
#include "match/matcher.hpp"
#include "ridge/extract.hpp"
#include "ridge/template_io.hpp"
#include "schreger/params.hpp"
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

EvidenceService::EvidenceService(catalog::Catalog& catalog, ServiceOptions options)
    : catalog_(catalog),
      options_(std::move(options)),
      finger_search_(catalog, options_.finger_index_factory),
      tokens_(catalog),
      section_search_(catalog),
      heavy_(options_.max_heavy_running, options_.max_heavy_waiting,
             std::chrono::milliseconds(options_.max_heavy_wait_ms)),
      linker_(catalog, finger_search_, section_search_, lr_models_) {}

v1::Seizure EvidenceService::visible_seizure(const std::string& seizure_id,
                                             const Caller& caller) const {
  v1::Seizure seizure = catalog_.get_seizure(seizure_id);
  TP_CHECK(seizure.owner_lab() == caller.lab || seizure.shareable(), kPermissionDenied,
           "seizure '" << seizure_id << "' belongs to another lab and is not shared");
  return seizure;
}

v1::Seizure EvidenceService::owned_seizure(const std::string& seizure_id,
                                           const Caller& caller) const {
  v1::Seizure seizure = catalog_.get_seizure(seizure_id);
  TP_CHECK(seizure.owner_lab() == caller.lab, kPermissionDenied,
           "seizure '" << seizure_id << "' belongs to lab '" << seizure.owner_lab()
                       << "'; only its owner may add to or change it");
  return seizure;
}

v1::Scan EvidenceService::visible_scan(const std::string& scan_id, const Caller& caller) const {
  v1::Scan scan = catalog_.get_scan(scan_id);
  const v1::Seizure seizure = catalog_.get_seizure(scan.metadata().seizure_id());
  TP_CHECK(seizure.owner_lab() == caller.lab || seizure.shareable(), kPermissionDenied,
           "scan '" << scan_id << "' belongs to another lab's seizure, which is not shared");
  return scan;
}

void EvidenceService::audit_refusal(const std::string& actor, const std::string& method,
                                    const std::string& why) {
  catalog_.append_audit(actor, method, "", "refused: " + why);
}

FingerIndexStatus EvidenceService::open_indexes() {
  const int build_threads = options_.index_build_threads > 0
                                ? options_.index_build_threads
                                : int(std::max(1u, std::thread::hardware_concurrency()));
  index::set_index_threads(build_threads);
  auto status = finger_search_.open();
  section_status_ = section_search_.open();
  index::set_index_threads(options_.index_threads);
  finger_search_.set_search_breadth(options_.finger_search_breadth);
  lr_models_ = LrModels::load(options_.models_dir.empty() ? lr::models_directory().string()
                                                          : options_.models_dir);
  return status;
}

std::size_t EvidenceService::link_new_scans(std::size_t max_events) {
  std::lock_guard lock(linker_mutex_);
  return linker_.catch_up(max_events);
}

v1::LinkSeizuresResponse EvidenceService::link_seizures(const v1::LinkSeizuresRequest& request,
                                                        const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "link_seizures", request.seizure_id(), [&] {
    const double threshold =
        request.has_min_log10_lr() ? request.min_log10_lr() : link::kDefaultMinLog10Lr;
    TP_CHECK(std::isfinite(threshold), kInvalidArgument, "min_log10_lr must be a finite number");
    if (!request.seizure_id().empty()) visible_seizure(request.seizure_id(), caller);
    {
      const auto ticket = heavy_.enter("link_seizures", caller.deadline);
      while (link_new_scans(1000) > 0) {
      }
    }
    const link::LinkGraph graph = visible_link_graph(catalog_, caller);
    std::vector<link::ClusterSummary> clusters;
    if (request.seizure_id().empty()) {
      clusters = link::clusters(graph, threshold);
    } else {
      clusters.push_back(link::cluster_around(graph, request.seizure_id(), threshold));
    }
    v1::LinkSeizuresResponse response;
    response.set_min_log10_lr(threshold);
    response.set_seizures_seen(std::uint32_t(graph.seizure_count()));
    response.set_edges_seen(std::uint32_t(graph.edge_count()));
    // Which cluster each seizure is in, so that the edges are sorted into clusters in one pass.
    std::vector<int> cluster_of(graph.seizure_count(), -1);
    std::string ids;
    for (std::size_t k = 0; k < clusters.size(); ++k) {
      const auto& c = clusters[k];
      auto* out = response.add_clusters();
      for (int s : c.seizures) {
        cluster_of[std::size_t(s)] = int(k);
        out->add_seizure_ids(graph.seizure(s).id);
        ids += (ids.empty() ? "" : ",") + graph.seizure(s).id;
      }
      for (const auto& country : c.countries) out->add_countries(country);
      out->set_first_date(c.first_date);
      out->set_last_date(c.last_date);
      out->set_total_weight_kg(c.total_weight_kg);
      out->set_specimen_count(std::uint32_t(c.specimen_count));
      out->set_scan_count(std::uint32_t(c.scan_count));
      std::string route;
      for (const auto& country : c.route.countries) route += (route.empty() ? "" : " -> ") + country;
      out->set_route(route);
    }
    for (std::size_t e = 0; e < graph.edge_count(); ++e) {
      const auto& edge = graph.edge(int(e));
      const int sa = graph.seizure_of_scan(graph.scan_a_index(int(e)));
      const int sb = graph.seizure_of_scan(graph.scan_b_index(int(e)));
      const int k = cluster_of[std::size_t(sa)];
      if (sa == sb || k < 0 || edge.log10_lr < threshold) continue;
      auto* le = response.mutable_clusters(k)->add_edges();
      le->set_modality(link::to_string(edge.modality));
      le->set_scan_a(edge.scan_a);
      le->set_scan_b(edge.scan_b);
      le->set_seizure_a(graph.seizure(sa).id);
      le->set_seizure_b(graph.seizure(sb).id);
      le->set_raw_score(edge.raw_score);
      le->set_log10_lr(edge.log10_lr);
    }
    response.set_report_json(link::clusters_json(graph, clusters, threshold).dump(2));
    response.set_dot(link::clusters_dot(graph, clusters));
    catalog_.append_audit(actor, "link_seizures", request.seizure_id(),
                          "ok: " + std::to_string(clusters.size()) + " cluster(s) " + ids);
    return response;
  });
}

int EvidenceService::checkpoint_indexes() {
  const auto save_if_behind = [](const auto& index) {
    if (index.catalog_seq() == index.saved_catalog_seq()) return 0;
    index.save();
    return 1;
  };
  return save_if_behind(finger_search_) + save_if_behind(section_search_);
}

v1::Seizure EvidenceService::create_seizure(v1::Seizure seizure, const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "create_seizure", "", [&] {
    seizure.clear_id();
    seizure.clear_created_at();
    seizure.set_discovering_country(upper(seizure.discovering_country()));
    normalise_countries(seizure.mutable_origin_countries());
    normalise_countries(seizure.mutable_transit_countries());
    normalise_countries(seizure.mutable_destination_countries());
    // The owner is always the caller's lab: a lab cannot file records under another's name.
    seizure.set_owner_lab(caller.lab);
    seizure.set_shareable(false);
    catalog::validate_seizure(seizure);
    const catalog::AuditIntent audit{actor, "create_seizure", "{id}", "ok"};
    return catalog_.insert_seizure(std::move(seizure), &audit);
  });
}

v1::Seizure EvidenceService::get_seizure(const std::string& id, const Caller& caller) const {
  return audited(catalog_, caller.actor(), "get_seizure", id,
                 [&] { return visible_seizure(id, caller); });
}

catalog::SeizurePage EvidenceService::list_seizures(std::uint32_t page_size,
                                                    const std::string& page_token,
                                                    const std::string& country,
                                                    const Caller& caller) const {
  return catalog_.list_seizures(page_size, page_token, upper(country), caller.lab);
}

v1::Seizure EvidenceService::set_seizure_sharing(const std::string& id, bool shareable,
                                                 const std::string& reason, const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, shareable ? "share_seizure" : "unshare_seizure", id, [&] {
    TP_CHECK(!reason.empty(), kInvalidArgument,
             "a reason is required to change who may see a seizure (e.g. the INTERPOL case)");
    owned_seizure(id, caller);
    const catalog::AuditIntent audit{actor, shareable ? "share_seizure" : "unshare_seizure", "{id}",
                                     "ok: " + reason};
    return catalog_.set_seizure_shareable(id, shareable, &audit);
  });
}

v1::Specimen EvidenceService::add_specimen(v1::Specimen specimen, const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "add_specimen", specimen.seizure_id(), [&] {
    specimen.clear_id();
    specimen.clear_created_at();
    specimen.clear_cites_mark();
    catalog::validate_specimen(specimen);
    owned_seizure(specimen.seizure_id(), caller);
    if (!specimen.cites_mark_text().empty()) {
      *specimen.mutable_cites_mark() = catalog::parse_cites_mark(specimen.cites_mark_text());
    }
    const catalog::AuditIntent audit{actor, "add_specimen", specimen.seizure_id() + ",{id}", "ok"};
    return catalog_.insert_specimen(std::move(specimen), &audit);
  });
}

std::vector<v1::Specimen> EvidenceService::list_specimens(const std::string& seizure_id,
                                                         const Caller& caller) const {
  return audited(catalog_, caller.actor(), "list_specimens", seizure_id, [&] {
    visible_seizure(seizure_id, caller);  // kNotFound for an unknown seizure
    return catalog_.list_specimens(seizure_id);
  });
}

ScanUpload::ScanUpload(EvidenceService& service, v1::ScanMetadata metadata, Caller caller)
    : service_(service), metadata_(std::move(metadata)), caller_(std::move(caller)) {}

void ScanUpload::append(std::string_view bytes) {
  const std::uint64_t limit = service_.limits().image.max_bytes;
  TP_CHECK(bytes_.size() + bytes.size() <= limit, kResourceExhausted,
           "upload passed the size limit of " << limit << " bytes");
  bytes_.append(bytes);
}

SubmitResult ScanUpload::commit() { return service_.store_scan(metadata_, bytes_, caller_); }

ScanUpload EvidenceService::begin_scan(v1::ScanMetadata metadata, const Caller& caller) {
  audited(catalog_, caller.actor(), "submit_scan", metadata.seizure_id(), [&] {
    catalog::validate_scan_metadata(metadata);
    owned_seizure(metadata.seizure_id(), caller);
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
  return ScanUpload(*this, std::move(metadata), caller);
}

SubmitResult EvidenceService::submit_scan(v1::ScanMetadata metadata, std::string_view bytes,
                                          const Caller& caller) {
  auto upload = begin_scan(std::move(metadata), caller);
  upload.append(bytes);
  return upload.commit();
}

std::vector<catalog::FeatureRecord> EvidenceService::measure_features(const v1::ScanMetadata& metadata,
                                                                       const image::DecodedImage& decoded,
                                                                       v1::Scan& scan,
                                                                       std::string* unmeasurable) const {
  std::vector<catalog::FeatureRecord> features;
  scan.clear_finger_template();
  scan.clear_schreger_profile();
  // A print too poor to search is kept as evidence, unindexed.
  if (metadata.kind() == v1::SCAN_KIND_LATENT_LIFT ||
      metadata.kind() == v1::SCAN_KIND_REFERENCE_PRINT) {
    ridge::FingerTemplate finger;
    try {
      finger = ridge::extract(decoded.grey, int(metadata.ppi()));
    } catch (const Error& e) {
      // The image is valid evidence but no template can be made from it (too small for
      // its ppi, or a ppi the extractor does not take): keep it, unsearchable, and say why.
      if (e.code() != ErrorCode::kInvalidArgument) throw;
      finger = ridge::FingerTemplate{};
      finger.extractor_version = ridge::kExtractorVersion;
      finger.parameters_hash = ridge::parameters_hash();
      finger.source_ppi = int(metadata.ppi());
      finger.too_poor_to_search = true;
      finger.quality_reason = std::string("no template: ") + e.what();
    }
    *scan.mutable_finger_template() = ridge::to_proto(finger);
    features.push_back(catalog::FeatureRecord{
        "finger", finger.extractor_version, finger.parameters_hash,
        scan.finger_template().SerializeAsString(), !finger.too_poor_to_search});
  }
  if (metadata.kind() == v1::SCAN_KIND_CROSS_SECTION) {
    // The Schreger profile: species call, angles, link features. A face that cannot be
    // measured (no section found at this ppi) is kept as evidence without a profile.
    try {
      catalog::FeatureRecord record = schreger_feature_record(decoded, double(metadata.ppi()));
      TP_CHECK(scan.mutable_schreger_profile()->ParseFromString(record.data), kInternal,
               "cannot read a measured Schreger profile");
      features.push_back(std::move(record));
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidArgument) throw;
      if (unmeasurable) *unmeasurable = e.what();
    }
  }
  return features;
}

SubmitResult EvidenceService::store_scan(const v1::ScanMetadata& metadata,
                                         std::string_view bytes, const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "submit_scan", metadata.seizure_id(), [&] {
    const auto ticket = heavy_.enter("submit_scan", caller.deadline);
    const std::string sha = sha256_hex(bytes);
    if (!metadata.expected_sha256().empty()) {
      std::string expected = metadata.expected_sha256();
      std::transform(expected.begin(), expected.end(), expected.begin(),
                     [](unsigned char c) { return char(std::tolower(c)); });
      TP_CHECK(expected == sha, kDataLoss,
               "uploaded bytes hash to " << sha << ", not the expected " << expected);
    }
    const image::DecodedImage decoded = image::decode(bytes, options_.limits.image);
    v1::Scan scan;
    *scan.mutable_metadata() = metadata;
    scan.set_sha256(sha);
    scan.set_media_type(decoded.media_type);
    scan.set_width(std::uint32_t(decoded.width));
    scan.set_height(std::uint32_t(decoded.height));
    scan.set_submitted_by(actor);
    // Features are measured before anything is stored, so that the scan and its template or
    // profile commit together.
    const std::vector<catalog::FeatureRecord> features = measure_features(metadata, decoded, scan);
    SubmitResult result;
    const catalog::AuditIntent audit{actor, "submit_scan",
                                     metadata.seizure_id() + ",{id},sha256:" + sha, "ok"};
    result.scan =
        catalog_.insert_scan(std::move(scan), bytes, &result.duplicate_bytes, features, &audit);
    for (const auto& f : features) {
      if (f.modality == "finger") finger_search_.catch_up();
      if (f.modality == kSchregerModality) section_search_.catch_up();
    }
    return result;
  });
}

v1::Scan EvidenceService::get_scan(const std::string& id, const Caller& caller) const {
  return audited(catalog_, caller.actor(), "get_scan", id,
                 [&] { return visible_scan(id, caller); });
}

std::vector<v1::Scan> EvidenceService::list_scans(const std::string& seizure_id,
                                                  const Caller& caller) const {
  return audited(catalog_, caller.actor(), "list_scans", seizure_id, [&] {
    visible_seizure(seizure_id, caller);
    return catalog_.list_scans(seizure_id);
  });
}

std::string EvidenceService::read_scan_bytes(const std::string& id, const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "fetch_scan_image", id, [&] {
    const v1::Scan scan = visible_scan(id, caller);
    std::string bytes = catalog_.read_scan_bytes(scan);
    catalog_.append_audit(actor, "fetch_scan_image", id + ",sha256:" + scan.sha256(), "ok");
    return bytes;
  });
}

v1::Scan EvidenceService::withdraw_scan(const std::string& id, const std::string& reason,
                                        const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "withdraw_scan", id, [&] {
    TP_CHECK(!reason.empty(), kInvalidArgument, "a reason is required to withdraw a scan");
    owned_seizure(catalog_.get_scan(id).metadata().seizure_id(), caller);
    const catalog::AuditIntent audit{actor, "withdraw_scan", "{id}", "ok: " + reason};
    if (!catalog_.withdraw_scan(id, &audit)) {
      catalog_.append_audit(actor, "withdraw_scan", id, "ok: already withdrawn");
    }
    finger_search_.catch_up();
    section_search_.catch_up();
    return catalog_.get_scan(id);
  });
}

struct EvidenceService::ResolvedProbe {
  ridge::FingerTemplate finger;
  std::string scan_id;     // when the probe is a stored scan
  std::string seizure_id;  // of that scan
};

EvidenceService::ResolvedProbe EvidenceService::resolve_finger_probe(const v1::Probe& probe,
                                                                    const Caller& caller) const {
  ResolvedProbe out;
  switch (probe.source_case()) {
    case v1::Probe::kScanId: {
      const v1::Scan scan = visible_scan(probe.scan_id(), caller);
      TP_CHECK(scan.has_finger_template(), kFailedPrecondition,
               "scan '" << probe.scan_id() << "' has no fingerprint template (kind "
                        << v1::ScanKind_Name(scan.metadata().kind()) << ")");
      out.finger = ridge::from_proto(scan.finger_template());
      out.scan_id = scan.id();
      out.seizure_id = scan.metadata().seizure_id();
      break;
    }
    case v1::Probe::kImage: {
      const auto& image = probe.image();
      const image::DecodedImage decoded = image::decode(image.data(), options_.limits.image);
      TP_CHECK(image.ppi() > 0, kInvalidArgument, "probe image needs its ppi");
      out.finger = ridge::extract(decoded.grey, int(image.ppi()));
      break;
    }
    case v1::Probe::kFingerTemplate:
      out.finger = ridge::from_proto(probe.finger_template());
      break;
    default:
      TP_THROW(kInvalidArgument, "probe is empty: give a scan_id, an image or a template");
  }
  return out;
}

v1::Modality EvidenceService::probe_modality(const v1::SearchRequest& request) const {
  if (request.modality() != v1::MODALITY_UNSPECIFIED) return request.modality();
  const auto& probe = request.probe();
  if (probe.has_image()) {
    return probe.image().kind() == v1::SCAN_KIND_CROSS_SECTION ? v1::MODALITY_SCHREGER
                                                               : v1::MODALITY_FINGER;
  }
  if (probe.has_scan_id()) {
    const auto scan = catalog_.find_scan(probe.scan_id());
    if (scan.has_value() && scan->metadata().kind() == v1::SCAN_KIND_CROSS_SECTION) {
      return v1::MODALITY_SCHREGER;
    }
  }
  return v1::MODALITY_FINGER;
}

v1::SchregerProfile EvidenceService::resolve_section_probe(const v1::Probe& probe,
                                                           const Caller& caller,
                                                           std::string* scan_id,
                                                           std::string* seizure_id) const {
  switch (probe.source_case()) {
    case v1::Probe::kScanId: {
      const v1::Scan scan = visible_scan(probe.scan_id(), caller);
      const auto feature = catalog_.find_feature(scan.id(), kSchregerModality);
      TP_CHECK(feature.has_value(), kFailedPrecondition,
               "scan '" << probe.scan_id() << "' has no Schreger profile (kind "
                        << v1::ScanKind_Name(scan.metadata().kind()) << ")");
      v1::SchregerProfile profile;
      TP_CHECK(profile.ParseFromString(feature->data), kDataLoss,
               "stored Schreger profile of scan '" << scan.id() << "' is corrupt");
      *scan_id = scan.id();
      *seizure_id = scan.metadata().seizure_id();
      return profile;
    }
    case v1::Probe::kImage: {
      TP_CHECK(probe.image().ppi() > 0, kInvalidArgument, "probe image needs its ppi");
      const auto record = schreger_feature_record(probe.image().data(), probe.image().ppi(),
                                                  options_.limits.image);
      v1::SchregerProfile profile;
      TP_CHECK(profile.ParseFromString(record.data), kInternal, "cannot read a measured profile");
      return profile;
    }
    default:
      TP_THROW(kInvalidArgument,
               "a cut-face search needs a stored cross-section scan or a cross-section image");
  }
}

v1::SearchResponse EvidenceService::search(const v1::SearchRequest& request,
                                           const Caller& caller) {
  const std::string actor = caller.actor();
  const std::string probe_name =
      request.probe().has_scan_id() ? request.probe().scan_id() : std::string("uploaded probe");
  return audited(catalog_, actor, "search", probe_name, [&] {
    const auto started = std::chrono::steady_clock::now();
    TP_CHECK(request.top_k() <= 100, kInvalidArgument, "top_k " << request.top_k() << " is over 100");
    TP_CHECK(request.modality() == v1::MODALITY_UNSPECIFIED ||
                 request.modality() == v1::MODALITY_FINGER ||
                 request.modality() == v1::MODALITY_SCHREGER,
             kInvalidArgument, "unknown modality " << int(request.modality()));
    const auto ticket = heavy_.enter("search", caller.deadline);
    const int top_k = int(request.top_k() == 0 ? 10 : request.top_k());
    // Extra candidates so that those of the probe's own seizure and of other labs' unshared
    // seizures can be left out.
    const int fetch = top_k + 40;
    struct Hit {
      std::string key;
      double score = 0;
      double votes = 0;
      bool adjacent_in_cut_order = false;
      bool fills_cut_order_gap = false;
      std::optional<double> size_step_mm;
      bool mirror_image = false;
      std::optional<double> outline_residual_mm;
    };
    std::vector<Hit> found;
    std::string probe_scan, probe_seizure;
    const lr::LrModel* model = nullptr;
    v1::SearchResponse response;
    auto* st = response.mutable_stats();
    response.set_modality(probe_modality(request) == v1::MODALITY_SCHREGER ? v1::MODALITY_SCHREGER
                                                                            : v1::MODALITY_FINGER);
    if (response.modality() == v1::MODALITY_SCHREGER) {
      const v1::SchregerProfile profile =
          resolve_section_probe(request.probe(), caller, &probe_scan, &probe_seizure);
      SectionSearchOptions options;
      options.k = std::min(fetch, 100);
      options.shortlist = std::max(options.k, 50);
      for (const auto& c : section_search_.search(profile, options)) {
        if (c.link_score >= request.threshold()) {
          found.push_back({c.scan_id, c.link_score, 0, c.adjacent_in_cut_order, c.fills_cut_order_gap, c.size_step_mm,
                           c.mirrored, c.outline_residual_mm});
        }
      }
      if (lr_models_.schreger.has_value()) model = &*lr_models_.schreger;
      st->set_gallery_size(std::uint32_t(section_search_.size()));
      st->set_reranked(std::uint32_t(std::min<std::size_t>(std::size_t(options.shortlist),
                                                             section_search_.size())));
    } else {
      const ResolvedProbe probe = resolve_finger_probe(request.probe(), caller);
      probe_scan = probe.scan_id;
      probe_seizure = probe.seizure_id;
      index::FingerSearchOptions options;
      options.top_k = fetch;
      options.min_score = request.threshold();
      index::FingerSearchStats stats;
      for (const auto& c : finger_search_.search(probe.finger, options, &stats)) {
        found.push_back({c.key, c.score, c.votes, false, false, std::nullopt, false, std::nullopt});
      }
      if (lr_models_.finger.has_value()) model = &*lr_models_.finger;
      st->set_gallery_size(std::uint32_t(finger_search_.size()));
      st->set_reranked(std::uint32_t(stats.reranked));
      st->set_probe_minutiae(std::uint32_t(probe.finger.minutiae.size()));
      st->set_probe_quality(probe.finger.quality);
      st->set_retrieval_ms(float(stats.retrieval_ms));
      st->set_rerank_ms(float(stats.rerank_ms));
      response.set_probe_too_poor(probe.finger.too_poor_to_search);
      response.set_probe_quality_reason(probe.finger.quality_reason);
    }
    const bool drop_own = !request.include_same_seizure() && !probe_seizure.empty();
    for (const auto& c : found) {
      if (response.candidates_size() >= top_k) break;
      if (c.key == probe_scan) continue;
      const auto scan = catalog_.find_scan(c.key);
      if (!scan.has_value() || scan->withdrawn()) continue;
      if (drop_own && scan->metadata().seizure_id() == probe_seizure) continue;
      const auto seizure = catalog_.find_seizure(scan->metadata().seizure_id());
      if (!seizure.has_value() || (seizure->owner_lab() != caller.lab && !seizure->shareable())) {
        continue;
      }
      auto* out = response.add_candidates();
      out->set_rank(std::uint32_t(response.candidates_size()));
      out->set_scan_id(c.key);
      out->set_score(float(c.score));
      out->set_retrieval_votes(float(c.votes));
      out->set_adjacent_in_cut_order(c.adjacent_in_cut_order);
      out->set_fills_cut_order_gap(c.fills_cut_order_gap);
      if (c.size_step_mm.has_value()) out->set_size_step_mm(*c.size_step_mm);
      out->set_mirror_image(c.mirror_image);
      if (c.outline_residual_mm.has_value()) out->set_outline_residual_mm(*c.outline_residual_mm);
      if (model != nullptr) out->set_log10_lr(model->log10_lr(c.score));
      out->set_seizure_id(scan->metadata().seizure_id());
      out->set_specimen_id(scan->metadata().specimen_id());
      out->set_discovering_country(seizure->discovering_country());
      out->set_seizure_date(seizure->date());
      if (!scan->metadata().specimen_id().empty()) {
        if (const auto specimen = catalog_.find_specimen(scan->metadata().specimen_id())) {
          out->set_cites_mark(specimen->cites_mark().text());
        }
      }
    }
    st->set_total_ms(float(std::chrono::duration<double, std::milli>(
                               std::chrono::steady_clock::now() - started)
                               .count()));
    if (model != nullptr) response.set_lr_model(model->version());
    std::string hits;
    for (const auto& c : response.candidates()) hits += (hits.empty() ? "" : ",") + c.scan_id();
    catalog_.append_audit(actor, "search", probe_name,
                          "ok: " + std::to_string(response.candidates_size()) + " candidate(s)" +
                              (hits.empty() ? "" : " " + hits));
    return response;
  });
}

v1::VerifyResponse EvidenceService::verify(const v1::VerifyRequest& request,
                                           const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "verify", "", [&] {
    const auto ticket = heavy_.enter("verify", caller.deadline);
    const ResolvedProbe a = resolve_finger_probe(request.a(), caller);
    const ResolvedProbe b = resolve_finger_probe(request.b(), caller);
    const match::MatchTemplate ta(a.finger), tb(b.finger);
    const auto details = match::match_details(ta, tb);
    v1::VerifyResponse response;
    response.set_score(float(details.score));
    response.set_minutiae_a(std::uint32_t(a.finger.minutiae.size()));
    response.set_minutiae_b(std::uint32_t(b.finger.minutiae.size()));
    for (const auto& p : details.pairs) {
      auto* pair = response.add_pairs();
      pair->set_a(std::uint32_t(p.probe_minutia));
      pair->set_b(std::uint32_t(p.gallery_minutia));
      pair->set_similarity(p.relaxed_similarity);
    }
    if (lr_models_.finger.has_value()) {
      const double log10_lr = lr_models_.finger->log10_lr(details.score);
      response.set_log10_lr(log10_lr);
      response.set_lr_model(lr_models_.finger->version());
      // A comparison of two stored scans is evidence for the link graph too.
      if (!a.scan_id.empty() && !b.scan_id.empty() && a.scan_id != b.scan_id &&
          log10_lr >= kRecordFloorLog10Lr) {
        catalog_.record_match_edges({catalog::MatchEdgeRecord{"finger", a.scan_id, b.scan_id,
                                                              details.score, log10_lr, "verify",
                                                              lr_models_.finger->version(), 0}},
                                    "", 0);
      }
    }
    catalog_.append_audit(actor, "verify", a.scan_id + "," + b.scan_id,
                          "ok: score " + std::to_string(details.score));
    return response;
  });
}

namespace {

std::string without_dashes(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

// 12-digit TCN serial: milliseconds since the start of the UTC year, times ten, plus a
// process counter digit: unique for up to ten exports in one millisecond.
unsigned long long next_tcn_serial(std::chrono::system_clock::time_point now) {
  static std::atomic<unsigned> counter{0};
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  std::tm year_start{};
  year_start.tm_year = utc.tm_year;
  year_start.tm_mday = 1;
  const std::time_t start = timegm(&year_start);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      now - std::chrono::system_clock::from_time_t(start))
                      .count();
  return (static_cast<unsigned long long>(ms) * 10 + counter.fetch_add(1) % 10) % 1'000'000'000'000ull;
}

}  // namespace

v1::ExportResponse EvidenceService::export_scans(const v1::ExportRequest& request,
                                                 const Caller& caller) {
  const std::string actor = caller.actor();
  std::string ids;
  for (const auto& id : request.scan_ids()) ids += (ids.empty() ? "" : ",") + id;
  return audited(catalog_, actor, "export", ids, [&] {
    TP_CHECK(request.scan_ids_size() > 0, kInvalidArgument, "export needs at least one scan id");
    TP_CHECK(request.scan_ids_size() <= 100, kInvalidArgument,
             "export of " << request.scan_ids_size() << " scans at once is over the limit of 100");
    const std::string format = request.format().empty() ? "an2" : request.format();
    TP_CHECK(format == "an2" || format == "xml", kInvalidArgument,
             "export format '" << format << "' is not an2 or xml");
    v1::ExportResponse response;
    std::string tcns;
    for (const auto& scan_id : request.scan_ids()) {
      const v1::Scan scan = visible_scan(scan_id, caller);
      TP_CHECK(scan.metadata().kind() == v1::SCAN_KIND_LATENT_LIFT, kFailedPrecondition,
               "scan '" << scan_id << "' is not a latent lift; INT-I MPS carries latent marks");
      TP_CHECK(scan.has_finger_template(), kFailedPrecondition,
               "scan '" << scan_id << "' has no template to export");
      const v1::Seizure seizure = catalog_.get_seizure(scan.metadata().seizure_id());
      ansinist::MpsInput in;
      in.image = catalog_.read_scan_bytes(scan);
      in.media_type = scan.media_type();
      in.width = int(scan.width());
      in.height = int(scan.height());
      in.ppi = int(scan.metadata().ppi());
      in.features = ridge::from_proto(scan.finger_template());
      const std::string alpha3(catalog::iso3166_alpha3(seizure.discovering_country()));
      TP_CHECK(!alpha3.empty(), kFailedPrecondition,
               "seizure '" << seizure.id() << "' has no known discovering country ("
                           << seizure.discovering_country() << "); INT-I needs one for 2.007 CNO");
      in.case_country = alpha3;
      in.case_reference = seizure.case_references_size() > 0 ? seizure.case_references(0)
                                                             : seizure.id();
      in.evidence_id = without_dashes(scan.metadata().specimen_id().empty()
                                          ? seizure.id()
                                          : scan.metadata().specimen_id());
      in.latent_id = without_dashes(scan.id());
      in.origin.id = request.origin_agency_id().empty() ? options_.agency_id : request.origin_agency_id();
      in.origin.name = request.origin_agency_name().empty() ? options_.agency_name
                                                            : request.origin_agency_name();
      in.destination.id = request.destination_agency_id().empty() ? options_.destination_id
                                                                  : request.destination_agency_id();
      in.destination.name = request.destination_agency_name().empty()
                                ? options_.destination_name
                                : request.destination_agency_name();
      in.origin.country = options_.agency_country.empty() ? alpha3 : options_.agency_country;
      in.destination.country = options_.destination_country;
      in.time = std::chrono::system_clock::now();
      in.tcn_serial = next_tcn_serial(in.time);
      const ansinist::Transaction transaction = ansinist::build_mps(in);
      auto* out = response.add_transactions();
      out->set_scan_id(scan.id());
      for (const auto& record : transaction.records) {
        if (record.type != 1) continue;
        for (const auto& field : record.fields) {
          if (field.number == 9) out->set_tcn(field.value());
        }
      }
      out->set_data(format == "xml" ? ansinist::write_xml(transaction)
                                    : ansinist::write_traditional(transaction));
      out->set_file_name(out->tcn() + (format == "xml" ? ".xml" : ".an2"));
      out->set_image_sha256(scan.sha256());
      tcns += (tcns.empty() ? "" : ",") + out->tcn();
    }
    catalog_.append_audit(actor, "export", ids, "ok: " + format + " TCN " + tcns);
    return response;
  });
}

v1::ImportResponse EvidenceService::import_transaction(const v1::ImportRequest& request,
                                                       const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "import", request.seizure_id(), [&] {
    // Who may file into that seizure is settled before the file is read.
    if (!request.seizure_id().empty()) owned_seizure(request.seizure_id(), caller);
    TP_CHECK(!request.data().empty(), kInvalidArgument, "import file is empty");
    TP_CHECK(request.data().size() <= options_.limits.image.max_bytes * 2, kResourceExhausted,
             "import file of " << request.data().size() << " bytes is over the limit");
    const std::string_view data = request.data();
    const auto first = data.find_first_not_of(" \t\r\n");
    const bool xml = first != std::string_view::npos && data[first] == '<';
    const ansinist::Transaction transaction =
        xml ? ansinist::read_xml(data) : ansinist::read_traditional(data);
    const ansinist::LatentImport latent =
        ansinist::import_latent(transaction, request.idc() > 0 ? request.idc() : -1);
    std::string image_bytes;
    if (latent.compression == "NONE") {
      TP_CHECK(latent.bits_per_pixel == 8, kInvalidArgument,
               "Type-13 image has " << latent.bits_per_pixel << " bits per pixel; only 8 is read");
      const cv::Mat raw(latent.height, latent.width, CV_8U,
                        const_cast<char*>(latent.image.data()));
      std::vector<unsigned char> png;
      TP_CHECK(cv::imencode(".png", raw, png), kInternal, "cannot encode the imported image");
      image_bytes.assign(png.begin(), png.end());  // lossless: the same pixels
    } else {
      TP_CHECK(latent.compression == "PNG" || latent.compression == "JP2L" ||
                   latent.compression == "JP2",
               kInvalidArgument, "Type-13 compression " << latent.compression
                                 << " is not supported (NONE, PNG, JP2L and JP2 are)");
      image_bytes = latent.image;  // stored byte for byte
    }
    std::string seizure_id = request.seizure_id();
    if (seizure_id.empty()) {
      // No seizure named: file the mark under a new seizure record that says where it came
      // from, dated by the capture date in the file (13.005) when it is a valid date.
      v1::Seizure placeholder;
      const std::string& lcd = latent.capture_date;
      std::string date = lcd.size() == 8 ? lcd.substr(0, 4) + "-" + lcd.substr(4, 2) + "-" + lcd.substr(6, 2) : "";
      try {
        catalog::validate_date("capture date", date);
      } catch (const Error&) {
        const std::time_t t = std::time(nullptr);
        std::tm utc{};
        gmtime_r(&t, &utc);
        char today[16];
        std::strftime(today, sizeof today, "%Y-%m-%d", &utc);
        date = today;
      }
      placeholder.set_date(date);
      placeholder.set_discovering_country("XX");
      placeholder.set_notes("created for an ANSI/NIST-ITL import; source agency " +
                            latent.source_agency + "; seizure details unknown");
      seizure_id = create_seizure(placeholder, caller).id();
    }
    v1::ScanMetadata metadata;
    metadata.set_seizure_id(seizure_id);
    metadata.set_specimen_id(request.specimen_id());
    metadata.set_kind(v1::SCAN_KIND_LATENT_LIFT);
    metadata.set_ppi(std::uint32_t(latent.ppi));
    metadata.set_operator_name(request.operator_name().empty() ? caller.name : request.operator_name());
    metadata.set_file_name("imported ANSI/NIST-ITL Type-13 IDC " + std::to_string(latent.idc));
    metadata.mutable_capture()->set_notes("imported from ANSI/NIST-ITL; source agency " +
                                          latent.source_agency + ", capture date " +
                                          latent.capture_date);
    catalog::validate_scan_metadata(metadata);
    auto result = submit_scan(metadata, image_bytes, caller);
    v1::ImportResponse response;
    *response.mutable_scan() = std::move(result.scan);
    response.set_imported_minutiae(std::uint32_t(latent.minutiae.size()));
    response.set_source_agency(latent.source_agency);
    catalog_.append_audit(actor, "import", response.scan().id(), "ok");
    return response;
  });
}

namespace {

v1::TokenInfo token_info(const catalog::TokenRecord& record) {
  v1::TokenInfo info;
  info.set_id(record.id);
  info.set_lab(record.lab);
  info.set_name(record.name);
  for (Role r : parse_roles(record.roles).roles()) {
    switch (r) {
      case Role::kSubmit: info.add_roles(v1::ROLE_SUBMIT); break;
      case Role::kSearch: info.add_roles(v1::ROLE_SEARCH); break;
      case Role::kExport: info.add_roles(v1::ROLE_EXPORT); break;
      case Role::kAdmin: info.add_roles(v1::ROLE_ADMIN); break;
    }
  }
  *info.mutable_created_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(record.created_at_micros);
  info.set_created_by(record.created_by);
  info.set_revoked(record.revoked_at_micros != 0);
  if (record.revoked_at_micros != 0) {
    *info.mutable_revoked_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(record.revoked_at_micros);
  }
  return info;
}

}  // namespace

v1::CreateTokenResponse EvidenceService::create_token(const v1::CreateTokenRequest& request,
                                                      const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "create_token", request.lab(), [&] {
    RoleSet roles;
    for (int r : request.roles()) {
      switch (r) {
        case v1::ROLE_SUBMIT: roles.add(Role::kSubmit); break;
        case v1::ROLE_SEARCH: roles.add(Role::kSearch); break;
        case v1::ROLE_EXPORT: roles.add(Role::kExport); break;
        case v1::ROLE_ADMIN: roles.add(Role::kAdmin); break;
        default: TP_THROW(kInvalidArgument, "role " << r << " is not a known role");
      }
    }
    const catalog::AuditIntent audit{actor, "create_token", "{id}",
                                     "ok: lab " + request.lab() + ", roles " + roles.to_string()};
    const auto minted = tokens_.create(request.lab(), request.name(), roles, actor, &audit);
    v1::CreateTokenResponse response;
    *response.mutable_info() = token_info(minted.record);
    response.set_token(minted.token);
    return response;
  });
}

v1::ListTokensResponse EvidenceService::list_tokens(const v1::ListTokensRequest& request,
                                                    const Caller& caller) {
  v1::ListTokensResponse response;
  for (const auto& record : tokens_.list(request.include_revoked())) {
    *response.add_tokens() = token_info(record);
  }
  catalog_.append_audit(caller.actor(), "list_tokens", "",
                        "ok: " + std::to_string(response.tokens_size()) + " token(s)");
  return response;
}

v1::TokenInfo EvidenceService::revoke_token(const std::string& token_id, const Caller& caller) {
  const std::string actor = caller.actor();
  return audited(catalog_, actor, "revoke_token", token_id, [&] {
    TP_CHECK(!token_id.empty(), kInvalidArgument, "no token id to revoke");
    const catalog::AuditIntent audit{actor, "revoke_token", "{id}", "ok"};
    return token_info(tokens_.revoke(token_id, &audit));
  });
}

v1::VerifyAuditResponse EvidenceService::verify_audit(const Caller& caller) {
  const auto check = catalog_.verify_audit_chain();
  v1::VerifyAuditResponse response;
  response.set_intact(check.intact);
  response.set_entries(std::uint64_t(check.entries));
  response.set_first_broken_seq(std::uint64_t(check.first_broken_seq));
  response.set_problem(check.problem);
  catalog_.append_audit(caller.actor(), "verify_audit", "",
                        check.intact ? "ok: " + std::to_string(check.entries) + " entries intact"
                                     : "broken at entry " + std::to_string(check.first_broken_seq));
  return response;
}

RemeasureReport EvidenceService::remeasure_stale(const Caller& caller, const RemeasureOptions& options) {
  // What this engine would store, per modality.
  const std::pair<std::string, std::string> finger{ridge::kExtractorVersion, ridge::parameters_hash()};
  const std::pair<std::string, std::string> section{schreger::kExtractorVersion, schreger::SchregerParams{}.hash()};
  const std::pair<std::string, std::string> unknown;
  const auto current = [&](const std::string& modality) -> const std::pair<std::string, std::string>& {
    return modality == "finger" ? finger : modality == kSchregerModality ? section : unknown;
  };
  RemeasureReport report;
  const std::vector<catalog::FeatureStamp> stamps = catalog_.feature_stamps();
  report.features = stamps.size();
  for (const catalog::FeatureStamp& f : stamps) {
    const auto [version, hash] = current(f.modality);
    TP_CHECK(!version.empty(), kFailedPrecondition,
             "scan " << f.scan_id << " has features of unknown modality '" << f.modality << "'");
    if (f.extractor_version == version && f.parameters_hash == hash) continue;
    RemeasureItem item;
    item.scan_id = f.scan_id;
    item.modality = f.modality;
    item.from_version = f.extractor_version;
    item.from_parameters_hash = f.parameters_hash;
    report.stale.push_back(std::move(item));
  }
  // Cut faces stored without a profile: nothing was measurable with the engine that stored
  // them; this one may measure them.
  for (const std::string& id : catalog_.scans_without_features(v1::SCAN_KIND_CROSS_SECTION)) {
    RemeasureItem item;
    item.scan_id = id;
    item.modality = kSchregerModality;
    item.unmeasured = true;
    report.stale.push_back(std::move(item));
    ++report.unmeasured;
  }
  const std::string actor = caller.actor();
  std::size_t done = 0;
  for (RemeasureItem& item : report.stale) {
    if (!options.dry_run) {
      try {
        v1::Scan scan = catalog_.get_scan(item.scan_id);
        const std::string bytes = catalog_.read_scan_bytes(scan);
        const image::DecodedImage decoded = image::decode(bytes, options_.limits.image);
        std::string unmeasurable;
        const std::vector<catalog::FeatureRecord> features =
            measure_features(scan.metadata(), decoded, scan, &unmeasurable);
        if (item.unmeasured && features.empty()) {
          // Still nothing: left as it is (no removal to log, no record to rewrite).
          item.nothing_measurable = unmeasurable.empty() ? std::string("no profile measured") : unmeasurable;
          ++report.still_unmeasured;
        } else {
          for (const auto& r : features) {
            if (r.modality != item.modality) continue;
            item.to_version = r.extractor_version;
            item.to_parameters_hash = r.parameters_hash;
            item.searchable = r.searchable && !scan.withdrawn();
          }
          const std::string from = item.unmeasured ? std::string("none")
                                                   : item.from_version + "/" + item.from_parameters_hash.substr(0, 12);
          const catalog::AuditIntent audit{
              actor, "remeasure",
              "{id}," + item.modality + ":" + from + "->" +
                  (item.to_version.empty() ? std::string("none")
                                           : item.to_version + "/" + item.to_parameters_hash.substr(0, 12)),
              "ok"};
          catalog_.replace_features(scan, features, &audit);
          ++report.remeasured;
        }
      } catch (const std::exception& e) {
        // Left as it was (nothing of it was changed): say why, and go on with the others.
        item.error = e.what();
        ++report.failed;
        catalog_.append_audit(actor, "remeasure", item.scan_id, std::string("failed: ") + e.what());
      }
    }
    ++done;
    if (options.progress) options.progress(done, report.stale.size(), item.scan_id);
  }
  // Open indexes follow through the feature log (a removal, then the new addition).
  return report;
}

}  // namespace tuskprint::service
