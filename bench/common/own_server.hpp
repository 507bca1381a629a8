#pragma once
// A tuskprintd started by a bench program on loopback (tuskprint-load, tuskprint-bench-search
// --server-data): its own data directory, an ephemeral port read back from --port-file, its
// output in <data>.log; stopped with SIGTERM (the server saves its indexes and exits), and
// its lifetime peak resident memory read from the kernel when it is reaped.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace tuskprint::bench {

// Output of a shell command, and whether it exited with 0.
bool run_command(const std::string& command, std::string* output);

// When the CLI `cli` manages tokens, a token with `roles` created directly in the data
// directory (before a server opens it), as an administrator would with `tuskprint token
// create --data DIR`; "" when the CLI has no token command (a server without access control).
// std::runtime_error when the CLI fails.
std::string mint_token_in(const std::filesystem::path& data_dir, const std::filesystem::path& cli,
                          const std::string& name, const std::string& roles);

// Peak resident set (VmHWM) of a running process, kiB; 0 when it cannot be read.
long peak_memory_kib(int pid);

class OwnServer {
 public:
  // Starts `binary` on 127.0.0.1:0 with `data_dir` and `extra_args`, and waits until it
  // listens (index loading or rebuilding happens before that) for at most `start_timeout`.
  // std::runtime_error when it exits or does not listen in time.
  OwnServer(const std::string& binary, const std::filesystem::path& data_dir,
            const std::vector<std::string>& extra_args, std::chrono::seconds start_timeout,
            bool plaintext = true);
  ~OwnServer();
  OwnServer(const OwnServer&) = delete;
  OwnServer& operator=(const OwnServer&) = delete;

  // SIGTERM, then waits for the exit. Returns the process's peak resident memory over its
  // whole life (ru_maxrss, kiB), 0 when already stopped.
  long stop();
  int pid() const { return pid_; }
  const std::string& address() const { return address_; }
  const std::string& log_path() const { return log_; }
  double start_seconds() const { return start_seconds_; }  // launch to listening

 private:
  pid_t pid_ = -1;
  std::string address_;
  std::string log_;
  double start_seconds_ = 0;
};

}  // namespace tuskprint::bench
