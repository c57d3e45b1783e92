// Phase 12, growth: base revenue follows a geometric random walk whose drift mixes the firm's
// segments' drifts with what it gained in capability and reputation since the start. Shocks are
// keyed by (step, firm): the same in every variant. Employment follows revenue.
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "models/mechanisms.hpp"

namespace klynge {

namespace {

void grow(World& world, const ModelParameters& p, const std::array<double, kSegmentCount>& drift,
          int t, int f) {
  const double sigma = p.growth_sigma;
  // Reputation is a recent track record: it reverts toward the neutral 0.5 before growth reads it.
  world.reputation[f] += p.reputation_reversion * (0.5 - world.reputation[f]);
  double g = world.export_share[f] * drift[3];
  for (int s = 0; s < kDomesticSegmentCount; ++s)
    g += (1 - world.export_share[f]) * world.market_share[f][s] * drift[s];
  g += p.growth_capability_coef * (world.mean_capability(f) - world.initial_mean_capability[f]);
  g += p.growth_reputation_coef * (world.reputation[f] - world.initial_reputation[f]);
  KeyedRng rng = world.streams.rng(Process::growth_shock, t, static_cast<std::uint64_t>(f));
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  const double shock = normal(rng);
  world.base_revenue[f] *=
      std::exp((g - sigma * sigma / 2) / 12.0 + sigma / std::sqrt(12.0) * shock);
  // Capacity grows with base revenue; employment closes part of its gap to revenue at the
  // firm's own productivity.
  world.capacity[f] =
      world.initial_capacity[f] * world.base_revenue[f] / world.initial_base_revenue[f];
  world.employees[f] +=
      p.employee_adjustment * (world.revenue(f) / world.productivity[f] - world.employees[f]);
}

}  // namespace

void growth(World& world) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  const std::array<double, kSegmentCount> drift = {p.drift_food, p.drift_energy_environment,
                                                   p.drift_other, p.drift_export};
  // A firm's shock and change touch only its own state: firms are independent, so chunks of them
  // run in parallel.
  for_each_chunk(world.parallelism, static_cast<std::size_t>(world.firm_count),
                 [&](std::size_t begin, std::size_t end) {
                   for (int f = static_cast<int>(begin); f < static_cast<int>(end); ++f)
                     grow(world, p, drift, t, f);
                 });
}

}  // namespace klynge
