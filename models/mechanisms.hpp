#pragma once
// The behavioural mechanisms of model.md, one function per phase (or per part of a phase), each
// defined in its own file in models/. The step loop (sim/run/simulation.cpp) calls them in order;
// each touches only the World state its phase owns and draws only from its own keyed processes.
#include "models/interventions/intervention.hpp"
#include "sim/core/world.hpp"

namespace klynge {

// Set-up at step 0 (initial_state.cpp), on the columns build_world sized: each firm's initial
// state from its record (`recruiting`: an intervention of the variant enrols the participants,
// so they start un-enrolled) and the step-0 snapshots; the interview relations as ties.
void initialise_firms(World& world, const Population& population, bool recruiting);
void load_relations(World& world, const std::vector<RelationRecord>& relations);
// A loaded relation's trust from its reported strength 1-5.
double trust_of_strength(int strength);
// A firm's initial motivation; also the floor of a (re-)recruited firm's (recruitment.cpp).
double initial_motivation(double willingness);
// Set-up at step 0 (market.cpp): relevance tables, arrival rates, legacy orders.
void initialise_market(World& world);
void create_legacy_orders(World& world);
// Set-up at step 0 (encounters.cpp): the location grid.
void initialise_encounters(World& world);

// Phases 3, 4-5 and 11 call the interventions' hooks that are on this step (`hooks`, collected
// once per step by the step loop; none by default).
// What phases 2 and 3 draw the same in every variant of a replicate by design: the step's
// arrivals (sized from the initial population, never from a variant's outcomes) and each one's
// base set of aware firms (relevance weights never change). Drawn from keyed streams and the
// model parameters only, so variants with the same parameters may share one copy
// (sim/run/shared_draws.hpp); a variant that draws its own gets the same bits.
struct DrawnOpportunity {
  std::uint64_t key = 0;
  int segment = 0;
  double value = 0;
  int duration = 1;
  std::vector<Requirement> requirements;
  std::vector<int> base_aware;
};
struct CommonDraws {
  std::vector<DrawnOpportunity> opportunities;  // in arrival order
  std::size_t bytes() const;                    // memory held, for the sharing budget
};
// Draws step `step`'s common part into `drawn` (its buffers are reused): the arrivals
// (market.cpp), then their base sets (awareness.cpp). Reads only what is fixed for the run.
void draw_arrivals(const World& world, int step, CommonDraws& drawn);
void draw_base_sets(const World& world, int step, CommonDraws& drawn);

// Phase 2 (market.cpp): this step's opportunities, from the step's common draws, each with its
// base set of aware firms.
void market_arrivals(World& world, const CommonDraws& drawn);
// For a World used on its own (unit tests, tools): phase 2 drawing its own common part, and the
// base sets of whatever opportunities world.opportunities holds (each o.aware replaced).
void market_arrivals(World& world);
void draw_base_sets(World& world);
// Phase 3 (awareness.cpp): the boosts that add aware firms (cluster organisations, the
// interventions' awareness hooks) to the base sets.
void awareness(World& world, const PhaseHooks& hooks = PhaseHooks::none());
// Phases 4-5 (consortia.cpp): consortium formation by greedy cover, then the award.
void consortia_and_award(World& world, const PhaseHooks& hooks = PhaseHooks::none());
// Phases 6-7 (projects.cpp): running projects pay, build trust and teach; ending ones succeed
// or fail.
void run_projects(World& world);
void end_projects(World& world);
// Phases 8-11 (encounters.cpp, closure.cpp, spillover.cpp, development.cpp): computed from the
// state at the start of each phase and applied together.
void encounters(World& world);
void triadic_closure(World& world);
void knowledge_spillover(World& world);
void firm_development(World& world, const PhaseHooks& hooks = PhaseHooks::none());
// Phase 12 (growth.cpp).
void growth(World& world);
// Phase 13 (decay.cpp): trust decay, dissolution, motivation and un-enrolment.
void decay(World& world);

// Shared by phases 4-7: experience = 1 - exp(-n / scale) of a team.
double team_experience(const World& world, const std::vector<int>& members);
// Mean pair trust of a team (1 alone; a pair without a tie counts 0).
double team_coordination(const World& world, const std::vector<int>& members);

}  // namespace klynge
