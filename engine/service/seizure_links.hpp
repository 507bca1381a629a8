#pragma once
// The service side of seizure linking: likelihood-ratio models for the matchers, the
// enrolment linker that turns new scans into link-graph edges, and the graph a caller may
// see.
//
// The linker reads the catalog's feature log after the point it last reached: each new
// searchable template is searched against the gallery, every candidate whose calibrated
// evidence is at least kRecordFloorLog10Lr becomes an edge, and the edges commit with the
// new log position in one transaction (a crash replays the event, never skips it). Edges
// weaker than an investigator's threshold are kept: the threshold is chosen per query.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "link/link_graph.hpp"
#include "lr/lr_model.hpp"
#include "service/access.hpp"
#include "service/finger_search.hpp"
#include "service/section_search.hpp"

namespace tuskprint::service {

// Edges are recorded from log10 LR 0 (evidence that supports "same source" at all).
inline constexpr double kRecordFloorLog10Lr = 0.0;
// Candidates looked at per new scan.
inline constexpr int kLinkerCandidates = 10;

// The calibration models in force, checked against the scorers they were fitted for.
struct LrModels {
  std::optional<lr::LrModel> finger;
  std::optional<lr::LrModel> schreger;
  std::vector<std::string> problems;  // why a model is missing (for the start-up log)

  // Loads lr-finger-v1.json / lr-schreger-v1.json from `directory`; a missing file or a
  // model fitted for other scorer parameters leaves that modality without LRs (and says
  // why in `problems`) rather than reporting miscalibrated evidence.
  static LrModels load(const std::string& directory);
};

class SeizureLinker {
 public:
  SeizureLinker(catalog::Catalog& catalog, FingerSearch& fingers, SectionSearch& sections,
                const LrModels& models)
      : catalog_(catalog), fingers_(fingers), sections_(sections), models_(models) {}

  // Links up to `max_events` feature-log additions per modality; returns how many it
  // processed.
  std::size_t catch_up(std::size_t max_events = 1000);

 private:
  std::size_t catch_up_fingers(std::size_t max_events);
  std::size_t catch_up_sections(std::size_t max_events);

  catalog::Catalog& catalog_;
  FingerSearch& fingers_;
  SectionSearch& sections_;
  const LrModels& models_;
};

// The link graph of everything `caller` may see: its lab's seizures and shared ones, their
// specimens and scans (withdrawn scans left out), and the edges between those scans.
link::LinkGraph visible_link_graph(const catalog::Catalog& catalog, const Caller& caller);

}  // namespace tuskprint::service
