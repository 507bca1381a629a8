// `tuskprint calibrate`: score -> likelihood-ratio models (engine/lr).
//
//   calibrate finger   --fvc DIR --dbs 1,3 [--test-dbs 2] [--latents N --seed S] --out FILE
//   calibrate schreger --tusks N --slices K --seed S --out FILE
//   calibrate evaluate --model FILE --scores FILE [--json] [--tippett PNG]
//
// finger / schreger collect genuine and impostor scores with the project's own scorers,
// fit PAV and logistic calibrations on the fitting part, judge each on the held-out part
// (Cllr, Cllr_min, RMEP, RMED), keep the best and write a model file that records the
// scorer hash, the data, the counts, the method, the held-out figures and the command.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "lr/fitting_data.hpp"
#include "lr/lr_model.hpp"
#include "lr/model_fitting.hpp"
#include "lr/score_sources.hpp"
#include "lr/tippett.hpp"

namespace tuskprint::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void progress_line(const std::string& stage, int done, int total) {
  if (isatty(2) == 0) return;
  std::cerr << "\r" << stage << " " << done << "/" << total << "   " << (done == total ? "\n" : "") << std::flush;
}

// A folder for generated images: the given one (kept, reused when its settings match),
// or a temporary one removed afterwards.
class WorkDir {
 public:
  explicit WorkDir(const std::string& given) {
    if (!given.empty()) {
      path_ = given;
    } else {
      path_ = fs::temp_directory_path() / ("tuskprint-calibrate-" + std::to_string(::getpid()));
      temporary_ = true;
    }
    fs::create_directories(path_);
  }
  ~WorkDir() {
    std::error_code ec;
    if (temporary_) fs::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  std::string sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
  bool temporary_ = false;
};

std::string command_text(const std::vector<std::string>& words) {
  std::string out = "tuskprint";
  for (const auto& w : words) out += " " + w;
  return out;
}

json data_entry(const std::string& name, const std::string& what, const lr::PairScores& p) {
  json j = p.describe();
  j["name"] = name;
  j["data"] = what;
  return j;
}

struct FitInputs {
  std::string modality, version, out, method = "auto", write_scores;
  std::string score_hash, score_description;
  std::vector<std::string> command;
  json fitting_data = json::array(), held_out_data = json::array();
  lr::ScoreSet fitting;
  std::vector<lr::NamedScores> held_out;
  bool json_output = false;
};

void print_metrics_table(const lr::MethodComparison& c, const std::vector<lr::NamedScores>& held_out) {
  std::cout << std::fixed << std::setprecision(3);
  for (std::size_t i = 0; i < c.methods.size(); ++i) {
    const auto& m = c.methods[i];
    std::cout << (i == c.chosen ? "* " : "  ") << std::left << std::setw(20) << lr::to_string(m.method) << std::right;
    if (!m.fitted) {
      std::cout << " not fitted: " << m.failure << "\n";
      continue;
    }
    std::cout << " held-out Cllr " << m.held_out.cllr << " (min " << m.held_out.cllr_min << ")  RMEP "
              << 100 * m.held_out.rmep << " %  RMED " << 100 * m.held_out.rmed << " %\n";
    for (std::size_t s = 0; s < held_out.size(); ++s)
      std::cout << "      " << std::left << std::setw(36) << held_out[s].name << std::right << " Cllr "
                << m.by_source[s].cllr << " (min " << m.by_source[s].cllr_min << ")  RMEP "
                << 100 * m.by_source[s].rmep << " %  RMED " << 100 * m.by_source[s].rmed << " %  ["
                << m.by_source[s].genuine << " gen, " << m.by_source[s].impostor << " imp]\n";
  }
}

int fit_and_write(FitInputs& in) {
  std::vector<lr::CalibrationMethod> methods;
  if (in.method != "auto") methods.push_back(lr::parse_calibration_method(in.method));
  const lr::FitConstants constants;
  const lr::MethodComparison c = lr::compare_methods(in.fitting, in.held_out, methods, constants);
  const lr::MethodResult& best = c.best();

  json compared = json::object();
  for (const auto& m : c.methods) {
    json entry;
    if (m.fitted) {
      entry["held_out"] = lr::to_json(m.held_out);
      for (std::size_t s = 0; s < in.held_out.size(); ++s) entry["by_source"][in.held_out[s].name] = lr::to_json(m.by_source[s]);
    } else {
      entry["not_fitted"] = m.failure;
    }
    compared[lr::to_string(m.method)] = entry;
  }
  json held = lr::to_json(best.held_out);
  held["data"] = in.held_out_data;
  for (std::size_t s = 0; s < in.held_out.size(); ++s) held["by_source"][in.held_out[s].name] = lr::to_json(best.by_source[s]);
  json provenance = {
      {"tool", std::string("tuskprint ") + TUSKPRINT_VERSION + " calibrate (engine/lr)"},
      {"command", command_text(in.command)},
      {"score", {{"description", in.score_description}, {"parameters_hash", in.score_hash}}},
      {"fitting",
       {{"method", lr::to_string(best.method)},
        {"selection", in.method == "auto" ? "lowest pooled held-out Cllr of pav, logistic-score, logistic-log-score"
                                          : "method given on the command line"},
        {"constants", lr::to_json(constants)},
        {"genuine_pairs", in.fitting.genuine.size()},
        {"impostor_pairs", in.fitting.impostor.size()},
        {"data", in.fitting_data}}},
      {"held_out", held},
      {"methods_compared", compared},
      {"meaning", "log10 LR > 0 supports same source, < 0 different sources; RMEP = share of same-source "
                  "held-out pairs with LR < 1, RMED = share of different-source pairs with LR > 1"}};
  const lr::LrModel model(in.version, in.modality, in.score_hash, best.calibration, provenance);
  {
    std::ofstream out(in.out, std::ios::binary | std::ios::trunc);
    TP_CHECK(out.is_open(), kInvalidArgument, "cannot write model file '" << in.out << "'");
    out << model.to_json();
    out.flush();
    TP_CHECK(out.good(), kInternal, "writing model file '" << in.out << "' failed");
  }
  if (!in.write_scores.empty()) {
    lr::write_score_file(in.write_scores + "-fit.txt", in.fitting);
    lr::ScoreSet pooled;
    for (const auto& h : in.held_out) pooled.append(h.scores);
    lr::write_score_file(in.write_scores + "-held-out.txt", pooled);
  }
  if (in.json_output) {
    json out = {{"model", in.out}, {"version", in.version}, {"method", lr::to_string(best.method)},
                {"fitting_genuine_pairs", in.fitting.genuine.size()},
                {"fitting_impostor_pairs", in.fitting.impostor.size()},
                {"held_out", held}, {"methods_compared", compared}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << in.version << ": fitted on " << in.fitting.genuine.size() << " genuine and "
              << in.fitting.impostor.size() << " impostor pairs; held out:\n";
    print_metrics_table(c, in.held_out);
    std::cout << "wrote " << in.out << " (" << lr::to_string(best.method) << ")\n";
  }
  return 0;
}

// ---- finger ------------------------------------------------------------------------------

struct FingerArgs {
  std::string fvc, dbs = "1,3", test_dbs, work, out, method = "auto", version = "lr-finger-v1", write_scores;
  int latents = 0, latent_impressions = 2, print_impressions = 3;
  std::uint64_t seed = 7;
  bool no_fit_fvc = false, json = false;
};

std::vector<int> parse_db_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    TP_CHECK(item.size() == 1 && item[0] >= '1' && item[0] <= '4', kInvalidArgument,
             "database list '" << text << "': '" << item << "' is not 1, 2, 3 or 4");
    out.push_back(item[0] - '0');
  }
  return out;
}

