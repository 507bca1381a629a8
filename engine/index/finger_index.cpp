#include "index/finger_index.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <numbers>
#include <numeric>

#include <omp.h>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "index/byte_io.hpp"
#include "index/hamming.hpp"

namespace tuskprint::index {
namespace {

constexpr std::string_view kTag = "TPFIDX6\n";
// Earlier formats, refused with a message saying why (the service then rebuilds from the catalog).
constexpr std::string_view kTagWithoutPositions = "TPFIDX3\n";
constexpr std::string_view kTagWithCodeCopies = "TPFIDX4\n";
constexpr std::string_view kTagNested = "TPFIDX5\n";
constexpr int kMaxCylinders = (1 << kCylinderBits) - 1;
// IVF indexes are trained once this many codes per inverted list are waiting.
constexpr std::size_t kTrainingCodesPerList = 32;
// Geometric voting: two hits agree when the rotations they imply differ by at most
// kConsistentTurn and the anchor hit's rotation and translation carry the other hit's probe
// minutia to within kConsistentDistance of its gallery minutia. Wide enough for the elastic
// distortion of a plain impression over a cylinder's neighbourhood (R = 70 px), narrow
// enough that chance neighbours rarely agree.
constexpr float kConsistentTurn = std::numbers::pi_v<float> / 8;
constexpr float kConsistentDistance = 24.0f;

float wrapped(float angle) {  // into (-pi, pi]
  constexpr float two_pi = 2 * std::numbers::pi_v<float>;
  angle = std::fmod(angle, two_pi);
  if (angle > std::numbers::pi_v<float>) angle -= two_pi;
  if (angle <= -std::numbers::pi_v<float>) angle += two_pi;
  return angle;
}

// Best first, ties by slot so that results do not depend on hash-map order.
bool better_vote(const std::pair<std::uint32_t, double>& a, const std::pair<std::uint32_t, double>& b) {
  return a.second != b.second ? a.second > b.second : a.first < b.first;
}

long rank_of(const std::vector<std::pair<std::uint32_t, double>>& scored, std::uint32_t slot) {
  const auto it = std::find_if(scored.begin(), scored.end(), [&](const auto& e) { return e.first == slot; });
  if (it == scored.end()) return -1;
  long rank = 0;
  for (const auto& e : scored) rank += better_vote(e, *it) ? 1 : 0;
  return rank;
}

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
  return sha256_hex("finger-index-2|" + factory_ + "|" + coder_.parameters_hash());
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

void FingerprintIndex::encode(const ridge::FingerTemplate& finger, Slot& slot,
                              std::vector<std::uint8_t>& codes) const {
  const auto set = match::make_cylinders(finger.minutiae, mcc_);
  const int n = std::min(set.size(), kMaxCylinders);
  codes.clear();
  slot.directions.assign(set.direction.begin(), set.direction.begin() + n);
  slot.positions.clear();
  for (int c = 0; c < n; ++c) {
    slot.positions.push_back(std::int16_t(std::lround(set.x[std::size_t(c)])));
    slot.positions.push_back(std::int16_t(std::lround(set.y[std::size_t(c)])));
  }
  if (n < set.size()) {
    match::CylinderSet first = set;  // keep the first kMaxCylinders cylinders
    first.minutia.resize(std::size_t(n));
    first.values.resize(std::size_t(n) * std::size_t(set.cells));
    first.bits.resize(std::size_t(n) * std::size_t(set.words));
    coder_.encode(first, codes);
  } else {
    coder_.encode(set, codes);
  }
}

void FingerprintIndex::insert_codes(const std::vector<std::uint8_t>& codes,
                                    const std::vector<Id>& ids) {
  if (ids.empty()) return;
  std::vector<Locator> locators(ids.size());
  if (main_->is_trained()) {
    main_->add(ids.size(), codes.data(), ids.data(), locators.data());
    record_locators(ids, locators);
    return;
  }
  pending_->add(ids.size(), codes.data(), ids.data(), locators.data());
  record_locators(ids, locators);
  pending_codes_.insert(pending_codes_.end(), codes.begin(), codes.end());
  pending_ids_.insert(pending_ids_.end(), ids.begin(), ids.end());
  const std::size_t lists = std::max<std::size_t>(1, ivf_lists(factory_));
  if (pending_ids_.size() >= lists * kTrainingCodesPerList) {
    const auto training_started = std::chrono::steady_clock::now();
    // Train on an evenly strided sample of kTrainingCodesPerList codes per list: enough to
    // place the lists, and training time stays proportional to the list count.
    const std::size_t bytes = std::size_t(coder_.code_bytes());
    const std::size_t sample = lists * kTrainingCodesPerList;
    std::vector<std::uint8_t> training(sample * bytes);
    for (std::size_t i = 0; i < sample; ++i) {
      const std::size_t from = i * pending_ids_.size() / sample;
      std::memcpy(&training[i * bytes], &pending_codes_[from * bytes], bytes);
    }
    main_->train(sample, training.data());
    build_stats_.train_seconds += ms_since(training_started) / 1000.0;
    locators.resize(pending_ids_.size());
    main_->add(pending_ids_.size(), pending_codes_.data(), pending_ids_.data(), locators.data());
    record_locators(pending_ids_, locators);
    pending_codes_.clear();
    pending_codes_.shrink_to_fit();
    pending_ids_.clear();
    pending_ids_.shrink_to_fit();
    pending_ = make_binary_index("BFlat", code_parameters_.code_bits);
    main_->set_search_breadth(search_breadth_);
  }
}

void FingerprintIndex::record_locators(const std::vector<Id>& ids,
                                       const std::vector<Locator>& locators) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Slot& slot = slots_[std::size_t(ids[i] >> kCylinderBits)];
    if (!slot.alive) continue;  // replaced or removed while its codes waited for training
    slot.locators[std::size_t(ids[i] & kMaxCylinders)] = locators[i];
  }
}

