#include <algorithm>

#include "service/finger_search.hpp"

#include <fstream>
#include <mutex>
#include <sstream>

#include "core/durable_file.hpp"
#include "core/error.hpp"
#include "index/byte_io.hpp"
#include "ridge/template_io.hpp"

namespace tuskprint::service {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kFileTag = "TPFSRCH1";
constexpr std::size_t kReplayBatch = 4096;

}  // namespace

FingerSearch::FingerSearch(catalog::Catalog& catalog, std::string factory)
    : catalog_(catalog),
      requested_(factory.empty() ? "auto" : std::move(factory)),
      factory_(requested_ == "auto" ? "BFlat" : requested_) {}

std::string FingerSearch::suggested_factory() const {
  if (requested_ != "auto") return requested_;
  return index::default_binary_factory(std::size_t(std::max<std::int64_t>(0, catalog_.count_scans())) *
                                       kCodesPerTemplate);
}

bool index_type_suits(const std::string& loaded, const std::string& suggested, bool automatic) {
  if (loaded == suggested) return true;
  if (!automatic) return false;
  auto lists = [](const std::string& f) -> double {
    if (f.rfind("BIVF", 0) != 0 || f.size() == 4) return 0;
    for (std::size_t i = 4; i < f.size(); ++i) {
      if (f[i] < '0' || f[i] > '9') return 0;
    }
    return std::stod(f.substr(4));
  };
  const double a = lists(loaded), b = lists(suggested);
  return a > 0 && b > 0 && a <= 2 * b && b <= 2 * a;
}

std::string FingerSearch::factory() const {
  std::shared_lock lock(mutex_);
  return factory_;
}

fs::path FingerSearch::index_path() const { return catalog_.data_dir() / "index" / "finger.idx"; }

FingerIndexStatus FingerSearch::open() {
  std::unique_lock lock(mutex_);
  FingerIndexStatus status;
  index_.reset();
  seq_ = 0;
  saved_seq_ = -1;
  factory_ = suggested_factory();
  const fs::path path = index_path();
  if (fs::exists(path)) {
    try {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      const std::string bytes = std::move(buffer).str();
      index::ByteReader reader(bytes, "fingerprint index file");
      TP_CHECK(bytes.substr(0, kFileTag.size()) == kFileTag, kDataLoss, "bad tag");
      reader.get<std::uint64_t>("tag");
      const auto seq = reader.get<std::int64_t>("catalog sequence");
      auto loaded = index::FingerprintIndex::deserialize(reader.get_string("index"));
      TP_CHECK(index_type_suits(loaded->factory(), factory_, requested_ == "auto"), kFailedPrecondition,
               "index was built as " << loaded->factory() << ", configuration asks for "
                                     << factory_);
      TP_CHECK(seq <= catalog_.last_feature_seq(), kDataLoss,
               "index claims catalog sequence " << seq << " beyond the catalog's "
                                                << catalog_.last_feature_seq());
      factory_ = loaded->factory();
      index_ = std::move(loaded);
      seq_ = seq;
      saved_seq_ = seq;
      status.how_opened = "loaded";
    } catch (const Error& e) {
      status.how_opened = std::string("rebuilt: ") + e.what();
    }
  } else {
    status.how_opened = catalog_.last_feature_seq() > 0 ? "rebuilt: index file missing" : "new";
  }
  if (index_ == nullptr) index_ = std::make_unique<index::FingerprintIndex>(factory_);
  const std::int64_t before = seq_;
  replay_locked();
  if (status.how_opened == "loaded" && seq_ != before) status.how_opened = "loaded+replayed";
  status.factory = factory_;
  status.templates = index_->size();
  status.catalog_seq = seq_;
  return status;
}

void FingerSearch::replay_locked() {
  // The feature log is shared by both modalities and written one transaction at a time: once
  // this modality has no event after seq_, every event up to `horizon` has been seen, and
  // seq_ may move up to it, so that catch_up() is a no-op until something new is logged.
  const std::int64_t horizon = catalog_.last_feature_seq();
  for (;;) {
    const auto events = catalog_.feature_events("finger", seq_, kReplayBatch);
    if (events.empty()) {
      seq_ = std::max(seq_, horizon);
      return;
    }
    std::vector<std::string> keys;
    std::vector<ridge::FingerTemplate> fingers;
    auto flush = [&] {
      if (!keys.empty()) index_->add_batch(keys, fingers);
      keys.clear();
      fingers.clear();
    };
    for (const auto& e : events) {
      if (e.add) {
        tuskprint::v1::FingerTemplate message;
        TP_CHECK(message.ParseFromString(e.feature.data), kDataLoss,
                 "stored template of scan " << e.scan_id << " is corrupt");
        // Refuses templates from another extractor version: they must be re-extracted.
        keys.push_back(e.scan_id);
        fingers.push_back(ridge::from_proto(message));
      } else {
        flush();
        index_->remove(e.scan_id);
      }
      seq_ = e.seq;
    }
    flush();
  }
}

void FingerSearch::catch_up() {
  if (catalog_.last_feature_seq() == [&] {
        std::shared_lock lock(mutex_);
        return seq_;
      }()) {
    return;
  }
  std::unique_lock lock(mutex_);
  replay_locked();
}

void FingerSearch::save() const {
  std::string bytes;
  std::int64_t written_seq = 0;
  {
    std::shared_lock lock(mutex_);
    index::ByteWriter w;
    w.bytes() = std::string(kFileTag);
    w.put<std::int64_t>(seq_);
    written_seq = seq_;
    w.put_string(index_->serialize());
    bytes = std::move(w.bytes());
  }
  const fs::path path = index_path();
  fs::create_directories(path.parent_path());
  write_file_durably(path, path.string() + ".tmp", bytes);
  saved_seq_ = written_seq;
}

std::int64_t FingerSearch::catalog_seq() const {
  std::shared_lock lock(mutex_);
  return seq_;
}

std::vector<index::FingerCandidate> FingerSearch::search(const ridge::FingerTemplate& probe,
                                                         const index::FingerSearchOptions& options,
                                                         index::FingerSearchStats* stats) {
  catch_up();
  std::shared_lock lock(mutex_);
  return index_->search(probe, options, stats);
}

void FingerSearch::set_search_breadth(int breadth) {
  std::unique_lock lock(mutex_);
  index_->set_search_breadth(breadth);
}

std::size_t FingerSearch::size() const {
  std::shared_lock lock(mutex_);
  return index_->size();
}

}  // namespace tuskprint::service
