#include "datasets/tusks/schreger_eval.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "core/error.hpp"
#include "datasets/tusks/tusk_set.hpp"
#include "image/decode.hpp"
#include "schreger/link_compare.hpp"
#include "schreger/link_ranking.hpp"
#include "schreger/measure.hpp"

namespace tuskprint::datasets::tusks {
namespace {

struct LinkEntry {
  std::string file;
  std::string tusk;
  int slice;
  bool ivory;
  schreger::LinkFace face;
  const SliceTruth* truth = nullptr;  // its manifest entry (arcs)
};

// Edges of the shared-arc bins of EvalReport::link_by_shared_arc (degrees).
constexpr double kSharedArcEdges[] = {0, 30, 60, 90, 120, 360};

std::string truth_class(const SliceTruth& t, const schreger::SchregerParams& p) {
  if (t.species == "lookalike") return "lookalike";
  if (!t.cdj_visible) return "no-cdj";
  if (t.outer_angle_deg >= p.mammoth_below_deg && t.outer_angle_deg <= p.elephant_above_deg) return "band";
  return t.species;
}

// Runs fn(i) for i in [0, n) on `threads` threads (fn must be safe to call concurrently for
// different i). The first exception thrown is rethrown after all threads have stopped.
void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& fn) {
  const int t = std::max(1, std::min<int>(threads, int(n)));
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  std::vector<std::thread> pool;
  for (int k = 0; k < t; ++k)
    pool.emplace_back([&] {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) {
        try {
          fn(i);
        } catch (...) {
          const std::lock_guard<std::mutex> lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          next = n;
        }
      }
    });
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

// Every ivory face whose adjacent face (same tusk, slice index +-1) is in the gallery is a
// probe against all other faces: a descriptor shortlist, ranked by rank_link_candidates (the
// 1:1 link score, then the cut order of the faces clearly of the probe's tusk).
void score_linking(const std::vector<LinkEntry>& g, int shortlist, int threads, const schreger::SchregerParams& p,
                   EvalReport& r) {
  struct Outcome {
    bool probe = false, ranked = false, adjacent = false, same = false, descriptor = false, in_shortlist = false, pair = false;
    int comparisons = 0;
    double seconds = 0;
    std::size_t first = 0;
    int adjacent_rank = 0;
    std::vector<std::size_t> cut_order;  // gallery indices
    double shared_arc_deg = -1;
  };
  auto adjacent = [&](std::size_t a, std::size_t b) {
    return g[a].tusk == g[b].tusk && std::abs(g[a].slice - g[b].slice) == 1;
  };
  std::vector<Outcome> outcome(g.size());
  parallel_for(g.size(), threads, [&](std::size_t q) {
    if (!g[q].ivory) return;
    bool has_neighbour = false;
    double shared_arc = -1;
    for (std::size_t c = 0; c < g.size(); ++c)
      if (c != q && adjacent(q, c)) {
        has_neighbour = true;
        if (g[q].truth && g[c].truth) shared_arc = std::max(shared_arc, shared_arc_deg(*g[q].truth, *g[c].truth));
      }
    if (!has_neighbour) return;
    Outcome& o = outcome[q];
    o.probe = true;
    o.shared_arc_deg = shared_arc;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::pair<double, std::size_t>> dist;
    for (std::size_t c = 0; c < g.size(); ++c)
      if (c != q) dist.emplace_back(schreger::descriptor_distance(g[q].face.descriptor, g[c].face.descriptor), c);
    const std::size_t k = std::min<std::size_t>(std::size_t(shortlist), dist.size());
    std::partial_sort(dist.begin(), dist.begin() + k, dist.end(), [](auto& a, auto& b) { return a.first < b.first; });
    const schreger::LinkRanking ranking = schreger::rank_link_candidates(
        g[q].face, k, [&](std::size_t i, bool) { return g[dist[i].second].face; }, p);
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.comparisons = ranking.pair_comparisons;
    o.descriptor = !dist.empty() && g[dist[0].second].tusk == g[q].tusk;
    for (std::size_t i = 0; i < k; ++i) o.in_shortlist = o.in_shortlist || adjacent(q, dist[i].second);
    if (ranking.candidates.empty()) return;
    o.ranked = true;
    const std::size_t best_c = dist[ranking.candidates[0].candidate].second;
    o.same = g[best_c].tusk == g[q].tusk;
    o.adjacent = o.same && adjacent(q, best_c);
    o.first = best_c;
    for (const std::ptrdiff_t c : ranking.cut_order)
      o.cut_order.push_back(c == schreger::LinkRanking::kProbe ? q : dist[std::size_t(c)].second);
    for (std::size_t i = 0; i < ranking.candidates.size() && o.adjacent_rank == 0; ++i)
      if (adjacent(q, dist[ranking.candidates[i].candidate].second)) o.adjacent_rank = int(i) + 1;
    const auto by_pair = std::max_element(ranking.candidates.begin(), ranking.candidates.end(), [](auto& a, auto& b) {
      return a.comparison.score < b.comparison.score;
    });
    o.pair = adjacent(q, dist[by_pair->candidate].second);
  });
  int adjacent_ok = 0, same_ok = 0, probes = 0, descriptor_ok = 0, in_shortlist = 0, pair_ok = 0;
  long comparisons = 0;
  double seconds = 0;
  constexpr std::size_t kBins = std::size(kSharedArcEdges) - 1;
  std::vector<EvalReport::SharedArcBin> arc_bins(kBins);
  for (std::size_t b = 0; b < kBins; ++b) arc_bins[b].from_deg = kSharedArcEdges[b], arc_bins[b].to_deg = kSharedArcEdges[b + 1];
  bool arcs_known = true;
  for (std::size_t q = 0; q < g.size(); ++q) {
    const Outcome& o = outcome[q];
    if (!o.probe) continue;
    if (o.ranked && !o.adjacent) {
      r.link_misses.push_back({g[q].file, g[o.first].file, o.same, o.adjacent_rank, {}, o.shared_arc_deg});
      for (const std::size_t c : o.cut_order) r.link_misses.back().cut_order.push_back(g[c].file);
    }
    if (o.shared_arc_deg < 0) {
      arcs_known = false;
    } else {
      std::size_t b = 0;
      while (b + 1 < kBins && o.shared_arc_deg >= kSharedArcEdges[b + 1]) ++b;
      ++arc_bins[b].probes;
      arc_bins[b].rank1_adjacent += o.adjacent;
    }
    ++probes;
    adjacent_ok += o.adjacent, same_ok += o.same, descriptor_ok += o.descriptor;
    in_shortlist += o.in_shortlist, pair_ok += o.pair;
    comparisons += o.comparisons;
    seconds += o.seconds;
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
  if (arcs_known && probes > 0) r.link_by_shared_arc = std::move(arc_bins);
}

const char* species_name(v1::Species s) {
  switch (s) {
    case v1::SPECIES_ELEPHANT: return "elephant";
    case v1::SPECIES_MAMMOTH: return "mammoth";
    case v1::SPECIES_INDETERMINATE: return "indeterminate";
    case v1::SPECIES_NOT_IVORY: return "not_ivory";
    default: return "unspecified";
  }
}

std::filesystem::path profile_path(const std::string& profiles_dir, const std::string& file) {
  return std::filesystem::path(profiles_dir) / (std::filesystem::path(file).filename().string() + ".schreger.pb");
}

// The cached profile of `image`, when there is one measured by this extractor with `p` at
// `ppi` after the image was last written.
std::optional<v1::SchregerProfile> cached_profile(const std::filesystem::path& cache,
                                                  const std::filesystem::path& image, double ppi,
                                                  const schreger::SchregerParams& p) {
  std::error_code ec;
  const auto cache_time = std::filesystem::last_write_time(cache, ec);
  if (ec) return std::nullopt;
  const auto image_time = std::filesystem::last_write_time(image, ec);
  if (ec || cache_time < image_time) return std::nullopt;
  std::ifstream in(cache, std::ios::binary);
  v1::SchregerProfile pr;
  if (!in || !pr.ParseFromIstream(&in)) return std::nullopt;
  if (pr.extractor_version() != schreger::kExtractorVersion || pr.parameters_hash() != p.hash() ||
      pr.source_ppi() != std::uint32_t(std::lround(ppi)))
    return std::nullopt;
  return pr;
}

// Writes `pr` to `cache` whole or not at all (a temporary file renamed over it).
void write_profile(const std::filesystem::path& cache, const v1::SchregerProfile& pr) {
  const std::filesystem::path tmp = cache.string() + ".tmp" + std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    TP_CHECK(out && pr.SerializeToOstream(&out) && out.flush(), kInternal, "cannot write the profile cache file " << tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, cache, ec);
  TP_CHECK(!ec, kInternal, "cannot write the profile cache file " << cache.string() << ": " << ec.message());
}

}  // namespace

EvalReport evaluate_schreger_set(const std::string& dir, const EvalOptions& o, const schreger::SchregerParams& p) {
  const SetManifest m = load_manifest(dir);
  TP_CHECK(!m.slices_truth.empty(), kInvalidArgument, "manifest in " << dir << " lists no images");
  if (!o.profiles_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.profiles_dir, ec);
    TP_CHECK(std::filesystem::is_directory(o.profiles_dir), kInvalidArgument,
             "profile cache " << o.profiles_dir << " is not a directory and cannot be made one"
                              << (ec ? ": " + ec.message() : std::string()));
  }
  EvalReport r;
  const int total = int(m.slices_truth.size());
  std::vector<EvalItem> items(total);
  std::vector<std::optional<LinkEntry>> entries(total);
  std::vector<double> item_seconds(total, -1.0);  // -1: not measured by this run
  std::mutex progress_mutex;
  int done = 0;
  parallel_for(std::size_t(total), o.threads, [&](std::size_t i) {
    const SliceTruth& t = m.slices_truth[i];
    EvalItem& item = items[i];
    item.file = t.file;
    item.truth = truth_class(t, p);
    item.true_outer_deg = t.outer_angle_deg;
    const double ppi = o.ppi > 0 ? o.ppi : t.ppi;
    const std::filesystem::path image = std::filesystem::path(dir) / t.file;
    try {
      std::optional<v1::SchregerProfile> pr;
      std::filesystem::path cache;
      if (!o.profiles_dir.empty()) {
        cache = profile_path(o.profiles_dir, t.file);
        pr = cached_profile(cache, image, ppi, p);
      }
      if (!pr) {
        const auto decoded = image::load_file(image.string());
        const auto start = std::chrono::steady_clock::now();
        const schreger::SchregerResult res = schreger::measure(decoded, ppi, p);
        item_seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        pr = res.profile;
        if (!cache.empty()) write_profile(cache, *pr);
      }
      item.predicted = species_name(pr->species());
      item.measured_outer_deg = pr->outer_angle_mean_deg();
      item.outer_count = int(pr->outer_angle_count());
      item.cdj_found = pr->cdj_found();
      item.confidence = pr->confidence();
      // Linked as the server links it: from the features its stored profile keeps (the pattern
      // map packed to bytes).
      if (o.link && pr->link_descriptor_size() > 0 && !pr->link_pattern_map().empty())
        entries[i] = LinkEntry{t.file, t.tusk_id, t.slice_index, t.species != "lookalike",
                               schreger::prepare_link_face(schreger::link_features_from_profile(*pr, p), p), &t};
    } catch (const std::exception& e) {
      item.predicted = "error";
      item.error = e.what();
    }
    if (o.progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      o.progress(++done, total);
    }
  });
  double abs_sum = 0, bias_sum = 0, seconds = 0;
  std::vector<LinkEntry> gallery;
  for (int i = 0; i < total; ++i) {
    const SliceTruth& t = m.slices_truth[i];
    const EvalItem& item = items[i];
    if (!item.error.empty()) ++r.errors;
    if (item_seconds[i] >= 0) seconds += item_seconds[i], ++r.measured;
    else if (item.error.empty()) ++r.cached;
    if (item.error.empty() && t.species != "lookalike" && t.cdj_visible && item.cdj_found &&
        item.outer_count >= p.min_outer_angles) {
      const double e = item.measured_outer_deg - t.outer_angle_deg;
      abs_sum += std::abs(e), bias_sum += e, ++r.angle_n;
    }
    if (entries[i]) gallery.push_back(std::move(*entries[i]));
    r.confusion[item.truth][item.predicted]++;
  }
  r.items = std::move(items);
  r.images = total;
  r.seconds_per_image = r.measured > 0 ? seconds / r.measured : 0.0;
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
  if (o.link) score_linking(gallery, o.link_shortlist, o.threads, p, r);
  r.link_ranking_hash = p.ranking_hash();
  return r;
}