const BinaryIndex& FingerprintIndex::code_store() const {
  return main_->is_trained() ? *main_ : *pending_;
}

void FingerprintIndex::add(const std::string& key, const ridge::FingerTemplate& finger) {
  add_batch({key}, {finger});
}

void FingerprintIndex::add_batch(const std::vector<std::string>& keys,
                                 const std::vector<ridge::FingerTemplate>& fingers) {
  TP_CHECK(keys.size() == fingers.size(), kInvalidArgument,
           "add_batch got " << keys.size() << " keys for " << fingers.size() << " templates");
  for (const auto& key : keys) TP_CHECK(!key.empty(), kInvalidArgument, "template key is empty");
  // Everything that can fail on bad input happens before the index changes.
  const auto encode_started = std::chrono::steady_clock::now();
  std::vector<Slot> encoded(fingers.size());
  std::vector<std::vector<std::uint8_t>> encoded_codes(fingers.size());
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 16)
  for (std::ptrdiff_t i = 0; i < std::ptrdiff_t(fingers.size()); ++i) {
    try {
      ridge::FingerTemplate scaled = at_500ppi(fingers[std::size_t(i)]);
      Slot& s = encoded[std::size_t(i)];
      encode(scaled, s, encoded_codes[std::size_t(i)]);
      s.minutiae = std::move(scaled.minutiae);
      s.width = scaled.width;
      s.height = scaled.height;
    } catch (...) {
#pragma omp critical(tuskprint_index_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  build_stats_.encode_seconds += ms_since(encode_started) / 1000.0;

  const auto insert_started = std::chrono::steady_clock::now();
  const double training_before = build_stats_.train_seconds;
  std::vector<std::uint8_t> codes;
  std::vector<Id> ids;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::uint32_t slot = slot_for(keys[i]);
    Slot& s = slots_[slot];
    s.minutiae = std::move(encoded[i].minutiae);
    s.locators.assign(encoded[i].directions.size(), Locator(0));
    s.directions = std::move(encoded[i].directions);
    s.positions = std::move(encoded[i].positions);
    s.width = encoded[i].width;
    s.height = encoded[i].height;
    codes.insert(codes.end(), encoded_codes[i].begin(), encoded_codes[i].end());
    encoded_codes[i] = {};
    for (std::size_t c = 0; c < s.directions.size(); ++c) {
      ids.push_back((Id(slot) << kCylinderBits) | Id(c));
    }
  }
  insert_codes(codes, ids);
  build_stats_.insert_seconds += ms_since(insert_started) / 1000.0 -
                                 (build_stats_.train_seconds - training_before);
}

