#pragma once
// Runs the built `tuskprint` CLI (build/bin/tuskprint) the way a user's script would, for tests
// of its arguments, exit codes and messages.
#include <string>

namespace tuskprint::testing {

struct CliRun {
  int status = -1;     // as from pclose(): use WEXITSTATUS
  std::string output;  // stdout, and stderr unless discarded
};

enum class Stderr { kMerged, kDiscarded };

// `tuskprint <args>` through the shell; `environment` (e.g. "TUSKPRINT_MODELS='/x' ") is put
// before the command.
CliRun run_tuskprint(const std::string& args, Stderr stderr_output = Stderr::kMerged,
                     const std::string& environment = "");

}  // namespace tuskprint::testing
