// Phase 3, awareness: a base set of interested firms per opportunity, the same in every variant
// (relevance weights never change; drawn with the arrivals as part of CommonDraws, so variants can
// share it), then boosts add firms by extra keyed draws per (opportunity, firm): cluster
// organisations' members here, the interventions' awareness hooks after them
// (opportunity_scan, value_chain_linkage). Cost per opportunity: O(K + boosted firms) expected.
// Opportunities are handled independently (in parallel for large populations); a hook prepares
// what it reads once per step before them (the scan draws its facilitators' estimates there), so
// threads only read.
#include <algorithm>
#include <array>
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
  // The picks still missing are drawn as a batch and located in the weights before any is
  // checked, so their memory loads overlap instead of waiting one after another. The uniforms
  // are consumed in the same order as one at a time, and a batch is never larger than what is
  // missing, so the answer is the same bits.
  constexpr int kBatch = 16;
  std::array<double, kBatch> u;
  std::array<std::size_t, kBatch> index;
  for (int missing = k; missing > 0; missing = k - static_cast<int>(chosen.size() - first)) {
    const int batch = std::min(missing, kBatch);
    for (int j = 0; j < batch; ++j) u[j] = rng.uniform() * total;
    for (int j = 0; j < batch; ++j) index[j] = cumulative.first_above(u[j]);
    for (int j = 0; j < batch; ++j) {
      const int firm = static_cast<int>(std::min<std::size_t>(index[j], world.firm_count - 1));
      // A firm found inside the sums has a positive weight; only the clamp at the end (u rounded
      // up to the total) can land on one without.
      if (index[j] >= static_cast<std::size_t>(world.firm_count) && relevance[firm] <= 0) continue;
      if (std::find(chosen.begin() + static_cast<std::ptrdiff_t>(first), chosen.end(), firm) ==
          chosen.end())
        chosen.push_back(firm);
    }
  }
}

// The base set of one opportunity: K ~ Poisson(aware_mean) firms by relevance, keyed by
// (step, opportunity).
void draw_base_set(const World& world, int t, std::uint64_t key, int segment,
                   SamplingScratch& scratch, std::vector<int>& aware) {
  const ModelParameters& p = *world.params;
  KeyedRng rng = world.streams.rng(Process::awareness_base, t, key);
  boost::random::poisson_distribution<int> k_draw(p.aware_mean);
  const int k = p.aware_mean > 0 ? k_draw(rng) : 0;
  aware.clear();
  sample_base_set(world, segment, k, rng, scratch, aware);
}

}  // namespace

void draw_base_sets(const World& world, int t, CommonDraws& drawn) {
  // Opportunities are independent of each other here: split them among threads when many.
  for_each_chunk(world.parallelism, drawn.opportunities.size(),
                 [&](std::size_t begin, std::size_t end) {
                   SamplingScratch scratch;
                   for (std::size_t index = begin; index < end; ++index) {
                     DrawnOpportunity& o = drawn.opportunities[index];
                     draw_base_set(world, t, o.key, o.segment, scratch, o.base_aware);
                   }
                 });
}

void draw_base_sets(World& world) {
  SamplingScratch scratch;
  for (Opportunity& o : world.opportunities)
    draw_base_set(world, world.step, o.key, o.segment, scratch, o.aware);
}

void awareness(World& world, const PhaseHooks& hooks) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  const double competence = programme_competence(world);

  // The boosted firms of this step, found once (not per opportunity): cluster organisations'
  // members here, the interventions' own in their prepare_awareness().
  std::vector<int> cluster_members;
  for (int f = 0; f < world.firm_count; ++f)
    if (world.cluster_org[f] >= 0) cluster_members.push_back(f);
  for (Intervention* hook : hooks.awareness) hook->prepare_awareness(world, competence);
  if (cluster_members.empty() && hooks.awareness.empty()) return;  // the base sets stand

  // Opportunities are independent of each other here: split them among threads when many.
  for_each_chunk(
      world.parallelism, world.opportunities.size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t index = begin; index < end; ++index) {
          Opportunity& o = world.opportunities[index];  // o.aware holds its base set (phase 2)
          // One independent draw per (opportunity, firm, kind of boost).
          AwarenessBoost boost(world, o, competence,
                               world.streams.base(Process::awareness_boost, t, o.key));
          for (int f : cluster_members)
            if (boost.draw(f, 0) <
                p.cluster_awareness_factor * boost.base_chance(world.relevance[o.segment][f]))
              boost.add(f);
          for (const Intervention* hook : hooks.awareness) hook->boost_awareness(boost);
        }
      });
}

}  // namespace klynge
