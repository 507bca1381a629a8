#pragma once
// Who may do what. Every call carries an API token; the token names a lab and a set of
// roles. The server authenticates the token and checks the role an RPC needs in one place
// (services/server/auth_interceptor); the core then checks record ownership: a lab sees
// its own seizures (and their specimens and scans) and those other labs marked shareable,
// and changes only its own.
//
// Tokens look like "tpk_<id>_<secret>": the id is public (it names the token in lists and
// audit entries), the secret is 32 random bytes in hex. Only the SHA-256 of the secret is
// stored. A plain hash is enough because the secret is random and long (256 bits), so there
// is nothing to guess a password-style slow hash would protect.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace tuskprint::service {

enum class Role : unsigned { kSubmit = 1, kSearch = 2, kExport = 4, kAdmin = 8 };

class RoleSet {
 public:
  RoleSet() = default;
  RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) add(r);
  }
  void add(Role role) { bits_ |= unsigned(role); }
  bool has(Role role) const { return (bits_ & unsigned(role)) != 0; }
  bool empty() const { return bits_ == 0; }
  std::vector<Role> roles() const;
  std::string to_string() const;  // "submit,search" in a fixed order
  bool operator==(const RoleSet&) const = default;

 private:
  unsigned bits_ = 0;
};

const char* to_string(Role role);
// "submit", "search", "export", "admin"; Error(kInvalidArgument) naming an unknown role.
Role parse_role(std::string_view name);
// Comma-separated list; empty entries are an error.
RoleSet parse_roles(std::string_view list);

// The authenticated caller of one request, as the core sees it.
struct Caller {
  std::string lab;          // owner of what this caller creates
  std::string token_id;     // "TK-..." ("local" for in-process callers such as the CLI's --data)
  std::string name;         // who holds the token
  RoleSet roles;
  // When the client stops waiting; heavy work queued past it is dropped (kDeadlineExceeded).
  std::optional<std::chrono::steady_clock::time_point> deadline;

  // How the caller appears in the audit log: "lab/name (token id)".
  std::string actor() const;
};

// What an RPC needs. `any_of` empty and `public_method` true: no token needed (health and
// reflection); otherwise a valid token with at least one of `any_of`.
struct RpcRequirement {
  bool public_method = false;
  std::vector<Role> any_of;
};

// The role table for every method of tuskprint.v1.TuskPrint, by full gRPC method name
// ("/tuskprint.v1.TuskPrint/Search"). Unknown methods get nullopt: refuse them.
std::optional<RpcRequirement> rpc_requirement(std::string_view full_method);

// Mints, checks and revokes API tokens in the catalog.
class TokenAuthority {
 public:
  explicit TokenAuthority(catalog::Catalog& catalog) : catalog_(catalog) {}

  struct Minted {
    catalog::TokenRecord record;
    std::string token;  // the only time the secret is seen
  };
  // Error(kInvalidArgument) for an empty or malformed lab/name or no roles.
  // `audit`, when given, is written in the same transaction as the token.
  Minted create(const std::string& lab, const std::string& name, const RoleSet& roles,
                const std::string& created_by, const catalog::AuditIntent* audit = nullptr);
  // Error(kUnauthenticated) naming the problem (malformed, unknown, revoked, wrong secret).
  Caller authenticate(std::string_view token) const;
  catalog::TokenRecord revoke(const std::string& token_id,
                              const catalog::AuditIntent* audit = nullptr);
  std::vector<catalog::TokenRecord> list(bool include_revoked) const;

 private:
  catalog::Catalog& catalog_;
};

// Reads "Bearer <token>" (case-insensitive scheme); Error(kUnauthenticated) otherwise.
std::string bearer_token(std::string_view authorization_header);

}  // namespace tuskprint::service
