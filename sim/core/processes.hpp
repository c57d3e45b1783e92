#pragma once
// Every random process of the model, in one place. A process's number is part of each draw's key:
// never renumber an existing process (it would change every result); append new ones.
#include <cstdint>

namespace klynge {

enum class Process : std::uint16_t {
  market_arrivals = 1,        // (step, segment): opportunity count
  opportunity_draw = 2,       // (step, opportunity key): value, duration, requirements
  awareness_base = 3,         // (step, opportunity key): base set of interested firms
  awareness_boost = 4,        // (step, opportunity key, firm): boosted awareness
  opportunity_order = 5,      // (step, opportunity key): handling order
  lead_order = 6,             // (step, opportunity key, firm): lead order
  consortium_accept = 7,      // (step, opportunity key, firm): partner acceptance
  two_step_reach = 8,         // (step, opportunity key, firm): reaching a two-step contact
  award = 9,                  // (step, opportunity key): award draw
  project_outcome = 10,       // (step, project key): success draw
  encounter_count = 11,       // (step, firm): number of encounters
  encounter_partner = 12,     // (step, firm): whom it meets
  triadic_closure = 13,       // (step, firm): closure
  firm_development = 14,      // (step, firm): capability upgrade
  growth_shock = 15,          // (step, firm): base-revenue shock
  legacy_orders = 16,         // (0, firm): warm-start projects
  facilitator_estimate = 17,  // (step, firm, facilitator contact): estimation noise
  intervention = 18,          // (step, intervention id key, firm): any intervention's draws
  community_detection = 19,   // (step): Louvain node order
  synthetic_population = 20,  // (0, firm): synthetic firms (seeded by scenario seed only)
  // Parameter designs (sim/core/sampling.hpp): far from the simulation's numbers, so parameter
  // draws never share a stream with a replicate's draws under the same seed.
  parameter_sampling = 0x5A,  // (purpose, dimension, row)
};

}  // namespace klynge