bool FingerprintIndex::remove(const std::string& key) {
  const auto it = slot_of_key_.find(key);
  if (it == slot_of_key_.end()) return false;
  Slot& slot = slots_[it->second];
  slot.alive = false;
  slot.minutiae.clear();
  slot.minutiae.shrink_to_fit();
  slot.locators.clear();
  slot.locators.shrink_to_fit();
  slot.directions.clear();
  slot.directions.shrink_to_fit();
  slot.positions.clear();
  slot.positions.shrink_to_fit();
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
             s.locators.capacity() * sizeof(Locator) + s.directions.capacity() * sizeof(float) +
             s.positions.capacity() * sizeof(std::int16_t);
  }
  bytes += slot_of_key_.size() * (sizeof(std::string) + sizeof(std::uint32_t) + 16);
  return bytes;
}

// One retrieved neighbour: probe cylinder `probe` found gallery cylinder `gallery` of `slot`.
struct FingerprintIndex::Hit {
  std::uint32_t slot;
  std::uint16_t probe;
  std::uint16_t gallery;
  float weight;
};

// Every probe cylinder adds, per template, the rank weight of its best neighbour there.
FingerprintIndex::Votes FingerprintIndex::count_votes(const std::vector<Hit>& hits) {
  Votes votes;
  for (std::size_t b = 0; b < hits.size();) {
    const std::uint32_t slot = hits[b].slot;
    double sum = 0;
    std::size_t e = b;
    while (e < hits.size() && hits[e].slot == slot) {
      const std::uint16_t probe = hits[e].probe;
      float best = 0;
      for (; e < hits.size() && hits[e].slot == slot && hits[e].probe == probe; ++e) {
        best = std::max(best, hits[e].weight);
      }
      sum += best;
    }
    votes.emplace_back(slot, sum);
    b = e;
  }
  return votes;
}

FingerprintIndex::Votes FingerprintIndex::geometric_votes(
    const std::vector<Hit>& hits, const match::CylinderSet& probe) const {
  Votes votes;
  const float max_distance2 = kConsistentDistance * kConsistentDistance;
  for (std::size_t b = 0; b < hits.size();) {
    const std::uint32_t slot_index = hits[b].slot;
    std::size_t e = b;
    while (e < hits.size() && hits[e].slot == slot_index) ++e;
    const Slot& slot = slots_[slot_index];
    double best_sum = 0;
    for (std::size_t a = b; a < e; ++a) {
      // The anchor's rigid transform: gallery = R(turn) * probe + (tx, ty).
      const Hit& anchor = hits[a];
      const float turn = wrapped(slot.directions[anchor.gallery] - probe.direction[anchor.probe]);
      const float c = std::cos(turn), s = std::sin(turn);
      const float tx = float(slot.positions[2u * anchor.gallery]) -
                       (c * probe.x[anchor.probe] - s * probe.y[anchor.probe]);
      const float ty = float(slot.positions[2u * anchor.gallery + 1]) -
                       (s * probe.x[anchor.probe] + c * probe.y[anchor.probe]);
      double sum = 0;
      for (std::size_t h = b; h < e;) {
        const std::uint16_t probe_cylinder = hits[h].probe;
        float best = 0;
        for (; h < e && hits[h].probe == probe_cylinder; ++h) {
          const Hit& hit = hits[h];
          if (hit.weight <= best) continue;
          const float hit_turn = wrapped(slot.directions[hit.gallery] - probe.direction[hit.probe]);
          if (std::fabs(wrapped(hit_turn - turn)) > kConsistentTurn) continue;
          const float px = c * probe.x[hit.probe] - s * probe.y[hit.probe] + tx;
          const float py = s * probe.x[hit.probe] + c * probe.y[hit.probe] + ty;
          const float dx = px - float(slot.positions[2u * hit.gallery]);
          const float dy = py - float(slot.positions[2u * hit.gallery + 1]);
          if (dx * dx + dy * dy <= max_distance2) best = hit.weight;
        }
        sum += best;
      }
      best_sum = std::max(best_sum, sum);
    }
    votes.emplace_back(slot_index, best_sum);
    b = e;
  }
  return votes;
}

