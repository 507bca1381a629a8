#pragma once
// A nearest-neighbour index over fixed-length float vectors (squared L2 distance or inner
// product), with 64-bit ids: the float twin of BinaryIndex (binary_index.hpp), with the same
// small interface of batch calls on plain arrays. The only implementation wraps FAISS
// (float_index.cpp); nothing outside engine/index includes FAISS headers.
//
// The index type comes from a FAISS factory string:
//   "Flat"           exact, brute force (small galleries)
//   "IVF<n>,Flat"    inverted file with n lists; search visits `breadth` lists
//   "HNSW<M>"        graph index, M links per node; search breadth is efSearch
// default_float_factory() picks one by the number of vectors expected.
//
// Distances: for FloatMetric::kL2 the squared Euclidean distance, nearest (smallest) first;
// for kInnerProduct the inner product, most similar (largest) first.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "index/byte_io.hpp"

#include "index/binary_index.hpp"  // Id

namespace tuskprint::index {

enum class FloatMetric { kL2, kInnerProduct };

const char* to_string(FloatMetric metric);  // "L2", "IP"

class FloatIndex {
 public:
  virtual ~FloatIndex() = default;

  virtual int dimension() const = 0;
  virtual FloatMetric metric() const = 0;
  // The factory string the index was built from (round-trips through make_float_index).
  virtual const std::string& factory() const = 0;
  virtual std::size_t size() const = 0;
  // Bytes held by vectors, ids and structure (an estimate for graph indexes).
  virtual std::size_t memory_bytes() const = 0;

  // IVF indexes must be trained before the first add; training on a sample of the vectors to
  // be added is enough. No-op for others.
  virtual bool is_trained() const = 0;
  virtual void train(std::size_t n, const float* vectors) = 0;

  // n vectors of dimension() floats each, row-major. Error(kInvalidArgument) for a vector
  // holding NaN or infinity (it would poison every distance).
  virtual void add(std::size_t n, const float* vectors, const Id* ids) = 0;

  // For each of the n queries, the k nearest vectors: distances[i*k + j] and ids[i*k + j],
  // best first; id -1 (and distance +inf for L2, -inf for IP) where fewer than k were found.
  virtual void search(std::size_t n, const float* queries, int k, float* distances,
                      Id* ids) const = 0;

  // Lists visited per query for IVF (ignored by Flat); efSearch for HNSW.
  virtual void set_search_breadth(int breadth) = 0;

  // Self-describing (tag, factory, metric, FAISS payload), streamed: read_float_index reads
  // it back.
  virtual void write(ByteSink& out) const = 0;
  // The same as a byte string with its checksum (load_float_index reads it back).
  std::string serialize() const;
};

// Error(kInvalidArgument) naming the problem for an unknown factory string or a dimension
// that is not positive.
std::unique_ptr<FloatIndex> make_float_index(const std::string& factory, int dimension,
                                             FloatMetric metric);

// Error(kDataLoss) when the bytes are truncated, tagged wrongly or unreadable.
std::unique_ptr<FloatIndex> read_float_index(ByteSource& in);
// Error(kDataLoss) also when the bytes fail their checksum or have trailing bytes.
std::unique_ptr<FloatIndex> load_float_index(std::string_view bytes);

// Exact flat search below 200,000 vectors (a 128-float gallery of that size is ~100 MB and
// a flat scan takes milliseconds); inverted file above, with about 2 * sqrt(n) lists.
std::string default_float_factory(std::size_t expected_vectors);

}  // namespace tuskprint::index
