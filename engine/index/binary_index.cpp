#include "index/binary_index.hpp"

#include <faiss/IndexBinaryFlat.h>
#include <faiss/IndexBinaryHNSW.h>
#include <faiss/IndexBinaryIVF.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "index/faiss_io.hpp"
#include "index/hamming.hpp"

namespace tuskprint::index {
namespace {

constexpr std::string_view kTag = "TPBIDX1\n";
// Coarse quantiser of IVF indexes: k-majority (k-means in Hamming space: nearest centroid by
// Hamming distance, centroid bit = majority bit of its members). FAISS's own training runs
// k-means in float through BLAS, which took most of a 10^5 build with Debian's reference BLAS;
// k-majority needs only popcounts and places lists at least as well for binary codes.
constexpr int kQuantiserIterations = 8;
constexpr std::uint64_t kQuantiserSeed = 0x1F5EED;

// Above this many lists a code finds its list in two steps: the kGroupsVisited nearest of about
// sqrt(nlist) groups of lists (lists grouped by k-majority on their centroids), then the
// nearest list within those groups. Exact assignment costs nlist distances per code (12,900
// lists at 10^6 templates: most of a build); grouped about 9 * sqrt(nlist). A code that lands
// in its second-nearest list is still found when the probe visits both (search stays exact
// over the lists it visits).
constexpr std::size_t kGroupedAssignmentMinLists = 1024;
constexpr std::size_t kGroupsVisited = 8;
constexpr int kGroupIterations = 4;

std::vector<std::uint8_t> k_majority(std::size_t n, const std::uint8_t* codes, std::size_t nlist,
                                     std::size_t bytes, int iterations);

// Lists grouped by their centroids, members' centroids copied contiguously per group.
struct ListGroups {
  std::vector<std::uint8_t> centres;           // group centres
  std::vector<std::size_t> first;              // group g: members first[g] .. first[g+1]-1
  std::vector<std::uint32_t> list;             // member position -> list number
  std::vector<std::uint8_t> member_centroids;  // member position -> its centroid
};

ListGroups group_lists(const std::uint8_t* centroids, std::size_t nlist, std::size_t bytes) {
  ListGroups groups;
  const auto count = std::max<std::size_t>(1, std::size_t(std::lround(std::sqrt(double(nlist)))));
  groups.centres = k_majority(nlist, centroids, count, bytes, kGroupIterations);
  std::vector<std::int64_t> group_of(nlist);
  hamming::nearest_centroids(centroids, nlist, groups.centres.data(), count, bytes, group_of.data());
  groups.first.assign(count + 1, 0);
  for (std::size_t l = 0; l < nlist; ++l) ++groups.first[std::size_t(group_of[l]) + 1];
  for (std::size_t g = 0; g < count; ++g) groups.first[g + 1] += groups.first[g];
  std::vector<std::size_t> next(groups.first.begin(), groups.first.end() - 1);
  groups.list.resize(nlist);
  groups.member_centroids.resize(nlist * bytes);
  for (std::size_t l = 0; l < nlist; ++l) {  // lists in increasing order within each group
    const std::size_t at = next[std::size_t(group_of[l])]++;
    groups.list[at] = std::uint32_t(l);
    std::memcpy(&groups.member_centroids[at * bytes], centroids + l * bytes, bytes);
  }
  return groups;
}

// The list of each code: exact below kGroupedAssignmentMinLists, grouped above (by `known`
// groups of these centroids when given). Ties go to the lowest list number.
void assign_to_lists(const std::uint8_t* codes, std::size_t n, const std::uint8_t* centroids,
                     std::size_t nlist, std::size_t bytes, std::int64_t* lists,
                     const ListGroups* known = nullptr) {
  if (nlist < kGroupedAssignmentMinLists) {
    hamming::nearest_centroids(codes, n, centroids, nlist, bytes, lists);
    return;
  }
  ListGroups fresh;
  if (known == nullptr) fresh = group_lists(centroids, nlist, bytes);
  const ListGroups& groups = known != nullptr ? *known : fresh;
  const std::size_t count = groups.first.size() - 1;
#pragma omp parallel
  {
    std::vector<std::uint16_t> d(std::max(count, nlist));
    std::vector<std::uint32_t> visited;
#pragma omp for schedule(dynamic, 256)
    for (std::ptrdiff_t i = 0; i < std::ptrdiff_t(n); ++i) {
      const std::uint8_t* code = codes + std::size_t(i) * bytes;
      hamming::distances(code, groups.centres.data(), count, bytes, d.data());
      hamming::smallest(d.data(), count, kGroupsVisited, int(bytes * 8), visited);
      int best = 1 << 30;
      std::int64_t best_list = 0;
      for (std::uint32_t g : visited) {
        const std::size_t b = groups.first[g], members = groups.first[g + 1] - b;
        hamming::distances(code, &groups.member_centroids[b * bytes], members, bytes, d.data());
        for (std::size_t m = 0; m < members; ++m) {
          const auto l = std::int64_t(groups.list[b + m]);
          if (d[m] < best || (d[m] == best && l < best_list)) {
            best = d[m];
            best_list = l;
          }
        }
      }
      lists[i] = best_list;
    }
  }
}

// nlist centroids from `n` training codes (n >= nlist).
std::vector<std::uint8_t> k_majority(std::size_t n, const std::uint8_t* codes, std::size_t nlist,
                                     std::size_t bytes, int iterations) {
  std::mt19937_64 rng(kQuantiserSeed);
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  for (std::size_t i = 0; i < nlist; ++i) std::swap(order[i], order[i + std::size_t(rng() % (n - i))]);
  std::vector<std::uint8_t> centroids(nlist * bytes);
  for (std::size_t c = 0; c < nlist; ++c) std::memcpy(&centroids[c * bytes], codes + order[c] * bytes, bytes);
  const std::size_t bits = bytes * 8;
  std::vector<std::int64_t> assignment(n);
  std::vector<std::uint32_t> ones(nlist * bits), members(nlist);
  for (int iteration = 0; iteration < iterations; ++iteration) {
    assign_to_lists(codes, n, centroids.data(), nlist, bytes, assignment.data());
    std::fill(ones.begin(), ones.end(), 0u);
    std::fill(members.begin(), members.end(), 0u);
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = std::size_t(assignment[i]);
      ++members[c];
      const std::uint8_t* code = codes + i * bytes;
      std::uint32_t* count = &ones[c * bits];
      for (std::size_t b = 0; b < bits; ++b) count[b] += (code[b >> 3] >> (b & 7)) & 1u;
    }
    for (std::size_t c = 0; c < nlist; ++c) {
      std::uint8_t* centroid = &centroids[c * bytes];
      if (members[c] == 0) {  // an empty list restarts on a random training code
        std::memcpy(centroid, codes + std::size_t(rng() % n) * bytes, bytes);
        continue;
      }
      for (std::size_t b = 0; b < bits; ++b) {
        const std::uint32_t twice = 2 * ones[c * bits + b];
        if (twice == members[c]) continue;  // a tie keeps the bit
        const auto mask = std::uint8_t(1u << (b & 7));
        if (twice > members[c]) centroid[b >> 3] |= mask;
        else centroid[b >> 3] &= std::uint8_t(~mask);
      }
    }
  }
  return centroids;
}

// FAISS's own structures: IVF keeps ids itself; Flat and HNSW are wrapped in an id map.
class FaissBinaryIndex final : public BinaryIndex {
 public:
  FaissBinaryIndex(std::string factory, std::unique_ptr<faiss::IndexBinary> index)
      : factory_(std::move(factory)), index_(std::move(index)) {
    ivf_ = dynamic_cast<faiss::IndexBinaryIVF*>(index_.get());
    auto* map = dynamic_cast<faiss::IndexBinaryIDMap*>(index_.get());
    hnsw_ = dynamic_cast<faiss::IndexBinaryHNSW*>(map != nullptr ? map->index : index_.get());
  }

