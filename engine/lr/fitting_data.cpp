#include "lr/fitting_data.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "core/error.hpp"
#include "datasets/fingerprints/print_dataset.hpp"
#include "datasets/fingerprints/synth_params.hpp"
#include "datasets/fvc/fvc_layout.hpp"
#include "datasets/tusks/tusk_set.hpp"
#include "image/decode.hpp"
#include "lr/score_sources.hpp"
#include "ridge/extract.hpp"
#include "schreger/measure.hpp"

namespace tuskprint::lr {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void report(const Progress& progress, const std::string& stage, int done, int total) {
  if (progress) progress(stage, done, total);
}

std::optional<json> read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in.is_open()) return std::nullopt;
  try {
    return json::parse(in);
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

struct FingerItem {
  int finger = 0;
  int impression = 0;
  std::optional<match::MatchTemplate> tpl;  // empty: no valid cylinder
};

FingerItem finger_item(const std::string& path, int finger, int impression, int ppi) {
  FingerItem item{finger, impression, std::nullopt};
  const ridge::FingerTemplate t = ridge::extract(image::load_file(path).grey, ppi);
  match::MatchTemplate m(t);
  if (m.cylinders().size() > 0) item.tpl.emplace(std::move(m));
  return item;
}

// The images of a `synth prints` folder (FVC layout, ppi from its manifest).
std::vector<FingerItem> synth_items(const std::string& dir, const std::function<bool(int)>& keep_finger,
                                    const std::string& stage, const Progress& progress, int& unusable) {
  const auto manifest = read_json(fs::path(dir) / "manifest.json");
  TP_CHECK(manifest && manifest->contains("ppi"), kInvalidArgument,
           "'" << dir << "' has no synth prints manifest.json with a ppi");
  const int ppi = manifest->at("ppi").get<int>();
  std::vector<datasets::fvc::FvcImage> images;
  for (const auto& image : datasets::fvc::list_images(dir))
    if (keep_finger(image.finger)) images.push_back(image);
  std::vector<FingerItem> items;
  for (std::size_t i = 0; i < images.size(); ++i) {
    items.push_back(finger_item(images[i].path, images[i].finger, images[i].impression, ppi));
    unusable += items.back().tpl ? 0 : 1;
    report(progress, stage, int(i + 1), int(images.size()));
  }
  return items;
}

}  // namespace

json PairScores::describe() const {
  return {{"items", items},
          {"unusable_items", unusable},
          {"genuine_pairs", scores.genuine.size()},
          {"impostor_pairs", scores.impostor.size()}};
}

PairScores fvc_pair_scores(const std::string& dir, int ppi, match::Mode mode, const Progress& progress) {
  const auto images = datasets::fvc::list_images(dir);
  PairScores out;
  std::vector<FingerItem> items;
  for (std::size_t i = 0; i < images.size(); ++i) {
    items.push_back(finger_item(images[i].path, images[i].finger, images[i].impression, ppi));
    out.unusable += items.back().tpl ? 0 : 1;
    report(progress, "extracting " + dir, int(i + 1), int(images.size()));
  }
  out.items = int(items.size());
  for (std::size_t p = 0; p < items.size(); ++p) {
    for (std::size_t g = p + 1; g < items.size(); ++g) {
      if (!items[p].tpl || !items[g].tpl) continue;
      const double s = match::score(*items[p].tpl, *items[g].tpl, mode);
      (items[p].finger == items[g].finger ? out.scores.genuine : out.scores.impostor).push_back(s);
    }
    report(progress, "comparing " + dir, int(p + 1), int(items.size()));
  }
  return out;
}

void ensure_print_set(const std::string& dir, int fingers, int impressions, bool latent, std::uint64_t seed,
                      const Progress& progress) {
  const synth::SynthParams params;
  const json wanted = {{"generator", synth::kGeneratorVersion},
                       {"parameters_hash", synth::parameters_hash(params)},
                       {"seed", seed},
                       {"fingers", fingers},
                       {"impressions_per_finger", impressions},
                       {"kind", latent ? "latent-ivory" : "plain-impression"}};
  if (const auto m = read_json(fs::path(dir) / "manifest.json")) {
    bool same = true;
    for (const auto& [key, value] : wanted.items()) same = same && m->contains(key) && m->at(key) == value;
    if (same) return;
  }
  synth::PrintDatasetOptions o;
  o.fingers = fingers;
  o.impressions = impressions;
  o.latent = latent;
  o.seed = seed;
  o.out_dir = dir;
  o.progress = [&](int done, int total) {
    report(progress, std::string("generating ") + (latent ? "latents" : "prints"), done, total);
  };
  synth::write_print_dataset(o, params);
}

