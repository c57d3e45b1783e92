#include "sim/core/world.hpp"

#include <algorithm>
#include <cmath>

namespace klynge {

double World::distance_km(int a, int b) const {
  const double dx = x_km[a] - x_km[b];
  const double dy = y_km[a] - y_km[b];
  return std::sqrt(dx * dx + dy * dy);
}

double World::mean_capability(int firm) const {
  if (capability_count == 0) return 0;
  double sum = 0;
  for (int c = 0; c < capability_count; ++c) sum += capability(firm, c);
  return sum / capability_count;
}

int World::find_tie(int a, int b) const {
  // Scan the shorter adjacency list: degrees are small, so this beats a hash map.
  const auto& list = adjacency[a].size() <= adjacency[b].size() ? adjacency[a] : adjacency[b];
  const int other = adjacency[a].size() <= adjacency[b].size() ? b : a;
  for (const auto& n : list)
    if (n.firm == other) return n.tie;
  return -1;
}

int World::add_tie(int a, int b, double trust, int step_created) {
  if (a > b) std::swap(a, b);
  int index;
  if (!free_ties.empty()) {
    index = free_ties.back();
    free_ties.pop_back();
  } else {
    index = static_cast<int>(ties.size());
    ties.emplace_back();
  }
  Tie& t = ties[index];
  t = Tie{};
  t.a = a;
  t.b = b;
  t.trust = trust;
  t.alive = true;
  t.created = step_created;
  t.last_interaction = step_created;
  adjacency[a].push_back({b, index});
  adjacency[b].push_back({a, index});
  return index;
}

void World::remove_tie(int tie) {
  Tie& t = ties[tie];
  auto drop = [tie](std::vector<Neighbour>& list) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [tie](const Neighbour& n) { return n.tie == tie; }),
               list.end());
  };
  drop(adjacency[t.a]);
  drop(adjacency[t.b]);
  t.alive = false;
  free_ties.push_back(tie);
}

int World::meet(int a, int b, double new_trust, double gain) {
  if (a == b) return -1;
  int tie = find_tie(a, b);
  if (tie < 0) {
    tie = add_tie(a, b, new_trust, step);
    emit({step, EventType::tie_formed, std::min(a, b), std::max(a, b), -1, new_trust, 0, 0});
  } else {
    Tie& t = ties[tie];
    t.trust = std::min(1.0, t.trust + gain);
    t.last_interaction = step;
  }
  return tie;
}

}  // namespace klynge
