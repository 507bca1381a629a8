#pragma once
// tuskprint-bench-search --server-data DIR: the same gallery and probes, searched end to end
// through tuskprintd instead of an in-process index. The gallery is imported into a catalog
// in DIR (once; reused while seed and size match), then the server is started twice on it:
// the first start rebuilds the fingerprint index from the catalog's feature log and the stop
// saves it; the second start loads the saved file. Both lives run the probes over gRPC
// (Search with a template probe) and report latency, rank-1 and the server's lifetime peak
// resident memory.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ridge/template.hpp"

namespace tuskprint::bench {

struct ServerProbe {
  ridge::FingerTemplate finger;
  long mate = -1;  // gallery position of the mate, -1 for a non-mated probe
};

struct ServerRunSettings {
  std::filesystem::path data_dir;
  std::filesystem::path server_binary;  // tuskprintd
  std::filesystem::path cli_binary;     // tuskprint (mints the API token)
  std::uint64_t seed = 0;
  int start_timeout_seconds = 4 * 3600;
};

nlohmann::json run_through_server(const std::vector<ridge::FingerTemplate>& gallery,
                                  const std::vector<ServerProbe>& probes, const ServerRunSettings& settings);

}  // namespace tuskprint::bench
