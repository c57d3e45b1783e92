#pragma once
// For the determinism tests: run a scenario to completion, and compare two results files bit for
// bit: the same datasets and shapes, and every metric, final firm, completion flag and detail
// record (trajectories, events, ties) byte for byte.
#include <catch2/catch.hpp>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "sim/io/inputs.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/run/runner.hpp"

namespace klynge::testing {

// Runs `scenario` with `options` (output path, threads, ...; overwriting) to completion and
// returns the output path.
inline std::string run_to_completion(const std::string& scenario, RunOptions options) {
  Inputs inputs = load_inputs(scenario);
  options.force = true;
  std::ostringstream progress;
  const RunSummary summary = run_scenario(inputs, options, progress, nullptr);
  REQUIRE(summary.complete);
  return options.output;
}

template <typename T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

inline void require_same_results(const std::string& path_a, const std::string& path_b) {
  const ResultsFile a = read_results(path_a);
  const ResultsFile b = read_results(path_b);
  REQUIRE(a.datasets.size() == b.datasets.size());
  for (std::size_t i = 0; i < a.datasets.size(); ++i) {
    CHECK(a.datasets[i].path == b.datasets[i].path);
    CHECK(a.datasets[i].shape == b.datasets[i].shape);
  }
  REQUIRE(a.variants.size() == b.variants.size());
  for (std::size_t v = 0; v < a.variants.size(); ++v) {
    INFO("variant " << a.variants[v].name);
    CHECK(same_bytes(a.variants[v].metrics, b.variants[v].metrics));
    CHECK(same_bytes(a.variants[v].final_firms, b.variants[v].final_firms));
    CHECK(same_bytes(a.variants[v].completed, b.variants[v].completed));
    const DetailResults da = read_detail(a.path, a.variants[v].name);
    const DetailResults db = read_detail(b.path, b.variants[v].name);
    CHECK(same_bytes(da.replicate, db.replicate));
    CHECK(same_bytes(da.trajectories, db.trajectories));
    CHECK(same_bytes(da.event_detail, db.event_detail));
    REQUIRE(da.events.size() == db.events.size());
    bool events_equal = true;
    for (std::size_t i = 0; i < da.events.size(); ++i) {
      const Event& x = da.events[i];
      const Event& y = db.events[i];
      events_equal = events_equal && x.step == y.step && x.type == y.type && x.firm_a == y.firm_a &&
                     x.firm_b == y.firm_b && x.intervention == y.intervention &&
                     std::memcmp(&x.value, &y.value, sizeof(double)) == 0 &&
                     x.units_skipped == y.units_skipped && x.reason == y.reason;
    }
    CHECK(events_equal);
    CHECK(same_bytes(da.tie_detail, db.tie_detail));
    REQUIRE(da.ties.size() == db.ties.size());
    bool ties_equal = true;
    for (std::size_t i = 0; i < da.ties.size(); ++i) {
      const TieRecord& x = da.ties[i];
      const TieRecord& y = db.ties[i];
      ties_equal = ties_equal && x.step == y.step && x.firm_a == y.firm_a && x.firm_b == y.firm_b &&
                   std::memcmp(&x.trust, &y.trust, sizeof(float)) == 0 && x.type == y.type;
    }
    CHECK(ties_equal);
  }
}

}  // namespace klynge::testing
