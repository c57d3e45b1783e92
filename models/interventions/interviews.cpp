// interviews (action, seed phase 1 "map the firms"): interview up to `firms_per_month` enrolled,
// unmapped target firms in firm order; each costs `per_firm_dkk` and 8 / (0.5 + competence)
// staff hours. An interviewed firm is mapped (the facilitators now estimate its capabilities),
// its motivation rises by `motivation_gain` (cap 1) and its dev opportunities are activated
// (phase 11 development boost; matchmaking needs).
//
// Decision: interviews are whole units paid by both cash and hours; whichever runs out first
// names the reason, and unpaid interviews wait for the next run.
#include <algorithm>
#include <memory>

#include "models/estimates.hpp"
#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct InterviewsParams : InterventionCosts {  // defaults: declared_params()
  int firms_per_month;
  double motivation_gain;
};

const ParamDeclaration<InterviewsParams>& declared_params() {
  static const ParamDeclaration<InterviewsParams> declared = [] {
    ParamDeclaration<InterviewsParams> d(0, 10000, 0, 0);
    d.integer("firms_per_month", &InterviewsParams::firms_per_month, 5, "firms", 0, 1e6,
              "firms interviewed per run");
    d.real("motivation_gain", &InterviewsParams::motivation_gain, 0.1, "1", 0, 1,
           "motivation gain of an interviewed firm");
    return d;
  }();
  return declared;
}

class Interviews final : public Intervention {
 public:
  explicit Interviews(const InterviewsParams& p) : Intervention(kAct), p_(p) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<int> firms;
    for (int f : ctx.targets(true))
      if (!w.mapped[f]) firms.push_back(f);
    const int wanted = std::min(p_.firms_per_month, static_cast<int>(firms.size()));
    const PaidUnits paid =
        ctx.pay_units(wanted, p_.fixed_dkk, p_.per_firm_dkk, 8.0 / (0.5 + programme_competence(w)));
    if (paid.units == 0) return;
    const int n = paid.units;

    const double gain = p_.motivation_gain;
    for (int i = 0; i < n; ++i) {
      const int f = firms[i];
      w.mapped[f] = 1;
      w.dev_activated[f] = 1;
      w.dev_activated_at[f] = w.step;
      w.motivation[f] = std::min(1.0, w.motivation[f] + gain);
      w.contact(f);
    }
    ctx.report(paid);
  }

 private:
  InterviewsParams p_;
};
}  // namespace

const InterventionType& interviews_type() {
  static const InterventionType type{
      {"interviews", InterventionKind::action, "1: map the firms",
       "interview enrolled, unmapped targets: mapped, motivation up, dev opportunities activated; "
       "hours per firm 8 / (0.5 + competence)",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<Interviews>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
