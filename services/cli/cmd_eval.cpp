// `tuskprint eval verify DIR`: FVC-style verification accuracy of extractor + matcher on
// one database folder (<finger>_<impression>.<ext>).
//
// The `eval` group is shared by several files (eval verify here; eval schreger and others
// elsewhere). Every file obtains it through the same pattern, so that whichever installer
// runs first creates it and the others add to it:
//
//   CLI::App* group = nullptr;
//   try { group = app.get_subcommand("eval"); }               // already created by another file
//   catch (const CLI::OptionNotFound&) { group = app.add_subcommand("eval", "..."); }
//
// (see eval_group() below; copy it rather than adding the group twice, which CLI11 rejects).
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>

#include "chart/verification_charts.hpp"
#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "datasets/fvc/fvc_layout.hpp"
#include "image/decode.hpp"
#include "match/evaluation.hpp"
#include "match/matcher.hpp"
#include "ridge/extract.hpp"

namespace tuskprint::cli {
namespace {

CLI::App* eval_group(CLI::App& app) {
  try {
    return app.get_subcommand("eval");
  } catch (const CLI::OptionNotFound&) {
    auto* group = app.add_subcommand("eval", "Accuracy evaluations on public and synthetic data sets");
    group->require_subcommand(1);
    return group;
  }
}

struct VerifyOptions {
  std::string directory;
  int ppi = 500;
  std::string scores_csv;
  std::string mode = "lssr-bit";
  std::string plot_directory;
  bool json = false;
};

// CPU time of the process (ms, all threads: the extractor may run OpenCV in parallel), so
// that speed figures stay meaningful on a shared, loaded machine.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int run_verify(const VerifyOptions& o) {
  const match::Mode mode = match::parse_mode(o.mode);
  const auto images = datasets::fvc::list_images(o.directory);
  const bool progress = isatty(2) != 0;

  // Extract every image once.
  std::vector<match::MatchTemplate> templates;
  templates.reserve(images.size());
  std::size_t minutiae_total = 0, without_cylinders = 0, too_poor = 0;
  double extract_ms = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (progress) std::cerr << "\rextracting " << (i + 1) << "/" << images.size() << std::flush;
    const auto decoded = image::load_file(images[i].path);
    const double start = thread_cpu_ms();
    const ridge::FingerTemplate finger = ridge::extract(decoded.grey, o.ppi);
    extract_ms += thread_cpu_ms() - start;
    templates.emplace_back(finger);
    minutiae_total += finger.minutiae.size();
    too_poor += finger.too_poor_to_search ? 1 : 0;
    without_cylinders += templates.back().cylinders().size() == 0 ? 1 : 0;
  }
  if (progress) std::cerr << "\n";

  // Every ordered pair of distinct images.
  std::unique_ptr<std::ofstream> csv;
  if (!o.scores_csv.empty()) {
    csv = std::make_unique<std::ofstream>(o.scores_csv);
    TP_CHECK(*csv, kInternal, "cannot write scores to '" << o.scores_csv << "'");
    *csv << "probe,gallery,score\n" << std::setprecision(6);
  }
  std::vector<double> genuine, impostor;
  double compare_ms = 0;
  const double compare_start = thread_cpu_ms();
  for (std::size_t p = 0; p < templates.size(); ++p) {
    if (progress) std::cerr << "\rcomparing " << (p + 1) << "/" << templates.size() << std::flush;
    for (std::size_t g = 0; g < templates.size(); ++g) {
      if (p == g) continue;
      const double s = match::score(templates[p], templates[g], mode);
      (images[p].finger == images[g].finger ? genuine : impostor).push_back(s);
      if (csv) *csv << images[p].file_name << "," << images[g].file_name << "," << s << "\n";
    }
  }
  compare_ms = thread_cpu_ms() - compare_start;
  if (progress) std::cerr << "\n";
  if (csv) {
    csv->flush();
    TP_CHECK(*csv, kInternal, "failed writing scores to '" << o.scores_csv << "'");
  }
  TP_CHECK(!genuine.empty(), kInvalidArgument,
           "'" << o.directory << "' has no finger with two impressions: no genuine pairs");
  TP_CHECK(!impostor.empty(), kInvalidArgument,
           "'" << o.directory << "' has a single finger: no impostor pairs");

