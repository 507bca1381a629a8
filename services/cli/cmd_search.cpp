// Client commands for 1:N search and 1:1 verification against tuskprintd:
//   tuskprint search (--scan ID | --image FILE --ppi N | --template T.tpl) [--top-k K] ...
//   tuskprint verify A B [--ppi N]      (A, B: scan ids, images or template files)
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/client.hpp"
#include "core/error.hpp"
#include "image/decode.hpp"
#include "ridge/template_io.hpp"

namespace tuskprint::cli {
namespace {

// "SC-..." that is not a file on disk names a stored scan; a file is a template when it
// starts with the template tag, otherwise an image.
v1::Probe probe_from_argument(const std::string& argument, int ppi) {
  v1::Probe probe;
  if (!std::filesystem::exists(argument)) {
    TP_CHECK(argument.rfind("SC-", 0) == 0, kNotFound,
             "'" << argument << "' is neither a file nor a scan id (SC-...)");
    probe.set_scan_id(argument);
    return probe;
  }
  const std::string bytes = image::read_file_bytes(argument);
  if (bytes.rfind(std::string(ridge::kTemplateFileTag), 0) == 0) {
    *probe.mutable_finger_template() = ridge::to_proto(ridge::decode_template_file(bytes));
    return probe;
  }
  TP_CHECK(ppi > 0, kInvalidArgument, "image '" << argument << "' needs --ppi");
  probe.mutable_image()->set_data(bytes);
  probe.mutable_image()->set_ppi(std::uint32_t(ppi));
  probe.mutable_image()->set_kind(v1::SCAN_KIND_LATENT_LIFT);
  return probe;
}

void install(CLI::App& app, Context& ctx) {
  auto* search = app.add_subcommand("search", "Search the fingerprint gallery 1:N (client)");
  add_server_option(search, ctx);
  struct SearchArgs {
    std::string scan, image, template_file;
    int ppi = 0;
    std::uint32_t top_k = 10;
    float threshold = 0;
    bool same_seizure = false, json = false;
  };
  auto a = std::make_shared<SearchArgs>();
  auto* by_scan = search->add_option("--scan", a->scan, "Probe: a stored scan id");
  auto* by_image = search->add_option("--image", a->image, "Probe: an image file (needs --ppi)");
  auto* by_template = search->add_option("--template", a->template_file, "Probe: a template file");
  by_scan->excludes(by_image)->excludes(by_template);
  by_image->excludes(by_template);
  search->add_option("--ppi", a->ppi, "Resolution of --image, pixels per inch");
  search->add_option("--top-k", a->top_k, "Candidates to return (1-100)")->check(CLI::Range(1, 100));
  search->add_option("--threshold", a->threshold, "Leave out candidates scoring below this");
  search->add_flag("--include-same-seizure", a->same_seizure,
                   "Also return marks from the probe's own seizure");
  search->add_flag("--json", a->json, "Print JSON");
  search->callback([&ctx, a] {
    ctx.exit_code = run_guarded([&] {
      v1::SearchRequest request;
      if (!a->scan.empty()) {
        request.mutable_probe()->set_scan_id(a->scan);
      } else if (!a->image.empty() || !a->template_file.empty()) {
        *request.mutable_probe() =
            probe_from_argument(a->image.empty() ? a->template_file : a->image, a->ppi);
      } else {
        TP_THROW(kInvalidArgument, "give a probe: --scan ID, --image FILE --ppi N or --template T");
      }
      request.set_top_k(a->top_k);
      request.set_threshold(a->threshold);
      request.set_include_same_seizure(a->same_seizure);
      v1::SearchResponse response;
      auto context = make_context(120);
      check_status(connect(ctx.server)->Search(context.get(), request, &response), ctx.server);
      if (a->json) {
        std::cout << to_json(response) << "\n";
        return 0;
      }
      const auto& st = response.stats();
      if (st.probe_minutiae() > 0 || response.probe_too_poor()) {
        std::cout << "probe: " << st.probe_minutiae() << " minutiae, quality " << st.probe_quality()
                  << (response.probe_too_poor()
                          ? "  (too poor to search: " + response.probe_quality_reason() + ")"
                          : "")
                  << "\n";
      }
      std::cout << "gallery " << st.gallery_size()
                << (response.modality() == v1::MODALITY_SCHREGER ? " cut faces, " : " templates, ") << st.reranked()
                << " re-ranked, " << std::fixed << std::setprecision(1) << st.total_ms() << " ms\n";
      for (const auto& c : response.candidates()) {
        std::ostringstream lr;
        if (c.has_log10_lr()) lr << "  log10 LR " << std::setprecision(1) << c.log10_lr();
        if (c.has_size_step_mm()) {
          lr << "  probe face " << std::setprecision(2) << std::abs(c.size_step_mm()) << " mm "
             << (c.size_step_mm() >= 0 ? "larger" : "smaller") << " in radius";
        }
        if (c.has_outline_residual_mm()) {
          lr << "  outlines agree to " << std::setprecision(2) << c.outline_residual_mm() << " mm"
             << (c.mirror_image() ? " (mirror image)" : " (as photographed)");
        }
        std::cout << std::setw(3) << c.rank() << ". " << c.scan_id() << "  score "
                  << std::setprecision(3) << c.score() << lr.str() << "  seizure " << c.seizure_id() << " ("
                  << c.discovering_country() << ", " << c.seizure_date() << ")"
                  << (c.cites_mark().empty() ? "" : "  CITES " + c.cites_mark())
                  << (c.adjacent_in_cut_order() ? "  facing cut face" : "")
                  << (c.fills_cut_order_gap() ? "  facing cut face (missing from the cut order)" : "") << "\n";
      }
      if (response.candidates_size() == 0) std::cout << "no candidates\n";
      return 0;
    });
  });

  auto* verify = app.add_subcommand("verify", "Compare two fingerprints 1:1 on the server (client)");
  add_server_option(verify, ctx);
  struct VerifyArgs {
    std::string a, b;
    int ppi = 0;
    bool json = false;
  };
  auto v = std::make_shared<VerifyArgs>();
  verify->add_option("A", v->a, "Scan id, image or template file")->required();
  verify->add_option("B", v->b, "Scan id, image or template file")->required();
  verify->add_option("--ppi", v->ppi, "Resolution of image arguments");
  verify->add_flag("--json", v->json, "Print JSON");
  verify->callback([&ctx, v] {
    ctx.exit_code = run_guarded([&] {
      v1::VerifyRequest request;
      *request.mutable_a() = probe_from_argument(v->a, v->ppi);
      *request.mutable_b() = probe_from_argument(v->b, v->ppi);
      v1::VerifyResponse response;
      auto context = make_context(120);
      check_status(connect(ctx.server)->Verify(context.get(), request, &response), ctx.server);
      if (v->json) {
        std::cout << to_json(response) << "\n";
      } else {
        std::cout << "score " << std::fixed << std::setprecision(4) << response.score() << "  ("
                  << response.minutiae_a() << " and " << response.minutiae_b() << " minutiae, "
                  << response.pairs_size() << " pairs)";
        if (response.has_log10_lr()) {
          std::cout << "  log10 LR " << std::setprecision(2) << response.log10_lr() << " ("
                    << response.lr_model() << ")";
        }
        std::cout << "\n";
      }
      return 0;
    });
  });
}

const bool registered = register_commands("search", install);

}  // namespace
}  // namespace tuskprint::cli
