// tuskprint-load: drives a running tuskprintd with many concurrent clients mixing scan
// submissions and searches, then prints throughput, latency percentiles per kind, errors by
// status code and the server's peak memory (VmHWM).
//
//   tuskprint-load --start-server DIR [--clients 32] [--requests 10000] [--submit-fraction 0.2]
//   tuskprint-load --address 127.0.0.1:50551 --server-pid PID --token-file lab.token [...]
//
// Loopback only, bounded in count (--requests) and time (--time-limit). Every image is
// generated before the clock starts: a pool of synthetic fingers, each with a reference print
// (500 ppi) and a latent lift on ivory (1000 ppi). Before timing, the pool's reference prints
// are enrolled so that searches have mates. Submissions alternate latents and prints;
// searches send a latent lift as an inline image probe (decode + extraction + 1:N search on
// the server), or with --search-probe scan a stored scan's id. A request refused with
// RESOURCE_EXHAUSTED (server busy) is retried after a backoff and counted as a retry, not an
// error; its latency runs from the first attempt to the final answer.
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "bench/common/own_server.hpp"
#include "bench/common/stats.hpp"
#include "datasets/fingerprints/impression.hpp"
#include "datasets/fingerprints/latent.hpp"
#include "datasets/fingerprints/master.hpp"
#include "tuskprint/v1/service.grpc.pb.h"

namespace {
namespace fs = std::filesystem;
namespace v1 = tuskprint::v1;
using Clock = std::chrono::steady_clock;

// ---- settings ------------------------------------------------------------------------

struct Settings {
  std::string address;
  std::string token;
  std::string tls_ca_file;
  std::string start_server_dir;
  std::string server_binary;
  std::vector<std::string> server_args;
  int server_pid = 0;
  int clients = 32;
  std::size_t requests = 10000;
  double submit_fraction = 0.2;
  int fingers = 12;
  std::string search_probe = "image";
  double time_limit_s = 3600;
  std::uint64_t seed = 1;
  bool json = false;
  std::string json_file;
};

constexpr int kRequestDeadlineSeconds = 300;  // one request, retries included
constexpr int kMaxBusyRetries = 50;           // RESOURCE_EXHAUSTED answers per request
constexpr std::size_t kChunkBytes = 1 << 20;  // SubmitScan stream slice

bool is_loopback(const std::string& address) {
  const auto colon = address.rfind(':');
  const std::string host = address.substr(0, colon);
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]" ||
         host == "ipv4:127.0.0.1";
}

std::string read_text_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + what + " '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

using tuskprint::bench::mint_token_in;
using tuskprint::bench::OwnServer;
using tuskprint::bench::peak_memory_kib;
using tuskprint::bench::percentile;

// ---- workload ------------------------------------------------------------------------

struct Finger {
  std::string print_png;   // reference print, 500 ppi
  std::string latent_png;  // latent lift photograph, 1000 ppi
  std::string enrolled_scan_id;
};

std::string png_of(const cv::Mat& image) {
  std::vector<unsigned char> bytes;
  cv::imencode(".png", image, bytes);
  return std::string(bytes.begin(), bytes.end());
}