PairScores latent_print_scores(const std::string& latent_dir, const std::string& print_dir,
                               const std::function<bool(int)>& keep_finger, match::Mode mode,
                               const Progress& progress) {
  PairScores out;
  const auto latents = synth_items(latent_dir, keep_finger, "extracting latents", progress, out.unusable);
  const auto prints = synth_items(print_dir, keep_finger, "extracting prints", progress, out.unusable);
  out.items = int(latents.size() + prints.size());
  for (std::size_t l = 0; l < latents.size(); ++l) {
    for (const FingerItem& p : prints) {
      if (!latents[l].tpl || !p.tpl) continue;
      const bool mates = latents[l].finger == p.finger;
      if (mates && latents[l].impression == p.impression) continue;
      const double s = match::score(*latents[l].tpl, *p.tpl, mode);
      (mates ? out.scores.genuine : out.scores.impostor).push_back(s);
    }
    report(progress, "comparing latents", int(l + 1), int(latents.size()));
  }
  return out;
}

json TuskSetOptions::describe() const {
  return {{"generator", "tuskprint synth tusks"}, {"tusks", tusks},     {"slices", slices},
          {"seed", seed},                         {"species", species}, {"sector_fraction", sector_fraction}};
}

void ensure_tusk_set(const std::string& dir, const TuskSetOptions& o, const Progress& progress) {
  const fs::path stamp = fs::path(dir) / "calibrate-set.json";
  if (const auto m = read_json(stamp); m && *m == o.describe() && fs::exists(fs::path(dir) / "manifest.json")) return;
  datasets::tusks::GeneratorOptions g = datasets::tusks::options_for_species(o.species);
  g.sector_fraction = o.sector_fraction;
  datasets::tusks::generate_set(dir, o.tusks, o.slices, o.seed, g, o.species,
                                [&](int done, int total) { report(progress, "generating tusks", done, total); });
  std::ofstream out(stamp);
  out << o.describe().dump(1) << "\n";
  TP_CHECK(out.good(), kInternal, "cannot write '" << stamp.string() << "'");
}

PairScores tusk_link_scores(const std::string& dir, const std::function<bool(int)>& keep_tusk,
                            const Progress& progress) {
  const datasets::tusks::SetManifest m = datasets::tusks::load_manifest(dir);
  struct Face {
    int tusk;
    int slice;
    schreger::LinkFace features;
  };
  std::map<std::string, int> tusk_index;  // in order of first appearance
  std::vector<const datasets::tusks::SliceTruth*> selected;
  for (const auto& t : m.slices_truth) {
    const int index = tusk_index.emplace(t.tusk_id, int(tusk_index.size())).first->second;
    if (t.species != "lookalike" && keep_tusk(index)) selected.push_back(&t);
  }
  PairScores out;
  std::vector<Face> faces;
  const schreger::SchregerParams params;
  for (std::size_t i = 0; i < selected.size(); ++i) {
    const auto& t = *selected[i];
    ++out.items;
    try {
      const auto r = schreger::measure(image::load_file((fs::path(dir) / t.file).string()), t.ppi, params);
      if (r.link.descriptor.empty())
        ++out.unusable;
      else
        faces.push_back({tusk_index.at(t.tusk_id), t.slice_index, face_link_features(r.link, params)});
    } catch (const Error&) {
      ++out.unusable;  // unusable scan (too small, not a section): nothing to compare
    }
    report(progress, "measuring faces", int(i + 1), int(selected.size()));
  }
  for (std::size_t a = 0; a < faces.size(); ++a) {
    for (std::size_t b = a + 1; b < faces.size(); ++b) {
      const bool same_tusk = faces[a].tusk == faces[b].tusk;
      if (same_tusk && std::abs(faces[a].slice - faces[b].slice) != 1) continue;
      const double s = face_link_score(faces[a].features, faces[b].features, params);
      (same_tusk ? out.scores.genuine : out.scores.impostor).push_back(s);
    }
    report(progress, "linking faces", int(a + 1), int(faces.size()));
  }
  return out;
}

}  // namespace tuskprint::lr
