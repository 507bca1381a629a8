#include "service/finger_search.hpp"

#include <algorithm>
#include <mutex>

#include "core/error.hpp"
#include "ridge/template_io.hpp"

namespace tuskprint::service {
namespace {

constexpr const char* kFileTag = "TPFSRCH2";  // 1: one string, read whole
constexpr std::size_t kReplayBatch = 4096;

}  // namespace

FingerSearch::FingerSearch(catalog::Catalog& catalog, std::string factory)
    : FeatureLogFollower(catalog, "finger", "finger.idx", kFileTag, "fingerprint index file", kReplayBatch),
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

FingerIndexStatus FingerSearch::open() {
  std::unique_lock lock(mutex_);
  FingerIndexStatus status;
  status.how_opened = open_locked();
  status.factory = factory_;
  status.templates = index_->size();
  status.catalog_seq = catalog_seq_locked();
  return status;
}

void FingerSearch::reset_locked() {
  factory_ = suggested_factory();
  index_ = std::make_unique<index::FingerprintIndex>(factory_);
}

void FingerSearch::read_locked(index::ByteSource& in) {
  auto loaded = index::FingerprintIndex::read(in);
  TP_CHECK(index_type_suits(loaded->factory(), factory_, requested_ == "auto"), kFailedPrecondition,
           "index was built as " << loaded->factory() << ", configuration asks for " << factory_);
  factory_ = loaded->factory();
  index_ = std::move(loaded);
}

void FingerSearch::write_locked(index::ByteSink& out) const { index_->write(out); }

void FingerSearch::apply_locked(const std::vector<catalog::FeatureEvent>& events) {
  // Additions go in batches (cylinders are coded in parallel); a removal ends a batch.
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
      keys.push_back(e.scan_id);
      // Refuses templates from another extractor version: they must be re-extracted.
      try {
        fingers.push_back(ridge::from_proto(message));
      } catch (const Error& err) {
        throw Error(err.code(), "stored template of scan " + e.scan_id + ": " + err.what());
      }
    } else {
      flush();
      index_->remove(e.scan_id);
    }
  }
  flush();
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
