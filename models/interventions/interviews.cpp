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
class Interviews final : public Intervention {
 public:
  Interviews() : Intervention(kAct) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<int> firms;
    for (int f : ctx.targets(true))
      if (!w.mapped[f]) firms.push_back(f);
    const int wanted =
        std::min(static_cast<int>(ctx.param("firms_per_month")), static_cast<int>(firms.size()));
    const PaidUnits paid = ctx.pay_units(wanted, ctx.param("fixed_dkk"), ctx.param("per_firm_dkk"),
                                         8.0 / (0.5 + programme_competence(w)));
    if (paid.units == 0) return;
    const int n = paid.units;

    const double gain = ctx.param("motivation_gain");
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
};
}  // namespace

std::unique_ptr<Intervention> make_interviews(const InterventionSpec&) {
  return std::make_unique<Interviews>();
}

}  // namespace klynge
