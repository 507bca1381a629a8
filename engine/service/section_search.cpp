#include "service/section_search.hpp"

#include <algorithm>
#include <mutex>

#include "core/error.hpp"
#include "index/byte_io.hpp"
#include "schreger/link_ranking.hpp"
#include "schreger/measure.hpp"

namespace tuskprint::service {
namespace {

constexpr const char* kFileTag = "TPSSRCH2";  // 1: one string, read whole
constexpr std::size_t kReplayBatch = 1024;
// An IVF index is trained once this many faces are waiting (until then they are searched
// exhaustively); FAISS wants tens of points per list.
constexpr std::size_t kMinTrainingFaces = 4096;

// What the gallery keeps per face: the descriptor (also in the FAISS index), the packed
// pattern map, from which the re-ranking transforms are made on demand, and the outline
// profile (the face's size, for the cut order).
struct StoredFace {
  std::vector<float> descriptor;
  std::string pattern;  // pack_pattern_map bytes
  int rows = 0, cols = 0;
  std::vector<float> outline_mm;
};

StoredFace stored_face_of(const v1::SchregerProfile& profile, const std::string& scan_id) {
  const schreger::SchregerParams params;
  schreger::LinkFeatures f;
  try {
    f = schreger::link_features_from_profile(profile, params);
  } catch (const Error& e) {
    throw Error(e.code(), "stored Schreger profile of scan " + scan_id + ": " + e.what());
  }
  return {f.descriptor, profile.link_pattern_map(), int(profile.link_pattern_rows()),
          int(profile.link_pattern_cols()), f.outline_mm};
}

}  // namespace

catalog::FeatureRecord schreger_feature_record(const image::DecodedImage& scan, double ppi) {
  const schreger::SchregerResult r = schreger::measure(scan, ppi);
  catalog::FeatureRecord record;
  record.modality = kSchregerModality;
  record.extractor_version = r.profile.extractor_version();
  record.parameters_hash = r.profile.parameters_hash();
  record.data = r.profile.SerializeAsString();
  // Only a face with a Schreger pattern can be linked; look-alikes and blank images are kept
  // as evidence with their call, unindexed.
  record.searchable = r.species != schreger::SpeciesCall::kNotIvory && !r.link.descriptor.empty() &&
                      !r.link.pattern_map.empty();
  return record;
}

catalog::FeatureRecord schreger_feature_record(std::string_view image_bytes, double ppi,
                                               const image::DecodeLimits& limits) {
  return schreger_feature_record(image::decode(image_bytes, limits), ppi);
}

SectionSearch::SectionSearch(catalog::Catalog& catalog, std::string factory)
    : FeatureLogFollower(catalog, kSchregerModality, "section.idx", kFileTag, "section index file", kReplayBatch),
      factory_(factory.empty() ? "Flat" : std::move(factory)) {
  // Refuse a bad factory string now rather than at the first open().
  index::make_float_index(factory_, schreger::kLinkDescriptorSize, index::FloatMetric::kL2);
}

void SectionSearch::reset_locked() {
  index_ = index::make_float_index(factory_, schreger::kLinkDescriptorSize, index::FloatMetric::kL2);
  entries_.clear();
  live_.clear();
}

SectionIndexStatus SectionSearch::open() {
  std::unique_lock lock(mutex_);
  SectionIndexStatus status;
  status.how_opened = open_locked();
  status.sections = live_.size();
  status.catalog_seq = catalog_seq_locked();
  return status;
}

void SectionSearch::read_locked(index::ByteSource& in) {
  TP_CHECK(in.get_string("parameters hash") == schreger::SchregerParams{}.hash(), kFailedPrecondition,
           "index was built from profiles of another Schreger parameter set");
  auto loaded = index::read_float_index(in);
  TP_CHECK(loaded->factory() == factory_, kFailedPrecondition,
           "index was built as " << loaded->factory() << ", configuration asks for " << factory_);
  const auto count = in.get<std::uint64_t>("entry count");
  TP_CHECK(count <= in.remaining(), kDataLoss, "section index file is truncated (entry count)");
  std::vector<Entry> entries;
  entries.reserve(count);
  std::size_t indexed = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    Entry e;
    e.scan_id = in.get_string("scan id");
    const auto flags = in.get<std::uint8_t>("flags");
    e.removed = (flags & 1) != 0;
    e.in_index = (flags & 2) != 0;
    e.face = in.get_string("face");
    const auto n = in.get<std::uint32_t>("descriptor size");
    TP_CHECK(n == std::uint32_t(schreger::kLinkDescriptorSize), kDataLoss, "section index entry has a bad descriptor size");
    e.descriptor.resize(n);
    in.read(e.descriptor.data(), n * sizeof(float), "descriptor");
    indexed += e.in_index;
    entries.push_back(std::move(e));
  }
  TP_CHECK(indexed == loaded->size(), kDataLoss,
           "index lists " << indexed << " indexed faces but its descriptor index holds " << loaded->size());
  index_ = std::move(loaded);
  entries_ = std::move(entries);
  live_.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (!entries_[i].removed) live_[entries_[i].scan_id] = index::Id(i);
}

