#pragma once
// Scores the Schreger pipeline on a generated set against its manifest: outer-angle
// error, species confusion, look-alike rejection and adjacent-slice linking.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plot/chart.hpp"
#include "schreger/params.hpp"

namespace tuskprint::datasets::tusks {

struct EvalOptions {
  double ppi = 0;             // 0: use each image's ppi from the manifest
  bool link = true;           // run the adjacent-slice linking measurement
  int link_shortlist = 50;    // descriptor shortlist re-ranked by the link score
  // Directory of measured profiles (<image file>.schreger.pb). An image whose profile there
  // was measured by this extractor version with these parameters at this ppi, after the
  // image was last written, is not measured again: a change to the ranking constants alone
  // is re-scored without measuring (the linking itself still runs). Profiles measured here
  // are written there. Empty: no cache.
  std::string profiles_dir;
  int threads = 1;            // images measured and probes ranked in parallel
  std::function<void(int, int)> progress;  // (done, total); called from one thread at a time
};

struct EvalItem {
  std::string file, truth, predicted;
  double true_outer_deg = 0, measured_outer_deg = 0;
  int outer_count = 0;
  bool cdj_found = false;
  double confidence = 0;
  std::string error;          // pipeline error, if any
};

struct EvalReport {
  int images = 0;
  int errors = 0;
  int measured = 0;           // images measured by this run
  int cached = 0;             // images whose profile was read from EvalOptions::profiles_dir
  double angle_mae_deg = 0;   // over ivory images with a CDJ and >= 10 outer angles
  double angle_bias_deg = 0;
  int angle_n = 0;
  // truth class ("elephant", "mammoth", "band", "no-cdj", "lookalike") -> predicted -> count
  std::map<std::string, std::map<std::string, int>> confusion;
  double species_accuracy_outside_band = 0;
  int outside_band_n = 0;
  double band_indeterminate_rate = 0;
  int band_n = 0;
  double lookalike_not_ivory_rate = 0;
  int lookalike_n = 0;
  // Probes: ivory faces whose adjacent face is in the gallery (look-alikes stay in the
  // gallery as distractors). Gallery: every face with link features.
  double link_rank1_adjacent = 0;   // top candidate is the same tusk, adjacent slice
  double link_rank1_adjacent_pair_score = 0;  // ... when ranked by the 1:1 link score alone
  double link_rank1_same_tusk = 0;  // top candidate is the same tusk
  double link_rank1_descriptor_only = 0;  // same tusk first by descriptor distance alone
  double link_adjacent_in_shortlist = 0;  // an adjacent face made the descriptor shortlist
  int link_shortlist = 0;
  int link_probes = 0;
  int link_gallery = 0;
  double link_ms_per_search = 0;            // shortlist + ranking (in-memory gallery faces)
  double link_comparisons_per_search = 0;   // compare_link_faces calls (shortlist + cut order)
  std::string link_ranking_hash;            // SchregerParams::ranking_hash()
  // Probes whose first candidate is not an adjacent face: what came first, and where the
  // best-ranked adjacent face came (0: not in the ranking).
  struct LinkMiss {
    std::string probe, first;
    bool first_same_tusk = false;
    int adjacent_rank = 0;
    std::vector<std::string> cut_order;  // the probe's reconstructed cut order (empty: none)
    double shared_arc_deg = -1;          // the most circumference it shares with an adjacent
                                         // face in the gallery (-1: arcs not in the manifest)
  };
  std::vector<LinkMiss> link_misses;
  // Linking by how much of the tusk's circumference a probe shares with its adjacent face(s)
  // (the most with either, from the manifest's arcs): two cut pieces from opposite sides of a
  // tusk share no surface whose pattern or outline could be compared. Bins [from, to) degrees,
  // the last one closed at 360; empty when the manifest records no arcs.
  struct SharedArcBin {
    double from_deg = 0, to_deg = 0;
    int probes = 0, rank1_adjacent = 0;
  };
  std::vector<SharedArcBin> link_by_shared_arc;
  double seconds_per_image = 0;   // over the images measured by this run (0: none)
  std::vector<EvalItem> items;
};

EvalReport evaluate_schreger_set(const std::string& dir, const EvalOptions& options,
                                 const schreger::SchregerParams& params = {});

nlohmann::json report_to_json(const EvalReport& r, bool with_items);

// Adjacent-face linking at rank 1 by the arc a probe shares with its adjacent face: one bar per
// bin of EvalReport::link_by_shared_arc (per cent of its probes), the 95 % target as a line, each
// bin's probe count, the set's name (the last folder of `set_dir`, with or without a trailing
// '/') and the overall figure in the subtitle. Throws Error(kFailedPrecondition) when the report
// has no such split (linking not run, or a manifest without arcs).
plot::Chart shared_arc_chart(const EvalReport& r, const std::string& set_dir);

}  // namespace tuskprint::datasets::tusks
