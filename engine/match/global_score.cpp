#include "match/global_score.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "match/angles.hpp"

namespace tuskprint::match {
namespace {

struct Entry {
  float value;
  int a;
  int b;
};

// The `count` largest non-zero entries of gamma, best first (ties: lower indices first).
std::vector<Entry> top_entries(const std::vector<float>& gamma, int columns, int count) {
  std::vector<Entry> entries;
  for (std::size_t index = 0; index < gamma.size(); ++index) {
    if (gamma[index] > 0) {
      entries.push_back({gamma[index], static_cast<int>(index / columns), static_cast<int>(index % columns)});
    }
  }
  const auto better = [](const Entry& x, const Entry& y) {
    if (x.value != y.value) return x.value > y.value;
    if (x.a != y.a) return x.a < y.a;
    return x.b < y.b;
  };
  const std::size_t keep = std::min<std::size_t>(entries.size(), static_cast<std::size_t>(std::max(count, 0)));
  std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(keep), entries.end(), better);
  entries.resize(keep);
  return entries;
}

// Compatibility rho(t, k) of two pairs: the relative geometry of (a_t, a_k) agrees with
// that of (b_t, b_k).
double pair_compatibility(const CylinderSet& a, const CylinderSet& b, const Entry& t, const Entry& k,
                          const MccParameters& p) {
  const auto distance = [](const CylinderSet& s, int i, int j) {
    return std::hypot(s.x[i] - s.x[j], s.y[i] - s.y[j]);
  };
  const auto radial = [](const CylinderSet& s, int i, int j) {
    return angle_difference(s.direction[i], std::atan2(s.y[j] - s.y[i], s.x[j] - s.x[i]));
  };
  const float d1 = std::fabs(distance(a, t.a, k.a) - distance(b, t.b, k.b));
  const float d2 = std::fabs(angle_difference(angle_difference(a.direction[t.a], a.direction[k.a]),
                                              angle_difference(b.direction[t.b], b.direction[k.b])));
  const float d3 = std::fabs(angle_difference(radial(a, t.a, k.a), radial(b, t.b, k.b)));
  return static_cast<double>(sigmoid(d1, p.distance_mu, p.distance_tau)) *
         sigmoid(d2, p.direction_mu, p.direction_tau) * sigmoid(d3, p.radial_mu, p.radial_tau);
}

GlobalScore local_similarity_sort(const std::vector<float>& gamma, int columns, int np) {
  GlobalScore result;
  result.pairs_required = np;
  double sum = 0;
  for (const Entry& e : top_entries(gamma, columns, np)) {
    sum += e.value;
    result.pairs.push_back({e.a, e.b, e.value, e.value});
  }
  result.score = np > 0 ? sum / np : 0;
  return result;
}

GlobalScore relaxed_local_similarity_sort(const CylinderSet& a, const CylinderSet& b,
                                          const std::vector<float>& gamma, int np,
                                          const MccParameters& p) {
  const std::vector<Entry> pairs = top_entries(gamma, b.size(), std::min(a.size(), b.size()));
  const std::size_t nr = pairs.size();
  std::vector<double> rho(nr * nr, 0.0);
  for (std::size_t t = 0; t < nr; ++t) {
    for (std::size_t k = t + 1; k < nr; ++k) {
      rho[t * nr + k] = rho[k * nr + t] = pair_compatibility(a, b, pairs[t], pairs[k], p);
    }
  }
  std::vector<double> lambda(nr), next(nr);
  for (std::size_t t = 0; t < nr; ++t) lambda[t] = pairs[t].value;
  if (nr >= 2) {
    const double w = p.relaxation_weight;
    for (int iteration = 0; iteration < p.relaxation_iterations; ++iteration) {
      for (std::size_t t = 0; t < nr; ++t) {
        double support = 0;
        for (std::size_t k = 0; k < nr; ++k) support += rho[t * nr + k] * lambda[k];
        next[t] = w * lambda[t] + (1 - w) * support / static_cast<double>(nr - 1);
      }
      lambda.swap(next);
    }
  }
  // The nP pairs that kept most of their initial similarity (efficiency).
  std::vector<std::size_t> order(nr);
  std::iota(order.begin(), order.end(), 0);
  const auto efficiency = [&](std::size_t t) { return lambda[t] / pairs[t].value; };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return efficiency(x) > efficiency(y); });
  GlobalScore result;
  result.pairs_required = np;
  double sum = 0;
  for (std::size_t r = 0; r < nr && static_cast<int>(r) < np; ++r) {
    const std::size_t t = order[r];
    sum += lambda[t];
    result.pairs.push_back({pairs[t].a, pairs[t].b, pairs[t].value, static_cast<float>(lambda[t])});
  }
  result.score = np > 0 ? sum / np : 0;
  return result;
}

}  // namespace

int number_of_pairs(int cylinders_a, int cylinders_b, const MccParameters& p) {
  const float z = sigmoid(static_cast<float>(std::min(cylinders_a, cylinders_b)), p.pairs_sigmoid_mu,
                          p.pairs_sigmoid_tau);
  return p.min_pairs + static_cast<int>(std::lround(z * static_cast<float>(p.max_pairs - p.min_pairs)));
}

GlobalScore global_score(const CylinderSet& a, const CylinderSet& b, const std::vector<float>& gamma,
                         Consolidation consolidation, const MccParameters& p) {
  TP_CHECK(gamma.size() == static_cast<std::size_t>(a.size()) * b.size(), kInvalidArgument,
           "local similarity matrix has " << gamma.size() << " entries, expected " << a.size()
                                          << " x " << b.size());
  if (a.size() == 0 || b.size() == 0) {
    GlobalScore empty;
    empty.pairs_required = number_of_pairs(a.size(), b.size(), p);
    return empty;
  }
  const int np = number_of_pairs(a.size(), b.size(), p);
  return consolidation == Consolidation::kLss ? local_similarity_sort(gamma, b.size(), np)
                                              : relaxed_local_similarity_sort(a, b, gamma, np, p);
}

}  // namespace tuskprint::match
