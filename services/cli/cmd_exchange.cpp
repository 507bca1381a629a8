// Client commands for INTERPOL exchange through tuskprintd:
//   tuskprint export SCAN_ID... --format an2|xml -o FILE|DIR
//   tuskprint import FILE --seizure ID [--specimen ID] [--operator NAME]
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/client.hpp"
#include "core/error.hpp"
#include "image/decode.hpp"

namespace tuskprint::cli {
namespace {

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  TP_CHECK(out.good(), kInternal, "cannot write '" << path.string() << "'");
}

void install(CLI::App& app, Context& ctx) {
  auto* exp = app.add_subcommand(
      "export", "Export latent scans as INTERPOL INT-I v6 MPS transactions (client)");
  add_server_option(exp, ctx);
  struct ExportArgs {
    std::vector<std::string> ids;
    std::string format = "an2", output, origin, destination;
    bool json = false;
  };
  auto a = std::make_shared<ExportArgs>();
  exp->add_option("SCAN_ID", a->ids, "Latent scan id(s)")->required();
  exp->add_option("--format", a->format, "an2 (traditional encoding) or xml")
      ->check(CLI::IsMember({"an2", "xml"}));
  exp->add_option("-o,--output", a->output,
                  "Output file (one scan) or directory (files named by TCN)")->required();
  exp->add_option("--origin", a->origin, "Originating agency id (1.008 ORI)");
  exp->add_option("--destination", a->destination, "Destination agency id (1.007 DAI)");
  exp->add_flag("--json", a->json, "Print what was written as JSON");
  exp->callback([&ctx, a] {
    ctx.exit_code = run_guarded([&] {
      v1::ExportRequest request;
      for (const auto& id : a->ids) request.add_scan_ids(id);
      request.set_format(a->format);
      request.set_origin_agency_id(a->origin);
      request.set_destination_agency_id(a->destination);
      v1::ExportResponse response;
      auto context = make_context(300);
      check_status(connect(ctx.server)->Export(context.get(), request, &response), ctx.server);
      const bool to_directory = a->ids.size() > 1 || std::filesystem::is_directory(a->output);
      if (to_directory) std::filesystem::create_directories(a->output);
      for (const auto& t : response.transactions()) {
        const std::filesystem::path path =
            to_directory ? std::filesystem::path(a->output) / t.file_name()
                         : std::filesystem::path(a->output);
        write_file(path, t.data());
        if (!a->json) {
          std::cout << t.scan_id() << " -> " << path.string() << "  (TCN " << t.tcn() << ", "
                    << t.data().size() << " bytes, image sha256 " << t.image_sha256() << ")\n";
        }
      }
      if (a->json) {
        v1::ExportResponse summary = response;
        for (auto& t : *summary.mutable_transactions()) t.clear_data();
        std::cout << to_json(summary) << "\n";
      }
      return 0;
    });
  });

  auto* imp = app.add_subcommand(
      "import", "Import a latent (Type-13, with or without Type-9) from an ANSI/NIST-ITL file (client)");
  add_server_option(imp, ctx);
  struct ImportArgs {
    std::string file;
    v1::ImportRequest request;
    bool json = false;
  };
  auto b = std::make_shared<ImportArgs>();
  imp->add_option("FILE", b->file, "ANSI/NIST-ITL file, traditional or XML encoding")->required();
  imp->add_option_function<std::string>("--seizure", [b](const std::string& v) { b->request.set_seizure_id(v); }, "Seizure id (default: a new seizure record, country unknown, for this import)");
  imp->add_option_function<std::string>("--specimen", [b](const std::string& v) { b->request.set_specimen_id(v); }, "Specimen id");
  imp->add_option_function<std::string>("--operator", [b](const std::string& v) { b->request.set_operator_name(v); }, "Who imported it");
  imp->add_option_function<int>("--idc", [b](int v) { b->request.set_idc(v); }, "Which Type-13 record (IDC); default the first");
  imp->add_flag("--json", b->json, "Print JSON");
  imp->callback([&ctx, b] {
    ctx.exit_code = run_guarded([&] {
      b->request.set_data(image::read_file_bytes(b->file));
      v1::ImportResponse response;
      auto context = make_context(300);
      check_status(connect(ctx.server)->Import(context.get(), b->request, &response), ctx.server);
      if (b->json) {
        std::cout << to_json(response) << "\n";
      } else {
        std::cout << response.scan().id() << "  imported " << response.scan().width() << "x"
                  << response.scan().height() << " @ " << response.scan().metadata().ppi()
                  << " ppi, " << response.imported_minutiae() << " Type-9 minutiae in the file, "
                  << response.scan().finger_template().minutiae_size()
                  << " extracted by TuskPrint\n";
      }
      return 0;
    });
  });
}

const bool registered = register_commands("exchange", install);

}  // namespace
}  // namespace tuskprint::cli
