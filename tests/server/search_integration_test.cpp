// 1:N search end to end through the real tuskprintd: enrol rendered prints, restart the
// server, search with other impressions; withdrawal; index file deleted or corrupted.
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "datasets/fingerprints/impression.hpp"
#include "datasets/fingerprints/master.hpp"
#include "server_process.hpp"

namespace tuskprint::testing {
namespace {
namespace fs = std::filesystem;

constexpr int kFingers = 5;

std::string png_of(const cv::Mat& image) {
  std::vector<unsigned char> bytes;
  cv::imencode(".png", image, bytes);
  return std::string(bytes.begin(), bytes.end());
}

// Impressions 1 and 2 of each finger, rendered once for the whole suite.
struct Prints {
  std::vector<std::string> first, second;
};

const Prints& prints() {
  static const Prints p = [] {
    Prints out;
    const synth::SynthParams params;
    synth::ImpressionOptions options;
    options.partial_contact = false;
    for (int f = 0; f < kFingers; ++f) {
      const auto master = synth::generate_master(std::uint64_t(9000 + f), std::nullopt, params);
      out.first.push_back(png_of(synth::render_impression(master, 1, params, options).image));
      out.second.push_back(png_of(synth::render_impression(master, 2, params, options).image));
    }
    return out;
  }();
  return p;
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = temp_.path() / "data";
    server_ = std::make_unique<ServerProcess>(data_);
    server_->start();
    stub_ = server_->stub();
  }

  std::string create_seizure(const std::string& country) {
    v1::CreateSeizureRequest request;
    request.mutable_seizure()->set_date("2025-06-01");
    request.mutable_seizure()->set_discovering_country(country);
    v1::Seizure seizure;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->CreateSeizure(&ctx, request, &seizure).ok());
    return seizure.id();
  }

  std::string submit(const std::string& seizure_id, const std::string& png) {
    v1::ScanMetadata metadata;
    metadata.set_seizure_id(seizure_id);
    metadata.set_kind(v1::SCAN_KIND_REFERENCE_PRINT);
    metadata.set_ppi(500);
    metadata.set_operator_name("test");
    v1::SubmitScanResponse response;
    const auto status = submit_scan(*stub_, metadata, png, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(response.scan().has_finger_template());
    return response.scan().id();
  }

  v1::SearchResponse search_image(const std::string& png, grpc::Status* status_out = nullptr) {
    v1::SearchRequest request;
    request.mutable_probe()->mutable_image()->set_data(png);
    request.mutable_probe()->mutable_image()->set_ppi(500);
    request.set_top_k(3);
    v1::SearchResponse response;
    grpc::ClientContext ctx;
    const auto status = stub_->Search(&ctx, request, &response);
    if (status_out != nullptr) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return response;
  }

  std::vector<std::string> enrol_first_impressions() {
    const std::string seizure = create_seizure("KE");
    std::vector<std::string> ids;
    for (const auto& png : prints().first) ids.push_back(submit(seizure, png));
    return ids;
  }

  void restart() {
    stub_.reset();
    ASSERT_EQ(server_->stop(), 0);
    server_->start();
    stub_ = server_->stub();
  }

  TempDir temp_;
  fs::path data_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::TuskPrint::Stub> stub_;
};

TEST_F(SearchTest, EmptyGalleryReturnsNoCandidatesNotAnError) {
  grpc::Status status;
  const auto response = search_image(prints().second[0], &status);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.candidates_size(), 0);
}

TEST_F(SearchTest, FindsMatesAtRankOneAfterARestart) {
  const auto ids = enrol_first_impressions();
  restart();
  int rank_one = 0;
  for (int f = 0; f < kFingers; ++f) {
    const auto response = search_image(prints().second[std::size_t(f)]);
    ASSERT_GT(response.candidates_size(), 0) << "finger " << f;
    rank_one += response.candidates(0).scan_id() == ids[std::size_t(f)];
    EXPECT_EQ(response.candidates(0).discovering_country(), "KE");
  }
  EXPECT_GE(rank_one, kFingers - 1);
}

