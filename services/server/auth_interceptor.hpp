#pragma once
// Authentication and authorisation of every call, in one place: a gRPC server interceptor
// reads the `authorization: Bearer <token>` metadata, authenticates the token against the
// catalog, looks up the role the method needs (service::rpc_requirement) and records the
// decision for the call. Handlers obtain the caller with caller_of(ctx), which returns the
// authenticated caller or throws the refusal (UNAUTHENTICATED or PERMISSION_DENIED); a
// refused call is written to the audit log here and does nothing else.
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "core/error.hpp"
#include "service/evidence_service.hpp"

namespace tuskprint::server {

class CallRegistry {
 public:
  struct Decision {
    std::optional<service::Caller> caller;  // set when allowed
    std::optional<Error> refusal;           // set when refused
  };
  void put(const grpc::ServerContextBase* ctx, Decision decision);
  void erase(const grpc::ServerContextBase* ctx);
  std::optional<Decision> find(const grpc::ServerContextBase* ctx) const;

 private:
  mutable std::mutex mutex_;
  std::map<const grpc::ServerContextBase*, Decision> decisions_;
};

class AuthInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  AuthInterceptorFactory(service::EvidenceService& core, CallRegistry& registry)
      : core_(core), registry_(registry) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  service::EvidenceService& core_;
  CallRegistry& registry_;
};

// The caller of this call as the interceptor decided; throws the refusal otherwise. The
// caller's deadline is the call's deadline.
service::Caller caller_of(const CallRegistry& registry, grpc::ServerContext* ctx);

}  // namespace tuskprint::server
