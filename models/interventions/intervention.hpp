#pragma once
// The interventions (development activities) as registered components. Each type lives in its
// own file in this folder and is listed once in registry.cpp. An intervention is built per
// (variant, replicate) from its resolved InterventionSpec and implements only the hooks it needs,
// declared in its mask (hooks()), the way a LAMMPS fix declares the integrator points it uses.
// The step loop calls each hook at its documented point (docs/architecture.md, "Interventions as
// hooks"):
//   phase 1  every_step()  every step (upkeep), then on the steps of its schedule
//            modify()      modifiers: pays the month; returns whether its effects are on
//            act()         actions
//   phase 3  prepare_awareness() once per step, boost_awareness() per opportunity
//   phase 4  partner_candidates() per would-be lead; lowers_bid_threshold() per bid
//   phase 5  on_award() per won bid
//   phase 11 development_boost() once per step
//   (kDetection: community detection runs at the end of the step before each scheduled step.)
// The phase 3-11 hooks of an intervention run on the steps its schedule is active and, for a
// modifier, modify() returned true; the step loop collects them once per step (PhaseHooks), so a
// mechanism never scans interventions per firm. Phase 1 hooks touch only what the
// InterventionContext lends them: the World, their own keyed draws, the cash and hours ledgers,
// and the event sink.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/intervention_types.hpp"
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

// The cost keys every intervention accepts (its type declares their defaults), in DKK.
struct InterventionCosts {
  double fixed_dkk = 0;        // per run of an action; once at the start of a modifier's window
  double per_firm_dkk = 0;     // per firm reached, once per run
  double monthly_dkk = 0;      // per active month of a modifier
  double per_cluster_dkk = 0;  // per cluster organised
};

// An intervention type's parameters, declared once: key, the member of its typed parameter struct
// P (derived from InterventionCosts), default, unit, valid range and help. The declaration gives
// the type spec its rows (the parser's keys and validation, the resolved scenario, provenance,
// docs/scenario-keys.md) and reads a resolved spec into a P once, when the intervention is built:
// nothing is looked up by key while it runs.
template <class P>
class ParamDeclaration {
 public:
  // The cost keys come first, with this type's defaults.
  ParamDeclaration(double fixed_dkk, double per_firm_dkk, double monthly_dkk,
                   double per_cluster_dkk) {
    constexpr double kBig = 1e12;
    real("fixed_dkk", &P::fixed_dkk, fixed_dkk, "DKK", 0, kBig,
         "cash per run of an action; once at the start of a modifier's window");
    real("per_firm_dkk", &P::per_firm_dkk, per_firm_dkk, "DKK", 0, kBig,
         "cash per firm reached, once per run");
    real("monthly_dkk", &P::monthly_dkk, monthly_dkk, "DKK", 0, kBig,
         "cash per active month of a modifier");
    real("per_cluster_dkk", &P::per_cluster_dkk, per_cluster_dkk, "DKK", 0, kBig,
         "cash per cluster organised");
  }
  ParamDeclaration& real(const char* key, double P::*member, double default_value, const char* unit,
                         double min, double max, const char* help) {
    rows_.push_back({key, default_value, unit, min, max, false, help});
    bindings_.push_back({member, nullptr});
    return *this;
  }
  ParamDeclaration& integer(const char* key, int P::*member, int default_value, const char* unit,
                            double min, double max, const char* help) {
    rows_.push_back({key, static_cast<double>(default_value), unit, min, max, true, help});
    bindings_.push_back({nullptr, member});
    return *this;
  }
  const std::vector<InterventionParamSpec>& rows() const { return rows_; }
  // The resolved spec holds every declared key (the loader fills in the defaults).
  P read(const InterventionSpec& spec) const {
    P p{};
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const double value = spec.param(rows_[i].key);
      if (bindings_[i].real) p.*bindings_[i].real = value;
      if (bindings_[i].integer) p.*bindings_[i].integer = static_cast<int>(value);
    }
    return p;
  }

 private:
  struct Binding {
    double P::*real;
    int P::*integer;
  };
  std::vector<InterventionParamSpec> rows_;
  std::vector<Binding> bindings_;
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
  // A modifier's month: pays costs.monthly_dkk (+ costs.fixed_dkk until it has once been paid,
  // tracked in `fixed_paid`). Returns the cash committed, or nothing (after reporting the skip)
  // when the cash cannot pay it.
  std::optional<double> pay_month(const InterventionCosts& costs, bool& fixed_paid);
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

  // An event of fixed hours (a meeting, a trip, a training): pay_units() for `wanted` units
  // (attendees) at fixed_dkk + per_unit_dkk each with no hours per unit, then, when it takes
  // place (units > 0), its `hours`, which never cancel it (use_available_hours). Units 0: it does
  // not take place and the skip is reported; otherwise call report(paid) after the work.
  PaidUnits pay_event(int wanted, double fixed_dkk, double per_unit_dkk, double hours);
  // The same for the firms `invited`, in the order given, which it trims to those paid for: the
  // invite/pay/trim prologue of network_meeting and study_trip.
  PaidUnits pay_event(std::vector<int>& invited, double fixed_dkk, double per_unit_dkk,
                      double hours);

 private:
  World& world_;
  const InterventionSpec& spec_;
  int index_;
  const std::vector<int>& explicit_targets_;
};

// The hooks, as bits of Intervention::hooks().
enum Hook : std::uint32_t {
  kEveryStep = 1u << 0,
  kModify = 1u << 1,
  kAct = 1u << 2,
  kAwareness = 1u << 3,
  kPartners = 1u << 4,
  kBidThreshold = 1u << 5,
  kAward = 1u << 6,
  kDevelopment = 1u << 7,
  kDetection = 1u << 8,
};

