#include "bench/search/server_run.hpp"

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "bench/common/own_server.hpp"
#include "bench/common/stats.hpp"
#include "catalog/catalog.hpp"
#include "core/sha256.hpp"
#include "ridge/extract.hpp"
#include "ridge/template_io.hpp"
#include "tuskprint/v1/service.grpc.pb.h"

namespace tuskprint::bench {
namespace fs = std::filesystem;
namespace v1 = tuskprint::v1;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kLab = "LOAD-TEST";  // the lab mint_token_in gives the token

// Templates as the server's extractor would have made them (the version check accepts them).
ridge::FingerTemplate as_extracted(ridge::FingerTemplate t) {
  t.extractor_version = ridge::kExtractorVersion;
  t.parameters_hash = ridge::parameters_hash();
  if (t.source_ppi == 0) t.source_ppi = 500;
  return t;
}

// Imports the gallery into a catalog in `dir`, in gallery order; returns the scan ids. The
// scans share one stand-in image blob (the search reads only their templates), and the
// linker's progress is set past them: an imported legacy gallery is not re-linked scan by
// scan (10^6 enrolment searches). Reused when `dir` holds this seed and size already.
std::vector<std::string> import_gallery(const fs::path& dir, const std::vector<ridge::FingerTemplate>& gallery,
                                        std::uint64_t seed) {
  const fs::path marker = dir / "bench-gallery.json";
  const fs::path ids_file = dir / "bench-gallery-ids.txt";
  if (fs::exists(marker) && fs::exists(ids_file)) {
    const auto m = nlohmann::json::parse(std::ifstream(marker));
    if (m.value("seed", std::uint64_t(0)) == seed && m.value("gallery", std::size_t(0)) == gallery.size()) {
      std::vector<std::string> ids;
      std::ifstream in(ids_file);
      for (std::string line; std::getline(in, line);) ids.push_back(line);
      if (ids.size() == gallery.size()) return ids;
    }
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto catalog = catalog::Catalog::open(dir);
  v1::Seizure seizure;
  seizure.set_date("2026-01-01");
  seizure.set_discovering_country("KEN");
  seizure.set_owner_lab(kLab);
  seizure.set_notes("tuskprint-bench-search imported gallery");
  const std::string seizure_id = catalog->insert_seizure(seizure).id();
  const std::string stand_in = "tuskprint-bench-search: synthetic template, no image";
  const std::string stand_in_sha = sha256_hex(stand_in);
  std::vector<std::string> ids;
  ids.reserve(gallery.size());
  const auto started = Clock::now();
  for (std::size_t i = 0; i < gallery.size(); ++i) {
    v1::Scan scan;
    scan.mutable_metadata()->set_seizure_id(seizure_id);
    scan.mutable_metadata()->set_kind(v1::SCAN_KIND_REFERENCE_PRINT);
    scan.mutable_metadata()->set_ppi(500);
    scan.mutable_metadata()->set_file_name("synthetic-" + std::to_string(i));
    scan.set_sha256(stand_in_sha);
    scan.set_media_type("application/octet-stream");
    const v1::FingerTemplate message = ridge::to_proto(as_extracted(gallery[i]));
    const catalog::FeatureRecord feature{"finger", ridge::kExtractorVersion, ridge::parameters_hash(),
                                         message.SerializeAsString(), true};
    ids.push_back(catalog->insert_scan(scan, stand_in, nullptr, {feature}).id());
    if (::isatty(2) && (i + 1) % 1000 == 0) {
      std::cerr << "\rimporting gallery " << i + 1 << "/" << gallery.size() << " ("
                << int(double(i + 1) / seconds_since(started)) << "/s)" << std::flush;
    }
  }
  if (::isatty(2)) std::cerr << "\n";
  catalog->record_match_edges({}, "finger", catalog->last_feature_seq());
  std::ofstream out(ids_file);
  for (const auto& id : ids) out << id << "\n";
  out.close();
  std::ofstream(marker) << nlohmann::json{{"seed", seed},
                                          {"gallery", gallery.size()},
                                          {"import_seconds", seconds_since(started)}}
                               .dump();
  return ids;
}

// The probes over gRPC, one at a time: latency, rank-1 and rank-10 among mated probes.
nlohmann::json search_all(const std::string& address, const std::string& token,
                          const std::vector<ServerProbe>& probes, const std::vector<std::string>& ids) {
  auto stub = v1::TuskPrint::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::vector<double> latencies;
  std::size_t mated = 0, rank1 = 0, rank10 = 0, errors = 0;
  std::string first_error;
  const auto started = Clock::now();
  for (std::size_t p = 0; p < probes.size(); ++p) {
    v1::SearchRequest request;
    *request.mutable_probe()->mutable_finger_template() = ridge::to_proto(as_extracted(probes[p].finger));
    request.set_modality(v1::MODALITY_FINGER);
    request.set_top_k(10);
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(300));
    v1::SearchResponse response;
    const auto t = Clock::now();
    const grpc::Status status = stub->Search(&ctx, request, &response);
    latencies.push_back(seconds_since(t) * 1000.0);
    if (!status.ok()) {
      if (errors++ == 0) first_error = status.error_message();
      continue;
    }
    if (probes[p].mate >= 0) {
      ++mated;
      const std::string& mate = ids[std::size_t(probes[p].mate)];
      for (int r = 0; r < response.candidates_size(); ++r) {
        if (response.candidates(r).scan_id() != mate) continue;
        rank1 += r == 0;
        rank10 += r < 10;
        break;
      }
    }
    if (::isatty(2)) std::cerr << "\rsearching through the server " << p + 1 << "/" << probes.size() << std::flush;
  }
  if (::isatty(2)) std::cerr << "\n";
  const double m = double(std::max<std::size_t>(1, mated));
  nlohmann::json out = {{"p50_ms", percentile(latencies, 50)},
                        {"p99_ms", percentile(latencies, 99)},
                        {"searches_per_second", double(probes.size()) / seconds_since(started)},
                        {"rank1", double(rank1) / m},
                        {"rank10", double(rank10) / m},
                        {"errors", errors}};
  if (errors > 0) out["first_error"] = first_error;
  return out;
}

// The server's "fingerprint index ..." start-up line.
std::string index_line(const std::string& log_path) {
  std::ifstream in(log_path);
  std::string line, last;
  while (std::getline(in, line))
    if (line.rfind("tuskprintd: fingerprint index", 0) == 0) last = line;
  return last;
}

}  // namespace

