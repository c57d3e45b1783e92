// Phase 8, spontaneous encounters: each firm meets Poisson(rate x willingness x sqrt(E/100))
// others, drawn with weight exp(-d/scale) x (1 + same main segment) x (1 + complementarity) x
// (0.5 + reputation). Partners are sampled through a location grid by exact rejection sampling:
// propose a cell by (firms in it) x exp(-distance to its centre / scale), a firm uniformly in it,
// and accept with the ratio of the true weight to the proposal's bound. No O(n) scan per firm.
#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "models/mechanisms.hpp"
#include "sim/core/errors.hpp"

namespace klynge {
namespace {

// Share of the other's capabilities >= 0.5 that this firm has below 0.5.
double complementarity(const World& world, int self, int other) {
  int strong = 0, missing = 0;
  for (int c = 0; c < world.capability_count; ++c) {
    if (world.capability(other, c) < 0.5) continue;
    ++strong;
    if (world.capability(self, c) < 0.5) ++missing;
  }
  return strong > 0 ? static_cast<double>(missing) / strong : 0.0;
}

double attraction(const World& world, int self, int other) {
  const double same_segment = world.main_segment[self] == world.main_segment[other] ? 1.0 : 0.0;
  return (1 + same_segment) * (1 + complementarity(world, self, other)) *
         (0.5 + world.reputation[other]);
}

constexpr double kMaxAttraction = 2.0 * 2.0 * 1.5;

// Each cell's proposal weight for `self`: (firms in it) x exp(-distance to its centre / scale);
// returns their sum. The same for every partner `self` draws this step.
double cell_weights(const World& world, int self, std::vector<double>& cell_weight) {
  const LocationGrid& grid = world.grid;
  const double scale = world.params->encounter_distance_km;
  double total = 0;
  for (std::size_t k = 0; k < grid.firms.size(); ++k) {
    const double dx = world.x_km[self] - grid.centre_x[k];
    const double dy = world.y_km[self] - grid.centre_y[k];
    cell_weight[k] =
        static_cast<double>(grid.firms[k].size()) * std::exp(-std::sqrt(dx * dx + dy * dy) / scale);
    total += cell_weight[k];
  }
  return total;
}

// One partner for `self`, or -1 when the rejection sampler gives up (degenerate worlds).
// `cell_weight` and `total` are cell_weights(world, self, ...).
int draw_partner(const World& world, int self, KeyedRng& rng,
                 const std::vector<double>& cell_weight, double total) {
  const LocationGrid& grid = world.grid;
  const double scale = world.params->encounter_distance_km;
  const double half_diagonal = grid.cell_km * std::sqrt(0.5);
  if (total <= 0 || world.firm_count < 2) return -1;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    double u = rng.uniform() * total;
    std::size_t k = 0;
    while (k + 1 < cell_weight.size() && u >= cell_weight[k]) u -= cell_weight[k++];
    const auto& members = grid.firms[k];
    const int other = members[std::min<std::size_t>(
        members.size() - 1, static_cast<std::size_t>(rng.uniform() * members.size()))];
    if (other == self) continue;
    const double dx = world.x_km[self] - grid.centre_x[k];
    const double dy = world.y_km[self] - grid.centre_y[k];
    const double centre_distance = std::sqrt(dx * dx + dy * dy);
    const double accept =
        std::exp(-(world.distance_km(self, other) - centre_distance + half_diagonal) / scale) *
        attraction(world, self, other) / kMaxAttraction;
    if (rng.uniform() < accept) return other;
  }
  return -1;
}

// The encounters firms [begin, end) draw this step, in firm order then draw order: a function of
// the state at the start of the phase only, so chunks of firms can be drawn in parallel.
struct DrawnChunk {
  std::size_t begin = 0;
  std::vector<std::pair<int, int>> met;
};

DrawnChunk draw_encounters(const World& world, std::size_t begin, std::size_t end) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  DrawnChunk chunk;
  chunk.begin = begin;
  std::vector<double> cell_weight(world.grid.firms.size());  // scratch, rewritten per firm
  for (int f = static_cast<int>(begin); f < static_cast<int>(end); ++f) {
    const double mean =
        p.encounter_rate * world.willingness[f] * std::sqrt(world.employees[f] / 100.0);
    // NaN would make boost's Poisson sampler loop for ever: a quantity that went non-finite is a
    // loud error, never a hang (state is checked after every step; this is the last guard).
    if (!std::isfinite(mean))
      throw ModelError("encounter rate of firm #" + std::to_string(f) + " at step " +
                       std::to_string(t) + " is not a finite number (employees " +
                       std::to_string(world.employees[f]) + ", willingness " +
                       std::to_string(world.willingness[f]) + ")");
    if (mean <= 0) continue;
    if ((f & 255) == 0) world.parallelism.check_stop();
    KeyedRng count_rng =
        world.streams.rng(Process::encounter_count, t, static_cast<std::uint64_t>(f));
    boost::random::poisson_distribution<int> count_draw(mean);
    const int count = count_draw(count_rng);
    if (count == 0) continue;
    KeyedRng rng = world.streams.rng(Process::encounter_partner, t, static_cast<std::uint64_t>(f));
    const double total = cell_weights(world, f, cell_weight);
    for (int k = 0; k < count; ++k) {
      if ((k & 1023) == 1023) world.parallelism.check_stop();
      const int other = draw_partner(world, f, rng, cell_weight, total);
      if (other >= 0) chunk.met.push_back({f, other});
    }
  }
  return chunk;
}

}  // namespace

void initialise_encounters(World& world) {
  LocationGrid& grid = world.grid;
  grid = LocationGrid{};
  std::map<std::pair<long, long>, int> cell_index;
  for (int f = 0; f < world.firm_count; ++f) {
    const long cx = static_cast<long>(std::floor(world.x_km[f] / grid.cell_km));
    const long cy = static_cast<long>(std::floor(world.y_km[f] / grid.cell_km));
    auto [it, inserted] = cell_index.try_emplace({cx, cy}, static_cast<int>(grid.firms.size()));
    if (inserted) {
      grid.firms.emplace_back();
      grid.centre_x.push_back((static_cast<double>(cx) + 0.5) * grid.cell_km);
      grid.centre_y.push_back((static_cast<double>(cy) + 0.5) * grid.cell_km);
    }
    grid.firms[it->second].push_back(f);
  }
}

void encounters(World& world) {
  const ModelParameters& p = *world.params;
  // Drawing partners (the costly part) reads only the state at the start of the phase; the
  // meetings are then applied in firm order, as one serial pass would: the same ties, trust and
  // events for any split of the firms.
  std::vector<DrawnChunk> chunks;
  std::mutex chunks_mutex;
  for_each_chunk(world.parallelism, static_cast<std::size_t>(world.firm_count),
                 [&](std::size_t begin, std::size_t end) {
                   DrawnChunk chunk = draw_encounters(world, begin, end);
                   if (chunk.met.empty()) return;
                   const std::lock_guard<std::mutex> lock(chunks_mutex);
                   chunks.push_back(std::move(chunk));
                 });
  std::sort(chunks.begin(), chunks.end(),
            [](const DrawnChunk& x, const DrawnChunk& y) { return x.begin < y.begin; });
  for (const DrawnChunk& chunk : chunks)
    for (const auto& [a, b] : chunk.met) world.meet(a, b, p.new_tie_trust, p.encounter_trust_gain);
}

}  // namespace klynge