  int code_bits() const override { return int(index_->d); }
  const std::string& factory() const override { return factory_; }
  std::size_t size() const override { return std::size_t(index_->ntotal); }

  std::size_t memory_bytes() const override {
    const std::size_t n = size();
    std::size_t bytes = n * (code_bytes() + sizeof(Id));
    if (hnsw_ != nullptr) bytes += n * std::size_t(hnsw_->hnsw.nb_neighbors(0)) * sizeof(int) * 2;
    if (ivf_ != nullptr) bytes += ivf_->nlist * code_bytes();
    return bytes;
  }

  bool is_trained() const override { return index_->is_trained; }

  void train(std::size_t n, const std::uint8_t* codes) override {
    if (index_->is_trained) return;
    TP_CHECK(n > 0, kInvalidArgument, "cannot train index '" << factory_ << "' on no codes");
    if (auto* flat = flat_quantiser(); flat != nullptr && flat->ntotal == 0) {
      TP_CHECK(n >= ivf_->nlist, kInvalidArgument,
               "index '" << factory_ << "' needs at least " << ivf_->nlist
                         << " training codes (one per list), got " << n);
      const auto centroids = k_majority(n, codes, ivf_->nlist, code_bytes(), kQuantiserIterations);
      guard([&] { flat->add(faiss::Index::idx_t(ivf_->nlist), centroids.data()); });
      ivf_->is_trained = true;
      return;
    }
    guard([&] { index_->train(faiss::Index::idx_t(n), codes); });
  }

