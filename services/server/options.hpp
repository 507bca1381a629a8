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
  // How often the search indexes are saved when they have changed (0: only at shutdown). A
  // crash then costs replaying the catalog events since the last checkpoint, not a rebuild.
  int index_checkpoint_seconds = 300;
  // TLS: PEM certificate chain and private key; with client_ca_file, clients must present a
  // certificate signed by that CA as well as their API token.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // Without TLS the server refuses to start unless this is set and `listen` is a loopback
  // address: plaintext never leaves the machine.
  bool plaintext_loopback = false;
};

// True for 127.0.0.0/8, [::1] and localhost listen addresses ("host:port").
bool is_loopback_listen_address(const std::string& listen);

// Reads a JSON config file into `options` (keys: listen, data, limits.max_upload_bytes,
// limits.max_pixels, limits.min_side, max_message_bytes, shutdown_grace_seconds,
// index_checkpoint_seconds,
// finger_index.factory, finger_index.search_breadth, finger_index.build_threads, agency.id, agency.name,
// agency.destination_id, agency.destination_name, tls.cert_file, tls.key_file,
// tls.client_ca_file, plaintext_loopback, models_dir, heavy_requests.max_running,
// heavy_requests.max_waiting, heavy_requests.max_wait_ms). Unknown
// keys are an error, so that a misspelt limit does not silently fall back to its default.
void load_config_file(const std::string& path, ServerOptions& options);

}  // namespace tuskprint::server
