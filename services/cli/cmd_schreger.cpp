// `tuskprint schreger`: Schreger-line measurement of a tusk cross-section scan.
// `tuskprint synth tusks`: synthetic cross-sections with ground truth.
// `tuskprint eval schreger`: scores the pipeline on a generated set.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "datasets/tusks/schreger_eval.hpp"
#include "datasets/tusks/tusk_set.hpp"
#include "image/decode.hpp"
#include "ridge/overlay.hpp"
#include "schreger/measure.hpp"
#include "schreger/overlay.hpp"

namespace tuskprint::cli {
namespace {

// The `synth` and `eval` groups are shared with other command files; whichever file
// installs first creates the group, the others reuse it.
CLI::App* get_or_create_group(CLI::App& app, const std::string& name, const std::string& description) {
  try {
    return app.get_subcommand(name);
  } catch (const CLI::OptionNotFound&) {
    CLI::App* group = app.add_subcommand(name, description);
    group->require_subcommand(1);
    return group;
  }
}

void progress_line(int done, int total) {
  if (!isatty(2)) return;
  std::cerr << "\r" << done << "/" << total << (done == total ? "\n" : "") << std::flush;
}

struct SchregerArgs {
  std::string image;
  double ppi = 0;
  bool json = false;
  std::string overlay;
  std::string dump_dir;
};

int run_schreger(const SchregerArgs& a) {
  const image::DecodedImage scan = image::load_file(a.image);
  schreger::SchregerResult r;
  {
    // Every stage's transparency item (mask, outer edge, polar image, CDJ profiles, ...).
    std::unique_ptr<ridge::StageDump> dump;
    if (!a.dump_dir.empty()) dump = std::make_unique<ridge::StageDump>(a.dump_dir);
    r = schreger::measure(scan, a.ppi);
  }
  if (!a.overlay.empty())
    TP_CHECK(cv::imwrite(a.overlay, schreger::draw_overlay(scan, r)), kInternal, "cannot write overlay " << a.overlay);
  if (a.json) {
    nlohmann::json j;
    j["species"] = schreger::to_string(r.species);
    j["outer_angle_mean_deg"] = r.angles.outer_mean_deg;
    j["outer_angle_sd_deg"] = r.angles.outer_sd_deg;
    j["outer_angle_count"] = r.angles.outer_count;
    j["cdj_found"] = r.cdj_found;
    j["confidence"] = r.confidence;
    j["reason"] = r.reason;
    j["whole_section"] = r.whole_section;
    j["centre_method"] = r.centre_method;
    j["pattern_fraction"] = r.angles.pattern_fraction;
    j["outer_patches"] = r.angles.outer_patches;
    j["outer_textured"] = r.angles.outer_textured;
    j["size_mm"] = r.size_mm;
    j["size_from_outline"] = r.size_from_outline;
    j["extractor_version"] = r.profile.extractor_version();
    j["parameters_hash"] = r.profile.parameters_hash();
    auto& angles = j["angles"] = nlohmann::json::array();
    for (const auto& f : r.patches)
      if (f.crossing)
        angles.push_back({{"radius_norm", f.rho}, {"angle_deg", f.angle_deg}, {"theta_deg", f.theta_deg}, {"outer", f.outer}});
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "species: " << schreger::to_string(r.species) << "\n"
              << "outer angle: " << r.angles.outer_mean_deg << " +- " << r.angles.outer_sd_deg << " deg (n="
              << r.angles.outer_count << ")\n"
              << "cdj found: " << (r.cdj_found ? "yes" : "no") << "\n"
              << "confidence: " << r.confidence << "\n"
              << "reason: " << r.reason << "\n";
  }
  return 0;
}

struct SynthArgs {
  int tusks = 0, slices = 1;
  std::string species = "mixed";
  std::uint64_t seed = 1;
  double ppi = 300;
  double sector_fraction = 0;
  int jpeg_quality = 92;
  double lighting = 0.15;
  double no_cementum_fraction = 0;
  std::string out;
};

int run_synth(const SynthArgs& a) {
  datasets::tusks::GeneratorOptions o = datasets::tusks::options_for_species(a.species);
  o.ppi = a.ppi;
  o.sector_fraction = a.sector_fraction;
  o.jpeg_quality = a.jpeg_quality;
  o.lighting = a.lighting;
  o.no_cementum_fraction = a.no_cementum_fraction;
  const auto m = datasets::tusks::generate_set(a.out, a.tusks, a.slices, a.seed, o, a.species, progress_line);
  std::cout << "wrote " << m.slices_truth.size() << " images and manifest.json to " << a.out << "\n";
  return 0;
}

struct EvalArgs {
  std::string dir;
  double ppi = 0;
  bool json = false;
  bool items = false;
  bool no_link = false;
  int shortlist = 50;
  std::string profiles;
  int threads = 1;
  std::string chart;
};

int run_eval(const EvalArgs& a) {
  datasets::tusks::EvalOptions o;
  o.ppi = a.ppi;
  o.link = !a.no_link;
  o.link_shortlist = a.shortlist;
  o.profiles_dir = a.profiles;
  o.threads = a.threads;
  o.progress = progress_line;
  if (a.ppi > 0 || !a.chart.empty()) {
    const auto m = datasets::tusks::load_manifest(a.dir);
    if (a.ppi > 0 && m.ppi > 0 && std::abs(m.ppi - a.ppi) > 0.5)
      std::cerr << "warning: --ppi " << a.ppi << " differs from the manifest's " << m.ppi << " ppi\n";
    // Checked before the long run, not after it.
    if (!a.chart.empty())
      for (const auto& t : m.slices_truth)
        TP_CHECK(t.arc_span_deg >= 0, kFailedPrecondition,
                 "--chart needs each face's arc in the manifest, and " << a.dir << "/manifest.json has none for "
                     << t.file << " (made before synth tusks recorded arc_start_deg and arc_span_deg: make the set again)");
  }
  const auto r = datasets::tusks::evaluate_schreger_set(a.dir, o);
  const nlohmann::json j = datasets::tusks::report_to_json(r, a.items);
  if (!a.chart.empty()) {
    datasets::tusks::shared_arc_chart(r, a.dir).save_png(a.chart);
    std::cerr << "chart " << a.chart << "\n";
  }
  if (a.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "images: " << r.images << " (errors " << r.errors << ", measured " << r.measured
              << ", profiles from the cache " << r.cached << ")\n"
              << "outer-angle MAE: " << r.angle_mae_deg << " deg (n=" << r.angle_n << ", bias " << r.angle_bias_deg << ")\n"
              << "species accuracy outside 90-115: " << r.species_accuracy_outside_band << " (n=" << r.outside_band_n << ")\n"
              << "indeterminate in band: " << r.band_indeterminate_rate << " (n=" << r.band_n << ")\n"
              << "look-alikes called not_ivory: " << r.lookalike_not_ivory_rate << " (n=" << r.lookalike_n << ")\n"
              << "linking rank-1 adjacent: " << r.link_rank1_adjacent << " (probes " << r.link_probes << ", gallery "
              << r.link_gallery << ", shortlist " << r.link_shortlist << ")\n";
    for (const auto& b : r.link_by_shared_arc)
      std::cout << "  sharing " << b.from_deg << "-" << b.to_deg << " deg of arc with an adjacent face: "
                << b.rank1_adjacent << " / " << b.probes << "\n";
    std::cout << "seconds per image: " << r.seconds_per_image
              << (r.measured > 0 ? "" : " (none measured: every profile came from the cache)") << "\n"
              << "ranking hash: " << r.link_ranking_hash << "\n";
  }
  return 0;
}

const bool registered = register_commands("schreger", [](CLI::App& app, Context& ctx) {
  auto sa = std::make_shared<SchregerArgs>();
  auto* cmd = app.add_subcommand("schreger", "Measure Schreger angles on a tusk cross-section and call the species");
  cmd->add_option("image", sa->image, "Scan of a polished transverse cut face (PNG, TIFF, JPEG, ...)")->required();
  cmd->add_option("--ppi", sa->ppi, "Scan resolution in pixels per inch (150-1200 typical)")->required()->check(
      CLI::Range(50.0, 4800.0));
  cmd->add_flag("--json", sa->json, "Print the result as JSON");
  cmd->add_option("--overlay", sa->overlay, "Write an overlay image (edge, CDJ, angle pairs, call) to this path");
  cmd->add_option("--dump-stages", sa->dump_dir,
                  "Write every pipeline stage (transparency keys) into this existing directory");
  cmd->callback([&ctx, sa] { ctx.exit_code = run_guarded([sa] { return run_schreger(*sa); }); });

  auto ya = std::make_shared<SynthArgs>();
  CLI::App* synth = get_or_create_group(app, "synth", "Generate synthetic data sets with ground truth");
  auto* tusks = synth->add_subcommand("tusks", "Synthetic tusk cross-sections (Schreger lines) with a manifest");
  tusks->add_option("--tusks", ya->tusks, "Number of tusks")->required()->check(CLI::Range(1, 100000));
  tusks->add_option("--slices", ya->slices, "Cut faces per tusk (adjacent faces are near mirror images)")
      ->required()->check(CLI::Range(1, 1000));
  tusks->add_option("--species", ya->species, "elephant, mammoth, mixed or lookalike")
      ->check(CLI::IsMember({"elephant", "mammoth", "mixed", "lookalike"}));
  tusks->add_option("--seed", ya->seed, "Random seed");
  tusks->add_option("--ppi", ya->ppi, "Scan resolution")->check(CLI::Range(50.0, 2400.0));
  tusks->add_option("--sector-fraction", ya->sector_fraction, "Fraction of faces cut as sectors (cut pieces)")
      ->check(CLI::Range(0.0, 1.0));
  tusks->add_option("--jpeg-quality", ya->jpeg_quality, "JPEG round-trip quality (0 or 100: none)")->check(CLI::Range(0, 100));
  tusks->add_option("--lighting", ya->lighting, "Strength of the lighting gradient (0-0.8)")->check(CLI::Range(0.0, 0.8));
  tusks->add_option("--no-cementum-fraction", ya->no_cementum_fraction,
                    "Fraction of tusks whose cementum was removed (no CDJ visible)")->check(CLI::Range(0.0, 1.0));
  tusks->add_option("--out", ya->out, "Output directory")->required();
  tusks->callback([&ctx, ya] { ctx.exit_code = run_guarded([ya] { return run_synth(*ya); }); });

  auto ea = std::make_shared<EvalArgs>();
  CLI::App* eval = get_or_create_group(app, "eval", "Score pipelines on data sets with ground truth");
  auto* es = eval->add_subcommand("schreger", "Score the Schreger pipeline on a set made by `synth tusks`");
  es->add_option("dir", ea->dir, "Directory with manifest.json")->required()->check(CLI::ExistingDirectory);
  es->add_option("--ppi", ea->ppi, "Scan resolution (default: the manifest's)")->check(CLI::Range(50.0, 4800.0));
  es->add_flag("--json", ea->json, "Print the report as JSON");
  es->add_flag("--items", ea->items, "Include per-image results in the JSON report");
  es->add_flag("--no-link", ea->no_link, "Skip the adjacent-slice linking measurement");
  es->add_option("--shortlist", ea->shortlist, "Descriptor shortlist re-ranked by the 1:1 link score")->check(CLI::Range(1, 1000));
  es->add_option("--profiles", ea->profiles,
                 "Keep each image's measured profile in this directory and reuse it when it was measured by "
                 "this extractor version with these parameters at this ppi (re-scores ranking changes without "
                 "measuring again)");
  es->add_option("--threads", ea->threads, "Images measured and probes ranked in parallel")->check(CLI::Range(1, 64));
  auto* no_link = es->get_option("--no-link");
  es->add_option("--chart", ea->chart,
                 "Write a PNG chart of adjacent-face linking at rank 1 by the arc a probe shares with its adjacent "
                 "face (needs a manifest that records each face's arc)")
      ->excludes(no_link);
  es->callback([&ctx, ea] { ctx.exit_code = run_guarded([ea] { return run_eval(*ea); }); });
});

}  // namespace
}  // namespace tuskprint::cli
