// The engine: determinism, common random numbers, and each mechanism pushing its outcome the
// right way against the same seed without it.
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "models/mechanisms.hpp"
#include "sim/io/inputs.hpp"
#include "sim/run/simulation.hpp"

using namespace klynge;

namespace {

const Inputs& workshop() {
  static const Inputs inputs = load_inputs(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  return inputs;
}

int variant_index(const Inputs& in, const std::string& name) {
  for (std::size_t i = 0; i < in.scenario.variants.size(); ++i)
    if (in.scenario.variants[i].name == name) return static_cast<int>(i);
  FAIL("no variant " << name);
  return -1;
}

double metric(const ReplicateOutput& out, int step, Metric m) {
  return out.metrics[static_cast<std::size_t>(step) * kMetricCount + metric_index(m)];
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Mean of a metric at a step over replicates of a variant.
double mean_metric(const Inputs& in, const std::string& variant, int step, Metric m, int reps) {
  double sum = 0;
  for (int r = 0; r < reps; ++r)
    sum += metric(Simulation(in, variant_index(in, variant), r, false).run(), step, m);
  return sum / reps;
}

}  // namespace

TEST_CASE("simulation: the same (variant, replicate) gives the same bits", "[engine]") {
  const Inputs& in = workshop();
  const int v = variant_index(in, "full_programme");
  const ReplicateOutput a = Simulation(in, v, 3, true).run();
  const ReplicateOutput b = Simulation(in, v, 3, true).run();
  CHECK(same_bits(a.metrics, b.metrics));
  CHECK(same_bits(a.final_firms, b.final_firms));
  CHECK(a.events.size() == b.events.size());
  CHECK(a.ties.size() == b.ties.size());
}

TEST_CASE("simulation: a stop flag ends a replicate between steps, unfinished", "[engine]") {
  const Inputs& in = workshop();
  const int v = variant_index(in, "baseline");
  std::atomic<bool> stop{true};
  Simulation stopped(in, v, 0, false);
  stopped.stop_on(&stop);
  stopped.run();
  CHECK(stopped.stopped());
  CHECK(stopped.world().step == 0);  // no step ran after the request

  stop = false;
  Simulation finished(in, v, 0, false);
  finished.stop_on(&stop);
  const ReplicateOutput out = finished.run();
  CHECK_FALSE(finished.stopped());
  CHECK(finished.world().step == in.scenario.horizon);
  CHECK(same_bits(out.metrics, Simulation(in, v, 0, false).run().metrics));
}

TEST_CASE("simulation: different replicates differ", "[engine]") {
  const Inputs& in = workshop();
  const int v = variant_index(in, "baseline");
  CHECK_FALSE(same_bits(Simulation(in, v, 0, false).run().metrics,
                        Simulation(in, v, 1, false).run().metrics));
}

TEST_CASE("common random numbers: arrivals are identical in every variant", "[engine][crn]") {
  const Inputs& in = workshop();
  for (int replicate = 0; replicate < 3; ++replicate) {
    std::vector<std::vector<std::pair<std::uint64_t, double>>> per_variant;
    for (std::size_t v = 0; v < in.scenario.variants.size(); ++v) {
      Simulation sim(in, static_cast<int>(v), replicate, false);
      std::vector<std::pair<std::uint64_t, double>> arrivals;
      for (int t = 0; t < in.scenario.horizon; ++t) {
        sim.step();
        for (const auto& o : sim.world().opportunities) arrivals.push_back({o.key, o.value});
      }
      per_variant.push_back(std::move(arrivals));
    }
    for (std::size_t v = 1; v < per_variant.size(); ++v) CHECK(per_variant[v] == per_variant[0]);
  }
}

TEST_CASE("common random numbers: the base awareness set is the same in every variant",
          "[engine][crn]") {
  const Inputs& in = workshop();
  // At step 0 nothing has differed yet except phase 1; base sets depend only on the market.
  Simulation baseline(in, variant_index(in, "baseline"), 0, false);
  Simulation full(in, variant_index(in, "meetings_only"), 0, false);
  baseline.step();
  full.step();
  REQUIRE(baseline.world().opportunities.size() == full.world().opportunities.size());
  for (std::size_t i = 0; i < baseline.world().opportunities.size(); ++i)
    CHECK(baseline.world().opportunities[i].aware == full.world().opportunities[i].aware);
}

TEST_CASE("common random numbers: growth shocks are the same in every variant", "[engine][crn]") {
  // Two worlds with the same base revenue, stripped of capability and reputation gains, grow
  // identically whatever the variant.
  const Inputs& in = workshop();
  World a = build_world(in, variant_index(in, "baseline"), 5);
  World b = build_world(in, variant_index(in, "full_programme"), 5);
  for (int t = 0; t < 12; ++t) {
    a.step = b.step = t;
    growth(a);
    growth(b);
  }
  CHECK(a.base_revenue == b.base_revenue);
}

TEST_CASE("simulation: rows cover the initial state and every step", "[engine]") {
  const Inputs& in = workshop();
  const ReplicateOutput out = Simulation(in, 0, 0, true).run();
  CHECK(out.steps == in.scenario.horizon + 1);
  CHECK(out.metrics.size() == static_cast<std::size_t>(out.steps) * kMetricCount);
  CHECK(out.final_firms.size() == in.population.firms.size() * kFirmVariableCount);
  // Step 0 is the initial state: no flows yet.
  CHECK(metric(out, 0, Metric::opportunities_arrived) == 0);
  CHECK(metric(out, 0, Metric::cash_dkk_cumulative) == 0);
  // Revenue is finite and positive everywhere.
  for (int t = 0; t < out.steps; ++t) {
    const double revenue = metric(out, t, Metric::participant_revenue_mdkk);
    CHECK(std::isfinite(revenue));
    CHECK(revenue > 0);
  }
  // Cluster metrics: detection every step by default, so never NaN.
  CHECK_FALSE(std::isnan(metric(out, out.steps - 1, Metric::clusters)));
}

TEST_CASE("simulation: cluster metrics are NaN between detections", "[engine]") {
  Inputs in = workshop();
  for (auto& v : in.scenario.variants) v.parameters.cluster_every = 12;
  const int baseline = variant_index(in, "baseline");
  const ReplicateOutput out = Simulation(in, baseline, 0, false).run();
  CHECK(std::isnan(metric(out, 5, Metric::modularity)));
  CHECK_FALSE(std::isnan(metric(out, 12, Metric::modularity)));
  CHECK_FALSE(std::isnan(metric(out, in.scenario.horizon, Metric::modularity)));
}

TEST_CASE("mechanisms: network meetings raise knowledge ties at month 12", "[engine][mechanism]") {
  const Inputs& in = workshop();
  const double with = mean_metric(in, "meetings_only", 12, Metric::ties_knowledge, 20);
  const double without = mean_metric(in, "baseline", 12, Metric::ties_knowledge, 20);
  CHECK(with > without);
}

TEST_CASE("mechanisms: the full programme spends money and staff hours", "[engine][mechanism]") {
  const Inputs& in = workshop();
  const ReplicateOutput full = Simulation(in, variant_index(in, "full_programme"), 0, false).run();
  const ReplicateOutput none = Simulation(in, variant_index(in, "baseline"), 0, false).run();
  const int last = in.scenario.horizon;
  CHECK(metric(full, last, Metric::cash_dkk_cumulative) > 0);
  CHECK(metric(full, last, Metric::cost_dkk_cumulative) >
        metric(full, last, Metric::cash_dkk_cumulative));
  CHECK(metric(none, last, Metric::cost_dkk_cumulative) == 0);
}

TEST_CASE("mechanisms: interviews and matchmaking raise partner ties", "[engine][mechanism]") {
  const Inputs& in = workshop();
  const int last = in.scenario.horizon;
  const double with =
      mean_metric(in, "interviews_matchmaking", last, Metric::participant_new_partner_share, 20);
  const double without =
      mean_metric(in, "baseline", last, Metric::participant_new_partner_share, 20);
  CHECK(with > without);
}

TEST_CASE("decay: interview ties decay from step 0 (v2.5)", "[engine][mechanism]") {
  const Inputs& in = workshop();
  World w = build_world(in, variant_index(in, "baseline"), 0);
  std::vector<double> before;
  for (const Tie& t : w.ties) {
    CHECK(t.last_interaction == -1);  // loaded, never interacted
    before.push_back(t.trust);
  }
  REQUIRE_FALSE(before.empty());
  w.step = 0;
  decay(w);
  int lower = 0;
  for (std::size_t i = 0; i < before.size(); ++i)
    if (!w.ties[i].alive || w.ties[i].trust < before[i] ||
        (w.ties[i].trade && w.ties[i].trust == w.params->trade_trust_floor))
      ++lower;
  CHECK(lower == static_cast<int>(before.size()));
}

TEST_CASE("mechanisms: the full programme has live cluster organisations after its strategy",
          "[engine][mechanism]") {
  const Inputs& in = workshop();
  CHECK(mean_metric(in, "baseline", 24, Metric::cluster_organisations, 4) == 0);
  CHECK(mean_metric(in, "full_programme", 24, Metric::cluster_organisations, 4) > 0);
}