nlohmann::json run_through_server(const std::vector<ridge::FingerTemplate>& gallery,
                                  const std::vector<ServerProbe>& probes, const ServerRunSettings& s) {
  for (const auto& binary : {s.server_binary, s.cli_binary})
    if (!fs::exists(binary)) throw std::runtime_error("'" + binary.string() + "' not found (build it first)");
  const auto import_started = Clock::now();
  const std::vector<std::string> ids = import_gallery(s.data_dir, gallery, s.seed);
  nlohmann::json out;
  out["import_seconds"] = seconds_since(import_started);
  const std::string token = mint_token_in(s.data_dir, s.cli_binary, "bench-search", "search");
  const fs::path index_file = s.data_dir / "index" / "finger.idx";
  fs::remove(index_file);  // the first life rebuilds from the catalog
  const std::vector<std::string> args = {"--index-checkpoint-seconds", "0"};
  const auto timeout = std::chrono::seconds(s.start_timeout_seconds);
  for (const char* life : {"rebuild", "reload"}) {
    std::cerr << "tuskprintd (" << life << ") starting on " << s.data_dir << "\n";
    OwnServer server(s.server_binary.string(), s.data_dir, args, timeout);
    nlohmann::json r = search_all(server.address(), token, probes, ids);
    r["start_seconds"] = server.start_seconds();
    r["index"] = index_line(server.log_path());
    r["vm_hwm_before_stop_bytes"] = peak_memory_kib(server.pid()) * 1024L;
    const auto stop_started = Clock::now();
    r["peak_rss_bytes"] = server.stop() * 1024L;  // whole life: start, searches, save at stop
    r["stop_seconds"] = seconds_since(stop_started);
    out[life] = r;
  }
  std::error_code ec;
  out["index_file_bytes"] = fs::file_size(index_file, ec);
  return out;
}

}  // namespace tuskprint::bench
