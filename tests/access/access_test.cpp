// Roles, the RPC role table, API tokens and audit-chain verification.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "catalog_file.hpp"
#include "server_process.hpp"
#include "service/access.hpp"
#include "service/evidence_service.hpp"
#include "tuskprint/v1/service.grpc.pb.h"

namespace tuskprint::service {
namespace {

using testing::TempDir;

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error thrown";
  return ErrorCode::kInternal;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Roles, ParseAndPrintInFixedOrder) {
  EXPECT_EQ(parse_roles("search,submit").to_string(), "submit,search");
  EXPECT_EQ(parse_roles("admin").to_string(), "admin");
  EXPECT_TRUE(parse_roles("export,admin").has(Role::kExport));
  EXPECT_FALSE(parse_roles("export,admin").has(Role::kSubmit));
  EXPECT_NE(message_of([] { parse_roles("submit,root"); }).find("unknown role 'root'"),
            std::string::npos);
  EXPECT_EQ(code_of([] { parse_roles("submit,,search"); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of([] { parse_roles(""); }), ErrorCode::kInvalidArgument);
}

TEST(RpcTable, EveryServiceMethodHasARequirement) {
  const auto* service = v1::TuskPrint::service_full_name();
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  ASSERT_NE(descriptor, nullptr);
  for (int i = 0; i < descriptor->method_count(); ++i) {
    std::string method = "/";  // appended piecewise: GCC 12 warns (-Wrestrict) on "/" + string
    method.append(service).append("/").append(descriptor->method(i)->name());
    const auto requirement = rpc_requirement(method);
    ASSERT_TRUE(requirement.has_value()) << method << " has no role requirement";
    EXPECT_FALSE(requirement->public_method) << method << " must need a token";
    EXPECT_FALSE(requirement->any_of.empty()) << method;
  }
  EXPECT_FALSE(rpc_requirement("/tuskprint.v1.TuskPrint/NoSuchMethod").has_value());
  EXPECT_FALSE(rpc_requirement("/other.Service/Call").has_value());
  EXPECT_TRUE(rpc_requirement("/grpc.health.v1.Health/Check")->public_method);
}

TEST(RpcTable, AdminAloneSeesNoEvidenceAndEvidenceRolesCannotAdminister) {
  const auto get_scan = *rpc_requirement("/tuskprint.v1.TuskPrint/GetScan");
  for (Role r : get_scan.any_of) EXPECT_NE(r, Role::kAdmin);
  const auto create_token = *rpc_requirement("/tuskprint.v1.TuskPrint/CreateToken");
  ASSERT_EQ(create_token.any_of.size(), 1u);
  EXPECT_EQ(create_token.any_of[0], Role::kAdmin);
  const auto exported = *rpc_requirement("/tuskprint.v1.TuskPrint/Export");
  ASSERT_EQ(exported.any_of.size(), 1u);
  EXPECT_EQ(exported.any_of[0], Role::kExport);
}

TEST(Bearer, ReadsTheTokenAndRefusesOtherSchemes) {
  EXPECT_EQ(bearer_token("Bearer tpk_x"), "tpk_x");
  EXPECT_EQ(bearer_token("bearer tpk_x"), "tpk_x");
  EXPECT_EQ(code_of([] { bearer_token(""); }), ErrorCode::kUnauthenticated);
  EXPECT_EQ(code_of([] { bearer_token("Basic abc"); }), ErrorCode::kUnauthenticated);
  EXPECT_EQ(code_of([] { bearer_token("Bearer "); }), ErrorCode::kUnauthenticated);
}

TEST(Tokens, CreateAuthenticateRevokeAndOnlyTheHashIsStored) {
  TempDir dir;
  auto catalog = catalog::Catalog::open(dir.path());
  TokenAuthority tokens(*catalog);
  const auto minted = tokens.create("KE-WILDLIFE-LAB", "analyst 1", {Role::kSubmit, Role::kSearch},
                                    "test");
  EXPECT_EQ(minted.token.rfind("tpk_" + minted.record.id + "_", 0), 0u);
  const Caller caller = tokens.authenticate(minted.token);
  EXPECT_EQ(caller.lab, "KE-WILDLIFE-LAB");
  EXPECT_EQ(caller.token_id, minted.record.id);
  EXPECT_TRUE(caller.roles.has(Role::kSearch));
  EXPECT_FALSE(caller.roles.has(Role::kExport));

  // The secret is nowhere in the database file.
  const std::string secret = minted.token.substr(minted.token.rfind('_') + 1);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "catalog.sqlite3").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM api_tokens WHERE secret_sha256 = ? OR "
                                   "instr(secret_sha256, ?) > 0",
                               -1, &st, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(st, 1, secret.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, secret.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
  sqlite3_close(db);

  // A wrong secret, a malformed token and an unknown id are all refused the same way.
  std::string wrong = minted.token;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(code_of([&] { tokens.authenticate(wrong); }), ErrorCode::kUnauthenticated);
  EXPECT_EQ(code_of([&] { tokens.authenticate("tpk_nothing"); }), ErrorCode::kUnauthenticated);
  EXPECT_EQ(code_of([&] { tokens.authenticate("hello"); }), ErrorCode::kUnauthenticated);

  tokens.revoke(minted.record.id);
  EXPECT_NE(message_of([&] { tokens.authenticate(minted.token); }).find("revoked"),
            std::string::npos);
  EXPECT_EQ(tokens.list(false).size(), 0u);
  EXPECT_EQ(tokens.list(true).size(), 1u);
  EXPECT_EQ(code_of([&] { tokens.revoke("TK-NOPE"); }), ErrorCode::kNotFound);
}

TEST(Tokens, BadLabelsAndNoRolesAreRefused) {
  TempDir dir;
  auto catalog = catalog::Catalog::open(dir.path());
  TokenAuthority tokens(*catalog);
  EXPECT_EQ(code_of([&] { tokens.create("", "x", {Role::kSubmit}, "t"); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of([&] { tokens.create("lab,other", "x", {Role::kSubmit}, "t"); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of([&] { tokens.create("lab", "x", RoleSet{}, "t"); }),
            ErrorCode::kInvalidArgument);
}

TEST(AuditChain, VerifiesAndNamesTheFirstAlteredEntry) {
  TempDir dir;
  {
    auto catalog = catalog::Catalog::open(dir.path());
    for (int i = 0; i < 6; ++i) catalog->append_audit("lab", "search", "SC-" + std::to_string(i), "ok");
    const auto check = catalog->verify_audit_chain();
    EXPECT_TRUE(check.intact);
    EXPECT_EQ(check.entries, 6);
  }
  // Someone with write access to the file removes the guard and edits entry 4.
  ASSERT_EQ(testing::exec_on_catalog_file(
                dir.path(), "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET records = "
                            "'SC-9' WHERE seq = 4"),
            "");
  auto catalog = catalog::Catalog::open(dir.path());
  const auto check = catalog->verify_audit_chain();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_broken_seq, 4);
  EXPECT_EQ(check.entries, 3);
  EXPECT_NE(check.problem.find("altered"), std::string::npos) << check.problem;
}

TEST(AuditChain, AMissingEntryIsNamed) {
  TempDir dir;
  {
    auto catalog = catalog::Catalog::open(dir.path());
    for (int i = 0; i < 5; ++i) catalog->append_audit("lab", "verify", "", "ok");
  }
  ASSERT_EQ(testing::exec_on_catalog_file(
                dir.path(), "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2"),
            "");
  auto catalog = catalog::Catalog::open(dir.path());
  const auto check = catalog->verify_audit_chain();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_broken_seq, 2);
  EXPECT_NE(check.problem.find("missing"), std::string::npos) << check.problem;
}

}  // namespace
}  // namespace tuskprint::service
