// `tuskprint synth prints` and `tuskprint synth templates`: synthetic fingerprint data
// (datasets/fingerprints, an SFinGe-like generator) for tests, benchmarks and evaluation.
//
// The `synth` group is shared by several files (prints and templates here; `synth tusks`
// from another file). Each file gets the group through the same tolerant pattern, so
// whichever installer runs first creates it and the others add to it:
//
//   CLI::App* group = nullptr;
//   try { group = app.get_subcommand("synth"); }                // created by another file
//   catch (const CLI::OptionNotFound&) { group = app.add_subcommand("synth", "..."); }
//
// (see synth_group() below; copy it rather than adding the group twice, which CLI11
// rejects).
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "datasets/fingerprints/finger_class.hpp"
#include "datasets/fingerprints/print_dataset.hpp"
#include "datasets/fingerprints/template_file.hpp"
#include "datasets/fingerprints/template_model.hpp"

namespace tuskprint::cli {
namespace {

CLI::App* synth_group(CLI::App& app) {
  try {
    return app.get_subcommand("synth");
  } catch (const CLI::OptionNotFound&) {
    auto* group = app.add_subcommand("synth", "Synthetic data: fingerprints, latent lifts on ivory, tusks");
    group->require_subcommand(1);
    return group;
  }
}

struct PrintsOptions {
  int fingers = 0;
  int impressions = 0;
  bool latent = false;
  std::uint64_t seed = 1;
  std::string out;
  std::string finger_class;
  bool masters = false;
  bool json = false;
};

int run_prints(const PrintsOptions& o) {
  synth::PrintDatasetOptions options;
  options.fingers = o.fingers;
  options.impressions = o.impressions;
  options.latent = o.latent;
  options.seed = o.seed;
  options.out_dir = o.out;
  options.write_masters = o.masters;
  if (!o.finger_class.empty()) options.finger_class = synth::parse_finger_class(o.finger_class);
  if (isatty(2) != 0) {
    options.progress = [](int done, int total) {
      std::cerr << "\rsynth prints: finger " << done << "/" << total << std::flush;
      if (done == total) std::cerr << "\n";
    };
  }
  const synth::SynthParams params;
  const synth::PrintDatasetSummary summary = synth::write_print_dataset(options, params);
  if (o.json) {
    std::cout << nlohmann::json{{"out", o.out},
                                {"images", summary.images},
                                {"ground_truth_minutiae", summary.ground_truth_minutiae},
                                {"ppi", o.latent ? params.latent.ppi : 500},
                                {"parameters_hash", synth::parameters_hash(params)}}
                     .dump()
              << "\n";
  } else {
    std::cout << "wrote " << summary.images << " images (" << summary.ground_truth_minutiae
              << " ground-truth minutiae) and manifest.json to " << o.out << "\n";
  }
  return 0;
}

struct TemplatesOptions {
  int fingers = 0;
  int mates = 0;
  std::uint64_t seed = 1;
  std::string out;
};

int run_templates(const TemplatesOptions& o) {
  const synth::SynthParams params;
  const auto templates = synth::generate_template_set(o.fingers, o.mates, o.seed, params);
  synth::TemplateFileHeader header;
  header.parameters_hash = synth::parameters_hash(params);
  header.seed = o.seed;
  header.fingers = static_cast<std::uint32_t>(o.fingers);
  header.mates = static_cast<std::uint32_t>(o.mates);
  synth::write_template_file(o.out, header, templates);
  std::size_t minutiae = 0;
  for (const auto& t : templates) minutiae += t.tpl.minutiae.size();
  std::cout << "wrote " << templates.size() << " templates (" << minutiae << " minutiae) to " << o.out << "\n";
  return 0;
}

const bool registered = register_commands("synth-prints", [](CLI::App& app, Context& ctx) {
  CLI::App* group = synth_group(app);

  auto prints = std::make_shared<PrintsOptions>();
  auto* p = group->add_subcommand("prints", "Synthetic fingerprint images in the FVC layout, with ground truth");
  p->add_option("--fingers", prints->fingers, "Number of fingers (ids from 1)")->required();
  p->add_option("--impressions", prints->impressions, "Impressions per finger (1..K)")->required();
  p->add_flag("--latent", prints->latent, "Latent lifts on ivory (black powder, 1000 ppi) instead of plain impressions");
  p->add_option("--seed", prints->seed, "Seed: the same seed gives byte-identical files")->capture_default_str();
  p->add_option("--out", prints->out, "Output directory (created if missing)")->required();
  p->add_option("--class", prints->finger_class, "Make every finger this class: arch, tented-arch, left-loop, right-loop, whorl");
  p->add_flag("--masters", prints->masters, "Also write each master print to masters/<finger>.png with its minutiae");
  p->add_flag("--json", prints->json, "Print a JSON summary");
  p->callback([&ctx, prints] { ctx.exit_code = run_guarded([&] { return run_prints(*prints); }); });

  auto tpl = std::make_shared<TemplatesOptions>();
  auto* t = group->add_subcommand("templates", "Synthetic minutiae templates (no images), mated sets for scale tests");
  t->add_option("--fingers", tpl->fingers, "Number of fingers (ids from 1)")->required();
  t->add_option("--mates", tpl->mates, "Templates per finger (mate index 0..K-1)")->required();
  t->add_option("--seed", tpl->seed, "Seed: the same seed gives a byte-identical file")->capture_default_str();
  t->add_option("--out", tpl->out, "Output file (binary TPSYNTPL, see datasets/fingerprints/template_file.hpp)")->required();
  t->callback([&ctx, tpl] { ctx.exit_code = run_guarded([&] { return run_templates(*tpl); }); });
});

}  // namespace
}  // namespace tuskprint::cli
