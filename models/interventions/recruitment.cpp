// recruitment (action, seed phase "the business service selects and motivates firms"):
// contact up to `firms_per_month` unenrolled target firms, in the order of a keyed uniform per
// firm; each contact costs `per_firm_dkk` and `hours_per_firm` staff hours and enrols the firm
// with probability willingness x (0.5 + 0.5 x competence).
//
// Decisions: contacts are whole units paid by both cash and hours (whichever runs out first
// names the reason); an enrolled firm's motivation is raised to at least its initial level
// 0.3 + 0.7 x willingness (matters only for a firm re-recruited after it dropped out).
#include <algorithm>
#include <memory>

#include "models/estimates.hpp"
#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
constexpr std::uint64_t kOrderDraw = 0;
constexpr std::uint64_t kEnrolDraw = 1;

class Recruitment final : public Intervention {
 public:
  Recruitment() : Intervention(kAct) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<std::pair<double, int>> order;
    for (int f : ctx.targets(false))
      if (!w.enrolled[f]) order.emplace_back(ctx.rng(f, kOrderDraw).uniform(), f);
    std::sort(order.begin(), order.end());

    const int wanted =
        std::min(static_cast<int>(ctx.param("firms_per_month")), static_cast<int>(order.size()));
    const PaidUnits paid = ctx.pay_units(wanted, ctx.param("fixed_dkk"), ctx.param("per_firm_dkk"),
                                         ctx.param("hours_per_firm"));
    if (paid.units == 0) return;
    const int n = paid.units;

    const double competence = programme_competence(w);
    for (int i = 0; i < n; ++i) {
      const int f = order[i].second;
      w.contact(f);
      const double p = w.willingness[f] * (0.5 + 0.5 * competence);
      if (ctx.rng(f, kEnrolDraw).bernoulli(p)) {
        w.enrolled[f] = 1;
        w.motivation[f] = std::max(w.motivation[f], 0.3 + 0.7 * w.willingness[f]);
        w.emit({w.step, EventType::firm_enrolled, f, -1, ctx.index(), w.motivation[f], 0, 0});
      }
    }
    ctx.report(paid);
  }
};
}  // namespace

std::unique_ptr<Intervention> make_recruitment(const InterventionSpec&) {
  return std::make_unique<Recruitment>();
}

}  // namespace klynge