void SectionSearch::write_locked(index::ByteSink& out) const {
  out.put_string(schreger::SchregerParams{}.hash());
  index_->write(out);
  out.put<std::uint64_t>(entries_.size());
  for (const Entry& e : entries_) {
    out.put_string(e.scan_id);
    out.put<std::uint8_t>(std::uint8_t((e.removed ? 1 : 0) | (e.in_index ? 2 : 0)));
    out.put_string(e.face);
    out.put<std::uint32_t>(std::uint32_t(e.descriptor.size()));
    out.write(e.descriptor.data(), e.descriptor.size() * sizeof(float));
  }
}

void SectionSearch::add_locked(const std::string& scan_id, std::string profile_bytes) {
  v1::SchregerProfile profile;
  TP_CHECK(profile.ParseFromString(profile_bytes), kDataLoss, "stored Schreger profile of scan " << scan_id << " is corrupt");
  const StoredFace face = stored_face_of(profile, scan_id);
  remove_locked(scan_id);
  index::ByteWriter w;
  w.put<std::int32_t>(face.rows);
  w.put<std::int32_t>(face.cols);
  w.put_string(face.pattern);
  w.put<std::uint32_t>(std::uint32_t(face.outline_mm.size()));
  w.write(face.outline_mm.data(), face.outline_mm.size() * sizeof(float));
  const index::Id id = index::Id(entries_.size());
  entries_.push_back({scan_id, std::move(w.bytes()), face.descriptor, false, false});
  live_[scan_id] = id;
  if (index_->is_trained()) {
    index_->add(1, face.descriptor.data(), &id);
    entries_.back().in_index = true;
  }
}

void SectionSearch::index_pending_locked() {
  std::vector<float> vectors;
  std::vector<index::Id> ids;
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (!entries_[i].in_index) {
      vectors.insert(vectors.end(), entries_[i].descriptor.begin(), entries_[i].descriptor.end());
      ids.push_back(index::Id(i));
    }
  if (ids.empty()) return;
  if (!index_->is_trained()) {
    if (ids.size() < kMinTrainingFaces) return;
    index_->train(ids.size(), vectors.data());
  }
  index_->add(ids.size(), vectors.data(), ids.data());
  for (index::Id id : ids) entries_[std::size_t(id)].in_index = true;
}

void SectionSearch::remove_locked(const std::string& scan_id) {
  const auto it = live_.find(scan_id);
  if (it == live_.end()) return;
  entries_[std::size_t(it->second)].removed = true;
  live_.erase(it);
}

void SectionSearch::apply_locked(const std::vector<catalog::FeatureEvent>& events) {
  for (const auto& e : events) {
    if (e.add)
      add_locked(e.scan_id, e.feature.data);
    else
      remove_locked(e.scan_id);
  }
  index_pending_locked();
}

std::vector<SectionCandidate> SectionSearch::search(const v1::SchregerProfile& probe,
                                                    const SectionSearchOptions& options) {
  return search(schreger::link_features_from_profile(probe), options);
}

