#include "datasets/tusks/schreger_eval.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "datasets/tusks/tusk_set.hpp"
#include "image/decode.hpp"
#include "schreger/link_compare.hpp"
#include "schreger/link_ranking.hpp"
#include "schreger/measure.hpp"

namespace tuskprint::datasets::tusks {
namespace {

struct LinkEntry {
  std::string tusk;
  int slice;
  bool ivory;
  schreger::LinkFace face;
};

std::string truth_class(const SliceTruth& t, const schreger::SchregerParams& p) {
  if (t.species == "lookalike") return "lookalike";
  if (!t.cdj_visible) return "no-cdj";
  if (t.outer_angle_deg >= p.mammoth_below_deg && t.outer_angle_deg <= p.elephant_above_deg) return "band";
  return t.species;
}

// Every ivory face whose adjacent face (same tusk, slice index +-1) is in the gallery is a
// probe against all other faces: a descriptor shortlist, ranked by rank_link_candidates (the
// 1:1 link score, then the cut order of the faces clearly of the probe's tusk).
void score_linking(const std::vector<LinkEntry>& g, int shortlist, const schreger::SchregerParams& p, EvalReport& r) {
  int adjacent_ok = 0, same_ok = 0, probes = 0, descriptor_ok = 0, in_shortlist = 0, pair_ok = 0;
  long comparisons = 0;
  double seconds = 0;
  auto adjacent = [&](std::size_t a, std::size_t b) {
    return g[a].tusk == g[b].tusk && std::abs(g[a].slice - g[b].slice) == 1;
  };
  for (std::size_t q = 0; q < g.size(); ++q) {
    if (!g[q].ivory) continue;
    bool has_neighbour = false;
    for (std::size_t c = 0; c < g.size(); ++c)
      if (c != q && adjacent(q, c)) has_neighbour = true;
    if (!has_neighbour) continue;
    ++probes;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::pair<double, std::size_t>> dist;
    for (std::size_t c = 0; c < g.size(); ++c)
      if (c != q) dist.emplace_back(schreger::descriptor_distance(g[q].face.descriptor, g[c].face.descriptor), c);
    const std::size_t k = std::min<std::size_t>(std::size_t(shortlist), dist.size());
    std::partial_sort(dist.begin(), dist.begin() + k, dist.end(), [](auto& a, auto& b) { return a.first < b.first; });
    const schreger::LinkRanking ranking = schreger::rank_link_candidates(
        g[q].face, k, [&](std::size_t i, bool) { return g[dist[i].second].face; }, p);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    comparisons += ranking.pair_comparisons;
    if (!dist.empty() && g[dist[0].second].tusk == g[q].tusk) ++descriptor_ok;
    bool found = false;
    for (std::size_t i = 0; i < k; ++i) found = found || adjacent(q, dist[i].second);
    in_shortlist += found;
    if (ranking.candidates.empty()) continue;
    const std::size_t best_c = dist[ranking.candidates[0].candidate].second;
    if (g[best_c].tusk == g[q].tusk) {
      ++same_ok;
      if (adjacent(q, best_c)) ++adjacent_ok;
    }
    const auto by_pair = std::max_element(ranking.candidates.begin(), ranking.candidates.end(), [](auto& a, auto& b) {
      return a.comparison.score < b.comparison.score;
    });
    pair_ok += adjacent(q, dist[by_pair->candidate].second);
  }
  r.link_probes = probes;
  r.link_gallery = int(g.size());
  r.link_shortlist = shortlist;
  r.link_rank1_adjacent = probes > 0 ? double(adjacent_ok) / probes : 0.0;
  r.link_rank1_same_tusk = probes > 0 ? double(same_ok) / probes : 0.0;
  r.link_rank1_descriptor_only = probes > 0 ? double(descriptor_ok) / probes : 0.0;
  r.link_adjacent_in_shortlist = probes > 0 ? double(in_shortlist) / probes : 0.0;
  r.link_rank1_adjacent_pair_score = probes > 0 ? double(pair_ok) / probes : 0.0;
  r.link_ms_per_search = probes > 0 ? 1000.0 * seconds / probes : 0.0;
  r.link_comparisons_per_search = probes > 0 ? double(comparisons) / probes : 0.0;
}

}  // namespace

EvalReport evaluate_schreger_set(const std::string& dir, const EvalOptions& o, const schreger::SchregerParams& p) {
  const SetManifest m = load_manifest(dir);
  TP_CHECK(!m.slices_truth.empty(), kInvalidArgument, "manifest in " << dir << " lists no images");
  EvalReport r;
  std::vector<LinkEntry> gallery;
  double abs_sum = 0, bias_sum = 0, seconds = 0;
  int total = int(m.slices_truth.size()), done = 0;
  for (const SliceTruth& t : m.slices_truth) {
    EvalItem item;
    item.file = t.file;
    item.truth = truth_class(t, p);
    item.true_outer_deg = t.outer_angle_deg;
    try {
      const auto decoded = image::load_file((std::filesystem::path(dir) / t.file).string());
      const auto start = std::chrono::steady_clock::now();
      const schreger::SchregerResult res = schreger::measure(decoded, o.ppi > 0 ? o.ppi : t.ppi, p);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      item.predicted = schreger::to_string(res.species);
      item.measured_outer_deg = res.angles.outer_mean_deg;
      item.outer_count = res.angles.outer_count;
      item.cdj_found = res.cdj_found;
      item.confidence = res.confidence;
      if (t.species != "lookalike" && t.cdj_visible && res.cdj_found && res.angles.outer_count >= p.min_outer_angles) {
        const double e = res.angles.outer_mean_deg - t.outer_angle_deg;
        abs_sum += std::abs(e), bias_sum += e, ++r.angle_n;
      }
      // Linked as the server links it: from the features its stored profile keeps (the pattern
      // map packed to bytes), not from those of this measurement.
      if (o.link && !res.link.descriptor.empty() && !res.link.pattern_map.empty())
        gallery.push_back({t.tusk_id, t.slice_index, t.species != "lookalike",
                           schreger::prepare_link_face(schreger::link_features_from_profile(res.profile, p), p)});
    } catch (const std::exception& e) {
      item.predicted = "error";
      item.error = e.what();
      ++r.errors;
    }
    r.confusion[item.truth][item.predicted]++;
    r.items.push_back(item);
    if (o.progress) o.progress(++done, total);
  }
  r.images = total;
  r.seconds_per_image = seconds / std::max(1, total - r.errors);
  r.angle_mae_deg = r.angle_n > 0 ? abs_sum / r.angle_n : 0.0;
  r.angle_bias_deg = r.angle_n > 0 ? bias_sum / r.angle_n : 0.0;
  int outside_ok = 0, band_ind = 0, look_ok = 0;
  for (const EvalItem& it : r.items) {
    if (it.truth == "elephant" || it.truth == "mammoth") {
      ++r.outside_band_n;
      if (it.predicted == it.truth) ++outside_ok;
    } else if (it.truth == "band") {
      ++r.band_n;
      if (it.predicted == "indeterminate") ++band_ind;
    } else if (it.truth == "lookalike") {
      ++r.lookalike_n;
      if (it.predicted == "not_ivory") ++look_ok;
    }
  }
  r.species_accuracy_outside_band = r.outside_band_n > 0 ? double(outside_ok) / r.outside_band_n : 0.0;
  r.band_indeterminate_rate = r.band_n > 0 ? double(band_ind) / r.band_n : 0.0;
  r.lookalike_not_ivory_rate = r.lookalike_n > 0 ? double(look_ok) / r.lookalike_n : 0.0;
  if (o.link) score_linking(gallery, o.link_shortlist, p, r);
  r.link_ranking_hash = p.ranking_hash();
  return r;
}

nlohmann::json report_to_json(const EvalReport& r, bool with_items) {
  nlohmann::json j;
  j["images"] = r.images;
  j["errors"] = r.errors;
  j["outer_angle_mae_deg"] = r.angle_mae_deg;
  j["outer_angle_bias_deg"] = r.angle_bias_deg;
  j["outer_angle_n"] = r.angle_n;
  j["confusion"] = r.confusion;
  j["species_accuracy_outside_band"] = r.species_accuracy_outside_band;
  j["outside_band_n"] = r.outside_band_n;
  j["band_indeterminate_rate"] = r.band_indeterminate_rate;
  j["band_n"] = r.band_n;
  j["lookalike_not_ivory_rate"] = r.lookalike_not_ivory_rate;
  j["lookalike_n"] = r.lookalike_n;
  j["link_rank1_adjacent"] = r.link_rank1_adjacent;
  j["link_rank1_same_tusk"] = r.link_rank1_same_tusk;
  j["link_rank1_descriptor_only_same_tusk"] = r.link_rank1_descriptor_only;
  j["link_adjacent_in_shortlist"] = r.link_adjacent_in_shortlist;
  j["link_shortlist"] = r.link_shortlist;
  j["link_probes"] = r.link_probes;
  j["link_gallery"] = r.link_gallery;
  j["link_rank1_adjacent_pair_score_only"] = r.link_rank1_adjacent_pair_score;
  j["link_ms_per_search"] = r.link_ms_per_search;
  j["link_comparisons_per_search"] = r.link_comparisons_per_search;
  j["link_ranking_hash"] = r.link_ranking_hash;
  j["seconds_per_image"] = r.seconds_per_image;
  if (with_items) {
    auto& items = j["items"] = nlohmann::json::array();
    for (const EvalItem& it : r.items)
      items.push_back({{"file", it.file}, {"truth", it.truth}, {"predicted", it.predicted},
                       {"true_outer_deg", it.true_outer_deg}, {"measured_outer_deg", it.measured_outer_deg},
                       {"outer_count", it.outer_count}, {"cdj_found", it.cdj_found}, {"confidence", it.confidence},
                       {"error", it.error}});
  }
  return j;
}

}  // namespace tuskprint::datasets::tusks
