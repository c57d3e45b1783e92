// The context every intervention works through: its keyed draws, its targets, the cash and hours
// ledgers and its events.
//
// Decisions (see docs/model.md, "Interventions"):
// - Cash available (Ledger::available): an intervention with an envelope spends from it (never
//   more than the scenario budget left); one without shares the scenario budget minus all
//   envelopes (ring-fencing, model.md v2.5 decisions). Committing cash lowers the budget, the
//   envelope or the shared remainder, and raises the cumulative cash spent.
// - Unit counts tolerate 1e-6 DKK / hours of rounding so that a budget of exactly n units pays
//   n units after repeated subtractions.
// - report(): the event's `value` is the cash committed by this run, in DKK (units run are
//   ran = requested - units_skipped); `units_skipped` the units the money or hours did not pay.
// - Targets: `enrolled` = the target group (participants); `segment` = participants whose main
//   segment is the named domestic segment (`export`: participants with export_share >= 0.2, the
//   relevance threshold of export opportunities); `firms` = the explicit firms; `top` = the k
//   participants with the largest attribute now (ties: lowest firm index). With enrolled_only,
//   only the enrolled ones among them. Always in firm order.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
constexpr double kTolerance = 1e-6;

// floor((available + tolerance) / per_unit), at most `wanted`, at least 0; +inf pays all.
int units_within(double available, double per_unit, int wanted) {
  if (wanted <= 0) return 0;
  if (per_unit <= 0 || std::isinf(available)) return wanted;
  const double units = std::floor((available + kTolerance) / per_unit);
  if (units <= 0) return 0;
  if (units >= static_cast<double>(wanted)) return wanted;
  return static_cast<int>(units);
}

double attribute(const World& world, const std::string& by, int firm) {
  if (by == "employees") return world.employees[firm];
  if (by == "revenue_mdkk" || by == "revenue") return world.revenue(firm);
  if (by == "export_share") return world.export_share[firm];
  if (by == "willingness") return world.willingness[firm];
  if (by == "ambition") return world.ambition[firm];
  if (by == "absorptive") return world.absorptive[firm];
  throw std::invalid_argument("unknown target attribute '" + by +
                              "'; valid: employees, revenue_mdkk, export_share, willingness, "
                              "ambition, absorptive");
}

int segment_index(const std::string& name) {
  for (int s = 0; s < kSegmentCount; ++s)
    if (name == kSegmentNames[s]) return s;
  throw std::invalid_argument("unknown target segment '" + name +
                              "'; valid: food, energy_environment, other, export");
}
}  // namespace

KeyedRng InterventionContext::rng(std::uint64_t firm) const {
  return world_.streams.rng(Process::intervention, static_cast<std::uint64_t>(world_.step),
                            string_key(spec_.id.c_str()), firm);
}

std::vector<int> InterventionContext::targets(bool enrolled_only) const {
  const World& w = world_;
  std::vector<int> out;
  auto keep = [&](int f) { return !enrolled_only || w.enrolled[f]; };
  switch (spec_.target.kind) {
    case Target::Kind::enrolled:
      for (int f = 0; f < w.firm_count; ++f)
        if (w.participant[f] && keep(f)) out.push_back(f);
      break;
    case Target::Kind::segment: {
      const int segment = segment_index(spec_.target.segment);
      for (int f = 0; f < w.firm_count; ++f) {
        if (!w.participant[f] || !keep(f)) continue;
        const bool in = segment == static_cast<int>(Segment::export_)
                            ? w.export_share[f] >= 0.2
                            : w.main_segment[f] == segment;
        if (in) out.push_back(f);
      }
      break;
    }
    case Target::Kind::firms:
      for (int f : explicit_targets_)
        if (f >= 0 && f < w.firm_count && keep(f)) out.push_back(f);
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      break;
    case Target::Kind::top: {
      std::vector<std::pair<double, int>> ranked;
      for (int f = 0; f < w.firm_count; ++f)
        if (w.participant[f]) ranked.emplace_back(attribute(w, spec_.target.by, f), f);
      std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      const auto k =
          std::min(ranked.size(), static_cast<std::size_t>(std::max(0, spec_.target.top_k)));
      for (std::size_t i = 0; i < k; ++i)
        if (keep(ranked[i].second)) out.push_back(ranked[i].second);
      std::sort(out.begin(), out.end());
      break;
    }
  }
  return out;
}

