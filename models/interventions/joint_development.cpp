// joint_development (modifier, seed phase 3 "development activities"): while on, consortia with
// at least two enrolled members among its targets bid from a lower coverage threshold (phase 4),
// projects carry the `subsidised` success term (phase 7), and members of a running consortium
// with >= 2 such members develop faster (phase 11); the subsidy is committed at award through
// commit_joint_subsidy().
//
// Decisions: like every modifier it pays `monthly_dkk` per active month and `fixed_dkk` once
// (both 0 by default); a month it cannot pay, it is off (intervention_skipped, reason budget).
// The subsidy draws on this intervention's envelope and the scenario budget.
#include "models/interventions/joint_development.hpp"

#include <algorithm>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
constexpr double kTolerance = 1e-6;

class JointDevelopment final : public Intervention {
 public:
  bool is_action() const override { return false; }
  bool is_modifier() const override { return true; }

  void modify(InterventionContext& ctx, bool /*first*/) override {
    World& w = ctx.world();
    const std::optional<double> cash = ctx.pay_month(fixed_paid_);
    if (!cash) return;
    w.modifiers.joint_development = true;
    w.modifiers.subsidy_share = ctx.param("subsidy_share");
    w.modifiers.development_cost_share = ctx.param("development_cost_share");
    w.modifiers.max_subsidy_dkk = ctx.param("max_subsidy_dkk");
    w.modifiers.joint_development_intervention = ctx.index();
    w.modifiers.joint_target.assign(static_cast<std::size_t>(w.firm_count), 0);
    for (int f : ctx.targets(true)) w.modifiers.joint_target[static_cast<std::size_t>(f)] = 1;
    ctx.report(1, 0, SkipReason::none, *cash);
  }

 private:
  bool fixed_paid_ = false;
};
}  // namespace

int joint_members(const World& world, const std::vector<int>& members) {
  const auto& target = world.modifiers.joint_target;
  int n = 0;
  for (int m : members)
    n += world.enrolled[m] && static_cast<std::size_t>(m) < target.size() && target[m] ? 1 : 0;
  return n;
}

bool joint_consortium(const World& world, const std::vector<int>& members) {
  return world.modifiers.joint_development && members.size() >= 2 &&
         joint_members(world, members) >= 2;
}

bool commit_joint_subsidy(World& world, double won_value_mdkk) {
  const ActiveModifiers& m = world.modifiers;
  const int index = m.joint_development_intervention;
  if (!m.joint_development || index < 0) return false;
  const double amount = std::min(m.subsidy_share * m.development_cost_share * won_value_mdkk * 1e6,
                                 m.max_subsidy_dkk);
  Ledger& ledger = world.ledger;
  Event e;
  e.step = world.step;
  e.intervention = index;
  if (amount > ledger.available(index) + kTolerance) {
    e.type = EventType::intervention_skipped;
    e.units_skipped = 1;
    e.reason = static_cast<std::uint8_t>(SkipReason::budget);
    world.emit(e);
    return false;
  }
  ledger.commit(index, amount);
  e.type = EventType::intervention_ran;
  e.value = amount;
  world.emit(e);
  return true;
}

std::unique_ptr<Intervention> make_joint_development(const InterventionSpec&) {
  return std::make_unique<JointDevelopment>();
}

}  // namespace klynge
