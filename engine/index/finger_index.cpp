#include "index/finger_index.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <bit>
#include <cstring>
#include <numbers>
#include <numeric>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "index/byte_io.hpp"

namespace tuskprint::index {
namespace {

constexpr std::string_view kTag = "TPFIDX3\n";
constexpr int kMaxCylinders = (1 << kCylinderBits) - 1;
// IVF indexes are trained once this many codes per inverted list are waiting.
constexpr std::size_t kTrainingCodesPerList = 32;
// A probe cylinder's j-th nearest code votes exp(-j / kVoteRankScale) for its template
// (measured: better than weighting by Hamming distance, 0.76 vs 0.65 rank-1 at stage 1).
constexpr double kVoteRankScale = 8.0;

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::size_t ivf_lists(const std::string& factory) {
  if (factory.rfind("BIVF", 0) != 0) return 0;
  std::size_t n = 0;
  for (std::size_t i = 4; i < factory.size() && std::isdigit(static_cast<unsigned char>(factory[i])); ++i) {
    n = n * 10 + std::size_t(factory[i] - '0');
  }
  return n;
}

ridge::FingerTemplate at_500ppi(const ridge::FingerTemplate& finger) {
  TP_CHECK(finger.ppi > 0, kInvalidArgument, "template ppi " << finger.ppi << " is not positive");
  if (finger.ppi == 500) return finger;
  ridge::FingerTemplate scaled = finger;
  const float s = 500.0f / float(finger.ppi);
  for (auto& m : scaled.minutiae) {
    m.x *= s;
    m.y *= s;
  }
  scaled.width = int(std::lround(float(finger.width) * s));
  scaled.height = int(std::lround(float(finger.height) * s));
  scaled.ppi = 500;
  return scaled;
}

}  // namespace

FingerprintIndex::FingerprintIndex(std::string factory, const CylinderCodeParameters& code,
                                   const match::MccParameters& mcc)
    : factory_(factory.empty() ? "BFlat" : std::move(factory)),
      code_parameters_(code),
      mcc_(mcc),
      coder_(code, mcc),
      main_(make_binary_index(factory_, code.code_bits)) {
  if (!main_->is_trained()) pending_ = make_binary_index("BFlat", code.code_bits);
  main_->set_search_breadth(search_breadth_);
}

FingerprintIndex::~FingerprintIndex() = default;

std::string FingerprintIndex::configuration_hash() const {
  return sha256_hex("finger-index-1|" + factory_ + "|" + coder_.parameters_hash());
}

std::uint32_t FingerprintIndex::slot_for(const std::string& key) {
  TP_CHECK(!key.empty(), kInvalidArgument, "template key is empty");
  remove(key);
  TP_CHECK(slots_.size() < (std::size_t(1) << (63 - kCylinderBits)), kResourceExhausted,
           "fingerprint index is full");
  Slot fresh;
  fresh.key = key;
  fresh.alive = true;
  slots_.push_back(std::move(fresh));
  const auto slot = std::uint32_t(slots_.size() - 1);
  slot_of_key_[key] = slot;
  ++live_;
  return slot;
}

void FingerprintIndex::encode(const ridge::FingerTemplate& finger, std::uint32_t slot,
                              std::vector<std::uint8_t>& codes, std::vector<Id>& ids,
                              std::vector<float>& directions) const {
  const auto set = match::make_cylinders(finger.minutiae, mcc_);
  const int n = std::min(set.size(), kMaxCylinders);
  directions.assign(set.direction.begin(), set.direction.begin() + n);
  if (n < set.size()) {
    match::CylinderSet first = set;  // keep the first kMaxCylinders cylinders
    first.minutia.resize(std::size_t(n));
    first.bits.resize(std::size_t(n) * std::size_t(set.words));
    coder_.encode(first, codes);
  } else {
    coder_.encode(set, codes);
  }
  for (int c = 0; c < n; ++c) ids.push_back((Id(slot) << kCylinderBits) | Id(c));
}

void FingerprintIndex::insert_codes(const std::vector<std::uint8_t>& codes,
                                    const std::vector<Id>& ids) {
  if (ids.empty()) return;
  if (main_->is_trained()) {
    main_->add(ids.size(), codes.data(), ids.data());
    return;
  }
  pending_->add(ids.size(), codes.data(), ids.data());
  pending_codes_.insert(pending_codes_.end(), codes.begin(), codes.end());
  pending_ids_.insert(pending_ids_.end(), ids.begin(), ids.end());
  const std::size_t lists = std::max<std::size_t>(1, ivf_lists(factory_));
  if (pending_ids_.size() >= lists * kTrainingCodesPerList) {
    main_->train(pending_ids_.size(), pending_codes_.data());
    main_->add(pending_ids_.size(), pending_codes_.data(), pending_ids_.data());
    pending_codes_.clear();
    pending_codes_.shrink_to_fit();
    pending_ids_.clear();
    pending_ids_.shrink_to_fit();
    pending_ = make_binary_index("BFlat", code_parameters_.code_bits);
    main_->set_search_breadth(search_breadth_);
  }
}

void FingerprintIndex::add(const std::string& key, const ridge::FingerTemplate& finger) {
  add_batch({key}, {finger});
}

void FingerprintIndex::add_batch(const std::vector<std::string>& keys,
                                 const std::vector<ridge::FingerTemplate>& fingers) {
  TP_CHECK(keys.size() == fingers.size(), kInvalidArgument,
           "add_batch got " << keys.size() << " keys for " << fingers.size() << " templates");
  std::vector<std::uint8_t> codes;
  std::vector<Id> ids;
  std::vector<ridge::FingerTemplate> scaled;
  scaled.reserve(fingers.size());
  for (const auto& f : fingers) scaled.push_back(at_500ppi(f));  // validate before changing state
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::uint32_t slot = slot_for(keys[i]);
    const std::size_t first_code = codes.size();
    encode(scaled[i], slot, codes, ids, slots_[slot].directions);
    slots_[slot].codes.assign(codes.begin() + std::ptrdiff_t(first_code), codes.end());
    slots_[slot].minutiae = std::move(scaled[i].minutiae);
    slots_[slot].width = scaled[i].width;
    slots_[slot].height = scaled[i].height;
  }
  insert_codes(codes, ids);
}

