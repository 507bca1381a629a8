// Crash safety through the real tuskprintd: client threads enrol latent lifts concurrently
// while the server is killed with SIGKILL at random moments and restarted. Afterwards every
// scan the server acknowledged must be there with the bytes that were sent, be found at rank
// 1 by its own template, and no partial record may be visible.
//
//   TUSKPRINT_CRASH_ROUNDS   kills (default 5; the note reports a run with 100+)
//   TUSKPRINT_CRASH_SEED     seed of the kill times (default: drawn, printed)
//   TUSKPRINT_CRASH_CLIENTS  enrolling threads (default 4)
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "core/sha256.hpp"
#include "datasets/fingerprints/latent.hpp"
#include "datasets/fingerprints/master.hpp"
#include "server_process.hpp"

namespace tuskprint::testing {
namespace {
using Clock = std::chrono::steady_clock;

int env_int(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

// One latent lift per finger: every scan is a different finger, so that a scan's own
// template has no rival for rank 1.
std::string latent_png(std::uint64_t finger) {
  const synth::SynthParams params;
  const auto master = synth::generate_master(70000 + finger, std::nullopt, params);
  const auto lift = synth::render_latent(master, finger, params);
  std::vector<unsigned char> bytes;
  cv::imencode(".png", lift.image, bytes);
  return std::string(bytes.begin(), bytes.end());
}

// Latent lifts drawn before the kills start (so that the clients keep the server busy and
// kills land in the middle of its work), then one at a time once those are used up.
class LatentSource {
 public:
  explicit LatentSource(std::size_t ahead) : pool_(ahead) {
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < std::max(1u, std::thread::hardware_concurrency()); ++t) {
      workers.emplace_back([&] {
        for (std::size_t i = next++; i < pool_.size(); i = next++) pool_[i] = latent_png(i);
      });
    }
    for (auto& w : workers) w.join();
  }
  std::string next() {
    const std::size_t i = next_++;
    return i < pool_.size() ? std::move(pool_[i]) : latent_png(i);
  }

 private:
  std::vector<std::string> pool_;
  std::atomic<std::size_t> next_{0};
};

std::string status_text(const grpc::Status& s) {
  return std::to_string(int(s.error_code())) + " " + s.error_message();
}

// The server as the clients see it: a stub for the current incarnation, or down.
class ServerSlot {
 public:
  struct View {
    std::shared_ptr<v1::TuskPrint::Stub> stub;
    int generation = 0;
  };

  void publish(std::shared_ptr<v1::TuskPrint::Stub> stub) {
    std::lock_guard lock(mutex_);
    stub_ = std::move(stub);
    ++generation_;
    changed_.notify_all();
  }
  void take_down() {
    std::lock_guard lock(mutex_);
    stub_.reset();
  }
  void finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }
  bool finished() const {
    std::lock_guard lock(mutex_);
    return finished_;
  }
  // The current stub; waits while the server is down. Empty when the run is over.
  View wait_up(int newer_than = 0) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return finished_ || (stub_ && generation_ > newer_than); });
    if (finished_) return {};
    return {stub_, generation_};
  }
  // True when `generation` is still up: a failure seen then was not caused by a kill.
  bool still_up(int generation) const {
    std::lock_guard lock(mutex_);
    return stub_ != nullptr && generation_ == generation;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::shared_ptr<v1::TuskPrint::Stub> stub_;
  int generation_ = 0;
  bool finished_ = false;
};

struct Acknowledged {
  std::string scan_id;
  std::string sha256;
};

struct Ledger {
  std::mutex mutex;
  std::vector<Acknowledged> acknowledged;
  std::set<std::string> sent_sha256;  // every image offered, acknowledged or not
  std::vector<std::string> unexpected_errors;
  int interrupted = 0;  // submits cut off by a kill (outcome unknown to the client)
  std::atomic<int> in_flight{0};
};

// Counts a submission as in flight for as long as it lives.
class InFlight {
 public:
  explicit InFlight(Ledger& ledger) : ledger_(ledger) { ++ledger_.in_flight; }
  ~InFlight() { --ledger_.in_flight; }

 private:
  Ledger& ledger_;
};

