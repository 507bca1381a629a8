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

class ServerProcess {
 public:
  // `data_dir` is kept across restarts; `extra_args` go to tuskprintd as they are.
  explicit ServerProcess(std::filesystem::path data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess();

  void start();          // waits until the server listens (throws after 20 s)
  int stop();            // SIGTERM, waits; returns the exit status
  void kill_hard();      // SIGKILL, waits
  bool running() const { return pid_ > 0; }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::unique_ptr<v1::TuskPrint::Stub> stub() const;

  static std::string binary();  // path of build/bin/tuskprintd

 private:
  std::filesystem::path data_dir_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A PNG of a smooth random-ish pattern, w x h, for uploads.
std::string make_png(int width, int height, int seed = 1);

}  // namespace tuskprint::testing