int fvc_ppi(int db) { return db == 2 ? 569 : 500; }  // FVC2002: DB2 569 ppi, the others 500

int run_finger(const FingerArgs& a) {
  FitInputs in;
  in.modality = "finger";
  in.version = a.version;
  in.out = a.out;
  in.method = a.method;
  in.write_scores = a.write_scores;
  in.json_output = a.json;
  in.score_hash = lr::finger_score_parameters_hash();
  in.score_description = lr::finger_score_description();
  in.command = {"calibrate", "finger"};
  TP_CHECK(!a.fvc.empty() || a.latents > 0, kInvalidArgument, "nothing to fit on: give --fvc DIR and/or --latents N");
  if (!a.fvc.empty()) {
    const std::vector<int> fit = parse_db_list(a.dbs);
    std::vector<int> test = a.test_dbs.empty() ? std::vector<int>{} : parse_db_list(a.test_dbs);
    if (a.test_dbs.empty())
      for (int db = 1; db <= 4; ++db)
        if (std::find(fit.begin(), fit.end(), db) == fit.end() && fs::is_directory(fs::path(a.fvc) / ("DB" + std::to_string(db) + "_B")))
          test.push_back(db);
    for (int db : test)
      TP_CHECK(std::find(fit.begin(), fit.end(), db) == fit.end(), kInvalidArgument,
               "DB" << db << " is both fitted on and held out");
    in.command.insert(in.command.end(), {"--fvc", a.fvc, "--dbs", a.dbs});
    if (!a.test_dbs.empty()) in.command.insert(in.command.end(), {"--test-dbs", a.test_dbs});
    if (a.no_fit_fvc) in.command.push_back("--no-fit-fvc");
    auto db_scores = [&](int db) {
      const std::string dir = (fs::path(a.fvc) / ("DB" + std::to_string(db) + "_B")).string();
      return std::make_pair("FVC2002 DB" + std::to_string(db) + "_B", lr::fvc_pair_scores(dir, fvc_ppi(db), match::Mode::kLssrBit, progress_line));
    };
    for (int db : fit) {
      auto [name, p] = db_scores(db);
      if (!a.no_fit_fvc) {
        in.fitting.append(p.scores);
        in.fitting_data.push_back(data_entry(name, "plain impressions, every unordered pair, " + std::to_string(fvc_ppi(db)) + " ppi", p));
      } else {
        in.held_out.push_back({name, p.scores});
        in.held_out_data.push_back(data_entry(name, "plain impressions, every unordered pair (not fitted on: --no-fit-fvc)", p));
      }
    }
    for (int db : test) {
      auto [name, p] = db_scores(db);
      in.held_out.push_back({name, p.scores});
      in.held_out_data.push_back(data_entry(name, "plain impressions, every unordered pair, " + std::to_string(fvc_ppi(db)) + " ppi", p));
    }
  }
  if (a.latents > 0) {
    in.command.insert(in.command.end(), {"--latents", std::to_string(a.latents), "--seed", std::to_string(a.seed),
                                         "--latent-impressions", std::to_string(a.latent_impressions),
                                         "--print-impressions", std::to_string(a.print_impressions)});
    WorkDir work(a.work);
    // Every setting in the folder name: a reused folder never mixes files of two runs.
    const std::string suffix = "-" + std::to_string(a.latents) + "-s" + std::to_string(a.seed);
    const std::string latent_dir = work.sub("latents" + suffix + "-x" + std::to_string(a.latent_impressions));
    const std::string print_dir = work.sub("prints" + suffix + "-x" + std::to_string(a.print_impressions));
    lr::ensure_print_set(latent_dir, a.latents, a.latent_impressions, true, a.seed, progress_line);
    lr::ensure_print_set(print_dir, a.latents, a.print_impressions, false, a.seed, progress_line);
    const std::string what = "synthetic latent lifts on ivory (synth prints --latent, 1000 ppi) as probes against plain "
                             "impressions (500 ppi) of the same seed; genuine = same finger, other impression index";
    auto odd = [](int f) { return f % 2 == 1; };
    auto even = [](int f) { return f % 2 == 0; };
    const lr::PairScores fit = lr::latent_print_scores(latent_dir, print_dir, odd, match::Mode::kLssrBit, progress_line);
    const lr::PairScores test = lr::latent_print_scores(latent_dir, print_dir, even, match::Mode::kLssrBit, progress_line);
    const std::string base = "synthetic latents (seed " + std::to_string(a.seed) + ")";
    in.fitting.append(fit.scores);
    in.fitting_data.push_back(data_entry(base + ", odd fingers", what, fit));
    in.held_out.push_back({base + ", even fingers", test.scores});
    in.held_out_data.push_back(data_entry(base + ", even fingers", what, test));
  }
  in.command.insert(in.command.end(), {"--out", fs::path(a.out).filename().string()});
  if (a.method != "auto") in.command.insert(in.command.end(), {"--method", a.method});
  return fit_and_write(in);
}

