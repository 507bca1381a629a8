#pragma once
// Compact binary codes of MCC bit cylinders, for candidate retrieval.
//
// A bit cylinder has NS*NS*ND = 1,536 cells; storing them all for 10^6 templates of ~40
// cylinders would take 7.7 GB. Retrieval only has to put the mate among a few hundred
// candidates, so a cylinder becomes a short code by one of two locality-sensitive hashes:
//
//  - kProjection: bit b is the sign of a sparse random +-1 projection of the
//    float cylinder (a fixed, seeded set of cells well inside the cylinder per bit). Codes
//    are balanced (about half ones), so Hamming distance tracks the angle between the two
//    cylinders' cell vectors whatever their density (sign-random-projection LSH).
//  - kBitSample: bit b is one sampled cell of the bit cylinder (bit-sampling LSH). Sparse
//    cylinders give sparse codes, and Hamming distance then favours other sparse codes;
//    kept for comparison (measured worse, see the search issue's notes).
//  - kPatchProjection (default): as kProjection, but the cells of one bit come from a small
//    disc of base cells (radius `patch_radius` cells) around a random centre, in every
//    slice. Each bit then describes one region of the neighbourhood, as a cell does, instead
//    of a mixture of the whole disc; measured better at retrieving the mates of small probes.
//
// The exact matcher re-ranks afterwards.
#include <cstdint>
#include <string>
#include <vector>

#include "match/cylinder.hpp"
#include "match/parameters.hpp"

namespace tuskprint::index {

enum class CylinderCodeKind : std::uint8_t { kProjection = 1, kBitSample = 2, kPatchProjection = 3 };

struct CylinderCodeParameters {
  // kPatchProjection: at 10^5 templates the mate gets a stage-1 vote from 100 % of mated
  // probes (kProjection 98 %) and is on the shortlist for 98 % (95 %); at 10^4 rank-1 0.99
  // (0.97). tuskprint-bench-search, README "Measured".
  CylinderCodeKind kind = CylinderCodeKind::kPatchProjection;
  int code_bits = 512;            // bits per code (multiple of 8; 512: rank-1 0.98 vs 0.95 with
                                  //   256 at 10^4, tuskprint-bench-search)
  int cells_per_projection = 32;  // projections: cells summed (with random signs) per bit
  float inner_radius = 0.75f;     // sample cells whose centre lies within this fraction of R
  float patch_radius = 2.5f;      // kPatchProjection: radius of a bit's disc, in base cells
  std::uint64_t seed = 0x5EEDC0DE; // which cells are sampled (fixed: part of the hash)
};

class CylinderCoder {
 public:
  explicit CylinderCoder(const CylinderCodeParameters& parameters = {},
                         const match::MccParameters& mcc = match::default_parameters());

  int code_bits() const { return parameters_.code_bits; }
  int code_bytes() const { return parameters_.code_bits / 8; }
  // sha256 of the code parameters, the sampled cells and the MCC parameters hash.
  const std::string& parameters_hash() const { return hash_; }

  // Appends one code per cylinder of `set` to `out` (size() * code_bytes() bytes).
  void encode(const match::CylinderSet& set, std::vector<std::uint8_t>& out) const;

  const std::vector<int>& sampled_cells() const { return cells_; }

 private:
  CylinderCodeParameters parameters_;
  std::vector<int> cells_;   // kBitSample: cell per bit; kProjection: cells per bit, flattened
  std::vector<float> signs_; // kProjection: +1 / -1 per entry of cells_
  std::string hash_;
};

}  // namespace tuskprint::index