std::vector<SectionCandidate> SectionSearch::search(const schreger::LinkFeatures& probe,
                                                    const SectionSearchOptions& options) {
  TP_CHECK(options.k >= 1 && options.k <= 1000, kInvalidArgument, "k must be 1..1000, got " << options.k);
  TP_CHECK(options.shortlist >= options.k && options.shortlist <= 10000, kInvalidArgument,
           "shortlist must be k.." << 10000 << ", got " << options.shortlist);
  TP_CHECK(probe.descriptor.size() == std::size_t(schreger::kLinkDescriptorSize) && !probe.pattern_map.empty(),
           kInvalidArgument, "probe has no link features (no section or no Schreger pattern was measured)");
  const schreger::SchregerParams params;
  const schreger::LinkFace probe_face = schreger::prepare_link_face(probe, params, true);
  catch_up();
  std::shared_lock lock(mutex_);
  if (live_.empty()) return {};
  // Shortlist: the descriptor index (removed faces stay in it as tombstones, so ask for
  // enough to fill the shortlist with live ones) plus any faces still waiting for an IVF
  // index to be trained, searched exhaustively.
  std::vector<std::pair<float, index::Id>> shortlist;
  const std::size_t indexed = index_->size();
  if (indexed > 0) {
    const std::size_t removed = entries_.size() - live_.size();
    const int fetch = int(std::min<std::size_t>(indexed, std::size_t(options.shortlist) + removed));
    std::vector<float> distances(static_cast<std::size_t>(fetch));
    std::vector<index::Id> ids(static_cast<std::size_t>(fetch));
    index_->search(1, probe.descriptor.data(), fetch, distances.data(), ids.data());
    for (int i = 0; i < fetch; ++i)
      if (ids[std::size_t(i)] >= 0 && !entries_[std::size_t(ids[std::size_t(i)])].removed)
        shortlist.emplace_back(distances[std::size_t(i)], ids[std::size_t(i)]);
  }
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (!entries_[i].in_index && !entries_[i].removed)
      shortlist.emplace_back(float(schreger::descriptor_distance(probe.descriptor, entries_[i].descriptor)), index::Id(i));
  std::sort(shortlist.begin(), shortlist.end());
  if (shortlist.size() > std::size_t(options.shortlist)) shortlist.resize(std::size_t(options.shortlist));

  // Ranking (schreger::rank_link_candidates): the 1:1 link score of every shortlisted face, then
  // the cut order of those clearly of the probe's tusk; faces are unpacked on demand.
  auto face_of = [&](std::size_t i, bool with_mirrored) {
    const Entry& e = entries_[std::size_t(shortlist[i].second)];
    index::ByteReader r(e.face, "section face");
    const auto rows = r.get<std::int32_t>("rows");
    const auto cols = r.get<std::int32_t>("cols");
    schreger::LinkFeatures f;
    f.pattern_map = schreger::unpack_pattern_map(std::string(r.get_string("pattern map")), rows, cols);
    const auto outline = r.get<std::uint32_t>("outline size");
    TP_CHECK(outline == 0 || outline == std::uint32_t(cols), kDataLoss,
             "section face outline has " << outline << " columns, its pattern map " << cols);
    f.outline_mm.resize(outline);
    r.read(f.outline_mm.data(), outline * sizeof(float), "outline");
    f.descriptor = e.descriptor;
    return schreger::prepare_link_face(f, params, with_mirrored);
  };
  const schreger::LinkRanking ranking = schreger::rank_link_candidates(probe_face, shortlist.size(), face_of, params);
  std::vector<SectionCandidate> out;
  for (const schreger::RankedLink& r : ranking.candidates) {
    const Entry& e = entries_[std::size_t(shortlist[r.candidate].second)];
    const schreger::LinkComparison& c = r.comparison;
    const schreger::PatternAlignment& best = c.mirrored_fits_better ? c.mirrored : c.plain;
    const schreger::SizeStep& outline = c.mirrored_fits_better ? c.outline_mirrored : c.outline_plain;
    out.push_back({e.scan_id, c.score, c.descriptor_distance, c.mirrored_fits_better, best.rotation_deg,
                   r.adjacent_in_order, r.fills_gap,
                   c.size.columns > 0 ? std::optional<double>(c.size.step_mm) : std::nullopt,
                   outline.columns > 0 ? std::optional<double>(outline.residual_mm) : std::nullopt});
    if (int(out.size()) == options.k) break;
  }
  return out;
}

std::size_t SectionSearch::size() const {
  std::shared_lock lock(mutex_);
  return live_.size();
}

void SectionSearch::set_search_breadth(int breadth) {
  std::unique_lock lock(mutex_);
  index_->set_search_breadth(breadth);
}

}  // namespace tuskprint::service
