#include "datasets/tusks/tusk_set.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"
#include "datasets/tusks/cross_section.hpp"

namespace tuskprint::datasets::tusks {

GeneratorOptions options_for_species(const std::string& species) {
  GeneratorOptions o;
  if (species == "elephant") o.material = Material::kElephant;
  else if (species == "mammoth") o.material = Material::kMammoth;
  else if (species == "lookalike") o.material = Material::kLookalike;
  else if (species == "mixed") o.mixed = true;
  else TP_THROW(kInvalidArgument, "unknown species '" << species << "': use elephant, mammoth, mixed or lookalike");
  return o;
}

SliceTruth describe_slice(const TuskModel& t, const SliceModel& s, const std::string& file) {
  SliceTruth tr;
  tr.file = file;
  tr.tusk_id = t.id;
  tr.slice_index = s.index;
  tr.species = to_string(t.material);
  tr.lookalike = to_string(t.lookalike);
  tr.ppi = s.ppi;
  tr.sector = s.sector;
  tr.mirrored = s.mirrored;
  tr.cdj_visible = t.material != Material::kLookalike && t.cementum_visible;
  tr.cdj_radius_mm = t.cdj_radius_mm * (1.0 - t.taper_per_mm * s.z_mm);
  if (s.sector) {
    tr.arc_start_deg = std::fmod(s.sector_start * 180.0 / M_PI, 360.0);
    if (tr.arc_start_deg < 0) tr.arc_start_deg += 360.0;
    if (tr.arc_start_deg >= 360.0) tr.arc_start_deg = 0.0;  // -1e-15 + 360 rounds to 360
    tr.arc_span_deg = std::min(360.0, s.sector_span * 180.0 / M_PI);
  } else {
    tr.arc_start_deg = 0.0;
    tr.arc_span_deg = 360.0;
  }
  if (t.material != Material::kLookalike) {
    tr.outer_angle_deg = t.angles.at(1.0);
    tr.inner_angle_deg = t.angles.at(0.0);
    for (int i = 0; i <= 20; ++i) tr.angle_profile.push_back({i / 20.0, t.angles.at(i / 20.0)});
  }
  return tr;
}

double shared_arc_deg(const SliceTruth& a, const SliceTruth& b) {
  if (a.arc_span_deg < 0 || b.arc_span_deg < 0) return -1.0;
  if (a.arc_span_deg >= 360.0) return b.arc_span_deg;
  if (b.arc_span_deg >= 360.0) return a.arc_span_deg;
  // Both are arcs shorter than the circle: their overlap, with b's arc taken a turn either way.
  double shared = 0.0;
  for (const double turn : {-360.0, 0.0, 360.0}) {
    const double from = std::max(a.arc_start_deg, b.arc_start_deg + turn);
    const double to = std::min(a.arc_start_deg + a.arc_span_deg, b.arc_start_deg + turn + b.arc_span_deg);
    shared += std::max(0.0, to - from);
  }
  return shared;
}

SetManifest generate_set(const std::string& dir, int tusks, int slices, std::uint64_t seed,
                         const GeneratorOptions& options, const std::string& species_option,
                         const std::function<void(int, int)>& progress) {
  TP_CHECK(tusks >= 1 && tusks <= 100000, kInvalidArgument, "--tusks must be 1..100000, got " << tusks);
  TP_CHECK(slices >= 1 && slices <= 1000, kInvalidArgument, "--slices must be 1..1000, got " << slices);
  TP_CHECK(options.ppi >= 50 && options.ppi <= 2400, kInvalidArgument, "--ppi must be 50..2400, got " << options.ppi);
  TP_CHECK(options.sector_fraction >= 0 && options.sector_fraction <= 1, kInvalidArgument,
           "--sector-fraction must be in [0, 1], got " << options.sector_fraction);
  TP_CHECK(options.jpeg_quality >= 0 && options.jpeg_quality <= 100, kInvalidArgument,
           "--jpeg-quality must be 0..100 (0 or 100: no JPEG), got " << options.jpeg_quality);
  TP_CHECK(options.lighting >= 0 && options.lighting <= 0.8, kInvalidArgument,
           "--lighting must be in [0, 0.8], got " << options.lighting);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  TP_CHECK(!ec, kInternal, "cannot create directory " << dir << ": " << ec.message());
  SetManifest m;
  m.seed = seed;
  m.tusks = tusks;
  m.slices = slices;
  m.species_option = species_option;
  m.ppi = options.ppi;
  const int total = tusks * slices;
  for (int ti = 0; ti < tusks; ++ti) {
    const TuskModel tusk = sample_tusk(seed, ti, options);
    for (int si = 0; si < slices; ++si) {
      const SliceModel slice = sample_slice(tusk, seed, ti, si, options);
      const RenderedSlice img = render_slice(tusk, slice);
      char name[64];
      std::snprintf(name, sizeof name, "%s_%03d.png", tusk.id.c_str(), si);
      const std::string path = (std::filesystem::path(dir) / name).string();
      TP_CHECK(cv::imwrite(path, img.bgr), kInternal, "cannot write " << path);
      SliceTruth tr = describe_slice(tusk, slice, name);
      tr.pattern_centre_x = img.pattern_centre_px.x;
      tr.pattern_centre_y = img.pattern_centre_px.y;
      m.slices_truth.push_back(std::move(tr));
      if (progress) progress(ti * slices + si + 1, total);
    }
  }
  std::ofstream out(std::filesystem::path(dir) / "manifest.json");
  out << manifest_to_json(m);
  TP_CHECK(out.good(), kInternal, "cannot write manifest.json in " << dir);
  return m;
}

std::string manifest_to_json(const SetManifest& m) {
  nlohmann::json j;
  j["generator"] = "tuskprint synth tusks";
  j["angle_convention"] =
      "angle between the two line families measured across the radial direction "
      "(the lozenge angle opening toward the periphery); A(rho) with rho 0 at the pulp centre, 1 at the CDJ";
  j["seed"] = m.seed;
  j["tusks"] = m.tusks;
  j["slices"] = m.slices;
  j["species_option"] = m.species_option;
  j["ppi"] = m.ppi;
  auto& items = j["items"] = nlohmann::json::array();
  for (const SliceTruth& t : m.slices_truth) {
    nlohmann::json e;
    e["file"] = t.file;
    e["tusk_id"] = t.tusk_id;
    e["slice_index"] = t.slice_index;
    e["species"] = t.species;
    e["lookalike"] = t.lookalike;
    e["outer_angle_deg"] = t.outer_angle_deg;
    e["inner_angle_deg"] = t.inner_angle_deg;
    auto& prof = e["angle_profile"] = nlohmann::json::array();
    for (const TruthAngle& a : t.angle_profile) prof.push_back({{"radius_norm", a.radius_norm}, {"angle_deg", a.angle_deg}});
    e["ppi"] = t.ppi;
    e["sector"] = t.sector;
    e["mirrored"] = t.mirrored;
    e["cdj_visible"] = t.cdj_visible;
    e["cdj_radius_mm"] = t.cdj_radius_mm;
    e["pattern_centre_px"] = {t.pattern_centre_x, t.pattern_centre_y};
    if (t.arc_span_deg >= 0) {
      e["arc_start_deg"] = t.arc_start_deg;
      e["arc_span_deg"] = t.arc_span_deg;
    }
    items.push_back(std::move(e));
  }
  return j.dump(1);
}

SetManifest manifest_from_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  TP_CHECK(!j.is_discarded() && j.is_object(), kInvalidArgument, "manifest is not a JSON object");
  TP_CHECK(j.contains("items") && j["items"].is_array(), kInvalidArgument, "manifest has no 'items' array");
  SetManifest m;
  try {
    m.seed = j.value("seed", std::uint64_t(0));
    m.tusks = j.value("tusks", 0);
    m.slices = j.value("slices", 0);
    m.species_option = j.value("species_option", std::string());
    m.ppi = j.value("ppi", 0.0);
    for (const auto& e : j["items"]) {
      SliceTruth t;
      t.file = e.at("file").get<std::string>();
      t.tusk_id = e.at("tusk_id").get<std::string>();
      t.slice_index = e.at("slice_index").get<int>();
      t.species = e.at("species").get<std::string>();
      t.lookalike = e.value("lookalike", std::string("none"));
      t.outer_angle_deg = e.value("outer_angle_deg", 0.0);
      t.inner_angle_deg = e.value("inner_angle_deg", 0.0);
      if (e.contains("angle_profile"))
        for (const auto& a : e["angle_profile"])
          t.angle_profile.push_back({a.at("radius_norm").get<double>(), a.at("angle_deg").get<double>()});
      t.ppi = e.at("ppi").get<double>();
      t.sector = e.value("sector", false);
      t.mirrored = e.value("mirrored", false);
      t.cdj_visible = e.value("cdj_visible", true);
      t.cdj_radius_mm = e.value("cdj_radius_mm", 0.0);
      if (e.contains("pattern_centre_px") && e["pattern_centre_px"].is_array() && e["pattern_centre_px"].size() == 2) {
        t.pattern_centre_x = e["pattern_centre_px"][0].get<double>();
        t.pattern_centre_y = e["pattern_centre_px"][1].get<double>();
      }
      if (e.contains("arc_span_deg")) {
        t.arc_start_deg = e.value("arc_start_deg", 0.0);
        t.arc_span_deg = e.at("arc_span_deg").get<double>();
        TP_CHECK(t.arc_span_deg >= 0 && t.arc_span_deg <= 360 && t.arc_start_deg >= 0 && t.arc_start_deg < 360,
                 kInvalidArgument,
                 "manifest entry " << t.file << ": arc_start_deg must be in [0, 360) and arc_span_deg in [0, 360], got "
                                   << t.arc_start_deg << " and " << t.arc_span_deg);
      }
      m.slices_truth.push_back(std::move(t));
    }
  } catch (const nlohmann::json::exception& e) {
    TP_THROW(kInvalidArgument, "manifest entry is malformed: " << e.what());
  }
  return m;
}

SetManifest load_manifest(const std::string& dir) {
  const auto path = std::filesystem::path(dir) / "manifest.json";
  std::ifstream in(path);
  TP_CHECK(in.good(), kNotFound, "no manifest.json in " << dir);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return manifest_from_json(text);
}

}  // namespace tuskprint::datasets::tusks
