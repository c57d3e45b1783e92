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
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct StaffTrainingParams : InterventionCosts {  // defaults: declared_params()
  double competence_gain;
  double competence_cap;
  double hours_per_facilitator;
};

const ParamDeclaration<StaffTrainingParams>& declared_params() {
  static const ParamDeclaration<StaffTrainingParams> declared = [] {
    ParamDeclaration<StaffTrainingParams> d(60000, 0, 0, 0);
    d.real("competence_gain", &StaffTrainingParams::competence_gain, 0.1, "1", 0, 1,
           "competence gain per training");
    d.real("competence_cap", &StaffTrainingParams::competence_cap, 0.95, "1", 0, 1,
           "highest competence");
    d.real("hours_per_facilitator", &StaffTrainingParams::hours_per_facilitator, 16, "hours", 0,
           1000, "staff hours per facilitator");
    return d;
  }();
  return declared;
}

class StaffTraining final : public Intervention {
 public:
  explicit StaffTraining(const StaffTrainingParams& p) : Intervention(kAct), p_(p) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    const int staff = static_cast<int>(w.facilitators.size());
    // One unit (the training, all facilitators or none); without staff there is none to train.
    const PaidUnits paid = ctx.pay_event(staff > 0 ? 1 : 0, p_.fixed_dkk + p_.per_firm_dkk * staff,
                                         0.0, p_.hours_per_facilitator * staff);
    if (paid.units == 0) return;
    const double gain = p_.competence_gain;
    const double cap = p_.competence_cap;
    for (auto& f : w.facilitators)
      f.competence = std::max(f.competence, std::min(cap, f.competence + gain));
    ctx.report(paid);
  }

 private:
  StaffTrainingParams p_;
};
}  // namespace

const InterventionType& staff_training_type() {
  static const InterventionType type{
      {"staff_training", InterventionKind::action, "goal: staff cluster competences",
       "raises facilitator competence", declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<StaffTraining>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
