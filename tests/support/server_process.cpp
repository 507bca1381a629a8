#include "server_process.hpp"

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace tuskprint::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "tuskprint-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

ServerProcess::ServerProcess(fs::path data_dir, std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)), extra_args_(std::move(extra_args)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill_hard();
}

std::string ServerProcess::binary() { return std::string(TUSKPRINT_BINARY_DIR) + "/bin/tuskprintd"; }

void ServerProcess::start() {
  const fs::path port_file = data_dir_.string() + ".port";
  fs::remove(port_file);
  std::vector<std::string> args = {binary(), "--listen", "127.0.0.1:0", "--data",
                                   data_dir_.string(), "--port-file", port_file.string()};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  const fs::path log = data_dir_.string() + ".log";
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    FILE* out = std::fopen(log.c_str(), "a");
    if (out != nullptr) {
      ::dup2(fileno(out), 1);
      ::dup2(fileno(out), 2);
    }
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("tuskprintd exited during start-up; see " + log.string());
    }
    std::ifstream in(port_file);
    if (in >> port_ && port_ > 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_hard();
  throw std::runtime_error("tuskprintd did not start listening within 20 s");
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::unique_ptr<v1::TuskPrint::Stub> ServerProcess::stub() const {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  return v1::TuskPrint::NewStub(
      grpc::CreateCustomChannel(address(), grpc::InsecureChannelCredentials(), args));
}

std::string make_png(int width, int height, int seed) {
  cv::Mat image(height, width, CV_8U);
  cv::RNG rng(std::uint64_t(seed) * 7919u + 17u);
  rng.fill(image, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(image, image, cv::Size(5, 5), 0);
  cv::putText(image, std::to_string(seed), {4, height / 2}, cv::FONT_HERSHEY_SIMPLEX, 0.5, 255);
  std::vector<unsigned char> png;
  cv::imencode(".png", image, png);
  return std::string(png.begin(), png.end());
}

}  // namespace tuskprint::testing