std::vector<Finger> generate_fingers(int count, std::uint64_t seed, bool show_progress) {
  std::vector<Finger> fingers(static_cast<std::size_t>(count));
  std::atomic<int> next{0}, done{0};
  auto work = [&] {
    const tuskprint::synth::SynthParams params;
    tuskprint::synth::ImpressionOptions options;
    options.partial_contact = false;
    for (int i = next++; i < count; i = next++) {
      const auto master =
          tuskprint::synth::generate_master(seed * 100000 + std::uint64_t(i), std::nullopt, params);
      auto& f = fingers[std::size_t(i)];
      f.print_png = png_of(tuskprint::synth::render_impression(master, 1, params, options).image);
      f.latent_png = png_of(tuskprint::synth::render_latent(master, 2, params).image);
      const int d = ++done;
      if (show_progress) std::cerr << "\rgenerating fingers " << d << "/" << count << std::flush;
    }
  };
  std::vector<std::thread> threads;
  const unsigned n = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  for (unsigned t = 0; t < n; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (show_progress) std::cerr << "\n";
  return fingers;
}

class Client {
 public:
  Client(const Settings& s, int index) : token_(s.token) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    args.SetMaxSendMessageSize(64 << 20);
    // Each client its own connection, as separate lab workstations would have.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("tuskprint.load.client", index);
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!s.tls_ca_file.empty()) {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = read_text_file(s.tls_ca_file, "TLS CA file");
      credentials = grpc::SslCredentials(ssl);
    }
    stub_ = v1::TuskPrint::NewStub(grpc::CreateCustomChannel(s.address, credentials, args));
  }

  void prepare(grpc::ClientContext& ctx, Clock::time_point deadline) const {
    // gRPC takes wall-clock deadlines.
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::duration_cast<std::chrono::system_clock::duration>(deadline - Clock::now()));
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
  }

  grpc::Status submit(const std::string& seizure_id, v1::ScanKind kind, std::uint32_t ppi,
                      const std::string& png, Clock::time_point deadline,
                      v1::SubmitScanResponse* response) {
    grpc::ClientContext ctx;
    prepare(ctx, deadline);
    auto writer = stub_->SubmitScan(&ctx, response);
    v1::SubmitScanChunk first;
    first.mutable_metadata()->set_seizure_id(seizure_id);
    first.mutable_metadata()->set_kind(kind);
    first.mutable_metadata()->set_ppi(ppi);
    first.mutable_metadata()->set_operator_name("tuskprint-load");
    if (writer->Write(first)) {
      for (std::size_t offset = 0; offset < png.size(); offset += kChunkBytes) {
        v1::SubmitScanChunk data;
        data.set_data(png.substr(offset, kChunkBytes));
        if (!writer->Write(data)) break;
      }
      writer->WritesDone();
    }
    return writer->Finish();
  }

  grpc::Status search(const v1::SearchRequest& request, Clock::time_point deadline,
                      v1::SearchResponse* response) {
    grpc::ClientContext ctx;
    prepare(ctx, deadline);
    return stub_->Search(&ctx, request, response);
  }

  grpc::Status create_seizure(v1::Seizure* seizure) {
    v1::CreateSeizureRequest request;
    request.mutable_seizure()->set_date("2025-01-15");
    request.mutable_seizure()->set_discovering_country("KE");
    request.mutable_seizure()->set_notes("tuskprint-load");
    grpc::ClientContext ctx;
    prepare(ctx, Clock::now() + std::chrono::seconds(30));
    return stub_->CreateSeizure(&ctx, request, seizure);
  }

 private:
  std::string token_;
  std::unique_ptr<v1::TuskPrint::Stub> stub_;
};

enum class Kind { kSubmit, kSearch };

struct Sample {
  Kind kind;
  double ms;
  int busy_retries;
  grpc::StatusCode code;
};

// Request i is a submission when the running count of submissions steps up at i, which
// spreads them evenly through the run.
bool is_submit(std::size_t i, double fraction) {
  return std::size_t(double(i + 1) * fraction) > std::size_t(double(i) * fraction);
}

