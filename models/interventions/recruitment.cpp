// recruitment (action, seed phase "the business service selects and motivates firms"):
// contact up to `firms_per_month` unenrolled target firms, in the order of a keyed uniform per
// firm; each contact costs `per_firm_dkk` and `hours_per_firm` staff hours and enrols the firm
// with probability willingness x (0.5 + 0.5 x competence).
//
// Decisions: contacts are whole units paid by both cash and hours (whichever runs out first
// names the reason); an enrolled firm's motivation is raised to at least its initial level
// (initial_motivation, models/initial_state.cpp; matters only for a firm re-recruited after it
// dropped out).
#include <algorithm>
#include <memory>

#include "models/estimates.hpp"
#include "models/interventions/intervention.hpp"
#include "models/mechanisms.hpp"

namespace klynge {
namespace {
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct RecruitmentParams : InterventionCosts {  // defaults: declared_params()
  int firms_per_month;
  double hours_per_firm;
};

const ParamDeclaration<RecruitmentParams>& declared_params() {
  static const ParamDeclaration<RecruitmentParams> declared = [] {
    ParamDeclaration<RecruitmentParams> d(0, 2000, 0, 0);
    d.integer("firms_per_month", &RecruitmentParams::firms_per_month, 5, "firms", 0, 1e6,
              "firms contacted per run");
    d.real("hours_per_firm", &RecruitmentParams::hours_per_firm, 3, "hours", 0, 1000,
           "staff hours per contact");
    return d;
  }();
  return declared;
}

constexpr std::uint64_t kOrderDraw = 0;
constexpr std::uint64_t kEnrolDraw = 1;

class Recruitment final : public Intervention {
 public:
  explicit Recruitment(const RecruitmentParams& p) : Intervention(kAct), p_(p) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<std::pair<double, int>> order;
    for (int f : ctx.targets(false))
      if (!w.enrolled[f]) order.emplace_back(ctx.rng(f, kOrderDraw).uniform(), f);
    std::sort(order.begin(), order.end());

    const int wanted = std::min(p_.firms_per_month, static_cast<int>(order.size()));
    const PaidUnits paid = ctx.pay_units(wanted, p_.fixed_dkk, p_.per_firm_dkk, p_.hours_per_firm);
    if (paid.units == 0) return;
    const int n = paid.units;

    const double competence = programme_competence(w);
    for (int i = 0; i < n; ++i) {
      const int f = order[i].second;
      w.contact(f);
      const double p = w.willingness[f] * (0.5 + 0.5 * competence);
      if (ctx.rng(f, kEnrolDraw).bernoulli(p)) {
        w.enrolled[f] = 1;
        w.motivation[f] = std::max(w.motivation[f], initial_motivation(w.willingness[f]));
        w.emit({w.step, EventType::firm_enrolled, f, -1, ctx.index(), w.motivation[f], 0, 0});
      }
    }
    ctx.report(paid);
  }

 private:
  RecruitmentParams p_;
};
}  // namespace

const InterventionType& recruitment_type() {
  static const InterventionType type{
      {"recruitment", InterventionKind::action, "business service selects and motivates firms",
       "contact unenrolled target firms; each enrols with probability willingness x (0.5 + 0.5 x "
       "competence)",
       declared_params().rows(), true},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<Recruitment>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