bool FingerprintIndex::remove(const std::string& key) {
  const auto it = slot_of_key_.find(key);
  if (it == slot_of_key_.end()) return false;
  Slot& slot = slots_[it->second];
  slot.alive = false;
  slot.minutiae.clear();
  slot.minutiae.shrink_to_fit();
  slot.codes.clear();
  slot.codes.shrink_to_fit();
  slot.directions.clear();
  slot.directions.shrink_to_fit();
  slot_of_key_.erase(it);
  --live_;
  return true;
}

void FingerprintIndex::set_search_breadth(int breadth) {
  TP_CHECK(breadth > 0, kInvalidArgument, "search breadth must be positive, got " << breadth);
  search_breadth_ = breadth;
  main_->set_search_breadth(breadth);
  if (pending_ != nullptr) pending_->set_search_breadth(breadth);
}

bool FingerprintIndex::contains(const std::string& key) const {
  return slot_of_key_.count(key) != 0;
}

std::size_t FingerprintIndex::code_count() const {
  return main_->size() + (pending_ != nullptr ? pending_->size() : 0);
}

std::size_t FingerprintIndex::memory_bytes() const {
  std::size_t bytes = main_->memory_bytes() + (pending_ != nullptr ? pending_->memory_bytes() : 0);
  bytes += pending_codes_.capacity() + pending_ids_.capacity() * sizeof(Id);
  for (const auto& s : slots_) {
    bytes += sizeof(Slot) + s.key.capacity() + s.minutiae.capacity() * sizeof(ridge::Minutia) +
             s.codes.capacity() + s.directions.capacity() * sizeof(float);
  }
  bytes += slot_of_key_.size() * (sizeof(std::string) + sizeof(std::uint32_t) + 16);
  return bytes;
}