  void add(std::size_t n, const std::uint8_t* codes, const Id* ids, Locator* locators) override {
    if (n == 0) return;
    TP_CHECK(index_->is_trained, kFailedPrecondition,
             "index '" << factory_ << "' must be trained before codes are added");
    static_assert(sizeof(Id) == sizeof(faiss::Index::idx_t));
    if (ivf_ == nullptr) {
      const auto before = std::size_t(index_->ntotal);
      guard([&] { index_->add_with_ids(faiss::Index::idx_t(n), codes, ids); });
      for (std::size_t i = 0; locators != nullptr && i < n; ++i) locators[i] = Locator(before + i);
      return;
    }
    std::vector<std::size_t> sizes_before(ivf_->nlist);
    for (std::size_t l = 0; l < ivf_->nlist; ++l) sizes_before[l] = ivf_->invlists->list_size(l);
    if (const auto* flat = flat_quantiser(); flat != nullptr) {
      // List assignment with our popcount kernel, then FAISS stores the codes.
      std::vector<faiss::Index::idx_t> lists(n);
      const auto nlist = std::size_t(flat->ntotal);
      if (nlist >= kGroupedAssignmentMinLists && groups_ == nullptr) {
        groups_ = std::make_unique<ListGroups>(group_lists(flat->xb.data(), nlist, code_bytes()));
      }
      assign_to_lists(codes, n, flat->xb.data(), nlist, code_bytes(), lists.data(), groups_.get());
      guard([&] { ivf_->add_core(faiss::Index::idx_t(n), codes, ids, lists.data()); });
    } else {
      guard([&] { index_->add_with_ids(faiss::Index::idx_t(n), codes, ids); });
    }
    if (locators == nullptr) return;
    // The new entries are at the ends of their lists; find each batch position by its id.
    std::unordered_map<Id, std::size_t> position;
    position.reserve(n);
    for (std::size_t i = 0; i < n; ++i) position.emplace(ids[i], i);
    std::size_t located = 0;
    for (std::size_t l = 0; l < ivf_->nlist; ++l) {
      const std::size_t size = ivf_->invlists->list_size(l);
      if (size == sizes_before[l]) continue;
      const auto* list_ids = ivf_->invlists->get_ids(l);
      for (std::size_t o = sizes_before[l]; o < size; ++o) {
        const auto it = position.find(list_ids[o]);
        TP_ASSERT(it != position.end());
        locators[it->second] = (Locator(l) << 32) | Locator(o);
        ++located;
      }
    }
    TP_ASSERT(located == n);
  }

  const std::uint8_t* code_at(Locator where) const override {
    if (ivf_ != nullptr) {
      const auto list = std::size_t(where >> 32), offset = std::size_t(where & 0xFFFFFFFFu);
      TP_ASSERT(list < ivf_->nlist && offset < ivf_->invlists->list_size(list));
      return ivf_->invlists->get_codes(list) + offset * code_bytes();
    }
    const faiss::IndexBinaryFlat* storage = flat_storage();
    TP_ASSERT(storage != nullptr && where < std::size_t(storage->ntotal));
    return storage->xb.data() + std::size_t(where) * code_bytes();
  }

  void for_each_code(const std::function<void(Id, Locator)>& visit) const override {
    if (ivf_ != nullptr) {
      for (std::size_t l = 0; l < ivf_->nlist; ++l) {
        const auto* list_ids = ivf_->invlists->get_ids(l);
        for (std::size_t o = 0, size = ivf_->invlists->list_size(l); o < size; ++o) {
          visit(list_ids[o], (Locator(l) << 32) | Locator(o));
        }
      }
      return;
    }
    const auto& map = id_map()->id_map;
    for (std::size_t i = 0; i < map.size(); ++i) visit(map[i], Locator(i));
  }

