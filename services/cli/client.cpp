#include "cli/client.hpp"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <cstdlib>

#include "core/error.hpp"

namespace tuskprint::cli {

void add_server_option(CLI::App* command, Context& ctx) {
  command->add_option("--server", ctx.server,
                      "tuskprintd address (default $TUSKPRINT_SERVER, else 127.0.0.1:50551)");
}

std::unique_ptr<v1::TuskPrint::Stub> connect(const std::string& server) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), args);
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
    case grpc::StatusCode::UNAVAILABLE:
      throw Error(ErrorCode::kInternal, "server " + server + " is unavailable: " +
                                            status.error_message());
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      throw Error(ErrorCode::kInternal, "server " + server + " did not answer in time");
    default: break;
  }
  throw Error(code, std::string(name) + ": " + status.error_message());
}

std::unique_ptr<grpc::ClientContext> make_context(int deadline_seconds) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(deadline_seconds));
  if (const char* op = std::getenv("TUSKPRINT_OPERATOR"); op != nullptr && *op != '\0') {
    context->AddMetadata("x-tuskprint-operator", op);
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
