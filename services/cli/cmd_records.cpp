// Client commands for evidence records:
//   tuskprint seizure create|get|list|share, tuskprint specimen add|list, tuskprint scan submit|get|list
#include <google/protobuf/descriptor.h>

#include <fstream>
#include <iostream>

#include "cli/client.hpp"
#include "core/error.hpp"
#include "image/decode.hpp"

namespace tuskprint::cli {
namespace {

// "latent_lift" -> SCAN_KIND_LATENT_LIFT, using the enum's own descriptor.
int parse_enum(const google::protobuf::EnumDescriptor* descriptor, const std::string& prefix,
               const std::string& text, const char* option) {
  std::string name = prefix;
  for (char c : text) name += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
  const auto* value = descriptor->FindValueByName(name);
  if (value == nullptr || value->number() == 0) {
    std::string allowed;
    for (int i = 1; i < descriptor->value_count(); ++i) {
      std::string v = descriptor->value(i)->name().substr(prefix.size());
      for (char& c : v) c = char(std::tolower(static_cast<unsigned char>(c)));
      allowed += (allowed.empty() ? "" : ", ") + v;
    }
    TP_THROW(kInvalidArgument, option << " '" << text << "' is not one of: " << allowed);
  }
  return value->number();
}

std::string enum_text(const google::protobuf::EnumDescriptor* descriptor, const std::string& prefix,
                      int number) {
  const auto* value = descriptor->FindValueByNumber(number);
  if (value == nullptr || number == 0) return "-";
  std::string v = value->name().substr(prefix.size());
  for (char& c : v) c = char(std::tolower(static_cast<unsigned char>(c)));
  return v;
}

std::string join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "-" : out;
}

void print_seizure(const v1::Seizure& s) {
  std::cout << s.id() << "  " << s.date() << "  " << s.discovering_country() << "  "
            << (s.agency().empty() ? "-" : s.agency()) << "  raw " << s.raw_pieces() << " pcs / "
            << s.raw_kg() << " kg, worked " << s.worked_pieces() << " pcs / " << s.worked_kg()
            << " kg  route " << join(s.origin_countries()) << " -> " << join(s.transit_countries())
            << " -> " << join(s.destination_countries()) << "\n";
}

void print_specimen(const v1::Specimen& s) {
  std::cout << s.id() << "  seizure " << s.seizure_id() << "  "
            << enum_text(v1::SpecimenKind_descriptor(), "SPECIMEN_KIND_", s.kind()) << "  CITES "
            << (s.cites_mark().text().empty() ? "-" : s.cites_mark().text()) << "  "
            << s.weight_kg() << " kg\n";
}

void print_scan(const v1::Scan& s) {
  std::cout << s.id() << "  seizure " << s.metadata().seizure_id() << "  "
            << enum_text(v1::ScanKind_descriptor(), "SCAN_KIND_", s.metadata().kind()) << "  "
            << s.width() << "x" << s.height() << " @ " << s.metadata().ppi() << " ppi  "
            << s.media_type() << "  " << s.byte_size() << " bytes  sha256 " << s.sha256()
            << (s.withdrawn() ? "  WITHDRAWN" : "") << "\n";
}

void install_seizure(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("seizure", "Create, fetch and list seizures (client)");
  group->require_subcommand(1);

  auto* create = group->add_subcommand("create", "Record a new seizure");
  add_server_option(create, ctx);
  auto seizure = std::make_shared<v1::Seizure>();
  auto json = std::make_shared<bool>(false);
  auto origins = std::make_shared<std::vector<std::string>>();
  auto transits = std::make_shared<std::vector<std::string>>();
  auto destinations = std::make_shared<std::vector<std::string>>();
  auto cases = std::make_shared<std::vector<std::string>>();
  create->add_option_function<std::string>("--date", [seizure](const std::string& v) { seizure->set_date(v); }, "Date of seizure, YYYY-MM-DD")->required();
  create->add_option_function<std::string>("--country", [seizure](const std::string& v) { seizure->set_discovering_country(v); }, "Discovering country, ISO 3166 alpha-2")->required();
  create->add_option_function<std::string>("--agency", [seizure](const std::string& v) { seizure->set_agency(v); }, "Seizing agency");
  create->add_option_function<std::string>("--location", [seizure](const std::string& v) { seizure->set_location(v); }, "Place of seizure");
  create->add_option_function<std::uint32_t>("--raw-pieces", [seizure](std::uint32_t v) { seizure->set_raw_pieces(v); }, "Raw ivory pieces");
  create->add_option_function<double>("--raw-kg", [seizure](double v) { seizure->set_raw_kg(v); }, "Raw ivory weight, kg");
  create->add_option_function<std::uint32_t>("--worked-pieces", [seizure](std::uint32_t v) { seizure->set_worked_pieces(v); }, "Worked ivory pieces");
  create->add_option_function<double>("--worked-kg", [seizure](double v) { seizure->set_worked_kg(v); }, "Worked ivory weight, kg");
  create->add_option("--origin", *origins, "Origin country (repeatable)");
  create->add_option("--transit", *transits, "Transit country (repeatable)");
  create->add_option("--destination", *destinations, "Destination country (repeatable)");
  create->add_option("--case-ref", *cases, "Case reference (repeatable)");
  create->add_option_function<std::string>("--transport-mode", [seizure](const std::string& v) { seizure->set_transport_mode(v); }, "Air, sea, road, mail, ...");
  create->add_option_function<std::string>("--concealment", [seizure](const std::string& v) { seizure->set_concealment(v); }, "How the ivory was hidden");
  create->add_option_function<std::string>("--etis-ref", [seizure](const std::string& v) { seizure->set_etis_reference(v); }, "ETIS reference");
  create->add_option_function<std::string>("--interpol-ref", [seizure](const std::string& v) { seizure->set_interpol_reference(v); }, "INTERPOL notice or case reference");
  create->add_option_function<std::string>("--notes", [seizure](const std::string& v) { seizure->set_notes(v); }, "Free text");
  create->add_flag("--json", *json, "Print the stored record as JSON");
  create->callback([&ctx, seizure, json, origins, transits, destinations, cases] {
    ctx.exit_code = run_guarded([&] {
      for (const auto& c : *origins) seizure->add_origin_countries(c);
      for (const auto& c : *transits) seizure->add_transit_countries(c);
      for (const auto& c : *destinations) seizure->add_destination_countries(c);
      for (const auto& c : *cases) seizure->add_case_references(c);
      v1::CreateSeizureRequest request;
      *request.mutable_seizure() = *seizure;
      v1::Seizure stored;
      auto context = make_context();
      check_status(connect(ctx.server)->CreateSeizure(context.get(), request, &stored), ctx.server);
      if (*json) std::cout << to_json(stored) << "\n"; else print_seizure(stored);
      return 0;
    });
  });

  auto* get = group->add_subcommand("get", "Fetch one seizure");
  add_server_option(get, ctx);
  auto id = std::make_shared<std::string>();
  auto get_json = std::make_shared<bool>(false);
  get->add_option("ID", *id, "Seizure id")->required();
  get->add_flag("--json", *get_json, "Print JSON");
  get->callback([&ctx, id, get_json] {
    ctx.exit_code = run_guarded([&] {
      v1::GetSeizureRequest request;
      request.set_seizure_id(*id);
      v1::Seizure seizure;
      auto context = make_context();
      check_status(connect(ctx.server)->GetSeizure(context.get(), request, &seizure), ctx.server);
      if (*get_json) std::cout << to_json(seizure) << "\n"; else print_seizure(seizure);
      return 0;
    });
  });

  auto* share = group->add_subcommand(
      "share", "Share a seizure you own (and its specimens and scans) with other labs, or stop");
  add_server_option(share, ctx);
  auto share_id = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto off = std::make_shared<bool>(false);
  share->add_option("ID", *share_id, "Seizure id")->required();
  share->add_option("--reason", *reason, "Why (e.g. the INTERPOL case); kept in the audit log")
      ->required();
  share->add_flag("--off", *off, "Stop sharing");
  share->callback([&ctx, share_id, reason, off] {
    ctx.exit_code = run_guarded([&] {
      v1::SetSeizureSharingRequest request;
      request.set_seizure_id(*share_id);
      request.set_shareable(!*off);
      request.set_reason(*reason);
      v1::Seizure seizure;
      auto context = make_context();
      check_status(connect(ctx.server)->SetSeizureSharing(context.get(), request, &seizure),
                   ctx.server);
      std::cout << seizure.id() << (seizure.shareable() ? " is shared with other labs\n"
                                                        : " is seen by its owner only\n");
      return 0;
    });
  });

  auto* list = group->add_subcommand("list", "List seizures (all pages)");
  add_server_option(list, ctx);
  auto country = std::make_shared<std::string>();
  auto list_json = std::make_shared<bool>(false);
  list->add_option("--country", *country, "Only seizures discovered in this country");
  list->add_flag("--json", *list_json, "Print a JSON array");
  list->callback([&ctx, country, list_json] {
    ctx.exit_code = run_guarded([&] {
      auto stub = connect(ctx.server);
      v1::ListSeizuresRequest request;
      request.set_discovering_country(*country);
      request.set_page_size(500);
      std::vector<v1::Seizure> all;
      do {
        v1::ListSeizuresResponse response;
        auto context = make_context();
        check_status(stub->ListSeizures(context.get(), request, &response), ctx.server);
        for (const auto& s : response.seizures()) all.push_back(s);
        request.set_page_token(response.next_page_token());
      } while (!request.page_token().empty());
      if (*list_json) {
        std::cout << "[";
        for (std::size_t i = 0; i < all.size(); ++i) std::cout << (i ? ",\n" : "\n") << to_json(all[i]);
        std::cout << "\n]\n";
      } else {
        for (const auto& s : all) print_seizure(s);
        std::cout << all.size() << " seizure(s)\n";
      }
      return 0;
    });
  });
}

void install_specimen(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("specimen", "Add and list specimens of a seizure (client)");
  group->require_subcommand(1);
  auto* add = group->add_subcommand("add", "Add a specimen (tusk, cut piece, worked item) to a seizure");
  add_server_option(add, ctx);
  auto specimen = std::make_shared<v1::Specimen>();
  auto kind = std::make_shared<std::string>();
  auto side = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  add->add_option_function<std::string>("--seizure", [specimen](const std::string& v) { specimen->set_seizure_id(v); }, "Seizure id")->required();
  add->add_option_function<std::string>("--cites-mark", [specimen](const std::string& v) { specimen->set_cites_mark_text(v); }, "CITES mark, e.g. \"KE 00/127/14\"");
  add->add_option("--kind", *kind, "whole_tusk, cut_piece, worked_item or cross_section");
  add->add_option_function<double>("--weight-kg", [specimen](double v) { specimen->set_weight_kg(v); }, "Weight, kg");
  add->add_option_function<double>("--length-cm", [specimen](double v) { specimen->set_length_cm(v); }, "Length, cm");
  add->add_option("--side", *side, "left, right or unknown");
  add->add_option_function<std::string>("--dna-sample", [specimen](const std::string& v) { specimen->set_dna_sample_id(v); }, "DNA sample id");
  add->add_option_function<std::string>("--description", [specimen](const std::string& v) { specimen->set_description(v); }, "Free text");
  add->add_flag("--json", *json, "Print JSON");
  add->callback([&ctx, specimen, kind, side, json] {
    ctx.exit_code = run_guarded([&] {
      if (!kind->empty()) {
        specimen->set_kind(v1::SpecimenKind(parse_enum(v1::SpecimenKind_descriptor(), "SPECIMEN_KIND_", *kind, "--kind")));
      }
      if (!side->empty()) {
        specimen->set_side(v1::TuskSide(parse_enum(v1::TuskSide_descriptor(), "TUSK_SIDE_", *side, "--side")));
      }
      v1::AddSpecimenRequest request;
      *request.mutable_specimen() = *specimen;
      v1::Specimen stored;
      auto context = make_context();
      check_status(connect(ctx.server)->AddSpecimen(context.get(), request, &stored), ctx.server);
      if (*json) std::cout << to_json(stored) << "\n"; else print_specimen(stored);
      return 0;
    });
  });

  auto* list = group->add_subcommand("list", "List the specimens of a seizure");
  add_server_option(list, ctx);
  auto seizure_id = std::make_shared<std::string>();
  auto list_json = std::make_shared<bool>(false);
  list->add_option("--seizure", *seizure_id, "Seizure id")->required();
  list->add_flag("--json", *list_json, "Print a JSON array");
  list->callback([&ctx, seizure_id, list_json] {
    ctx.exit_code = run_guarded([&] {
      v1::ListSpecimensRequest request;
      request.set_seizure_id(*seizure_id);
      v1::ListSpecimensResponse response;
      auto context = make_context();
      check_status(connect(ctx.server)->ListSpecimens(context.get(), request, &response), ctx.server);
      if (*list_json) {
        std::cout << to_json(response) << "\n";
      } else {
        for (const auto& s : response.specimens()) print_specimen(s);
      }
      return 0;
    });
  });
}

void install_scan(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("scan", "Submit, fetch and list scans (client)");
  group->require_subcommand(1);

  auto* submit = group->add_subcommand("submit", "Upload a scan (latent lift or cross-section) with its metadata");
  add_server_option(submit, ctx);
  struct SubmitArgs {
    std::string file, kind, surface;
    v1::ScanMetadata metadata;
    std::uint32_t chunk_kib = 1024;
    bool json = false;
  };
  auto a = std::make_shared<SubmitArgs>();
  submit->add_option("FILE", a->file, "Image file (PNG, TIFF, JPEG, JPEG 2000, BMP)")->required();
  submit->add_option_function<std::string>("--seizure", [a](const std::string& v) { a->metadata.set_seizure_id(v); }, "Seizure id")->required();
  submit->add_option_function<std::string>("--specimen", [a](const std::string& v) { a->metadata.set_specimen_id(v); }, "Specimen id");
  submit->add_option("--kind", a->kind, "latent_lift, cross_section, reference_print or item_photo")->required();
  submit->add_option_function<std::uint32_t>("--ppi", [a](std::uint32_t v) { a->metadata.set_ppi(v); }, "Capture resolution, pixels per inch")->required();
  submit->add_option_function<std::string>("--operator", [a](const std::string& v) { a->metadata.set_operator_name(v); }, "Who captured the scan")->required();
  submit->add_option_function<std::string>("--method", [a](const std::string& v) { a->metadata.mutable_capture()->set_developing_method(v); }, "Developing method, e.g. \"black magnetic powder\"");
  submit->add_option("--surface", a->surface, "raw, polished or bark");
  submit->add_option_function<std::uint32_t>("--mark-age-days", [a](std::uint32_t v) { a->metadata.mutable_capture()->set_estimated_mark_age_days(v); }, "Estimated age of the mark, days");
  submit->add_flag_function("--scale-present", [a](std::int64_t) { a->metadata.mutable_capture()->set_scale_present(true); }, "A scale is visible in the image");
  submit->add_option_function<std::string>("--device", [a](const std::string& v) { a->metadata.mutable_capture()->set_device(v); }, "Camera or scanner");
  submit->add_option_function<std::string>("--notes", [a](const std::string& v) { a->metadata.mutable_capture()->set_notes(v); }, "Free text");
  submit->add_option("--chunk-kib", a->chunk_kib, "Upload chunk size, KiB (default 1024)")->check(CLI::Range(1, 4096));
  submit->add_flag("--json", a->json, "Print the stored record as JSON");
  submit->callback([&ctx, a] {
    ctx.exit_code = run_guarded([&] {
      a->metadata.set_kind(v1::ScanKind(parse_enum(v1::ScanKind_descriptor(), "SCAN_KIND_", a->kind, "--kind")));
      if (!a->surface.empty()) {
        a->metadata.mutable_capture()->set_surface(v1::Surface(parse_enum(v1::Surface_descriptor(), "SURFACE_", a->surface, "--surface")));
      }
      const std::string bytes = image::read_file_bytes(a->file);
      a->metadata.set_file_name(a->file);
      auto context = make_context(300);
      v1::SubmitScanResponse response;
      auto stub = connect(ctx.server);
      auto writer = stub->SubmitScan(context.get(), &response);
      v1::SubmitScanChunk first;
      *first.mutable_metadata() = a->metadata;
      bool open = writer->Write(first);
      const std::size_t chunk = std::size_t(a->chunk_kib) * 1024;
      for (std::size_t offset = 0; open && offset < bytes.size(); offset += chunk) {
        v1::SubmitScanChunk part;
        part.set_data(bytes.substr(offset, chunk));
        open = writer->Write(part);
      }
      writer->WritesDone();
      check_status(writer->Finish(), ctx.server);
      if (a->json) {
        std::cout << to_json(response) << "\n";
      } else {
        print_scan(response.scan());
        if (response.duplicate_bytes()) std::cout << "(identical image bytes were already stored; not duplicated)\n";
      }
      return 0;
    });
  });

  auto* get = group->add_subcommand("get", "Fetch a scan's record (and optionally its image)");
  add_server_option(get, ctx);
  auto id = std::make_shared<std::string>();
  auto image_out = std::make_shared<std::string>();
  auto get_json = std::make_shared<bool>(false);
  get->add_option("ID", *id, "Scan id")->required();
  get->add_option("--image-out", *image_out, "Write the stored image bytes to this file");
  get->add_flag("--json", *get_json, "Print JSON");
  get->callback([&ctx, id, image_out, get_json] {
    ctx.exit_code = run_guarded([&] {
      auto stub = connect(ctx.server);
      v1::GetScanRequest request;
      request.set_scan_id(*id);
      v1::Scan scan;
      auto context = make_context();
      check_status(stub->GetScan(context.get(), request, &scan), ctx.server);
      if (!image_out->empty()) {
        v1::FetchScanImageRequest fetch;
        fetch.set_scan_id(*id);
        auto fetch_context = make_context(300);
        auto reader = stub->FetchScanImage(fetch_context.get(), fetch);
        std::string bytes;
        v1::ScanImageChunk chunk;
        while (reader->Read(&chunk)) bytes += chunk.data();
        check_status(reader->Finish(), ctx.server);
        std::ofstream out(*image_out, std::ios::binary);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        TP_CHECK(out.good(), kInternal, "cannot write '" << *image_out << "'");
      }
      if (*get_json) std::cout << to_json(scan) << "\n"; else print_scan(scan);
      return 0;
    });
  });

  auto* withdraw = group->add_subcommand(
      "withdraw", "Withdraw a scan from search (record and image stay as evidence)");
  add_server_option(withdraw, ctx);
  auto withdraw_id = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  withdraw->add_option("ID", *withdraw_id, "Scan id")->required();
  withdraw->add_option("--reason", *reason, "Why (kept in the audit log)")->required();
  withdraw->callback([&ctx, withdraw_id, reason] {
    ctx.exit_code = run_guarded([&] {
      v1::WithdrawScanRequest request;
      request.set_scan_id(*withdraw_id);
      request.set_reason(*reason);
      v1::Scan scan;
      auto context = make_context();
      check_status(connect(ctx.server)->WithdrawScan(context.get(), request, &scan), ctx.server);
      print_scan(scan);
      return 0;
    });
  });

  auto* list = group->add_subcommand("list", "List the scans of a seizure");
  add_server_option(list, ctx);
  auto seizure_id = std::make_shared<std::string>();
  auto list_json = std::make_shared<bool>(false);
  list->add_option("--seizure", *seizure_id, "Seizure id")->required();
  list->add_flag("--json", *list_json, "Print JSON");
  list->callback([&ctx, seizure_id, list_json] {
    ctx.exit_code = run_guarded([&] {
      v1::ListScansRequest request;
      request.set_seizure_id(*seizure_id);
      v1::ListScansResponse response;
      auto context = make_context();
      check_status(connect(ctx.server)->ListScans(context.get(), request, &response), ctx.server);
      if (*list_json) {
        std::cout << to_json(response) << "\n";
      } else {
        for (const auto& s : response.scans()) print_scan(s);
      }
      return 0;
    });
  });
}

const bool registered = register_commands("records", [](CLI::App& app, Context& ctx) {
  install_seizure(app, ctx);
  install_specimen(app, ctx);
  install_scan(app, ctx);
});

}  // namespace
}  // namespace tuskprint::cli
