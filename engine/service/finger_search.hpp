#pragma once
// The searchable fingerprint gallery of a data directory: a FingerprintIndex kept in step
// with the catalog's feature log (feature_log_follower.hpp), its file <data>/index/finger.idx.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "index/finger_index.hpp"
#include "service/feature_log_follower.hpp"

namespace tuskprint::service {

struct FingerIndexStatus {
  std::string how_opened;          // "loaded", "loaded+replayed", "rebuilt: <reason>", "new"
  std::string factory;             // the index type in use
  std::size_t templates = 0;
  std::int64_t catalog_seq = 0;
};

// Whether an index built as `loaded` may serve where `suggested` is wanted: only the same type
// when the type was configured, and with "auto" (automatic) also an IVF whose list count is
// within a factor of 2 of the suggested one.
bool index_type_suits(const std::string& loaded, const std::string& suggested, bool automatic);

class FingerSearch final : public FeatureLogFollower {
 public:
  // `factory`: a binary index factory string ("BFlat", "BIVF<n>"), or "auto" (also empty): on
  // open, index::default_binary_factory for the catalog's size (scans x kCodesPerTemplate
  // codes). With "auto" a loaded index is kept while its type still suits the catalog (same
  // kind, IVF lists within a factor of 2 of the suggestion), so a growing gallery is not
  // rebuilt on every restart; past that it is rebuilt with the suggested type.
  FingerSearch(catalog::Catalog& catalog, std::string factory);
  static constexpr std::size_t kCodesPerTemplate = 40;  // valid cylinders of a typical print

  // Loads or rebuilds the index (see above) and replays what the catalog has beyond it.
  FingerIndexStatus open();
  // The factory the index was (or will be) built with.
  std::string factory() const;

  std::vector<index::FingerCandidate> search(const ridge::FingerTemplate& probe,
                                             const index::FingerSearchOptions& options,
                                             index::FingerSearchStats* stats = nullptr);
  std::size_t size() const;
  void set_search_breadth(int breadth);

 private:
  void reset_locked() override;
  void read_locked(index::ByteSource& in) override;
  void write_locked(index::ByteSink& out) const override;
  void apply_locked(const std::vector<catalog::FeatureEvent>& events) override;
  std::string suggested_factory() const;

  std::string requested_;  // from the configuration ("auto" or a factory string)
  std::string factory_;    // what open() settled on
  std::unique_ptr<index::FingerprintIndex> index_;
};

}  // namespace tuskprint::service
