#include "index/float_index.hpp"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/error.hpp"
#include "index/faiss_io.hpp"

namespace tuskprint::index {
namespace {

constexpr std::string_view kTag = "TPFIDX1\n";

faiss::MetricType to_faiss(FloatMetric m) {
  return m == FloatMetric::kL2 ? faiss::METRIC_L2 : faiss::METRIC_INNER_PRODUCT;
}

template <typename F>
void guard(F&& f) {
  try {
    f();
  } catch (const faiss::FaissException& e) {
    TP_THROW(kInternal, "FAISS: " << e.what());
  }
}

// FAISS's own structures: IVF keeps ids itself; Flat and HNSW are wrapped in an id map.
class FaissFloatIndex final : public FloatIndex {
 public:
  FaissFloatIndex(std::string factory, FloatMetric metric, std::unique_ptr<faiss::Index> index)
      : factory_(std::move(factory)), metric_(metric), index_(std::move(index)) {
    ivf_ = dynamic_cast<faiss::IndexIVF*>(index_.get());
    auto* map = dynamic_cast<faiss::IndexIDMap*>(index_.get());
    hnsw_ = dynamic_cast<faiss::IndexHNSW*>(map != nullptr ? map->index : index_.get());
  }

  int dimension() const override { return int(index_->d); }
  FloatMetric metric() const override { return metric_; }
  const std::string& factory() const override { return factory_; }
  std::size_t size() const override { return std::size_t(index_->ntotal); }

  std::size_t memory_bytes() const override {
    const std::size_t n = size();
    std::size_t bytes = n * (std::size_t(dimension()) * sizeof(float) + sizeof(Id));
    if (hnsw_ != nullptr) bytes += n * std::size_t(hnsw_->hnsw.nb_neighbors(0)) * sizeof(int) * 2;
    if (ivf_ != nullptr) bytes += ivf_->nlist * std::size_t(dimension()) * sizeof(float);
    return bytes;
  }

  bool is_trained() const override { return index_->is_trained; }

  void train(std::size_t n, const float* vectors) override {
    if (index_->is_trained) return;
    TP_CHECK(n > 0, kInvalidArgument, "cannot train index '" << factory_ << "' on no vectors");
    check_finite(n, vectors, "training vector");
    guard([&] { index_->train(faiss::Index::idx_t(n), vectors); });
  }

  void add(std::size_t n, const float* vectors, const Id* ids) override {
    if (n == 0) return;
    TP_CHECK(index_->is_trained, kFailedPrecondition,
             "index '" << factory_ << "' must be trained before vectors are added");
    check_finite(n, vectors, "vector");
    static_assert(sizeof(Id) == sizeof(faiss::Index::idx_t));
    guard([&] { index_->add_with_ids(faiss::Index::idx_t(n), vectors, ids); });
  }

  void search(std::size_t n, const float* queries, int k, float* distances, Id* ids) const override {
    TP_CHECK(k > 0, kInvalidArgument, "search needs k > 0");
    if (n == 0) return;
    check_finite(n, queries, "query");
    const std::size_t total = n * std::size_t(k);
    const float missing = metric_ == FloatMetric::kL2 ? std::numeric_limits<float>::infinity()
                                                      : -std::numeric_limits<float>::infinity();
    if (index_->ntotal == 0) {
      std::fill(distances, distances + total, missing);
      std::fill(ids, ids + total, Id(-1));
      return;
    }
    guard([&] { index_->search(faiss::Index::idx_t(n), queries, k, distances, ids); });
    for (std::size_t i = 0; i < total; ++i)
      if (ids[i] < 0) distances[i] = missing;
  }

  void set_search_breadth(int breadth) override {
    TP_CHECK(breadth > 0, kInvalidArgument, "search breadth must be positive");
    if (ivf_ != nullptr) ivf_->nprobe = std::size_t(breadth);
    if (hnsw_ != nullptr) hnsw_->hnsw.efSearch = breadth;
  }

  void write(ByteSink& out) const override {
    out.write(kTag.data(), kTag.size());
    out.put_string(factory_);
    out.put<std::uint32_t>(metric_ == FloatMetric::kL2 ? 0 : 1);
    SinkWriter writer(out);
    guard([&] { faiss::write_index(index_.get(), &writer); });
  }

 private:
  void check_finite(std::size_t n, const float* v, const char* what) const {
    const std::size_t total = n * std::size_t(dimension());
    for (std::size_t i = 0; i < total; ++i)
      TP_CHECK(std::isfinite(v[i]), kInvalidArgument,
               what << " " << i / std::size_t(dimension()) << " holds a non-finite value at element "
                    << i % std::size_t(dimension()));
  }

