#include "server_process.hpp"

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/client_interceptor.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "catalog/catalog.hpp"
#include "service/access.hpp"

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

namespace {

class TokenInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit TokenInterceptor(std::string header) : header_(std::move(header)) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert({"authorization", header_});
    }
    methods->Proceed();
  }

 private:
  std::string header_;
};

class TokenInterceptorFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit TokenInterceptorFactory(std::string token) : header_("Bearer " + std::move(token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new TokenInterceptor(header_);
  }

 private:
  std::string header_;
};

service::RoleSet all_roles() {
  return {service::Role::kSubmit, service::Role::kSearch, service::Role::kExport,
          service::Role::kAdmin};
}

}  // namespace

grpc::Status submit_scan(v1::TuskPrint::Stub& stub, const v1::ScanMetadata& metadata,
                         const std::string& bytes, v1::SubmitScanResponse* response,
                         std::size_t chunk) {
  grpc::ClientContext ctx;
  auto writer = stub.SubmitScan(&ctx, response);
  v1::SubmitScanChunk first;
  *first.mutable_metadata() = metadata;
  bool open = writer->Write(first);
  for (std::size_t offset = 0; open && offset < bytes.size(); offset += chunk) {
    v1::SubmitScanChunk part;
    part.set_data(bytes.substr(offset, chunk));
    open = writer->Write(part);
  }
  writer->WritesDone();
  return writer->Finish();
}

std::unique_ptr<v1::TuskPrint::Stub> make_stub(const std::string& address, const std::string& token,
                                               const std::string& tls_root_pem) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!tls_root_pem.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = tls_root_pem;
    credentials = grpc::SslCredentials(ssl);
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> creators;
  if (!token.empty()) creators.push_back(std::make_unique<TokenInterceptorFactory>(token));
  return v1::TuskPrint::NewStub(grpc::experimental::CreateCustomChannelWithInterceptors(
      address, credentials, args, std::move(creators)));
}

ServerProcess::ServerProcess(fs::path data_dir, std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)), extra_args_(std::move(extra_args)) {
  const fs::path token_file = data_dir_.string() + ".token";
  std::ifstream in(token_file);
  if (!(in >> token_)) {
    auto catalog = catalog::Catalog::open(data_dir_);
    service::TokenAuthority tokens(*catalog);
    token_ = tokens.create("TEST-LAB", "test-admin", all_roles(), "test harness").token;
    std::ofstream(token_file) << token_ << "\n";
  }
}

std::string ServerProcess::mint_token(const std::string& lab, const std::string& roles,
                                      const std::string& name) {
  if (pid_ <= 0) {
    auto catalog = catalog::Catalog::open(data_dir_);
    service::TokenAuthority tokens(*catalog);
    return tokens.create(lab, name, service::parse_roles(roles), "test harness").token;
  }
  v1::CreateTokenRequest request;
  request.set_lab(lab);
  request.set_name(name);
  for (service::Role r : service::parse_roles(roles).roles()) {
    request.add_roles(r == service::Role::kSubmit   ? v1::ROLE_SUBMIT
                      : r == service::Role::kSearch ? v1::ROLE_SEARCH
                      : r == service::Role::kExport ? v1::ROLE_EXPORT
                                                    : v1::ROLE_ADMIN);
  }
  v1::CreateTokenResponse response;
  grpc::ClientContext ctx;
  const auto status = stub()->CreateToken(&ctx, request, &response);
  if (!status.ok()) throw std::runtime_error("CreateToken failed: " + status.error_message());
  return response.token();
}

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
  if (std::find(args.begin(), args.end(), "--tls-cert") == args.end()) {
    args.push_back("--plaintext-loopback");
  }
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
  return make_stub(address(), token_);
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
