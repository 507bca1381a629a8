// Access control against the real server: role x RPC x record owner. Every call that is not
// allowed is refused with PERMISSION_DENIED or UNAUTHENTICATED and leaves nothing behind but
// one audit entry; every allowed call gets past the checks. Also: TLS, and the refusal to
// serve plaintext anywhere but loopback.
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "catalog_file.hpp"
#include "server_process.hpp"

namespace tuskprint::testing {
namespace {
namespace fs = std::filesystem;

// Counts that any change to evidence, sharing or tokens would move.
struct Snapshot {
  std::map<std::string, long long> counts;
  long long audit_entries = 0;
  std::string last_audit_result;
  bool operator==(const Snapshot& o) const { return counts == o.counts; }
};

long long scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return -1;
  long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  return v;
}

Snapshot snapshot(const fs::path& data) {
  sqlite3* db = nullptr;
  sqlite3_open_v2((data / "catalog.sqlite3").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  Snapshot s;
  for (const char* q :
       {"SELECT count(*) FROM seizures", "SELECT count(*) FROM specimens",
        "SELECT count(*) FROM scans", "SELECT count(*) FROM blobs",
        "SELECT count(*) FROM feature_log", "SELECT total(shareable) FROM seizures",
        "SELECT total(withdrawn) FROM scans", "SELECT count(*) FROM api_tokens",
        "SELECT count(*) FROM api_tokens WHERE revoked_at != 0"}) {
    s.counts[q] = scalar(db, q);
  }
  s.audit_entries = scalar(db, "SELECT count(*) FROM audit_log");
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT result FROM audit_log ORDER BY seq DESC LIMIT 1", -1, &st, nullptr);
  if (sqlite3_step(st) == SQLITE_ROW) {
    s.last_audit_result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return s;
}

v1::Seizure create_seizure(v1::TuskPrint::Stub& stub, const std::string& country) {
  v1::CreateSeizureRequest request;
  request.mutable_seizure()->set_date("2024-05-17");
  request.mutable_seizure()->set_discovering_country(country);
  v1::Seizure seizure;
  grpc::ClientContext ctx;
  EXPECT_TRUE(stub.CreateSeizure(&ctx, request, &seizure).ok());
  return seizure;
}

grpc::Status submit(v1::TuskPrint::Stub& stub, const std::string& seizure_id,
                    const std::string& bytes, v1::SubmitScanResponse* response) {
  v1::ScanMetadata metadata;
  metadata.set_seizure_id(seizure_id);
  metadata.set_kind(v1::SCAN_KIND_LATENT_LIFT);
  metadata.set_ppi(1000);
  metadata.set_operator_name("examiner");
  return submit_scan(stub, metadata, bytes, response, bytes.size() + 1);
}

// One record set a caller may act on.
struct Target {
  std::string name;  // "own", "other", "shared"
  std::string seizure_id;
  std::string scan_id;
};

enum class Ownership { kNone, kWrite, kRead };

struct Rpc {
  std::string name;
  Ownership ownership;
  std::function<grpc::Status(v1::TuskPrint::Stub&, const Target&)> call;
};

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = temp_.path() / "data";
    server_ = std::make_unique<ServerProcess>(data_);
    server_->start();
    tokens_["A-submit"] = server_->mint_token("LAB-A", "submit");
    tokens_["A-search"] = server_->mint_token("LAB-A", "search");
    tokens_["A-export"] = server_->mint_token("LAB-A", "export");
    tokens_["A-admin"] = server_->mint_token("LAB-A", "admin");
    const std::string b_all = server_->mint_token("LAB-B", "submit,search,export");
    const std::string revoked = server_->mint_token("LAB-A", "submit,search,export,admin");
    {
      v1::RevokeTokenRequest request;
      request.set_token_id(revoked.substr(4, revoked.rfind('_') - 4));
      v1::TokenInfo info;
      grpc::ClientContext ctx;
      ASSERT_TRUE(server_->stub()->RevokeToken(&ctx, request, &info).ok());
    }
    tokens_["revoked"] = revoked;
    tokens_["none"] = "";
    tokens_["forged"] = "tpk_TK-0000000000_" + std::string(64, 'a');

    auto a = make_stub(server_->address(), tokens_["A-submit"]);
    auto b = make_stub(server_->address(), b_all);
    own_ = make_target(*a, "own", "KE", 1);
    other_ = make_target(*b, "other", "VN", 2);
    shared_ = make_target(*b, "shared", "TH", 3);
    v1::SetSeizureSharingRequest share;
    share.set_seizure_id(shared_.seizure_id);
    share.set_shareable(true);
    share.set_reason("INTERPOL case 2024/117");
    v1::Seizure shared;
    grpc::ClientContext ctx;
    ASSERT_TRUE(b->SetSeizureSharing(&ctx, share, &shared).ok());
    ASSERT_TRUE(shared.shareable());
  }

  Target make_target(v1::TuskPrint::Stub& stub, const std::string& name, const std::string& country,
                     int seed) {
    Target t{name, create_seizure(stub, country).id(), ""};
    v1::SubmitScanResponse response;
    const auto status = submit(stub, t.seizure_id, make_png(300, 300, seed), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    t.scan_id = response.scan().id();
    return t;
  }

  static std::vector<Rpc> rpcs() {
    using S = v1::TuskPrint::Stub;
    std::vector<Rpc> out;
    out.push_back({"CreateSeizure", Ownership::kNone, [](S& s, const Target&) {
                     v1::CreateSeizureRequest r;
                     r.mutable_seizure()->set_date("2024-01-02");
                     r.mutable_seizure()->set_discovering_country("KE");
                     v1::Seizure out;
                     grpc::ClientContext c;
                     return s.CreateSeizure(&c, r, &out);
                   }});
    out.push_back({"GetSeizure", Ownership::kRead, [](S& s, const Target& t) {
                     v1::GetSeizureRequest r;
                     r.set_seizure_id(t.seizure_id);
                     v1::Seizure out;
                     grpc::ClientContext c;
                     return s.GetSeizure(&c, r, &out);
                   }});
    out.push_back({"ListSeizures", Ownership::kNone, [](S& s, const Target&) {
                     v1::ListSeizuresRequest r;
                     v1::ListSeizuresResponse out;
                     grpc::ClientContext c;
                     return s.ListSeizures(&c, r, &out);
                   }});
    out.push_back({"AddSpecimen", Ownership::kWrite, [](S& s, const Target& t) {
                     v1::AddSpecimenRequest r;
                     r.mutable_specimen()->set_seizure_id(t.seizure_id);
                     r.mutable_specimen()->set_kind(v1::SPECIMEN_KIND_WHOLE_TUSK);
                     v1::Specimen out;
                     grpc::ClientContext c;
                     return s.AddSpecimen(&c, r, &out);
                   }});
    out.push_back({"ListSpecimens", Ownership::kRead, [](S& s, const Target& t) {
                     v1::ListSpecimensRequest r;
                     r.set_seizure_id(t.seizure_id);
                     v1::ListSpecimensResponse out;
                     grpc::ClientContext c;
                     return s.ListSpecimens(&c, r, &out);
                   }});
    out.push_back({"SubmitScan", Ownership::kWrite, [](S& s, const Target& t) {
                     v1::SubmitScanResponse out;
                     return submit(s, t.seizure_id, make_png(280, 280, 77), &out);
                   }});
    out.push_back({"GetScan", Ownership::kRead, [](S& s, const Target& t) {
                     v1::GetScanRequest r;
                     r.set_scan_id(t.scan_id);
                     v1::Scan out;
                     grpc::ClientContext c;
                     return s.GetScan(&c, r, &out);
                   }});
    out.push_back({"ListScans", Ownership::kRead, [](S& s, const Target& t) {
                     v1::ListScansRequest r;
                     r.set_seizure_id(t.seizure_id);
                     v1::ListScansResponse out;
                     grpc::ClientContext c;
                     return s.ListScans(&c, r, &out);
                   }});
    out.push_back({"FetchScanImage", Ownership::kRead, [](S& s, const Target& t) {
                     v1::FetchScanImageRequest r;
                     r.set_scan_id(t.scan_id);
                     grpc::ClientContext c;
                     auto reader = s.FetchScanImage(&c, r);
                     v1::ScanImageChunk chunk;
                     while (reader->Read(&chunk)) {
                     }
                     return reader->Finish();
                   }});
    out.push_back({"Search", Ownership::kRead, [](S& s, const Target& t) {
                     v1::SearchRequest r;
                     r.mutable_probe()->set_scan_id(t.scan_id);
                     v1::SearchResponse out;
                     grpc::ClientContext c;
                     return s.Search(&c, r, &out);
                   }});
    out.push_back({"Verify", Ownership::kRead, [](S& s, const Target& t) {
                     v1::VerifyRequest r;
                     r.mutable_a()->set_scan_id(t.scan_id);
                     r.mutable_b()->set_scan_id(t.scan_id);
                     v1::VerifyResponse out;
                     grpc::ClientContext c;
                     return s.Verify(&c, r, &out);
                   }});
    out.push_back({"Export", Ownership::kRead, [](S& s, const Target& t) {
                     v1::ExportRequest r;
                     r.add_scan_ids(t.scan_id);
                     v1::ExportResponse out;
                     grpc::ClientContext c;
                     return s.Export(&c, r, &out);
                   }});
    out.push_back({"Import", Ownership::kWrite, [](S& s, const Target& t) {
                     v1::ImportRequest r;
                     r.set_data("not an ANSI/NIST-ITL file");
                     r.set_seizure_id(t.seizure_id);
                     v1::ImportResponse out;
                     grpc::ClientContext c;
                     return s.Import(&c, r, &out);
                   }});
    out.push_back({"WithdrawScan", Ownership::kWrite, [](S& s, const Target& t) {
                     v1::WithdrawScanRequest r;
                     r.set_scan_id(t.scan_id);
                     r.set_reason("matrix test");
                     v1::Scan out;
                     grpc::ClientContext c;
                     return s.WithdrawScan(&c, r, &out);
                   }});
    out.push_back({"SetSeizureSharing", Ownership::kWrite, [](S& s, const Target& t) {
                     v1::SetSeizureSharingRequest r;
                     r.set_seizure_id(t.seizure_id);
                     r.set_shareable(t.name == "shared");  // leaves sharing as it was
                     r.set_reason("matrix test");
                     v1::Seizure out;
                     grpc::ClientContext c;
                     return s.SetSeizureSharing(&c, r, &out);
                   }});
    out.push_back({"CreateToken", Ownership::kNone, [](S& s, const Target&) {
                     v1::CreateTokenRequest r;
                     r.set_lab("LAB-C");
                     r.set_name("new");
                     r.add_roles(v1::ROLE_SEARCH);
                     v1::CreateTokenResponse out;
                     grpc::ClientContext c;
                     return s.CreateToken(&c, r, &out);
                   }});
    out.push_back({"ListTokens", Ownership::kNone, [](S& s, const Target&) {
                     v1::ListTokensRequest r;
                     v1::ListTokensResponse out;
                     grpc::ClientContext c;
                     return s.ListTokens(&c, r, &out);
                   }});
    out.push_back({"RevokeToken", Ownership::kNone, [](S& s, const Target&) {
                     v1::RevokeTokenRequest r;
                     r.set_token_id("TK-UNKNOWN00");  // allowed callers get NOT_FOUND
                     v1::TokenInfo out;
                     grpc::ClientContext c;
                     return s.RevokeToken(&c, r, &out);
                   }});
    out.push_back({"VerifyAudit", Ownership::kNone, [](S& s, const Target&) {
                     v1::VerifyAuditResponse out;
                     grpc::ClientContext c;
                     return s.VerifyAudit(&c, v1::VerifyAuditRequest{}, &out);
                   }});
    return out;
  }

  // The role table, restated independently of the server's.
  static bool role_allows(const std::string& caller, const std::string& rpc) {
    static const std::set<std::string> submit = {"CreateSeizure", "AddSpecimen", "SubmitScan",
                                                 "WithdrawScan", "Import", "SetSeizureSharing"};
    static const std::set<std::string> search = {"Search", "Verify"};
    static const std::set<std::string> exported = {"Export"};
    static const std::set<std::string> admin = {"CreateToken", "ListTokens", "RevokeToken",
                                                "VerifyAudit"};
    static const std::set<std::string> reads = {"GetSeizure", "ListSeizures", "ListSpecimens",
                                                "GetScan", "ListScans", "FetchScanImage"};
    if (caller == "A-submit") return submit.count(rpc) || reads.count(rpc);
    if (caller == "A-search") return search.count(rpc) || reads.count(rpc);
    if (caller == "A-export") return exported.count(rpc) || reads.count(rpc);
    if (caller == "A-admin") return admin.count(rpc) > 0;
    return false;  // none, forged, revoked
  }

  TempDir temp_;
  fs::path data_;
  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> tokens_;
  Target own_, other_, shared_;
};

TEST_F(AccessMatrixTest, EveryCallNotAllowedIsRefusedAndLeavesOnlyAnAuditEntry) {
  int refused = 0, allowed = 0;
  for (const auto& [caller, token] : tokens_) {
    auto stub = make_stub(server_->address(), token);
    for (const auto& rpc : rpcs()) {
      std::vector<const Target*> targets = {&own_};
      if (rpc.ownership != Ownership::kNone) targets = {&own_, &other_, &shared_};
      for (const Target* target : targets) {
        const bool owner_ok = rpc.ownership == Ownership::kNone || target->name == "own" ||
                              (rpc.ownership == Ownership::kRead && target->name == "shared");
        const bool expect_allowed = role_allows(caller, rpc.name) && owner_ok;
        const Snapshot before = snapshot(data_);
        const grpc::Status status = rpc.call(*stub, *target);
        const Snapshot after = snapshot(data_);
        const std::string where = caller + " -> " + rpc.name + " on " + target->name + ": " +
                                  std::to_string(int(status.error_code())) + " " +
                                  status.error_message();
        const bool denied = status.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
                            status.error_code() == grpc::StatusCode::UNAUTHENTICATED;
        if (expect_allowed) {
          ++allowed;
          EXPECT_FALSE(denied) << where;
        } else {
          ++refused;
          EXPECT_TRUE(denied) << where;
          if (caller == "none" || caller == "forged" || caller == "revoked") {
            EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << where;
          } else {
            EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << where;
          }
          EXPECT_TRUE(before == after) << where << " changed stored records";
          EXPECT_EQ(after.audit_entries, before.audit_entries + 1) << where;
          EXPECT_EQ(after.last_audit_result.rfind("refused", 0), 0u)
              << where << " audit result: " << after.last_audit_result;
        }
      }
    }
  }
  EXPECT_GT(refused, 150);
  EXPECT_GT(allowed, 20);
}

TEST_F(AccessMatrixTest, ListingsAndSearchShowOnlyOwnAndSharedRecords) {
  auto a = make_stub(server_->address(), tokens_["A-search"]);
  v1::ListSeizuresResponse list;
  grpc::ClientContext ctx;
  ASSERT_TRUE(a->ListSeizures(&ctx, v1::ListSeizuresRequest{}, &list).ok());
  std::set<std::string> seen;
  for (const auto& s : list.seizures()) seen.insert(s.id());
  EXPECT_TRUE(seen.count(own_.seizure_id));
  EXPECT_TRUE(seen.count(shared_.seizure_id));
  EXPECT_FALSE(seen.count(other_.seizure_id));

  // The owner is the token's lab, whatever the request says.
  auto b = make_stub(server_->address(), server_->mint_token("LAB-B", "submit"));
  v1::CreateSeizureRequest request;
  request.mutable_seizure()->set_date("2024-02-02");
  request.mutable_seizure()->set_discovering_country("KE");
  request.mutable_seizure()->set_owner_lab("LAB-A");
  v1::Seizure stored;
  grpc::ClientContext ctx2;
  ASSERT_TRUE(b->CreateSeizure(&ctx2, request, &stored).ok());
  EXPECT_EQ(stored.owner_lab(), "LAB-B");
}

TEST_F(AccessMatrixTest, AuditVerifyNamesTheAlteredEntry) {
  v1::VerifyAuditResponse response;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(server_->stub()->VerifyAudit(&ctx, v1::VerifyAuditRequest{}, &response).ok());
    EXPECT_TRUE(response.intact());
    EXPECT_GT(response.entries(), 10u);
  }
  ASSERT_EQ(server_->stop(), 0);
  ASSERT_EQ(exec_on_catalog_file(data_, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET "
                                        "actor = 'someone else' WHERE seq = 7"),
            "");
  // The CLI, on the data directory.
  const std::string cli = fs::path(ServerProcess::binary()).parent_path() / "tuskprint";
  const fs::path out = temp_.path() / "verify.json";
  const int rc = std::system((cli + " audit verify --data " + data_.string() + " --json > " +
                              out.string() + " 2>&1")
                                 .c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 1);
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"first_broken_seq\": 7"), std::string::npos) << text;
  EXPECT_NE(text.find("\"intact\": false"), std::string::npos) << text;
  // And over gRPC.
  server_->start();
  grpc::ClientContext ctx;
  ASSERT_TRUE(server_->stub()->VerifyAudit(&ctx, v1::VerifyAuditRequest{}, &response).ok());
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_broken_seq(), 7u);
}

