#include "match/global_score.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "match/angles.hpp"
#include "match/global_consistency.hpp"

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
  entries.reserve(gamma.size());
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
  if (keep < entries.size()) {
    std::nth_element(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(keep), entries.end(), better);
  }
  std::sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(keep), better);
  entries.resize(keep);
  return entries;
}

// The `count` best entries such that no row or column is used twice (greedy assignment).
std::vector<Entry> top_one_to_one_entries(const std::vector<float>& gamma, int rows, int columns, int count) {
  std::vector<Entry> sorted = top_entries(gamma, columns, static_cast<int>(gamma.size()));
  std::vector<unsigned char> row_used(static_cast<std::size_t>(rows), 0), column_used(static_cast<std::size_t>(columns), 0);
  std::vector<Entry> chosen;
  for (const Entry& e : sorted) {
    if (static_cast<int>(chosen.size()) >= count) break;
    if (row_used[e.a] || column_used[e.b]) continue;
    row_used[e.a] = column_used[e.b] = 1;
    chosen.push_back(e);
  }
  return chosen;
}

// Compatibility rho(t, k) of two pairs: the relative geometry of (a_t, a_k) agrees with
// that of (b_t, b_k) in distance, direction difference and radial angle.
class PairCompatibility {
 public:
  PairCompatibility(const CylinderSet& a, const CylinderSet& b, const MccParameters& p)
      : a_(a), b_(b), p_(p) {
    // Beyond this distance disagreement rho_1 < 1e-7: the pair gives no support. Skipping
    // the remaining terms there changes no score by more than that.
    distance_cut_ = p.distance_tau < 0 ? p.distance_mu + 16.2f / -p.distance_tau : 1e30f;
    // Likewise for the two angle terms (ln(1e7) = 16.1).
    direction_cut_ = p.direction_tau < 0 ? p.direction_mu + 16.2f / -p.direction_tau : 1e30f;
    radial_cut_ = p.radial_tau < 0 ? p.radial_mu + 16.2f / -p.radial_tau : 1e30f;
  }

  double operator()(const Entry& t, const Entry& k) const {
    const std::size_t na = static_cast<std::size_t>(a_.size()), nb = static_cast<std::size_t>(b_.size());
    const float d1 = std::fabs(a_.pair_distance[t.a * na + k.a] - b_.pair_distance[t.b * nb + k.b]);
    if (d1 > distance_cut_) return 0;
    const float d2 = std::fabs(angle_difference(angle_difference(a_.direction[t.a], a_.direction[k.a]),
                                                angle_difference(b_.direction[t.b], b_.direction[k.b])));
    if (d2 > direction_cut_) return 0;
    const float d3 = std::fabs(angle_difference(a_.pair_radial_angle[t.a * na + k.a],
                                                b_.pair_radial_angle[t.b * nb + k.b]));
    if (d3 > radial_cut_) return 0;
    return static_cast<double>(sigmoid(d1, p_.distance_mu, p_.distance_tau)) *
           sigmoid(d2, p_.direction_mu, p_.direction_tau) * sigmoid(d3, p_.radial_mu, p_.radial_tau);
  }

 private:
  const CylinderSet& a_;
  const CylinderSet& b_;
  const MccParameters& p_;
  float distance_cut_;
  float direction_cut_;
  float radial_cut_;
};

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
  const int nr_wanted = std::min(a.size(), b.size());
  const std::vector<Entry> pairs = p.one_to_one_pairs
                                       ? top_one_to_one_entries(gamma, a.size(), b.size(), nr_wanted)
                                       : top_entries(gamma, b.size(), nr_wanted);
  const std::size_t nr = pairs.size();
  const PairCompatibility compatibility(a, b, p);
  std::vector<double> rho(nr * nr, 0.0);
  for (std::size_t t = 0; t < nr; ++t) {
    for (std::size_t k = t + 1; k < nr; ++k) {
      rho[t * nr + k] = rho[k * nr + t] = compatibility(pairs[t], pairs[k]);
    }
  }
  std::vector<double> lambda(nr), next(nr);
  for (std::size_t t = 0; t < nr; ++t) lambda[t] = pairs[t].value;
  if (nr >= 2) {
    const double w = p.relaxation_weight;
    for (int iteration = 0; iteration < p.relaxation_iterations; ++iteration) {
      for (std::size_t t = 0; t < nr; ++t) {
        // Four independent sums: the loop runs at throughput, not at add latency.
        const double* row = &rho[t * nr];
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        std::size_t k = 0;
        for (; k + 4 <= nr; k += 4) {
          s0 += row[k] * lambda[k];
          s1 += row[k + 1] * lambda[k + 1];
          s2 += row[k + 2] * lambda[k + 2];
          s3 += row[k + 3] * lambda[k + 3];
        }
        for (; k < nr; ++k) s0 += row[k] * lambda[k];
        const double support = (s0 + s1) + (s2 + s3);
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
    empty.consistency_factor = p.global_consistency ? 0 : 1;
    return empty;
  }
  const int np = number_of_pairs(a.size(), b.size(), p);
  GlobalScore result = consolidation == Consolidation::kLss
                           ? local_similarity_sort(gamma, b.size(), np)
                           : relaxed_local_similarity_sort(a, b, gamma, np, p);
  result.consolidated_score = result.score;
  if (p.global_consistency) {
    const GlobalConsistency consistency = global_consistency(a, b, result.pairs, p);
    result.paired_minutiae = consistency.paired;
    result.consistency_factor = consistency.factor;
    result.score *= std::pow(consistency.factor, static_cast<double>(p.consistency_exponent));
  }
  return result;
}

}  // namespace tuskprint::match
