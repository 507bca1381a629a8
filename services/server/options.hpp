#pragma once
// tuskprintd options: a JSON config file (--config) overlaid by command-line flags.
#include <cstdint>
#include <string>

#include "service/evidence_service.hpp"

namespace tuskprint::server {

struct ServerOptions {
  std::string listen = "127.0.0.1:50551";
  std::string data_dir;
  std::string port_file;             // when set, the bound port is written here once listening
  service::ServiceOptions service;
  std::uint32_t max_message_bytes = 8u << 20;  // one gRPC message (uploads stream in chunks)
  int shutdown_grace_seconds = 5;
};

// Reads a JSON config file into `options` (keys: listen, data, limits.max_upload_bytes,
// limits.max_pixels, limits.min_side, max_message_bytes, shutdown_grace_seconds,
// finger_index.factory, finger_index.search_breadth, agency.id, agency.name,
// agency.destination_id, agency.destination_name). Unknown
// keys are an error, so that a misspelt limit does not silently fall back to its default.
void load_config_file(const std::string& path, ServerOptions& options);

}  // namespace tuskprint::server