  void search(std::size_t n, const std::uint8_t* codes, int k, std::int32_t* distances,
              Id* ids) const override {
    TP_CHECK(k > 0, kInvalidArgument, "search needs k > 0");
    if (n == 0) return;
    std::fill(distances, distances + n * std::size_t(k), std::int32_t(code_bits() + 1));
    std::fill(ids, ids + n * std::size_t(k), Id(-1));
    if (index_->ntotal == 0) return;
    const faiss::IndexBinaryFlat* quantiser = flat_quantiser();
    const faiss::IndexBinaryFlat* flat = hnsw_ == nullptr && ivf_ == nullptr ? flat_storage() : nullptr;
    if (quantiser == nullptr && flat == nullptr) {
      guard([&] { index_->search(faiss::Index::idx_t(n), codes, k, distances, ids); });
      return;
    }
#pragma omp parallel for schedule(dynamic, 1) if (n > 1)
    for (std::ptrdiff_t q = 0; q < std::ptrdiff_t(n); ++q) {
      const std::uint8_t* query = codes + std::size_t(q) * code_bytes();
      if (flat != nullptr) {
        scan_flat(*flat, query, std::size_t(k), distances + std::size_t(q) * std::size_t(k),
                  ids + std::size_t(q) * std::size_t(k));
      } else {
        scan_lists(*quantiser, query, std::size_t(k), distances + std::size_t(q) * std::size_t(k),
                   ids + std::size_t(q) * std::size_t(k));
      }
    }
  }

  void set_search_breadth(int breadth) override {
    TP_CHECK(breadth > 0, kInvalidArgument, "search breadth must be positive");
    if (ivf_ != nullptr) ivf_->nprobe = std::size_t(breadth);
    if (hnsw_ != nullptr) hnsw_->hnsw.efSearch = breadth;
  }

  void write(ByteSink& out) const override {
    out.write(kTag.data(), kTag.size());
    out.put_string(factory_);
    SinkWriter writer(out);
    guard([&] { faiss::write_index_binary(index_.get(), &writer); });
  }

  // The IVF's coarse quantiser when it is an exact flat index (as BIVF<n> builds), else null.
  faiss::IndexBinaryFlat* flat_quantiser() const {
    return ivf_ != nullptr ? dynamic_cast<faiss::IndexBinaryFlat*>(ivf_->quantizer) : nullptr;
  }

  // The id map around Flat and HNSW (null for IVF).
  const faiss::IndexBinaryIDMap* id_map() const {
    return dynamic_cast<const faiss::IndexBinaryIDMap*>(index_.get());
  }

  // Where Flat and HNSW keep their codes, in insertion order (null for IVF).
  const faiss::IndexBinaryFlat* flat_storage() const {
    const auto* map = id_map();
    if (map == nullptr) return nullptr;
    if (hnsw_ != nullptr) return dynamic_cast<const faiss::IndexBinaryFlat*>(hnsw_->storage);
    return dynamic_cast<const faiss::IndexBinaryFlat*>(map->index);
  }

  // Exact search over every stored code.
  void scan_flat(const faiss::IndexBinaryFlat& storage, const std::uint8_t* query, std::size_t k,
                 std::int32_t* distances, Id* ids) const {
    const auto total = std::size_t(storage.ntotal);
    std::vector<std::uint16_t> d(total);
    hamming::distances(query, storage.xb.data(), total, code_bytes(), d.data());
    std::vector<std::uint32_t> best;
    hamming::smallest(d.data(), total, k, code_bits(), best);
    const auto& map = id_map()->id_map;
    for (std::size_t j = 0; j < best.size(); ++j) {
      distances[j] = d[best[j]];
      ids[j] = map[best[j]];
    }
  }

  // IVF: the nprobe lists with the nearest centroids, scanned exactly.
  void scan_lists(const faiss::IndexBinaryFlat& quantiser, const std::uint8_t* query,
                  std::size_t k, std::int32_t* distances, Id* ids) const {
    const std::size_t nlist = std::size_t(quantiser.ntotal);
    std::vector<std::uint16_t> d(nlist);
    hamming::distances(query, quantiser.xb.data(), nlist, code_bytes(), d.data());
    std::vector<std::uint32_t> lists;
    hamming::smallest(d.data(), nlist, std::min(nlist, std::size_t(ivf_->nprobe)), code_bits(), lists);
    std::vector<std::size_t> first(lists.size() + 1, 0);  // scan position of each list's start
    for (std::size_t i = 0; i < lists.size(); ++i) first[i + 1] = first[i] + ivf_->invlists->list_size(lists[i]);
    d.resize(first.back());
    for (std::size_t i = 0; i < lists.size(); ++i) {
      hamming::distances(query, ivf_->invlists->get_codes(lists[i]), first[i + 1] - first[i],
                         code_bytes(), d.data() + first[i]);
    }
    std::vector<std::uint32_t> best;
    hamming::smallest(d.data(), d.size(), k, code_bits(), best);
    for (std::size_t j = 0; j < best.size(); ++j) {
      const auto i = std::size_t(std::upper_bound(first.begin(), first.end(), std::size_t(best[j])) -
                                 first.begin()) - 1;
      distances[j] = d[best[j]];
      ids[j] = ivf_->invlists->get_ids(lists[i])[best[j] - first[i]];
    }
  }