// ---- schreger ----------------------------------------------------------------------------

struct SchregerArgs {
  lr::TuskSetOptions set;
  std::string work, out, method = "auto", version = "lr-schreger-v1", write_scores;
  bool json = false;
};

int run_schreger(const SchregerArgs& a) {
  FitInputs in;
  in.modality = "schreger";
  in.version = a.version;
  in.out = a.out;
  in.method = a.method;
  in.write_scores = a.write_scores;
  in.json_output = a.json;
  in.score_hash = lr::schreger_score_parameters_hash();
  in.score_description = lr::schreger_score_description();
  std::ostringstream sector;
  sector << a.set.sector_fraction;
  in.command = {"calibrate", "schreger", "--tusks", std::to_string(a.set.tusks), "--slices", std::to_string(a.set.slices),
                "--seed", std::to_string(a.set.seed), "--species", a.set.species, "--sector-fraction", sector.str()};
  WorkDir work(a.work);
  const std::string dir = work.sub("tusks-" + std::to_string(a.set.tusks) + "x" + std::to_string(a.set.slices) + "-s" +
                                   std::to_string(a.set.seed));
  lr::ensure_tusk_set(dir, a.set, progress_line);
  const lr::PairScores fit = lr::tusk_link_scores(dir, [](int t) { return t % 2 == 0; }, progress_line);
  const lr::PairScores test = lr::tusk_link_scores(dir, [](int t) { return t % 2 == 1; }, progress_line);
  const std::string what = "synthetic cut faces (" + a.set.describe().dump() +
                           "); genuine = adjacent slices of one tusk, impostor = different tusks, unordered pairs, "
                           "look-alikes left out";
  in.fitting = fit.scores;
  in.fitting_data.push_back(data_entry("even tusks", what, fit));
  in.held_out.push_back({"odd tusks", test.scores});
  in.held_out_data.push_back(data_entry("odd tusks", what, test));
  in.command.insert(in.command.end(), {"--out", fs::path(a.out).filename().string()});
  if (a.method != "auto") in.command.insert(in.command.end(), {"--method", a.method});
  return fit_and_write(in);
}

