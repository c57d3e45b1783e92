// Each mechanism of model.md ("One step, in this order", phases 2-14) in a small hand-made World:
// it pushes its outcome the right way, and its formula is the one the spec gives. Deterministic
// parts are checked against hand-computed values; random parts by frequencies over many keyed
// draws (different steps, opportunity keys or replicates), with tolerances of about 4.5 standard
// errors so the tests are exact for the fixed seeds used and still meaningful.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <tuple>
#include <vector>

#include "models/mechanisms.hpp"
#include "models/observation.hpp"
#include "sim/core/metrics.hpp"
#include "tests/models/small_world.hpp"

using namespace klynge;
using namespace klynge::small;

namespace {

// A binomial frequency hits/trials against probability p, within `sds` standard errors.
void check_rate(int hits, int trials, double p, double sds = 4.5) {
  const double rate = static_cast<double>(hits) / trials;
  const double se = std::sqrt(std::max(p * (1 - p), 1e-12) / trials);
  INFO("observed " << rate << " over " << trials << " trials, expected " << p << " (se " << se
                   << ")");
  CHECK(std::abs(rate - p) <= sds * se);
}

// A Poisson total against its mean, within `sds` standard deviations.
void check_poisson(double total, double mean, double sds = 4.5) {
  INFO("observed " << total << ", expected " << mean);
  CHECK(std::abs(total - mean) <= sds * std::sqrt(mean));
}

Opportunity make_opportunity(std::uint64_t key, std::vector<Requirement> requirements,
                             std::vector<int> aware, double value = 1.2, int duration = 4,
                             int segment = 0) {
  Opportunity o;
  o.key = key;
  o.segment = segment;
  o.value = value;
  o.duration = duration;
  o.requirements = std::move(requirements);
  o.aware = std::move(aware);
  return o;
}

std::vector<Requirement> requirements_on(std::vector<int> capabilities, double min_level = 0.5) {
  std::vector<Requirement> out;
  for (int c : capabilities) out.push_back({c, min_level});
  return out;
}

int count_events(const World& w, EventType type) {
  return static_cast<int>(std::count_if(w.events.begin(), w.events.end(),
                                        [type](const Event& e) { return e.type == type; }));
}

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Everything an arrival carries, for exact comparisons between worlds.
using ArrivalPrint =
    std::tuple<std::uint64_t, int, double, int, std::vector<std::pair<int, double>>>;
std::vector<ArrivalPrint> fingerprint(const World& w) {
  std::vector<ArrivalPrint> out;
  for (const auto& o : w.opportunities) {
    std::vector<std::pair<int, double>> req;
    for (const auto& r : o.requirements) req.push_back({r.capability, r.min_level});
    out.emplace_back(o.key, o.segment, o.value, o.duration, req);
  }
  return out;
}

// The market test world: four firms whose segment revenues are easy to add by hand.
//   firm  revenue  export  food/energy/other (domestic shares)
//   0     40       0       1 / 0 / 0
//   1     60       0.3     0.5 / 0.5 / 0
//   2     80       0.5     0 / 0.2 / 0.8
//   3     100      0.1     0.2 / 0.3 / 0.5
// Segment revenue (domestic x (1 - export), export x export):
//   food   40 + 60*0.7*0.5 + 100*0.9*0.2           = 79
//   energy 60*0.7*0.5 + 80*0.5*0.2 + 100*0.9*0.3   = 56
//   other  80*0.5*0.8 + 100*0.9*0.5                = 77
//   export 60*0.3 + 80*0.5 + 100*0.1               = 68
World market_world(std::uint64_t replicate = 0) {
  World w = make_world(4, 6, 11, replicate);
  const double revenue[4] = {40, 60, 80, 100};
  w.export_share = {0, 0.3, 0.5, 0.1};
  w.market_share = {{1, 0, 0}, {0.5, 0.5, 0}, {0, 0.2, 0.8}, {0.2, 0.3, 0.5}};
  w.main_segment = {0, 0, 2, 2};
  for (int f = 0; f < 4; ++f) set_revenue(w, f, revenue[f]);
  initialise_market(w);
  return w;
}

constexpr double kSegmentRevenue[4] = {79, 56, 77, 68};
constexpr double kMedian[4] = {1.0, 1.5, 0.8, 6.0};
constexpr double kDrift[4] = {0.02, 0.05, 0.01, 0.04};

// lambda_s(t) by hand: project_share / local_win_share x segment revenue / mean value / 12,
// grown by the drift; mean value of LogNormal(median, 0.8) = median x exp(0.8^2 / 2).
double expected_lambda(int s, int t) {
  return 0.25 / 0.55 * kSegmentRevenue[s] / (kMedian[s] * std::exp(0.32)) / 12.0 *
         std::exp(kDrift[s] * t / 12.0);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Phase 2: market
// ---------------------------------------------------------------------------------------------

TEST_CASE("market: arrival rates and relevance follow the formula", "[mechanism]") {
  World w = market_world();
  for (int s = 0; s < kSegmentCount; ++s) {
    INFO("segment " << s);
    CHECK(w.arrival_rate[s] == Approx(expected_lambda(s, 0)).epsilon(1e-12));
  }
  // Relevance: domestic share x (1 - export); export only from export_share 0.2 up.
  const double food[4] = {1, 0.35, 0, 0.18}, exports[4] = {0, 0.3, 0.5, 0};
  for (int f = 0; f < 4; ++f) {
    CHECK(w.relevance[0][f] == Approx(food[f]).margin(1e-15));
    CHECK(w.relevance[3][f] == Approx(exports[f]).margin(1e-15));
  }
  CHECK(w.relevant_count[0] == 3);
  CHECK(w.relevant_count[3] == 2);
}

TEST_CASE("market: arrival counts average the rate over replicates", "[mechanism]") {
  // Steps 0, 18 and 120: the drift compounds as exp(drift x t / 12).
  constexpr int kReplicates = 2000;
  const int steps[3] = {0, 18, 120};
  double total[3][4] = {};
  int below_median = 0, opportunities = 0;
  World w = market_world();
  for (int r = 0; r < kReplicates; ++r) {
    w.streams = RandomStreams(11, static_cast<std::uint64_t>(r));
    for (int k = 0; k < 3; ++k) {
      w.step = steps[k];
      w.counters = StepCounters{};
      market_arrivals(w);
      CHECK(w.counters.opportunities_arrived == static_cast<int>(w.opportunities.size()));
      std::set<std::uint64_t> keys;
      for (const auto& o : w.opportunities) {
        total[k][o.segment] += 1;
        keys.insert(o.key);
        ++opportunities;
        below_median += o.value < kMedian[o.segment] ? 1 : 0;
        const bool is_export = o.segment == 3;
        CHECK(o.duration >= (is_export ? 6 : 3));
        CHECK(o.duration <= (is_export ? 18 : 12));
        const int required = static_cast<int>(o.requirements.size());
        CHECK(required >= (is_export ? 3 : 1));
        CHECK(required <= (is_export ? 5 : 3));
        std::set<int> distinct;
        for (const auto& req : o.requirements) {
          distinct.insert(req.capability);
          CHECK(req.min_level >= 0.3);
          CHECK(req.min_level < 0.8);
        }
        CHECK(static_cast<int>(distinct.size()) == required);
      }
      CHECK(keys.size() == w.opportunities.size());
    }
  }
  for (int k = 0; k < 3; ++k)
    for (int s = 0; s < kSegmentCount; ++s) {
      INFO("step " << steps[k] << " segment " << s);
      check_poisson(total[k][s], kReplicates * expected_lambda(s, steps[k]));
    }
  // Values are LogNormal around the segment's median.
  check_rate(below_median, opportunities, 0.5);
}

TEST_CASE("market: a multiplier of 0.5 halves arrivals inside its window only", "[mechanism]") {
  Scenario downturn;
  for (auto& windows : downturn.market.multiplier) windows.push_back({10, 20, 0.5});
  constexpr int kReplicates = 2000;
  double inside_full = 0, inside_half = 0;
  for (int r = 0; r < kReplicates; ++r) {
    World normal = market_world(static_cast<std::uint64_t>(r));
    World slow = market_world(static_cast<std::uint64_t>(r));
    slow.scenario = &downturn;
    for (int t : {9, 15, 21}) {
      normal.step = slow.step = t;
      market_arrivals(normal);
      market_arrivals(slow);
      if (t == 15) {
        inside_full += static_cast<double>(normal.opportunities.size());
        inside_half += static_cast<double>(slow.opportunities.size());
      } else {
        // Outside the window the draws are the very same.
        CHECK(fingerprint(normal) == fingerprint(slow));
      }
    }
  }
  double mean_full = 0;
  for (int s = 0; s < kSegmentCount; ++s) mean_full += kReplicates * expected_lambda(s, 15);
  check_poisson(inside_full, mean_full);
  check_poisson(inside_half, 0.5 * mean_full);
}

TEST_CASE("market: arrivals depend only on (seed, replicate, step)", "[mechanism]") {
  World a = market_world();
  World b = market_world();
  // Change everything a variant could change in b after set-up.
  for (int f = 0; f < b.firm_count; ++f) {
    set_capabilities(b, f, {1, 0.9, 0.1, 0, 0.7, 0.3});
    b.base_revenue[f] *= 3;
    b.reputation[f] = 0.9;
    b.enrolled[f] = 0;
    b.mapped[f] = 1;
    b.cluster_org[f] = 0;
  }
  b.cluster_organisations = 1;
  b.add_tie(0, 1, 0.8, 0);
  b.add_tie(2, 3, 0.4, 0);
  // (Interventions reach the market phase through no hook: nothing of them to change here.)
  int arrivals = 0;
  for (int t = 0; t < 24; ++t) {
    a.step = b.step = t;
    market_arrivals(a);
    market_arrivals(b);
    arrivals += static_cast<int>(a.opportunities.size());
    CHECK(fingerprint(a) == fingerprint(b));
  }
  CHECK(arrivals > 0);
  // Another replicate draws other arrivals.
  World c = market_world(1);
  bool differs = false;
  for (int t = 0; t < 24 && !differs; ++t) {
    a.step = c.step = t;
    market_arrivals(a);
    market_arrivals(c);
    differs = fingerprint(a) != fingerprint(c);
  }
  CHECK(differs);
}

// ---------------------------------------------------------------------------------------------
// Phase 3: awareness
// ---------------------------------------------------------------------------------------------

namespace {

// 60 firms in three kinds: f % 3 == 0 food only; == 1 energy with export_share exactly 0.2;
// == 2 half food half other with export_share 0.19 (not export-relevant).
World awareness_world() {
  World w = make_world(60, 4);
  for (int f = 0; f < 60; ++f) {
    switch (f % 3) {
      case 0:
        w.market_share[f] = {1, 0, 0};
        w.export_share[f] = 0;
        break;
      case 1:
        w.market_share[f] = {0, 1, 0};
        w.export_share[f] = 0.2;
        break;
      default:
        w.market_share[f] = {0.5, 0, 0.5};
        w.export_share[f] = 0.19;
    }
  }
  initialise_market(w);
  return w;
}

void add_opportunities(World& w, int segment, int count, std::vector<Requirement> req = {}) {
  for (int i = 0; i < count; ++i)
    w.opportunities.push_back(make_opportunity(
        static_cast<std::uint64_t>(segment) * 1'000'000ull + static_cast<std::uint64_t>(i), req, {},
        1.0, 4, segment));
}

}  // namespace

TEST_CASE("awareness: base sets hold only relevant firms, without duplicates", "[mechanism]") {
  World w = awareness_world();
  for (int s = 0; s < kSegmentCount; ++s) add_opportunities(w, s, 1500);
  draw_base_sets(w);
  awareness(w);
  double size[4] = {0, 0, 0, 0};
  int seen_weight_1 = 0, seen_weight_0405 = 0;  // food: relevance 1 (f%3==0) vs 0.405 (f%3==2)
  for (const auto& o : w.opportunities) {
    std::set<int> distinct(o.aware.begin(), o.aware.end());
    CHECK(distinct.size() == o.aware.size());
    size[o.segment] += static_cast<double>(o.aware.size());
    for (int f : o.aware) {
      INFO("segment " << o.segment << " firm " << f);
      CHECK(w.relevance[o.segment][f] > 0);
      if (o.segment == 3) CHECK(w.export_share[f] >= 0.2);
      if (o.segment == 0) (f % 3 == 0 ? seen_weight_1 : seen_weight_0405) += 1;
    }
  }
  // Food, other, energy and export each have 20-40 relevant firms: K ~ Poisson(aware_mean) is
  // rarely truncated, so the mean size is aware_mean.
  const double aware_mean = w.params->aware_mean;
  for (int s = 0; s < kSegmentCount; ++s) {
    INFO("segment " << s);
    CHECK(w.relevant_count[s] == (s == 0 ? 40 : 20));
    CHECK(size[s] / 1500 == Approx(aware_mean).margin(4.5 * std::sqrt(aware_mean / 1500) + 0.05));
  }
  // Higher relevance, more often aware (20 firms of each weight).
  CHECK(seen_weight_1 > 1.5 * seen_weight_0405);
}

TEST_CASE("awareness: an opportunity scan adds mapped enrolled firms that (estimably) fit",
          "[mechanism]") {
  // Firms 0-9 sell food (the base pool of food opportunities); 10-15 sell only `other`, so only
  // a boost can make them aware of food work. Competence 1: estimates are exact and the scan
  // finds a fitting firm with probability 0.5 + 0.5 x 1 = 1.
  World w = make_world(16, 4);
  for (int f = 10; f < 16; ++f) {
    w.market_share[f] = {0, 0, 1};
    w.export_share[f] = 0;
    set_capabilities(w, f, {0.9, 0.9, 0.9, 0.9});
    w.mapped[f] = 1;
  }
  set_capabilities(w, 12, {0.9, 0.9, 0.1, 0.1});  // covers 2 of 3 = 0.67 >= 0.6
  set_capabilities(w, 13, {0.9, 0.1, 0.1, 0.1});  // covers 1 of 3 = 0.33
  w.mapped[14] = 0;                               // fits, but not mapped
  w.enrolled[15] = 0;                             // fits, but not enrolled
  for (auto& f : w.facilitators) f.competence = 1.0;
  initialise_market(w);
  const auto req = std::vector<Requirement>{{0, 0.6}, {1, 0.7}, {2, 0.5}};

  World off = w;
  add_opportunities(off, 0, 200, req);
  draw_base_sets(off);
  awareness(off);
  for (const auto& o : off.opportunities)
    for (int f : o.aware) CHECK(f < 10);

  World on = w;
  const SwitchedOn scan = switch_on(on, "opportunity_scan");  // every firm is a target
  add_opportunities(on, 0, 200, req);
  draw_base_sets(on);
  awareness(on, scan.hooks);
  for (std::size_t i = 0; i < on.opportunities.size(); ++i) {
    const auto& aware = on.opportunities[i].aware;
    const auto& base = off.opportunities[i].aware;
    // The base set is the same with or without the boost; the scan only adds.
    REQUIRE(aware.size() >= base.size());
    CHECK(std::equal(base.begin(), base.end(), aware.begin()));
    std::set<int> added(aware.begin() + static_cast<long>(base.size()), aware.end());
    CHECK(added == std::set<int>{10, 11, 12});
  }
}

TEST_CASE("awareness: value-chain targets see more export opportunities, at 3x their chance",
          "[mechanism]") {
  // Firms 0-29 export half their sales (export relevance 0.5, total 15); firms 30-39 export 10%
  // (not export-relevant). Targets: 0-4 (exporters) and 30-34 (relevance raised to 0.2).
  World w = make_world(40, 4);
  for (int f = 0; f < 40; ++f) w.export_share[f] = f < 30 ? 0.5 : 0.1;
  initialise_market(w);
  constexpr int kOpportunities = 3000;
  World plain = w;
  add_opportunities(plain, 3, kOpportunities);
  add_opportunities(plain, 0, 300);
  draw_base_sets(plain);
  awareness(plain);
  World linked = w;
  const SwitchedOn chain =
      switch_on(linked, "value_chain_linkage", {0, 1, 2, 3, 4, 30, 31, 32, 33, 34});
  add_opportunities(linked, 3, kOpportunities);
  add_opportunities(linked, 0, 300);
  draw_base_sets(linked);
  awareness(linked, chain.hooks);

  int small_targets = 0, small_others = 0, big_targets_plain = 0, big_targets_linked = 0;
  for (std::size_t i = 0; i < linked.opportunities.size(); ++i) {
    const auto& o = linked.opportunities[i];
    const auto& base = plain.opportunities[i].aware;
    REQUIRE(o.aware.size() >= base.size());
    CHECK(std::equal(base.begin(), base.end(), o.aware.begin()));
    if (o.segment != 3) {
      CHECK(o.aware == base);  // domestic work: no value-chain boost
      continue;
    }
    for (int f : o.aware) {
      small_targets += f >= 30 && f < 35 ? 1 : 0;
      small_others += f >= 35 ? 1 : 0;
      big_targets_linked += f < 5 ? 1 : 0;
    }
    for (int f : base) big_targets_plain += f < 5 ? 1 : 0;
  }
  const double p = linked.params->value_chain_awareness_factor * linked.params->aware_mean * 0.2 /
                   15.0;  // 3 x 7 x 0.2 / 15 = 0.28
  CHECK(small_others == 0);
  check_rate(small_targets, 5 * kOpportunities, p);
  CHECK(big_targets_linked > 2 * big_targets_plain);
}

TEST_CASE("awareness: cluster-organisation members get boosted by 0.5 x their base chance",
          "[mechanism]") {
  // 30 food firms of relevance 1 (total 30); firms 0-9 form a cluster organisation.
  World w = make_world(30, 4);
  w.export_share.assign(30, 0);
  initialise_market(w);
  constexpr int kOpportunities = 3000;
  World plain = w;
  add_opportunities(plain, 0, kOpportunities);
  draw_base_sets(plain);
  awareness(plain);
  World clustered = w;
  for (int f = 0; f < 10; ++f) clustered.cluster_org[f] = 0;
  clustered.cluster_organisations = 1;
  add_opportunities(clustered, 0, kOpportunities);
  draw_base_sets(clustered);
  awareness(clustered);
  int added = 0, eligible = 0;
  for (std::size_t i = 0; i < clustered.opportunities.size(); ++i) {
    const auto& aware = clustered.opportunities[i].aware;
    const auto& base = plain.opportunities[i].aware;
    REQUIRE(aware.size() >= base.size());
    CHECK(std::equal(base.begin(), base.end(), aware.begin()));
    for (std::size_t k = base.size(); k < aware.size(); ++k) {
      CHECK(aware[k] < 10);  // only members are boosted
      ++added;
    }
    for (int f = 0; f < 10; ++f)
      eligible += std::find(base.begin(), base.end(), f) == base.end() ? 1 : 0;
  }
  const double p = w.params->cluster_awareness_factor * w.params->aware_mean * 1.0 / 30.0;
  check_rate(added, eligible, p);
}

// ---------------------------------------------------------------------------------------------
// Phases 4-5: consortium formation and award
// ---------------------------------------------------------------------------------------------

namespace {

// Parameters with the external competitor made unbeatable (+100) or absent (-100).
ModelParameters with_external(double score) {
  ModelParameters p = small::spec_parameters();
  p.external_score = score;
  return p;
}

}  // namespace

TEST_CASE("consortia: a firm covering everything bids alone and wins the project", "[mechanism]") {
  const ModelParameters p = with_external(-100);
  World w = make_world(3, 4);
  w.params = &p;
  w.record_events = true;
  w.step = 5;
  set_capabilities(w, 0, {0.9, 0.9, 0.9, 0.9});
  w.add_tie(0, 1, 0.9, 0);  // a trusted partner it does not need
  w.opportunities.push_back(make_opportunity(7, {{0, 0.5}, {1, 0.6}}, {0}, 1.2, 4));
  consortia_and_award(w);
  CHECK(w.counters.bids == 1);
  CHECK(w.counters.projects_won == 1);
  REQUIRE(w.projects.size() == 1);
  const Project& project = w.projects[0];
  CHECK(project.members == std::vector<int>{0});
  CHECK(project.shares == std::vector<double>{1.0});
  CHECK(project.start == 6);
  CHECK(project.end == 9);
  CHECK(project.value == 1.2);
  CHECK(project.requirements.size() == 2);
  CHECK(w.load[0] == Approx(0.75 * 1.2 / 4));  // capacity stays reserved for the winner
  CHECK(count_events(w, EventType::project_awarded) == 1);
}

TEST_CASE("consortia: a lead below lead_min_coverage never bids", "[mechanism]") {
  const ModelParameters p = with_external(-100);
  World w = make_world(2, 4);
  w.params = &p;
  w.willingness = {1, 1};
  set_capabilities(w, 0, {0.9, 0, 0, 0});      // 1 of 4: 0.25 < 0.5
  set_capabilities(w, 1, {0, 0.9, 0.9, 0.9});  // 3 of 4: may lead
  w.add_tie(0, 1, 1.0, 0);
  for (int i = 0; i < 50; ++i)
    w.opportunities.push_back(
        make_opportunity(static_cast<std::uint64_t>(i), requirements_on({0, 1, 2, 3}), {0}));
  consortia_and_award(w);
  CHECK(w.counters.bids == 0);
  CHECK(w.projects.empty());
  CHECK(w.load[0] == 0);
  CHECK(w.load[1] == 0);
  // It records what it lacked, for next month's matchmaking.
  const std::vector<int> needs = w.unmet_needs_next.list(0);
  CHECK(needs == std::vector<int>{1, 2, 3});

  // The same pair bids when the capable firm leads: it takes the other on as a partner.
  w.opportunities = {make_opportunity(99, requirements_on({0, 1, 2, 3}), {0, 1})};
  consortia_and_award(w);
  CHECK(w.counters.bids == 1);
  REQUIRE(w.projects.size() == 1);
  CHECK(w.projects[0].members == std::vector<int>{1, 0});
  CHECK(w.projects[0].shares == std::vector<double>{0.75, 0.25});
}

TEST_CASE("consortia: partners come only from trusted ties, brokers and cluster co-members",
          "[mechanism]") {
  // Firm 0 covers c0, c1 (coverage 0.5: may lead, cannot bid alone); firm 1 covers c2, c3.
  // Firm 2 is a possible intermediary that covers nothing. The external competitor always wins,
  // so every bid loses, releases its capacity and nothing else changes between opportunities.
  const ModelParameters p = with_external(100);
  World base = make_world(3, 4);
  base.params = &p;
  base.willingness = {1, 1, 1};
  set_capabilities(base, 0, {0.9, 0.9, 0, 0});
  set_capabilities(base, 1, {0, 0, 0.9, 0.9});
  set_capabilities(base, 2, {0, 0, 0, 0});
  constexpr int kOpportunities = 2000;
  auto bids_in = [&](World w, const PhaseHooks& hooks = PhaseHooks::none()) {
    for (int i = 0; i < kOpportunities; ++i)
      w.opportunities.push_back(
          make_opportunity(static_cast<std::uint64_t>(i), requirements_on({0, 1, 2, 3}), {0}));
    consortia_and_award(w, hooks);
    CHECK(w.load == std::vector<double>{0, 0, 0});  // losers release what they reserved
    return w.counters.bids;
  };

  SECTION("no tie, a weak tie (0.15) or one just below partner_min_trust: no partner") {
    CHECK(bids_in(base) == 0);
    World weak = base;
    weak.add_tie(0, 1, 0.15, 0);
    CHECK(bids_in(weak) == 0);
    World almost = base;
    almost.add_tie(0, 1, 0.29, 0);
    CHECK(bids_in(almost) == 0);
  }
  SECTION("a trusted tie: the partner accepts with willingness x (0.5 + 0.5 trust)") {
    World full = base;
    full.add_tie(0, 1, 1.0, 0);
    CHECK(bids_in(full) == kOpportunities);  // acceptance 1 x (0.5 + 0.5) = 1
    World edge = base;
    edge.add_tie(0, 1, 0.3, 0);  // exactly partner_min_trust
    check_rate(bids_in(edge), kOpportunities, 0.65);
    World reluctant = base;
    reluctant.add_tie(0, 1, 0.5, 0);
    reluctant.willingness[1] = 0.6;
    check_rate(bids_in(reluctant), kOpportunities, 0.6 * 0.75);
  }
  SECTION("a partner without free capacity is passed over") {
    World busy = base;
    busy.add_tie(0, 1, 1.0, 0);
    busy.capacity[1] = 0;
    CHECK(bids_in(busy) == 0);
  }
  SECTION("two-step contacts through trusted ties, reached with 0.3 x t1 x t2") {
    World two = base;
    two.add_tie(0, 2, 0.8, 0);
    two.add_tie(2, 1, 0.9, 0);
    // reach 0.3 x 0.72, then acceptance 1 x (0.5 + 0.5 x 0.72).
    check_rate(bids_in(two), kOpportunities, 0.3 * 0.72 * (0.5 + 0.5 * 0.72));
    World weak_link = base;
    weak_link.add_tie(0, 2, 0.8, 0);
    weak_link.add_tie(2, 1, 0.2, 0);
    CHECK(bids_in(weak_link) == 0);
  }
  SECTION("facilitator proposals during matchmaking, between mapped enrolled firms") {
    World brokered = base;
    brokered.mapped = {1, 1, 0};
    brokered.proposals.emplace(std::pair{0, 1}, 0);
    CHECK(bids_in(brokered) == 0);  // matchmaking is off this month
    const SwitchedOn matchmaking = switch_on(brokered, "matchmaking");
    const PhaseHooks& on = matchmaking.hooks;
    // introduction trust 0.15 + 0.25 x 0.4 = 0.25; acceptance 1 x (0.5 + 0.125).
    check_rate(bids_in(brokered, on), kOpportunities, 0.625);
    World unmapped = brokered;
    unmapped.mapped[1] = 0;
    CHECK(bids_in(unmapped, on) == 0);
    World unenrolled = brokered;
    unenrolled.enrolled[0] = 0;
    CHECK(bids_in(unenrolled, on) == 0);
    // A proposal serves proposal_months (2) months from its introduction, then lapses.
    World next_month = brokered;
    next_month.step = 1;
    check_rate(bids_in(next_month, on), kOpportunities, 0.625);
    World lapsed = brokered;
    lapsed.step = static_cast<int>(p.proposal_months);
    CHECK(bids_in(lapsed, on) == 0);
  }
  SECTION("cluster-organisation co-members, at effective trust 0.3") {
    World members = base;
    members.cluster_org = {0, 0, -1};
    members.cluster_organisations = 1;
    check_rate(bids_in(members), kOpportunities, 0.65);
    World apart = base;
    apart.cluster_org = {0, 1, -1};
    apart.cluster_organisations = 2;
    CHECK(bids_in(apart) == 0);
  }
}

TEST_CASE("consortia: greedy cover, shares by best level, ties at award", "[mechanism]") {
  // Lead 2 covers c0, c1; firm 0 covers c0 (as well as the lead) and c2; firm 1 covers c3.
  // Requirement c0 goes to the lowest index among equal best levels: firm 0.
  const ModelParameters p = with_external(-100);
  World w = make_world(3, 4);
  w.params = &p;
  w.willingness = {1, 1, 1};
  set_capabilities(w, 2, {0.9, 0.9, 0, 0});
  set_capabilities(w, 0, {0.9, 0, 0.8, 0});
  set_capabilities(w, 1, {0, 0, 0, 0.7});
  w.add_tie(2, 0, 1.0, 0);
  w.add_tie(2, 1, 1.0, 0);
  w.opportunities.push_back(make_opportunity(1, requirements_on({0, 1, 2, 3}), {2}));
  consortia_and_award(w);
  REQUIRE(w.projects.size() == 1);
  const Project& project = w.projects[0];
  CHECK(project.members == std::vector<int>{2, 0, 1});
  CHECK(project.shares == std::vector<double>{0.25, 0.5, 0.25});
  double sum = 0;
  for (double s : project.shares) sum += s;
  CHECK(sum == Approx(1.0));
  const double monthly = 0.75 * 1.2 / 4;
  CHECK(w.load[2] == Approx(0.25 * monthly));
  CHECK(w.load[0] == Approx(0.5 * monthly));
  CHECK(w.load[1] == Approx(0.25 * monthly));
  // Members 0 and 1 had no tie: they get one at award_tie_trust.
  CHECK(trust_between(w, 0, 1) == Approx(0.15));
  CHECK(w.ties[w.find_tie(0, 1)].created == 0);
  CHECK(trust_between(w, 2, 0) == 1.0);
}

TEST_CASE("consortia: the pick maximises added coverage x trust x willingness", "[mechanism]") {
  // Two candidates add the same requirement: A (firm 1) trust 1, willingness 0.7 -> 0.7;
  // B (firm 2) trust 0.8, willingness 1 -> 0.8. B is asked first (accepts 0.9); A only when B
  // declines (accepts 0.7 x 1).
  const ModelParameters p = with_external(-100);
  World w = make_world(3, 2);
  w.params = &p;
  w.willingness = {1, 0.7, 1};
  w.capacity = {1e9, 1e9, 1e9};
  set_capabilities(w, 0, {0.9, 0});
  set_capabilities(w, 1, {0, 0.9});
  set_capabilities(w, 2, {0, 0.9});
  w.add_tie(0, 1, 1.0, 0);
  w.add_tie(0, 2, 0.8, 0);
  constexpr int kOpportunities = 2000;
  for (int i = 0; i < kOpportunities; ++i)
    w.opportunities.push_back(
        make_opportunity(static_cast<std::uint64_t>(i), requirements_on({0, 1}), {0}));
  consortia_and_award(w);
  int with_a = 0, with_b = 0;
  for (const auto& project : w.projects) {
    REQUIRE(project.members.size() == 2);
    (project.members[1] == 1 ? with_a : with_b) += 1;
  }
  check_rate(with_b, kOpportunities, 0.9);
  check_rate(with_a, kOpportunities, 0.1 * 0.7);
}

TEST_CASE("consortia: capacity is reserved at bid and released by losers", "[mechanism]") {
  // Firm 0 can carry 0.5 mDKK/month; each opportunity needs 0.75 x 2.4 / 4 = 0.45.
  World base = make_world(1, 2);
  set_capabilities(base, 0, {0.9, 0.9});
  for (int i = 0; i < 2; ++i)
    base.opportunities.push_back(
        make_opportunity(static_cast<std::uint64_t>(i), requirements_on({0, 1}), {0}, 2.4, 4));
  SECTION("the winner keeps its capacity: no room for the second bid") {
    const ModelParameters p = with_external(-100);
    World w = base;
    w.params = &p;
    consortia_and_award(w);
    CHECK(w.counters.bids == 1);
    CHECK(w.projects.size() == 1);
    CHECK(w.load[0] == Approx(0.45));
  }
  SECTION("a loser releases it: both bids are made") {
    const ModelParameters p = with_external(100);
    World w = base;
    w.params = &p;
    consortia_and_award(w);
    CHECK(w.counters.bids == 2);
    CHECK(w.projects.empty());
    CHECK(w.load[0] == Approx(0.0).margin(1e-12));
  }
  SECTION("no free capacity, no bid") {
    const ModelParameters p = with_external(-100);
    World w = base;
    w.params = &p;
    w.load[0] = 0.1;
    consortia_and_award(w);
    CHECK(w.counters.bids == 0);
  }
}

TEST_CASE("award: win probability exp(score) / (sum + exp(external_score))", "[mechanism]") {
  // A solo bid with coverage 1, coordination 1, reputation 0.5 and n solo successes:
  // score = 2 + 1 + (1 - exp(-n/3)) + 0.5.
  constexpr int kOpportunities = 3000;
  auto wins = [&](double external, int solo_successes) {
    const ModelParameters p = with_external(external);
    World w = make_world(1, 2);
    w.params = &p;
    w.capacity[0] = 1e9;
    w.solo_successes[0] = solo_successes;
    set_capabilities(w, 0, {0.9, 0.9});
    for (int i = 0; i < kOpportunities; ++i)
      w.opportunities.push_back(
          make_opportunity(static_cast<std::uint64_t>(i), requirements_on({0, 1}), {0}));
    consortia_and_award(w);
    CHECK(w.counters.bids == kOpportunities);
    return w.counters.projects_won;
  };
  auto chance = [](double score, double external) {
    return std::exp(score) / (std::exp(score) + std::exp(external));
  };
  const int at_3 = wins(3.0, 0);
  const int at_1 = wins(1.0, 0);
  check_rate(at_3, kOpportunities, chance(3.5, 3.0));
  check_rate(at_1, kOpportunities, chance(3.5, 1.0));
  CHECK(at_1 > at_3);  // a weaker competitor: more local wins
  check_rate(wins(3.0, 3), kOpportunities, chance(3.5 + 1 - std::exp(-1.0), 3.0));
}

TEST_CASE("consortia: joint_development lowers the threshold for >= 2 enrolled members",
          "[mechanism]") {
  // Six requirements: the lead covers 3 (0.5), its partner one more: 4/6 = 0.67, between the
  // joint threshold 0.65 and the normal 0.8.
  const ModelParameters p = with_external(-100);
  World base = make_world(2, 6);
  base.params = &p;
  base.willingness = {1, 1};
  set_capabilities(base, 0, {0.9, 0.9, 0.9, 0, 0, 0});
  set_capabilities(base, 1, {0, 0, 0, 0.9, 0, 0});
  base.add_tie(0, 1, 1.0, 0);
  base.step = 3;
  base.opportunities.push_back(make_opportunity(1, requirements_on({0, 1, 2, 3, 4, 5}), {0}));
  // Joint development on for both firms, with its defaults (subsidy_share 0.3,
  // development_cost_share 0.1, max_subsidy_dkk 100,000).
  const SwitchedOn joint = switch_on(base, "joint_development");

  World off = base;
  consortia_and_award(off);
  CHECK(off.counters.bids == 0);

  World on = base;
  consortia_and_award(on, joint.hooks);
  CHECK(on.counters.bids == 1);
  REQUIRE(on.projects.size() == 1);
  CHECK(on.projects[0].members == std::vector<int>{0, 1});
  CHECK(on.projects[0].subsidised);
  CHECK(on.ledger.cash_spent == Approx(0.3 * 0.1 * 1.2e6));  // 36,000 DKK < the 100,000 cap
  CHECK(on.last_programme_contact == std::vector<int>{3, 3});

  World one_enrolled = base;
  one_enrolled.enrolled[1] = 0;
  consortia_and_award(one_enrolled, joint.hooks);
  CHECK(one_enrolled.counters.bids == 0);

  World alone = base;  // the lead covers 4 of 6 itself and has nobody to add
  set_capabilities(alone, 0, {0.9, 0.9, 0.9, 0.9, 0, 0});
  consortia_and_award(alone, joint.hooks);
  CHECK(alone.counters.bids == 0);
}

// ---------------------------------------------------------------------------------------------
// Phases 6-7: projects run and end
// ---------------------------------------------------------------------------------------------

namespace {

// A project of firms 0 and 1 (shares 0.75 / 0.25), value 1.2, 4 months, paying steps 1-4,
// requiring c0 and c1 at 0.5.
Project two_firm_project(std::uint64_t key = 1) {
  Project project;
  project.key = key;
  project.value = 1.2;
  project.duration = 4;
  project.start = 1;
  project.end = 4;
  project.members = {0, 1};
  project.shares = {0.75, 0.25};
  project.requirements = {{0, 0.5}, {1, 0.5}};
  return project;
}

World project_world() {
  World w = make_world(4, 3);
  set_capabilities(w, 0, {0.9, 0.6, 0.1});
  set_capabilities(w, 1, {0.5, 0.2, 0.8});
  w.absorptive = {0.5, 0.5, 0.5, 0.5};
  w.add_tie(0, 1, 0.4, 0);
  w.projects.push_back(two_firm_project());
  const double monthly = 0.75 * 1.2 / 4;
  w.load[0] = 0.75 * monthly;
  w.load[1] = 0.25 * monthly;
  return w;
}

}  // namespace

TEST_CASE("projects: monthly payments, trust and learning while running", "[mechanism]") {
  World w = project_world();
  w.step = 0;  // before its first paying step: nothing happens
  run_projects(w);
  CHECK(w.income_this_step == std::vector<double>{0, 0, 0, 0});
  CHECK(trust_between(w, 0, 1) == 0.4);

  w.step = 1;
  run_projects(w);
  const double monthly = 0.75 * 1.2 / 4;  // 0.225
  CHECK(w.income_this_step[0] == Approx(0.75 * monthly));
  CHECK(w.income_this_step[1] == Approx(0.25 * monthly));
  CHECK(trust_between(w, 0, 1) == Approx(0.4 + 0.05 * 0.6));
  CHECK(w.ties[w.find_tie(0, 1)].last_interaction == 1);
  // Firm 1 learns toward the best member on each required capability:
  // += 0.1 x absorptive x gap / duration. The leader and unrequired capabilities stay.
  CHECK(w.capability(1, 0) == Approx(0.5 + 0.1 * 0.5 * 0.4 / 4));
  CHECK(w.capability(1, 1) == Approx(0.2 + 0.1 * 0.5 * 0.4 / 4));
  CHECK(w.capability(1, 2) == 0.8);
  CHECK(w.capability(0, 0) == 0.9);
  CHECK(w.capability(0, 1) == 0.6);
  CHECK(w.capability(0, 2) == 0.1);  // c2 is not required: firm 1's lead there teaches nothing

  for (int t = 2; t <= 4; ++t) {
    w.step = t;
    run_projects(w);
  }
  CHECK(trust_between(w, 0, 1) == Approx(1 - 0.6 * std::pow(0.95, 4)));
  std::fill(w.income_this_step.begin(), w.income_this_step.end(), 0.0);
  w.step = 5;  // after its last paying step
  run_projects(w);
  CHECK(w.income_this_step == std::vector<double>{0, 0, 0, 0});
}

TEST_CASE("projects: success pays the rest and builds trust, reputation and motivation",
          "[mechanism]") {
  ModelParameters p = small::spec_parameters();
  p.success_intercept = 50;  // certain success
  World w = project_world();
  w.params = &p;
  w.record_events = true;
  w.step = 3;
  end_projects(w);  // not its end step
  CHECK(w.projects.size() == 1);
  w.step = 4;
  end_projects(w);
  CHECK(w.projects.empty());
  CHECK(w.counters.projects_succeeded == 1);
  CHECK(w.counters.projects_failed == 0);
  CHECK(w.income_this_step[0] == Approx(0.75 * 0.25 * 1.2));
  CHECK(w.income_this_step[1] == Approx(0.25 * 0.25 * 1.2));
  CHECK(w.load[0] == Approx(0).margin(1e-12));
  CHECK(w.load[1] == Approx(0).margin(1e-12));
  CHECK(w.reputation[0] == Approx(0.55));
  CHECK(w.reputation[1] == Approx(0.55));
  CHECK(w.reputation[2] == 0.5);
  CHECK(w.motivation[0] == Approx(0.70));
  const Tie& tie = w.ties[w.find_tie(0, 1)];
  CHECK(tie.trust == Approx(0.5));
  CHECK(tie.joint_projects == 1);
  CHECK(tie.joint_successes == 1);
  CHECK(tie.type() == 1);               // now a partner tie
  CHECK(w.solo_successes[0] == 0);      // a consortium success is no solo track record
  CHECK(w.strategic_networks.empty());  // two firms are no strategic network
  CHECK(count_events(w, EventType::project_succeeded) == 1);
}

TEST_CASE("projects: failure pays nothing more and costs trust, reputation and motivation",
          "[mechanism]") {
  ModelParameters p = small::spec_parameters();
  p.success_intercept = -50;  // certain failure
  World w = project_world();
  w.params = &p;
  w.record_events = true;
  w.step = 4;
  end_projects(w);
  CHECK(w.projects.empty());
  CHECK(w.counters.projects_failed == 1);
  CHECK(w.income_this_step == std::vector<double>{0, 0, 0, 0});
  CHECK(w.load[0] == Approx(0).margin(1e-12));
  CHECK(w.reputation[0] == Approx(0.45));
  CHECK(w.reputation[1] == Approx(0.45));
  CHECK(w.motivation[0] == Approx(0.55));
  const Tie& tie = w.ties[w.find_tie(0, 1)];
  CHECK(tie.trust == Approx(0.25));
  CHECK(tie.joint_successes == 0);
  CHECK(count_events(w, EventType::project_failed) == 1);
}

TEST_CASE("projects: success probability is logistic(-1 + 3 margin + 2 coord + exp + 0.5 sub)",
          "[mechanism]") {
  // Two members at the minimum (margin 0), pair trust 0.2 (coordination 0.2), no joint
  // successes yet (experience 0): logistic(-1 + 0.4) = 0.354; subsidised: logistic(-0.1).
  constexpr int kTrials = 3000;
  for (bool subsidised : {false, true}) {
    World w = make_world(2, 2);
    set_capabilities(w, 0, {0.8, 0});
    set_capabilities(w, 1, {0, 0.8});
    const int tie = w.add_tie(0, 1, 0.2, 0);
    int successes = 0;
    for (int i = 0; i < kTrials; ++i) {
      Project project = two_firm_project(static_cast<std::uint64_t>(i));
      project.requirements = {{0, 0.8}, {1, 0.8}};
      project.subsidised = subsidised;
      w.projects = {project};
      w.counters = StepCounters{};
      w.step = 4;
      end_projects(w);
      successes += w.counters.projects_succeeded;
      w.ties[tie].trust = 0.2;  // undo the outcome's effects
      w.ties[tie].joint_successes = 0;
    }
    INFO("subsidised " << subsidised);
    check_rate(successes, kTrials, logistic(-1 + 2 * 0.2 + (subsidised ? 0.5 : 0.0)));
  }
}

TEST_CASE("projects: a 3-firm team that succeeds twice is one strategic network", "[mechanism]") {
  ModelParameters p = small::spec_parameters();
  p.success_intercept = 50;
  World w = make_world(5, 2);
  w.params = &p;
  auto team_project = [](std::uint64_t key, std::vector<int> members, int end) {
    Project project;
    project.key = key;
    project.duration = 3;
    project.value = 1;
    project.start = end - 2;
    project.end = end;
    project.members = std::move(members);
    project.shares.assign(project.members.size(),
                          1.0 / static_cast<double>(project.members.size()));
    return project;
  };
  w.projects = {team_project(1, {2, 0, 1}, 3), team_project(2, {0, 1, 2}, 5),
                team_project(3, {3, 4}, 5)};
  w.step = 3;
  end_projects(w);
  CHECK(w.strategic_networks.size() == 1);
  w.step = 5;
  end_projects(w);
  CHECK(w.strategic_networks.size() == 1);
  CHECK(*w.strategic_networks.begin() == std::vector<int>{0, 1, 2});
  // Members without ties get nothing from a success (ties come at award), so the pairs that had
  // none stay without.
  CHECK(w.find_tie(0, 1) < 0);
}

TEST_CASE("projects: legacy orders pay but do not move reputation (documented decision)",
          "[mechanism]") {
  // Legacy orders are the firm's existing business: its starting reputation already reflects
  // them, so their outcomes pay (or not) without touching reputation, motivation, the track
  // record or the project counters.
  for (double success : {1.0, 0.0}) {
    World w = make_world(1, 2);
    Project project;
    project.key = (1ull << 63) | 1;
    project.value = 2;
    project.duration = 4;
    project.start = -2;
    project.end = 1;
    project.members = {0};
    project.shares = {1};
    project.legacy = true;
    project.legacy_success = success;
    w.projects = {project};
    w.load[0] = 0.75 * 2 / 4;
    w.step = 1;
    run_projects(w);
    end_projects(w);
    INFO("legacy success probability " << success);
    CHECK(w.projects.empty());
    CHECK(w.load[0] == Approx(0).margin(1e-12));
    CHECK(w.income_this_step[0] == Approx(0.75 * 2 / 4 + (success > 0 ? 0.25 * 2 : 0.0)));
    CHECK(w.reputation[0] == 0.5);
    CHECK(w.motivation[0] == 0.65);
    CHECK(w.solo_successes[0] == 0);
    CHECK(w.counters.projects_succeeded == 0);
    CHECK(w.counters.projects_failed == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 8: encounters
// ---------------------------------------------------------------------------------------------

namespace {

// How often firm 0 met each other firm over `steps` steps; ties are cleared after each step so
// each step starts empty. A tie formed and met again in the same step carries 0.15 + 0.05 k.
std::vector<int> meetings_of_zero(World& w, int steps) {
  std::vector<int> met(w.firm_count, 0);
  for (int t = 0; t < steps; ++t) {
    w.step = t;
    encounters(w);
    for (const auto& tie : w.ties) {
      if (!tie.alive) continue;
      REQUIRE(tie.a == 0);
      met[tie.b] += 1 + static_cast<int>(std::lround((tie.trust - 0.15) / 0.05));
    }
    remove_all_ties(w);
  }
  return met;
}

}  // namespace

TEST_CASE("encounters: firms with willingness 0 (or no staff) meet nobody", "[mechanism]") {
  World w = make_world(10, 3);
  for (int f = 0; f < 10; ++f) w.x_km[f] = f;  // all within a few km
  w.willingness.assign(10, 0);
  initialise_encounters(w);
  for (int t = 0; t < 300; ++t) {
    w.step = t;
    encounters(w);
  }
  CHECK(live_ties(w) == 0);

  w.willingness.assign(10, 1);
  w.employees.assign(10, 0);
  for (int t = 0; t < 300; ++t) {
    w.step = t;
    encounters(w);
  }
  CHECK(live_ties(w) == 0);
}

TEST_CASE("encounters: a near firm is met more often than a far one, as exp(-d/30)",
          "[mechanism]") {
  // Only firm 0 seeks (willingness 1, 10,000 employees: one encounter a month on average); firms
  // 1 and 2 are identical but 5 km and 60 km away.
  World w = make_world(3, 3);
  w.x_km = {0, 5, 60};
  w.willingness = {1, 0, 0};
  w.employees = {10000, 100, 100};
  initialise_encounters(w);
  const auto met = meetings_of_zero(w, 3000);
  CHECK(met[0] == 0);
  const int total = met[1] + met[2];
  CHECK(total > 2000);
  const double near = std::exp(-5.0 / 30), far = std::exp(-60.0 / 30);
  check_rate(met[2], total, far / (near + far));
}

TEST_CASE("encounters: reputation attracts contacts, as 0.5 + reputation", "[mechanism]") {
  // Firms 1 and 2 are equally far (5 km each side) and alike but for reputation 1 and 0.
  World w = make_world(3, 3);
  w.x_km = {0, 5, -5};
  w.willingness = {1, 0, 0};
  w.employees = {10000, 100, 100};
  w.reputation = {0.5, 1.0, 0.0};
  initialise_encounters(w);
  const auto met = meetings_of_zero(w, 3000);
  check_rate(met[1], met[1] + met[2], 1.5 / (1.5 + 0.5));
}

TEST_CASE("encounters: same main segment and complementarity each double the weight",
          "[mechanism]") {
  // Firms 1 and 2 equally far. First they differ only in main segment; then only in
  // complementarity (firm 1 is strong where firm 0 is weak: 1 + 1; firm 2 has no strengths).
  World w = make_world(3, 3);
  w.x_km = {0, 5, -5};
  w.willingness = {1, 0, 0};
  w.employees = {10000, 100, 100};
  w.main_segment = {0, 0, 1};
  initialise_encounters(w);
  auto met = meetings_of_zero(w, 3000);
  check_rate(met[1], met[1] + met[2], 2.0 / 3);

  w.main_segment = {0, 0, 0};
  set_capabilities(w, 0, {0.2, 0.2, 0.9});
  set_capabilities(w, 1, {0.8, 0.6, 0.2});  // strong in 2, both where firm 0 is weak: 1
  set_capabilities(w, 2, {0.4, 0.4, 0.4});  // strong nowhere: 0
  met = meetings_of_zero(w, 3000);
  check_rate(met[1], met[1] + met[2], 2.0 / 3);
}

TEST_CASE("encounters: no self-ties, existing ties gain trust", "[mechanism]") {
  World w = make_world(3, 3);
  w.x_km = {0, 0, 0};
  w.willingness = {1, 1, 1};
  w.employees = {10000, 10000, 10000};
  initialise_encounters(w);
  w.add_tie(0, 1, 0.4, 0);
  for (int t = 1; t <= 300; ++t) {
    w.step = t;
    encounters(w);
  }
  for (const auto& tie : w.ties) {
    if (!tie.alive) continue;
    CHECK(tie.a < tie.b);
  }
  for (int f = 0; f < 3; ++f)
    for (const auto& n : w.adjacency[f]) CHECK(n.firm != f);
  CHECK(live_ties(w) == 3);
  // Three firms meeting about once a month each for 300 months: every pair maxed out.
  CHECK(trust_between(w, 0, 1) == 1.0);
  CHECK(trust_between(w, 1, 2) == 1.0);
}

// ---------------------------------------------------------------------------------------------
// Phase 9: triadic closure
// ---------------------------------------------------------------------------------------------

TEST_CASE("closure: two trusted ties of a firm close with probability closure_probability",
          "[mechanism]") {
  auto closures = [](double trust_a, double trust_b, int steps) {
    World w = make_world(3, 2);
    w.add_tie(0, 1, trust_a, 0);
    w.add_tie(0, 2, trust_b, 0);
    int closed = 0;
    for (int t = 0; t < steps; ++t) {
      w.step = t;
      triadic_closure(w);
      const int tie = w.find_tie(1, 2);
      if (tie < 0) continue;
      ++closed;
      CHECK(w.ties[tie].trust == 0.2);
      CHECK(w.ties[tie].created == t);
      w.remove_tie(tie);
    }
    CHECK(trust_between(w, 0, 1) == trust_a);  // the introducer's own ties are not touched
    return closed;
  };
  constexpr int kSteps = 4000;
  check_rate(closures(0.6, 0.9, kSteps), kSteps, 0.05);
  check_rate(closures(0.5, 0.5, kSteps), kSteps, 0.05);  // 0.5 is trusted enough
  CHECK(closures(0.6, 0.45, kSteps) == 0);               // one weak tie: never
  CHECK(closures(0.2, 0.2, kSteps) == 0);
}

TEST_CASE("closure: an existing tie between the two is left as it is", "[mechanism]") {
  World w = make_world(3, 2);
  w.add_tie(0, 1, 0.9, 0);
  w.add_tie(0, 2, 0.9, 0);
  const int tie = w.add_tie(1, 2, 0.05, 0);
  for (int t = 1; t < 500; ++t) {
    w.step = t;
    triadic_closure(w);
  }
  CHECK(live_ties(w) == 3);
  CHECK(w.ties[tie].trust == 0.05);
}

TEST_CASE("closure: introduces only untied pairs of trusted neighbours (v2.5)", "[mechanism]") {
  // Firm 0 trusts 1, 2 and 3; 1 and 2 are already tied. Every closure it makes is (1,3) or
  // (2,3), with probability closure_probability a month (the draw never wastes on (1,2)).
  World w = make_world(4, 2);
  w.add_tie(0, 1, 0.9, 0);
  w.add_tie(0, 2, 0.9, 0);
  w.add_tie(0, 3, 0.9, 0);
  const int tied = w.add_tie(1, 2, 0.1, 0);
  int closed = 0;
  constexpr int kSteps = 4000;
  for (int t = 0; t < kSteps; ++t) {
    w.step = t;
    triadic_closure(w);
    for (auto [a, b] : {std::pair{1, 3}, std::pair{2, 3}}) {
      const int tie = w.find_tie(a, b);
      if (tie < 0) continue;
      ++closed;
      w.remove_tie(tie);
    }
  }
  // Firms 1 and 2 hold a single trusted tie each (to 0); only firm 0 introduces.
  check_rate(closed, kSteps, 0.05);
  CHECK(w.ties[tied].trust == 0.1);
}

TEST_CASE("market: legacy orders follow the sales weights, export ones run longer (v2.5)",
          "[mechanism]") {
  World w = make_world(400, 2);
  for (int f = 0; f < w.firm_count; ++f) {
    w.export_share[f] = 0.5;
    w.market_share[f] = {1, 0, 0};
  }
  initialise_market(w);
  w.projects.clear();
  std::fill(w.load.begin(), w.load.end(), 0.0);
  create_legacy_orders(w);
  const ModelParameters& p = *w.params;
  const double success =
      1 / (1 + std::exp(-(p.success_intercept + p.success_margin * 0.2 + p.success_coordination)));
  const double per_value = p.monthly_payment_share + (1 - p.monthly_payment_share) * success;
  int exported = 0;
  std::vector<double> expected_monthly(static_cast<std::size_t>(w.firm_count), 0.0);
  for (const Project& project : w.projects) {
    CHECK(project.legacy);
    const bool is_export = project.segment == 3;
    exported += is_export ? 1 : 0;
    if (is_export) {
      CHECK(project.duration >= p.export_duration_min);
      CHECK(project.duration <= p.export_duration_max);
    } else {
      CHECK(project.segment == 0);
      CHECK(project.duration <= p.duration_max);
    }
    expected_monthly[static_cast<std::size_t>(project.members[0])] +=
        per_value * project.value / project.duration;
  }
  REQUIRE(w.projects.size() == 1600);
  check_rate(exported, 1600, 0.5);
  // Sized to expected payments, success probability included.
  for (int f = 0; f < w.firm_count; ++f)
    CHECK(expected_monthly[static_cast<std::size_t>(f)] == Approx(w.project_book(f) / 12));
}

// ---------------------------------------------------------------------------------------------
// Phase 10: knowledge spill-over
// ---------------------------------------------------------------------------------------------

TEST_CASE("spillover: 0.003 x trust x absorptive x gap toward the one behind", "[mechanism]") {
  World w = make_world(2, 3);
  set_capabilities(w, 0, {0.2, 0.8, 0.5});
  set_capabilities(w, 1, {0.6, 0.4, 0.5});
  w.absorptive = {0.5, 0.8};
  w.add_tie(0, 1, 0.6, 0);
  knowledge_spillover(w);
  CHECK(w.capability(0, 0) == Approx(0.2 + 0.003 * 0.6 * 0.5 * 0.4).epsilon(1e-14));
  CHECK(w.capability(1, 1) == Approx(0.4 + 0.003 * 0.6 * 0.8 * 0.4).epsilon(1e-14));
  CHECK(w.capability(0, 1) == 0.8);  // ahead: unchanged
  CHECK(w.capability(1, 0) == 0.6);
  CHECK(w.capability(0, 2) == 0.5);  // level: unchanged
  CHECK(w.capability(1, 2) == 0.5);
}

TEST_CASE("spillover: only over collaboration ties (trust >= collab_trust)", "[mechanism]") {
  for (double trust : {0.29, 0.3}) {
    World w = make_world(2, 1);
    set_capabilities(w, 0, {0.2});
    set_capabilities(w, 1, {0.6});
    w.add_tie(0, 1, trust, 0);
    knowledge_spillover(w);
    INFO("trust " << trust);
    if (trust < 0.3)
      CHECK(w.capability(0, 0) == 0.2);
    else
      CHECK(w.capability(0, 0) == Approx(0.2 + 0.003 * 0.3 * 0.5 * 0.4).epsilon(1e-14));
  }
  World dead = make_world(2, 1);
  set_capabilities(dead, 0, {0.2});
  set_capabilities(dead, 1, {0.6});
  dead.remove_tie(dead.add_tie(0, 1, 0.9, 0));
  knowledge_spillover(dead);
  CHECK(dead.capability(0, 0) == 0.2);
}

TEST_CASE("spillover: all changes come from the start-of-phase state (order independent)",
          "[mechanism]") {
  // A chain 0 - 1 - 2 with levels 0.9, 0.5, 0.1. Firm 2 learns from firm 1's starting level
  // (0.5), not from what firm 1 just learned from firm 0. Relabelled 2 - 1 - 0, the result is the
  // mirror image.
  auto chain = [](bool mirrored) {
    World w = make_world(3, 1);
    const int first = mirrored ? 2 : 0, last = mirrored ? 0 : 2;
    set_capabilities(w, first, {0.9});
    set_capabilities(w, 1, {0.5});
    set_capabilities(w, last, {0.1});
    w.absorptive[first] = 0.3;
    w.absorptive[1] = 0.6;
    w.absorptive[last] = 0.9;
    w.add_tie(first, 1, 0.7, 0);
    w.add_tie(1, last, 0.4, 0);
    knowledge_spillover(w);
    return std::vector<double>{w.capability(first, 0), w.capability(1, 0), w.capability(last, 0)};
  };
  const auto forward = chain(false);
  CHECK(forward[0] == 0.9);
  CHECK(forward[1] == Approx(0.5 + 0.003 * 0.7 * 0.6 * 0.4).epsilon(1e-14));
  CHECK(forward[2] == Approx(0.1 + 0.003 * 0.4 * 0.9 * 0.4).epsilon(1e-14));
  CHECK(chain(true) == forward);
}

// ---------------------------------------------------------------------------------------------
// Phase 11: firm development
// ---------------------------------------------------------------------------------------------

TEST_CASE("development: chance 0.02 x ambition x boosts, one step of 0.1", "[mechanism]") {
  // Five groups of 200 firms, each developing capability 0 only.
  //   0: ambition 1                          0.02
  //   1: ambition 0.5                        0.01
  //   2: ambition 1, dev activated           0.04
  //   3: ambition 1, activated, study trip   0.06
  //   4: ambition 1, joint development       0.03 (members of running consortia of 2
  //      enrolled firms; group 0 is enrolled too but in no consortium: no boost)
  constexpr int kGroup = 200, kSteps = 100;
  World w = make_world(5 * kGroup, 3);
  for (int f = 0; f < w.firm_count; ++f) {
    const int g = f / kGroup;
    w.dev_capabilities[f] = {0};
    w.ambition[f] = g == 1 ? 0.5 : 1.0;
    w.dev_activated[f] = g == 2 || g == 3;
    w.study_trip_until[f] = g == 3 ? kSteps : -1;
    w.enrolled[f] = g == 4 || g == 0;
  }
  for (int f = 4 * kGroup; f < 5 * kGroup; f += 2) {
    Project running;
    running.start = 0;
    running.end = kSteps + 10;
    running.members = {f, f + 1};
    running.shares = {0.5, 0.5};
    w.projects.push_back(running);
  }
  const SwitchedOn joint = switch_on(w, "joint_development");  // its targets: the enrolled
  int rises[5] = {0, 0, 0, 0, 0};
  for (int t = 0; t < kSteps; ++t) {
    w.step = t;
    firm_development(w, joint.hooks);
    for (int f = 0; f < w.firm_count; ++f) {
      if (w.capability(f, 0) != 0.5) {
        CHECK(w.capability(f, 0) == Approx(0.6));
        rises[f / kGroup] += 1;
        w.capability(f, 0) = 0.5;
      }
      if (w.capability(f, 1) != 0.5 || w.capability(f, 2) != 0.5) FAIL("a non-dev capability rose");
    }
  }
  const double expected[5] = {0.02, 0.01, 0.04, 0.06, 0.03};
  for (int g = 0; g < 5; ++g) {
    INFO("group " << g);
    check_rate(rises[g], kGroup * kSteps, expected[g]);
  }
}

TEST_CASE("development: only dev capabilities rise, capped at 1", "[mechanism]") {
  ModelParameters p = small::spec_parameters();
  p.development_rate = 1;  // develops every month
  World w = make_world(3, 3);
  w.params = &p;
  w.ambition.assign(3, 1);
  w.dev_capabilities = {{1, 2}, {}, {0}};
  set_capabilities(w, 0, {0.2, 0.95, 0.95});
  set_capabilities(w, 1, {0.2, 0.2, 0.2});
  set_capabilities(w, 2, {0.55, 0.2, 0.2});
  for (int t = 0; t < 20; ++t) {
    w.step = t;
    firm_development(w);
  }
  CHECK(w.capability(0, 0) == 0.2);
  CHECK(w.capability(0, 1) == 1.0);
  CHECK(w.capability(0, 2) == 1.0);
  CHECK(w.capability(1, 0) == 0.2);  // no dev opportunities: nothing to develop
  CHECK(w.capability(1, 1) == 0.2);
  CHECK(w.capability(2, 0) == 1.0);
  CHECK(w.capability(2, 1) == 0.2);
}

// ---------------------------------------------------------------------------------------------
// Phase 12: growth
// ---------------------------------------------------------------------------------------------

TEST_CASE("growth: without shocks base revenue grows by exp(g / 12)", "[mechanism]") {
  ModelParameters p = small::spec_parameters();
  p.growth_sigma = 0;
  p.reputation_reversion = 0;  // reputation held where the test puts it (reversion: below)
  World w = make_world(3, 2);
  w.params = &p;
  // Firm 0: export 0.25, domestic 0.5 / 0.3 / 0.2:
  //   g = 0.25 x 0.04 + 0.75 x (0.5 x 0.02 + 0.3 x 0.05 + 0.2 x 0.01) = 0.03025.
  w.export_share = {0.25, 0.25, 0.25};
  w.market_share.assign(3, {0.5, 0.3, 0.2});
  reset_initial_capability(w);
  // Firm 1 gained 0.2 mean capability since the start; firm 2 gained 0.1 reputation.
  set_capabilities(w, 1, {0.7, 0.7});
  w.reputation[2] = 0.6;
  const std::vector<double> before = w.base_revenue;
  const double g = 0.03025;
  w.step = 0;
  growth(w);
  CHECK(w.base_revenue[0] == Approx(before[0] * std::exp(g / 12)).epsilon(1e-13));
  CHECK(w.base_revenue[1] == Approx(before[1] * std::exp((g + 0.15 * 0.2) / 12)).epsilon(1e-13));
  CHECK(w.base_revenue[2] ==
        Approx(before[2] * std::exp((g + p.growth_reputation_coef * 0.1) / 12)).epsilon(1e-13));
  CHECK(w.base_revenue[1] > w.base_revenue[0]);  // capability gain raises growth
  CHECK(w.base_revenue[2] > w.base_revenue[0]);
  // Capacity grows with base revenue.
  CHECK(w.capacity[0] == Approx(w.initial_capacity[0] * w.base_revenue[0] / before[0]));
  // Twelve months compound to exp(g).
  for (int t = 1; t < 12; ++t) {
    w.step = t;
    growth(w);
  }
  CHECK(w.base_revenue[0] == Approx(before[0] * std::exp(g)).epsilon(1e-12));
}

TEST_CASE("growth: reputation reverts toward 0.5 before growth reads it", "[mechanism]") {
  ModelParameters p = small::spec_parameters();
  p.growth_sigma = 0;
  World w = make_world(3, 2);
  w.params = &p;
  w.export_share.assign(3, 0);
  w.market_share.assign(3, {1, 0, 0});
  reset_initial_capability(w);
  w.reputation = {0.9, 0.5, 0.1};
  const std::vector<double> before = w.base_revenue;
  w.step = 0;
  growth(w);
  const double r = p.reputation_reversion;
  CHECK(r == 0.02);
  CHECK(w.reputation[0] == Approx(0.9 + r * (0.5 - 0.9)).epsilon(1e-15));
  CHECK(w.reputation[1] == 0.5);
  CHECK(w.reputation[2] == Approx(0.1 + r * 0.4).epsilon(1e-15));
  // Growth reads the reverted reputation.
  const double g0 = p.drift_food + p.growth_reputation_coef * (w.reputation[0] - 0.5);
  CHECK(w.base_revenue[0] == Approx(before[0] * std::exp(g0 / 12)).epsilon(1e-13));
  // Without successes or failures a high reputation halves its distance to 0.5 in about
  // ln 2 / 0.02 = 35 months.
  for (int t = 1; t < 35; ++t) {
    w.step = t;
    growth(w);
  }
  CHECK(w.reputation[0] == Approx(0.5 + 0.4 * std::pow(1 - r, 35)).epsilon(1e-12));
  CHECK(w.reputation[0] < 0.71);
}

TEST_CASE("growth: employees move 10% toward revenue / productivity", "[mechanism]") {
  ModelParameters p = small::spec_parameters();
  p.growth_sigma = 0;
  World w = make_world(1, 2);
  w.params = &p;
  w.market_share[0] = {1, 0, 0};
  w.export_share[0] = 0;
  set_revenue(w, 0, 12);  // productivity 0.12 mDKK per employee at 100 employees
  w.employees[0] = 80;
  for (int m = 0; m < 12; ++m) w.book_ring[m] = 0.5;  // a bigger project book: 6 mDKK/yr
  w.step = 0;
  growth(w);
  const double base = 9 * std::exp(0.02 / 12);
  CHECK(w.base_revenue[0] == Approx(base).epsilon(1e-13));
  CHECK(w.employees[0] == Approx(80 + 0.1 * ((base + 6) / 0.12 - 80)).epsilon(1e-13));
}

TEST_CASE("growth: shocks are common random numbers keyed by (seed, replicate, step, firm)",
          "[mechanism]") {
  // The implied shock sigma/sqrt(12) eps = ln(B'/B) - (g - sigma^2/2)/12 is the same in two
  // worlds that differ in everything but the keys.
  auto shocks = [](std::uint64_t seed, std::uint64_t replicate, bool variant) {
    World w = make_world(4, 2, seed, replicate);
    w.export_share.assign(4, 0);
    reset_initial_capability(w);
    if (variant)
      for (int f = 0; f < 4; ++f) {
        set_capabilities(w, f, {0.9, 0.8});
        w.reputation[f] = 0.8;
        w.base_revenue[f] *= 2;
      }
    const ModelParameters& p = *w.params;
    std::vector<double> out;
    for (int t = 0; t < 6; ++t) {
      w.step = t;
      std::vector<double> g(4);
      for (int f = 0; f < 4; ++f) {
        // Growth reads the reputation after this month's reversion toward 0.5.
        const double reputation =
            w.reputation[f] + p.reputation_reversion * (0.5 - w.reputation[f]);
        g[f] = p.drift_food + p.growth_capability_coef * (w.mean_capability(f) - 0.5) +
               p.growth_reputation_coef * (reputation - 0.5);
      }
      const std::vector<double> before = w.base_revenue;
      growth(w);
      for (int f = 0; f < 4; ++f) {
        const double s = p.growth_sigma;
        out.push_back(std::log(w.base_revenue[f] / before[f]) - (g[f] - s * s / 2) / 12);
      }
    }
    return out;
  };
  const auto baseline = shocks(11, 0, false);
  const auto variant = shocks(11, 0, true);
  REQUIRE(baseline.size() == variant.size());
  for (std::size_t i = 0; i < baseline.size(); ++i)
    CHECK(variant[i] == Approx(baseline[i]).margin(1e-12));
  CHECK(shocks(11, 1, false) != baseline);
  CHECK(shocks(12, 0, false) != baseline);
  // Different firms and steps draw different shocks.
  CHECK(baseline[0] != baseline[1]);
  CHECK(baseline[0] != baseline[4]);
}

// ---------------------------------------------------------------------------------------------
// Phase 13: decay
// ---------------------------------------------------------------------------------------------

TEST_CASE("decay: delta = 0.14 / (1 + 2 jp) / (1 + age / 12), halved in a cluster organisation",
          "[mechanism]") {
  World w = make_world(6, 2);
  const int plain = w.add_tie(0, 1, 0.5, 0);
  const int partner = w.add_tie(1, 2, 0.5, 0);
  w.ties[partner].joint_projects = 1;
  const int young = w.add_tie(2, 3, 0.5, 3);
  const int clustered = w.add_tie(3, 4, 0.5, 0);
  w.cluster_org[3] = w.cluster_org[4] = 7;
  const int other_orgs = w.add_tie(4, 5, 0.5, 0);
  w.cluster_org[5] = 8;
  w.cluster_organisations = 9;
  const int busy = w.add_tie(0, 5, 0.5, 0);
  w.ties[busy].last_interaction = 6;
  w.step = 6;
  decay(w);
  CHECK(w.ties[plain].trust == Approx(0.5 * (1 - 0.14 / 1.5)).epsilon(1e-14));
  CHECK(w.ties[partner].trust == Approx(0.5 * (1 - 0.14 / 3 / 1.5)).epsilon(1e-14));
  CHECK(w.ties[young].trust == Approx(0.5 * (1 - 0.14 / 1.25)).epsilon(1e-14));
  CHECK(w.ties[clustered].trust == Approx(0.5 * (1 - 0.14 / 1.5 / 2)).epsilon(1e-14));
  CHECK(w.ties[other_orgs].trust == Approx(0.5 * (1 - 0.14 / 1.5)).epsilon(1e-14));
  CHECK(w.ties[busy].trust == 0.5);  // interacted this step: no decay
}

TEST_CASE("decay: weak non-trade ties dissolve, trade ties keep a floor", "[mechanism]") {
  World w = make_world(4, 2);
  w.record_events = true;
  // At age 12, delta = 0.07: 0.052 -> 0.04836 < 0.05.
  const int weak = w.add_tie(0, 1, 0.052, 0);
  const int trade = w.add_tie(2, 3, 0.105, 0);
  w.ties[trade].trade = true;
  const int trade_low = w.add_tie(0, 2, 0.04, 0);
  w.ties[trade_low].trade = true;
  w.step = 12;
  decay(w);
  CHECK_FALSE(w.ties[weak].alive);
  CHECK(w.find_tie(0, 1) < 0);
  CHECK(w.adjacency[1].empty());
  REQUIRE(count_events(w, EventType::tie_dissolved) == 1);
  const auto dissolved = std::find_if(w.events.begin(), w.events.end(), [](const Event& e) {
    return e.type == EventType::tie_dissolved;
  });
  CHECK(dissolved->firm_a == 0);
  CHECK(dissolved->firm_b == 1);
  CHECK(dissolved->step == 12);
  CHECK(dissolved->value == Approx(0.052 * 0.93));
  CHECK(w.ties[trade].alive);
  CHECK(w.ties[trade].trust == 0.1);  // 0.105 x 0.93 = 0.098 -> floor 0.1
  CHECK(w.ties[trade_low].alive);
  CHECK(w.ties[trade_low].trust == 0.1);
}

TEST_CASE("decay: an idle 0.15 tie is gone within 12 months, a partner tie at 0.45 stays",
          "[mechanism]") {
  World w = make_world(4, 2);
  const int acquaintance = w.add_tie(0, 1, 0.15, 0);
  const int partner = w.add_tie(2, 3, 0.45, 0);
  w.ties[partner].joint_projects = 1;
  int gone_at = -1;
  for (int t = 1; t <= 12; ++t) {
    w.step = t;
    decay(w);
    if (gone_at < 0 && !w.ties[acquaintance].alive) gone_at = t;
  }
  CHECK(gone_at > 6);
  CHECK(gone_at <= 12);
  CHECK(w.find_tie(0, 1) < 0);
  CHECK(w.ties[partner].alive);
  // The product of (1 - 0.14 / 3 / (1 + k/12)) for k = 1..12.
  double expected = 0.45;
  for (int k = 1; k <= 12; ++k) expected *= 1 - 0.14 / 3 / (1 + k / 12.0);
  CHECK(w.ties[partner].trust == Approx(expected).epsilon(1e-12));
  CHECK(w.ties[partner].trust > 0.3);
}

TEST_CASE("decay: enrolled firms without programme contact lose motivation and un-enrol",
          "[mechanism]") {
  World w = make_world(3, 2);
  w.record_events = true;
  w.motivation = {0.115, 0.115, 0.115};
  w.enrolled = {1, 1, 0};
  w.step = 1;
  w.last_programme_contact[1] = 1;  // contacted this month
  decay(w);
  CHECK(w.motivation[0] == Approx(0.105));
  CHECK(w.enrolled[0] == 1);
  CHECK(w.motivation[1] == 0.115);
  CHECK(w.motivation[2] == 0.115);  // not enrolled: no programme to lose interest in
  w.step = 2;
  decay(w);
  CHECK(w.motivation[0] == Approx(0.095));
  CHECK(w.enrolled[0] == 0);
  CHECK(w.motivation[1] == Approx(0.105));
  CHECK(w.enrolled[1] == 1);
  CHECK(count_events(w, EventType::firm_unenrolled) == 1);
  w.step = 3;
  decay(w);
  CHECK(w.motivation[0] == Approx(0.095));  // no longer enrolled: no further loss
}

// ---------------------------------------------------------------------------------------------
// Phase 14: observe
// ---------------------------------------------------------------------------------------------

TEST_CASE("observe: metrics of a hand-built world", "[mechanism]") {
  // Firms 0-2 are the target group (2 not enrolled), 3-4 are not.
  World w = make_world(5, 2);
  w.participant = {1, 1, 1, 0, 0};
  w.enrolled = {1, 1, 0, 0, 0};
  const int trade = w.add_tie(0, 1, 0.5, 0);  // trade, with a joint project: type trade
  w.ties[trade].trade = true;
  w.ties[trade].joint_projects = 1;
  const int fresh = w.add_tie(0, 2, 0.6, 0);  // partner that became one during the run
  w.ties[fresh].joint_projects = 1;
  w.add_tie(1, 2, 0.2, 0);                  // knowledge, outside the collaboration graph
  const int old = w.add_tie(3, 4, 0.3, 0);  // partner at start, at collab_trust exactly
  w.ties[old].joint_projects = 2;
  w.ties[old].partner_at_start = true;
  w.add_tie(1, 3, 0.29, 0);                  // knowledge, just below collab_trust
  const int old2 = w.add_tie(1, 4, 0.1, 0);  // partner at start
  w.ties[old2].joint_projects = 1;
  w.ties[old2].partner_at_start = true;
  const int gone = w.add_tie(2, 3, 0.9, 0);  // a dissolved new partner tie: not counted
  w.ties[gone].joint_projects = 1;
  w.remove_tie(gone);
  w.strategic_networks.insert({0, 1, 2});
  w.counters.opportunities_arrived = 5;
  w.counters.bids = 3;
  w.counters.projects_won = 2;
  w.ledger.cash_spent = 1000;
  w.ledger.staff_hours_used_total = 10;
  std::vector<double> row;
  observe(w, false, row, nullptr);
  auto m = [&row](Metric metric) { return row[metric_index(metric)]; };

  CHECK(m(Metric::ties_trade) == 1);
  CHECK(m(Metric::ties_partner) == 3);
  CHECK(m(Metric::ties_knowledge) == 2);
  CHECK(m(Metric::mean_trust) == Approx((0.5 + 0.6 + 0.2 + 0.3 + 0.29 + 0.1) / 6));
  // Collaboration graph: 0-1, 0-2, 3-4 over five firms.
  CHECK(m(Metric::density) == Approx(2.0 * 3 / (5 * 4)));
  CHECK(m(Metric::mean_degree) == Approx(6.0 / 5));
  CHECK(m(Metric::components) == 2);
  CHECK(m(Metric::largest_component_share) == Approx(0.6));
  CHECK(m(Metric::clustering_coefficient) == 0);
  // Among the target group: 0-1, 0-2.
  CHECK(m(Metric::participant_density) == Approx(2.0 / 3));
  CHECK(m(Metric::participant_largest_component_share) == 1);
  CHECK(m(Metric::participant_degree_cv) == Approx(std::sqrt(6.0 / 27) / (4.0 / 3)));
  // New partners during the run: firms 0 and 2 (tie 0-2); firm 1 only has a trade tie with a
  // joint project and a partner tie from the start.
  CHECK(m(Metric::participant_new_partner_share) == Approx(2.0 / 3));
  // Revenue: 12 mDKK each (9 base + 3 book).
  CHECK(m(Metric::participant_revenue_mdkk) == Approx(36));
  CHECK(m(Metric::nonparticipant_revenue_mdkk) == Approx(24));
  // Value added: value_added_share (default 0.30) of each group's revenue.
  CHECK(m(Metric::participant_value_added_mdkk) == Approx(0.30 * 36));
  CHECK(m(Metric::nonparticipant_value_added_mdkk) == Approx(0.30 * 24));
  CHECK(m(Metric::project_revenue_mdkk) == Approx(9));
  CHECK(m(Metric::participant_employees) == 300);
  CHECK(m(Metric::participants_enrolled) == 2);
  CHECK(m(Metric::strategic_networks) == 1);
  CHECK(m(Metric::opportunities_arrived) == 5);
  CHECK(m(Metric::bids) == 3);
  CHECK(m(Metric::projects_won) == 2);
  CHECK(m(Metric::cash_dkk_cumulative) == 1000);
  CHECK(m(Metric::cost_dkk_cumulative) == Approx(1000 + 10 * 600));
  // No detection this step: cluster metrics are NaN.
  CHECK(std::isnan(m(Metric::modularity)));
  CHECK(std::isnan(m(Metric::clusters)));
}
