// Phase 3, awareness: a base set of interested firms per opportunity, the same in every variant
// (relevance weights never change), then the programme's boosts add firms by extra keyed draws
// per (opportunity, firm). Cost per opportunity: O(K + boosted firms) expected. Opportunities are
// handled independently (in parallel for large populations); the facilitators' estimates that
// the scan reads are drawn for the step before, so threads only read them.
#include <algorithm>
#include <boost/random/poisson_distribution.hpp>

#include "models/estimates.hpp"
#include "models/mechanisms.hpp"

namespace klynge {
namespace {

// Scratch buffers of one thread's share of the opportunities (no meaning between calls).
struct SamplingScratch {
  std::vector<double> weight;
  std::vector<int> firm;
};

// Appends K distinct firms drawn with probability proportional to relevance, without
// replacement (successive sampling). Small or nearly exhausted pools are sampled exactly by
// removing each pick from a copy of the pool (O(pool) a pick); large pools by a guided search
// of the cumulative weights with rejection of repeats (O(1) expected a pick). Which method runs
// depends only on the population.
void sample_base_set(const World& world, int segment, int k, KeyedRng& rng,
                     SamplingScratch& scratch, std::vector<int>& chosen) {
  const auto& cumulative = world.relevance_cumulative[segment];
  const auto& relevance = world.relevance[segment];
  const int pool = world.relevant_count[segment];
  k = std::min(k, pool);
  if (k <= 0) return;
  if (pool <= 256 || 4 * k > pool) {
    const auto& firms = world.relevant_firms[segment];
    scratch.firm.assign(firms.begin(), firms.end());
    scratch.weight.resize(firms.size());
    double total = 0;
    for (std::size_t i = 0; i < firms.size(); ++i) total += scratch.weight[i] = relevance[firms[i]];
    for (int pick = 0; pick < k && total > 0; ++pick) {
      double u = rng.uniform() * total;
      std::size_t i = 0;
      while (i + 1 < scratch.weight.size() && u >= scratch.weight[i]) u -= scratch.weight[i++];
      chosen.push_back(scratch.firm[i]);
      total -= scratch.weight[i];
      scratch.weight.erase(scratch.weight.begin() + static_cast<std::ptrdiff_t>(i));
      scratch.firm.erase(scratch.firm.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return;
  }
  const double total = cumulative.total();
  const std::size_t first = chosen.size();
  while (static_cast<int>(chosen.size() - first) < k) {
    const double u = rng.uniform() * total;
    int firm = static_cast<int>(cumulative.first_above(u));
    firm = std::min(firm, world.firm_count - 1);
    if (relevance[firm] <= 0) continue;
    if (std::find(chosen.begin() + static_cast<std::ptrdiff_t>(first), chosen.end(), firm) ==
        chosen.end())
      chosen.push_back(firm);
  }
}

void add_unique(std::vector<int>& set, int firm) {
  if (std::find(set.begin(), set.end(), firm) == set.end()) set.push_back(firm);
}

}  // namespace

void awareness(World& world) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  const double competence = programme_competence(world);

  // The boosted firms of this step, found once (not per opportunity).
  std::vector<int> cluster_members, value_chain_targets, scan_firms;
  for (int f = 0; f < world.firm_count; ++f) {
    if (world.cluster_org[f] >= 0) cluster_members.push_back(f);
    if (!world.modifiers.value_chain_target.empty() && world.modifiers.value_chain_target[f])
      value_chain_targets.push_back(f);
    if (world.modifiers.opportunity_scan && world.mapped[f] && world.enrolled[f] &&
        !world.modifiers.scan_target.empty() && world.modifiers.scan_target[f])
      scan_firms.push_back(f);
  }

  if (!scan_firms.empty()) prepare_estimates(world, scan_firms, competence);

  // Opportunities are independent of each other here: split them among threads when many.
  for_each_chunk(
      world.parallelism, world.opportunities.size(), [&](std::size_t begin, std::size_t end) {
        SamplingScratch scratch;
        for (std::size_t index = begin; index < end; ++index) {
          Opportunity& o = world.opportunities[index];
          KeyedRng rng = world.streams.rng(Process::awareness_base, t, o.key);
          boost::random::poisson_distribution<int> k_draw(p.aware_mean);
          const int k = p.aware_mean > 0 ? k_draw(rng) : 0;
          o.aware.clear();
          sample_base_set(world, o.segment, k, rng, scratch, o.aware);

          const double total = world.relevance_cumulative[o.segment].total();
          auto base_chance = [&](double relevance) {
            return total > 0 ? std::min(1.0, p.aware_mean * relevance / total) : 0.0;
          };
          // One independent draw per (opportunity, firm, kind of boost).
          const std::uint64_t boost_base = world.streams.base(Process::awareness_boost, t, o.key);
          auto boost_draw = [&](int firm, int kind) {
            return mix_uniform(boost_base, static_cast<std::uint64_t>(firm) * 4 + kind);
          };
          for (int f : cluster_members)
            if (boost_draw(f, 0) <
                p.cluster_awareness_factor * base_chance(world.relevance[o.segment][f]))
              add_unique(o.aware, f);
          if (o.segment == static_cast<int>(Segment::export_)) {
            for (int f : value_chain_targets) {
              const double relevance = std::max(world.export_share[f], 0.2);
              if (boost_draw(f, 1) < p.value_chain_awareness_factor * base_chance(relevance))
                add_unique(o.aware, f);
            }
          }
          if (!scan_firms.empty()) {
            const double chance = p.scan_reach * (0.5 + 0.5 * competence);
            for (int f : scan_firms) {
              // The cheap draw first: both must hold, so the order changes no result.
              if (boost_draw(f, 2) >= chance) continue;
              if (estimated_coverage(world, f, o.requirements, competence) >=
                  world.modifiers.scan_min_coverage)
                add_unique(o.aware, f);
            }
          }
        }
      });
}

}  // namespace klynge
