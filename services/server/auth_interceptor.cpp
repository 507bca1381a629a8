#include "server/auth_interceptor.hpp"

#include <chrono>

namespace tuskprint::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class AuthInterceptor final : public grpc::experimental::Interceptor {
 public:
  AuthInterceptor(grpc::experimental::ServerRpcInfo* info, service::EvidenceService& core,
                  CallRegistry& registry)
      : info_(info), core_(core), registry_(registry) {}
  ~AuthInterceptor() override { registry_.erase(info_->server_context()); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      decide(*methods->GetRecvInitialMetadata());
    }
    methods->Proceed();
  }

 private:
  void decide(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    const std::string method = info_->method() != nullptr ? info_->method() : "";
    const auto requirement = service::rpc_requirement(method);
    CallRegistry::Decision decision;
    std::string actor = "unauthenticated " + info_->server_context()->peer();
    try {
      TP_CHECK(requirement.has_value(), kPermissionDenied,
               "method " << method << " is not served to any role");
      if (requirement->public_method) {
        decision.caller = service::Caller{};
      } else {
        const auto header = metadata.find("authorization");
        const std::string value =
            header == metadata.end() ? "" : std::string(header->second.data(), header->second.size());
        service::Caller caller = core_.tokens().authenticate(service::bearer_token(value));
        actor = caller.actor();
        bool allowed = false;
        std::string needed;
        for (service::Role role : requirement->any_of) {
          allowed = allowed || caller.roles.has(role);
          needed += (needed.empty() ? "" : " or ") + std::string(service::to_string(role));
        }
        TP_CHECK(allowed, kPermissionDenied,
                 method.substr(method.rfind('/') + 1)
                     << " needs the " << needed << " role; token " << caller.token_id
                     << " of lab " << caller.lab << " has " << caller.roles.to_string());
        decision.caller = std::move(caller);
      }
    } catch (const Error& e) {
      decision.refusal = e;
      decision.caller.reset();
      try {
        core_.audit_refusal(actor, method, std::string(to_string(e.code())) + ": " + e.what());
      } catch (const std::exception&) {
        // The refusal stands even if it could not be recorded; the handler refuses the call.
      }
    }
    registry_.put(info_->server_context(), std::move(decision));
  }

  grpc::experimental::ServerRpcInfo* info_;
  service::EvidenceService& core_;
  CallRegistry& registry_;
};

}  // namespace

void CallRegistry::put(const grpc::ServerContextBase* ctx, Decision decision) {
  std::lock_guard lock(mutex_);
  decisions_.insert_or_assign(ctx, std::move(decision));
}

void CallRegistry::erase(const grpc::ServerContextBase* ctx) {
  std::lock_guard lock(mutex_);
  decisions_.erase(ctx);
}

std::optional<CallRegistry::Decision> CallRegistry::find(const grpc::ServerContextBase* ctx) const {
  std::lock_guard lock(mutex_);
  const auto it = decisions_.find(ctx);
  if (it == decisions_.end()) return std::nullopt;
  return it->second;
}

grpc::experimental::Interceptor* AuthInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AuthInterceptor(info, core_, registry_);
}

service::Caller caller_of(const CallRegistry& registry, grpc::ServerContext* ctx) {
  const auto decision = registry.find(ctx);
  TP_CHECK(decision.has_value(), kInternal, "call was not authenticated (no interceptor decision)");
  if (decision->refusal.has_value()) throw *decision->refusal;
  service::Caller caller = *decision->caller;
  const auto deadline = ctx->deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    caller.deadline = std::chrono::steady_clock::now() +
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          deadline - std::chrono::system_clock::now());
  }
  return caller;
}

}  // namespace tuskprint::server
