#pragma once
// Starts the real tuskprintd on a free loopback port with its own data directory, for
// integration tests; stops it with SIGTERM (clean) or SIGKILL (crash) on request.
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tuskprint/v1/service.grpc.pb.h"

namespace tuskprint::testing {

// A fresh temporary directory, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A stub whose every call carries `authorization: Bearer <token>` (no token: none sent).
std::unique_ptr<v1::TuskPrint::Stub> make_stub(const std::string& address, const std::string& token,
                                               const std::string& tls_root_pem = "");

// One SubmitScan stream: the metadata, then `bytes` in chunks of `chunk` bytes (stopping early
// when the server closes the stream). Returns the call's status.
grpc::Status submit_scan(v1::TuskPrint::Stub& stub, const v1::ScanMetadata& metadata,
                         const std::string& bytes, v1::SubmitScanResponse* response,
                         std::size_t chunk = 64 * 1024);

class ServerProcess {
 public:
  // `data_dir` is kept across restarts; `extra_args` go to tuskprintd as they are. An admin
  // API token for lab "TEST-LAB" with every role is created in the data directory the first
  // time (kept in <data_dir>.token); stub() carries it. Without --tls-cert in `extra_args`
  // the server runs with --plaintext-loopback.
  explicit ServerProcess(std::filesystem::path data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess();

  void start();          // waits until the server listens (throws after 20 s)
  int stop();            // SIGTERM, waits; returns the exit status
  void kill_hard();      // SIGKILL, waits
  bool running() const { return pid_ > 0; }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::unique_ptr<v1::TuskPrint::Stub> stub() const;  // with token()
  const std::string& token() const { return token_; }
  // A new token for `lab` with `roles` ("submit,search"); through the server when it runs,
  // else directly in the catalog.
  std::string mint_token(const std::string& lab, const std::string& roles,
                         const std::string& name = "test");

  static std::string binary();  // path of build/bin/tuskprintd

 private:
  std::filesystem::path data_dir_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string token_;
};

// A PNG of a smooth random-ish pattern, w x h, for uploads.
std::string make_png(int width, int height, int seed = 1);

}  // namespace tuskprint::testing
