#pragma once
// The interventions (development activities) as registered components. Each type lives in its
// own file in this folder and is listed once in registry.cpp. An intervention is built per
// (variant, replicate) from its resolved InterventionSpec and is called at phase 1 of the step:
//   act()    on the steps its schedule names (actions),
//   modify() on every step of its window (modifiers switch effects on in World::modifiers).
// It touches only what the InterventionContext lends it: the World, its own keyed draws, the
// cash and hours ledgers, and the event sink.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/world.hpp"

namespace klynge {

enum class SkipReason : std::uint8_t { none = 0, budget = 1, staff_hours = 2, no_eligible = 3 };

// What pay_units() paid for: `units` of `wanted`; `reason` says what stopped the rest.
struct PaidUnits {
  int units = 0;
  int wanted = 0;
  SkipReason reason = SkipReason::none;
  double cash_dkk = 0;
};

class InterventionContext {
 public:
  InterventionContext(World& world, const InterventionSpec& spec, int index,
                      const std::vector<int>& explicit_targets)
      : world_(world), spec_(spec), index_(index), explicit_targets_(explicit_targets) {}

  World& world() { return world_; }
  const InterventionSpec& spec() const { return spec_; }
  int index() const { return index_; }
  int step() const { return world_.step; }
  double param(const char* key) const { return spec_.param(key); }

  // Keyed draws of this intervention: (step, id, firm). Distinct ids never share draws.
  KeyedRng rng(std::uint64_t firm = 0) const;
  // One stream per (firm, purpose), so an intervention's purposes (order, acceptance, ...) never
  // share draws.
  KeyedRng rng(int firm, std::uint64_t purpose) const {
    return rng(static_cast<std::uint64_t>(firm) | (purpose << 32));
  }

  // Firms this intervention reaches, in firm order: enrolled target firms by default; or the
  // target group restricted by segment / explicit firms / top-k (enrolled ones only when
  // `enrolled_only`).
  std::vector<int> targets(bool enrolled_only = true) const;

  // Cash: what the envelope and the scenario budget can still pay.
  double cash_available() const;
  // How many units (firms, introductions, clusters) the cash pays after `fixed_dkk` (0 when the
  // fixed part cannot be paid), at most `wanted`.
  int affordable_units(double fixed_dkk, double per_unit_dkk, int wanted) const;
  void commit_cash(double dkk);
  // Staff hours: how many units of `hours_per_unit` this step's remaining hours pay.
  int affordable_hour_units(double hours_per_unit, int wanted) const;
  void use_hours(double hours);
  // Records work the hours could not pay (staff_hours_shortfall).
  void hours_shortfall(double hours);
  // A modifier's month: pays monthly_dkk (+ fixed_dkk until it has once been paid, tracked in
  // `fixed_paid`). Returns the cash committed, or nothing (after reporting the skip) when the
  // cash cannot pay it.
  std::optional<double> pay_month(bool& fixed_paid);
  // Fixed-hour work (a meeting, a trip, a training, a month of scanning) runs anyway: uses the
  // hours left this step and records the rest as a shortfall.
  void use_available_hours(double hours);

  // The event saying what ran: `ran` units run, `skipped` units not paid, and why.
  void report(int ran, int skipped, SkipReason reason, double cash_dkk);

  // Per-unit work (firms, introductions, clusters): pays for as many of `wanted` units as both
  // the cash (fixed_dkk + per_unit_dkk each) and the staff hours (hours_per_unit each) allow,
  // whichever binds first naming the reason, and commits it. Hours the unpaid units needed are
  // recorded as a shortfall when hours bind. When nothing is paid (or nothing was wanted) it
  // reports the skip itself and returns units == 0; otherwise call report(paid) after the work.
  PaidUnits pay_units(int wanted, double fixed_dkk, double per_unit_dkk, double hours_per_unit);
  void report(const PaidUnits& paid) {
    report(paid.units, paid.wanted - paid.units, paid.reason, paid.cash_dkk);
  }

 private:
  World& world_;
  const InterventionSpec& spec_;
  int index_;
  const std::vector<int>& explicit_targets_;
};

class Intervention {
 public:
  virtual ~Intervention() = default;
  // Actions: the steps the schedule names.
  virtual void act(InterventionContext&) {}
  // Modifiers: every step of the window (schedule window or `at` steps). `first` is true on the
  // first active step (one-off costs).
  virtual void modify(InterventionContext&, bool /*first*/) {}
  // Every step, scheduled or not, before act()/modify(): upkeep of what earlier runs set up
  // (cluster_strategy pays its organisations' monthly funding here).
  virtual void every_step(InterventionContext&) {}
  virtual bool is_action() const = 0;
  virtual bool is_modifier() const = 0;
};

using InterventionFactory = std::unique_ptr<Intervention> (*)(const InterventionSpec&);

struct InterventionRegistration {
  const char* type;
  InterventionFactory make;
};

// The one registration table (registry.cpp). Must list exactly intervention_type_table()'s types.
const std::vector<InterventionRegistration>& intervention_registry();
std::unique_ptr<Intervention> make_intervention(const InterventionSpec& spec);

}  // namespace klynge
