// tuskprint: the command-line tool. Offline tools (extract, match, eval, synth, ...)
// and a client of tuskprintd (seizure, specimen, scan, ...). Run `tuskprint --help`.
#include <cstdlib>
#include <iostream>
#include <map>

#include "cli/command_registry.hpp"
#include "core/error.hpp"

namespace tuskprint::cli {
namespace {
std::map<std::string, Installer>& registry() {
  static std::map<std::string, Installer> installers;
  return installers;
}
}  // namespace

bool register_commands(const std::string& group_name, Installer installer) {
  registry().emplace(group_name, std::move(installer));
  return true;
}

int run_guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace tuskprint::cli

int main(int argc, char** argv) {
  using namespace tuskprint::cli;
  CLI::App app{"TuskPrint: forensic matching of ivory seizures (fingerprints on ivory, Schreger lines)"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  Context ctx;
  const char* env_server = std::getenv("TUSKPRINT_SERVER");
  ctx.server = env_server != nullptr && *env_server != '\0' ? env_server : kDefaultServer;
  for (auto& [name, install] : registry()) install(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  // Subcommands run through callbacks that set the exit code.
  return ctx.exit_code;
}
