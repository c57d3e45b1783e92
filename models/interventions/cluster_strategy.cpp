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
constexpr double kTolerance = 1e-6;

class ClusterStrategy final : public Intervention {
 public:
  ClusterStrategy() : Intervention(kEveryStep | kAct | kDetection) {}

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
    const int min_enrolled = static_cast<int>(ctx.param("min_enrolled"));
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
    const int fund_months = static_cast<int>(ctx.param("fund_months"));
    const double monthly = ctx.param("monthly_per_cluster_dkk");
    const double first_month = fund_months > 0 ? monthly : 0.0;
    const PaidUnits paid =
        ctx.pay_units(wanted, ctx.param("fixed_dkk"), ctx.param("per_cluster_dkk") + first_month,
                      ctx.param("hours_per_cluster"));
    if (paid.units == 0) return;
    const int n = paid.units;

    const double gain = ctx.param("reputation_gain");
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
};
}  // namespace

std::unique_ptr<Intervention> make_cluster_strategy(const InterventionSpec&) {
  return std::make_unique<ClusterStrategy>();
}

}  // namespace klynge
