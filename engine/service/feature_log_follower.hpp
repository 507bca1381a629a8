#pragma once
// A searchable gallery kept in step with the catalog's feature log of one modality. The
// catalog is the source of truth; the gallery's index file (<data>/index/<file name>) is a
// cache that records the last feature-log sequence number it reflects. open_locked() loads it
// and replays the log beyond it, or rebuilds from the log when the file is missing, corrupt,
// in another format or from another configuration. The file is checksummed and streamed in
// both directions (index/byte_io.hpp), so a large gallery (about 4 GB of codes at 10^6
// prints) is never held in memory twice. FingerSearch and SectionSearch are the galleries.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "index/byte_io.hpp"

namespace tuskprint::service {

class FeatureLogFollower {
 public:
  virtual ~FeatureLogFollower() = default;
  FeatureLogFollower(const FeatureLogFollower&) = delete;
  FeatureLogFollower& operator=(const FeatureLogFollower&) = delete;

  // Replays feature-log events the gallery has not seen yet (cheap when there are none).
  void catch_up();
  // Writes the index file durably (temp file, fsync, rename), streamed; searches go on
  // meanwhile, new events wait.
  void save() const;
  // The catalog feature-log position the gallery reflects, and the one its file reflects
  // (-1: no file written or loaded yet).
  std::int64_t catalog_seq() const;
  std::int64_t saved_catalog_seq() const { return saved_seq_.load(); }
  std::filesystem::path index_path() const;

 protected:
  // `file_tag`: the index file's format tag (a new tag for every change of the format);
  // `what`: how errors name the file.
  FeatureLogFollower(catalog::Catalog& catalog, std::string modality, std::string file_name,
                     std::string file_tag, std::string what, std::size_t replay_batch);

  // Under the exclusive lock: loads or rebuilds the gallery (see above) and replays. Returns
  // how: "loaded", "loaded+replayed", "rebuilt: <reason>" or "new".
  std::string open_locked();
  std::int64_t catalog_seq_locked() const { return seq_; }

  // Provided by the gallery, called under the lock (exclusive, but shared for write_locked):
  virtual void reset_locked() = 0;                              // an empty gallery
  virtual void read_locked(index::ByteSource& in) = 0;          // the file's gallery part;
                                                                // throws Error on anything
                                                                // it cannot trust
  virtual void write_locked(index::ByteSink& out) const = 0;   // its inverse
  virtual void apply_locked(const std::vector<catalog::FeatureEvent>& events) = 0;  // in order

  catalog::Catalog& catalog_;
  mutable std::shared_mutex mutex_;

 private:
  void replay_locked();

  std::string modality_, file_name_, file_tag_, what_;
  std::size_t replay_batch_;
  std::int64_t seq_ = 0;
  mutable std::atomic<std::int64_t> saved_seq_{-1};  // what the index file reflects
};

}  // namespace tuskprint::service
