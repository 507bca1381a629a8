#pragma once
// A generated investigation: seizures in several countries, tusks and cut pieces with
// weights and CITES marks, latent lifts on the ivory, reference prints of arrested
// suspects, and photographed cut faces, with the ground truth of which seizures share a
// source (a trafficker's finger, a tusk split between shipments).
//
// Layout of DIR:
//   manifest.json      everything below, and the truth
//   scans/<scan>.png   latent lifts (1000 ppi, colour), reference prints (500 ppi, grey),
//                      cut faces (colour, GeneratorOptions::ppi)
//
// manifest.json keys: "generator", "seed", "seizures" [{id, country (alpha-3), date, role}],
// "specimens" [{id, seizure_id, cites_mark, weight_kg}], "scans" [{id, seizure_id,
// specimen_id, kind, file, ppi, source}] where source is the truth ("finger:P1",
// "tusk:T1/slice-0"), "truth": {"links": [{seizure_a, seizure_b, sources: [..]}],
// "clusters": [[seizure ids]]} (clusters: connected components of the links, two or more
// seizures).
//
// The plan is fixed (two trafficking networks and two unrelated decoy seizures); the seed
// draws every finger, tusk, lift, face, date, weight and mark:
//   network A  KEN origin -> TZA transit -> VNM destination: trafficker P1's reference
//              print in the KEN seizure and two lifts of his finger in each of TZA and
//              VNM; tusk T1 cut, one
//              piece in KEN, the facing piece in VNM; an unrelated handler P6 in KEN and
//              an unrelated face T5 in TZA.
//   network B  MYS (role unknown) -> CHN destination: two lifts of P2 in MYS, his
//              reference in CHN;
//              tusk T2 split between them.
//   decoys     NGA origin, THA (role unknown): lifts of P3 (two), P4, reference of P5, both
//              faces of tusk T3 in NGA (two pieces of one tusk in one seizure), T4 in THA.
#include <cstdint>
#include <string>
#include <vector>

namespace tuskprint::datasets::scenario {

struct ScenarioOptions {
  std::uint64_t seed = 1;
  std::string out_dir;
};

struct SeizureRecord {
  std::string id, country, date, role;
};

struct SpecimenRecord {
  std::string id, seizure_id, cites_mark;
  double weight_kg = 0;
};

struct ScanRecord {
  std::string id, seizure_id, specimen_id, kind, file, source;
  double ppi = 0;
};

struct TruthLink {
  std::string seizure_a, seizure_b;  // seizure_a < seizure_b
  std::vector<std::string> sources;  // shared sources, e.g. "finger:P1", "tusk:T1"
};

struct Scenario {
  std::string directory;
  std::uint64_t seed = 0;
  std::vector<SeizureRecord> seizures;
  std::vector<SpecimenRecord> specimens;
  std::vector<ScanRecord> scans;
  std::vector<TruthLink> truth_links;
  std::vector<std::vector<std::string>> truth_clusters;  // each sorted; sorted by first id
};

// Writes the scenario and returns it. Throws Error(kInvalidArgument) when the folder
// cannot be created or written. `progress(done, total)` after each scan image.
Scenario generate_scenario(const ScenarioOptions& options, void (*progress)(int, int) = nullptr);

// Reads DIR/manifest.json. Throws Error(kInvalidArgument) naming the problem when it is
// missing or not a scenario manifest.
Scenario load_scenario(const std::string& dir);

// Truth links and clusters derived from the scans' sources (shared by generate and tests).
void derive_truth(Scenario& scenario);

}  // namespace tuskprint::datasets::scenario
