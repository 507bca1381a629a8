#pragma once
// 1:1 fingerprint comparison with Minutia Cylinder-Code.
//
//   MatchTemplate probe(extracted_probe), gallery(extracted_gallery);   // cylinders, once
//   double s = score(probe, gallery);          // 0..1, LSS-R x global consistency, bit form
//
// A MatchTemplate precomputes the cylinders of a ridge::FingerTemplate and can be reused
// against any number of others (1:N). Scores are deterministic; score(A, B) and
// score(B, A) agree up to float rounding and tie order (tests bound the difference).
// Templates with no valid cylinder (empty, one minutia, minutiae too sparse) score 0.
//
// What a score means (default mode lssr-bit with the global consistency factor, matcher
// mcc-1.1, extractor tuskprint-ridge/1.0; FVC2002 DB1_B / DB2_B / DB3_B, 5,760 ordered
// impostor pairs each): the score is the LSS-R score (small, because relaxation shrinks
// unsupported pairs) times sqrt(paired^2 / (overlap_a * overlap_b)) (global_consistency.hpp).
// An impostor pair scored above 0.012 / 0.012 / 0.013 in 1 % of cases, above
// 0.015 / 0.016 / 0.018 in 0.1 %, and never above 0.022 / 0.016 / 0.028; the median mated
// pair scored 0.096 / 0.103 / 0.079. So, as a rough guide on similar plain impressions:
// 0.015 to 0.018 is about FMR 0.1 %, 0.03 was never reached by a non-mate. These figures come from
// 80-image sets; latent marks and other sensors need their own measurement
// (`tuskprint eval verify --scores`), and a likelihood-ratio calibration for casework.
// Symmetry on those sets: s(A, B) and s(B, A) differed in 3 of 9,480 pairs, by at most 7e-4.
#include <string>
#include <vector>

#include "match/cylinder.hpp"
#include "match/global_score.hpp"
#include "match/parameters.hpp"
#include "ridge/template.hpp"

namespace tuskprint::match {

enum class Mode {
  kLssFloat,     // local similarity sort, float cylinders
  kLssBit,       // local similarity sort, bit cylinders
  kLssrFloat,    // LSS with relaxation, float cylinders
  kLssrBit,      // LSS with relaxation, bit cylinders (default: accurate and fast)
};

const char* to_string(Mode mode);
// Parses "lss-float", "lss-bit", "lssr-float", "lssr-bit"; Error(kInvalidArgument) otherwise.
Mode parse_mode(const std::string& text);

class MatchTemplate {
 public:
  // Coordinates are rescaled from template.ppi to the 500 ppi the parameters assume.
  // Throws Error(kInvalidArgument) for ppi <= 0 or non-finite minutiae.
  explicit MatchTemplate(const ridge::FingerTemplate& finger,
                         const MccParameters& parameters = default_parameters());

  const CylinderSet& cylinders() const { return cylinders_; }
  const MccParameters& parameters() const { return parameters_; }
  const std::string& parameters_hash() const { return parameters_hash_; }
  int minutia_count() const { return static_cast<int>(minutiae_.size()); }
  // The template's minutiae, in the template's own pixel coordinates.
  const std::vector<ridge::Minutia>& minutiae() const { return minutiae_; }

 private:
  MccParameters parameters_;
  std::string parameters_hash_;
  std::vector<ridge::Minutia> minutiae_;
  CylinderSet cylinders_;
};

// One paired minutia, for match charts: indices into probe/gallery minutiae().
struct PairedMinutiae {
  int probe_minutia = 0;
  int gallery_minutia = 0;
  float local_similarity = 0;    // cylinder similarity
  float relaxed_similarity = 0;  // after relaxation (LSS: same as local)
};

struct MatchDetails {
  double score = 0;
  Mode mode = Mode::kLssrBit;
  int probe_cylinders = 0;
  int gallery_cylinders = 0;
  int pairs_required = 0;              // nP
  double consolidated_score = 0;       // LSS / LSS-R before the global consistency factor
  int paired_minutiae = 0;             // minutiae paired under the best global alignment
  double consistency_factor = 1;       // paired^2 / (overlap_a * overlap_b), 1 when off
  std::vector<PairedMinutiae> pairs;   // best first
};

// Throws Error(kFailedPrecondition) when the two were built with different parameters.
double score(const MatchTemplate& probe, const MatchTemplate& gallery, Mode mode = Mode::kLssrBit);
MatchDetails match_details(const MatchTemplate& probe, const MatchTemplate& gallery,
                           Mode mode = Mode::kLssrBit);

}  // namespace tuskprint::match