// ---- evaluate ------------------------------------------------------------------------------

struct EvaluateArgs {
  std::string model, scores, tippett;
  bool json = false;
};

int run_evaluate(const EvaluateArgs& a) {
  const lr::LrModel model = lr::LrModel::load(a.model);
  const lr::ScoreSet scores = lr::read_score_file(a.scores);
  lr::require_both_classes(scores, "scores file '" + a.scores + "'");
  auto f = [&model](double s) { return model.log10_lr(s); };
  const lr::EvidenceMetrics m = lr::evidence_metrics(scores, f);
  if (!a.tippett.empty()) {
    lr::ScoreSet l;
    for (double s : scores.genuine) l.genuine.push_back(f(s));
    for (double s : scores.impostor) l.impostor.push_back(f(s));
    std::ostringstream sub;
    sub << std::fixed << std::setprecision(3) << fs::path(a.scores).filename().string() << ": Cllr " << m.cllr
        << ", Cllr_min " << m.cllr_min << ", RMEP " << 100 * m.rmep << " %, RMED " << 100 * m.rmed << " %";
    lr::tippett_chart(l, "Tippett plot, " + model.version(), sub.str()).save_png(a.tippett);
  }
  if (a.json) {
    json out = lr::to_json(m);
    out["model"] = model.version();
    out["method"] = lr::to_string(model.calibration().method);
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << std::fixed << std::setprecision(4) << model.version() << " on " << a.scores << ": " << m.genuine
              << " genuine, " << m.impostor << " impostor\n"
              << "  Cllr      " << m.cllr << "\n  Cllr_min  " << m.cllr_min << "\n"
              << std::setprecision(2) << "  RMEP      " << 100 * m.rmep << " % (genuine with LR < 1)\n"
              << "  RMED      " << 100 * m.rmed << " % (impostor with LR > 1)\n"
              << "  log10 LR  " << m.log10_lr_min << " .. " << m.log10_lr_max << "\n";
  }
  return 0;
}

