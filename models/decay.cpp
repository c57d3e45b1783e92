// Phase 13, decay: idle ties lose trust (slower with joint projects, age and within cluster
// organisations); weak non-trade ties dissolve, trade ties keep a floor. Unfunded cluster
// organisations whose members stopped working together dissolve. Enrolled firms without
// programme contact lose motivation and un-enrol below a threshold.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "models/mechanisms.hpp"

namespace klynge {

void decay(World& world) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  // Relational capacity: a firm maintains at most relational_capacity x sqrt(employees / 100)
  // working ties (trust >= partner_min_trust, at least 1); its weakest ones beyond that (ties:
  // the lower other firm) are over capacity and decay at the full rate when idle.
  std::vector<char> over_capacity;
  if (p.relational_capacity < 1e5) {
    over_capacity.assign(world.ties.size(), 0);
    std::vector<std::pair<double, int>> working;  // (trust, other firm) -> tie via lookup
    for (int f = 0; f < world.firm_count; ++f) {
      const double cap =
          std::max(1.0, std::floor(p.relational_capacity * std::sqrt(world.employees[f] / 100.0)));
      working.clear();
      for (const auto& n : world.adjacency[f])
        if (world.ties[n.tie].trust >= p.partner_min_trust)
          working.push_back({world.ties[n.tie].trust, n.firm});
      if (static_cast<double>(working.size()) <= cap) continue;
      std::sort(working.begin(), working.end());
      const std::size_t excess = working.size() - static_cast<std::size_t>(cap);
      for (std::size_t k = 0; k < excess; ++k)
        over_capacity[static_cast<std::size_t>(world.find_tie(f, working[k].second))] = 1;
    }
  }
  std::vector<int> dissolved;
  for (int i = 0; i < static_cast<int>(world.ties.size()); ++i) {
    Tie& tie = world.ties[i];
    if (!tie.alive || tie.last_interaction == t) continue;
    const double age_months = std::min<double>(t - tie.created, p.decay_age_cap_months);
    double delta = p.decay_rate / (1 + 2.0 * tie.joint_projects) / (1 + age_months / 12.0);
    if (world.cluster_org[tie.a] >= 0 && world.cluster_org[tie.a] == world.cluster_org[tie.b])
      delta /= 2;
    if (!over_capacity.empty() && over_capacity[static_cast<std::size_t>(i)]) delta = p.decay_rate;
    tie.trust *= 1 - delta;
    if (tie.trade) {
      tie.trust = std::max(tie.trust, p.trade_trust_floor);
    } else if (tie.trust < p.dissolve_trust) {
      dissolved.push_back(i);
    }
  }
  for (int i : dissolved) {
    world.emit({t, EventType::tie_dissolved, world.ties[i].a, world.ties[i].b, -1,
                world.ties[i].trust, 0, 0});
    world.remove_tie(i);
  }
  // Cluster organisations past their funding live only while their members keep completing
  // projects together (model.md v2.5): one without such a success in the last
  // cluster_idle_months dissolves at the end of this month; its boosts end, its ties stay.
  for (std::size_t id = 0; id < world.organisations.size(); ++id) {
    ClusterOrganisation& org = world.organisations[id];
    if (!org.alive || org.funded) continue;
    if (t - org.last_joint_success < static_cast<int>(p.cluster_idle_months)) continue;
    org.alive = false;
    int members = 0;
    for (int f = 0; f < world.firm_count; ++f)
      if (world.cluster_org[f] == static_cast<int>(id)) {
        world.cluster_org[f] = -1;
        ++members;
      }
    world.emit({t, EventType::cluster_dissolved, -1, -1, org.intervention,
                static_cast<double>(members), 0, 0});
  }
  for (int f = 0; f < world.firm_count; ++f) {
    if (!world.enrolled[f] || world.last_programme_contact[f] == t) continue;
    world.motivation[f] = std::max(0.0, world.motivation[f] - p.motivation_decay);
    if (world.motivation[f] < p.unenrol_motivation) {
      world.enrolled[f] = 0;
      world.emit({t, EventType::firm_unenrolled, f, -1, -1, world.motivation[f], 0, 0});
    }
  }
}

}  // namespace klynge
