// opportunity_scan (modifier, seed phase 2 "identify business opportunities"): on every active
// month the facilitators scan the market for the mapped firms among its enrolled targets (phase 3
// reads World::modifiers.opportunity_scan and scan_min_coverage). Each month costs `monthly_dkk`
// plus, once, `fixed_dkk`, and `hours_per_month` staff hours.
//
// Decisions: the month's cash gates the scan (unpaid: the scan is off this month, an
// intervention_skipped event with reason budget); the fixed part is charged with the first month
// that is paid. Staff hours do not switch it off: the hours left are used and the rest is
// recorded as a shortfall.
#include <algorithm>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
class OpportunityScan final : public Intervention {
 public:
  bool is_action() const override { return false; }
  bool is_modifier() const override { return true; }

  void modify(InterventionContext& ctx, bool /*first*/) override {
    World& w = ctx.world();
    const std::optional<double> cash = ctx.pay_month(fixed_paid_);
    if (!cash) return;
    const double hours = ctx.param("hours_per_month");
    ctx.use_available_hours(hours);
    w.modifiers.opportunity_scan = true;
    w.modifiers.scan_target.assign(static_cast<std::size_t>(w.firm_count), 0);
    for (int f : ctx.targets(true)) w.modifiers.scan_target[static_cast<std::size_t>(f)] = 1;
    w.modifiers.scan_min_coverage = w.params->scan_min_coverage;
    ctx.report(1, 0, SkipReason::none, *cash);
  }

 private:
  bool fixed_paid_ = false;
};
}  // namespace

std::unique_ptr<Intervention> make_opportunity_scan(const InterventionSpec&) {
  return std::make_unique<OpportunityScan>();
}

}  // namespace klynge
