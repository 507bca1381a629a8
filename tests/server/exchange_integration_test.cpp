// INTERPOL exchange through the real tuskprintd: export a latent as INT-I MPS in both
// encodings, validate the XML against INTERPOL's schema (when ../shared and xmllint are
// present), import it back and compare.
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "datasets/fingerprints/impression.hpp"
#include "datasets/fingerprints/master.hpp"
#include "server_process.hpp"

namespace tuskprint::testing {
namespace {
namespace fs = std::filesystem;

class ExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(temp_.path() / "data");
    server_->start();
    stub_ = server_->stub();
    v1::CreateSeizureRequest create;
    create.mutable_seizure()->set_date("2025-04-01");
    create.mutable_seizure()->set_discovering_country("TZ");
    create.mutable_seizure()->add_case_references("DSM/2025/77");
    v1::Seizure seizure;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->CreateSeizure(&ctx, create, &seizure).ok());
    seizure_id_ = seizure.id();
  }

  v1::Scan submit_latent() {
    const synth::SynthParams params;
    const auto master = synth::generate_master(4242, std::nullopt, params);
    std::vector<unsigned char> png;
    cv::imencode(".png", synth::render_impression(master, 1, params).image, png);  // 8-bit grey
    v1::ScanMetadata metadata;
    metadata.set_seizure_id(seizure_id_);
    metadata.set_kind(v1::SCAN_KIND_LATENT_LIFT);
    metadata.set_ppi(500);
    metadata.set_operator_name("test");
    v1::SubmitScanResponse response;
    EXPECT_TRUE(submit_scan(*stub_, metadata, std::string(png.begin(), png.end()), &response).ok());
    return response.scan();
  }

  v1::ExportedTransaction export_scan(const std::string& id, const std::string& format) {
    v1::ExportRequest request;
    request.add_scan_ids(id);
    request.set_format(format);
    v1::ExportResponse response;
    grpc::ClientContext ctx;
    const auto status = stub_->Export(&ctx, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.transactions_size() ? response.transactions(0) : v1::ExportedTransaction();
  }

  v1::ImportResponse import_data(const std::string& data) {
    v1::ImportRequest request;
    request.set_data(data);
    request.set_seizure_id(seizure_id_);
    v1::ImportResponse response;
    grpc::ClientContext ctx;
    const auto status = stub_->Import(&ctx, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  TempDir temp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::TuskPrint::Stub> stub_;
  std::string seizure_id_;
};

TEST_F(ExchangeTest, RoundTripsInBothEncodingsWithIdenticalImageBytes) {
  const v1::Scan scan = submit_latent();
  ASSERT_GT(scan.finger_template().minutiae_size(), 5);
  for (const std::string format : {"an2", "xml"}) {
    const auto exported = export_scan(scan.id(), format);
    ASSERT_FALSE(exported.data().empty());
    EXPECT_EQ(exported.tcn().size(), 15u);
    EXPECT_EQ(exported.file_name(), exported.tcn() + "." + format);
    const auto imported = import_data(exported.data());
    // A grey PNG is carried as is: the imported scan has the very same bytes.
    EXPECT_EQ(imported.scan().sha256(), scan.sha256()) << format;
    EXPECT_EQ(imported.scan().metadata().ppi(), 500u);
    EXPECT_EQ(int(imported.imported_minutiae()), scan.finger_template().minutiae_size()) << format;
    EXPECT_EQ(imported.scan().finger_template().minutiae_size(),
              scan.finger_template().minutiae_size());
  }
}

TEST_F(ExchangeTest, ImportWithoutASeizureRecordsOneForIt) {
  const auto exported = export_scan(submit_latent().id(), "an2");
  v1::ImportRequest request;
  request.set_data(exported.data());
  v1::ImportResponse response;
  grpc::ClientContext ctx;
  const auto status = stub_->Import(&ctx, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(response.scan().metadata().seizure_id(), seizure_id_);
  v1::GetSeizureRequest get;
  get.set_seizure_id(response.scan().metadata().seizure_id());
  v1::Seizure seizure;
  grpc::ClientContext ctx2;
  ASSERT_TRUE(stub_->GetSeizure(&ctx2, get, &seizure).ok());
  EXPECT_EQ(seizure.discovering_country(), "XX");
  EXPECT_NE(seizure.notes().find("ANSI/NIST-ITL import"), std::string::npos);
}

TEST_F(ExchangeTest, XmlExportValidatesAgainstInterpolSchema) {
  const char* shared = std::getenv("TUSKPRINT_SHARED");
  const fs::path schema =
      fs::path(shared ? shared : "") / "interpol/XMLschemas/int-i/1.0/int-i.xsd";
  if (!fs::exists(schema) || std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "needs ../shared/interpol and xmllint";
  }
  const auto exported = export_scan(submit_latent().id(), "xml");
  const fs::path file = temp_.path() / exported.file_name();
  std::ofstream(file, std::ios::binary) << exported.data();
  const std::string command = "xmllint --noout --schema '" + schema.string() + "' '" +
                              file.string() + "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST_F(ExchangeTest, BadRequestsAreRefusedClearly) {
  v1::ExportRequest request;
  v1::ExportResponse response;
  grpc::ClientContext ctx;
  EXPECT_EQ(stub_->Export(&ctx, request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.add_scan_ids(submit_latent().id());
  request.set_format("pdf");
  grpc::ClientContext ctx2;
  auto status = stub_->Export(&ctx2, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("pdf"), std::string::npos);

  v1::ImportRequest bad;
  bad.set_seizure_id(seizure_id_);
  bad.set_data("1.001:12\x1d" "garbage");
  v1::ImportResponse imported;
  grpc::ClientContext ctx3;
  status = stub_->Import(&ctx3, bad, &imported);
  EXPECT_TRUE(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
              status.error_code() == grpc::StatusCode::DATA_LOSS)
      << status.error_code() << " " << status.error_message();
}

}  // namespace
}  // namespace tuskprint::testing
