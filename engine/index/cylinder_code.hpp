#pragma once
// Compact binary codes of MCC bit cylinders, for candidate retrieval.
//
// A bit cylinder has NS*NS*ND = 1,536 cells; storing them all for 10^6 templates of ~40
// cylinders would take 7.7 GB. Retrieval only has to put the mate among a few dozen
// candidates, so the code keeps a fixed, seeded sample of the cells that lie well inside the
// cylinder (those valid in almost every cylinder), spread over all angular slices: Hamming
// distance between codes is then a sampled estimate of the cylinders' bit disagreement
// (bit-sampling locality-sensitive hashing). The exact matcher re-ranks afterwards.
#include <cstdint>
#include <string>
#include <vector>

#include "match/cylinder.hpp"
#include "match/parameters.hpp"

namespace tuskprint::index {

struct CylinderCodeParameters {
  int code_bits = 256;            // bits per code (multiple of 8)
  float inner_radius = 0.75f;     // sample cells whose centre lies within this fraction of R
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
  std::vector<int> cells_;  // cell indices into the 1,536-cell bit vector
  std::string hash_;
};

}  // namespace tuskprint::index
