// Starts the real tuskprintd on a loopback port and drives it over gRPC.
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "server_process.hpp"
#include "grpc/health/v1/health.grpc.pb.h"

namespace tuskprint::testing {
namespace {
namespace fs = std::filesystem;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = temp_.path() / "data";
    config_ = temp_.path() / "tuskprintd.json";
    // Small limits so the over-limit cases are cheap to provoke.
    std::ofstream(config_) << R"({"limits": {"max_upload_bytes": 200000, "max_pixels": 4000000}})";
    server_ = std::make_unique<ServerProcess>(data_, std::vector<std::string>{"--config", config_.string()});
    server_->start();
    stub_ = server_->stub();
  }

  v1::Seizure create_seizure(const std::string& country = "KE") {
    v1::CreateSeizureRequest request;
    request.mutable_seizure()->set_date("2024-05-17");
    request.mutable_seizure()->set_discovering_country(country);
    request.mutable_seizure()->set_agency("KWS");
    request.mutable_seizure()->add_destination_countries("VN");
    request.mutable_seizure()->set_raw_pieces(4);
    request.mutable_seizure()->set_raw_kg(38.5);
    v1::Seizure seizure;
    grpc::ClientContext ctx;
    const auto status = stub_->CreateSeizure(&ctx, request, &seizure);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return seizure;
  }

  grpc::Status submit(const std::string& seizure_id, const std::string& bytes,
                      v1::SubmitScanResponse* response, std::size_t chunk = 64 * 1024) {
    v1::ScanMetadata metadata;
    metadata.set_seizure_id(seizure_id);
    metadata.set_kind(v1::SCAN_KIND_LATENT_LIFT);
    metadata.set_ppi(1000);
    metadata.set_operator_name("test operator");
    metadata.mutable_capture()->set_developing_method("black magnetic powder");
    return submit_scan(*stub_, metadata, bytes, response, chunk);
  }

  std::size_t scan_count(const std::string& seizure_id) {
    v1::ListScansRequest request;
    request.set_seizure_id(seizure_id);
    v1::ListScansResponse response;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->ListScans(&ctx, request, &response).ok());
    return std::size_t(response.scans_size());
  }

  std::size_t stored_blob_files() {
    std::size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(data_ / "blobs")) {
      if (entry.is_regular_file() && entry.path().parent_path().filename() != "tmp") ++n;
    }
    return n;
  }

  TempDir temp_;
  fs::path data_, config_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::TuskPrint::Stub> stub_;
};

TEST_F(ServerTest, HealthServiceReportsServing) {
  auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(health->Check(&ctx, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServerTest, EnrolListFetchRoundTrip) {
  const auto seizure = create_seizure();
  ASSERT_EQ(seizure.id().rfind("SZ-", 0), 0u);

  v1::AddSpecimenRequest add;
  add.mutable_specimen()->set_seizure_id(seizure.id());
  add.mutable_specimen()->set_cites_mark_text("ke 00/127/14");
  v1::Specimen specimen;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->AddSpecimen(&ctx, add, &specimen).ok());
  }
  EXPECT_EQ(specimen.cites_mark().text(), "KE 00/127/14");
  EXPECT_EQ(specimen.cites_mark().serial(), "127");
  EXPECT_DOUBLE_EQ(specimen.cites_mark().weight_kg(), 14.0);

  const std::string png = make_png(320, 240, 3);
  v1::SubmitScanResponse response;
  const auto status = submit(seizure.id(), png, &response, 1000);  // many small chunks
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.scan().width(), 320u);
  EXPECT_EQ(response.scan().height(), 240u);
  EXPECT_EQ(response.scan().media_type(), "image/png");
  // A noise image is kept as evidence but has no searchable template, and says why.
  EXPECT_TRUE(response.scan().finger_template().too_poor_to_search());
  EXPECT_FALSE(response.scan().finger_template().quality_reason().empty());
  EXPECT_EQ(response.scan().byte_size(), png.size());
  EXPECT_FALSE(response.duplicate_bytes());

  v1::FetchScanImageRequest fetch;
  fetch.set_scan_id(response.scan().id());
  grpc::ClientContext ctx;
  auto reader = stub_->FetchScanImage(&ctx, fetch);
  std::string bytes;
  v1::ScanImageChunk chunk;
  while (reader->Read(&chunk)) bytes += chunk.data();
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(bytes, png);

  // The same bytes again: a second scan record, one stored blob.
  v1::SubmitScanResponse again;
  ASSERT_TRUE(submit(seizure.id(), png, &again).ok());
  EXPECT_TRUE(again.duplicate_bytes());
  EXPECT_EQ(again.scan().sha256(), response.scan().sha256());
  EXPECT_EQ(stored_blob_files(), 1u);
  EXPECT_EQ(scan_count(seizure.id()), 2u);
}