std::vector<FingerCandidate> FingerprintIndex::search(const ridge::FingerTemplate& probe_template,
                                                      const FingerSearchOptions& options,
                                                      FingerSearchStats* stats) const {
  TP_CHECK(options.top_k > 0 && options.neighbours > 0 && options.rerank > 0 &&
               options.shortlist > 0,
           kInvalidArgument, "search needs top_k, neighbours, shortlist and rerank > 0");
  TP_CHECK(options.small_probe_cylinders >= 0 && options.small_probe_rerank >= 0 &&
               options.small_probe_shortlist >= 0 && options.shortlist_per_million >= 0,
           kInvalidArgument,
           "search needs small_probe_cylinders, small_probe_shortlist, small_probe_rerank and "
           "shortlist_per_million >= 0");
  TP_CHECK(options.probe_hits >= 0, kInvalidArgument,
           "search needs probe_hits >= 0, got " << options.probe_hits);
  TP_CHECK(options.rerank_by_vote >= 0 && options.rerank_by_vote <= options.rerank &&
               options.vote_rank_scale >= 0,
           kInvalidArgument,
           "search needs 0 <= rerank_by_vote <= rerank and vote_rank_scale >= 0, got "
               << options.rerank_by_vote << ", " << options.rerank << ", " << options.vote_rank_scale);
  TP_CHECK(options.voting == Voting::kCount || options.voting == Voting::kGeometric,
           kInvalidArgument, "unknown voting scheme " << int(options.voting));
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
  const auto traced = slot_of_key_.find(options.trace_key);
  const bool tracing = !options.trace_key.empty() && traced != slot_of_key_.end();

  // Stage 1: nearest codes of every probe cylinder; each is a hit weighted by its rank
  // (cylinder codes differ in density, so a fixed Hamming distance means different things;
  // the order of the neighbours does not).
  const std::size_t n = std::size_t(std::min(cylinders.size(), kMaxCylinders));
  const int k = std::max(options.neighbours, options.probe_hits / int(n));
  std::vector<Hit> hits;
  auto collect = [&](const BinaryIndex& index) {
    if (index.size() == 0) return;
    std::vector<std::int32_t> distances(n * std::size_t(k));
    std::vector<Id> ids(n * std::size_t(k));
    index.search(n, codes.data(), k, distances.data(), ids.data());
    for (std::size_t q = 0; q < n; ++q) {
      for (int j = 0; j < k; ++j) {
        const Id id = ids[q * std::size_t(k) + std::size_t(j)];
        if (id < 0) continue;
        const auto slot = std::uint32_t(id >> kCylinderBits);
        const auto gallery = std::uint16_t(id & kMaxCylinders);
        if (slot >= slots_.size() || !slots_[slot].alive) continue;
        if (gallery >= slots_[slot].directions.size()) continue;
        hits.push_back(Hit{slot, std::uint16_t(q), gallery,
                           options.vote_rank_scale > 0
                               ? float(std::exp(-double(j) / options.vote_rank_scale))
                               : 1.0f});
      }
    }
  };
  collect(*main_);
  if (pending_ != nullptr) collect(*pending_);
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.slot != b.slot) return a.slot < b.slot;
    if (a.probe != b.probe) return a.probe < b.probe;
    return a.weight > b.weight;
  });
  std::vector<std::pair<std::uint32_t, double>> ranked =
      options.voting == Voting::kCount ? count_votes(hits) : geometric_votes(hits, cylinders);
  st.voted_templates = ranked.size();
  if (tracing) st.trace_vote_rank = rank_of(ranked, traced->second);
  // Stage sizes: small probes and large galleries get longer lists (see the options).
  const bool small_probe = cylinders.size() < options.small_probe_cylinders;
  const std::size_t by_gallery =
      std::size_t(std::ceil(double(live_) * double(options.shortlist_per_million) / 1e6));
  const std::size_t wanted_shortlist = std::max<std::size_t>(
      {by_gallery, std::size_t(options.shortlist),
       small_probe ? std::size_t(options.small_probe_shortlist) : std::size_t(0)});
  const std::size_t wanted_rerank = std::max<std::size_t>(
      std::size_t(options.rerank), small_probe ? std::size_t(options.small_probe_rerank) : std::size_t(0));
  const std::size_t shortlist = std::min<std::size_t>(ranked.size(), wanted_shortlist);
  std::partial_sort(ranked.begin(), ranked.begin() + std::ptrdiff_t(shortlist), ranked.end(),
                    better_vote);
  ranked.resize(shortlist);

  // Stage 2: the shortlist scored on the stored codes (LSS over code similarities), optionally
  // blended with the retrieval vote relative to the best one.
  std::vector<float> probe_directions(cylinders.direction.begin(), cylinders.direction.end());
  const double top_vote = ranked.empty() ? 1.0 : std::max(ranked.front().second, 1e-9);
  std::vector<std::pair<std::uint32_t, double>> code_ranked;
  code_ranked.reserve(ranked.size());
  std::vector<std::uint8_t> scratch;
  for (const auto& [slot, vote] : ranked) {
    const double code = code_score(codes, probe_directions, slots_[slot], scratch);
    code_ranked.emplace_back(slot, code + options.vote_weight_in_shortlist * vote / top_vote);
  }
  st.code_scored = code_ranked.size();
  if (tracing) st.trace_shortlist_rank = rank_of(code_ranked, traced->second);
  std::unordered_map<std::uint32_t, double> vote_of(ranked.begin(), ranked.end());
  std::sort(code_ranked.begin(), code_ranked.end(), better_vote);
  // The re-ranked set: the best-voted first (ranked is in vote order), then the best by code.
  std::vector<std::pair<std::uint32_t, double>> chosen;
  std::unordered_map<std::uint32_t, bool> taken;
  const std::size_t rerank = std::min<std::size_t>(code_ranked.size(), wanted_rerank);
  for (std::size_t i = 0; i < ranked.size() && chosen.size() < std::size_t(options.rerank_by_vote); ++i) {
    chosen.push_back(ranked[i]);
    taken[ranked[i].first] = true;
  }
  for (std::size_t i = 0; i < code_ranked.size() && chosen.size() < rerank; ++i) {
    if (taken.emplace(code_ranked[i].first, true).second) chosen.push_back(code_ranked[i]);
  }
  code_ranked = std::move(chosen);
  if (tracing) st.trace_reranked = taken.count(traced->second) != 0;
  st.retrieval_ms = ms_since(started);

  // Stage 3: re-ranking by the exact matcher.
  const auto rerank_started = std::chrono::steady_clock::now();
  std::vector<FingerCandidate> out;
  out.reserve(code_ranked.size());
  for (const auto& entry : code_ranked) {
    const Slot& slot = slots_[entry.first];
    ridge::FingerTemplate gallery;
    gallery.minutiae = slot.minutiae;
    gallery.width = slot.width;
    gallery.height = slot.height;
    gallery.ppi = 500;
    const match::MatchTemplate candidate(gallery, mcc_);
    const double s = match::score(probe, candidate, options.mode);
    if (s >= options.min_score) out.push_back(FingerCandidate{slot.key, s, vote_of[entry.first]});
  }
  st.reranked = code_ranked.size();
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
  if (tracing) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].key == options.trace_key) st.trace_final_rank = long(i);
    }
  }
  if (out.size() > std::size_t(options.top_k)) out.resize(std::size_t(options.top_k));
  st.rerank_ms = ms_since(rerank_started);
  return out;
}

