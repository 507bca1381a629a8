#include "index/cylinder_code.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/sha256.hpp"

namespace tuskprint::index {

CylinderCoder::CylinderCoder(const CylinderCodeParameters& parameters,
                             const match::MccParameters& mcc)
    : parameters_(parameters) {
  TP_CHECK(parameters.code_bits > 0 && parameters.code_bits % 8 == 0, kInvalidArgument,
           "cylinder code length " << parameters.code_bits << " is not a positive multiple of 8");
  const int ns = mcc.spatial_cells, nd = mcc.direction_cells;
  // Candidate cells: base cells whose centre is within inner_radius * R, in every slice.
  std::vector<int> inner;
  const float half = float(ns) / 2.0f;
  for (int i = 0; i < ns; ++i) {
    for (int j = 0; j < ns; ++j) {
      const float di = (float(i) + 0.5f - half) / half, dj = (float(j) + 0.5f - half) / half;
      if (std::sqrt(di * di + dj * dj) <= parameters.inner_radius) inner.push_back(i * ns + j);
    }
  }
  TP_CHECK(!inner.empty(), kInvalidArgument, "cylinder code inner radius leaves no cell");
  std::mt19937_64 rng(parameters.seed);
  if (parameters.kind != CylinderCodeKind::kBitSample) {
    TP_CHECK(parameters.cells_per_projection > 0, kInvalidArgument,
             "cells per projection must be positive");
    const bool patches = parameters.kind == CylinderCodeKind::kPatchProjection;
    TP_CHECK(!patches || parameters.patch_radius >= 0.5f, kInvalidArgument,
             "cylinder code patch radius must be at least 0.5 cells, got " << parameters.patch_radius);
    // Each bit: cells drawn from a pool of base cells in random slices, half of them added and
    // half subtracted, so that an average cylinder sums to about zero. The pool is every inner
    // cell (kProjection), or the inner cells within patch_radius of a random inner centre.
    std::vector<int> patch;
    for (int bit = 0; bit < parameters.code_bits; ++bit) {
      if (patches) {
        const int centre = inner[std::size_t(rng() % std::uint64_t(inner.size()))];
        patch.clear();
        for (int c : inner) {
          const float di = float(c / ns - centre / ns), dj = float(c % ns - centre % ns);
          if (di * di + dj * dj <= parameters.patch_radius * parameters.patch_radius) patch.push_back(c);
        }
      }
      const std::vector<int>& pool = patches ? patch : inner;
      for (int t = 0; t < parameters.cells_per_projection; ++t) {
        const int slice = int(rng() % std::uint64_t(nd));
        const int cell = pool[std::size_t(rng() % std::uint64_t(pool.size()))];
        cells_.push_back(slice * ns * ns + cell);
        signs_.push_back(t % 2 == 0 ? 1.0f : -1.0f);
      }
    }
  }
  // kBitSample: an equal share of samples per slice, cells drawn without replacement within a
  // slice (with replacement across rounds when more bits than cells are asked for).
  for (int bit = 0; parameters.kind == CylinderCodeKind::kBitSample && bit < parameters.code_bits;) {
    for (int k = 0; k < nd && bit < parameters.code_bits; ++k) {
      std::vector<int> slice = inner;
      for (std::size_t s = slice.size(); s > 1; --s) {  // Fisher-Yates with raw engine output
        std::swap(slice[s - 1], slice[std::size_t(rng() % s)]);
      }
      const int take = std::min<int>(int(slice.size()), (parameters.code_bits + nd - 1) / nd);
      for (int t = 0; t < take && bit < parameters.code_bits; ++t, ++bit) {
        cells_.push_back(k * ns * ns + slice[std::size_t(t)]);
      }
    }
  }
  std::ostringstream canonical;
  canonical << "cylinder-code-2 kind=" << int(parameters.kind) << " bits=" << parameters.code_bits
            << " per_projection=" << parameters.cells_per_projection
            << " inner=" << parameters.inner_radius
            << (parameters.kind == CylinderCodeKind::kPatchProjection
                    ? " patch=" + std::to_string(parameters.patch_radius)
                    : std::string())
            << " seed=" << parameters.seed << " mcc=" << match::parameters_hash(mcc) << " cells=";
  for (int c : cells_) canonical << c << ',';
  hash_ = sha256_hex(canonical.str());
}

void CylinderCoder::encode(const match::CylinderSet& set, std::vector<std::uint8_t>& out) const {
  const std::size_t bytes = std::size_t(code_bytes());
  const std::size_t start = out.size();
  out.resize(start + std::size_t(set.size()) * bytes, 0);
  if (parameters_.kind != CylinderCodeKind::kBitSample) {
    const std::size_t per = std::size_t(parameters_.cells_per_projection);
    for (int c = 0; c < set.size(); ++c) {
      const float* values = set.values_of(c);
      std::uint8_t* code = out.data() + start + std::size_t(c) * bytes;
      for (std::size_t b = 0; b < std::size_t(parameters_.code_bits); ++b) {
        float sum = 0;
        for (std::size_t t = b * per; t < (b + 1) * per; ++t) sum += signs_[t] * values[cells_[t]];
        if (sum > 0) code[b >> 3] |= std::uint8_t(1u << (b & 7));
      }
    }
    return;
  }
  for (int c = 0; c < set.size(); ++c) {
    const std::uint64_t* bits = set.bits_of(c);
    std::uint8_t* code = out.data() + start + std::size_t(c) * bytes;
    for (std::size_t b = 0; b < cells_.size(); ++b) {
      const int cell = cells_[b];
      if ((bits[cell >> 6] >> (cell & 63)) & 1u) code[b >> 3] |= std::uint8_t(1u << (b & 7));
    }
  }
}

}  // namespace tuskprint::index
