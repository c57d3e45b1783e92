#pragma once
// A small hand-made World for the mechanism tests (tests/models/test_mechanisms.cpp): every
// column sized and set to a plain value, so a test changes only what its mechanism reads and can
// compute the expected outcome by hand. Parameters and the scenario are borrowed by pointer: a
// test that changes them keeps its own ModelParameters / Scenario alive while the World lives.
// Invariant the mechanisms rely on: every cluster_org id is below World::cluster_organisations
// (set both when a test puts firms in a cluster organisation).
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/interventions/intervention.hpp"
#include "models/mechanisms.hpp"
#include "sim/core/intervention_types.hpp"
#include "sim/core/scenario.hpp"
#include "sim/core/world.hpp"

namespace klynge::small {

// model.md's first-guess numbers: the mechanism tests check its formulas by hand with them.
// The calibrated defaults (docs/calibration.md) are exercised by the engine tests
// (tests/run/) and the plausibility test (tests/python/test_plausibility.py).
inline ModelParameters spec_parameters() {
  ModelParameters p = ModelParameters::defaults();
  p.reputation_reversion = 0.02;
  p.scan_reach = 1;
  p.decay_rate = 0.14;
  p.success_trust_gain = 0.1;
  p.project_trust_gain = 0.05;
  p.growth_capability_coef = 0.15;
  p.learning_rate = 0.1;
  p.cluster_awareness_factor = 0.5;
  p.two_step_probability = 0.3;
  p.experience_scale = 3;
  p.development_boost_interview_months = 1e6;
  p.cluster_idle_months = 6;
  p.capacity_factor = 2;
  return p;
}

inline const ModelParameters& default_params() {
  static const ModelParameters params = spec_parameters();
  return params;
}

// A scenario whose market multiplier is 1 everywhere.
inline const Scenario& default_scenario() {
  static const Scenario scenario;
  return scenario;
}

// Sets a firm's annual revenue the way build_world does: base (1 - project_share) x revenue, a
// project book of project_share x revenue spread over the 12 months, capacity 2 x project_share
// x revenue / 12, and the same values as the initial ones.
inline void set_revenue(World& w, int firm, double revenue) {
  const double share = w.params->project_share;
  w.base_revenue[firm] = (1 - share) * revenue;
  for (int m = 0; m < 12; ++m) w.book_ring[firm * 12 + m] = share * revenue / 12;
  w.capacity[firm] = 2 * share * revenue / 12;
  w.initial_base_revenue[firm] = w.base_revenue[firm];
  w.initial_capacity[firm] = w.capacity[firm];
  w.productivity[firm] = revenue / w.employees[firm];
}

// `n` firms with `capabilities` capabilities (all at 0.5, uniform catalogue weights), 10 km
// apart on a line, all in the food segment (export share 0.1), revenue 12 mDKK/yr, 100
// employees, willingness/ambition/absorptive 0.5, reputation 0.5, participants and enrolled,
// not mapped, no ties, no projects, two facilitators of competence 0.4, unlimited money, one
// intervention envelope, step 0.
inline World make_world(int n, int capabilities = 3, std::uint64_t seed = 11,
                        std::uint64_t replicate = 0) {
  World w;
  w.scenario = &default_scenario();
  w.params = &default_params();
  w.streams = RandomStreams(seed, replicate);
  w.firm_count = n;
  w.capability_count = capabilities;
  w.catalogue_weights.assign(capabilities, {1, 1, 1, 1});
  w.x_km.assign(n, 0);
  w.y_km.assign(n, 0);
  for (int f = 0; f < n; ++f) w.x_km[f] = 10.0 * f;
  w.market_share.assign(n, {1, 0, 0});
  w.export_share.assign(n, 0.1);
  w.main_segment.assign(n, 0);
  w.participant.assign(n, 1);
  w.dev_capabilities.assign(n, {});
  w.base_revenue.assign(n, 0);
  w.initial_base_revenue.assign(n, 0);
  w.employees.assign(n, 100);
  w.productivity.assign(n, 0);
  w.capacity.assign(n, 0);
  w.initial_capacity.assign(n, 0);
  w.load.assign(n, 0);
  w.capabilities.assign(static_cast<std::size_t>(n) * capabilities, 0.5);
  w.willingness.assign(n, 0.5);
  w.ambition.assign(n, 0.5);
  w.absorptive.assign(n, 0.5);
  w.motivation.assign(n, 0.65);
  w.reputation.assign(n, 0.5);
  w.initial_reputation.assign(n, 0.5);
  w.initial_mean_capability.assign(n, 0.5);
  w.enrolled.assign(n, 1);
  w.mapped.assign(n, 0);
  w.dev_activated.assign(n, 0);
  w.dev_activated_at.assign(n, -1);
  w.solo_successes.assign(n, 0);
  w.study_trip_until.assign(n, -1);
  w.cluster_org.assign(n, -1);
  w.last_programme_contact.assign(n, -1);
  w.unmet_needs.assign(n, capabilities);
  w.unmet_needs_next.assign(n, capabilities);
  w.book_ring.assign(static_cast<std::size_t>(n) * 12, 0);
  w.income_this_step.assign(n, 0);
  w.adjacency.assign(n, {});
  w.cluster_label.assign(n, -1);
  w.facilitators.assign(2, Facilitator{0.4});
  w.ledger.budget_left = std::numeric_limits<double>::infinity();
  w.ledger.envelope_left.assign(1, std::numeric_limits<double>::infinity());
  w.ledger.hours_left_this_step = 120;
  for (int f = 0; f < n; ++f) set_revenue(w, f, 12);
  return w;
}

// Sets every capability of a firm.
inline void set_capabilities(World& w, int firm, const std::vector<double>& levels) {
  for (int c = 0; c < w.capability_count; ++c) w.capability(firm, c) = levels[c];
}

// Re-derives initial_mean_capability from the current capabilities (growth's reference point).
inline void reset_initial_capability(World& w) {
  for (int f = 0; f < w.firm_count; ++f) w.initial_mean_capability[f] = w.mean_capability(f);
}

// Trust of the live tie between a and b, or -1 when there is none.
inline double trust_between(const World& w, int a, int b) {
  const int tie = w.find_tie(a, b);
  return tie < 0 ? -1.0 : w.ties[tie].trust;
}

inline int live_ties(const World& w) {
  int n = 0;
  for (const auto& t : w.ties) n += t.alive ? 1 : 0;
  return n;
}

inline void remove_all_ties(World& w) {
  for (int i = 0; i < static_cast<int>(w.ties.size()); ++i)
    if (w.ties[i].alive) w.remove_tie(i);
}

// An intervention switched on for a mechanism test as phase 1 would switch it on: built with its
// type's defaults, its targets the explicit firms `targets` (empty: the enrolled participants),
// modify() run on `w` at the world's step (the cash, hours and events it used put back: the test
// is about the mechanism), and its phase 3-11 hooks in `hooks` to pass to the mechanisms.
struct SwitchedOn {
  InterventionSpec spec;
  std::vector<int> targets;
  std::unique_ptr<Intervention> intervention;
  PhaseHooks hooks;
};

inline SwitchedOn switch_on(World& w, const std::string& type, std::vector<int> targets = {}) {
  SwitchedOn on;
  on.spec.type = type;
  on.spec.id = type;
  on.spec.schedule.at = {w.step};
  for (const auto& param : find_intervention_type(type)->params)
    on.spec.params[param.key] = param.default_value;
  if (!targets.empty()) on.spec.target.kind = Target::Kind::firms;
  on.targets = std::move(targets);
  on.intervention = make_intervention(on.spec);
  const Ledger ledger = w.ledger;
  const std::size_t events = w.events.size();
  InterventionContext context(w, on.spec, 0, on.targets);
  const bool active =
      (on.intervention->hooks() & kModify) ? on.intervention->modify(context, true) : true;
  w.ledger = ledger;
  w.events.resize(events);
  if (active) on.hooks.add(*on.intervention);
  return on;
}

}  // namespace klynge::small
