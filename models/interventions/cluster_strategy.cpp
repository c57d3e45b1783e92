// cluster_strategy (action, seed phase 4 "cluster strategy"): clusters of the latest detection
// (World::latest_clusters: labels of the qualifying clusters; members = firms with that
// World::cluster_label) with at least `min_enrolled` enrolled members become cluster
// organisations, largest first (ties: lowest label), as many as the cash pays (`fixed_dkk` per
// run plus, per cluster, `per_cluster_dkk` and its first funded month `monthly_per_cluster_dkk`)
// and the hours (`hours_per_cluster` each). Every member gets the new organisation id
// (World::cluster_org; awareness boost, co-members as partner candidates, decay halved),
// reputation += `reputation_gain` (cap 1, once at set-up) and a programme contact; a
// cluster_organised event carries the member count.
//
// Life of an organisation (model.md v2.5): funded for `fund_months` months from the set-up month
// on; every later funded month costs `monthly_per_cluster_dkk` from this intervention's cash
// (every_step, scheduled or not). When that cash cannot pay a month, funding ends early
// (cluster_funding_ended event, value = months funded). Once unfunded, the organisation lives only
// while >= 2 of its members complete projects together successfully (phase 7 records them; phase
// 13 dissolves it after cluster_idle_months without one, a cluster_dissolved event).
//
// Decisions: enrolled members already in a live cluster organisation do not count towards
// `min_enrolled`, so a run does not pay again for a cluster organised before (a cluster that
// gained `min_enrolled` new enrolled members is organised anew, all members moving to the new
// organisation; an organisation left without members ends). The intervention's target does not
// restrict clusters.
#include <algorithm>
#include <map>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
constexpr double kBig = 1e12;
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct ClusterStrategyParams : InterventionCosts {  // defaults: declared_params()
  int min_enrolled;
  double reputation_gain;
  double hours_per_cluster;
  int fund_months;
  double monthly_per_cluster_dkk;
};

const ParamDeclaration<ClusterStrategyParams>& declared_params() {
  static const ParamDeclaration<ClusterStrategyParams> declared = [] {
    ParamDeclaration<ClusterStrategyParams> d(0, 0, 0, 250000);
    d.integer("min_enrolled", &ClusterStrategyParams::min_enrolled, 3, "firms", 1, 1e6,
              "enrolled members a cluster needs");
    d.real("reputation_gain", &ClusterStrategyParams::reputation_gain, 0.05, "1", 0, 1,
           "reputation gain of members");
    d.real("hours_per_cluster", &ClusterStrategyParams::hours_per_cluster, 20, "hours", 0, 10000,
           "staff hours per cluster organised");
    d.integer("fund_months", &ClusterStrategyParams::fund_months, 12, "months", 0, 1200,
              "months an organisation is funded from the set-up month on (its boosts are "
              "guaranteed while funded)");
    d.real("monthly_per_cluster_dkk", &ClusterStrategyParams::monthly_per_cluster_dkk, 10000, "DKK",
           0, kBig,
           "cash per organisation per funded month (a part-time cluster manager); the first month "
           "is paid with the set-up");
    return d;
  }();
  return declared;
}

constexpr double kTolerance = 1e-6;

class ClusterStrategy final : public Intervention {
 public:
  explicit ClusterStrategy(const ClusterStrategyParams& p)
      : Intervention(kEveryStep | kAct | kDetection), p_(p) {}

  void every_step(InterventionContext& ctx) override {
    World& w = ctx.world();
    const int t = w.step;
    int paid = 0;
    double cash = 0;
    for (ClusterOrganisation& org : w.organisations) {
      if (org.intervention != ctx.index() || !org.alive || !org.funded) continue;
      if (t >= org.funded_until) {
        org.funded = false;  // the funding window is over
        continue;
      }
      if (t == org.founded) continue;  // paid with the set-up
      if (ctx.cash_available() + kTolerance < org.monthly_dkk) {
        org.funded = false;
        w.emit({t, EventType::cluster_funding_ended, -1, -1, ctx.index(),
                static_cast<double>(t - org.founded), 0, 0});
        continue;
      }
      ctx.commit_cash(org.monthly_dkk);
      cash += org.monthly_dkk;
      ++paid;
    }
    if (paid > 0) ctx.report(paid, 0, SkipReason::none, cash);
  }

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::map<int, std::vector<int>> members;
    for (int label : w.latest_clusters) members[label];
    for (int f = 0; f < w.firm_count; ++f) {
      const auto it = members.find(w.cluster_label[f]);
      if (it != members.end()) it->second.push_back(f);
    }
    const int min_enrolled = p_.min_enrolled;
    std::vector<std::pair<int, int>> eligible;  // (size, label)
    for (const auto& [label, firms] : members) {
      int fresh = 0;
      for (int f : firms) fresh += w.enrolled[f] && w.cluster_org[f] < 0 ? 1 : 0;
      if (fresh >= min_enrolled) eligible.emplace_back(static_cast<int>(firms.size()), label);
    }
    std::sort(eligible.begin(), eligible.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    const int wanted = static_cast<int>(eligible.size());
    const int fund_months = p_.fund_months;
    const double monthly = p_.monthly_per_cluster_dkk;
    const double first_month = fund_months > 0 ? monthly : 0.0;
    const PaidUnits paid =
        ctx.pay_units(wanted, p_.fixed_dkk, p_.per_cluster_dkk + first_month, p_.hours_per_cluster);
    if (paid.units == 0) return;
    const int n = paid.units;

    const double gain = p_.reputation_gain;
    for (int i = 0; i < n; ++i) {
      const std::vector<int>& firms = members[eligible[i].second];
      const int id = w.cluster_organisations++;
      ClusterOrganisation org;
      org.intervention = ctx.index();
      org.founded = w.step;
      org.funded_until = w.step + fund_months;
      org.funded = fund_months > 0;
      org.monthly_dkk = monthly;
      if (static_cast<std::size_t>(id) >= w.organisations.size())
        w.organisations.resize(static_cast<std::size_t>(id) + 1);
      w.organisations[static_cast<std::size_t>(id)] = org;
      for (int f : firms) {
        w.cluster_org[f] = id;
        w.reputation[f] = std::min(1.0, w.reputation[f] + gain);
        w.contact(f);
      }
      w.emit({w.step, EventType::cluster_organised, -1, -1, ctx.index(),
              static_cast<double>(firms.size()), 0, 0});
    }
    // An organisation whose members all moved to a new one ends with them.
    std::vector<char> has_members(w.organisations.size(), 0);
    for (int f = 0; f < w.firm_count; ++f)
      if (w.cluster_org[f] >= 0 && static_cast<std::size_t>(w.cluster_org[f]) < has_members.size())
        has_members[static_cast<std::size_t>(w.cluster_org[f])] = 1;
    for (std::size_t id = 0; id < w.organisations.size(); ++id)
      if (!has_members[id]) w.organisations[id].alive = false;
    ctx.report(paid);
  }

 private:
  ClusterStrategyParams p_;
};
}  // namespace

const InterventionType& cluster_strategy_type() {
  static const InterventionType type{
      {"cluster_strategy", InterventionKind::action, "4: cluster strategy",
       "clusters with >= min_enrolled enrolled members become cluster organisations, largest "
       "first, as the budget allows",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<ClusterStrategy>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
