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
    const PaidUnits paid =
        ctx.pay_units(wanted, ctx.param("fixed_dkk"), ctx.param("per_cluster_dkk"),
                      ctx.param("hours_per_cluster"));
    if (paid.units == 0) return;
    const int n = paid.units;

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
    ctx.report(paid);
  }
};
}  // namespace

std::unique_ptr<Intervention> make_cluster_strategy(const InterventionSpec&) {
  return std::make_unique<ClusterStrategy>();
}

}  // namespace klynge
