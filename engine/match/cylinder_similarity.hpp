#pragma once
// Similarity of two cylinders (MCC Section 4): zero unless the minutia directions differ
// by at most delta_theta and at least min_ME of the in-circle cells are valid in both;
// otherwise 1 - ||a - b|| / (||a|| + ||b||) over the cells valid in both (Euclidean norms;
// in bit form ||v|| = sqrt(popcount(v)) and a - b is a XOR b).
#include <vector>

#include "match/cylinder.hpp"
#include "match/parameters.hpp"

namespace tuskprint::match {

enum class CylinderForm { kFloat, kBit };

float cylinder_similarity(const CylinderSet& a, int cylinder_a, const CylinderSet& b, int cylinder_b,
                          CylinderForm form, const MccParameters& parameters = default_parameters());

// The local similarity matrix Gamma: a.size() rows by b.size() columns, row-major.
std::vector<float> local_similarity_matrix(const CylinderSet& a, const CylinderSet& b,
                                           CylinderForm form,
                                           const MccParameters& parameters = default_parameters());

}  // namespace tuskprint::match
