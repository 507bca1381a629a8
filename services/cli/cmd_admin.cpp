// Administration: API tokens and the audit log.
//   tuskprint token create --lab LAB --name NAME --roles submit,search [--data DIR] [--json]
//   tuskprint token list [--all] [--data DIR] [--json]
//   tuskprint token revoke ID [--data DIR]
//   tuskprint audit verify [--data DIR] [--json]
//   tuskprint catalog remeasure --data DIR [--dry-run] [--json]
// With --data the command works on a data directory directly (on the machine that holds it:
// how the first admin token is made); otherwise it asks the server (admin role).
#include <unistd.h>

#include <iostream>
#include <memory>

#include <google/protobuf/util/time_util.h>
#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "cli/client.hpp"
#include "core/error.hpp"
#include "service/evidence_service.hpp"

namespace tuskprint::cli {
namespace {

struct AdminOptions {
  std::string data_dir;
  bool json = false;
};

// The local operator as the audit log names them when working on the data directory.
service::Caller local_admin() {
  service::Caller caller;
  caller.lab = "local";
  caller.name = "uid " + std::to_string(::getuid());
  caller.token_id = "data-directory";
  caller.roles = {service::Role::kAdmin};
  return caller;
}

// Runs `body` against an in-process core on --data, or returns false to use the server.
template <typename Body>
void with_local_core(const AdminOptions& options, Body&& body) {
  auto catalog = catalog::Catalog::open(options.data_dir);
  service::EvidenceService core(*catalog, service::ServiceOptions{});
  body(core, local_admin());
}

void print_token(const v1::TokenInfo& t) {
  std::string roles;
  for (int r : t.roles()) {
    std::string name = v1::Role_Name(v1::Role(r)).substr(5);
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    roles += (roles.empty() ? "" : ",") + name;
  }
  std::cout << t.id() << "  lab " << t.lab() << "  " << t.name() << "  roles " << roles
            << "  created " << google::protobuf::util::TimeUtil::ToString(t.created_at())
            << (t.revoked() ? "  REVOKED" : "") << "\n";
}

void install_token(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("token", "Create, list and revoke API tokens (admin)");
  group->require_subcommand(1);

  auto* create = group->add_subcommand("create", "Create a token; the secret is printed once");
  add_server_option(create, ctx);
  auto options = std::make_shared<AdminOptions>();
  auto lab = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto roles = std::make_shared<std::string>();
  create->add_option("--lab", *lab, "Lab that owns what this token creates")->required();
  create->add_option("--name", *name, "Who or what holds the token")->required();
  create->add_option("--roles", *roles, "Comma-separated: submit, search, export, admin")
      ->required();
  create->add_option("--data", options->data_dir, "Work on this data directory directly");
  create->add_flag("--json", options->json, "Print JSON");
  create->callback([&ctx, options, lab, name, roles] {
    ctx.exit_code = run_guarded([&] {
      v1::CreateTokenRequest request;
      request.set_lab(*lab);
      request.set_name(*name);
      for (service::Role r : service::parse_roles(*roles).roles()) {
        request.add_roles(r == service::Role::kSubmit   ? v1::ROLE_SUBMIT
                          : r == service::Role::kSearch ? v1::ROLE_SEARCH
                          : r == service::Role::kExport ? v1::ROLE_EXPORT
                                                        : v1::ROLE_ADMIN);
      }
      v1::CreateTokenResponse response;
      if (!options->data_dir.empty()) {
        with_local_core(*options, [&](service::EvidenceService& core, const service::Caller& c) {
          response = core.create_token(request, c);
        });
      } else {
        auto context = make_context();
        check_status(connect(ctx.server)->CreateToken(context.get(), request, &response),
                     ctx.server);
      }
      if (options->json) {
        std::cout << to_json(response) << "\n";
      } else {
        print_token(response.info());
        std::cout << response.token() << "\n";
        std::cerr << "(the token is shown only now; keep it secret)\n";
      }
      return 0;
    });
  });

  auto* list = group->add_subcommand("list", "List tokens (never their secrets)");
  add_server_option(list, ctx);
  auto list_options = std::make_shared<AdminOptions>();
  auto all = std::make_shared<bool>(false);
  list->add_flag("--all", *all, "Include revoked tokens");
  list->add_option("--data", list_options->data_dir, "Work on this data directory directly");
  list->add_flag("--json", list_options->json, "Print JSON");
  list->callback([&ctx, list_options, all] {
    ctx.exit_code = run_guarded([&] {
      v1::ListTokensRequest request;
      request.set_include_revoked(*all);
      v1::ListTokensResponse response;
      if (!list_options->data_dir.empty()) {
        with_local_core(*list_options, [&](service::EvidenceService& core, const service::Caller& c) {
          response = core.list_tokens(request, c);
        });
      } else {
        auto context = make_context();
        check_status(connect(ctx.server)->ListTokens(context.get(), request, &response),
                     ctx.server);
      }
      if (list_options->json) {
        std::cout << to_json(response) << "\n";
      } else {
        for (const auto& t : response.tokens()) print_token(t);
      }
      return 0;
    });
  });

  auto* revoke = group->add_subcommand("revoke", "Revoke a token at once");
  add_server_option(revoke, ctx);
  auto revoke_options = std::make_shared<AdminOptions>();
  auto id = std::make_shared<std::string>();
  revoke->add_option("ID", *id, "Token id (TK-...)")->required();
  revoke->add_option("--data", revoke_options->data_dir, "Work on this data directory directly");
  revoke->callback([&ctx, revoke_options, id] {
    ctx.exit_code = run_guarded([&] {
      v1::TokenInfo info;
      if (!revoke_options->data_dir.empty()) {
        with_local_core(*revoke_options, [&](service::EvidenceService& core,
                                             const service::Caller& c) {
          info = core.revoke_token(*id, c);
        });
      } else {
        v1::RevokeTokenRequest request;
        request.set_token_id(*id);
        auto context = make_context();
        check_status(connect(ctx.server)->RevokeToken(context.get(), request, &info), ctx.server);
      }
      print_token(info);
      return 0;
    });
  });
}

void install_audit(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("audit", "The audit log");
  group->require_subcommand(1);
  auto* verify = group->add_subcommand(
      "verify", "Check the audit log's hash chain; exit 1 and name the first broken entry");
  add_server_option(verify, ctx);
  auto options = std::make_shared<AdminOptions>();
  verify->add_option("--data", options->data_dir, "Check this data directory directly");
  verify->add_flag("--json", options->json, "Print JSON");
  verify->callback([&ctx, options] {
    ctx.exit_code = run_guarded([&] {
      v1::VerifyAuditResponse response;
      if (!options->data_dir.empty()) {
        with_local_core(*options, [&](service::EvidenceService& core, const service::Caller& c) {
          response = core.verify_audit(c);
        });
      } else {
        auto context = make_context();
        check_status(connect(ctx.server)->VerifyAudit(context.get(), v1::VerifyAuditRequest{},
                                                      &response),
                     ctx.server);
      }
      if (options->json) {
        nlohmann::json out = {{"intact", response.intact()},
                              {"entries", response.entries()},
                              {"first_broken_seq", response.first_broken_seq()},
                              {"problem", response.problem()}};
        std::cout << out.dump(2) << "\n";
      } else if (response.intact()) {
        std::cout << "audit log intact: " << response.entries() << " entries checked\n";
      } else {
        std::cout << "audit log BROKEN at entry " << response.first_broken_seq() << ": "
                  << response.problem() << " (" << response.entries()
                  << " entries before it check out)\n";
      }
      return response.intact() ? 0 : 1;
    });
  });
}

// After an engine upgrade the server refuses features measured by an older extractor: this
// measures them again from the stored scans, on the data directory (server stopped).
void install_catalog(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("catalog", "Maintain the catalog on its data directory");
  group->require_subcommand(1);
  auto* remeasure = group->add_subcommand(
      "remeasure",
      "Measure again, from the stored scans, every template or Schreger profile made by another "
      "extractor version or parameter set than this engine's, and every cut face stored without a "
      "profile (after an upgrade; server stopped)");
  auto options = std::make_shared<AdminOptions>();
  auto dry_run = std::make_shared<bool>(false);
  remeasure->add_option("--data", options->data_dir, "The server's data directory")->required();
  remeasure->add_flag("--dry-run", *dry_run, "Only list the stale features");
  remeasure->add_flag("--json", options->json, "Print JSON");
  remeasure->callback([&ctx, options, dry_run] {
    ctx.exit_code = run_guarded([&] {
      service::RemeasureOptions ro;
      ro.dry_run = *dry_run;
      const bool tty = ::isatty(STDERR_FILENO) != 0;
      ro.progress = [tty](std::size_t done, std::size_t total, const std::string& scan_id) {
        if (tty)
          std::cerr << "\rremeasure: " << done << "/" << total << " " << scan_id << std::flush;
        else if (done == total || done % 50 == 0)
          std::cerr << "remeasure: " << done << "/" << total << "\n";
        if (tty && done == total) std::cerr << "\n";
      };
      service::RemeasureReport report;
      with_local_core(*options, [&](service::EvidenceService& core, const service::Caller& c) {
        report = core.remeasure_stale(c, ro);
      });
      if (options->json) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& i : report.stale) {
          nlohmann::json j = {{"scan_id", i.scan_id},
                              {"modality", i.modality},
                              {"from_version", i.from_version},
                              {"from_parameters_hash", i.from_parameters_hash}};
          if (!*dry_run) {
            j["to_version"] = i.to_version;
            j["to_parameters_hash"] = i.to_parameters_hash;
            j["searchable"] = i.searchable;
            if (!i.error.empty()) j["error"] = i.error;
            if (!i.nothing_measurable.empty()) j["nothing_measurable"] = i.nothing_measurable;
          }
          if (i.unmeasured) j["unmeasured"] = true;
          items.push_back(std::move(j));
        }
        nlohmann::json out = {{"features_checked", report.features},
                              {"stale", report.stale.size() - report.unmeasured},
                              {"dry_run", *dry_run},
                              {"remeasured", report.remeasured},
                              {"failed", report.failed},
                              {"unmeasured", report.unmeasured},
                              {"still_unmeasured", report.still_unmeasured},
                              {"items", std::move(items)}};
        std::cout << out.dump(2) << "\n";
      } else {
        for (const auto& i : report.stale) {
          std::cout << i.scan_id << "  " << i.modality << "  ";
          if (i.unmeasured)
            std::cout << "(stored without features)";
          else
            std::cout << i.from_version << " (" << i.from_parameters_hash.substr(0, 12) << ")";
          if (!*dry_run) {
            if (!i.error.empty())
              std::cout << "  FAILED: " << i.error;
            else if (!i.nothing_measurable.empty())
              std::cout << "  -> still nothing measurable: " << i.nothing_measurable;
            else if (i.to_version.empty())
              std::cout << "  -> nothing measurable";
            else
              std::cout << "  -> " << i.to_version << " (" << i.to_parameters_hash.substr(0, 12) << ")"
                        << (i.searchable ? "" : ", not searchable");
          }
          std::cout << "\n";
        }
        std::cout << report.features << " feature record(s) checked, " << report.stale.size() - report.unmeasured
                  << " stale, " << report.unmeasured << " cut face(s) stored without features";
        if (!*dry_run)
          std::cout << ", " << report.remeasured << " re-measured, " << report.still_unmeasured
                    << " still with nothing measurable, " << report.failed << " failed";
        std::cout << "\n";
      }
      return report.failed == 0 ? 0 : 1;
    });
  });
}

const bool registered = register_commands("admin", [](CLI::App& app, Context& ctx) {
  install_token(app, ctx);
  install_audit(app, ctx);
  install_catalog(app, ctx);
});

}  // namespace
}  // namespace tuskprint::cli