grpc::Status submit_latent(v1::TuskPrint::Stub& stub, const std::string& seizure_id,
                           const std::string& specimen_id, const std::string& png,
                           v1::SubmitScanResponse* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  auto writer = stub.SubmitScan(&ctx, response);
  v1::SubmitScanChunk first;
  auto* metadata = first.mutable_metadata();
  metadata->set_seizure_id(seizure_id);
  metadata->set_specimen_id(specimen_id);
  metadata->set_kind(v1::SCAN_KIND_LATENT_LIFT);
  metadata->set_ppi(1000);
  metadata->set_operator_name("crash-test");
  metadata->set_expected_sha256(sha256_hex(png));
  if (writer->Write(first)) {
    constexpr std::size_t kChunk = 256 << 10;  // several chunks: kills land mid-stream too
    for (std::size_t offset = 0; offset < png.size(); offset += kChunk) {
      v1::SubmitScanChunk data;
      data.set_data(png.substr(offset, kChunk));
      if (!writer->Write(data)) break;
    }
    writer->WritesDone();
  }
  return writer->Finish();
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(temp_.path() / "data");
    server_->start();
    auto stub = server_->stub();
    v1::CreateSeizureRequest seizure_request;
    seizure_request.mutable_seizure()->set_date("2025-03-14");
    seizure_request.mutable_seizure()->set_discovering_country("TZ");
    v1::Seizure seizure;
    grpc::ClientContext c1;
    const auto s1 = stub->CreateSeizure(&c1, seizure_request, &seizure);
    ASSERT_TRUE(s1.ok()) << s1.error_message();
    seizure_id_ = seizure.id();
    v1::AddSpecimenRequest specimen_request;
    specimen_request.mutable_specimen()->set_seizure_id(seizure_id_);
    specimen_request.mutable_specimen()->set_kind(v1::SPECIMEN_KIND_WHOLE_TUSK);
    specimen_request.mutable_specimen()->set_cites_mark_text("TZ 14/0031/12");
    v1::Specimen specimen;
    grpc::ClientContext c2;
    const auto s2 = stub->AddSpecimen(&c2, specimen_request, &specimen);
    ASSERT_TRUE(s2.ok()) << s2.error_message();
    specimen_id_ = specimen.id();
  }

  // One enrolling client: a new finger per submission, never resent (a resend of bytes that
  // were stored without an answer would make a second scan with the same template).
  void enrol(LatentSource& latents, ServerSlot& slot, Ledger& ledger) {
    for (;;) {
      if (slot.finished()) return;
      const std::string png = latents.next();
      const std::string sha = sha256_hex(png);
      const auto view = slot.wait_up();
      if (!view.stub) return;
      {
        std::lock_guard lock(ledger.mutex);
        ledger.sent_sha256.insert(sha);
      }
      v1::SubmitScanResponse response;
      const InFlight in_flight(ledger);
      auto status = submit_latent(*view.stub, seizure_id_, specimen_id_, png, &response);
      // "Busy" is refused before anything is stored, so the same bytes may go again.
      for (int busy = 0; status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED && busy < 100;
           ++busy) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        response.Clear();
        status = submit_latent(*view.stub, seizure_id_, specimen_id_, png, &response);
      }
      std::lock_guard lock(ledger.mutex);
      if (status.ok()) {
        ledger.acknowledged.push_back({response.scan().id(), sha});
        if (response.scan().sha256() != sha) {
          ledger.unexpected_errors.push_back("acknowledged " + response.scan().id() +
                                             " with sha256 " + response.scan().sha256());
        }
      } else if (slot.still_up(view.generation)) {
        ledger.unexpected_errors.push_back("submit failed while the server was up: " +
                                           status_text(status));
      } else {
        ++ledger.interrupted;
      }
    }
  }

  TempDir temp_;
  std::unique_ptr<ServerProcess> server_;
  std::string seizure_id_, specimen_id_;
};

