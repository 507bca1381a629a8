#include "datasets/scenario/scenario.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"
#include "datasets/fingerprints/impression.hpp"
#include "datasets/fingerprints/latent.hpp"
#include "datasets/fingerprints/master.hpp"
#include "datasets/fingerprints/random.hpp"
#include "datasets/tusks/cross_section.hpp"
#include "datasets/tusks/tusk_model.hpp"
#include "link/union_find.hpp"

namespace tuskprint::datasets::scenario {
namespace {

constexpr const char* kGenerator = "tuskprint synth scenario/1";

// -- the plan: who and what ends up in which seizure --------------------------------------

struct PlannedSeizure {
  const char* country;  // alpha-3, also the seizure id suffix
  const char* alpha2;   // for CITES marks
  const char* role;     // "" unknown
  int network;          // 0 A, 1 B, 2 decoy (dates are drawn per network)
};
constexpr PlannedSeizure kSeizures[] = {
    {"KEN", "KE", "origin", 0}, {"TZA", "TZ", "transit", 0}, {"VNM", "VN", "destination", 0},
    {"MYS", "MY", "", 1},       {"CHN", "CN", "destination", 1},
    {"NGA", "NG", "origin", 2}, {"THA", "TH", "", 2},
};

enum class Kind { kLift, kReference, kFace };
struct PlannedScan {
  const char* country;
  Kind kind;
  int source;  // person (P1..) or tusk (T1..)
  int index;   // lift number of that person, or slice index of that tusk
};
// A trafficker's finger is lifted twice where he handled a consignment (two marks on
// different tusks): a single lift is often too partial to search.
constexpr PlannedScan kScans[] = {
    {"KEN", Kind::kReference, 1, 0}, {"TZA", Kind::kLift, 1, 1}, {"TZA", Kind::kLift, 1, 2},
    {"VNM", Kind::kLift, 1, 3},      {"VNM", Kind::kLift, 1, 4}, {"KEN", Kind::kLift, 6, 1},
    {"MYS", Kind::kLift, 2, 1},      {"MYS", Kind::kLift, 2, 2}, {"CHN", Kind::kReference, 2, 0},
    {"NGA", Kind::kLift, 3, 1},      {"NGA", Kind::kLift, 3, 2}, {"THA", Kind::kLift, 4, 1},
    {"THA", Kind::kReference, 5, 0},
    {"KEN", Kind::kFace, 1, 0},      {"VNM", Kind::kFace, 1, 1}, {"MYS", Kind::kFace, 2, 0},
    {"CHN", Kind::kFace, 2, 1},      {"NGA", Kind::kFace, 3, 0}, {"NGA", Kind::kFace, 3, 1},
    {"THA", Kind::kFace, 4, 0},      {"TZA", Kind::kFace, 5, 0},
};

// Stream ids for derive_seed, one per kind of draw.
enum Stream : std::uint64_t { kDates = 1, kMaster = 2, kLift = 3, kReference = 4, kTusk = 5, kSpecimen = 6 };

// -- calendar ----------------------------------------------------------------------------

long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

std::string civil_from_days(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9), y = yoe + era * 400 + (m <= 2);
  char text[48];
  std::snprintf(text, sizeof text, "%04ld-%02ld-%02ld", y, m, d);
  return text;
}

// Network A and B stops follow each other by weeks; decoys fall anywhere in the period.
std::map<std::string, std::string> draw_dates(std::uint64_t seed) {
  synth::Rng rng(synth::derive_seed(seed, kDates));
  const long start = days_from_civil(2024, 1, 1);
  std::map<std::string, std::string> dates;
  long a = start + rng.uniform_int(0, 200);
  dates["KEN"] = civil_from_days(a);
  a += rng.uniform_int(20, 60);
  dates["TZA"] = civil_from_days(a);
  a += rng.uniform_int(20, 90);
  dates["VNM"] = civil_from_days(a);
  long b = start + rng.uniform_int(0, 300);
  dates["MYS"] = civil_from_days(b);
  b += rng.uniform_int(15, 60);
  dates["CHN"] = civil_from_days(b);
  dates["NGA"] = civil_from_days(start + rng.uniform_int(0, 365));
  dates["THA"] = civil_from_days(start + rng.uniform_int(0, 365));
  return dates;
}

void write_image(const std::filesystem::path& path, const cv::Mat& image) {
  TP_CHECK(cv::imwrite(path.string(), image), kInvalidArgument, "cannot write " << path.string());
}

std::string scan_file_stem(const std::string& id) { return "scans/" + id + ".png"; }

}  // namespace