std::string code_name(grpc::StatusCode code) {
  static const char* names[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
                                "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                                "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
                                "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                                "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  const int c = int(code);
  return c >= 0 && c < int(std::size(names)) ? names[c] : "CODE_" + std::to_string(c);
}

// ---- the run -------------------------------------------------------------------------

struct Outcome {
  std::vector<Sample> samples;
  double seconds = 0;
  std::size_t issued = 0;
  bool timed_out = false;
  std::size_t search_rank1_same_finger = 0, searches_ok = 0;
  std::map<std::string, std::string> first_error_message;
};

Outcome run_load(const Settings& s, std::vector<Finger>& fingers, const std::string& seizure_id,
                 std::vector<std::unique_ptr<Client>>& clients) {
  Outcome out;
  std::mutex mutex;
  std::map<std::string, int> finger_of_scan;  // scan id -> finger, for the rank-1 check
  for (std::size_t f = 0; f < fingers.size(); ++f) finger_of_scan[fingers[f].enrolled_scan_id] = int(f);
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> stop{false};
  const auto started = Clock::now();
  const auto time_limit = started + std::chrono::milliseconds(std::int64_t(s.time_limit_s * 1000));

  auto worker = [&](int c) {
    Client& client = *clients[std::size_t(c)];
    std::vector<Sample> local;
    std::size_t rank1 = 0, searches = 0;
    for (std::size_t i = next++; i < s.requests && !stop; i = next++) {
      if (Clock::now() > time_limit) {
        stop = true;
        break;
      }
      const bool submit = is_submit(i, s.submit_fraction);
      const std::size_t f = i % fingers.size();
      const auto t0 = Clock::now();
      const auto deadline = t0 + std::chrono::seconds(kRequestDeadlineSeconds);
      grpc::Status status;
      int retries = 0;
      v1::SubmitScanResponse submitted;
      v1::SearchResponse found;
      for (;;) {
        if (submit) {
          const auto nth_submit = std::size_t(double(i + 1) * s.submit_fraction);
          const bool latent = nth_submit % 2 == 1;
          status = client.submit(seizure_id,
                                 latent ? v1::SCAN_KIND_LATENT_LIFT : v1::SCAN_KIND_REFERENCE_PRINT,
                                 latent ? 1000 : 500,
                                 latent ? fingers[f].latent_png : fingers[f].print_png, deadline,
                                 &submitted);
        } else {
          v1::SearchRequest request;
          if (s.search_probe == "scan") {
            request.mutable_probe()->set_scan_id(fingers[f].enrolled_scan_id);
          } else {
            request.mutable_probe()->mutable_image()->set_data(fingers[f].latent_png);
            request.mutable_probe()->mutable_image()->set_ppi(1000);
            request.mutable_probe()->mutable_image()->set_kind(v1::SCAN_KIND_LATENT_LIFT);
          }
          request.set_top_k(5);
          request.set_include_same_seizure(true);
          status = client.search(request, deadline, &found);
        }
        if (status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED ||
            retries >= kMaxBusyRetries || Clock::now() > deadline) {
          break;
        }
        ++retries;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1000, 20 << std::min(retries, 6))));
      }
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      local.push_back({submit ? Kind::kSubmit : Kind::kSearch, ms, retries, status.error_code()});
      std::lock_guard lock(mutex);
      if (!status.ok()) {
        out.first_error_message.emplace(code_name(status.error_code()), status.error_message());
      } else if (submit) {
        finger_of_scan[submitted.scan().id()] = int(f);
      } else {
        ++searches;
        if (found.candidates_size() > 0) {
          const auto it = finger_of_scan.find(found.candidates(0).scan_id());
          rank1 += it != finger_of_scan.end() && it->second == int(f);
        }
      }
      ++done;
    }
    std::lock_guard lock(mutex);
    out.samples.insert(out.samples.end(), local.begin(), local.end());
    out.search_rank1_same_finger += rank1;
    out.searches_ok += searches;
  };

  std::atomic<bool> finished{false};
  std::thread ticker;
  if (isatty(2)) {
    ticker = std::thread([&] {
      while (!finished) {
        const double t = std::chrono::duration<double>(Clock::now() - started).count();
        std::cerr << "\r" << done << "/" << s.requests << " requests, " << std::fixed
                  << std::setprecision(1) << (t > 0 ? double(done) / t : 0.0) << " req/s, "
                  << std::setprecision(0) << t << " s   " << std::flush;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
      std::cerr << "\n";
    });
  }
  std::vector<std::thread> threads;
  for (int c = 0; c < s.clients; ++c) threads.emplace_back(worker, c);
  for (auto& t : threads) t.join();
  out.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  finished = true;
  if (ticker.joinable()) ticker.join();
  out.issued = out.samples.size();
  out.timed_out = stop;
  return out;
}

nlohmann::json kind_summary(const Outcome& o, Kind kind) {
  std::vector<double> ms;
  int retries = 0, errors = 0;
  for (const auto& s : o.samples) {
    if (s.kind != kind) continue;
    ms.push_back(s.ms);
    retries += s.busy_retries;
    errors += s.code != grpc::StatusCode::OK;
  }
  return {{"count", ms.size()},
          {"errors", errors},
          {"busy_retries", retries},
          {"p50_ms", percentile(ms, 50)},
          {"p90_ms", percentile(ms, 90)},
          {"p99_ms", percentile(ms, 99)},
          {"max_ms", ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end())}};
}

