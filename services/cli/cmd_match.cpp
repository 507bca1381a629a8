// `tuskprint match A B`: 1:1 comparison of two fingerprints (images or template files)
// with Minutia Cylinder-Code. Prints the score (0..1).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "image/decode.hpp"
#include "lr/lr_model.hpp"
#include "lr/score_sources.hpp"
#include "match/matcher.hpp"
#include "ridge/extract.hpp"
#include "ridge/template_io.hpp"

namespace tuskprint::cli {
namespace {

// A template file (starts with the template tag) is loaded; anything else is decoded as an
// image and its minutiae extracted at `ppi`.
ridge::FingerTemplate load_finger(const std::string& path, int ppi) {
  const std::string bytes = image::read_file_bytes(path);
  if (bytes.compare(0, ridge::kTemplateFileTag.size(), ridge::kTemplateFileTag) == 0) {
    return ridge::decode_template_file(bytes);
  }
  const image::DecodedImage decoded = image::decode(bytes);
  return ridge::extract(decoded.grey, ppi);
}

struct MatchOptions {
  std::string first, second;
  int ppi = 500;
  std::string mode = "lssr-bit";
  bool json = false;
};

int run_match(const MatchOptions& o) {
  const match::Mode mode = match::parse_mode(o.mode);
  const ridge::FingerTemplate a = load_finger(o.first, o.ppi);
  const ridge::FingerTemplate b = load_finger(o.second, o.ppi);
  const match::MatchTemplate ma(a), mb(b);
  const match::MatchDetails d = match::match_details(ma, mb, mode);
  // Evidence strength from the default calibration model, when it was fitted for this scorer.
  std::optional<double> log10_lr;
  std::string lr_model;
  try {
    const auto path = lr::default_model_path("finger");
    if (std::filesystem::exists(path)) {
      const auto model = lr::LrModel::load(path.string());
      if (model.score_parameters_hash() == lr::finger_score_parameters_hash(mode)) {
        log10_lr = model.log10_lr(d.score);
        lr_model = model.version();
      }
    }
  } catch (const Error&) {
    // No usable model: the score is printed without a likelihood ratio.
  }
  if (o.json) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& p : d.pairs) {
      const auto& pa = a.minutiae[static_cast<std::size_t>(p.probe_minutia)];
      const auto& pb = b.minutiae[static_cast<std::size_t>(p.gallery_minutia)];
      pairs.push_back({{"a", p.probe_minutia}, {"b", p.gallery_minutia},
                       {"a_xy", {pa.x, pa.y}}, {"b_xy", {pb.x, pb.y}},
                       {"local_similarity", p.local_similarity},
                       {"relaxed_similarity", p.relaxed_similarity}});
    }
    nlohmann::json out = {{"score", d.score},
                          {"mode", match::to_string(mode)},
                          {"a_minutiae", a.minutiae.size()},
                          {"b_minutiae", b.minutiae.size()},
                          {"a_cylinders", d.probe_cylinders},
                          {"b_cylinders", d.gallery_cylinders},
                          {"pairs_required", d.pairs_required},
                          {"pairs", pairs},
                          {"consolidated_score", d.consolidated_score},
                          {"paired_minutiae", d.paired_minutiae},
                          {"consistency_factor", d.consistency_factor},
                          {"matcher_version", match::kMatcherVersion},
                          {"matcher_parameters_hash", ma.parameters_hash()},
                          {"log10_lr", log10_lr ? nlohmann::json(*log10_lr) : nlohmann::json()},
                          {"lr_model", lr_model}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "score " << d.score << "  (" << match::to_string(mode) << "; A " << a.minutiae.size()
              << " minutiae / " << d.probe_cylinders << " cylinders, B " << b.minutiae.size()
              << " minutiae / " << d.gallery_cylinders << " cylinders, " << d.pairs.size() << " of "
              << d.pairs_required << " pairs; " << d.paired_minutiae
              << " minutiae paired under one alignment, consistency factor " << d.consistency_factor << ")";
    if (log10_lr) std::cout << "  log10 LR " << *log10_lr << " (" << lr_model << ")";
    std::cout << "\n";
  }
  return 0;
}

const bool registered = register_commands("match", [](CLI::App& app, Context& ctx) {
  auto options = std::make_shared<MatchOptions>();
  auto* cmd = app.add_subcommand(
      "match",
      "Compare two fingerprints 1:1 (Minutia Cylinder-Code) and print the score, 0 (no "
      "correspondence) to 1 (identical minutiae). Inputs are images (extracted at --ppi) or "
      "template files from `tuskprint extract`. See `tuskprint eval verify` for what a "
      "threshold means in false-match rate on a given sensor.");
  cmd->add_option("A", options->first, "First image or template file")->required();
  cmd->add_option("B", options->second, "Second image or template file")->required();
  cmd->add_option("--ppi", options->ppi, "Resolution of image inputs (pixels per inch)")
      ->capture_default_str()
      ->check(CLI::Range(250, 1000));
  cmd->add_option("--mode", options->mode,
                  "lssr-bit (default), lssr-float, lss-bit or lss-float")
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Print the score, counts and paired minutiae as JSON");
  cmd->callback([options, &ctx] { ctx.exit_code = run_guarded([&] { return run_match(*options); }); });
});

}  // namespace
}  // namespace tuskprint::cli