void derive_truth(Scenario& s) {
  std::map<std::string, std::set<std::string>> seizures_of_source;
  for (const ScanRecord& scan : s.scans) {
    const std::string source = scan.source.substr(0, scan.source.find('/'));  // tusk, not slice
    seizures_of_source[source].insert(scan.seizure_id);
  }
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> links;
  for (const auto& [source, seizures] : seizures_of_source)
    for (auto a = seizures.begin(); a != seizures.end(); ++a)
      for (auto b = std::next(a); b != seizures.end(); ++b) links[{*a, *b}].push_back(source);
  s.truth_links.clear();
  for (const auto& [pair, sources] : links) s.truth_links.push_back({pair.first, pair.second, sources});

  std::vector<std::string> ids;
  for (const SeizureRecord& z : s.seizures) ids.push_back(z.id);
  std::sort(ids.begin(), ids.end());
  const auto index = [&](const std::string& id) { return int(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin()); };
  link::UnionFind sets(ids.size());
  for (const TruthLink& l : s.truth_links) sets.unite(index(l.seizure_a), index(l.seizure_b));
  std::map<int, std::vector<std::string>> groups;
  for (const std::string& id : ids) groups[sets.find(index(id))].push_back(id);
  s.truth_clusters.clear();
  for (auto& [root, members] : groups)
    if (members.size() >= 2) s.truth_clusters.push_back(members);
  std::sort(s.truth_clusters.begin(), s.truth_clusters.end());
}

namespace {

nlohmann::ordered_json to_json(const Scenario& s) {
  using J = nlohmann::ordered_json;
  J j;
  j["generator"] = kGenerator;
  j["seed"] = s.seed;
  for (const SeizureRecord& z : s.seizures)
    j["seizures"].push_back(J{{"id", z.id}, {"country", z.country}, {"date", z.date}, {"role", z.role}});
  for (const SpecimenRecord& p : s.specimens)
    j["specimens"].push_back(J{{"id", p.id}, {"seizure_id", p.seizure_id}, {"cites_mark", p.cites_mark},
                               {"weight_kg", p.weight_kg}});
  for (const ScanRecord& c : s.scans)
    j["scans"].push_back(J{{"id", c.id}, {"seizure_id", c.seizure_id}, {"specimen_id", c.specimen_id},
                           {"kind", c.kind}, {"file", c.file}, {"ppi", c.ppi}, {"source", c.source}});
  J links = J::array();
  for (const TruthLink& l : s.truth_links)
    links.push_back(J{{"seizure_a", l.seizure_a}, {"seizure_b", l.seizure_b}, {"sources", l.sources}});
  j["truth"] = J{{"links", links}, {"clusters", s.truth_clusters}};
  return j;
}

}  // namespace