std::vector<FingerCandidate> FingerprintIndex::search(const ridge::FingerTemplate& probe_template,
                                                      const FingerSearchOptions& options,
                                                      FingerSearchStats* stats) const {
  TP_CHECK(options.top_k > 0 && options.neighbours > 0 && options.rerank > 0, kInvalidArgument,
           "search needs top_k, neighbours and rerank > 0");
  FingerSearchStats local;
  FingerSearchStats& st = stats != nullptr ? *stats : local;
  st = {};
  if (live_ == 0) return {};
  const auto started = std::chrono::steady_clock::now();
  const ridge::FingerTemplate probe500 = at_500ppi(probe_template);
  const match::MatchTemplate probe(probe500, mcc_);
  const auto& cylinders = probe.cylinders();
  st.probe_cylinders = std::size_t(cylinders.size());
  if (cylinders.size() == 0) return {};
  std::vector<std::uint8_t> codes;
  coder_.encode(cylinders, codes);

  // Retrieval: each probe cylinder votes once per template, with the similarity of its
  // nearest code in that template; close codes count much more than far ones.
  const std::size_t n = std::size_t(cylinders.size());
  const int k = options.neighbours;
  std::unordered_map<std::uint32_t, double> votes;
  auto collect = [&](const BinaryIndex& index) {
    if (index.size() == 0) return;
    std::vector<std::int32_t> distances(n * std::size_t(k));
    std::vector<Id> ids(n * std::size_t(k));
    index.search(n, codes.data(), k, distances.data(), ids.data());
    for (std::size_t q = 0; q < n; ++q) {
      std::unordered_map<std::uint32_t, double> best;
      for (int j = 0; j < k; ++j) {
        const Id id = ids[q * std::size_t(k) + std::size_t(j)];
        if (id < 0) continue;
        const auto slot = std::uint32_t(id >> kCylinderBits);
        if (slot >= slots_.size() || !slots_[slot].alive) continue;
        // Rank, not raw distance: cylinder codes differ in density, so a fixed Hamming
        // distance means different things; the order of the neighbours does not.
        const double w = std::exp(-double(j) / kVoteRankScale);
        double& b = best[slot];
        b = std::max(b, w);
      }
      for (const auto& [slot, v] : best) votes[slot] += v;
    }
  };
  collect(*main_);
  if (pending_ != nullptr) collect(*pending_);
  st.voted_templates = votes.size();

  auto best_first = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  std::vector<std::pair<std::uint32_t, double>> ranked(votes.begin(), votes.end());
  const std::size_t shortlist = std::min<std::size_t>(ranked.size(), std::size_t(options.shortlist));
  std::partial_sort(ranked.begin(), ranked.begin() + std::ptrdiff_t(shortlist), ranked.end(),
                    best_first);
  ranked.resize(shortlist);

  // Stage 2: the shortlist scored on the stored codes (LSS over code similarities).
  std::vector<float> probe_directions(cylinders.direction.begin(), cylinders.direction.end());
  std::vector<std::pair<std::uint32_t, double>> code_ranked;
  code_ranked.reserve(ranked.size());
  for (const auto& [slot, vote] : ranked) {
    code_ranked.emplace_back(slot, code_score(codes, probe_directions, slots_[slot]));
  }
  st.code_scored = code_ranked.size();
  const std::size_t rerank = std::min<std::size_t>(code_ranked.size(), std::size_t(options.rerank));
  std::partial_sort(code_ranked.begin(), code_ranked.begin() + std::ptrdiff_t(rerank),
                    code_ranked.end(), best_first);
  code_ranked.resize(rerank);
  ranked = std::move(code_ranked);
  st.retrieval_ms = ms_since(started);

  // Re-ranking by the exact matcher.
  const auto rerank_started = std::chrono::steady_clock::now();
  std::vector<FingerCandidate> out;
  out.reserve(ranked.size());
  for (const auto& [slot_index, vote] : ranked) {
    const Slot& slot = slots_[slot_index];
    ridge::FingerTemplate gallery;
    gallery.minutiae = slot.minutiae;
    gallery.width = slot.width;
    gallery.height = slot.height;
    gallery.ppi = 500;
    const match::MatchTemplate candidate(gallery, mcc_);
    const double s = match::score(probe, candidate, options.mode);
    if (s >= options.min_score) out.push_back(FingerCandidate{slot.key, s, vote});
  }
  st.reranked = ranked.size();
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
  if (out.size() > std::size_t(options.top_k)) out.resize(std::size_t(options.top_k));
  st.rerank_ms = ms_since(rerank_started);
  return out;
}

