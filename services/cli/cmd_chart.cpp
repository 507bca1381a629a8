// `tuskprint chart A B -o chart.png`: a picture of one comparison for an examiner.
//   finger (default): A and B are fingerprint images or template files; the chart shows
//     both prints, every minutia, the matcher's paired minutiae joined and numbered, and
//     the score with its likelihood ratio when a calibration model is available.
//   --schreger: A and B are tusk cross-section scans; the chart shows both sections with
//     B rotated/mirrored onto A as the Schreger alignment finds it.
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "chart/finger_chart.hpp"
#include "chart/schreger_chart.hpp"
#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "lr/lr_model.hpp"
#include "lr/score_sources.hpp"
#include "plot/chart.hpp"

namespace tuskprint::cli {
namespace {

namespace fs = std::filesystem;

struct ChartOptions {
  std::string a, b, output;
  int ppi = 500;
  int ppi_b = 0;  // B's resolution when it differs (a 1000 ppi latent against a 500 ppi print)
  bool schreger = false;
  bool json = false;
  std::string model;
  std::string mode = "lssr-bit";
};

struct LrLine {
  std::optional<double> log10_lr;
  std::string model;  // path of the model used, empty when none
  std::string text;   // caption line
};

std::string signed_fixed(double v, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%+.*f", decimals, v);
  return buffer;
}

// A model given with --model must exist and fit the scorer (an error otherwise: the
// examiner asked for it). The default model is optional: when it is missing, or fitted
// for another scorer, the caption says so instead of giving a number.
LrLine likelihood_ratio(const std::string& modality, const std::string& scorer_hash, double score,
                        const std::string& model_option) {
  LrLine line;
  const bool explicit_model = !model_option.empty();
  const fs::path path = explicit_model ? fs::path(model_option) : lr::default_model_path(modality);
  if (!fs::exists(path)) {
    TP_CHECK(!explicit_model, kNotFound, "LR model '" << model_option << "' does not exist");
    line.text = "LR: no calibration model (none at " + path.string() + ")";
    return line;
  }
  const lr::LrModel model = lr::LrModel::load(path.string());
  const bool fits = model.modality() == modality && model.score_parameters_hash() == scorer_hash;
  if (!fits) {
    TP_CHECK(!explicit_model, kFailedPrecondition,
             "LR model '" << model_option << "' (" << model.version() << ", modality " << model.modality()
                          << ") was not fitted for this " << modality << " scorer");
    line.text = "LR: no calibration model for this scorer (" + path.filename().string() + " was fitted for another)";
    return line;
  }
  line.log10_lr = model.log10_lr(score);
  line.model = path.string();
  const double v = *line.log10_lr;
  const char* reading = v > 0 ? "supports same source" : v < 0 ? "supports different sources" : "neutral";
  line.text = "log10 LR " + signed_fixed(v, 2) + " (" + reading + "; model " + model.version() + ", " +
              path.filename().string() + ")";
  return line;
}

// The facing-cut-face link score the Schreger LR model is fitted on.
double schreger_link_score(const chart::SchregerSide& a, const chart::SchregerSide& b) {
  return lr::face_link_score(lr::face_link_features(a.result.link), lr::face_link_features(b.result.link));
}

nlohmann::json minutia_json(const ridge::Minutia& m) {
  return {{"x", m.x}, {"y", m.y}, {"dir", m.direction}};
}

nlohmann::json lr_json(const LrLine& lr) {
  return lr.log10_lr ? nlohmann::json(*lr.log10_lr) : nlohmann::json(nullptr);
}

int run_finger_chart(const ChartOptions& o) {
  const match::Mode mode = match::parse_mode(o.mode);
  const chart::FingerSide probe = chart::load_finger_side(o.a, o.ppi);
  const chart::FingerSide gallery = chart::load_finger_side(o.b, o.ppi_b > 0 ? o.ppi_b : o.ppi);
  const chart::FingerComparison comparison = chart::compare_fingers(probe, gallery, mode);
  const LrLine lr =
      likelihood_ratio("finger", lr::finger_score_parameters_hash(mode), comparison.details.score, o.model);
  plot::write_png(o.output, chart::render_finger_chart(probe, gallery, comparison, lr.text));
  if (o.json) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& pair : comparison.details.pairs) {
      pairs.push_back({{"probe", minutia_json(comparison.probe_minutiae[pair.probe_minutia])},
                       {"gallery", minutia_json(comparison.gallery_minutiae[pair.gallery_minutia])},
                       {"similarity", pair.relaxed_similarity},
                       {"local_similarity", pair.local_similarity}});
    }
    const nlohmann::json out = {{"score", comparison.details.score},
                                {"mode", match::to_string(mode)},
                                {"log10_lr", lr_json(lr)},
                                {"lr_model", lr.model.empty() ? nlohmann::json(nullptr) : nlohmann::json(lr.model)},
                                {"pairs", pairs},
                                {"probe_minutiae", comparison.probe_minutiae.size()},
                                {"gallery_minutiae", comparison.gallery_minutiae.size()},
                                {"chart", o.output}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "score " << comparison.details.score << " (" << match::to_string(mode) << "), "
              << comparison.details.pairs.size() << " paired minutiae; " << lr.text << "\n"
              << "chart " << o.output << "\n";
  }
  return 0;
}

int run_schreger_chart(const ChartOptions& o) {
  const chart::SchregerSide a = chart::load_schreger_side(o.a, o.ppi);
  const chart::SchregerSide b = chart::load_schreger_side(o.b, o.ppi_b > 0 ? o.ppi_b : o.ppi);
  const chart::SchregerPairing pairing = chart::compare_sections(a, b);
  const double link = schreger_link_score(a, b);
  const LrLine lr = likelihood_ratio("schreger", lr::schreger_score_parameters_hash(), link, o.model);
  const std::string evidence = "Link score " + signed_fixed(link, 3) + " (facing cut faces)     " + lr.text;
  plot::write_png(o.output, chart::render_schreger_chart(a, b, pairing, evidence));
  if (o.json) {
    auto side = [](const chart::SchregerSide& s) {
      return nlohmann::json{{"file", s.label},
                            {"species", schreger::to_string(s.result.species)},
                            {"outer_angle_mean_deg", s.result.angles.outer_mean_deg},
                            {"outer_angle_sd_deg", s.result.angles.outer_sd_deg},
                            {"outer_angle_count", s.result.angles.outer_count},
                            {"cdj_found", s.result.cdj_found}};
    };
    const nlohmann::json out = {{"alignment_score", pairing.best.score},
                                {"rotation_deg", pairing.best.rotation_deg},
                                {"mirrored", pairing.best.mirrored},
                                {"link_score", link},
                                {"log10_lr", lr_json(lr)},
                                {"lr_model", lr.model.empty() ? nlohmann::json(nullptr) : nlohmann::json(lr.model)},
                                {"a", side(a)},
                                {"b", side(b)},
                                {"chart", o.output}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "alignment " << pairing.best.score << ", rotation " << pairing.best.rotation_deg << " deg, mirrored "
              << (pairing.best.mirrored ? "yes" : "no") << "; " << evidence
              << "\nchart " << o.output << "\n";
  }
  return 0;
}

const bool registered = register_commands("chart", [](CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ChartOptions>();
  auto* cmd = app.add_subcommand(
      "chart",
      "Draw a comparison for an examiner: two fingerprints (images or template files) with their "
      "paired minutiae, score and likelihood ratio; or, with --schreger, two tusk cross-sections "
      "aligned by their Schreger pattern");
  cmd->add_option("A", options->a, "Probe: fingerprint image or template file (tusk section scan with --schreger)")
      ->required();
  cmd->add_option("B", options->b, "Gallery: fingerprint image or template file (tusk section scan with --schreger)")
      ->required();
  cmd->add_option("-o,--output", options->output, "PNG file to write")->required();
  auto* ppi = cmd->add_option("--ppi", options->ppi,
                              "Resolution of image inputs (pixels per inch); required with --schreger")
      ->capture_default_str()
      ->check(CLI::Range(50, 2400));
  cmd->add_option("--ppi-b", options->ppi_b, "Resolution of B when it differs from --ppi (which then applies to A)")
      ->check(CLI::Range(50, 2400));
  cmd->add_flag("--schreger", options->schreger, "A and B are tusk cross-sections: Schreger pair chart");
  cmd->add_option("--model", options->model,
                  "LR model file (default: models/lr-finger-v1.json or lr-schreger-v1.json beside the build, or "
                  "under $TUSKPRINT_MODELS; without one the caption says 'LR: no calibration model')");
  cmd->add_option("--mode", options->mode, "Finger matcher: lssr-bit (default), lssr-float, lss-bit, lss-float")
      ->capture_default_str();
  cmd->add_flag("--json", options->json,
                "JSON on stdout. Finger: score, mode, log10_lr (null without a model), lr_model, pairs "
                "[{probe:{x,y,dir}, gallery:{x,y,dir}, similarity, local_similarity}] best first (template "
                "pixels at 500 ppi, dir in radians counter-clockwise from +x with y up), probe_minutiae, "
                "gallery_minutiae, chart. Schreger: alignment_score, rotation_deg, mirrored, link_score, "
                "log10_lr, lr_model, a and b {file, species, outer_angle_mean_deg, outer_angle_sd_deg, "
                "outer_angle_count, cdj_found}, chart");
  cmd->callback([options, ppi, &ctx] {
    ctx.exit_code = run_guarded([&] {
      TP_CHECK(!options->schreger || ppi->count() > 0, kInvalidArgument,
               "--schreger needs the scans' resolution: give --ppi");
      if (!options->schreger) {
        for (const int value : {options->ppi, options->ppi_b > 0 ? options->ppi_b : options->ppi}) {
          TP_CHECK(value >= 250 && value <= 1000, kInvalidArgument,
                   "resolution " << value << " ppi is outside 250..1000 for fingerprint images");
        }
      }
      return options->schreger ? run_schreger_chart(*options) : run_finger_chart(*options);
    });
  });
});

}  // namespace
}  // namespace tuskprint::cli
