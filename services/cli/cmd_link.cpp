// `tuskprint link`: the seizure link report from the server, for investigators.
//   tuskprint link [--seizure ID] [--min-log10-lr X] [--format json|dot|png|text] [-o FILE]
// Clusters of seizures joined by calibrated evidence (a person's marks, pieces of one tusk)
// among the seizures this lab may see. PNG is drawn by GraphViz (`dot`).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <memory>

#include "cli/client.hpp"
#include "core/durable_file.hpp"
#include "core/error.hpp"
#include "link/link_render.hpp"

namespace tuskprint::cli {
namespace {

struct LinkOptions {
  std::string seizure;
  double min_log10_lr = 2.0;
  std::string format = "text";
  std::string out;
};

void print_text(const v1::LinkSeizuresResponse& r, std::ostream& out) {
  out << r.clusters_size() << " cluster(s) of linked seizures at log10 LR >= " << r.min_log10_lr()
      << " (" << r.seizures_seen() << " seizures and " << r.edges_seen()
      << " evidence edges visible)\n";
  int n = 0;
  for (const auto& c : r.clusters()) {
    out << "\ncluster " << ++n << ": " << c.seizure_ids_size() << " seizures, route "
        << (c.route().empty() ? "-" : c.route()) << ", " << c.first_date() << " .. "
        << c.last_date() << ", " << c.specimen_count() << " specimens ("
        << std::fixed << std::setprecision(1) << c.total_weight_kg() << " kg), "
        << c.scan_count() << " scans\n";
    for (const auto& id : c.seizure_ids()) out << "  seizure " << id << "\n";
    for (const auto& e : c.edges()) {
      out << "  " << e.modality() << "  " << e.seizure_a() << "/" << e.scan_a() << " <-> "
          << e.seizure_b() << "/" << e.scan_b() << "  score " << std::setprecision(4)
          << e.raw_score() << "  log10 LR " << std::setprecision(2) << e.log10_lr() << "\n";
    }
  }
}

const bool registered = register_commands("link", [](CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "link", "Seizures linked by calibrated evidence (clusters, routes, evidence edges)");
  add_server_option(cmd, ctx);
  auto options = std::make_shared<LinkOptions>();
  cmd->add_option("--seizure", options->seizure, "Only the cluster around this seizure");
  cmd->add_option("--min-log10-lr", options->min_log10_lr,
                  "An edge links two seizures at or above this log10 LR (default 2: LR 100)");
  cmd->add_option("--format", options->format, "text, json, dot or png")
      ->check(CLI::IsMember({"text", "json", "dot", "png"}));
  cmd->add_option("-o,--out", options->out, "Write here (png needs it); default stdout");
  cmd->callback([&ctx, options] {
    ctx.exit_code = run_guarded([&] {
      TP_CHECK(options->format != "png" || !options->out.empty(), kInvalidArgument,
               "--format png needs -o FILE");
      v1::LinkSeizuresRequest request;
      request.set_seizure_id(options->seizure);
      request.set_min_log10_lr(options->min_log10_lr);
      v1::LinkSeizuresResponse response;
      auto context = make_context(300);
      check_status(connect(ctx.server)->LinkSeizures(context.get(), request, &response),
                   ctx.server);
      std::string bytes;
      if (options->format == "json") {
        bytes = response.report_json() + "\n";
      } else if (options->format == "dot") {
        bytes = response.dot();
      } else if (options->format == "png") {
        const auto png = link::render_png(response.dot());
        bytes.assign(png.begin(), png.end());
      } else {
        std::ostringstream text;
        print_text(response, text);
        bytes = text.str();
      }
      if (options->out.empty()) {
        std::cout << bytes;
      } else {
        write_file_durably(options->out, options->out + ".tmp", bytes);
        std::cerr << "wrote " << options->out << " (" << response.clusters_size()
                  << " cluster(s))\n";
      }
      return 0;
    });
  });
});

}  // namespace
}  // namespace tuskprint::cli
