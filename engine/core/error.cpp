#include "core/error.hpp"

namespace tuskprint {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kAlreadyExists: return "already exists";
    case ErrorCode::kResourceExhausted: return "resource exhausted";
    case ErrorCode::kFailedPrecondition: return "failed precondition";
    case ErrorCode::kPermissionDenied: return "permission denied";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kDeadlineExceeded: return "deadline exceeded";
    case ErrorCode::kDataLoss: return "data loss";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

namespace detail {
void throw_error(ErrorCode code, const std::string& message, const char* /*file*/, int /*line*/) {
  // The message goes to users as is; file and line are for debugging builds only.
  throw Error(code, message);
}
}  // namespace detail

}  // namespace tuskprint
