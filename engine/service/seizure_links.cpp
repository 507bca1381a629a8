#include "service/seizure_links.hpp"

#include <filesystem>

#include <google/protobuf/util/time_util.h>

#include "catalog/countries.hpp"
#include "core/error.hpp"
#include "lr/score_sources.hpp"
#include "ridge/template_io.hpp"

namespace tuskprint::service {
namespace {

std::optional<lr::LrModel> load_checked(const std::filesystem::path& path,
                                        const std::string& expected_hash,
                                        std::vector<std::string>& problems) {
  if (!std::filesystem::exists(path)) {
    problems.push_back("no LR model at " + path.string());
    return std::nullopt;
  }
  try {
    lr::LrModel model = lr::LrModel::load(path.string());
    if (!expected_hash.empty() && model.score_parameters_hash() != expected_hash) {
      problems.push_back(path.string() + " was fitted for other scorer parameters (" +
                         model.score_parameters_hash().substr(0, 12) + ", current " +
                         expected_hash.substr(0, 12) + "); refit it with `tuskprint calibrate`");
      return std::nullopt;
    }
    return model;
  } catch (const Error& e) {
    problems.push_back(e.what());
    return std::nullopt;
  }
}

link::Role role_of(const v1::Seizure& s) {
  const auto in = [&](const auto& list) {
    for (const auto& c : list) {
      if (c == s.discovering_country()) return true;
    }
    return false;
  };
  if (in(s.destination_countries())) return link::Role::kDestination;
  if (in(s.transit_countries())) return link::Role::kTransit;
  if (in(s.origin_countries())) return link::Role::kOrigin;
  return link::Role::kUnknown;
}

std::string alpha3_or_unknown(const std::string& alpha2) {
  const std::string alpha3(catalog::iso3166_alpha3(alpha2));
  return alpha3.empty() ? "XXX" : alpha3;
}

}  // namespace

LrModels LrModels::load(const std::string& directory) {
  LrModels models;
  const std::filesystem::path dir(directory);
  models.finger = load_checked(dir / "lr-finger-v1.json", lr::finger_score_parameters_hash(),
                               models.problems);
  models.schreger = load_checked(dir / "lr-schreger-v1.json",
                                 lr::schreger_score_parameters_hash(), models.problems);
  return models;
}

std::size_t SeizureLinker::catch_up(std::size_t max_events) {
  return catch_up_fingers(max_events) + catch_up_sections(max_events);
}

std::size_t SeizureLinker::catch_up_sections(std::size_t max_events) {
  if (!models_.schreger.has_value()) return 0;  // no calibrated evidence: link nothing
  const std::int64_t progress = catalog_.link_progress(kSchregerModality);
  const auto events = catalog_.feature_events(kSchregerModality, progress, max_events);
  for (const auto& event : events) {
    std::vector<catalog::MatchEdgeRecord> edges;
    if (event.add && event.feature.searchable) {
      v1::SchregerProfile profile;
      TP_CHECK(profile.ParseFromString(event.feature.data), kDataLoss,
               "stored Schreger profile of scan '" << event.scan_id << "' is corrupt");
      SectionSearchOptions options;
      options.k = kLinkerCandidates;
      for (const auto& c : sections_.search(profile, options)) {
        if (c.scan_id == event.scan_id) continue;
        const double log10_lr = models_.schreger->log10_lr(c.link_score);
        if (log10_lr < kRecordFloorLog10Lr) continue;
        edges.push_back(catalog::MatchEdgeRecord{kSchregerModality, event.scan_id, c.scan_id,
                                                 c.link_score, log10_lr, "enrolment-search",
                                                 models_.schreger->version(), 0});
      }
    }
    catalog_.record_match_edges(edges, kSchregerModality, event.seq);
  }
  return events.size();
}

std::size_t SeizureLinker::catch_up_fingers(std::size_t max_events) {
  if (!models_.finger.has_value()) return 0;  // no calibrated evidence: link nothing
  const std::int64_t progress = catalog_.link_progress("finger");
  const auto events = catalog_.feature_events("finger", progress, max_events);
  for (const auto& event : events) {
    std::vector<catalog::MatchEdgeRecord> edges;
    if (event.add) {
      v1::FingerTemplate proto;
      TP_CHECK(proto.ParseFromString(event.feature.data), kDataLoss,
               "stored template of scan '" << event.scan_id << "' is corrupt");
      const ridge::FingerTemplate probe = ridge::from_proto(proto);
      index::FingerSearchOptions options;
      options.top_k = kLinkerCandidates;
      for (const auto& c : fingers_.search(probe, options)) {
        if (c.key == event.scan_id) continue;
        const double log10_lr = models_.finger->log10_lr(c.score);
        if (log10_lr < kRecordFloorLog10Lr) continue;
        edges.push_back(catalog::MatchEdgeRecord{"finger", event.scan_id, c.key, c.score,
                                                 log10_lr, "enrolment-search",
                                                 models_.finger->version(), 0});
      }
    }
    catalog_.record_match_edges(edges, "finger", event.seq);
  }
  return events.size();
}

link::LinkGraph visible_link_graph(const catalog::Catalog& catalog, const Caller& caller) {
  link::LinkGraph graph;
  std::string page_token;
  do {
    const auto page = catalog.list_seizures(1000, page_token, "", caller.lab);
    for (const auto& s : page.seizures) {
      graph.upsert_seizure({s.id(), alpha3_or_unknown(s.discovering_country()), s.date(),
                            role_of(s)});
      for (const auto& sp : catalog.list_specimens(s.id())) {
        link::Specimen specimen{sp.id(), s.id(), sp.cites_mark().text(), std::nullopt};
        if (sp.weight_kg() > 0) specimen.weight_kg = sp.weight_kg();
        graph.upsert_specimen(specimen);
      }
      for (const auto& sc : catalog.list_scans(s.id())) {
        if (sc.withdrawn()) continue;
        link::ScanKind kind;
        switch (sc.metadata().kind()) {
          case v1::SCAN_KIND_LATENT_LIFT: kind = link::ScanKind::kLatentLift; break;
          case v1::SCAN_KIND_REFERENCE_PRINT: kind = link::ScanKind::kReferencePrint; break;
          case v1::SCAN_KIND_CROSS_SECTION: kind = link::ScanKind::kCrossSection; break;
          default: continue;
        }
        graph.upsert_scan({sc.id(), s.id(), sc.metadata().specimen_id(), kind, ""});
      }
    }
    page_token = page.next_page_token;
  } while (!page_token.empty());
  for (const auto& e : catalog.match_edges()) {
    if (graph.scan_index(e.scan_a) < 0 || graph.scan_index(e.scan_b) < 0) continue;
    graph.upsert_edge({link::parse_modality(e.modality), e.scan_a, e.scan_b, e.raw_score,
                       e.log10_lr,
                       google::protobuf::util::TimeUtil::ToString(
                           google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
                               e.found_at_micros))});
  }
  return graph;
}

}  // namespace tuskprint::service
