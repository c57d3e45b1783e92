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

// Prefetch hints for run_projects and end_projects (no effect on any result).
void prefetch_buffers(const Project& project) {
  __builtin_prefetch(project.members.data());
  __builtin_prefetch(project.shares.data());
  __builtin_prefetch(project.requirements.data());
}

void prefetch_entries(const World& world, const Project& project) {
  for (int m : project.members) {
    __builtin_prefetch(&world.income_this_step[m]);
    __builtin_prefetch(&world.load[m]);
    for (const auto& r : project.requirements)
      __builtin_prefetch(&world.capabilities[m * world.capability_count + r.capability]);
  }
}

// The end of `project` this step: its load is released, its outcome drawn and applied.
void finish(World& world, const ModelParameters& p, int t, const Project& project) {
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
    // A live cluster organisation with >= 2 members in this team is still working together.
    if (!project.legacy)
      for (std::size_t i = 0; i < project.members.size(); ++i) {
        const int org = world.cluster_org[project.members[i]];
        if (org < 0 || static_cast<std::size_t>(org) >= world.organisations.size()) continue;
        for (std::size_t j = i + 1; j < project.members.size(); ++j)
          if (world.cluster_org[project.members[j]] == org)
            world.organisations[static_cast<std::size_t>(org)].last_joint_success = t;
      }
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

}  // namespace

void run_projects(World& world) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  // The book is long (four warm-start orders per firm, then every award) and each project's
  // members, shares and requirements live in their own allocations: fetch those a few projects
  // ahead, then the members' income and capability entries, so the loop does not wait on memory.
  // (Projects share firms and ties and update them in book order, so the loop itself stays
  // serial: splitting it would change the order of the sums and of the learning.)
  const std::vector<Project>& book = world.projects;
  constexpr std::size_t kAhead = 8;
  for (std::size_t i = 0; i < std::min(kAhead, book.size()); ++i) prefetch_buffers(book[i]);
  for (std::size_t index = 0; index < book.size(); ++index) {
    if (index + kAhead < book.size()) prefetch_buffers(book[index + kAhead]);
    if (index + kAhead / 2 < book.size()) prefetch_entries(world, book[index + kAhead / 2]);
    const Project& project = book[index];
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
  std::vector<Project>& book = world.projects;
  // The projects ending this step, in book order; they are finished in that order, with their
  // buffers and their members' entries fetched a few ends ahead.
  std::vector<std::size_t> ending;
  for (std::size_t i = 0; i < book.size(); ++i)
    if (book[i].end == t) ending.push_back(i);
  if (ending.empty()) return;
  constexpr std::size_t kAhead = 8;
  for (std::size_t k = 0; k < std::min(kAhead, ending.size()); ++k)
    prefetch_buffers(book[ending[k]]);
  for (std::size_t k = 0; k < ending.size(); ++k) {
    if (k + kAhead < ending.size()) prefetch_buffers(book[ending[k + kAhead]]);
    if (k + kAhead / 2 < ending.size()) prefetch_entries(world, book[ending[k + kAhead / 2]]);
    finish(world, p, t, book[ending[k]]);
  }
  // The others close up in place, keeping their order: no new book each step, and nothing
  // before the first ended project moves.
  std::size_t kept = ending.front();
  for (std::size_t i = kept; i < book.size(); ++i)
    if (book[i].end != t) book[kept++] = std::move(book[i]);
  book.erase(book.begin() + static_cast<std::ptrdiff_t>(kept), book.end());
}

}  // namespace klynge
