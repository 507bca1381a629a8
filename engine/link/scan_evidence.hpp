#pragma once
// From scan images to evidence edges: features per scan, 1:1 scores across seizures, and
// the conversion of each score to log10 LR with an injected calibration per modality.
//
//   std::vector<ScanFeatures> f;
//   for (auto& s : scans) f.push_back(scan_features(s));         // extract once per scan
//   auto edges = score_cross_seizure_pairs(graph, f, lr, "2026-11-29T10:00:00Z");
//   for (auto& e : edges) graph.upsert_edge(e);
//
// Fingerprints: ridge::extract at the scan's ppi, then match::score (MCC LSS-R, bit form)
// with the latent as probe when there is one. Schreger faces: schreger::measure, then the
// link score of engine/schreger (mirrored and plain coarse alignment, ring alignment,
// descriptor distance), the same combination its evaluation uses for facing cut faces.
//
// score_cross_seizure_pairs compares every pair of same-modality scans of different
// seizures (exhaustive: fine for an investigation of tens of seizures; the service feeds
// edges from its FAISS search hits instead). Every scored pair becomes an edge, weak or
// strong: the threshold belongs to the query.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "image/decode.hpp"
#include "link/link_graph.hpp"
#include "match/matcher.hpp"
#include "schreger/link_descriptor.hpp"
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
  // Schreger faces with a section found:
  std::vector<float> descriptor;
  cv::Mat polar_map;
  schreger::RingSpectra ring_plain, ring_mirrored;
  std::string unusable_reason;  // non-empty: nothing to compare (no minutiae, no section)
  bool usable() const { return unusable_reason.empty(); }
};

// Score -> log10 LR, one per modality. Must return a finite number for every score.
struct LrFunctions {
  std::function<double(double)> finger;
  std::function<double(double)> schreger;
};

// Throws what the extractors throw for an unusable image (Error(kInvalidArgument)).
ScanFeatures scan_features(const ScanImage& scan, const schreger::SchregerParams& params = {});

// The raw 1:1 score of two scans of one modality (Error(kInvalidArgument) otherwise, or
// when either is unusable).
double raw_score(const ScanFeatures& a, const ScanFeatures& b, const schreger::SchregerParams& params = {});

// Edges for every pair of usable same-modality scans in different seizures. Scans must be
// in the graph (Error(kInvalidArgument) naming one that is not); a missing LR function for
// a modality that has pairs, or one that returns a non-finite value, is kInvalidArgument.
std::vector<MatchEdge> score_cross_seizure_pairs(const LinkGraph& graph, const std::vector<ScanFeatures>& features,
                                                 const LrFunctions& lr, const std::string& found_at,
                                                 const schreger::SchregerParams& params = {});

}  // namespace tuskprint::link
