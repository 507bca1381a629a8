#include "link/scan_evidence.hpp"

#include <cmath>

#include "core/error.hpp"
#include "ridge/extract.hpp"
#include "schreger/measure.hpp"

namespace tuskprint::link {
namespace {

ScanFeatures finger_features(const ScanImage& scan) {
  ScanFeatures f;
  const ridge::FingerTemplate t = ridge::extract(scan.image.grey, int(std::lround(scan.ppi)));
  f.finger.emplace(t);
  // A print the extractor calls too poor to search (a handful of minutiae) matches
  // anything by chance; the catalog stores it unsearchable, and so it links nothing here.
  if (t.too_poor_to_search) f.unusable_reason = "too poor to search: " + t.quality_reason;
  else if (f.finger->cylinders().size() == 0) f.unusable_reason = "no valid cylinder";
  return f;
}

ScanFeatures section_features(const ScanImage& scan, const schreger::SchregerParams& params) {
  ScanFeatures f;
  const schreger::SchregerResult r = schreger::measure(scan.image, scan.ppi, params);
  if (r.link.descriptor.empty()) {
    f.unusable_reason = "no section found: " + r.reason;
    return f;
  }
  f.face = lr::face_link_features(r.link);
  return f;
}

}  // namespace

ScanFeatures scan_features(const ScanImage& scan, const schreger::SchregerParams& params) {
  TP_CHECK(!scan.image.grey.empty(), kInvalidArgument, "scan '" << scan.scan_id << "': empty image");
  ScanFeatures f = modality_of(scan.kind) == Modality::kFinger ? finger_features(scan) : section_features(scan, params);
  f.scan_id = scan.scan_id;
  f.kind = scan.kind;
  return f;
}

double raw_score(const ScanFeatures& a, const ScanFeatures& b, const schreger::SchregerParams& p) {
  TP_CHECK(modality_of(a.kind) == modality_of(b.kind), kInvalidArgument,
           "scans '" << a.scan_id << "' and '" << b.scan_id << "' are of different modalities");
  TP_CHECK(a.usable(), kInvalidArgument, "scan '" << a.scan_id << "' is unusable: " << a.unusable_reason);
  TP_CHECK(b.usable(), kInvalidArgument, "scan '" << b.scan_id << "' is unusable: " << b.unusable_reason);
  if (modality_of(a.kind) == Modality::kFinger) {
    // The latent is the probe: it is the partial one.
    const bool swap = a.kind != ScanKind::kLatentLift && b.kind == ScanKind::kLatentLift;
    return swap ? match::score(*b.finger, *a.finger) : match::score(*a.finger, *b.finger);
  }
  return lr::face_link_score(*a.face, *b.face, p);
}

std::vector<MatchEdge> score_scan_pairs(const LinkGraph& g, const std::vector<ScanFeatures>& features,
                                        const LrFunctions& lr, const std::string& found_at, bool within_seizures,
                                        const schreger::SchregerParams& p) {
  std::vector<int> seizure(features.size());
  for (std::size_t i = 0; i < features.size(); ++i) {
    const int scan = g.scan_index(features[i].scan_id);
    TP_CHECK(scan >= 0, kInvalidArgument, "scan '" << features[i].scan_id << "' is not in the link graph");
    TP_CHECK(g.scan(scan).kind == features[i].kind, kInvalidArgument,
             "scan '" << features[i].scan_id << "' is a " << to_string(g.scan(scan).kind) << " in the link graph but "
                      << to_string(features[i].kind) << " in its features");
    seizure[i] = g.seizure_of_scan(scan);
  }
  std::vector<MatchEdge> edges;
  for (std::size_t i = 0; i < features.size(); ++i)
    for (std::size_t j = i + 1; j < features.size(); ++j) {
      const ScanFeatures &a = features[i], &b = features[j];
      if ((seizure[i] == seizure[j] && !within_seizures) || modality_of(a.kind) != modality_of(b.kind) || !a.usable() || !b.usable()) continue;
      const Modality m = modality_of(a.kind);
      const bool mark_to_mark = a.kind == ScanKind::kLatentLift && b.kind == ScanKind::kLatentLift;
      if (mark_to_mark && !lr.finger_mark_to_mark) continue;
      const auto& to_lr = m == Modality::kSchreger ? lr.schreger : mark_to_mark ? lr.finger_mark_to_mark : lr.finger;
      TP_CHECK(bool(to_lr), kInvalidArgument, "no LR calibration given for " << to_string(m) << " scores");
      MatchEdge e{m, a.scan_id, b.scan_id, raw_score(a, b, p), 0, found_at};
      e.log10_lr = to_lr(e.raw_score);
      TP_CHECK(std::isfinite(e.log10_lr), kInvalidArgument,
               to_string(m) << " LR calibration returned " << e.log10_lr << " for score " << e.raw_score);
      edges.push_back(std::move(e));
    }
  return edges;
}

}  // namespace tuskprint::link
