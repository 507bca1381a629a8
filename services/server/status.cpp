#include "server/status.hpp"

#include "core/error.hpp"

namespace tuskprint::server {

grpc::Status to_grpc_status(const std::exception& error) {
  const auto* e = dynamic_cast<const Error*>(&error);
  if (e == nullptr) return {grpc::StatusCode::INTERNAL, std::string("internal error: ") + error.what()};
  grpc::StatusCode code = grpc::StatusCode::INTERNAL;
  switch (e->code()) {
    case ErrorCode::kInvalidArgument: code = grpc::StatusCode::INVALID_ARGUMENT; break;
    case ErrorCode::kNotFound: code = grpc::StatusCode::NOT_FOUND; break;
    case ErrorCode::kAlreadyExists: code = grpc::StatusCode::ALREADY_EXISTS; break;
    case ErrorCode::kResourceExhausted: code = grpc::StatusCode::RESOURCE_EXHAUSTED; break;
    case ErrorCode::kFailedPrecondition: code = grpc::StatusCode::FAILED_PRECONDITION; break;
    case ErrorCode::kPermissionDenied: code = grpc::StatusCode::PERMISSION_DENIED; break;
    case ErrorCode::kUnauthenticated: code = grpc::StatusCode::UNAUTHENTICATED; break;
    case ErrorCode::kDataLoss: code = grpc::StatusCode::DATA_LOSS; break;
    case ErrorCode::kDeadlineExceeded: code = grpc::StatusCode::DEADLINE_EXCEEDED; break;
    case ErrorCode::kInternal: code = grpc::StatusCode::INTERNAL; break;
  }
  return {code, e->what()};
}

grpc::Status guarded(const std::function<void()>& body) {
  try {
    body();
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    return to_grpc_status(e);
  }
}

}  // namespace tuskprint::server
