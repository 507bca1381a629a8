#pragma once
// The searchable fingerprint gallery of a data directory: a FingerprintIndex kept in step
// with the catalog's feature log. The catalog is the source of truth; the index file
// (<data>/index/finger.idx) is a cache that records the last feature-log sequence number it
// reflects. On open it is loaded and brought up to date by replaying the log, or rebuilt from
// the log when it is missing, corrupt or built with another configuration.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "index/finger_index.hpp"

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

class FingerSearch {
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
  // Replays feature-log events the index has not seen yet (cheap when there are none).
  void catch_up();
  // Writes the index file atomically (temp file, fsync, rename).
  void save() const;
  // The catalog feature-log position the index reflects, and the one its file reflects
  // (-1: no file written or loaded yet).
  std::int64_t catalog_seq() const;
  std::int64_t saved_catalog_seq() const { return saved_seq_.load(); }

  std::vector<index::FingerCandidate> search(const ridge::FingerTemplate& probe,
                                             const index::FingerSearchOptions& options,
                                             index::FingerSearchStats* stats = nullptr);
  std::size_t size() const;
  void set_search_breadth(int breadth);
  std::filesystem::path index_path() const;

 private:
  void replay_locked();
  std::string suggested_factory() const;

  catalog::Catalog& catalog_;
  std::string requested_;  // from the configuration ("auto" or a factory string)
  std::string factory_;    // what open() settled on
  std::unique_ptr<index::FingerprintIndex> index_;
  std::int64_t seq_ = 0;
  mutable std::atomic<std::int64_t> saved_seq_{-1};  // what the index file reflects
  mutable std::shared_mutex mutex_;
};

}  // namespace tuskprint::service
