#pragma once
// The `tuskprint` CLI is assembled from command groups, one source file each
// (services/cli/cmd_*.cpp). A file registers its group at static-initialisation time:
//
//   static const bool registered = tuskprint::cli::register_commands(
//       "extract", [](CLI::App& app, tuskprint::cli::Context& ctx) { ... });
//
// The files are compiled straight into the executable (not an archive), so the
// registrations are never dropped by the linker.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace tuskprint::cli {

// Options every command can read after parsing.
struct Context {
  std::string server;  // --server, default TUSKPRINT_SERVER or kDefaultServer
  int exit_code = 0;   // set by the command that ran (see run_guarded)
};

inline constexpr const char* kDefaultServer = "127.0.0.1:50551";

using Installer = std::function<void(CLI::App& app, Context& ctx)>;

// Returns true so it can initialise a static bool.
bool register_commands(const std::string& group_name, Installer installer);

// Runs `body` and turns a tuskprint::Error or std::exception into "error: ..." on stderr
// and exit code 2 (1 is left for "ran fine, answer is negative"). Commands call it from
// their CLI11 callback: `ctx.exit_code = run_guarded([&] { ...; return 0; });`
int run_guarded(const std::function<int()>& body);

}  // namespace tuskprint::cli
