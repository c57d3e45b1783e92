// cluster_strategy (action, seed phase 4 "cluster strategy"): clusters of the latest detection
// (World::latest_clusters: labels of the qualifying clusters; members = firms with that
// World::cluster_label) with at least `min_enrolled` enrolled members become cluster
// organisations, largest first (ties: lowest label), as many as the cash pays (`fixed_dkk` per
// run plus `per_cluster_dkk` per cluster) and the hours (`hours_per_cluster` each). Every member
// gets the new organisation id (World::cluster_org; awareness boost, co-members as partner
// candidates, decay halved), reputation += `reputation_gain` (cap 1) and a programme contact; a
// cluster_organised event carries the member count.
//
// Decisions: enrolled members already in a cluster organisation do not count towards
// `min_enrolled`, so a run does not pay again for a cluster organised before (a cluster that
// gained `min_enrolled` new enrolled members is organised anew, all members moving to the new
// organisation). The intervention's target does not restrict clusters.
#include <algorithm>
#include <map>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
class ClusterStrategy final : public Intervention {
 public:
  bool is_action() const override { return true; }
  bool is_modifier() const override { return false; }

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
    if (wanted == 0) {
      ctx.report(0, 0, SkipReason::no_eligible, 0);
      return;
    }
    const double fixed = ctx.param("fixed_dkk");
    const double per_cluster = ctx.param("per_cluster_dkk");
    const double hours = ctx.param("hours_per_cluster");
    const int by_cash = ctx.affordable_units(fixed, per_cluster, wanted);
    const int by_hours = ctx.affordable_hour_units(hours, wanted);
    const int n = std::min(by_cash, by_hours);
    const SkipReason reason = by_cash <= by_hours ? SkipReason::budget : SkipReason::staff_hours;
    if (by_hours < by_cash) ctx.hours_shortfall((by_cash - by_hours) * hours);
    if (n == 0) {
      ctx.report(0, wanted, reason, 0);
      return;
    }
    const double cash = fixed + per_cluster * n;
    ctx.commit_cash(cash);
    ctx.use_hours(hours * n);

    const double gain = ctx.param("reputation_gain");
    for (int i = 0; i < n; ++i) {
      const std::vector<int>& firms = members[eligible[i].second];
      const int id = w.cluster_organisations++;
      for (int f : firms) {
        w.cluster_org[f] = id;
        w.reputation[f] = std::min(1.0, w.reputation[f] + gain);
        w.contact(f);
      }
      w.emit({w.step, EventType::cluster_organised, -1, -1, ctx.index(),
              static_cast<double>(firms.size()), 0, 0});
    }
    ctx.report(n, wanted - n, reason, cash);
  }
};
}  // namespace

std::unique_ptr<Intervention> make_cluster_strategy(const InterventionSpec&) {
  return std::make_unique<ClusterStrategy>();
}

}  // namespace klynge
