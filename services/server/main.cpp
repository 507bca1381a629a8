// tuskprintd: the TuskPrint gRPC server.
//   tuskprintd --listen 127.0.0.1:50551 --data /var/lib/tuskprint [--config tuskprintd.json]
// Serves tuskprint.v1.TuskPrint, the standard grpc.health.v1 health service and server
// reflection; shuts down cleanly on SIGTERM or SIGINT.
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "server/auth_interceptor.hpp"
#include "server/options.hpp"
#include "server/tuskprint_service.hpp"

namespace {

using tuskprint::server::ServerOptions;

std::string read_pem(const std::string& path, const char* what) {
  std::ifstream in(path);
  TP_CHECK(in.good(), kNotFound, "cannot read TLS " << what << " file '" << path << "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  TP_CHECK(text.find("-----BEGIN") != std::string::npos, kInvalidArgument,
           "TLS " << what << " file '" << path << "' is not PEM");
  return text;
}

// TLS when configured; plaintext only on loopback and only when asked for.
std::shared_ptr<grpc::ServerCredentials> server_credentials(const ServerOptions& options) {
  const bool tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (!tls) {
    TP_CHECK(options.plaintext_loopback, kInvalidArgument,
             "no TLS certificate configured: set tls.cert_file and tls.key_file, or pass "
             "--plaintext-loopback to serve without TLS on a loopback address");
    TP_CHECK(tuskprint::server::is_loopback_listen_address(options.listen), kInvalidArgument,
             "plaintext is only served on loopback; '" << options.listen
                                                      << "' needs tls.cert_file and tls.key_file");
    return grpc::InsecureServerCredentials();
  }
  TP_CHECK(!options.tls_cert_file.empty() && !options.tls_key_file.empty(), kInvalidArgument,
           "TLS needs both tls.cert_file and tls.key_file");
  grpc::SslServerCredentialsOptions ssl(
      options.tls_client_ca_file.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_key_cert_pairs.push_back({read_pem(options.tls_key_file, "key"),
                                    read_pem(options.tls_cert_file, "certificate")});
  if (!options.tls_client_ca_file.empty()) {
    ssl.pem_root_certs = read_pem(options.tls_client_ca_file, "client CA");
  }
  return grpc::SslServerCredentials(ssl);
}

int run(const ServerOptions& options) {
  auto catalog = tuskprint::catalog::Catalog::open(options.data_dir);
  tuskprint::service::EvidenceService core(*catalog, options.service);
  const auto index_status = core.open_indexes();
  std::cout << "tuskprintd: fingerprint index " << index_status.how_opened << ", "
            << index_status.templates << " template(s), catalog sequence "
            << index_status.catalog_seq << ", index type " << index_status.factory << std::endl;
  std::cout << "tuskprintd: cut-face index " << core.section_index_status().how_opened << ", "
            << core.section_index_status().sections << " section(s)" << std::endl;
  for (const auto& problem : core.lr_model_problems()) {
    std::cout << "tuskprintd: likelihood ratios unavailable: " << problem << std::endl;
  }
  tuskprint::server::CallRegistry calls;
  tuskprint::server::TuskPrintService service(core, calls);
  const auto active_tokens = catalog->list_tokens(false).size();
  if (active_tokens == 0) {
    std::cout << "tuskprintd: no API tokens yet; every call will be refused until an admin "
                 "creates one with `tuskprint token create --data DIR ...`"
              << std::endl;
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(options.listen, server_credentials(options), &bound_port);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<tuskprint::server::AuthInterceptorFactory>(core, calls));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.SetMaxReceiveMessageSize(int(options.max_message_bytes));
  builder.SetMaxSendMessageSize(int(options.max_message_bytes));
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  TP_CHECK(server != nullptr && bound_port != 0, kInternal,
           "cannot listen on '" << options.listen << "' (address in use or invalid)");
  server->GetHealthCheckService()->SetServingStatus(true);

  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  std::cout << "tuskprintd listening on " << host << ":" << bound_port
            << (options.tls_cert_file.empty() ? " (plaintext, loopback)" : " (TLS)") << " (data "
            << options.data_dir << ", catalog schema v" << catalog->schema_version() << ")"
            << std::endl;
  if (!options.port_file.empty()) {
    const std::string temp = options.port_file + ".tmp";
    std::ofstream(temp) << bound_port << "\n";
    std::rename(temp.c_str(), options.port_file.c_str());
  }

  // Signals were blocked in every thread before gRPC started; one thread waits for them.
  std::thread signal_waiter([&server, &options] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int signal_number = 0;
    sigwait(&set, &signal_number);
    std::cout << "tuskprintd: signal " << signal_number << ", shutting down" << std::endl;
    server->GetHealthCheckService()->SetServingStatus(false);
    server->Shutdown(std::chrono::system_clock::now() +
                     std::chrono::seconds(options.shutdown_grace_seconds));
  });
  // The linker turns newly enrolled scans into link-graph edges in the background; it reads
  // the catalog's feature log, so a restart resumes where it stopped.
  // The same thread checkpoints the search indexes when they have changed.
  std::atomic<bool> stopping{false};
  std::thread linker([&core, &stopping, checkpoint_every = options.index_checkpoint_seconds] {
    auto last_checkpoint = std::chrono::steady_clock::now();
    while (!stopping.load()) {
      std::size_t done = 0;
      try {
        done = core.link_new_scans(50);
      } catch (const std::exception& e) {
        std::cerr << "tuskprintd: linker: " << e.what() << std::endl;
      }
      if (checkpoint_every > 0 && std::chrono::steady_clock::now() - last_checkpoint >=
                                      std::chrono::seconds(checkpoint_every)) {
        last_checkpoint = std::chrono::steady_clock::now();
        try {
          core.checkpoint_indexes();
        } catch (const std::exception& e) {
          std::cerr << "tuskprintd: index checkpoint: " << e.what() << std::endl;
        }
      }
      if (done == 0) {
        for (int i = 0; i < 20 && !stopping.load(); ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    }
  });
  server->Wait();
  stopping = true;
  linker.join();
  signal_waiter.join();
  core.checkpoint_indexes();
  std::cout << "tuskprintd: stopped" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  CLI::App app{"tuskprintd: the TuskPrint gRPC server"};
  ServerOptions options;
  std::string config_path, listen, data_dir;
  std::uint64_t max_upload = 0;
  app.add_option("--config", config_path, "JSON config file (limits and the rest)");
  app.add_option("--listen", listen, "Address to listen on (default 127.0.0.1:50551)");
  app.add_option("--data", data_dir, "Data directory (catalog and image store)");
  app.add_option("--port-file", options.port_file, "Write the bound port to this file");
  app.add_option("--max-upload-bytes", max_upload, "Largest accepted image upload, bytes");
  int checkpoint_seconds = -1;
  app.add_option("--index-checkpoint-seconds", checkpoint_seconds,
                 "Save changed search indexes this often, seconds (0: only at shutdown; default 300)")
      ->check(CLI::NonNegativeNumber);
  std::string tls_cert, tls_key;
  bool plaintext_loopback = false;
  app.add_option("--tls-cert", tls_cert, "PEM certificate chain (TLS)");
  app.add_option("--tls-key", tls_key, "PEM private key (TLS)");
  app.add_flag("--plaintext-loopback", plaintext_loopback,
               "Serve without TLS (only allowed on a loopback address)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (!config_path.empty()) tuskprint::server::load_config_file(config_path, options);
    if (!listen.empty()) options.listen = listen;
    if (!data_dir.empty()) options.data_dir = data_dir;
    if (max_upload != 0) options.service.limits.image.max_bytes = max_upload;
    if (!tls_cert.empty()) options.tls_cert_file = tls_cert;
    if (!tls_key.empty()) options.tls_key_file = tls_key;
    if (plaintext_loopback) options.plaintext_loopback = true;
    if (checkpoint_seconds >= 0) options.index_checkpoint_seconds = checkpoint_seconds;
    TP_CHECK(!options.data_dir.empty(), kInvalidArgument,
             "no data directory: pass --data DIR or set \"data\" in the config file");
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "tuskprintd: error: " << e.what() << std::endl;
    return 2;
  }
}
