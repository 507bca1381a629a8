#pragma once
// Disjoint sets over 0..n-1 with path halving and union by size.
#include <numeric>
#include <utility>
#include <vector>

namespace tuskprint::link {

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0); }

  int find(int x) {
    while (parent_[std::size_t(x)] != x) {
      parent_[std::size_t(x)] = parent_[std::size_t(parent_[std::size_t(x)])];
      x = parent_[std::size_t(x)];
    }
    return x;
  }

  // True when a and b were in different sets.
  bool unite(int a, int b) {
    a = find(a), b = find(b);
    if (a == b) return false;
    if (size_[std::size_t(a)] < size_[std::size_t(b)]) std::swap(a, b);
    parent_[std::size_t(b)] = a;
    size_[std::size_t(a)] += size_[std::size_t(b)];
    return true;
  }

 private:
  std::vector<int> parent_;
  std::vector<int> size_;
};

}  // namespace tuskprint::link
