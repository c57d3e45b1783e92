// Phase 9, triadic closure: each firm, with a small probability, introduces two of its trusted
// ties that are not yet tied to each other. Choices are made from the state at the start of the
// phase, then applied.
#include <algorithm>
#include <utility>
#include <vector>

#include "models/mechanisms.hpp"

namespace klynge {

void triadic_closure(World& world) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  // Each firm's introduction (or {-1, -1}) from the state at the start of the phase, in parallel
  // over firms; then applied in firm order.
  std::vector<std::pair<int, int>> introduction(static_cast<std::size_t>(world.firm_count),
                                                {-1, -1});
  for_each_chunk(world.parallelism, introduction.size(), [&](std::size_t begin, std::size_t end) {
    std::vector<int> trusted;                 // scratch, rebuilt per firm
    std::vector<std::pair<int, int>> untied;  // scratch
    for (int f = static_cast<int>(begin); f < static_cast<int>(end); ++f) {
      KeyedRng rng = world.streams.rng(Process::triadic_closure, t, static_cast<std::uint64_t>(f));
      if (!rng.bernoulli(p.closure_probability)) continue;
      trusted.clear();
      for (const auto& n : world.adjacency[f])
        if (world.ties[n.tie].trust >= p.closure_min_trust) trusted.push_back(n.firm);
      if (trusted.size() < 2) continue;
      std::sort(trusted.begin(),
                trusted.end());  // adjacency order is history; draws need a fixed one
      // The pairs of trusted neighbours not yet tied to each other (model.md v2.5 decisions):
      // one is picked uniformly.
      untied.clear();
      for (std::size_t i = 0; i < trusted.size(); ++i)
        for (std::size_t j = i + 1; j < trusted.size(); ++j)
          if (world.find_tie(trusted[i], trusted[j]) < 0)
            untied.push_back({trusted[i], trusted[j]});
      if (untied.empty()) continue;
      const std::size_t pick =
          std::min(untied.size() - 1, static_cast<std::size_t>(rng.uniform() * untied.size()));
      introduction[f] = untied[pick];
    }
  });
  for (const auto& [a, b] : introduction)
    if (a >= 0 && world.find_tie(a, b) < 0) world.meet(a, b, p.closure_tie_trust, 0.0);
}

}  // namespace klynge