double InterventionContext::cash_available() const {
  return world_.ledger.available(index_);
}

int InterventionContext::affordable_units(double fixed_dkk, double per_unit_dkk, int wanted) const {
  const double cash = cash_available();
  if (wanted <= 0 || cash + kTolerance < fixed_dkk) return 0;
  return units_within(cash - fixed_dkk, per_unit_dkk, wanted);
}

void InterventionContext::commit_cash(double dkk) {
  world_.ledger.commit(index_, dkk);
}

int InterventionContext::affordable_hour_units(double hours_per_unit, int wanted) const {
  return units_within(std::max(0.0, world_.ledger.hours_left_this_step), hours_per_unit, wanted);
}

void InterventionContext::use_hours(double hours) {
  if (hours <= 0) return;
  world_.ledger.hours_left_this_step -= hours;
  world_.ledger.hours_used_this_step += hours;
  world_.ledger.staff_hours_used_total += hours;
}

void InterventionContext::hours_shortfall(double hours) {
  if (hours <= 0) return;
  world_.ledger.hours_shortfall_this_step += hours;
}

void InterventionContext::report(int ran, int skipped, SkipReason reason, double cash_dkk) {
  Event e;
  e.step = world_.step;
  e.type = skipped == 0 && ran > 0 ? EventType::intervention_ran
           : ran > 0               ? EventType::intervention_partial
                                   : EventType::intervention_skipped;
  e.intervention = index_;
  e.value = cash_dkk;
  e.units_skipped = skipped;
  e.reason = static_cast<std::uint8_t>(ran > 0 && skipped == 0 ? SkipReason::none : reason);
  world_.emit(e);
}

std::optional<double> InterventionContext::pay_month(const InterventionCosts& costs,
                                                     bool& fixed_paid) {
  const double cash = costs.monthly_dkk + (fixed_paid ? 0.0 : costs.fixed_dkk);
  if (affordable_units(cash, 0, 1) == 0) {
    report(0, 1, SkipReason::budget, 0);
    return std::nullopt;
  }
  commit_cash(cash);
  fixed_paid = true;
  return cash;
}

void InterventionContext::use_available_hours(double hours) {
  const double used = std::min(hours, std::max(0.0, world_.ledger.hours_left_this_step));
  use_hours(used);
  hours_shortfall(hours - used);
}

PaidUnits InterventionContext::pay_units(int wanted, double fixed_dkk, double per_unit_dkk,
                                         double hours_per_unit) {
  PaidUnits paid;
  paid.wanted = wanted;
  if (wanted == 0) {
    report(0, 0, SkipReason::no_eligible, 0);
    return paid;
  }
  const int by_cash = affordable_units(fixed_dkk, per_unit_dkk, wanted);
  const int by_hours = affordable_hour_units(hours_per_unit, wanted);
  paid.units = std::min(by_cash, by_hours);
  paid.reason = by_cash <= by_hours ? SkipReason::budget : SkipReason::staff_hours;
  if (by_hours < by_cash) hours_shortfall((by_cash - by_hours) * hours_per_unit);
  if (paid.units == 0) {
    report(0, wanted, paid.reason, 0);
    return paid;
  }
  paid.cash_dkk = fixed_dkk + per_unit_dkk * paid.units;
  commit_cash(paid.cash_dkk);
  use_hours(hours_per_unit * paid.units);
  return paid;
}

PaidUnits InterventionContext::pay_event(int wanted, double fixed_dkk, double per_unit_dkk,
                                         double hours) {
  // No hours per unit: only the cash limits the units; the event's hours come after.
  const PaidUnits paid = pay_units(wanted, fixed_dkk, per_unit_dkk, 0.0);
  if (paid.units > 0) use_available_hours(hours);
  return paid;
}

PaidUnits InterventionContext::pay_event(std::vector<int>& invited, double fixed_dkk,
                                         double per_unit_dkk, double hours) {
  const PaidUnits paid =
      pay_event(static_cast<int>(invited.size()), fixed_dkk, per_unit_dkk, hours);
  invited.resize(static_cast<std::size_t>(paid.units));
  return paid;
}

}  // namespace klynge
