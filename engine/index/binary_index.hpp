#pragma once
// A nearest-neighbour index over fixed-length binary codes (Hamming distance), with 64-bit
// ids. TuskPrint's own small interface with batch calls on plain arrays; the only
// implementation wraps FAISS (binary_index.cpp), and nothing outside engine/index includes
// FAISS headers.
//
// The index type comes from a FAISS binary factory string:
//   "BFlat"          exact, brute force (small galleries)
//   "BIVF<n>"        inverted file with n lists; search visits `nprobe` lists
//   "BHNSW<M>"       graph index, M links per node (accepted, but on MCC cylinder codes its
//                    recall is poor: Hamming distances tie a lot; use BIVF for large galleries)
// default_binary_factory() picks one by the number of codes expected.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "index/byte_io.hpp"

namespace tuskprint::index {

using Id = std::int64_t;
// Where an added code is stored inside the index (IVF: list << 32 | offset in the list;
// others: insertion position). Stable while the index lives and across serialize / load, so
// callers can read a code back (code_at) instead of keeping a second copy of it.
using Locator = std::uint64_t;

class BinaryIndex {
 public:
  virtual ~BinaryIndex() = default;

  virtual int code_bits() const = 0;
  std::size_t code_bytes() const { return std::size_t(code_bits()) / 8; }
  // The factory string the index was built from (round-trips through make_binary_index).
  virtual const std::string& factory() const = 0;
  virtual std::size_t size() const = 0;
  // Bytes held by codes, ids and structure (an estimate for graph indexes).
  virtual std::size_t memory_bytes() const = 0;

  // IVF indexes must be trained before the first add; training on a sample of the codes to be
  // added is enough. No-op for others.
  virtual bool is_trained() const = 0;
  virtual void train(std::size_t n, const std::uint8_t* codes) = 0;

  // `locators` (optional, n entries) receives where each code was stored.
  virtual void add(std::size_t n, const std::uint8_t* codes, const Id* ids,
                   Locator* locators = nullptr) = 0;
  // The code stored at `where` (code_bytes() bytes), valid until the next add.
  virtual const std::uint8_t* code_at(Locator where) const = 0;
  // Every stored code's id and locator, in storage order (to find codes again after a load).
  virtual void for_each_code(const std::function<void(Id, Locator)>& visit) const = 0;

  // For each of the n queries, the k nearest codes: distances[i*k + j] (bits differing) and
  // ids[i*k + j], nearest first; -1 where fewer than k were found. BFlat and BIVF (with its
  // flat coarse quantiser) scan with TuskPrint's popcnt kernels, ties in storage order (FAISS
  // as packaged counts bits with a library call, 4-5x slower); BHNSW searches in FAISS.
  virtual void search(std::size_t n, const std::uint8_t* codes, int k, std::int32_t* distances,
                      Id* ids) const = 0;

  // Lists visited per query for IVF (ignored by others); efSearch for HNSW.
  virtual void set_search_breadth(int breadth) = 0;

  // Self-describing (tag, factory, FAISS payload), streamed: read_binary_index reads it back.
  virtual void write(ByteSink& out) const = 0;
  // The same as a byte string with its checksum (load_binary_index reads it back).
  std::string serialize() const;
};

// Error(kInvalidArgument) naming the problem for an unknown factory string or a code length
// that is not a positive multiple of 8.
std::unique_ptr<BinaryIndex> make_binary_index(const std::string& factory, int code_bits);

// Error(kDataLoss) when the bytes are truncated, tagged wrongly or unreadable.
std::unique_ptr<BinaryIndex> read_binary_index(ByteSource& in);
// Error(kDataLoss) also when the bytes fail their checksum or have trailing bytes.
std::unique_ptr<BinaryIndex> load_binary_index(std::string_view bytes);

// Exact flat search below 300,000 codes (about 7,000 templates); inverted file above, with
// about 2 * sqrt(n) lists.
std::string default_binary_factory(std::size_t expected_codes);

}  // namespace tuskprint::index

namespace tuskprint::index {
// Threads FAISS may use inside one search (OpenMP, process-wide). A server that runs many
// searches at once wants 1; a single-stream benchmark may want the core count.
void set_index_threads(int threads);
}  // namespace tuskprint::index