nlohmann::json report_to_json(const EvalReport& r, bool with_items) {
  nlohmann::json j;
  j["images"] = r.images;
  j["errors"] = r.errors;
  j["measured_images"] = r.measured;
  j["cached_profiles"] = r.cached;
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
  if (!r.link_by_shared_arc.empty()) {
    auto& bins = j["link_rank1_adjacent_by_shared_arc"] = nlohmann::json::array();
    for (const EvalReport::SharedArcBin& b : r.link_by_shared_arc)
      bins.push_back({{"shared_arc_from_deg", b.from_deg}, {"shared_arc_to_deg", b.to_deg}, {"probes", b.probes},
                      {"rank1_adjacent", b.rank1_adjacent},
                      {"rate", b.probes > 0 ? double(b.rank1_adjacent) / b.probes : 0.0}});
  }
  j["seconds_per_image"] = r.seconds_per_image;
  if (with_items) {
    auto& items = j["items"] = nlohmann::json::array();
    for (const EvalItem& it : r.items)
      items.push_back({{"file", it.file}, {"truth", it.truth}, {"predicted", it.predicted},
                       {"true_outer_deg", it.true_outer_deg}, {"measured_outer_deg", it.measured_outer_deg},
                       {"outer_count", it.outer_count}, {"cdj_found", it.cdj_found}, {"confidence", it.confidence},
                       {"error", it.error}});
    auto& misses = j["link_misses"] = nlohmann::json::array();
    for (const EvalReport::LinkMiss& m : r.link_misses) {
      misses.push_back({{"probe", m.probe}, {"first", m.first}, {"first_same_tusk", m.first_same_tusk},
                        {"adjacent_rank", m.adjacent_rank}, {"cut_order", m.cut_order}});
      if (m.shared_arc_deg >= 0) misses.back()["shared_arc_deg"] = m.shared_arc_deg;
    }
  }
  return j;
}

