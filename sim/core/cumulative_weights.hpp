#pragma once
// Running sums of non-negative weights, for drawing an index with probability proportional to
// its weight: first_above(u) is std::upper_bound's answer (the first index whose running sum
// exceeds u), found from a guide table in O(1) expected time instead of a binary search, which
// at 100k firms spent most of its time waiting on memory. Same answer bit for bit.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace klynge {

class CumulativeWeights {
 public:
  // Sums are accumulated in index order (running += weight), as a plain loop would.
  void assign(const std::vector<double>& weights) {
    sums_.resize(weights.size());
    double running = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) sums_[i] = running += weights[i];
    guide_.clear();
    if (sums_.empty() || !(total() > 0)) return;
    // guide_[j]: where the search for u in [j, j + 1) x total / size starts.
    const std::size_t size = sums_.size();
    guide_.resize(size);
    std::size_t i = 0;
    for (std::size_t j = 0; j < size; ++j) {
      const double threshold = static_cast<double>(j) / static_cast<double>(size) * total();
      while (i + 1 < size && sums_[i] <= threshold) ++i;
      guide_[j] = i;
    }
  }
  bool empty() const { return sums_.empty(); }
  double total() const { return sums_.empty() ? 0.0 : sums_.back(); }

  // The first index whose running sum exceeds u (size() if none). Needs total() > 0.
  std::size_t first_above(double u) const {
    const std::size_t size = sums_.size();
    const auto bucket = static_cast<std::size_t>(std::max(0.0, u / total()) * size);
    std::size_t i = guide_[std::min(bucket, size - 1)];
    // Exact whatever the rounding of the bucket: step back, then forward, to the answer.
    while (i > 0 && sums_[i - 1] > u) --i;
    while (i < size && sums_[i] <= u) ++i;
    return i;
  }

 private:
  std::vector<double> sums_;
  std::vector<std::size_t> guide_;
};

}  // namespace klynge