void print_table(const nlohmann::json& r) {
  std::cout << "tuskprint-load: " << r["clients"] << " clients, " << r["requests_done"] << "/"
            << r["requests"] << " requests in " << std::fixed << std::setprecision(1)
            << r["seconds"].get<double>() << " s"
            << (r["timed_out"].get<bool>() ? " (stopped at --time-limit)" : "") << "\n";
  std::cout << "throughput: " << std::setprecision(1) << r["throughput_rps"].get<double>()
            << " req/s\n\n";
  std::cout << std::left << std::setw(8) << "kind" << std::right << std::setw(8) << "count"
            << std::setw(10) << "p50 ms" << std::setw(10) << "p90 ms" << std::setw(10) << "p99 ms"
            << std::setw(10) << "max ms" << std::setw(9) << "errors" << std::setw(10) << "retries"
            << "\n";
  for (const char* kind : {"submit", "search"}) {
    const auto& k = r["kinds"][kind];
    std::cout << std::left << std::setw(8) << kind << std::right << std::setw(8)
              << k["count"].get<std::size_t>() << std::setprecision(1) << std::setw(10)
              << k["p50_ms"].get<double>() << std::setw(10) << k["p90_ms"].get<double>()
              << std::setw(10) << k["p99_ms"].get<double>() << std::setw(10)
              << k["max_ms"].get<double>() << std::setw(9) << k["errors"].get<int>()
              << std::setw(10) << k["busy_retries"].get<int>() << "\n";
  }
  std::cout << "\nerrors by status: ";
  if (r["errors"].empty()) std::cout << "none";
  for (const auto& [code, n] : r["errors"].items()) {
    std::cout << code << " " << n.get<int>() << " ("
              << r["error_examples"][code].get<std::string>() << ")  ";
  }
  std::cout << "\nsearches with the probe's finger at rank 1: "
            << r["search_rank1_same_finger"].get<std::size_t>() << "/"
            << r["searches_ok"].get<std::size_t>() << "\n";
  if (r["server"]["pid"].get<int>() > 0) {
    std::cout << "server peak memory (VmHWM): " << std::setprecision(1)
              << double(r["server"]["vm_hwm_kib"].get<long>()) / 1024.0 << " MiB (pid "
              << r["server"]["pid"].get<int>() << ")\n";
  } else {
    std::cout << "server peak memory: unknown (give --server-pid or --start-server)\n";
  }
}

