#pragma once
// From scan images to evidence edges: features per scan, 1:1 scores across seizures, and
// the conversion of each score to log10 LR with an injected calibration per modality.
//
//   std::vector<ScanFeatures> f;
//   for (auto& s : scans) f.push_back(scan_features(s));         // extract once per scan
//   auto edges = score_scan_pairs(graph, f, lr, "2026-11-29T10:00:00Z");
//   for (auto& e : edges) graph.upsert_edge(e);
//
// The scores are exactly those the LR models are fitted on (lr/score_sources.hpp), so that
// a model's LR means what it says: fingerprints, ridge::extract at the scan's ppi then
// match::score (MCC LSS-R, bit form) with the latent as probe; Schreger faces,
// schreger::measure then lr::face_link_score (the facing-cut-face link score).
//
// score_scan_pairs compares every pair of same-modality scans (exhaustive: fine for an
// investigation of tens of seizures; the service feeds edges from its FAISS search hits
// instead). Pairs inside one seizure are compared too: they do not link seizures, but they
// tell which scans are one source (two pieces of one tusk, a suspect's print on his own
// consignment), which the evidence combination needs (pair_evidence.hpp). Every scored
// pair becomes an edge, weak or strong: the threshold belongs to the query.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "image/decode.hpp"
#include "link/link_graph.hpp"
#include "lr/score_sources.hpp"
#include "match/matcher.hpp"
#include "schreger/params.hpp"

namespace tuskprint::link {

struct ScanImage {
  std::string scan_id;
  ScanKind kind = ScanKind::kLatentLift;
  image::DecodedImage image;  // image::decode / image::load_file output
  double ppi = 500;
};

struct ScanFeatures {
  std::string scan_id;
  ScanKind kind = ScanKind::kLatentLift;
  std::optional<match::MatchTemplate> finger;  // finger scans with a usable template
  std::optional<lr::FaceLinkFeatures> face;    // Schreger faces with a section found
  std::string unusable_reason;  // non-empty: nothing to compare (no minutiae, no section)
  bool usable() const { return unusable_reason.empty(); }
};

// Score -> log10 LR. Each must return a finite number for every score. A calibration is
// only valid for the kind of comparison it was fitted on: the finger model (lr-finger-v1)
// is fitted on latent lifts against plain prints, so it serves mark-to-print and
// print-to-print pairs; mark-to-mark pairs (two partial, noisy lifts) are outside what it
// was fitted and validated on, and are compared only when a calibration for them is given.
// Without one they are left out: no edge, rather than an unvalidated LR. (Measured on 10
// generated scenarios with lr-finger-v1 applied to them anyway: 156 impostor lift pairs,
// highest log10 LR 1.1; 1 of 29 genuine lift pairs reached 2.)
struct LrFunctions {
  std::function<double(double)> finger;               // latent vs reference, reference vs reference
  std::function<double(double)> finger_mark_to_mark;  // latent vs latent; empty: not compared
  std::function<double(double)> schreger;             // facing cut faces
};

// Throws what the extractors throw for an unusable image (Error(kInvalidArgument)).
ScanFeatures scan_features(const ScanImage& scan, const schreger::SchregerParams& params = {});

// The raw 1:1 score of two scans of one modality (Error(kInvalidArgument) otherwise, or
// when either is unusable).
double raw_score(const ScanFeatures& a, const ScanFeatures& b, const schreger::SchregerParams& params = {});

// Edges for every pair of usable same-modality scans (mark-to-mark pairs only with
// lr.finger_mark_to_mark; pairs within one seizure only with `within_seizures`). Scans
// must be in the graph (Error(kInvalidArgument) naming one that is not); a missing LR
// function for a modality that has pairs, or one that returns a non-finite value, is
// kInvalidArgument.
std::vector<MatchEdge> score_scan_pairs(const LinkGraph& graph, const std::vector<ScanFeatures>& features,
                                        const LrFunctions& lr, const std::string& found_at,
                                        bool within_seizures = true, const schreger::SchregerParams& params = {});

}  // namespace tuskprint::link
