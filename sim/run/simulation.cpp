#include "sim/run/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "models/mechanisms.hpp"
#include "models/observation.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/intervention_types.hpp"
#include "sim/run/shared_draws.hpp"

namespace klynge {
namespace {

// True when an intervention of the variant enrols its targets (they then start un-enrolled).
bool enrols_targets(const Variant& v) {
  return std::any_of(v.interventions.begin(), v.interventions.end(), [](const InterventionSpec& s) {
    const InterventionTypeSpec* type = find_intervention_type(s.type);
    return type != nullptr && type->enrols_targets;
  });
}

}  // namespace

World build_world(const Inputs& inputs, int variant_index, int replicate, const Variant* drawn) {
  const Scenario& scenario = inputs.scenario;
  const Variant& variant = drawn ? *drawn : scenario.variants[variant_index];
  const Population& population = inputs.population;
  World w;
  w.scenario = &scenario;
  w.variant = &variant;
  w.params = &variant.parameters;
  w.streams = RandomStreams(scenario.seed, static_cast<std::uint64_t>(replicate));
  const int n = static_cast<int>(population.firms.size());
  const int C = static_cast<int>(population.capability_names.size());
  w.firm_count = n;
  w.capability_count = C;
  w.catalogue_weights = inputs.catalogue_weights;
  w.dev_capabilities = inputs.dev_capabilities;
  const bool recruiting = enrols_targets(variant);

  // The columns, sized; their initial values are the model's (models/initial_state.cpp).
  auto sized = [n](auto& column, auto value) { column.assign(n, value); };
  sized(w.x_km, 0.0);
  sized(w.y_km, 0.0);
  w.market_share.resize(n);
  sized(w.export_share, 0.0);
  sized(w.main_segment, 0);
  sized(w.participant, char{0});
  sized(w.base_revenue, 0.0);
  sized(w.employees, 0.0);
  sized(w.productivity, 0.0);
  sized(w.capacity, 0.0);
  sized(w.load, 0.0);
  w.capabilities.assign(static_cast<std::size_t>(n) * C, 0.0);
  sized(w.willingness, 0.0);
  sized(w.ambition, 0.0);
  sized(w.absorptive, 0.0);
  sized(w.motivation, 0.0);
  sized(w.reputation, 0.0);
  sized(w.enrolled, char{0});
  sized(w.mapped, char{0});
  sized(w.dev_activated, char{0});
  sized(w.solo_successes, 0);
  sized(w.study_trip_until, -1);
  sized(w.dev_activated_at, -1);
  sized(w.cluster_org, -1);
  sized(w.last_programme_contact, -1);
  w.unmet_needs.assign(n, C);
  w.unmet_needs_next.assign(n, C);
  w.book_ring.assign(static_cast<std::size_t>(n) * 12, 0.0);
  sized(w.income_this_step, 0.0);
  w.adjacency.assign(n, {});
  sized(w.cluster_label, -1);

  initialise_firms(w, population, recruiting);
  load_relations(w, population.relations);

  w.facilitators.assign(variant.facilitators.count, Facilitator{variant.facilitators.competence});
  w.ledger.budget_left = variant.budget_dkk;
  // Envelopes are reserved from the start: the others share what the envelopes leave.
  w.ledger.shared_left = variant.budget_dkk;
  for (const auto& spec : variant.interventions) {
    w.ledger.envelope_left.push_back(spec.budget_dkk ? *spec.budget_dkk
                                                     : std::numeric_limits<double>::infinity());
    if (spec.budget_dkk) w.ledger.shared_left -= *spec.budget_dkk;
  }
  w.ledger.shared_left = std::max(0.0, w.ledger.shared_left);
  initialise_market(w);
  create_legacy_orders(w);
  initialise_encounters(w);
  return w;
}

Simulation::Simulation(const Inputs& inputs, int variant, int replicate, bool detail,
                       const Variant* drawn)
    : inputs_(inputs),
      variant_(variant),
      spec_(drawn ? *drawn : inputs.scenario.variants[variant]),
      world_(build_world(inputs, variant, replicate, drawn)),
      detail_(detail) {
  world_.record_events = detail && inputs.scenario.outputs.events;
  const Variant& v = spec_;
  for (const auto& spec : v.interventions) {
    interventions_.push_back(make_intervention(spec));
    if (interventions_.back()->hooks() & kDetection)
      for (int t = 0; t < inputs.scenario.horizon; ++t)
        if (spec.schedule.active(t)) detection_steps_.push_back(t);
  }
}

// Community detection: every cluster_every steps, always on the last step, and at the end of any
// step before a scheduled step of an intervention with the kDetection hook (cluster_strategy acts
// on the latest detection). `step` is the
// step just completed (-1 for the initial state).
bool Simulation::detection_due(int step) const {
  const int every = static_cast<int>(world_.params->cluster_every);
  if (step < 0 || step == inputs_.scenario.horizon - 1) return true;
  if ((step + 1) % every == 0) return true;
  return std::find(detection_steps_.begin(), detection_steps_.end(), step + 1) !=
         detection_steps_.end();
}

void Simulation::step() {
  World& w = world_;
  const Variant& v = spec_;
  const int t = w.step;
  w.counters = StepCounters{};
  w.ledger.hours_left_this_step = v.facilitators.count * v.facilitators.hours_per_month;
  w.ledger.hours_used_this_step = 0;
  w.ledger.hours_shortfall_this_step = 0;
  std::fill(w.income_this_step.begin(), w.income_this_step.end(), 0.0);
  w.unmet_needs_next.clear();

  // Runs one phase, timing it when asked to (--phase-times).
  int phase_index = 0;
  auto phase = [&](auto&& run) {
    if (!phase_times_) {
      run();
    } else {
      const auto start = std::chrono::steady_clock::now();
      run();
      phase_times_->seconds[phase_index] +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    ++phase_index;
  };

  // 1. Interventions act, in scenario order; the phase 3-11 hooks of those on this step are
  // collected once for the step.
  phase([&] {
    hooks_.clear();
    for (std::size_t i = 0; i < interventions_.size(); ++i) {
      const InterventionSpec& spec = v.interventions[i];
      InterventionContext context(w, spec, static_cast<int>(i),
                                  inputs_.explicit_targets[variant_][i]);
      Intervention& intervention = *interventions_[i];
      const std::uint32_t mask = intervention.hooks();
      if (mask & kEveryStep) intervention.every_step(context);
      if (!spec.schedule.active(t)) continue;
      bool on = true;
      if (mask & kModify) on = intervention.modify(context, t == spec.schedule.first_step());
      if (mask & kAct) intervention.act(context);
      if (on) hooks_.add(intervention);
    }
  });
  // 2. Market: the step's arrivals with their base sets of aware firms, drawn once for all the
  // variants of this replicate when they share a store.  3. Awareness: the boosts.
  // 4-5. Consortium formation and award.
  phase([&] {
    const auto draw = [&](CommonDraws& drawn) {
      draw_arrivals(w, t, drawn);
      draw_base_sets(w, t, drawn);
    };
    if (shared_draws_) {
      market_arrivals(w, shared_draws_->at(t, own_draws_, draw));
    } else {
      draw(own_draws_);
      market_arrivals(w, own_draws_);
    }
  });
  phase([&] { awareness(w, hooks_); });
  phase([&] { consortia_and_award(w, hooks_); });
  // 6. Projects run.  7. Projects end. This month's income then enters the trailing book.
  phase([&] {
    run_projects(w);
    end_projects(w);
    for (int f = 0; f < w.firm_count; ++f) w.book_ring[f * 12 + t % 12] = w.income_this_step[f];
  });
  // 8. Encounters.  9. Triadic closure.  10. Spill-over.  11. Development.
  phase([&] { encounters(w); });
  phase([&] { triadic_closure(w); });
  phase([&] { knowledge_spillover(w); });
  phase([&] { firm_development(w, hooks_); });
  // 12. Growth.  13. Decay.
  phase([&] { growth(w); });
  phase([&] {
    decay(w);
    std::swap(w.unmet_needs, w.unmet_needs_next);
  });
  // 14. Observe.
  phase([&] { observe(w, detection_due(t), row_, detail_ ? &firm_row_ : nullptr); });
  w.step = t + 1;
}

void Simulation::check_finite(int step) const {
  // The firm quantities every later phase divides by, multiplies with or draws from. One that went
  // NaN or infinite is reported the step it happens, before a phase can loop on it (boost's
  // Poisson sampler never returns for a NaN mean). O(firms), small beside a step.
  const World& w = world_;
  const std::pair<const char*, const std::vector<double>*> quantities[] = {
      {"employees", &w.employees},      {"base revenue", &w.base_revenue},
      {"capacity", &w.capacity},        {"load", &w.load},
      {"reputation", &w.reputation},    {"project income", &w.income_this_step},
      {"capabilities", &w.capabilities}};
  for (const auto& [name, values] : quantities) {
    const auto bad =
        std::find_if(values->begin(), values->end(), [](double v) { return !std::isfinite(v); });
    if (bad == values->end()) continue;
    throw ModelError("variant '" + inputs_.scenario.variants[variant_].name + "', replicate " +
                     std::to_string(w.streams.replicate()) + ", step " + std::to_string(step) +
                     ": a firm's " + name +
                     " is not a finite number; the model's state left its valid range (please "
                     "report this with the scenario)");
  }
  for (const Tie& tie : w.ties)
    if (tie.alive && !std::isfinite(tie.trust))
      throw ModelError("variant '" + inputs_.scenario.variants[variant_].name + "', replicate " +
                       std::to_string(w.streams.replicate()) + ", step " + std::to_string(step) +
                       ": a tie's trust is not a finite number (please report this with the "
                       "scenario)");
}

void Simulation::record(ReplicateOutput& out, int row) {
  std::copy(row_.begin(), row_.end(), out.metrics.begin() + static_cast<long>(row) * kMetricCount);
  if (!detail_) return;
  ReplicateOutput slice;
  ReplicateOutput& rows = sink_ ? slice : out;
  if (inputs_.scenario.outputs.firm_trajectories)
    rows.trajectories.insert(rows.trajectories.end(), firm_row_.begin(), firm_row_.end());
  if (inputs_.scenario.outputs.ties)
    for (const Tie& t : world_.ties)
      if (t.alive) rows.ties.push_back({row, t.a, t.b, static_cast<float>(t.trust), t.type()});
  if (!sink_) return;
  slice.variant = out.variant;
  slice.replicate = out.replicate;
  slice.part = ReplicateOutput::Part::step_slice;
  slice.first_step = row;
  slice.slice_steps = 1;
  slice.events = std::move(world_.events);  // those of this step (and, at step 0, before it)
  world_.events.clear();
  sink_(std::move(slice));
}

ReplicateOutput Simulation::run() {
  const int horizon = inputs_.scenario.horizon;
  ReplicateOutput out;
  out.variant = variant_;
  out.replicate = static_cast<int>(world_.streams.replicate());
  out.steps = horizon + 1;
  out.metrics.assign(static_cast<std::size_t>(out.steps) * kMetricCount, 0.0);
  observe(world_, detection_due(-1), row_, detail_ ? &firm_row_ : nullptr);
  record(out, 0);
  while (world_.step < horizon) {
    if (stop_flag_ && stop_flag_->load()) {
      stopped_ = true;
      return out;
    }
    try {
      step();
    } catch (const StopRequested&) {
      stopped_ = true;
      return out;
    }
    check_finite(world_.step - 1);
    record(out, world_.step);
  }
  // Final outcome of every firm (every replicate): revenue, employees, degree, cluster.
  std::vector<float> final_row;
  observe(world_, false, row_, &final_row);
  out.final_firms.assign(final_row.begin(), final_row.end());
  if (sink_ && detail_) {
    out.part = ReplicateOutput::Part::streamed_end;  // the events went with the step slices
  } else {
    out.events = std::move(world_.events);
  }
  return out;
}

}  // namespace klynge
