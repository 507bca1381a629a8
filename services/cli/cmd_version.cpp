// `tuskprint version`: the build's version and the feature extractors' versions.
#include <iostream>

#include "cli/command_registry.hpp"

namespace tuskprint::cli {
namespace {

const bool registered = register_commands("version", [](CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("version", "Print the TuskPrint version");
  cmd->callback([&ctx] {
    ctx.exit_code = run_guarded([] {
      std::cout << "tuskprint " << TUSKPRINT_VERSION << "\n";
      return 0;
    });
  });
});

}  // namespace
}  // namespace tuskprint::cli
