#pragma once
// Two tiers of errors (as in FAISS): TP_ASSERT for broken invariants (a bug in
// TuskPrint), and typed exceptions for bad input or missing records, thrown with a
// readable message that names the problem. services/ maps each type to a gRPC status.
#include <cassert>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tuskprint {

enum class ErrorCode {
  kInvalidArgument,    // the caller's input is wrong (bad image, malformed CITES mark, ...)
  kNotFound,           // a referenced record does not exist
  kAlreadyExists,      // a record with that identity is already stored
  kResourceExhausted,  // over a configured limit (upload size, pixel count, concurrency)
  kFailedPrecondition, // the system is not in a state to do this (mismatched template version)
  kPermissionDenied,   // authenticated, not allowed
  kUnauthenticated,    // no or bad credentials
  kDataLoss,           // stored data failed a check (hash mismatch, corrupt file)
  kDeadlineExceeded,   // the caller's deadline passed before the work could start or finish
  kInternal,           // everything else: I/O failure, SQLite error
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

const char* to_string(ErrorCode code) noexcept;

namespace detail {
[[noreturn]] void throw_error(ErrorCode code, const std::string& message, const char* file,
                              int line);
}  // namespace detail

}  // namespace tuskprint

// Throws tuskprint::Error(code, message) when `cond` is false. `msg` is a stream expression:
//   TP_CHECK(ppi >= 250, kInvalidArgument, "ppi " << ppi << " is below 250");
#define TP_CHECK(cond, code, msg)                                                        \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::ostringstream tp_check_os_;                                                   \
      tp_check_os_ << msg;                                                               \
      ::tuskprint::detail::throw_error(::tuskprint::ErrorCode::code, tp_check_os_.str(), \
                                       __FILE__, __LINE__);                              \
    }                                                                                    \
  } while (0)

#define TP_THROW(code, msg) TP_CHECK(false, code, msg)

// Internal invariant: a failure is a bug, not bad input.
#define TP_ASSERT(cond) assert(cond)
