// staff_training (action, the programme's goal "staff cluster competences"): every facilitator's
// competence rises by `competence_gain`, capped at `competence_cap`; a training costs
// `fixed_dkk` (plus `per_firm_dkk`, default 0, per facilitator) and `hours_per_facilitator` staff
// hours for each facilitator.
//
// Decisions: one training is one unit; unpaid, it does not take place (intervention_skipped,
// reason budget). Staff hours do not cancel it: the hours left are used and the rest is recorded
// as a shortfall. A competence already above the cap is left as it is.
#include <algorithm>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
class StaffTraining final : public Intervention {
 public:
  StaffTraining() : Intervention(kAct) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    const int staff = static_cast<int>(w.facilitators.size());
    if (staff == 0) {
      ctx.report(0, 0, SkipReason::no_eligible, 0);
      return;
    }
    const double cash = ctx.param("fixed_dkk") + ctx.param("per_firm_dkk") * staff;
    if (ctx.affordable_units(cash, 0, 1) == 0) {
      ctx.report(0, 1, SkipReason::budget, 0);
      return;
    }
    ctx.commit_cash(cash);
    const double hours = ctx.param("hours_per_facilitator") * staff;
    ctx.use_available_hours(hours);
    const double gain = ctx.param("competence_gain");
    const double cap = ctx.param("competence_cap");
    for (auto& f : w.facilitators)
      f.competence = std::max(f.competence, std::min(cap, f.competence + gain));
    ctx.report(1, 0, SkipReason::none, cash);
  }
};
}  // namespace

std::unique_ptr<Intervention> make_staff_training(const InterventionSpec&) {
  return std::make_unique<StaffTraining>();
}

}  // namespace klynge