double FingerprintIndex::code_score(const std::vector<std::uint8_t>& probe_codes,
                                    const std::vector<float>& probe_directions,
                                    const Slot& slot) const {
  const std::size_t bytes = std::size_t(coder_.code_bytes());
  const std::size_t np = probe_directions.size(), ng = slot.directions.size();
  if (np == 0 || ng == 0) return 0;
  const std::size_t words = bytes / 8;  // code_bits is a multiple of 64 for the fast path
  std::vector<int> probe_ones(np), gallery_ones(ng);
  auto popcount = [&](const std::uint8_t* code) {
    int ones = 0;
    if (bytes % 8 == 0) {
      for (std::size_t w = 0; w < words; ++w) {
        std::uint64_t v;
        std::memcpy(&v, code + 8 * w, 8);
        ones += std::popcount(v);
      }
    } else {
      for (std::size_t b = 0; b < bytes; ++b) ones += std::popcount(unsigned(code[b]));
    }
    return ones;
  };
  for (std::size_t i = 0; i < np; ++i) probe_ones[i] = popcount(probe_codes.data() + i * bytes);
  for (std::size_t j = 0; j < ng; ++j) gallery_ones[j] = popcount(slot.codes.data() + j * bytes);
  std::vector<float> similarities;
  similarities.reserve(np * ng);
  const float max_turn = mcc_.max_direction_difference;
  for (std::size_t i = 0; i < np; ++i) {
    const std::uint8_t* a = probe_codes.data() + i * bytes;
    for (std::size_t j = 0; j < ng; ++j) {
      float turn = std::fabs(probe_directions[i] - slot.directions[j]);
      turn = std::min(turn, 2 * std::numbers::pi_v<float> - turn);
      if (turn > max_turn) continue;
      const int denominator = probe_ones[i] + gallery_ones[j];
      if (denominator == 0) continue;
      const std::uint8_t* b = slot.codes.data() + j * bytes;
      int differing = 0;
      if (bytes % 8 == 0) {
        for (std::size_t w = 0; w < words; ++w) {
          std::uint64_t x, y;
          std::memcpy(&x, a + 8 * w, 8);
          std::memcpy(&y, b + 8 * w, 8);
          differing += std::popcount(x ^ y);
        }
      } else {
        for (std::size_t k = 0; k < bytes; ++k) differing += std::popcount(unsigned(a[k] ^ b[k]));
      }
      similarities.push_back(1.0f - float(differing) / float(denominator));
    }
  }
  if (similarities.empty()) return 0;
  // nP as in MCC's LSS: more pairs for larger templates, between min_pairs and max_pairs.
  const double z = 1.0 / (1.0 + std::exp(-mcc_.pairs_sigmoid_tau *
                                         (double(std::min(np, ng)) - mcc_.pairs_sigmoid_mu)));
  const auto pairs = std::min<std::size_t>(
      similarities.size(),
      std::size_t(mcc_.min_pairs + std::lround(z * (mcc_.max_pairs - mcc_.min_pairs))));
  std::partial_sort(similarities.begin(), similarities.begin() + std::ptrdiff_t(pairs),
                    similarities.end(), std::greater<>());
  return std::accumulate(similarities.begin(), similarities.begin() + std::ptrdiff_t(pairs), 0.0) /
         double(pairs);
}

std::string FingerprintIndex::serialize() const {
  ByteWriter w;
  w.bytes() = std::string(kTag);
  w.put_string(configuration_hash());
  w.put_string(factory_);
  w.put<std::uint8_t>(std::uint8_t(code_parameters_.kind));
  w.put<std::int32_t>(code_parameters_.cells_per_projection);
  w.put<std::int32_t>(code_parameters_.code_bits);
  w.put<float>(code_parameters_.inner_radius);
  w.put<std::uint64_t>(code_parameters_.seed);
  w.put<std::uint64_t>(slots_.size());
  for (const auto& s : slots_) {
    w.put_string(s.key);
    w.put<std::uint8_t>(s.alive ? 1 : 0);
    w.put<std::int32_t>(s.width);
    w.put<std::int32_t>(s.height);
    w.put<std::uint32_t>(std::uint32_t(s.minutiae.size()));
    for (const auto& m : s.minutiae) {
      w.put<float>(m.x);
      w.put<float>(m.y);
      w.put<float>(m.direction);
      w.put<std::uint8_t>(std::uint8_t(m.type));
      w.put<float>(m.quality);
    }
    w.put_string(std::string_view(reinterpret_cast<const char*>(s.codes.data()), s.codes.size()));
    w.put<std::uint32_t>(std::uint32_t(s.directions.size()));
    for (float d : s.directions) w.put<float>(d);
  }
  w.put_string(main_->serialize());
  w.put_string(std::string_view(reinterpret_cast<const char*>(pending_codes_.data()),
                                pending_codes_.size()));
  w.put<std::uint64_t>(pending_ids_.size());
  for (Id id : pending_ids_) w.put<Id>(id);
  w.bytes() += sha256_hex(w.bytes());
  return std::move(w.bytes());
}