plot::Chart shared_arc_chart(const EvalReport& r, const std::string& set_dir) {
  TP_CHECK(!r.link_by_shared_arc.empty(), kFailedPrecondition,
           "no linking by shared arc to chart: run the linking, on a set whose manifest records each face's arc "
           "(made by synth tusks since it records arc_start_deg and arc_span_deg)");
  plot::Chart chart;
  std::ostringstream bins;
  int probes = 0, ok = 0, shown = 0;
  for (const EvalReport::SharedArcBin& b : r.link_by_shared_arc) {
    probes += b.probes, ok += b.rank1_adjacent;
    if (b.probes == 0) continue;  // no bar: a bin without probes has no rate
    chart.add_histogram(shown == 0 ? "rank 1, % of the bin's probes" : "", {b.from_deg, b.to_deg},
                        {100.0 * b.rank1_adjacent / b.probes}, plot::palette::kBlue);
    bins << (shown == 0 ? "" : shown % 3 == 0 ? "\n" : ", ") << b.from_deg << "-" << b.to_deg << " deg " << b.rank1_adjacent
         << "/" << b.probes;
    ++shown;
  }
  TP_CHECK(probes > 0, kFailedPrecondition, "no linking probes to chart");
  std::filesystem::path dir(set_dir);
  if (dir.filename().empty()) dir = dir.parent_path();  // "sets/K3/"
  std::ostringstream sub;
  sub << dir.filename().string() << ": " << ok << " / " << probes << " probes (" << std::fixed << std::setprecision(1)
      << 100.0 * ok / probes << " %), gallery " << r.link_gallery << " faces\n"
      << bins.str();
  chart.title("Adjacent face at rank 1, by shared arc")
      .subtitle(sub.str())
      .x_axis("circumference the probe shares with its adjacent face (deg)", plot::Scale::kLinear, 0, 360)
      .y_axis("adjacent face at rank 1 (%)", plot::Scale::kLinear, 0, 100)
      .add_line("95 % target", {0.0, 360.0}, {95.0, 95.0}, plot::palette::kVermillion, 1.5)
      .legend(plot::Corner::kBottomRight);
  return chart;
}

}  // namespace tuskprint::datasets::tusks
