// joint_development (modifier, seed phase 3 "development activities"): while on, consortia with
// at least two enrolled members among its targets ("joint consortia") get, through its hooks:
//   phase 4  a lower coverage threshold to bid (bid_min_coverage_joint);
//   phase 5  at award, the subsidy min(subsidy_share x development_cost_share x won value,
//            max_subsidy_dkk) DKK from this intervention's envelope and the scenario budget; a
//            paid subsidy makes the project `subsidised` (the phase 7 success term) and is an
//            intervention_ran event whose value is the DKK committed; one the money left cannot
//            pay leaves it unsubsidised (intervention_skipped, reason budget);
//   phase 11 a development boost for the members of its running joint consortia.
//
// Decisions: like every modifier it pays `monthly_dkk` per active month and `fixed_dkk` once
// (both 0 by default); a month it cannot pay, it is off (intervention_skipped, reason budget).
// With two joint developments on in the same month, a consortium either supports bids from the
// lower threshold, and the first in scenario order that supports a won bid and can pay
// subsidises it.
#include <algorithm>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
constexpr double kBig = 1e12;
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct JointDevelopmentParams : InterventionCosts {  // defaults: declared_params()
  double subsidy_share;
  double development_cost_share;
  double max_subsidy_dkk;
};

const ParamDeclaration<JointDevelopmentParams>& declared_params() {
  static const ParamDeclaration<JointDevelopmentParams> declared = [] {
    ParamDeclaration<JointDevelopmentParams> d(0, 0, 0, 0);
    d.real("subsidy_share", &JointDevelopmentParams::subsidy_share, 0.3, "1", 0, 1,
           "share of the development cost subsidised");
    d.real("development_cost_share", &JointDevelopmentParams::development_cost_share, 0.1, "1", 0,
           10, "development cost as a share of the won value");
    d.real("max_subsidy_dkk", &JointDevelopmentParams::max_subsidy_dkk, 100000, "DKK", 0, kBig,
           "largest subsidy per project");
    return d;
  }();
  return declared;
}

constexpr double kTolerance = 1e-6;

class JointDevelopment final : public Intervention {
 public:
  explicit JointDevelopment(const JointDevelopmentParams& p)
      : Intervention(kModify | kBidThreshold | kAward | kDevelopment), p_(p) {}

  bool modify(InterventionContext& ctx, bool /*first*/) override {
    World& w = ctx.world();
    const std::optional<double> cash = ctx.pay_month(p_, fixed_paid_);
    if (!cash) return false;
    subsidy_share_ = p_.subsidy_share;
    development_cost_share_ = p_.development_cost_share;
    max_subsidy_dkk_ = p_.max_subsidy_dkk;
    index_ = ctx.index();
    target_.assign(static_cast<std::size_t>(w.firm_count), 0);
    for (int f : ctx.targets(true)) target_[static_cast<std::size_t>(f)] = 1;
    ctx.report(1, 0, SkipReason::none, *cash);
    return true;
  }

  bool lowers_bid_threshold(const World& w, const std::vector<int>& members) const override {
    return joint(w, members);
  }

  void on_award(World& w, Project& project) override {
    if (project.subsidised || !joint(w, project.members)) return;
    const double amount =
        std::min(subsidy_share_ * development_cost_share_ * project.value * 1e6, max_subsidy_dkk_);
    Event e;
    e.step = w.step;
    e.intervention = index_;
    if (amount > w.ledger.available(index_) + kTolerance) {
      e.type = EventType::intervention_skipped;
      e.units_skipped = 1;
      e.reason = static_cast<std::uint8_t>(SkipReason::budget);
      w.emit(e);
      return;
    }
    w.ledger.commit(index_, amount);
    e.type = EventType::intervention_ran;
    e.value = amount;
    w.emit(e);
    project.subsidised = true;
  }

  // Members of running consortia it acts on (found from the project book).
  void development_boost(const World& w, std::vector<char>& boosted) const override {
    for (const Project& project : w.projects)
      if (!project.legacy && project.start <= w.step && joint(w, project.members))
        for (int m : project.members) boosted[static_cast<std::size_t>(m)] = 1;
  }

 private:
  JointDevelopmentParams p_;
  // A team with >= 2 members that are its enrolled targets.
  bool joint(const World& w, const std::vector<int>& members) const {
    if (members.size() < 2) return false;
    int n = 0;
    for (int m : members)
      n += w.enrolled[m] && static_cast<std::size_t>(m) < target_.size() && target_[m] ? 1 : 0;
    return n >= 2;
  }

  bool fixed_paid_ = false;
  double subsidy_share_ = 0, development_cost_share_ = 0, max_subsidy_dkk_ = 0;
  int index_ = -1;
  std::vector<char> target_;  // per firm: an enrolled target at this month's phase 1
};
}  // namespace

const InterventionType& joint_development_type() {
  static const InterventionType type{
      {"joint_development", InterventionKind::modifier, "3: development activities",
       "consortia with >= 2 enrolled members: lower bid threshold, success bonus, development "
       "boost, subsidy",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<JointDevelopment>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
