#include "bench/common/own_server.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

namespace tuskprint::bench {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool run_command(const std::string& command, std::string* output) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return false;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output->append(buffer, n);
  return ::pclose(pipe) == 0;
}

std::string mint_token_in(const fs::path& data_dir, const fs::path& cli, const std::string& name,
                          const std::string& roles) {
  std::string ignored;
  const std::string quoted_cli = std::string("'").append(cli.string()).append("'");
  if (!fs::exists(cli) || !run_command(quoted_cli + " token --help >/dev/null 2>&1", &ignored)) {
    return "";
  }
  std::string out;
  const std::string command = quoted_cli + " token create --data '" + data_dir.string() +
                              "' --lab LOAD-TEST --name " + name + " --roles " + roles + " --json";
  if (!run_command(command + " 2>&1", &out)) {
    throw std::runtime_error("could not create a token: " + command + ": " + out);
  }
  const auto reply = nlohmann::json::parse(out);
  if (!reply.contains("token") || !reply["token"].is_string()) {
    throw std::runtime_error("`tuskprint token create --json` printed no token: " + out);
  }
  return reply["token"].get<std::string>();
}

long peak_memory_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

namespace {

// Whether `binary --help` lists `flag` (flags differ between server versions).
bool supports_flag(const std::string& binary, const std::string& flag) {
  std::string text;
  run_command("'" + binary + "' --help 2>&1", &text);
  return text.find(flag) != std::string::npos;
}

}  // namespace

OwnServer::OwnServer(const std::string& binary, const fs::path& data_dir,
                     const std::vector<std::string>& extra_args, std::chrono::seconds start_timeout,
                     bool plaintext) {
  fs::create_directories(data_dir);
  const fs::path port_file = data_dir.string() + ".port";
  fs::remove(port_file);
  std::vector<std::string> args = {binary, "--listen", "127.0.0.1:0", "--data", data_dir.string(),
                                   "--port-file", port_file.string()};
  if (plaintext && supports_flag(binary, "--plaintext-loopback")) args.push_back("--plaintext-loopback");
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  log_ = data_dir.string() + ".log";
  const auto started = Clock::now();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (FILE* out = std::fopen(log_.c_str(), "a")) {
      ::dup2(fileno(out), 1);
      ::dup2(fileno(out), 2);
    }
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  const auto deadline = started + start_timeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("tuskprintd exited during start-up; see " + log_);
    }
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0) {
      address_ = "127.0.0.1:" + std::to_string(port);
      start_seconds_ = std::chrono::duration<double>(Clock::now() - started).count();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop();
  throw std::runtime_error("tuskprintd did not listen within " + std::to_string(start_timeout.count()) +
                           " s; see " + log_);
}

OwnServer::~OwnServer() { stop(); }

long OwnServer::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  struct rusage usage {};
  ::wait4(pid_, &status, 0, &usage);
  pid_ = -1;
  return usage.ru_maxrss;
}

}  // namespace tuskprint::bench