std::string fetch_image(v1::TuskPrint::Stub& stub, const std::string& scan_id,
                        std::string* sha_in_header, grpc::Status* status) {
  v1::FetchScanImageRequest request;
  request.set_scan_id(scan_id);
  grpc::ClientContext ctx;
  auto reader = stub.FetchScanImage(&ctx, request);
  std::string bytes;
  v1::ScanImageChunk chunk;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) *sha_in_header = chunk.sha256();
    first = false;
    bytes += chunk.data();
  }
  *status = reader->Finish();
  return bytes;
}

TEST_F(CrashTest, AcknowledgedScansSurviveKillNineAtRandomMoments) {
  const int rounds = env_int("TUSKPRINT_CRASH_ROUNDS", 5);
  const int clients = std::max(1, env_int("TUSKPRINT_CRASH_CLIENTS", 4));
  const unsigned seed = unsigned(env_int("TUSKPRINT_CRASH_SEED", int(std::random_device{}() >> 1)));
  std::cout << "[ crash ] rounds " << rounds << ", clients " << clients << ", seed " << seed
            << " (TUSKPRINT_CRASH_SEED)" << std::endl;
  const auto started = Clock::now();

  LatentSource latents(std::size_t(8 + 2 * rounds));
  ServerSlot slot;
  Ledger ledger;
  slot.publish(server_->stub());
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] { enrol(latents, slot, ledger); });
  }

  // Kill at a random moment of each incarnation's life: some land mid-stream, some during
  // extraction, some between the blob write and the catalog commit, some while idle.
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> life_ms(200, 2500);
  int kills = 0, kills_mid_submission = 0;
  for (int round = 0; round < rounds; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(life_ms(rng)));
    slot.take_down();
    kills_mid_submission += ledger.in_flight > 0;
    server_->kill_hard();
    ++kills;
    server_->start();
    slot.publish(server_->stub());
  }
  // Let the last incarnation acknowledge a little more, then stop the clients.
  std::this_thread::sleep_for(std::chrono::milliseconds(life_ms(rng)));
  slot.finish();
  for (auto& t : threads) t.join();
  // A final kill after the clients stopped: the checks run on a server that restarted from a
  // SIGKILL, never on one that shut down cleanly.
  server_->kill_hard();
  server_->start();
  auto stub = server_->stub();

  std::cout << "[ crash ] kills " << kills + 1 << ", acknowledged " << ledger.acknowledged.size()
            << " (" << kills_mid_submission << " with a submission in flight), interrupted "
            << ledger.interrupted << std::endl;
  for (const auto& e : ledger.unexpected_errors) ADD_FAILURE() << e;
  ASSERT_GT(ledger.acknowledged.size(), 0u) << "no submission was acknowledged at all";

  // 1. Every acknowledged scan is there, with the bytes that were sent, and searchable.
  int lost = 0, unsearchable = 0, not_rank_one = 0, searched = 0;
  for (const auto& ack : ledger.acknowledged) {
    v1::GetScanRequest get;
    get.set_scan_id(ack.scan_id);
    v1::Scan scan;
    grpc::ClientContext ctx;
    const auto status = stub->GetScan(&ctx, get, &scan);
    if (!status.ok()) {
      ++lost;
      ADD_FAILURE() << "acknowledged scan " << ack.scan_id << " lost: " << status_text(status);
      continue;
    }
    EXPECT_EQ(scan.sha256(), ack.sha256) << ack.scan_id;
    if (!scan.has_finger_template()) {
      ++unsearchable;
      ADD_FAILURE() << "latent " << ack.scan_id << " has no template record";
      continue;
    }
    if (scan.finger_template().too_poor_to_search() || scan.finger_template().minutiae_size() == 0) {
      continue;  // kept as evidence, deliberately out of the index
    }
    v1::SearchRequest search;
    *search.mutable_probe()->mutable_finger_template() = scan.finger_template();
    search.set_top_k(3);
    search.set_include_same_seizure(true);
    v1::SearchResponse found;
    grpc::ClientContext sctx;
    const auto sstatus = stub->Search(&sctx, search, &found);
    ASSERT_TRUE(sstatus.ok()) << status_text(sstatus);
    ++searched;
    if (found.candidates_size() == 0 || found.candidates(0).scan_id() != ack.scan_id) {
      ++not_rank_one;
      ADD_FAILURE() << "acknowledged scan " << ack.scan_id << " is not at rank 1 for its own "
                    << "template (" << found.candidates_size() << " candidates"
                    << (found.candidates_size() > 0 ? ", first " + found.candidates(0).scan_id()
                                                    : std::string())
                    << ")";
    }
  }

  // 2. No partial record: every listed scan reads back whole, with bytes we sent, and a latent
  //    always comes with its template; the index holds exactly the searchable scans.
  v1::ListScansRequest list;
  list.set_seizure_id(seizure_id_);
  v1::ListScansResponse listed;
  grpc::ClientContext lctx;
  ASSERT_TRUE(stub->ListScans(&lctx, list, &listed).ok());
  std::uint32_t searchable = 0;
  std::set<std::string> listed_ids;
  const v1::FingerTemplate* searchable_template = nullptr;
  for (const auto& s : listed.scans()) {
    listed_ids.insert(s.id());
    EXPECT_TRUE(ledger.sent_sha256.count(s.sha256()) == 1) << s.id() << ": bytes nobody sent";
    EXPECT_TRUE(s.has_finger_template()) << s.id() << ": latent listed without its template";
    if (s.has_finger_template() && !s.finger_template().too_poor_to_search() &&
        s.finger_template().minutiae_size() > 0) {
      ++searchable;
      searchable_template = &s.finger_template();
    }
    v1::GetScanRequest get;
    get.set_scan_id(s.id());
    v1::Scan scan;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub->GetScan(&ctx, get, &scan).ok()) << s.id();
    std::string header_sha;
    grpc::Status fstatus;
    const std::string bytes = fetch_image(*stub, s.id(), &header_sha, &fstatus);
    ASSERT_TRUE(fstatus.ok()) << s.id() << ": " << status_text(fstatus);
    EXPECT_EQ(header_sha, s.sha256()) << s.id();
    EXPECT_EQ(sha256_hex(bytes), s.sha256()) << s.id() << ": stored bytes do not hash to the record";
  }
  for (const auto& ack : ledger.acknowledged) {
    EXPECT_EQ(listed_ids.count(ack.scan_id), 1u) << ack.scan_id << " missing from ListScans";
  }
  if (searchable_template != nullptr) {
    v1::SearchRequest search;
    *search.mutable_probe()->mutable_finger_template() = *searchable_template;
    v1::SearchResponse found;
    grpc::ClientContext sctx;
    ASSERT_TRUE(stub->Search(&sctx, search, &found).ok());
    EXPECT_EQ(found.stats().gallery_size(), searchable)
        << "the index and the catalog disagree after the restarts";
  }

  // 3. An image probe goes the whole way (decode, extract, search) for the first searchable one.
  for (const auto& ack : ledger.acknowledged) {
    v1::GetScanRequest get;
    get.set_scan_id(ack.scan_id);
    v1::Scan scan;
    grpc::ClientContext ctx;
    if (!stub->GetScan(&ctx, get, &scan).ok() || scan.finger_template().too_poor_to_search()) continue;
    std::string header_sha;
    grpc::Status fstatus;
    const std::string png = fetch_image(*stub, ack.scan_id, &header_sha, &fstatus);
    v1::SearchRequest search;
    search.mutable_probe()->mutable_image()->set_data(png);
    search.mutable_probe()->mutable_image()->set_ppi(1000);
    search.set_top_k(3);
    v1::SearchResponse found;
    grpc::ClientContext sctx;
    const auto sstatus = stub->Search(&sctx, search, &found);
    ASSERT_TRUE(sstatus.ok()) << status_text(sstatus);
    ASSERT_GT(found.candidates_size(), 0);
    EXPECT_EQ(found.candidates(0).scan_id(), ack.scan_id);
    break;
  }

  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "[ crash ] kills " << kills + 1 << ", acknowledged " << ledger.acknowledged.size()
            << ", lost " << lost << ", listed " << listed.scans_size() << ", searched "
            << searched << ", not at rank 1 " << not_rank_one << ", unsearchable "
            << unsearchable << ", interrupted submits " << ledger.interrupted << ", "
            << seconds << " s" << std::endl;
  EXPECT_EQ(lost, 0);
}

}  // namespace
}  // namespace tuskprint::testing
