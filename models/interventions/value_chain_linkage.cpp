// value_chain_linkage (modifier, Genoff's global value chain work): the target firms see export
// opportunities (relevance at least 0.2) with awareness x value_chain_awareness_factor (hook,
// phase 3: a keyed draw of kind 1 per linked firm and export opportunity). The linkage is bought
// once, at the first active step: `fixed_dkk` plus `per_firm_dkk` per enrolled target firm, firms
// paid in firm order as the cash allows (the rest skipped); the paid firms stay linked on every
// step of the window. Each active month also costs `monthly_dkk` and `hours_per_month` (both 0 by
// default).
//
// Decisions: if nothing could be bought (no enrolled target yet, or the fixed part unpaid), the
// purchase is retried at the next active step; a month whose `monthly_dkk` cannot be paid is off
// (intervention_skipped, reason budget). Staff hours never switch it off (shortfall recorded).
#include <algorithm>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct ValueChainLinkageParams : InterventionCosts {  // defaults: declared_params()
  double hours_per_month;
};

const ParamDeclaration<ValueChainLinkageParams>& declared_params() {
  static const ParamDeclaration<ValueChainLinkageParams> declared = [] {
    ParamDeclaration<ValueChainLinkageParams> d(150000, 10000, 0, 0);
    d.real("hours_per_month", &ValueChainLinkageParams::hours_per_month, 0, "hours", 0, 10000,
           "staff hours per active month");
    return d;
  }();
  return declared;
}

constexpr int kLinkDraw = 1;  // AwarenessBoost::draw kind

class ValueChainLinkage final : public Intervention {
 public:
  explicit ValueChainLinkage(const ValueChainLinkageParams& p)
      : Intervention(kModify | kAwareness), p_(p) {}

  bool modify(InterventionContext& ctx, bool /*first*/) override {
    World& w = ctx.world();
    double cash = 0;
    int skipped = 0;
    bool just_bought = false;
    if (!bought_) {
      const std::vector<int> targets = ctx.targets(true);
      const int wanted = static_cast<int>(targets.size());
      if (wanted == 0) {
        ctx.report(0, 0, SkipReason::no_eligible, 0);
        return false;
      }
      const double fixed = p_.fixed_dkk;
      const double per_firm = p_.per_firm_dkk;
      const int n = ctx.affordable_units(fixed + p_.monthly_dkk, per_firm, wanted);
      if (n == 0) {
        ctx.report(0, wanted, SkipReason::budget, 0);
        return false;
      }
      linked_.assign(targets.begin(), targets.begin() + n);
      bought_ = true;
      just_bought = true;
      cash = fixed + per_firm * n;
      skipped = wanted - n;
    }
    const double monthly = p_.monthly_dkk;
    if (ctx.affordable_units(cash + monthly, 0, 1) == 0) {
      ctx.report(0, 1, SkipReason::budget, 0);
      return false;
    }
    if (just_bought)
      for (int f : linked_) w.contact(f);  // programme contact when linked
    cash += monthly;
    ctx.commit_cash(cash);
    const double hours = p_.hours_per_month;
    ctx.use_available_hours(hours);
    ctx.report(static_cast<int>(linked_.size()), skipped, SkipReason::budget, cash);
    return true;
  }

  void boost_awareness(AwarenessBoost& boost) const override {
    if (boost.opportunity().segment != static_cast<int>(Segment::export_)) return;
    const World& w = boost.world();
    const double factor = w.params->value_chain_awareness_factor;
    for (int f : linked_) {
      const double relevance = std::max(w.export_share[f], 0.2);
      if (boost.draw(f, kLinkDraw) < factor * boost.base_chance(relevance)) boost.add(f);
    }
  }

 private:
  ValueChainLinkageParams p_;
  bool bought_ = false;
  std::vector<int> linked_;  // in firm order
};
}  // namespace

const InterventionType& value_chain_linkage_type() {
  static const InterventionType type{
      {"value_chain_linkage", InterventionKind::modifier, "Genoff's global value chain work",
       "targets see export opportunities (relevance at least 0.2) with boosted awareness",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<ValueChainLinkage>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
