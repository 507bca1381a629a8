#pragma once
// 1:N fingerprint search: every valid MCC cylinder of every enrolled template becomes a
// compact binary code in a BinaryIndex; a probe's cylinders retrieve their nearest codes and
// vote for the templates they belong to; the best-voted templates are re-ranked by the exact
// 1:1 matcher (LSS-R). Templates are keyed by a string (the scan id).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/binary_index.hpp"
#include "index/cylinder_code.hpp"
#include "match/matcher.hpp"
#include "ridge/template.hpp"

namespace tuskprint::index {

// How the nearest codes of the probe's cylinders become a template's retrieval score.
enum class Voting : std::uint8_t {
  // Every probe cylinder adds its best rank weight in the template (plain hit counting).
  kCount = 1,
  // Every hit implies a rotation and translation from probe to template; a template scores
  // the largest set of hits that agree on one (hits of chance neighbours scatter, hits of a
  // mate line up), so a template with many minutiae no longer wins by sheer number.
  kGeometric = 2,
};

struct FingerSearchOptions {
  int top_k = 10;             // candidates returned
  // Nearest codes retrieved per probe cylinder (at least). 512: at 10^5 templates the mate
  // then gets a vote from 98 % of probes (128: 94 %); 1,024 and 2,048 add more chance votes
  // than mate votes (tuskprint-bench-search, README "Measured").
  int neighbours = 512;
  // When > 0, a probe with few cylinders retrieves more per cylinder: k = max(neighbours,
  // probe_hits / cylinders), so small (partial) probes cast as many votes as large ones.
  int probe_hits = 0;
  int shortlist = 400;        // best-voted templates scored on their codes (stage 2)
  // The shortlist is at least this many per million live templates: chance votes grow with
  // the gallery, so the list the mate has to stay on must grow too. 2,000: at 10^6 templates
  // rank-1 0.84 instead of 0.79 with 400 (p50 173 instead of 146 ms); below 2 x 10^5
  // templates `shortlist` decides. 0 = fixed shortlist.
  int shortlist_per_million = 2000;
  int rerank = 32;            // best of those re-scored by the exact matcher (stage 3)
  // Probes with fewer valid cylinders than this (small or partial prints, most latent marks)
  // have less distinctive codes and their mates rank lower in stages 1-2; they get a longer
  // shortlist and many more exact re-scores (0 = no special case). Large probes pay nothing.
  // 36 / 1,500 / 512 (tuskprint-bench-search): at 10^5 templates rank-1 0.99 (exhaustive 0.99;
  // 0.95 without the special case, 0.98 with 400 / 128), p50 82 ms, p99 467 ms; FVC2002 among
  // 10^4 distractors rank-1 0.948 (0.938 with 400 / 128), at about 0.45 s per small probe.
  int small_probe_cylinders = 36;
  int small_probe_shortlist = 1500;
  int small_probe_rerank = 512;
  double min_score = 0;       // candidates below this exact score are dropped
  match::Mode mode = match::Mode::kLssrBit;
  Voting voting = Voting::kGeometric;
  // Stage 2 ranks by code LSS plus this times the (normalised) retrieval vote; 0 = code LSS only.
  // 0.3: with patch codes at 10^5, rank-1 0.95 instead of 0.94.
  double vote_weight_in_shortlist = 0.3;
  // Of the `rerank` templates re-scored exactly, this many are the best-voted ones whatever
  // their code score; the rest are the best by code score.
  int rerank_by_vote = 4;
  // The j-th nearest code of a probe cylinder weighs exp(-j / vote_rank_scale); 0 = every
  // neighbour weighs 1 (geometric voting filters chance neighbours itself).
  double vote_rank_scale = 0;
  // Diagnostics: when set, stats report where this key stood after each stage.
  std::string trace_key;
};

struct FingerCandidate {
  std::string key;
  double score = 0;   // exact 1:1 score
  double votes = 0;   // retrieval vote (what put it on the short list)
};

struct FingerSearchStats {
  std::size_t probe_cylinders = 0;
  std::size_t voted_templates = 0;   // templates that received any vote
  std::size_t code_scored = 0;       // templates scored on their codes
  std::size_t reranked = 0;          // templates scored by the exact matcher
  double retrieval_ms = 0;
  double rerank_ms = 0;
  // Where options.trace_key stood (0 = first; -1 = absent): among all voted templates,
  // in the stage-2 order of the shortlist, and among the returned candidates.
  long trace_vote_rank = -1;
  long trace_shortlist_rank = -1;
  long trace_final_rank = -1;
  bool trace_reranked = false;  // whether it was among the templates re-scored exactly
};

// Where the time of add_batch went (accumulated over calls).
struct FingerBuildStats {
  double encode_seconds = 0;  // cylinders and codes of the templates
  double train_seconds = 0;   // IVF coarse quantiser
  double insert_seconds = 0;  // codes into the binary index (IVF: list assignment)
};

class FingerprintIndex {
 public:
  // `factory` is a FAISS binary factory string (see binary_index.hpp); empty = BFlat.
  explicit FingerprintIndex(std::string factory = "BFlat",
                            const CylinderCodeParameters& code = {},
                            const match::MccParameters& mcc = match::default_parameters());
  ~FingerprintIndex();

