#pragma once
// The one place where engine errors become gRPC statuses.
#include <grpcpp/grpcpp.h>

#include <functional>

namespace tuskprint::server {

grpc::Status to_grpc_status(const std::exception& error);

// Runs `body`, converting a thrown tuskprint::Error (or anything else) to a status.
grpc::Status guarded(const std::function<void()>& body);

}  // namespace tuskprint::server
