// Phase 13, decay: idle ties lose trust (slower with joint projects, age and within cluster
// organisations); weak non-trade ties dissolve, trade ties keep a floor. Enrolled firms without
// programme contact lose motivation and un-enrol below a threshold.
#include <algorithm>

#include "models/mechanisms.hpp"

namespace klynge {

void decay(World& world) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  std::vector<int> dissolved;
  for (int i = 0; i < static_cast<int>(world.ties.size()); ++i) {
    Tie& tie = world.ties[i];
    if (!tie.alive || tie.last_interaction == t) continue;
    const double age_months = t - tie.created;
    double delta = p.decay_rate / (1 + 2.0 * tie.joint_projects) / (1 + age_months / 12.0);
    if (world.cluster_org[tie.a] >= 0 && world.cluster_org[tie.a] == world.cluster_org[tie.b])
      delta /= 2;
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
