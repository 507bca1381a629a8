#include "service/feature_log_follower.hpp"

#include <algorithm>
#include <mutex>

#include "core/error.hpp"

namespace tuskprint::service {
namespace fs = std::filesystem;

FeatureLogFollower::FeatureLogFollower(catalog::Catalog& catalog, std::string modality, std::string file_name,
                                       std::string file_tag, std::string what, std::size_t replay_batch)
    : catalog_(catalog),
      modality_(std::move(modality)),
      file_name_(std::move(file_name)),
      file_tag_(std::move(file_tag)),
      what_(std::move(what)),
      replay_batch_(replay_batch) {}

fs::path FeatureLogFollower::index_path() const { return catalog_.data_dir() / "index" / file_name_; }

std::string FeatureLogFollower::open_locked() {
  std::string how;
  reset_locked();
  seq_ = 0;
  saved_seq_ = -1;
  const fs::path path = index_path();
  if (fs::exists(path)) {
    try {
      std::int64_t seq = 0;
      index::load_checksummed_file(path, file_tag_, what_.c_str(), [&](index::ByteSource& in) {
        seq = in.get<std::int64_t>("catalog sequence");
        TP_CHECK(seq >= 0 && seq <= catalog_.last_feature_seq(), kDataLoss,
                 "index claims catalog sequence " << seq << " beyond the catalog's "
                                                  << catalog_.last_feature_seq());
        read_locked(in);
      });
      seq_ = seq;
      saved_seq_ = seq;
      how = "loaded";
    } catch (const Error& e) {
      reset_locked();
      how = std::string("rebuilt: ") + e.what();
    }
  } else {
    how = catalog_.last_feature_seq() > 0 ? "rebuilt: index file missing" : "new";
  }
  const std::int64_t before = seq_;
  replay_locked();
  if (how == "loaded" && seq_ != before) how = "loaded+replayed";
  return how;
}

void FeatureLogFollower::replay_locked() {
  // The feature log is shared by all modalities and written one transaction at a time: once
  // this modality has no event after seq_, every event up to `horizon` has been seen, and
  // seq_ may move up to it, so that catch_up() is a no-op until something new is logged.
  const std::int64_t horizon = catalog_.last_feature_seq();
  for (;;) {
    const auto events = catalog_.feature_events(modality_, seq_, replay_batch_);
    if (events.empty()) {
      seq_ = std::max(seq_, horizon);
      return;
    }
    try {
      apply_locked(events);
    } catch (const Error& e) {
      // The one precondition a stored row can fail: it was measured by another extractor
      // version or parameter set than this engine's.
      if (e.code() != ErrorCode::kFailedPrecondition) throw;
      throw Error(e.code(), std::string(e.what()) +
                                " (with the server stopped: tuskprint catalog remeasure --data DIR)");
    }
    seq_ = events.back().seq;
  }
}

void FeatureLogFollower::catch_up() {
  if (catalog_.last_feature_seq() == catalog_seq()) return;
  std::unique_lock lock(mutex_);
  replay_locked();
}

void FeatureLogFollower::save() const {
  std::shared_lock lock(mutex_);
  const fs::path path = index_path();
  fs::create_directories(path.parent_path());
  index::save_checksummed_file(path, file_tag_, [&](index::ByteSink& out) {
    out.put<std::int64_t>(seq_);
    write_locked(out);
  });
  saved_seq_ = seq_;
}

std::int64_t FeatureLogFollower::catalog_seq() const {
  std::shared_lock lock(mutex_);
  return seq_;
}

}  // namespace tuskprint::service