TEST_F(ServerTest, BadInputIsRefusedWithTheRightStatusAndStoresNothing) {
  const auto seizure = create_seizure();
  v1::SubmitScanResponse response;

  auto status = submit(seizure.id(), "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("empty"), std::string::npos) << status.error_message();

  status = submit(seizure.id(), std::string("\x89PNG\r\n\x1a\n", 8) + std::string(500, 'x'), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("could not be decoded"), std::string::npos)
      << status.error_message();

  status = submit(seizure.id(), "not an image at all", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("not recognised"), std::string::npos);

  // Over the byte limit (200,000 in this test's config): noise PNG compresses badly.
  const std::string big = make_png(700, 700, 9);
  ASSERT_GT(big.size(), 200000u);
  status = submit(seizure.id(), big, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("limit"), std::string::npos) << status.error_message();

  status = submit("SZ-DOESNOTEXIST", make_png(64, 64), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("SZ-DOESNOTEXIST"), std::string::npos);

  v1::AddSpecimenRequest add;
  add.mutable_specimen()->set_seizure_id(seizure.id());
  add.mutable_specimen()->set_cites_mark_text("KE 2000/127/14");
  v1::Specimen specimen;
  grpc::ClientContext ctx;
  status = stub_->AddSpecimen(&ctx, add, &specimen);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("CITES mark"), std::string::npos) << status.error_message();

  v1::ListSpecimensRequest list;
  list.set_seizure_id(seizure.id());
  v1::ListSpecimensResponse specimens;
  grpc::ClientContext list_ctx;
  ASSERT_TRUE(stub_->ListSpecimens(&list_ctx, list, &specimens).ok());
  EXPECT_EQ(specimens.specimens_size(), 0);
  EXPECT_EQ(scan_count(seizure.id()), 0u);
  EXPECT_EQ(stored_blob_files(), 0u);
}

TEST_F(ServerTest, InvalidSeizureFieldsNameTheField) {
  v1::CreateSeizureRequest request;
  request.mutable_seizure()->set_date("2024-02-30");
  request.mutable_seizure()->set_discovering_country("KE");
  v1::Seizure seizure;
  grpc::ClientContext ctx;
  auto status = stub_->CreateSeizure(&ctx, request, &seizure);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("seizure.date"), std::string::npos);

  request.mutable_seizure()->set_date("2024-02-29");
  request.mutable_seizure()->set_discovering_country("Kenya");
  grpc::ClientContext ctx2;
  status = stub_->CreateSeizure(&ctx2, request, &seizure);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("discovering_country"), std::string::npos);

  v1::GetScanRequest get;
  get.set_scan_id("SC-NOPE");
  v1::Scan scan;
  grpc::ClientContext ctx3;
  EXPECT_EQ(stub_->GetScan(&ctx3, get, &scan).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerTest, RestartShowsEveryAcknowledgedRecord) {
  std::vector<std::string> seizure_ids, scan_ids;
  for (int i = 0; i < 3; ++i) {
    const auto seizure = create_seizure(i == 0 ? "KE" : "TZ");
    seizure_ids.push_back(seizure.id());
    v1::SubmitScanResponse response;
    ASSERT_TRUE(submit(seizure.id(), make_png(96, 96, 100 + i), &response).ok());
    scan_ids.push_back(response.scan().id());
  }
  // A clean stop, then a crash: both must keep what was acknowledged.
  stub_.reset();  // an idle open channel would hold a clean shutdown for its grace period
  EXPECT_EQ(server_->stop(), 0);
  server_->start();
  stub_ = server_->stub();
  server_->kill_hard();
  server_->start();
  stub_ = server_->stub();

  v1::ListSeizuresRequest list;
  list.set_page_size(2);  // exercise paging
  std::vector<std::string> seen;
  do {
    v1::ListSeizuresResponse page;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->ListSeizures(&ctx, list, &page).ok());
    for (const auto& s : page.seizures()) seen.push_back(s.id());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(seen, seizure_ids);
  for (const auto& id : scan_ids) {
    v1::GetScanRequest get;
    get.set_scan_id(id);
    v1::Scan scan;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->GetScan(&ctx, get, &scan).ok()) << id;
    EXPECT_EQ(scan.sha256().size(), 64u);
  }
}

}  // namespace
}  // namespace tuskprint::testing
