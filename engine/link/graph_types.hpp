#pragma once
// The records of the seizure link graph: plain values, no transport, no storage.
//
// Nodes are seizures, specimens (a tusk or cut piece of one seizure) and scans (a latent
// lift or reference print of a finger, or a photographed tusk cross-section). Edges are
// verified 1:1 comparisons of two scans with their evidence, as a log10 likelihood ratio
// (LR): log10 LR = 2 means the observed score is 100 times more likely if both scans come
// from the same source (finger, tusk) than from different ones.
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace tuskprint::link {

// Where a seizure sits on the trafficking route, when the investigators know it.
enum class Role { kUnknown, kOrigin, kTransit, kDestination };
const char* to_string(Role role);
// "unknown" (or ""), "origin", "transit", "destination"; Error(kInvalidArgument) otherwise.
Role parse_role(std::string_view text);

// What an edge compares: friction ridges of a finger, or Schreger patterns of cut faces.
enum class Modality { kFinger, kSchreger };
const char* to_string(Modality modality);  // "finger", "schreger"
Modality parse_modality(std::string_view text);

enum class ScanKind {
  kLatentLift,      // a latent mark developed on ivory (finger modality)
  kReferencePrint,  // a known person's print taken by the police (finger modality)
  kCrossSection,    // a photographed cut face of a tusk (Schreger modality)
};
const char* to_string(ScanKind kind);  // "latent-lift", "reference-print", "cross-section"
ScanKind parse_scan_kind(std::string_view text);
Modality modality_of(ScanKind kind);

struct Seizure {
  std::string id;
  std::string country;  // ISO 3166-1 alpha-3 ("KEN"); alpha-2 input is converted; "XXX" unknown
  std::string date;     // YYYY-MM-DD
  Role role = Role::kUnknown;
};

struct Specimen {
  std::string id;
  std::string seizure_id;
  std::string cites_mark;             // "" when unmarked; else validated ("KE 00/127/14")
  std::optional<double> weight_kg;    // unknown when empty
};

struct Scan {
  std::string id;
  std::string seizure_id;
  std::string specimen_id;  // "" for a reference print (a person, not a piece of ivory), or
                            // when the piece was not recorded
  ScanKind kind = ScanKind::kLatentLift;
  // The known person a print belongs to ("" unknown): the fingers of one tenprint card
  // share it, so that several fingers of one person count as one source of evidence.
  std::string person;
};

// One verified comparison. The pair is unordered: (a, b) and (b, a) are the same edge, and
// adding it again with the same modality replaces the evidence (a re-run with a better
// extractor, say).
struct MatchEdge {
  Modality modality = Modality::kFinger;
  std::string scan_a, scan_b;
  double raw_score = 0;   // the matcher's own score (MCC LSS-R, Schreger link score)
  double log10_lr = 0;    // calibrated evidence; finite
  std::string found_at;   // when the comparison was made (ISO 8601, free text to the graph)
};

// Conventional threshold: an edge links two seizures when its LR is at least 100
// (log10 LR >= 2), "moderately strong support" on the ENFSI verbal scale (100-1,000).
// A query may choose another; edges below the threshold are kept, never dropped.
inline constexpr double kDefaultMinLog10Lr = 2.0;

}  // namespace tuskprint::link