  const match::VerificationMetrics m = match::verification_metrics(genuine, impostor);
  std::vector<std::string> plots;
  if (!o.plot_directory.empty()) {
    const std::string label = std::filesystem::path(o.directory).filename().string();
    plots = chart::write_verification_charts(
        o.plot_directory, m, genuine, impostor,
        (label.empty() ? o.directory : label) + ", " + match::to_string(mode));
  }
  const double comparisons = static_cast<double>(genuine.size() + impostor.size());
  const double per_image_ms = extract_ms / static_cast<double>(images.size());
  const double per_second = compare_ms > 0 ? comparisons / (compare_ms / 1000) : 0;
  if (o.json) {
    nlohmann::json out = {{"eer", 100 * m.eer},
                          {"fmr100", 100 * m.fmr100},
                          {"fmr1000", 100 * m.fmr1000},
                          {"zerofmr", 100 * m.zero_fmr},
                          {"genuine_pairs", m.genuine_count},
                          {"impostor_pairs", m.impostor_count},
                          {"extract_ms_per_image", per_image_ms},
                          {"comparisons_per_second", per_second}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << std::fixed << std::setprecision(2) << o.directory << ": " << images.size()
              << " images, " << match::to_string(mode) << "\n"
              << "  EER      " << 100 * m.eer << " %  [" << 100 * m.eer_low << ", " << 100 * m.eer_high
              << "]\n"
              << "  FMR100   " << 100 * m.fmr100 << " %\n"
              << "  FMR1000  " << 100 * m.fmr1000 << " %\n"
              << "  ZeroFMR  " << 100 * m.zero_fmr << " %\n"
              << "  pairs    " << m.genuine_count << " genuine, " << m.impostor_count << " impostor (ordered)\n"
              << "  minutiae " << std::setprecision(1)
              << static_cast<double>(minutiae_total) / static_cast<double>(images.size())
              << " per image; " << without_cylinders << " templates without a valid cylinder, "
              << too_poor << " marked too poor to search\n"
              << "  speed    " << per_image_ms << " ms per extraction, " << std::setprecision(0)
              << per_second << " comparisons/s (one core)\n";
    for (const auto& path : plots) std::cout << "  plot     " << path << "\n";
  }
  return 0;
}

const bool registered = register_commands("eval-verify", [](CLI::App& app, Context& ctx) {
  auto options = std::make_shared<VerifyOptions>();
  auto* cmd = eval_group(app)->add_subcommand(
      "verify",
      "FVC verification protocol on one folder of <finger>_<impression> images: extract each "
      "image once, score every ordered pair of distinct images, report EER, FMR100 (lowest "
      "FNMR at FMR <= 1 %), FMR1000 (at FMR <= 0.1 %) and ZeroFMR (at FMR = 0). All rates, "
      "plain and --json, are in PERCENT; pair counts are ordered pairs.");
  cmd->add_option("DIR", options->directory, "Folder of <finger>_<impression>.tif|tiff|png|bmp|jpg")
      ->required();
  cmd->add_option("--ppi", options->ppi, "Resolution of the images (pixels per inch)")
      ->capture_default_str()
      ->check(CLI::Range(250, 1000));
  cmd->add_option("--scores", options->scores_csv,
                  "Write every comparison as CSV lines probe,gallery,score (with a header)");
  cmd->add_option("--mode", options->mode, "Matcher: lssr-bit (default), lssr-float, lss-bit, lss-float")
      ->capture_default_str();
  cmd->add_option("--plot", options->plot_directory,
                  "Write DIR/det.png (DET curve, probit axes, EER marked) and DIR/scores.png "
                  "(genuine and impostor score histograms); DIR is created if missing");
  cmd->add_flag("--json", options->json,
                "JSON with keys eer, fmr100, fmr1000, zerofmr (percent), genuine_pairs, "
                "impostor_pairs, extract_ms_per_image, comparisons_per_second (speeds in process CPU time, "
                "comparisons single-threaded; comparisons/s includes writing --scores)");
  cmd->callback([options, &ctx] { ctx.exit_code = run_guarded([&] { return run_verify(*options); }); });
});

}  // namespace
}  // namespace tuskprint::cli