double FingerprintIndex::code_score(const std::vector<std::uint8_t>& probe_codes,
                                    const std::vector<float>& probe_directions,
                                    const Slot& slot, std::vector<std::uint8_t>& scratch) const {
  const std::size_t np = probe_directions.size(), ng = slot.directions.size();
  if (np == 0 || ng == 0) return 0;
  const std::size_t bytes = std::size_t(coder_.code_bytes());
  const BinaryIndex& store = code_store();
  scratch.resize(ng * bytes);
  for (std::size_t c = 0; c < ng; ++c) std::memcpy(&scratch[c * bytes], store.code_at(slot.locators[c]), bytes);
  std::vector<float> similarities;
  similarities.reserve(np * ng);
  hamming::code_similarities(probe_codes.data(), probe_directions.data(), np, scratch.data(),
                    slot.directions.data(), ng, std::size_t(coder_.code_bytes()),
                    mcc_.max_direction_difference, similarities);
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
  return checksummed_bytes("", [&](ByteSink& out) { write(out); });
}

std::unique_ptr<FingerprintIndex> FingerprintIndex::deserialize(std::string_view bytes) {
  std::unique_ptr<FingerprintIndex> index;
  read_checksummed_bytes(bytes, "", "fingerprint index", [&](ByteSource& in) { index = read(in); });
  return index;
}

