#pragma once
// The searchable gallery of tusk cut faces (modality "schreger") of a data directory: a
// FloatIndex of link descriptors (engine/index/float_index.hpp), plus each face's pattern map
// for the 1:1 re-ranking, kept in step with the catalog's feature log
// (feature_log_follower.hpp), its file <data>/index/section.idx.
//
// A search shortlists faces by descriptor distance (squared L2), then ranks them with
// schreger::rank_link_candidates: by the 1:1 link score (schreger::compare_link_faces: the fine
// line pattern registered over every rotation, mirrored or not), best first, except that the
// probe's neighbours in the reconstructed cut order of its tusk (the candidates clearly of the
// same tusk, ordered so that neighbouring faces link best) come first.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "image/decode.hpp"
#include "index/float_index.hpp"
#include "schreger/link_compare.hpp"
#include "service/feature_log_follower.hpp"
#include "tuskprint/v1/features.pb.h"

namespace tuskprint::service {

inline constexpr const char* kSchregerModality = "schreger";

// Measures a cross-section scan and returns what the catalog stores for it: modality
// "schreger", the extractor version and parameters hash, the serialised
// tuskprint.v1.SchregerProfile (angles, species call and the link features), searchable when
// the face shows a Schreger pattern (any call but not_ivory) with link features. Throws
// Error(kInvalidArgument) for an unusable ppi or an image too small to hold a section.
catalog::FeatureRecord schreger_feature_record(const image::DecodedImage& scan, double ppi);
// The same from encoded image bytes (decoded with `limits`).
catalog::FeatureRecord schreger_feature_record(std::string_view image_bytes, double ppi,
                                               const image::DecodeLimits& limits = {});

struct SectionCandidate {
  std::string scan_id;
  double link_score = 0;           // compare_link_faces(...).score; higher: more likely adjacent
  double descriptor_distance = 0;  // shortlist stage (squared L2)
  bool mirrored = false;           // the candidate fits better mirrored (a facing cut face)
  double rotation_deg = 0;         // rotation of the candidate onto the probe (best fit)
  bool adjacent_in_cut_order = false;  // next to the probe in the reconstructed cut order of its
                                       // tusk (schreger::rank_link_candidates); such candidates
                                       // come first, even above a higher link_score
  bool fills_cut_order_gap = false;    // outside that order, taken as the face missing from it
                                       // next to the probe (schreger::RankedLink::fills_gap):
                                       // ranked first
  // How much larger the probe's face is than this one (outer radius, mm) over the outer arc
  // both show in their registration (schreger::outline_agreement); absent when they share too little
  // of it. A tusk tapers toward its tip: of two faces of one tusk, the smaller was cut nearer
  // the tip.
  std::optional<double> size_step_mm;
  // How well the outlines' shapes agree in that registration (schreger::outline_agreement, the
  // RMS in mm of what the size step's fit leaves); absent when they share too little arc.
  std::optional<double> outline_residual_mm;
};

struct SectionSearchOptions {
  int k = 10;           // candidates returned
  int shortlist = 50;   // descriptor neighbours re-ranked by the link score (>= k)
};

struct SectionIndexStatus {
  std::string how_opened;  // "loaded", "loaded+replayed", "rebuilt: <reason>", "new"
  std::size_t sections = 0;
  std::int64_t catalog_seq = 0;
};

class SectionSearch final : public FeatureLogFollower {
 public:
  // `factory`: a FloatIndex factory string ("Flat", "IVF<n>,Flat", "HNSW<M>"); empty: "Flat".
  SectionSearch(catalog::Catalog& catalog, std::string factory = "");

  // Loads or rebuilds the index (see above) and replays what the catalog has beyond it.
  SectionIndexStatus open();

  // Error(kInvalidArgument) for k or shortlist out of range, a probe without link features;
  // Error(kFailedPrecondition) for a profile measured with another extractor version or
  // parameter set.
  std::vector<SectionCandidate> search(const v1::SchregerProfile& probe, const SectionSearchOptions& options);
  std::vector<SectionCandidate> search(const schreger::LinkFeatures& probe, const SectionSearchOptions& options);

  std::size_t size() const;  // searchable faces
  void set_search_breadth(int breadth);

 private:
  struct Entry {
    std::string scan_id;
    std::string face;                // packed pattern map and its shape (re-ranking)
    std::vector<float> descriptor;   // shortlist stage
    bool removed = false;            // withdrawn: a tombstone in the descriptor index
    bool in_index = false;           // false while an IVF index waits for training data
  };
  void reset_locked() override;
  void read_locked(index::ByteSource& in) override;
  void write_locked(index::ByteSink& out) const override;
  void apply_locked(const std::vector<catalog::FeatureEvent>& events) override;
  void index_pending_locked();
  void add_locked(const std::string& scan_id, std::string profile_bytes);
  void remove_locked(const std::string& scan_id);

  std::string factory_;
  std::unique_ptr<index::FloatIndex> index_;
  std::vector<Entry> entries_;                       // index id == position
  std::unordered_map<std::string, index::Id> live_;  // scan id -> index id
};

}  // namespace tuskprint::service