std::unique_ptr<FingerprintIndex> FingerprintIndex::deserialize(std::string_view bytes) {
  constexpr std::size_t kChecksum = 64;
  TP_CHECK(bytes.size() > kTag.size() + kChecksum && bytes.substr(0, kTag.size()) == kTag,
           kDataLoss, "fingerprint index file has a bad tag or is truncated");
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksum);
  TP_CHECK(sha256_hex(body) == bytes.substr(bytes.size() - kChecksum), kDataLoss,
           "fingerprint index file fails its checksum (corrupt or truncated)");
  ByteReader r(body.substr(kTag.size()), "fingerprint index file");
  const std::string hash(r.get_string("configuration hash"));
  const std::string factory(r.get_string("factory"));
  CylinderCodeParameters code;
  code.kind = CylinderCodeKind(r.get<std::uint8_t>("code kind"));
  code.cells_per_projection = r.get<std::int32_t>("cells per projection");
  code.code_bits = r.get<std::int32_t>("code bits");
  code.inner_radius = r.get<float>("inner radius");
  code.seed = r.get<std::uint64_t>("seed");
  auto index = std::make_unique<FingerprintIndex>(factory, code);
  TP_CHECK(index->configuration_hash() == hash, kFailedPrecondition,
           "fingerprint index file was built with another configuration");
  const auto slots = r.get<std::uint64_t>("slot count");
  TP_CHECK(slots <= r.remaining(), kDataLoss, "fingerprint index file slot count is inconsistent");
  index->slots_.reserve(slots);
  for (std::uint64_t i = 0; i < slots; ++i) {
    Slot s;
    s.key = std::string(r.get_string("key"));
    s.alive = r.get<std::uint8_t>("alive") != 0;
    s.width = r.get<std::int32_t>("width");
    s.height = r.get<std::int32_t>("height");
    const auto count = r.get<std::uint32_t>("minutia count");
    TP_CHECK(count <= r.remaining(), kDataLoss, "fingerprint index file minutia count is inconsistent");
    s.minutiae.resize(count);
    for (auto& m : s.minutiae) {
      m.x = r.get<float>("minutia");
      m.y = r.get<float>("minutia");
      m.direction = r.get<float>("minutia");
      m.type = ridge::MinutiaType(r.get<std::uint8_t>("minutia"));
      m.quality = r.get<float>("minutia");
    }
    const std::string_view slot_codes = r.get_string("slot codes");
    s.codes.assign(slot_codes.begin(), slot_codes.end());
    const auto directions = r.get<std::uint32_t>("direction count");
    TP_CHECK(std::uint64_t(directions) * std::uint64_t(code.code_bits / 8) == slot_codes.size(),
             kDataLoss, "fingerprint index file slot codes are inconsistent");
    s.directions.resize(directions);
    for (auto& d : s.directions) d = r.get<float>("direction");
    if (s.alive) {
      index->slot_of_key_[s.key] = std::uint32_t(index->slots_.size());
      ++index->live_;
    }
    index->slots_.push_back(std::move(s));
  }
  index->main_ = load_binary_index(r.get_string("binary index"));
  index->main_->set_search_breadth(index->search_breadth_);
  const std::string_view pending = r.get_string("pending codes");
  index->pending_codes_.assign(pending.begin(), pending.end());
  const auto pending_ids = r.get<std::uint64_t>("pending id count");
  TP_CHECK(pending_ids * std::uint64_t(code.code_bits / 8) == pending.size(), kDataLoss,
           "fingerprint index file pending codes are inconsistent");
  for (std::uint64_t i = 0; i < pending_ids; ++i) index->pending_ids_.push_back(r.get<Id>("pending id"));
  if (!index->main_->is_trained()) {
    index->pending_ = make_binary_index("BFlat", code.code_bits);
    index->pending_->add(index->pending_ids_.size(), index->pending_codes_.data(),
                         index->pending_ids_.data());
  } else {
    index->pending_.reset();
  }
  return index;
}

}  // namespace tuskprint::index