TEST_F(SearchTest, WithdrawnScanLeavesResultsAtOnce) {
  const auto ids = enrol_first_impressions();
  auto before = search_image(prints().second[1]);
  ASSERT_GT(before.candidates_size(), 0);
  const std::string hit = before.candidates(0).scan_id();
  v1::WithdrawScanRequest withdraw;
  withdraw.set_scan_id(hit);
  withdraw.set_reason("test: wrong exhibit");
  v1::Scan scan;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->WithdrawScan(&ctx, withdraw, &scan).ok());
  EXPECT_TRUE(scan.withdrawn());
  const auto after = search_image(prints().second[1]);
  for (const auto& c : after.candidates()) EXPECT_NE(c.scan_id(), hit);
  restart();
  const auto after_restart = search_image(prints().second[1]);
  for (const auto& c : after_restart.candidates()) EXPECT_NE(c.scan_id(), hit);
}

TEST_F(SearchTest, IndexFileDeletedOrCorruptedIsRebuiltFromTheCatalog) {
  const auto ids = enrol_first_impressions();
  restart();  // writes the index file on clean shutdown
  const fs::path index_file = data_ / "index" / "finger.idx";
  ASSERT_TRUE(fs::exists(index_file));
  const auto written = fs::last_write_time(index_file);
  search_image(prints().second[1]);

  stub_.reset();
  ASSERT_EQ(server_->stop(), 0);
  // Loaded and only searched: not rewritten at shutdown.
  EXPECT_EQ(fs::last_write_time(index_file), written);
  {
    std::fstream f(index_file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(std::streamoff(fs::file_size(index_file) / 2));
    f.put('\x5A').put('\xA5');
  }
  server_->start();
  stub_ = server_->stub();
  auto response = search_image(prints().second[2]);
  ASSERT_GT(response.candidates_size(), 0);
  EXPECT_EQ(response.candidates(0).scan_id(), ids[2]);
  EXPECT_EQ(response.stats().gallery_size(), std::uint32_t(kFingers));

  stub_.reset();
  ASSERT_EQ(server_->stop(), 0);
  fs::remove(index_file);
  server_->start();
  stub_ = server_->stub();
  response = search_image(prints().second[3]);
  ASSERT_GT(response.candidates_size(), 0);
  EXPECT_EQ(response.candidates(0).scan_id(), ids[3]);
}

// A running server saves its changed index every --index-checkpoint-seconds, so that a SIGKILL
// costs a replay of the events since the checkpoint, not a rebuild of the whole gallery.
TEST_F(SearchTest, IndexIsCheckpointedWhileRunningSoAKillCostsOnlyAReplay) {
  stub_.reset();
  ASSERT_EQ(server_->stop(), 0);
  fs::remove_all(data_ / "index");
  server_ = std::make_unique<ServerProcess>(
      data_, std::vector<std::string>{"--index-checkpoint-seconds", "1"});
  server_->start();
  stub_ = server_->stub();
  const auto ids = enrol_first_impressions();
  const fs::path index_file = data_ / "index" / "finger.idx";
  for (int i = 0; i < 200 && !fs::exists(index_file); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(fs::exists(index_file)) << "no checkpoint within 20 s";

  stub_.reset();
  server_->kill_hard();
  server_->start();
  stub_ = server_->stub();
  const auto response = search_image(prints().second[4]);
  ASSERT_GT(response.candidates_size(), 0);
  EXPECT_EQ(response.candidates(0).scan_id(), ids[4]);
  std::ifstream log(data_.string() + ".log");
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  const auto last_start = text.rfind("fingerprint index ");
  ASSERT_NE(last_start, std::string::npos) << text;
  EXPECT_EQ(text.compare(last_start, 24, "fingerprint index loaded"), 0)
      << text.substr(last_start, 120);
}

TEST_F(SearchTest, BadProbesGetClearStatuses) {
  v1::SearchRequest request;
  v1::SearchResponse response;
  grpc::ClientContext ctx;
  auto status = stub_->Search(&ctx, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("probe is empty"), std::string::npos);

  request.mutable_probe()->set_scan_id("SC-NOTHERE");
  grpc::ClientContext ctx2;
  status = stub_->Search(&ctx2, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  request.mutable_probe()->mutable_image()->set_data("garbage");
  request.mutable_probe()->mutable_image()->set_ppi(500);
  grpc::ClientContext ctx3;
  status = stub_->Search(&ctx3, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace tuskprint::testing