  // Enrols a template under `key`, replacing an earlier one with the same key. Templates
  // without a valid cylinder are kept (so the key is known) but cannot be found.
  void add(const std::string& key, const ridge::FingerTemplate& finger);
  // Many at once: trains an untrained IVF index on their codes first. Cylinders and codes are
  // computed on as many threads as set_index_threads allows.
  void add_batch(const std::vector<std::string>& keys,
                 const std::vector<ridge::FingerTemplate>& fingers);
  // Takes a template out of results at once. False when the key is unknown.
  bool remove(const std::string& key);
  bool contains(const std::string& key) const;

  // IVF lists visited / HNSW efSearch per query (a configuration, not a per-call option, so
  // that concurrent searches never write to the index).
  void set_search_breadth(int breadth);
  int search_breadth() const { return search_breadth_; }

  std::vector<FingerCandidate> search(const ridge::FingerTemplate& probe,
                                      const FingerSearchOptions& options = {},
                                      FingerSearchStats* stats = nullptr) const;

  std::size_t size() const { return live_; }           // templates that can be found
  std::size_t code_count() const;                      // codes in the binary index(es)
  std::size_t memory_bytes() const;  // codes and ids (stored once), kept minutiae, slots
  const FingerBuildStats& build_stats() const { return build_stats_; }
  const std::string& factory() const { return factory_; }
  // Identifies everything that decides what the index returns (codes, MCC parameters,
  // factory); a saved index with another hash is rebuilt, not trusted.
  std::string configuration_hash() const;

  // Self-describing (templates, keys and the FAISS index), streamed: a 10^6 gallery is about
  // 4 GB, written and read without a second copy in memory. read() throws Error(kDataLoss)
  // for truncated or inconsistent bytes and kFailedPrecondition for another configuration or
  // an older format.
  void write(ByteSink& out) const;
  static std::unique_ptr<FingerprintIndex> read(ByteSource& in);
  // The same as a byte string with its checksum, and its inverse.
  std::string serialize() const;
  static std::unique_ptr<FingerprintIndex> deserialize(std::string_view bytes);

 private:
  struct Slot {
    std::string key;
    std::vector<ridge::Minutia> minutiae;  // at 500 ppi
    // Per indexed cylinder: where its code is stored in the binary index (the codes are kept
    // once, there; stage 2 reads them back).
    std::vector<Locator> locators;
    std::vector<float> directions;         // per indexed cylinder: its minutia's direction
    std::vector<std::int16_t> positions;   // per indexed cylinder: x, y (px, y up, 500 ppi)
    int width = 0, height = 0;
    bool alive = false;
  };
  struct Hit;  // one retrieved neighbour (finger_index.cpp)
  using Votes = std::vector<std::pair<std::uint32_t, double>>;  // (slot, vote)
  static Votes count_votes(const std::vector<Hit>& hits);
  Votes geometric_votes(const std::vector<Hit>& hits, const match::CylinderSet& probe) const;
  std::uint32_t slot_for(const std::string& key);
  // Codes (into `codes`), directions and positions of the template's indexed cylinders.
  void encode(const ridge::FingerTemplate& finger, Slot& slot, std::vector<std::uint8_t>& codes) const;
  // The index that holds every live code: the pending one until an IVF index is trained.
  const BinaryIndex& code_store() const;
  // Local similarity sort on the codes: the mean of the best code similarities.
  double code_score(const std::vector<std::uint8_t>& probe_codes,
                    const std::vector<float>& probe_directions, const Slot& slot,
                    std::vector<std::uint8_t>& scratch) const;
  // Adds codes to the code store and records their locators in their slots.
  void insert_codes(const std::vector<std::uint8_t>& codes, const std::vector<Id>& ids);
  void record_locators(const std::vector<Id>& ids, const std::vector<Locator>& locators);

  std::string factory_;
  CylinderCodeParameters code_parameters_;
  match::MccParameters mcc_;
  CylinderCoder coder_;
  std::unique_ptr<BinaryIndex> main_;     // the configured index
  std::unique_ptr<BinaryIndex> pending_;  // exact side index while an IVF index awaits training
  std::vector<std::uint8_t> pending_codes_;
  std::vector<Id> pending_ids_;
  std::vector<Slot> slots_;
  std::unordered_map<std::string, std::uint32_t> slot_of_key_;
  std::size_t live_ = 0;
  // IVF lists visited: 128 of 4,000 at 10^5 finds what an exact scan finds (k = 512), at about
  // a third of the CPU of a search.
  int search_breadth_ = 128;
  FingerBuildStats build_stats_;
};

// Ids in the binary index: slot << kCylinderBits | cylinder.
inline constexpr int kCylinderBits = 8;

}  // namespace tuskprint::index