void FingerprintIndex::write(ByteSink& w) const {
  w.write(kTag.data(), kTag.size());
  w.put_string(configuration_hash());
  w.put_string(factory_);
  w.put<std::uint8_t>(std::uint8_t(code_parameters_.kind));
  w.put<std::int32_t>(code_parameters_.cells_per_projection);
  w.put<std::int32_t>(code_parameters_.code_bits);
  w.put<float>(code_parameters_.inner_radius);
  w.put<std::uint64_t>(code_parameters_.seed);
  if (code_parameters_.kind == CylinderCodeKind::kPatchProjection) {
    w.put<float>(code_parameters_.patch_radius);
  }
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
    w.put<std::uint32_t>(std::uint32_t(s.directions.size()));
    for (float d : s.directions) w.put<float>(d);
    for (std::int16_t p : s.positions) w.put<std::int16_t>(p);
  }
  main_->write(w);
  w.put_string(std::string_view(reinterpret_cast<const char*>(pending_codes_.data()),
                                pending_codes_.size()));
  w.put<std::uint64_t>(pending_ids_.size());
  for (Id id : pending_ids_) w.put<Id>(id);
}

std::unique_ptr<FingerprintIndex> FingerprintIndex::read(ByteSource& r) {
  std::string tag(kTag.size(), '\0');
  r.read(tag.data(), tag.size(), "tag");
  TP_CHECK(tag != kTagWithoutPositions, kFailedPrecondition,
           "fingerprint index file is in the older TPFIDX3 format (no cylinder positions for "
           "geometric voting); rebuild it from the catalog");
  TP_CHECK(tag != kTagWithCodeCopies, kFailedPrecondition,
           "fingerprint index file is in the older TPFIDX4 format (a second copy of every "
           "cylinder code); rebuild it from the catalog");
  TP_CHECK(tag != kTagNested, kFailedPrecondition,
           "fingerprint index file is in the older TPFIDX5 format (not streamable); rebuild it "
           "from the catalog");
  TP_CHECK(tag == kTag, kDataLoss, r.what() << " has a bad tag");
  const std::string hash = r.get_string("configuration hash");
  const std::string factory = r.get_string("factory");
  CylinderCodeParameters code;
  code.kind = CylinderCodeKind(r.get<std::uint8_t>("code kind"));
  code.cells_per_projection = r.get<std::int32_t>("cells per projection");
  code.code_bits = r.get<std::int32_t>("code bits");
  code.inner_radius = r.get<float>("inner radius");
  code.seed = r.get<std::uint64_t>("seed");
  if (code.kind == CylinderCodeKind::kPatchProjection) code.patch_radius = r.get<float>("patch radius");
  auto index = std::make_unique<FingerprintIndex>(factory, code);
  TP_CHECK(index->configuration_hash() == hash, kFailedPrecondition,
           "fingerprint index file was built with another configuration");
  const auto slots = r.get<std::uint64_t>("slot count");
  TP_CHECK(slots <= r.remaining(), kDataLoss, "fingerprint index file slot count is inconsistent");
  index->slots_.reserve(slots);
  for (std::uint64_t i = 0; i < slots; ++i) {
    Slot s;
    s.key = r.get_string("key");
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
    const auto directions = r.get<std::uint32_t>("direction count");
    TP_CHECK(directions <= std::uint32_t(kMaxCylinders), kDataLoss,
             "fingerprint index file cylinder count is inconsistent");
    s.directions.resize(directions);
    for (auto& d : s.directions) d = r.get<float>("direction");
    s.positions.resize(2 * std::size_t(directions));
    for (auto& p : s.positions) p = r.get<std::int16_t>("position");
    if (s.alive) {
      index->slot_of_key_[s.key] = std::uint32_t(index->slots_.size());
      ++index->live_;
    }
    index->slots_.push_back(std::move(s));
  }
  index->main_ = read_binary_index(r);
  index->main_->set_search_breadth(index->search_breadth_);
  const std::string pending = r.get_string("pending codes");
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
  // Every live cylinder's code is in the code store exactly once: find where.
  constexpr Locator kUnset = ~Locator(0);
  for (auto& s : index->slots_) s.locators.assign(s.alive ? s.directions.size() : 0, kUnset);
  index->code_store().for_each_code([&](Id id, Locator where) {
    const auto slot = std::size_t(id >> kCylinderBits), cylinder = std::size_t(id & kMaxCylinders);
    TP_CHECK(id >= 0 && slot < index->slots_.size(), kDataLoss,
             "fingerprint index file holds a code of an unknown template");
    Slot& s = index->slots_[slot];
    if (s.alive && cylinder < s.locators.size()) s.locators[cylinder] = where;
  });
  for (const auto& s : index->slots_) {
    TP_CHECK(std::find(s.locators.begin(), s.locators.end(), kUnset) == s.locators.end(), kDataLoss,
             "fingerprint index file lacks the codes of template '" << s.key << "'");
  }
  return index;
}

}  // namespace tuskprint::index
