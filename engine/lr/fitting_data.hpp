#pragma once
// Genuine and impostor scores from the data sets the LR models are fitted and tested on.
//
// * FVC folder (<finger>_<impression>.<ext>): every unordered pair of usable images
//   (score(A, B) and score(B, A) agree, so ordered pairs would only count each twice);
//   genuine when the finger matches.
// * Synthetic latent lifts against plain impressions (both from `synth prints` with one
//   seed, so finger f is the same master in both): every latent is a probe against every
//   print; genuine when the finger matches and the impression indices differ (impression
//   k of the latent and print sets share a placement stream), impostor when the fingers
//   differ. `keep_finger` selects a disjoint subset of identities (fit / held out).
// * Synthetic tusk cut faces (`synth tusks`): every unordered pair of measured ivory faces;
//   genuine = adjacent slices of one tusk, impostor = different tusks; same-tusk faces
//   further apart are neither and are left out. Look-alike "tusks" are left out.
//
// An image whose template has no valid cylinder, or a face without a measured section,
// cannot be compared at all: it is counted as unusable, not scored.
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "lr/labelled_scores.hpp"
#include "match/matcher.hpp"

namespace tuskprint::lr {

// (stage, done, total), for a progress line.
using Progress = std::function<void(const std::string&, int, int)>;

struct PairScores {
  ScoreSet scores;
  int items = 0;     // images or faces read
  int unusable = 0;  // of which could not be compared
  nlohmann::json describe() const;  // items, unusable, genuine and impostor counts
};

PairScores fvc_pair_scores(const std::string& dir, int ppi, match::Mode mode = match::Mode::kLssrBit,
                           const Progress& progress = {});

// Generates `synth prints` output into `dir` unless a manifest for exactly these settings
// (generator, parameters hash, seed, fingers, impressions, kind) is already there.
void ensure_print_set(const std::string& dir, int fingers, int impressions, bool latent, std::uint64_t seed,
                      const Progress& progress = {});

PairScores latent_print_scores(const std::string& latent_dir, const std::string& print_dir,
                               const std::function<bool(int finger)>& keep_finger,
                               match::Mode mode = match::Mode::kLssrBit, const Progress& progress = {});

struct TuskSetOptions {
  int tusks = 0;
  int slices = 0;
  std::uint64_t seed = 1;
  std::string species = "mixed";  // as `synth tusks --species`
  double sector_fraction = 0.25;  // cut pieces as well as whole sections
  nlohmann::json describe() const;
};

// Generates `synth tusks` output into `dir` unless its manifest matches the options.
void ensure_tusk_set(const std::string& dir, const TuskSetOptions& options, const Progress& progress = {});

// Scores of the faces of the tusks selected by `keep_tusk` (tusk index in the set).
PairScores tusk_link_scores(const std::string& dir, const std::function<bool(int tusk)>& keep_tusk,
                            const Progress& progress = {});

}  // namespace tuskprint::lr
