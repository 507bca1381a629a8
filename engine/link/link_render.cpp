#include "link/link_render.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

extern char** environ;

namespace tuskprint::link {
namespace {

using Json = nlohmann::ordered_json;

// Edge colours by modality: tuning constants of the picture, not of the evidence.
constexpr const char* kFingerColour = "#1f5fbf";    // blue
constexpr const char* kSchregerColour = "#d9731a";  // orange

Json edge_json(const LinkGraph& g, int e) {
  const MatchEdge& edge = g.edge(e);
  return Json{{"scan_a", edge.scan_a}, {"scan_b", edge.scan_b}, {"raw_score", edge.raw_score},
              {"log10_lr", edge.log10_lr}, {"found_at", edge.found_at}};
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (ch == '\n') { out += "\\n"; continue; }
    out += ch;
  }
  return out + "\"";
}

std::string fixed(double value, int digits) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << value;
  return os.str();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A private temporary folder, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tuskprint-dot-XXXXXX").string();
    TP_CHECK(mkdtemp(pattern.data()) != nullptr, kInternal, "cannot create a temporary folder: " << std::strerror(errno));
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

Json cluster_json(const LinkGraph& g, const ClusterSummary& c) {
  Json seizures = Json::array();
  for (const RouteStop& stop : c.route.stops) {
    const Seizure& z = g.seizure(stop.seizure);
    seizures.push_back(Json{{"id", z.id}, {"country", z.country}, {"date", z.date},
                            {"role", to_string(z.role)}, {"route_rank", stop.rank}});
  }
  Json route_seizures = Json::array();
  for (const RouteStop& stop : c.route.stops) route_seizures.push_back(g.seizure(stop.seizure).id);
  Json pairs = Json::array();
  for (const PairEvidence& p : c.pairs) {
    Json modalities = Json::array();
    for (const ModalityEvidence& m : p.modalities) {
      Json counted = Json::array();
      for (const int e : m.counted_edges) counted.push_back(edge_json(g, e));
      modalities.push_back(Json{{"modality", to_string(m.modality)},
                                {"combined_log10_lr", m.combined_log10_lr},
                                {"linking_edges", m.linking_edges},
                                {"counted", std::move(counted)}});
    }
    pairs.push_back(Json{{"seizure_a", g.seizure(p.seizure_a).id},
                         {"seizure_b", g.seizure(p.seizure_b).id},
                         {"combined_log10_lr", p.combined_log10_lr},
                         {"modalities", std::move(modalities)}});
  }
  return Json{{"seizures", std::move(seizures)},
              {"countries", c.countries},
              {"date_range", Json{{"first", c.first_date}, {"last", c.last_date}}},
              {"total_weight_kg", c.total_weight_kg},
              {"specimens_without_weight", c.specimens_without_weight},
              {"specimen_count", c.specimen_count},
              {"scan_count", c.scan_count},
              {"linking_edges", c.linking_edges},
              {"route", Json{{"basis", c.route.basis}, {"countries", c.route.countries},
                             {"seizures", std::move(route_seizures)}}},
              {"pairs", std::move(pairs)}};
}

Json clusters_json(const LinkGraph& g, const std::vector<ClusterSummary>& clusters, double t) {
  Json list = Json::array();
  for (const ClusterSummary& c : clusters) list.push_back(cluster_json(g, c));
  return Json{{"min_log10_lr", t}, {"clusters", std::move(list)}};
}

std::string clusters_dot(const LinkGraph& g, const std::vector<ClusterSummary>& clusters) {
  std::ostringstream os;
  os << "graph seizure_links {\n"
     << "  graph [rankdir=LR, fontname=\"Helvetica\", compound=true];\n"
     << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f7f3e8\", fontname=\"Helvetica\", fontsize=10];\n"
     << "  edge [fontname=\"Helvetica\", fontsize=9, penwidth=2];\n";
  // One box per country holding its seizures, across all clusters.
  std::map<std::string, std::vector<int>> by_country;
  for (const ClusterSummary& c : clusters)
    for (const int s : c.seizures) by_country[g.seizure(s).country].push_back(s);
  int box = 0;
  for (const auto& [country, seizures] : by_country) {
    os << "  subgraph cluster_" << box++ << " {\n    label=" << quoted(country)
       << "; style=\"rounded\"; color=\"#888888\";\n";
    for (const int s : seizures) {
      const Seizure& z = g.seizure(s);
      double kg = 0;
      for (const int sp : g.specimens_of(s)) kg += g.specimen(sp).weight_kg.value_or(0.0);
      os << "    " << quoted(z.id) << " [label="
         << quoted(z.id + "\n" + to_string(z.role) + "  " + z.date + "\n" + fixed(kg, 1) + " kg") << "];\n";
    }
    os << "  }\n";
  }
  for (const ClusterSummary& c : clusters)
    for (const PairEvidence& p : c.pairs)
      for (const ModalityEvidence& m : p.modalities) {
        const bool finger = m.modality == Modality::kFinger;
        os << "  " << quoted(g.seizure(p.seizure_a).id) << " -- " << quoted(g.seizure(p.seizure_b).id)
           << " [color=" << quoted(finger ? kFingerColour : kSchregerColour)
           << ", fontcolor=" << quoted(finger ? kFingerColour : kSchregerColour)
           << ", label=" << quoted(std::string(to_string(m.modality)) + " " + fixed(m.combined_log10_lr, 1) + " (" +
                                   std::to_string(m.counted_edges.size()) + ")")
           << "];\n";
      }
  os << "}\n";
  return os.str();
}

std::vector<std::uint8_t> render_png(const std::string& dot_source, std::chrono::milliseconds timeout,
                                     const std::string& dot_program) {
  TempDir dir;
  const auto in = dir.path() / "graph.dot", out = dir.path() / "graph.png", err = dir.path() / "stderr.txt";
  {
    std::ofstream f(in, std::ios::binary);
    f << dot_source;
    TP_CHECK(f.good(), kInternal, "cannot write " << in);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string a0 = dot_program, a1 = "-Tpng", a2 = "-o" + out.string(), a3 = in.string();
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, dot_program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  TP_CHECK(spawned != ENOENT, kFailedPrecondition,
           "GraphViz '" << dot_program << "' was not found on PATH: install the Debian package graphviz");
  TP_CHECK(spawned == 0, kInternal, "cannot run '" << dot_program << "': " << std::strerror(spawned));

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    TP_CHECK(done == 0, kInternal, "waiting for '" << dot_program << "': " << std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      TP_THROW(kResourceExhausted, "'" << dot_program << "' took longer than " << timeout.count()
                                       << " ms and was stopped (graph too large for a picture?)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  TP_CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 127), kFailedPrecondition,
           "GraphViz '" << dot_program << "' could not be started: install the Debian package graphviz");
  TP_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, kInternal,
           "'" << dot_program << "' failed (status " << status << "): " << read_file(err));
  const std::string png = read_file(out);
  TP_CHECK(!png.empty(), kInternal, "'" << dot_program << "' wrote no picture");
  return std::vector<std::uint8_t>(png.begin(), png.end());
}

}  // namespace tuskprint::link