  template <typename F>
  static void guard(F&& f) {
    try {
      f();
    } catch (const faiss::FaissException& e) {
      TP_THROW(kInternal, "FAISS: " << e.what());
    }
  }

 private:
  std::string factory_;
  std::unique_ptr<faiss::IndexBinary> index_;
  faiss::IndexBinaryIVF* ivf_ = nullptr;
  faiss::IndexBinaryHNSW* hnsw_ = nullptr;
  std::unique_ptr<ListGroups> groups_;  // grouped list assignment, built on the first add
};

std::unique_ptr<faiss::IndexBinary> build(const std::string& factory, int code_bits) {
  std::unique_ptr<faiss::IndexBinary> index;
  try {
    index.reset(faiss::index_binary_factory(code_bits, factory.c_str()));
  } catch (const faiss::FaissException&) {
    TP_THROW(kInvalidArgument, "index factory '" << factory
                                                 << "' is not a FAISS binary index description "
                                                    "(try BFlat, BIVF1024 or BHNSW32)");
  }
  TP_CHECK(index != nullptr, kInvalidArgument, "index factory '" << factory << "' built nothing");
  if (auto* ivf = dynamic_cast<faiss::IndexBinaryIVF*>(index.get())) {
    // Coarse k-means on binary codes runs in float: a few iterations on a modest sample
    // place the lists well enough for candidate retrieval and keep training to seconds.
    ivf->cp.niter = 8;
    ivf->cp.max_points_per_centroid = 32;
    return index;
  }
  auto map = std::make_unique<faiss::IndexBinaryIDMap>(index.release());
  map->own_fields = true;
  return map;
}

}  // namespace

std::unique_ptr<BinaryIndex> make_binary_index(const std::string& factory, int code_bits) {
  TP_CHECK(code_bits > 0 && code_bits % 8 == 0, kInvalidArgument,
           "binary code length " << code_bits << " bits is not a positive multiple of 8");
  return std::make_unique<FaissBinaryIndex>(factory, build(factory, code_bits));
}

std::unique_ptr<BinaryIndex> read_binary_index(ByteSource& in) {
  std::string tag(kTag.size(), '\0');
  in.read(tag.data(), tag.size(), "binary index tag");
  TP_CHECK(tag == kTag, kDataLoss, in.what() << " does not hold a TuskPrint binary index (bad tag)");
  const std::string factory = in.get_string("binary index factory");
  TP_CHECK(factory.size() < 256, kDataLoss, in.what() << " has an inconsistent binary index header");
  SourceReader reader(in);
  std::unique_ptr<faiss::IndexBinary> index;
  try {
    index.reset(faiss::read_index_binary(&reader));
  } catch (const faiss::FaissException& e) {
    TP_THROW(kDataLoss, in.what() << ": binary index payload cannot be read: " << e.what());
  }
  if (auto* map = dynamic_cast<faiss::IndexBinaryIDMap*>(index.get())) map->own_fields = true;
  return std::make_unique<FaissBinaryIndex>(factory, std::move(index));
}

std::string BinaryIndex::serialize() const {
  return checksummed_bytes("", [&](ByteSink& out) { write(out); });
}

std::unique_ptr<BinaryIndex> load_binary_index(std::string_view bytes) {
  std::unique_ptr<BinaryIndex> index;
  read_checksummed_bytes(bytes, "", "binary index", [&](ByteSource& in) { index = read_binary_index(in); });
  return index;
}

std::string default_binary_factory(std::size_t expected_codes) {
  if (expected_codes < 300'000) return "BFlat";
  const auto lists = std::size_t(2.0 * std::sqrt(double(expected_codes)));
  return "BIVF" + std::to_string(lists);
}

}  // namespace tuskprint::index

#include <omp.h>

namespace tuskprint::index {
void set_index_threads(int threads) {
  TP_CHECK(threads > 0, kInvalidArgument, "index threads must be positive, got " << threads);
  omp_set_num_threads(threads);
}
}  // namespace tuskprint::index
