// Phases 6-7: running projects pay their members monthly, build trust between them and teach
// them the required capabilities; projects ending this step succeed or fail.
#include <algorithm>
#include <cmath>

#include "models/mechanisms.hpp"

namespace klynge {
namespace {

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

template <typename F>
void for_each_pair(const std::vector<int>& members, F&& f) {
  for (std::size_t i = 0; i < members.size(); ++i)
    for (std::size_t j = i + 1; j < members.size(); ++j) f(members[i], members[j]);
}

double best_level(const World& world, const Project& project, int capability) {
  double best = 0;
  for (int m : project.members) best = std::max(best, world.capability(m, capability));
  return best;
}

}  // namespace

void run_projects(World& world) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  for (const Project& project : world.projects) {
    if (t < project.start || t > project.end) continue;
    const double monthly = p.monthly_payment_share * project.value / project.duration;
    for (std::size_t i = 0; i < project.members.size(); ++i)
      world.income_this_step[project.members[i]] += project.shares[i] * monthly;
    for_each_pair(project.members, [&](int a, int b) {
      const int tie = world.find_tie(a, b);
      if (tie < 0) return;
      Tie& link = world.ties[tie];
      link.trust += p.project_trust_gain * (1 - link.trust);
      link.last_interaction = t;
    });
    for (const auto& r : project.requirements) {
      const double best = best_level(world, project, r.capability);
      for (int m : project.members) {
        double& level = world.capability(m, r.capability);
        if (best > level)
          level += p.learning_rate * world.absorptive[m] * (best - level) / project.duration;
      }
    }
  }
}

void end_projects(World& world) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  std::vector<Project> still_running;
  still_running.reserve(world.projects.size());
  for (Project& project : world.projects) {
    if (project.end != t) {
      still_running.push_back(std::move(project));
      continue;
    }
    const double monthly = p.monthly_payment_share * project.value / project.duration;
    for (std::size_t i = 0; i < project.members.size(); ++i)
      world.load[project.members[i]] -= project.shares[i] * monthly;

    double chance = project.legacy_success;
    if (!project.legacy) {
      double margin = 0;
      for (const auto& r : project.requirements)
        margin += std::max(0.0, best_level(world, project, r.capability) - r.min_level);
      if (!project.requirements.empty()) margin /= static_cast<double>(project.requirements.size());
      chance = logistic(p.success_intercept + p.success_margin * margin +
                        p.success_coordination * team_coordination(world, project.members) +
                        p.success_experience * team_experience(world, project.members) +
                        p.success_subsidised * (project.subsidised ? 1.0 : 0.0));
    }
    const bool success = world.streams.uniform(Process::project_outcome, t, project.key) < chance;
    // Legacy orders are the firm's existing business: their outcome pays, but the track record
    // they represent is already in the starting reputation (0.5), so it does not move it again.
    if (success) {
      for (std::size_t i = 0; i < project.members.size(); ++i) {
        const int m = project.members[i];
        world.income_this_step[m] +=
            project.shares[i] * (1 - p.monthly_payment_share) * project.value;
        if (project.legacy) continue;
        world.reputation[m] = std::min(1.0, world.reputation[m] + p.success_reputation_gain);
        world.motivation[m] = std::min(1.0, world.motivation[m] + p.success_motivation_gain);
      }
      if (project.members.size() == 1 && !project.legacy)
        world.solo_successes[project.members[0]] += 1;
      for_each_pair(project.members, [&](int a, int b) {
        const int tie = world.find_tie(a, b);
        if (tie < 0) return;
        Tie& link = world.ties[tie];
        link.trust = std::min(1.0, link.trust + p.success_trust_gain);
        link.joint_projects += 1;
        link.joint_successes += 1;
        link.last_interaction = t;
      });
      if (static_cast<double>(project.members.size()) >= p.strategic_min_size) {
        std::vector<int> set = project.members;
        std::sort(set.begin(), set.end());
        world.strategic_networks.insert(std::move(set));
      }
      world.counters.projects_succeeded += project.legacy ? 0 : 1;
    } else if (!project.legacy) {
      for (int m : project.members) {
        world.reputation[m] = std::max(0.0, world.reputation[m] - p.failure_reputation_loss);
        world.motivation[m] = std::max(0.0, world.motivation[m] - p.failure_motivation_loss);
      }
      for_each_pair(project.members, [&](int a, int b) {
        const int tie = world.find_tie(a, b);
        if (tie < 0) return;
        Tie& link = world.ties[tie];
        link.trust = std::max(0.0, link.trust - p.failure_trust_loss);
        link.last_interaction = t;
      });
      world.counters.projects_failed += project.legacy ? 0 : 1;
    }
    if (!project.legacy)
      world.emit({t, success ? EventType::project_succeeded : EventType::project_failed,
                  project.members[0], project.members.size() > 1 ? project.members[1] : -1, -1,
                  project.value, static_cast<std::int32_t>(project.members.size()), 0});
  }
  world.projects = std::move(still_running);
}

}  // namespace klynge
