#include "cli/client.hpp"

#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>

#include "core/error.hpp"

namespace tuskprint::cli {

namespace {

// Set by the options of whichever client command runs (one per process).
std::string g_token;
std::string g_tls_ca;

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string read_text_file(const std::string& path, const char* what) {
  std::ifstream in(path);
  TP_CHECK(in.good(), kNotFound, "cannot read " << what << " file '" << path << "'");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
  return s;
}

// --token, else $TUSKPRINT_TOKEN, else the file named by $TUSKPRINT_TOKEN_FILE.
std::string api_token() {
  if (!g_token.empty()) return g_token;
  if (auto token = env_or_empty("TUSKPRINT_TOKEN"); !token.empty()) return token;
  if (auto file = env_or_empty("TUSKPRINT_TOKEN_FILE"); !file.empty()) {
    return trimmed(read_text_file(file, "token"));
  }
  return "";
}

}  // namespace

void add_server_option(CLI::App* command, Context& ctx) {
  command->add_option("--server", ctx.server,
                      "tuskprintd address (default $TUSKPRINT_SERVER, else 127.0.0.1:50551)");
  command->add_option("--token", g_token,
                      "API token (default $TUSKPRINT_TOKEN, else the file $TUSKPRINT_TOKEN_FILE)");
  command->add_option("--tls-ca", g_tls_ca,
                      "PEM CA certificate of the server: connect with TLS (default $TUSKPRINT_TLS_CA)");
}

std::unique_ptr<v1::TuskPrint::Stub> connect(const std::string& server) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  const std::string ca = g_tls_ca.empty() ? env_or_empty("TUSKPRINT_TLS_CA") : g_tls_ca;
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!ca.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = read_text_file(ca, "TLS CA");
    credentials = grpc::SslCredentials(ssl);
  }
  auto channel = grpc::CreateCustomChannel(server, credentials, args);
  return v1::TuskPrint::NewStub(channel);
}

void check_status(const grpc::Status& status, const std::string& server) {
  if (status.ok()) return;
  ErrorCode code = ErrorCode::kInternal;
  const char* name = "INTERNAL";
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT: code = ErrorCode::kInvalidArgument; name = "INVALID_ARGUMENT"; break;
    case grpc::StatusCode::NOT_FOUND: code = ErrorCode::kNotFound; name = "NOT_FOUND"; break;
    case grpc::StatusCode::ALREADY_EXISTS: code = ErrorCode::kAlreadyExists; name = "ALREADY_EXISTS"; break;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: code = ErrorCode::kResourceExhausted; name = "RESOURCE_EXHAUSTED"; break;
    case grpc::StatusCode::FAILED_PRECONDITION: code = ErrorCode::kFailedPrecondition; name = "FAILED_PRECONDITION"; break;
    case grpc::StatusCode::PERMISSION_DENIED: code = ErrorCode::kPermissionDenied; name = "PERMISSION_DENIED"; break;
    case grpc::StatusCode::UNAUTHENTICATED: code = ErrorCode::kUnauthenticated; name = "UNAUTHENTICATED"; break;
    case grpc::StatusCode::DATA_LOSS: code = ErrorCode::kDataLoss; name = "DATA_LOSS"; break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      code = ErrorCode::kDeadlineExceeded;
      name = "DEADLINE_EXCEEDED";
      break;
    case grpc::StatusCode::UNAVAILABLE:
      throw Error(ErrorCode::kInternal, "server " + server + " is unavailable: " +
                                            status.error_message());
    default: break;
  }
  throw Error(code, std::string(name) + ": " + status.error_message());
}

std::unique_ptr<grpc::ClientContext> make_context(int deadline_seconds) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(deadline_seconds));
  if (const std::string token = api_token(); !token.empty()) {
    context->AddMetadata("authorization", "Bearer " + token);
  }
  return context;
}

std::string to_json(const google::protobuf::Message& message, bool multiline) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = multiline;
  options.preserve_proto_field_names = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  TP_CHECK(status.ok(), kInternal, "cannot render JSON: " << status.ToString());
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace tuskprint::cli
