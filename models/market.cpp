// Phase 2, the market: opportunities arrive per segment as a Poisson process whose rate is sized
// from the initial population (never from a variant's outcomes), so arrivals are identical in
// every variant (drawn once per replicate and shared when the runner can: CommonDraws); each
// opportunity's draws are keyed by its id, so they are made in parallel for large populations. Also
// the step-0 set-up: relevance tables and the legacy orders (warm start).
#include <algorithm>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "models/mechanisms.hpp"

namespace klynge {
namespace {

double value_median(const ModelParameters& p, int segment) {
  switch (segment) {
    case 0:
      return p.value_median_food;
    case 1:
      return p.value_median_energy_environment;
    case 2:
      return p.value_median_other;
    default:
      return p.value_median_export;
  }
}

double drift(const ModelParameters& p, int segment) {
  switch (segment) {
    case 0:
      return p.drift_food;
    case 1:
      return p.drift_energy_environment;
    case 2:
      return p.drift_other;
    default:
      return p.drift_export;
  }
}

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Appends `count` requirements on distinct capabilities drawn with probability proportional to
// the segment's weights, each with a minimum level ~ U(low, high). `weight` is scratch.
void draw_requirements(const World& world, int segment, int count, KeyedRng& rng,
                       std::vector<double>& weight, std::vector<Requirement>& requirements) {
  const ModelParameters& p = *world.params;
  weight.resize(world.capability_count);
  for (int c = 0; c < world.capability_count; ++c)
    weight[c] = std::max(0.0, world.catalogue_weights[c][segment]);
  const std::size_t first = requirements.size();
  for (int k = 0; k < count; ++k) {
    double total = 0;
    for (double w : weight) total += w;
    if (total <= 0) break;
    double u = rng.uniform() * total;
    int pick = world.capability_count - 1;
    for (int c = 0; c < world.capability_count; ++c) {
      if (u < weight[c]) {
        pick = c;
        break;
      }
      u -= weight[c];
    }
    if (weight[pick] <= 0) break;  // rounding at the end of the range
    requirements.push_back({pick, 0.0});
    weight[pick] = 0;
  }
  // The levels are drawn after the capabilities, in the same order.
  for (std::size_t r = first; r < requirements.size(); ++r)
    requirements[r].min_level =
        p.requirement_min_level_low +
        (p.requirement_min_level_high - p.requirement_min_level_low) * rng.uniform();
}

// The market's scratch (World::scratch): opportunity buffers recycled from step to step.
struct MarketScratch {
  std::vector<Opportunity> spare_opportunities;  // no meaning, only their capacity
};

}  // namespace

void initialise_market(World& world) {
  const ModelParameters& p = *world.params;
  std::array<double, kSegmentCount> segment_revenue{};
  for (int s = 0; s < kSegmentCount; ++s) {
    world.relevance[s].assign(world.firm_count, 0.0);
  }
  for (int f = 0; f < world.firm_count; ++f) {
    const double revenue = world.revenue(f);
    for (int s = 0; s < kDomesticSegmentCount; ++s) {
      const double share = (1 - world.export_share[f]) * world.market_share[f][s];
      world.relevance[s][f] = share;
      segment_revenue[s] += revenue * share;
    }
    const double e = world.export_share[f];
    world.relevance[3][f] = e >= 0.2 ? e : 0.0;
    segment_revenue[3] += revenue * e;
  }
  for (int s = 0; s < kSegmentCount; ++s) {
    world.relevant_count[s] = 0;
    world.relevant_firms[s].clear();
    for (int f = 0; f < world.firm_count; ++f) {
      world.relevant_count[s] += world.relevance[s][f] > 0 ? 1 : 0;
      if (world.relevance[s][f] > 0) world.relevant_firms[s].push_back(f);
    }
    world.relevance_cumulative[s].assign(world.relevance[s]);
    // 12 lambda x mean value = project_share / local_win_share x segment revenue.
    const double mean_value = value_median(p, s) * std::exp(p.value_sigma * p.value_sigma / 2);
    const double annual_value = p.project_share / p.local_win_share * segment_revenue[s];
    world.arrival_rate[s] = annual_value / mean_value / 12.0;
  }
}

void create_legacy_orders(World& world) {
  // Solo projects as a stationary market would leave them (model.md v2.5 decisions): each one's
  // segment drawn by the firm's sales weights (domestic segments (1 - export_share) x their
  // shares, export export_share), its duration from that segment's duration range (export
  // orders run longer), elapsed time uniform within it. Each pays the same per month, sized so
  // that expected monthly plus final payments (success probability included) equal the firm's
  // project revenue. Their outcomes pay but are inert (projects.cpp).
  const ModelParameters& p = *world.params;
  // A solo firm with an ordinary margin (0.2) and no track record.
  const double success =
      logistic(p.success_intercept + p.success_margin * 0.2 + p.success_coordination * 1.0);
  constexpr int kLegacyProjectsPerFirm = 4;
  const double payment_per_value =
      p.monthly_payment_share + (1 - p.monthly_payment_share) * success;
  for (int f = 0; f < world.firm_count; ++f) {
    const double monthly_revenue = world.project_book(f) / 12.0;  // project_share x revenue / 12
    if (monthly_revenue <= 0) continue;
    // Each project of duration D has value c x D: monthly payment share x c, expected final
    // payment per month (1 - share) x success x c; summed over the projects = monthly revenue.
    const double c = monthly_revenue / (kLegacyProjectsPerFirm * payment_per_value);
    std::array<double, kSegmentCount> weight{};
    for (int s = 0; s < kDomesticSegmentCount; ++s)
      weight[s] = (1 - world.export_share[f]) * world.market_share[f][s];
    weight[3] = world.export_share[f];
    double total_weight = 0;
    for (double x : weight) total_weight += x;
    KeyedRng rng = world.streams.rng(Process::legacy_orders, 0, static_cast<std::uint64_t>(f));
    for (int k = 0; k < kLegacyProjectsPerFirm; ++k) {
      int segment = world.main_segment[f];
      if (total_weight > 0) {
        double u = rng.uniform() * total_weight;
        segment = 0;
        while (segment + 1 < kSegmentCount && u >= weight[segment]) u -= weight[segment++];
        while (weight[segment] <= 0 && segment > 0) --segment;  // rounding at the top end
      }
      const bool is_export = segment == static_cast<int>(Segment::export_);
      const int min_d = static_cast<int>(is_export ? p.export_duration_min : p.duration_min);
      const int max_d =
          std::max(min_d, static_cast<int>(is_export ? p.export_duration_max : p.duration_max));
      boost::random::uniform_int_distribution<int> duration_draw(min_d, max_d);
      const int duration = duration_draw(rng);
      boost::random::uniform_int_distribution<int> elapsed_draw(0, duration - 1);
      const int elapsed = elapsed_draw(rng);
      Project project;
      project.key = (1ull << 63) | (static_cast<std::uint64_t>(f) << 8) | static_cast<unsigned>(k);
      project.segment = segment;
      project.value = c * duration;
      project.duration = duration;
      project.start = -elapsed;
      project.end = duration - elapsed - 1;
      project.members = {f};
      project.shares = {1.0};
      project.legacy = true;
      project.legacy_success = success;
      world.load[f] += p.monthly_payment_share * project.value / duration;
      world.projects.push_back(std::move(project));
    }
  }
}

std::size_t CommonDraws::bytes() const {
  std::size_t sum = opportunities.capacity() * sizeof(DrawnOpportunity);
  for (const auto& o : opportunities)
    sum += o.requirements.capacity() * sizeof(Requirement) + o.base_aware.capacity() * sizeof(int);
  return sum;
}

void draw_arrivals(const World& world, int t, CommonDraws& drawn) {
  const ModelParameters& p = *world.params;
  // How many arrive in each segment: one keyed draw per segment.
  std::array<std::size_t, kSegmentCount + 1> first{};  // segment s holds [first[s], first[s+1])
  for (int s = 0; s < kSegmentCount; ++s) {
    const double lambda = world.arrival_rate[s] * std::exp(drift(p, s) * t / 12.0) *
                          world.scenario->market.multiplier_at(s, t);
    int count = 0;
    if (lambda > 0) {
      KeyedRng count_rng = world.streams.rng(Process::market_arrivals, t, s);
      boost::random::poisson_distribution<int> count_draw(lambda);
      count = count_draw(count_rng);
    }
    first[s + 1] = first[s] + static_cast<std::size_t>(count);
  }
  drawn.opportunities.resize(first[kSegmentCount]);  // kept elements keep their buffers
  // Each opportunity's own keyed draws (in parallel when many).
  for_each_chunk(
      world.parallelism, drawn.opportunities.size(), [&](std::size_t begin, std::size_t end) {
        std::vector<double> weight;
        for (std::size_t index = begin; index < end; ++index) {
          int s = 0;
          while (index >= first[s + 1]) ++s;
          const bool is_export = s == static_cast<int>(Segment::export_);
          DrawnOpportunity& o = drawn.opportunities[index];
          o.requirements.clear();
          o.base_aware.clear();
          o.key = static_cast<std::uint64_t>(s) * 1'000'000ull + (index - first[s]);
          o.segment = s;
          KeyedRng rng = world.streams.rng(Process::opportunity_draw, t, o.key);
          boost::random::normal_distribution<double> normal(0.0, 1.0);
          o.value = value_median(p, s) * std::exp(p.value_sigma * normal(rng));
          const int lo = static_cast<int>(is_export ? p.export_duration_min : p.duration_min);
          const int hi =
              std::max(lo, static_cast<int>(is_export ? p.export_duration_max : p.duration_max));
          boost::random::uniform_int_distribution<int> duration_draw(lo, hi);
          o.duration = duration_draw(rng);
          boost::random::binomial_distribution<int> extra(2, is_export ? 0.5 : 0.3);
          const int required =
              std::min<int>((is_export ? 3 : 1) + extra(rng), static_cast<int>(kMaxRequirements));
          draw_requirements(world, s, required, rng, weight, o.requirements);
        }
      });
}

void market_arrivals(World& world) {
  CommonDraws drawn;
  draw_arrivals(world, world.step, drawn);
  draw_base_sets(world, world.step, drawn);
  market_arrivals(world, drawn);
}

void market_arrivals(World& world, const CommonDraws& drawn) {
  // Last step's opportunities give their buffers back, so a step allocates nothing once warm.
  std::vector<Opportunity>& spare = world.scratch.get<MarketScratch>().spare_opportunities;
  for (auto& old : world.opportunities) spare.push_back(std::move(old));
  world.opportunities.resize(drawn.opportunities.size());
  for (auto& o : world.opportunities) {
    if (spare.empty()) break;
    o = std::move(spare.back());
    spare.pop_back();
  }
  for (std::size_t i = 0; i < drawn.opportunities.size(); ++i) {
    const DrawnOpportunity& d = drawn.opportunities[i];
    Opportunity& o = world.opportunities[i];
    o.key = d.key;
    o.segment = d.segment;
    o.value = d.value;
    o.duration = d.duration;
    o.requirements.assign(d.requirements.begin(), d.requirements.end());
    o.aware.assign(d.base_aware.begin(), d.base_aware.end());
    // In arrival order, as the sums always were.
    world.counters.opportunities_arrived += 1;
    world.counters.arrived_value += o.value;
  }
}

}  // namespace klynge