int run_server_expecting_failure(const std::vector<std::string>& args, const fs::path& log) {
  std::string command = ServerProcess::binary();
  for (const auto& a : args) command += " '" + a + "'";
  command += " > " + log.string() + " 2>&1";
  const int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(Transport, PlaintextOnlyOnLoopbackAndOnlyWhenAsked) {
  TempDir temp;
  const fs::path log = temp.path() / "log";
  EXPECT_EQ(run_server_expecting_failure(
                {"--listen", "127.0.0.1:0", "--data", (temp.path() / "d").string()}, log),
            2);
  EXPECT_NE(read_all(log).find("no TLS certificate configured"), std::string::npos)
      << read_all(log);
  EXPECT_EQ(run_server_expecting_failure({"--listen", "0.0.0.0:0", "--data",
                                          (temp.path() / "d").string(), "--plaintext-loopback"},
                                         log),
            2);
  EXPECT_NE(read_all(log).find("plaintext is only served on loopback"), std::string::npos)
      << read_all(log);
}

TEST(Transport, TlsServesTokensAndRefusesPlaintextClients) {
  TempDir temp;
  const fs::path key = temp.path() / "key.pem", cert = temp.path() / "cert.pem";
  const std::string openssl = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
                              "'/CN=localhost' -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' "
                              "-keyout " + key.string() + " -out " + cert.string() + " > /dev/null 2>&1";
  if (std::system(openssl.c_str()) != 0) GTEST_SKIP() << "openssl command not available";
  ServerProcess server(temp.path() / "data",
                       {"--tls-cert", cert.string(), "--tls-key", key.string()});
  server.start();
  // An IP literal (the certificate names 127.0.0.1 too): no name lookup on the way.
  auto tls = make_stub(server.address(), server.token(), read_all(cert));
  v1::ListSeizuresResponse list;
  {
    grpc::ClientContext ctx;
    const auto status = tls->ListSeizures(&ctx, v1::ListSeizuresRequest{}, &list);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  {
    auto plain = make_stub(server.address(), server.token());
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
    EXPECT_FALSE(plain->ListSeizures(&ctx, v1::ListSeizuresRequest{}, &list).ok());
  }
  {
    auto no_token = make_stub(server.address(), "", read_all(cert));
    grpc::ClientContext ctx;
    EXPECT_EQ(no_token->ListSeizures(&ctx, v1::ListSeizuresRequest{}, &list).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
}

}  // namespace
}  // namespace tuskprint::testing
