#pragma once
// Synthetic firms (`population.synthetic.firms: N`): firms resembling the interviewed ones, for
// larger populations than an interview programme can map (up to millions of firms).
//
//   Population p = load_population(firms_csv, relations_csv);
//   add_synthetic_firms(p, 100000, scenario.seed);  // p.firms grows by 100,000
//
// Each synthetic firm resamples a random interviewed firm (its "template") with jitter:
//   employees          template x lognormal(0, 0.3), clamped to [10, 5000]
//   revenue            employees x template's revenue per employee x lognormal(0, 0.1)
//   export share       template +- uniform 0.05, clamped to [0, 1]
//   market shares      template's, each x uniform(0.8, 1.2), renormalised to sum 1
//   capabilities       template +- uniform 0.25 (one Likert step), clamped to [0, 1]; a
//                      capability the template lacks (level 0) stays 0
//   willingness, ambition, absorptive capacity
//                      template +- uniform 0.125 (half a Likert step), clamped to [0, 1]
//   dev_opportunities  the template's
//   municipality       one of Region Midtjylland's 19 municipalities, weighted by population
//                      (about 2023; Aarhus 361k ... Samsø 4k)
//   location           the municipality's centroid + Gaussian jitter, 8 km per axis, cut at
//                      +-20 km (so every firm stays on the Danish mainland's box)
// Without interviewed firms (a purely synthetic population), three built-in archetypes of
// medium-sized metal firms (food, energy/environment, other) serve as templates, over the sample
// catalogue's 13 capabilities when the population names none.
//
// Identity: pseudonym and firm_id "S000001", "S000002", ... numbered over all synthetic firms
// of the population (at least 6 digits; more when there are a million or more); name empty;
// synthetic = true. Synthetic firms are not confidential.
//
// Target group: participant = true for the first `participants` firms of the call (clamped to
// [0, count]), false for the others. Every firm is drawn independently, so the first ones are a
// random sample; participants draw nothing, so the firms and relations are the same whatever
// `participants` is. With interviewed firms the target group is usually theirs alone
// (participants = 0); a purely synthetic scenario names its target group this way
// (`population.synthetic.participants`), or it has none.
//
// Initial relations (sparse): each synthetic firm gets Poisson(0.8) relations to firms of its
// own municipality (firms already in the population, interviewed or from an earlier call, count
// as in the municipality whose centroid is nearest), chosen uniformly; type supplier 35%, customer
// 35%, knowledge 30%; strength uniform 1-3. A pair is related at most once (the firm with the lower
// index keeps its draw), so there are about 0.8 relations per synthetic firm.
//
// Determinism: every draw of firm i (its index in population.firms) comes from
// KeyedRng(seed, 0, Process::synthetic_population, 0, i, 0) for its attributes and
// KeyedRng(seed, 0, Process::synthetic_population, 0, i, 1) for its relations, through
// Boost.Random distributions: the same seed and population give the same firms on every
// platform and thread count. Cost O(N) time and memory (neighbours come from per-municipality
// firm lists): a million firms take about 1 s of CPU and 0.5 GB (bench/, docs/performance.md).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/population.hpp"

namespace klynge {

// Appends `count` synthetic firms and their initial relations to `population` (nothing for
// count <= 0), the first `participants` of them in the programme's target group. Fills
// population.capability_names with the built-in list when it is empty and there are no firms.
void add_synthetic_firms(Population& population, int count, std::uint64_t seed,
                         int participants = 0);

// Region Midtjylland's 19 current municipalities (the names of municipality_names()) with the
// weights synthetic firms are spread by.
struct MunicipalityWeight {
  const char* name;
  double weight;  // population in thousands, about 2023
};
const std::vector<MunicipalityWeight>& synthetic_municipality_weights();

// Mean number of initial relations drawn per synthetic firm.
inline constexpr double kSyntheticRelationsPerFirm = 0.8;

}  // namespace klynge