const bool registered = register_commands("calibrate", [](CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("calibrate", "Score -> likelihood-ratio models: fit (finger, schreger) and evaluate");
  group->require_subcommand(1);

  auto f = std::make_shared<FingerArgs>();
  auto* finger = group->add_subcommand(
      "finger", "Fit the fingerprint LR model (MCC LSS-R score) on FVC folders and/or synthetic latent-vs-print "
                "pairs; judge PAV and logistic calibrations on held-out data and keep the best");
  finger->add_option("--fvc", f->fvc, "Folder holding DB1_B, DB2_B, DB3_B (FVC2002 layout)");
  finger->add_option("--dbs", f->dbs, "Databases to fit on, e.g. 1,3")->capture_default_str();
  finger->add_option("--test-dbs", f->test_dbs, "Databases held out (default: the other ones present)");
  finger->add_flag("--no-fit-fvc", f->no_fit_fvc,
                   "Hold out the --dbs databases too: fit on synthetic latents only, judge on every FVC database");
  finger->add_option("--latents", f->latents,
                     "Synthetic fingers for latent-vs-print pairs (odd fingers fit, even held out; 0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 2000));
  finger->add_option("--latent-impressions", f->latent_impressions, "Latent lifts per finger")->capture_default_str()->check(CLI::Range(1, 8));
  finger->add_option("--print-impressions", f->print_impressions, "Plain impressions per finger")->capture_default_str()->check(CLI::Range(2, 8));
  finger->add_option("--seed", f->seed, "Seed of the synthetic prints")->capture_default_str();
  finger->add_option("--work", f->work, "Keep generated images here and reuse them (default: a temporary folder)");
  finger->add_option("--method", f->method, "auto, pav, logistic-score or logistic-log-score")->capture_default_str();
  finger->add_option("--version", f->version, "Model version written into the file")->capture_default_str();
  finger->add_option("--out", f->out, "Model file to write (JSON)")->required();
  finger->add_option("--write-scores", f->write_scores, "Also write PREFIX-fit.txt and PREFIX-held-out.txt score files");
  finger->add_flag("--json", f->json, "Print the held-out figures as JSON");
  finger->callback([f, &ctx] { ctx.exit_code = run_guarded([&] { return run_finger(*f); }); });

  auto s = std::make_shared<SchregerArgs>();
  auto* sch = group->add_subcommand(
      "schreger", "Fit the Schreger cut-face link LR model on synthetic tusks (even tusks fit, odd held out)");
  sch->add_option("--tusks", s->set.tusks, "Number of tusks")->required()->check(CLI::Range(4, 2000));
  sch->add_option("--slices", s->set.slices, "Cut faces per tusk")->required()->check(CLI::Range(2, 50));
  sch->add_option("--seed", s->set.seed, "Generator seed")->capture_default_str();
  sch->add_option("--species", s->set.species, "elephant, mammoth or mixed (look-alikes are left out)")->capture_default_str();
  sch->add_option("--sector-fraction", s->set.sector_fraction, "Fraction of faces cut as sectors (pieces)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  sch->add_option("--work", s->work, "Keep generated images here and reuse them (default: a temporary folder)");
  sch->add_option("--method", s->method, "auto, pav, logistic-score or logistic-log-score")->capture_default_str();
  sch->add_option("--version", s->version, "Model version written into the file")->capture_default_str();
  sch->add_option("--out", s->out, "Model file to write (JSON)")->required();
  sch->add_option("--write-scores", s->write_scores, "Also write PREFIX-fit.txt and PREFIX-held-out.txt score files");
  sch->add_flag("--json", s->json, "Print the held-out figures as JSON");
  sch->callback([s, &ctx] { ctx.exit_code = run_guarded([&] { return run_schreger(*s); }); });

  auto e = std::make_shared<EvaluateArgs>();
  auto* ev = group->add_subcommand(
      "evaluate", "Judge a model on labelled scores (lines 'genuine|impostor SCORE'): Cllr, Cllr_min (PAV on "
                  "that set), RMEP, RMED");
  ev->add_option("--model", e->model, "LR model file (JSON)")->required();
  ev->add_option("--scores", e->scores, "Labelled scores file")->required();
  ev->add_option("--tippett", e->tippett, "Also draw a Tippett plot to this PNG");
  ev->add_flag("--json", e->json, "JSON: genuine_pairs, impostor_pairs, cllr, cllr_min, rmep, rmed (fractions), eer, log10_lr_range");
  ev->callback([e, &ctx] { ctx.exit_code = run_guarded([&] { return run_evaluate(*e); }); });
});

}  // namespace
}  // namespace tuskprint::cli