Scenario generate_scenario(const ScenarioOptions& o, void (*progress)(int, int)) {
  TP_CHECK(!o.out_dir.empty(), kInvalidArgument, "scenario output directory is empty");
  const std::filesystem::path dir(o.out_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir / "scans", ec);
  TP_CHECK(!ec, kInvalidArgument, "cannot create " << (dir / "scans").string() << ": " << ec.message());

  Scenario s;
  s.directory = o.out_dir;
  s.seed = o.seed;
  const auto dates = draw_dates(o.seed);
  std::map<std::string, const PlannedSeizure*> planned;
  for (const PlannedSeizure& p : kSeizures) {
    s.seizures.push_back({std::string("SZ-") + p.country, p.country, dates.at(p.country), p.role});
    planned[p.country] = &p;
  }

  const synth::SynthParams params;
  const tusks::GeneratorOptions tusk_options;
  synth::Rng specimen_rng(synth::derive_seed(o.seed, kSpecimen));
  std::map<std::string, int> serial;  // per seizure: specimen and scan numbering
  const auto add_specimen = [&](const std::string& country, bool piece) {
    const std::string seizure = "SZ-" + country;
    SpecimenRecord sp;
    sp.id = "SP-" + country + "-" + std::to_string(++serial["SP-" + country]);
    sp.seizure_id = seizure;
    sp.weight_kg = std::round(10 * (piece ? specimen_rng.uniform(1.0, 6.0) : specimen_rng.uniform(5.0, 25.0))) / 10;
    if (specimen_rng.bernoulli(0.5)) {  // about half the tusks carry a (stockpile) CITES mark
      char mark[64];
      std::snprintf(mark, sizeof mark, "%s %s/%d/%.1f", planned.at(country)->alpha2,
                    dates.at(country).substr(2, 2).c_str(), specimen_rng.uniform_int(1, 999), sp.weight_kg);
      sp.cites_mark = mark;
    }
    s.specimens.push_back(sp);
    return sp.id;
  };
  for (const PlannedSeizure& p : kSeizures) add_specimen(p.country, false);  // a tusk with no scan

  std::map<int, synth::MasterFingerprint> masters;
  const auto master = [&](int person) -> const synth::MasterFingerprint& {
    auto it = masters.find(person);
    if (it == masters.end())
      it = masters.emplace(person, synth::generate_master(synth::derive_seed(o.seed, kMaster, std::uint64_t(person)),
                                                          std::nullopt, params)).first;
    return it->second;
  };
  std::map<int, tusks::TuskModel> tusk_models;
  const auto tusk = [&](int t) -> const tusks::TuskModel& {
    auto it = tusk_models.find(t);
    if (it == tusk_models.end())
      it = tusk_models.emplace(t, tusks::sample_tusk(synth::derive_seed(o.seed, kTusk), t, tusk_options)).first;
    return it->second;
  };

  const int total = int(std::size(kScans));
  int done = 0;
  for (const PlannedScan& p : kScans) {
    ScanRecord scan;
    scan.seizure_id = std::string("SZ-") + p.country;
    scan.id = std::string("SC-") + p.country + "-" + std::to_string(++serial[std::string("SC-") + p.country]);
    scan.file = scan_file_stem(scan.id);
    const auto path = dir / scan.file;
    if (p.kind == Kind::kFace) {
      const std::uint64_t tusk_seed = synth::derive_seed(o.seed, kTusk);
      const tusks::SliceModel slice = tusks::sample_slice(tusk(p.source), tusk_seed, p.source, p.index, tusk_options);
      write_image(path, tusks::render_slice(tusk(p.source), slice).bgr);
      scan.kind = "cross-section";
      scan.ppi = slice.ppi;
      scan.specimen_id = add_specimen(p.country, true);
      scan.source = "tusk:T" + std::to_string(p.source) + "/slice-" + std::to_string(p.index);
    } else if (p.kind == Kind::kLift) {
      const synth::LatentLift lift = synth::render_latent(
          master(p.source), synth::derive_seed(o.seed, kLift, std::uint64_t(p.source), std::uint64_t(p.index)), params);
      write_image(path, lift.image);
      scan.kind = "latent-lift";
      scan.ppi = lift.ppi;
      scan.specimen_id = add_specimen(p.country, false);
      scan.source = "finger:P" + std::to_string(p.source);
    } else {
      // A reference print taken by the police: rolled, so the whole finger is on it.
      synth::ImpressionOptions rolled;
      rolled.partial_contact = false;
      const synth::Impression imp = synth::render_impression(
          master(p.source), synth::derive_seed(o.seed, kReference, std::uint64_t(p.source)), params, rolled);
      write_image(path, imp.image);
      scan.kind = "reference-print";
      scan.ppi = 500;
      scan.source = "finger:P" + std::to_string(p.source);
    }
    s.scans.push_back(std::move(scan));
    if (progress) progress(++done, total);
  }
  derive_truth(s);
  std::ofstream out(dir / "manifest.json");
  out << to_json(s).dump(1) << "\n";
  TP_CHECK(out.good(), kInvalidArgument, "cannot write " << (dir / "manifest.json").string());
  return s;
}

Scenario load_scenario(const std::string& dir) {
  const auto path = std::filesystem::path(dir) / "manifest.json";
  std::ifstream in(path);
  TP_CHECK(in.good(), kInvalidArgument, "no scenario manifest at " << path.string());
  Scenario s;
  s.directory = dir;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    TP_CHECK(j.value("generator", "") == kGenerator, kInvalidArgument,
             path.string() << " is not a scenario manifest (generator '" << j.value("generator", "") << "')");
    s.seed = j.at("seed").get<std::uint64_t>();
    for (const auto& z : j.at("seizures"))
      s.seizures.push_back({z.at("id"), z.at("country"), z.at("date"), z.at("role")});
    for (const auto& p : j.at("specimens"))
      s.specimens.push_back({p.at("id"), p.at("seizure_id"), p.at("cites_mark"), p.at("weight_kg").get<double>()});
    for (const auto& c : j.at("scans"))
      s.scans.push_back({c.at("id"), c.at("seizure_id"), c.at("specimen_id"), c.at("kind"), c.at("file"),
                         c.at("source"), c.at("ppi").get<double>()});
  } catch (const nlohmann::json::exception& e) {
    TP_THROW(kInvalidArgument, path.string() << " is not a valid scenario manifest: " << e.what());
  }
  derive_truth(s);
  return s;
}

}  // namespace tuskprint::datasets::scenario
