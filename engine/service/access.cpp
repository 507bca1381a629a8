#include "service/access.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <map>

#include "core/error.hpp"
#include "core/sha256.hpp"

namespace tuskprint::service {
namespace {

constexpr Role kAllRoles[] = {Role::kSubmit, Role::kSearch, Role::kExport, Role::kAdmin};
constexpr std::string_view kTokenPrefix = "tpk_";
constexpr std::size_t kSecretBytes = 32;

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  TP_CHECK(RAND_bytes(buffer.data(), int(buffer.size())) == 1, kInternal,
           "no random bytes from OpenSSL for a token secret");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : buffer) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// Lab and holder names end up in audit entries and INTERPOL exports: printable, no commas.
void check_label(const char* what, const std::string& value) {
  TP_CHECK(!value.empty(), kInvalidArgument, "token " << what << " is empty");
  TP_CHECK(value.size() <= 64, kInvalidArgument,
           "token " << what << " '" << value << "' is longer than 64 characters");
  for (unsigned char c : value) {
    TP_CHECK(std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ' ' || c == '@',
             kInvalidArgument,
             "token " << what << " '" << value
                      << "' may only hold letters, digits, space and - _ . @");
  }
}

}  // namespace

const char* to_string(Role role) {
  switch (role) {
    case Role::kSubmit: return "submit";
    case Role::kSearch: return "search";
    case Role::kExport: return "export";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

Role parse_role(std::string_view name) {
  for (Role r : kAllRoles) {
    if (name == to_string(r)) return r;
  }
  TP_THROW(kInvalidArgument,
           "unknown role '" << name << "' (roles are submit, search, export and admin)");
}

RoleSet parse_roles(std::string_view list) {
  RoleSet out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = list.find(',', start);
    const std::string_view item =
        list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    TP_CHECK(!item.empty(), kInvalidArgument, "empty role in '" << list << "'");
    out.add(parse_role(item));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<Role> RoleSet::roles() const {
  std::vector<Role> out;
  for (Role r : kAllRoles) {
    if (has(r)) out.push_back(r);
  }
  return out;
}

std::string RoleSet::to_string() const {
  std::string out;
  for (Role r : roles()) {
    if (!out.empty()) out += ',';
    out += service::to_string(r);
  }
  return out;
}

std::string Caller::actor() const {
  return lab + "/" + name + " (" + token_id + ")";
}

std::optional<RpcRequirement> rpc_requirement(std::string_view method) {
  // Reading evidence records needs any role that works with evidence; the admin role alone
  // manages tokens and the audit log and sees no evidence.
  static const std::vector<Role> kEvidenceReaders = {Role::kSubmit, Role::kSearch, Role::kExport};
  static const std::map<std::string, std::vector<Role>, std::less<>> kTable = {
      {"CreateSeizure", {Role::kSubmit}},
      {"GetSeizure", kEvidenceReaders},
      {"ListSeizures", kEvidenceReaders},
      {"AddSpecimen", {Role::kSubmit}},
      {"ListSpecimens", kEvidenceReaders},
      {"SubmitScan", {Role::kSubmit}},
      {"GetScan", kEvidenceReaders},
      {"ListScans", kEvidenceReaders},
      {"FetchScanImage", kEvidenceReaders},
      {"WithdrawScan", {Role::kSubmit}},
      {"Search", {Role::kSearch}},
      {"Verify", {Role::kSearch}},
      {"LinkSeizures", {Role::kSearch}},
      {"Export", {Role::kExport}},
      {"Import", {Role::kSubmit}},
      {"SetSeizureSharing", {Role::kSubmit}},
      {"CreateToken", {Role::kAdmin}},
      {"ListTokens", {Role::kAdmin}},
      {"RevokeToken", {Role::kAdmin}},
      {"VerifyAudit", {Role::kAdmin}},
  };
  constexpr std::string_view kService = "/tuskprint.v1.TuskPrint/";
  if (method.substr(0, kService.size()) == kService) {
    const auto it = kTable.find(method.substr(kService.size()));
    if (it == kTable.end()) return std::nullopt;
    return RpcRequirement{false, it->second};
  }
  if (method == "/grpc.health.v1.Health/Check" || method == "/grpc.health.v1.Health/Watch" ||
      method.substr(0, 30) == "/grpc.reflection.v1alpha.Serve" ||
      method.substr(0, 25) == "/grpc.reflection.v1.Serve") {
    return RpcRequirement{true, {}};
  }
  return std::nullopt;
}

TokenAuthority::Minted TokenAuthority::create(const std::string& lab, const std::string& name,
                                              const RoleSet& roles, const std::string& created_by,
                                              const catalog::AuditIntent* audit) {
  check_label("lab", lab);
  check_label("name", name);
  TP_CHECK(!roles.empty(), kInvalidArgument, "a token needs at least one role");
  const std::string secret = random_hex(kSecretBytes);
  catalog::TokenRecord record;
  record.lab = lab;
  record.name = name;
  record.roles = roles.to_string();
  record.secret_sha256 = sha256_hex(secret);
  record.created_by = created_by;
  Minted out;
  out.record = catalog_.insert_token(std::move(record), audit);
  out.token = std::string(kTokenPrefix) + out.record.id + "_" + secret;
  return out;
}

Caller TokenAuthority::authenticate(std::string_view token) const {
  TP_CHECK(token.substr(0, kTokenPrefix.size()) == kTokenPrefix, kUnauthenticated,
           "malformed API token (expected tpk_<id>_<secret>)");
  const std::string_view rest = token.substr(kTokenPrefix.size());
  const std::size_t sep = rest.rfind('_');
  TP_CHECK(sep != std::string_view::npos && sep > 0 && rest.size() - sep - 1 == 2 * kSecretBytes,
           kUnauthenticated, "malformed API token (expected tpk_<id>_<secret>)");
  const std::string id(rest.substr(0, sep));
  const std::string secret_hash = sha256_hex(rest.substr(sep + 1));
  const auto record = catalog_.find_token(id);
  // The same message for an unknown id and a wrong secret: no hint which part was wrong.
  TP_CHECK(record.has_value() && record->secret_sha256.size() == secret_hash.size() &&
               CRYPTO_memcmp(record->secret_sha256.data(), secret_hash.data(),
                             secret_hash.size()) == 0,
           kUnauthenticated, "API token " << id << " is not valid");
  TP_CHECK(record->revoked_at_micros == 0, kUnauthenticated, "API token " << id << " was revoked");
  Caller caller;
  caller.lab = record->lab;
  caller.token_id = record->id;
  caller.name = record->name;
  caller.roles = parse_roles(record->roles);
  return caller;
}

catalog::TokenRecord TokenAuthority::revoke(const std::string& token_id,
                                            const catalog::AuditIntent* audit) {
  return catalog_.revoke_token(token_id, audit);
}

std::vector<catalog::TokenRecord> TokenAuthority::list(bool include_revoked) const {
  return catalog_.list_tokens(include_revoked);
}

std::string bearer_token(std::string_view header) {
  TP_CHECK(!header.empty(), kUnauthenticated,
           "no API token: send metadata 'authorization: Bearer <token>'");
  constexpr std::string_view kScheme = "bearer ";
  std::string scheme(header.substr(0, kScheme.size()));
  for (char& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
  TP_CHECK(scheme == kScheme && header.size() > kScheme.size(), kUnauthenticated,
           "authorization metadata must be 'Bearer <token>'");
  return std::string(header.substr(kScheme.size()));
}

}  // namespace tuskprint::service
