#pragma once
// What facilitators believe about a mapped firm: true capability + Normal(0, 0.3 x (1 -
// competence)), clamped to [0,1], re-drawn at each contact (keyed by step, firm, capability), so
// better-trained staff propose better matches and scans.
#include "sim/core/world.hpp"

namespace klynge {

// The business service's competence: the mean over its facilitators (they share one map).
double programme_competence(const World& world);

double estimated_capability(const World& world, int firm, int capability, double competence);

// Draws the estimates of every capability of `firms` for this step now, so that later calls
// for them only read the cache (safe from several threads at once).
void prepare_estimates(const World& world, const std::vector<int>& firms, double competence);

// Share of `requirements` whose minimum the firm's estimated level reaches.
double estimated_coverage(const World& world, int firm,
                          const std::vector<Requirement>& requirements, double competence);

}  // namespace klynge
