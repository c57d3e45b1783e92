// Phase 10, knowledge spill-over: over collaboration-graph ties, each capability moves toward the
// partner's when the partner is ahead. Deltas come from the state at the start of the phase.
#include "models/mechanisms.hpp"

namespace klynge {

void knowledge_spillover(World& world) {
  const ModelParameters& p = *world.params;
  if (p.spillover_rate <= 0) return;
  std::vector<double> delta(world.capabilities.size(), 0.0);
  const int C = world.capability_count;
  for (const Tie& tie : world.ties) {
    if (!tie.alive || tie.trust < p.collab_trust) continue;
    for (int c = 0; c < C; ++c) {
      const double a = world.capability(tie.a, c), b = world.capability(tie.b, c);
      if (b > a)
        delta[tie.a * C + c] += p.spillover_rate * tie.trust * world.absorptive[tie.a] * (b - a);
      if (a > b)
        delta[tie.b * C + c] += p.spillover_rate * tie.trust * world.absorptive[tie.b] * (a - b);
    }
  }
  for (std::size_t i = 0; i < delta.size(); ++i) world.capabilities[i] += delta[i];
}

}  // namespace klynge