int run(Settings s, const std::string& command_line) {
  const bool show_progress = isatty(2) != 0;
  std::unique_ptr<OwnServer> own;
  if (!s.start_server_dir.empty()) {
    fs::create_directories(s.start_server_dir);
    if (s.token.empty()) {
      s.token = mint_token_in(s.start_server_dir, fs::path(s.server_binary).parent_path() / "tuskprint",
                              "tuskprint-load", "submit,search");
    }
    own = std::make_unique<OwnServer>(s.server_binary, s.start_server_dir, s.server_args,
                                      std::chrono::seconds(120), s.tls_ca_file.empty());
    s.address = own->address();
    s.server_pid = own->pid();
  }
  if (s.address.empty()) throw std::runtime_error("give --address HOST:PORT or --start-server DIR");
  if (!is_loopback(s.address)) {
    throw std::runtime_error("--address " + s.address + " is not a loopback address: the load "
                             "program only drives a server on this machine");
  }

  auto fingers = generate_fingers(s.fingers, s.seed, show_progress);
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 0; c < s.clients; ++c) clients.push_back(std::make_unique<Client>(s, c));

  // The gallery the searches look into: one reference print per finger (not timed).
  v1::Seizure seizure;
  const auto created = clients[0]->create_seizure(&seizure);
  if (!created.ok()) {
    throw std::runtime_error(
        "CreateSeizure failed: " + code_name(created.error_code()) + ": " + created.error_message() +
        (created.error_code() == grpc::StatusCode::UNAUTHENTICATED
             ? " (create a token with submit and search roles and pass --token-file)"
             : ""));
  }
  for (std::size_t f = 0; f < fingers.size(); ++f) {
    v1::SubmitScanResponse response;
    const auto status = clients[0]->submit(seizure.id(), v1::SCAN_KIND_REFERENCE_PRINT, 500,
                                           fingers[f].print_png,
                                           Clock::now() + std::chrono::seconds(120), &response);
    if (!status.ok()) throw std::runtime_error("enrolling the gallery failed: " + status.error_message());
    fingers[f].enrolled_scan_id = response.scan().id();
  }

  const Outcome o = run_load(s, fingers, seizure.id(), clients);

  nlohmann::json r;
  r["command"] = command_line;
  r["address"] = s.address;
  r["clients"] = s.clients;
  r["requests"] = s.requests;
  r["requests_done"] = o.issued;
  r["timed_out"] = o.timed_out;
  r["submit_fraction"] = s.submit_fraction;
  r["search_probe"] = s.search_probe;
  r["fingers"] = s.fingers;
  r["seconds"] = o.seconds;
  r["throughput_rps"] = o.seconds > 0 ? double(o.issued) / o.seconds : 0.0;
  r["kinds"]["submit"] = kind_summary(o, Kind::kSubmit);
  r["kinds"]["search"] = kind_summary(o, Kind::kSearch);
  std::map<std::string, int> errors;
  for (const auto& sample : o.samples) {
    if (sample.code != grpc::StatusCode::OK) ++errors[code_name(sample.code)];
  }
  r["errors"] = nlohmann::json::object();
  for (const auto& [code, n] : errors) r["errors"][code] = n;
  r["error_examples"] = o.first_error_message;
  r["search_rank1_same_finger"] = o.search_rank1_same_finger;
  r["searches_ok"] = o.searches_ok;
  r["server"]["pid"] = s.server_pid;
  r["server"]["vm_hwm_kib"] = s.server_pid > 0 ? peak_memory_kib(s.server_pid) : 0L;
  r["server"]["started_here"] = own != nullptr;
  if (own) own->stop();

  if (!s.json_file.empty()) std::ofstream(s.json_file) << r.dump(2) << "\n";
  if (s.json) {
    std::cout << r.dump(2) << "\n";
  } else {
    print_table(r);
  }
  return errors.empty() && !o.timed_out ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tuskprint-load: concurrent submit/search load on a tuskprintd (loopback only)"};
  Settings s;
  std::string token_file;
  app.add_option("--address", s.address, "Server address HOST:PORT (loopback)");
  app.add_option("--token", s.token, "API token, sent as 'authorization: Bearer TOKEN'");
  app.add_option("--token-file", token_file, "File holding the API token")->check(CLI::ExistingFile);
  app.add_option("--tls-ca", s.tls_ca_file, "PEM CA certificate: connect with TLS")
      ->check(CLI::ExistingFile);
  app.add_option("--start-server", s.start_server_dir,
                 "Start tuskprintd on a free loopback port with this data directory, and stop "
                 "it afterwards");
  app.add_option("--server-binary", s.server_binary, "tuskprintd to start (default: beside this program)");
  app.add_option("--server-arg", s.server_args, "Extra argument for the started tuskprintd (repeatable)");
  app.add_option("--server-pid", s.server_pid, "Process id of the server, for its peak memory");
  app.add_option("--clients", s.clients, "Concurrent clients")->check(CLI::Range(1, 1024));
  app.add_option("--requests", s.requests, "Requests in total")->check(CLI::Range(1, 10'000'000));
  app.add_option("--submit-fraction", s.submit_fraction, "Share of requests that are submissions")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--fingers", s.fingers, "Synthetic fingers generated (and enrolled) before timing")
      ->check(CLI::Range(1, 10000));
  app.add_option("--search-probe", s.search_probe,
                 "image: a latent lift sent inline (server extracts it); scan: a stored scan's id")
      ->check(CLI::IsMember({"image", "scan"}));
  app.add_option("--time-limit", s.time_limit_s, "Stop issuing requests after this many seconds")
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", s.seed, "Seed of the synthetic fingers");
  app.add_flag("--json", s.json, "Print the results as JSON instead of a table");
  app.add_option("--json-file", s.json_file, "Also write the results as JSON to this file");
  CLI11_PARSE(app, argc, argv);

  // The command as run, for the record, with the token itself left out.
  std::string command_line;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i > 0 && std::string(argv[i - 1]) == "--token") arg = "<token>";
    if (arg.rfind("--token=", 0) == 0) arg = "--token=<token>";
    command_line += (i ? " " : "") + arg;
  }
  try {
    if (!token_file.empty()) s.token = trimmed(read_text_file(token_file, "token file"));
    if (s.server_binary.empty()) {
      s.server_binary = (fs::canonical("/proc/self/exe").parent_path() / "tuskprintd").string();
    }
    return run(s, command_line);
  } catch (const std::exception& e) {
    std::cerr << "tuskprint-load: error: " << e.what() << std::endl;
    return 2;
  }
}
