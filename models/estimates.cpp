#include "models/estimates.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <vector>

namespace klynge {

double programme_competence(const World& world) {
  if (world.facilitators.empty()) return 0;
  double sum = 0;
  for (const auto& f : world.facilitators) sum += f.competence;
  return sum / static_cast<double>(world.facilitators.size());
}

namespace {

// The facilitators' estimates of the current step, per (firm, capability) slot: re-drawn once per
// step and competence, so scanning many opportunities does not redraw them.
struct EstimateCache {
  std::vector<double> value;
  std::vector<int> step;
  std::vector<double> competence;
};

}  // namespace

double estimated_capability(const World& world, int firm, int capability, double competence) {
  EstimateCache& cache = world.scratch.get<EstimateCache>();
  const std::size_t slot = static_cast<std::size_t>(firm) * world.capability_count +
                           static_cast<std::size_t>(capability);
  if (cache.step.size() != world.capabilities.size()) {
    cache.value.assign(world.capabilities.size(), 0.0);
    cache.step.assign(world.capabilities.size(), -1);
    cache.competence.assign(world.capabilities.size(), -1.0);
  }
  if (cache.step[slot] == world.step && cache.competence[slot] == competence)
    return cache.value[slot];
  const double sd = 0.3 * (1 - competence);
  double level = world.capability(firm, capability);
  if (sd > 0) {
    KeyedRng rng =
        world.streams.rng(Process::facilitator_estimate, world.step,
                          static_cast<std::uint64_t>(firm), static_cast<std::uint64_t>(capability));
    boost::random::normal_distribution<double> noise(0.0, sd);
    level += noise(rng);
  }
  cache.step[slot] = world.step;
  cache.competence[slot] = competence;
  return cache.value[slot] = std::clamp(level, 0.0, 1.0);
}

void prepare_estimates(const World& world, const std::vector<int>& firms, double competence) {
  for (int f : firms)
    for (int c = 0; c < world.capability_count; ++c) estimated_capability(world, f, c, competence);
}

double estimated_coverage(const World& world, int firm,
                          const std::vector<Requirement>& requirements, double competence) {
  if (requirements.empty()) return 0;
  int covered = 0;
  for (const auto& r : requirements)
    if (estimated_capability(world, firm, r.capability, competence) >= r.min_level) ++covered;
  return static_cast<double>(covered) / static_cast<double>(requirements.size());
}

}  // namespace klynge