// Phase 3: one opportunity's awareness, lent to boost_awareness() (possibly from several
// threads at once, one opportunity each).
class AwarenessBoost {
 public:
  AwarenessBoost(const World& world, Opportunity& opportunity, double competence,
                 std::uint64_t boost_base)
      : world_(world), opportunity_(opportunity), competence_(competence), boost_base_(boost_base) {
    total_ = world.relevance_cumulative[opportunity.segment].total();
  }
  const World& world() const { return world_; }
  const Opportunity& opportunity() const { return opportunity_; }
  double competence() const { return competence_; }
  // The chance a firm of this relevance is in the base set: min(1, aware_mean x relevance /
  // total relevance of the segment).
  double base_chance(double relevance) const {
    return total_ > 0 ? std::min(1.0, world_.params->aware_mean * relevance / total_) : 0.0;
  }
  // One independent uniform per (opportunity, firm, kind of boost). Kinds: 0 cluster
  // organisations (the mechanism's own), 1 value_chain_linkage, 2 opportunity_scan, 3 free.
  double draw(int firm, int kind) const {
    return mix_uniform(boost_base_, static_cast<std::uint64_t>(firm) * 4 + kind);
  }
  void add(int firm) {
    auto& aware = opportunity_.aware;
    if (std::find(aware.begin(), aware.end(), firm) == aware.end()) aware.push_back(firm);
  }

 private:
  const World& world_;
  Opportunity& opportunity_;
  double competence_;
  std::uint64_t boost_base_;
  double total_ = 0;
};

class Intervention {
 public:
  explicit Intervention(std::uint32_t hooks) : hooks_(hooks) {}
  virtual ~Intervention() = default;
  // The hooks it implements (Hook bits): only these are ever called.
  std::uint32_t hooks() const { return hooks_; }
  bool is_action() const { return (hooks_ & kAct) != 0; }
  bool is_modifier() const { return (hooks_ & kModify) != 0; }

  // Phase 1. Every step, scheduled or not, before act()/modify(): upkeep of what earlier runs set
  // up (cluster_strategy pays its organisations' monthly funding here).
  virtual void every_step(InterventionContext&) {}
  // Modifiers: every step of the window (schedule window or `at` steps). `first` is true on the
  // first active step (one-off costs). Returns whether its phase 3-11 hooks are on this step
  // (false: the month could not be paid).
  virtual bool modify(InterventionContext&, bool /*first*/) { return true; }
  // Actions: the steps the schedule names.
  virtual void act(InterventionContext&) {}

  // Phase 3: once per step before the opportunities (sequential), then per opportunity (const:
  // opportunities may be handled in parallel).
  virtual void prepare_awareness(const World&, double /*competence*/) {}
  virtual void boost_awareness(AwarenessBoost&) const {}
  // Phase 4 preparation (const, parallel): extra partner candidates of `lead` as (firm, effective
  // trust); the mechanism keeps those that add coverage.
  virtual void partner_candidates(const World&, int /*lead*/,
                                  std::vector<std::pair<int, double>>& /*offers*/) const {}
  // Phase 4: true when this team bids from bid_min_coverage_joint instead of bid_min_coverage.
  virtual bool lowers_bid_threshold(const World&, const std::vector<int>& /*members*/) const {
    return false;
  }
  // Phase 5: a bid won; the project is about to start (e.g. set `subsidised` and pay for it).
  virtual void on_award(World&, Project&) {}
  // Phase 11: marks the firms whose development gets development_boost_joint this step.
  virtual void development_boost(const World&, std::vector<char>& /*boosted*/) const {}

 private:
  std::uint32_t hooks_;
};

// The phase 3-11 hooks on in the current step, in scenario order (collected once per step).
struct PhaseHooks {
  std::vector<Intervention*> awareness, partners, bid_threshold, award, development;
  void clear() {
    awareness.clear();
    partners.clear();
    bid_threshold.clear();
    award.clear();
    development.clear();
  }
  void add(Intervention& intervention) {
    const std::uint32_t h = intervention.hooks();
    if (h & kAwareness) awareness.push_back(&intervention);
    if (h & kPartners) partners.push_back(&intervention);
    if (h & kBidThreshold) bid_threshold.push_back(&intervention);
    if (h & kAward) award.push_back(&intervention);
    if (h & kDevelopment) development.push_back(&intervention);
  }
  // No intervention on (the mechanisms' default).
  static const PhaseHooks& none() {
    static const PhaseHooks empty;
    return empty;
  }
};

using InterventionFactory = std::unique_ptr<Intervention> (*)(const InterventionSpec&);

// A registered intervention type: its spec (name, kind, parameters from its ParamDeclaration,
// help) and how to build one from a resolved InterventionSpec. Each type's file defines one,
// returned by `const InterventionType& TYPE_type()`.
struct InterventionType {
  InterventionTypeSpec spec;
  InterventionFactory make;
};

// The registered types (registry.cpp: one line per type), in the key reference's order; also
// what intervention_type_table() / find_intervention_type() (sim/core/intervention_types.hpp)
// return the specs of.
const std::vector<const InterventionType*>& intervention_registry();
std::unique_ptr<Intervention> make_intervention(const InterventionSpec& spec);

// Registers an extra type for as long as it lives (a test's own intervention); the type must
// outlive it. Not thread-safe: register before loading or running a scenario.
class ScopedInterventionType {
 public:
  explicit ScopedInterventionType(const InterventionType& type);
  ~ScopedInterventionType();
  ScopedInterventionType(const ScopedInterventionType&) = delete;
  ScopedInterventionType& operator=(const ScopedInterventionType&) = delete;

 private:
  const InterventionType* type_;
};

}  // namespace klynge
