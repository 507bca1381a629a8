#include "cli_runner.hpp"

#include <cstdio>

namespace tuskprint::testing {

CliRun run_tuskprint(const std::string& args, Stderr stderr_output, const std::string& environment) {
  const std::string command = environment + std::string(TUSKPRINT_BINARY_DIR) + "/bin/tuskprint " +
                              args + (stderr_output == Stderr::kMerged ? " 2>&1" : " 2>/dev/null");
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) run.output += buffer;
  run.status = pclose(pipe);
  return run;
}

}  // namespace tuskprint::testing