  std::string factory_;
  FloatMetric metric_;
  std::unique_ptr<faiss::Index> index_;
  faiss::IndexIVF* ivf_ = nullptr;
  faiss::IndexHNSW* hnsw_ = nullptr;
};

std::unique_ptr<faiss::Index> build(const std::string& factory, int dimension, FloatMetric metric) {
  // Only the documented families: anything else (PQ, transforms) changes what a distance
  // means for the re-ranking downstream.
  const bool known = factory == "Flat" || factory.rfind("HNSW", 0) == 0 ||
                     (factory.rfind("IVF", 0) == 0 && factory.size() > 8 &&
                      factory.compare(factory.size() - 5, 5, ",Flat") == 0);
  TP_CHECK(known, kInvalidArgument,
           "index factory '" << factory << "' is not one of Flat, IVF<n>,Flat or HNSW<M>");
  std::unique_ptr<faiss::Index> index;
  try {
    index.reset(faiss::index_factory(dimension, factory.c_str(), to_faiss(metric)));
  } catch (const faiss::FaissException&) {
    TP_THROW(kInvalidArgument, "index factory '" << factory
                                                 << "' is not a FAISS float index description "
                                                    "(try Flat, IVF1024,Flat or HNSW32)");
  }
  TP_CHECK(index != nullptr, kInvalidArgument, "index factory '" << factory << "' built nothing");
  if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(index.get())) {
    // A few k-means iterations on a modest sample place the lists well enough for a
    // candidate shortlist and keep training to seconds.
    ivf->cp.niter = 10;
    ivf->cp.max_points_per_centroid = 64;
    return index;
  }
  auto map = std::make_unique<faiss::IndexIDMap>(index.release());
  map->own_fields = true;
  return map;
}

}  // namespace

const char* to_string(FloatMetric metric) { return metric == FloatMetric::kL2 ? "L2" : "IP"; }

std::unique_ptr<FloatIndex> make_float_index(const std::string& factory, int dimension, FloatMetric metric) {
  TP_CHECK(dimension > 0, kInvalidArgument, "float vector dimension " << dimension << " is not positive");
  return std::make_unique<FaissFloatIndex>(factory, metric, build(factory, dimension, metric));
}

std::unique_ptr<FloatIndex> read_float_index(ByteSource& in) {
  std::string tag(kTag.size(), '\0');
  in.read(tag.data(), tag.size(), "float index tag");
  TP_CHECK(tag == kTag, kDataLoss, in.what() << " does not hold a TuskPrint float index (bad tag)");
  const std::string factory = in.get_string("float index factory");
  TP_CHECK(factory.size() < 256, kDataLoss, in.what() << " has an inconsistent float index header");
  const auto metric_code = in.get<std::uint32_t>("float index metric");
  TP_CHECK(metric_code <= 1, kDataLoss, in.what() << " names an unknown metric " << metric_code);
  const FloatMetric metric = metric_code == 0 ? FloatMetric::kL2 : FloatMetric::kInnerProduct;
  SourceReader reader(in);
  std::unique_ptr<faiss::Index> index;
  try {
    index.reset(faiss::read_index(&reader));
  } catch (const faiss::FaissException& e) {
    TP_THROW(kDataLoss, in.what() << ": float index payload cannot be read: " << e.what());
  }
  TP_CHECK(index->metric_type == to_faiss(metric), kDataLoss, in.what() << ": float index metric disagrees with its header");
  if (auto* map = dynamic_cast<faiss::IndexIDMap*>(index.get())) map->own_fields = true;
  return std::make_unique<FaissFloatIndex>(factory, metric, std::move(index));
}

std::string FloatIndex::serialize() const {
  return checksummed_bytes("", [&](ByteSink& out) { write(out); });
}

std::unique_ptr<FloatIndex> load_float_index(std::string_view bytes) {
  std::unique_ptr<FloatIndex> index;
  read_checksummed_bytes(bytes, "", "float index", [&](ByteSource& in) { index = read_float_index(in); });
  return index;
}

std::string default_float_factory(std::size_t expected_vectors) {
  if (expected_vectors < 200'000) return "Flat";
  const auto lists = std::size_t(2.0 * std::sqrt(double(expected_vectors)));
  return "IVF" + std::to_string(lists) + ",Flat";
}

}  // namespace tuskprint::index
