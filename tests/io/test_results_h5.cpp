// The results file: writer, reader, layout (dimension scales, attributes, filters), inspect.
#include <H5Cpp.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include "tests/support/temp_dir.hpp"

#include "klynge_version.hpp"
#include "sim/cli/commands.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/results_h5.hpp"
#include "sim/io/results_reader.hpp"

namespace fs = std::filesystem;
using namespace klynge;

namespace {

struct TempDir : klynge::testing::TempDir {
  TempDir() : klynge::testing::TempDir("klynge-h5-test") {}
};

ResultsHeader make_header(int firms = 5, int replicates = 6, int horizon = 4, int detail = 2,
                          bool reveal = false) {
  ResultsHeader h;
  h.tool_version = "9.9.9-test";
  h.scenario_name = "unit æøå";
  h.scenario_text = "name: unit æøå\nvariants:\n  - name: base\n";
  h.resolved_configuration = "resolved: true\n";
  h.seed = 18446744073709551557ull;  // > 2^63: the full uint64 range survives
  h.replicates = replicates;
  h.horizon = horizon;
  h.detail_replicates = detail;
  h.reveal_names = reveal;
  h.command_line = "klynge run unit.yaml --seed 42";
  h.variants.push_back({"baseline", "interventions: []\n", {}, {}, "", {}});
  h.variants.push_back({"meetings",
                        "interventions: [m]\n",
                        {"m1", "broker"},
                        {"network_meeting", "broker"},
                        "Meetings",
                        {"", "The broker"}});
  h.capability_names = {"welding", "design", "export_sales"};
  for (int f = 0; f < firms; ++f) {
    std::string pseudonym = "F";  // (not "F" + ...: GCC 12 -Wrestrict false positive)
    pseudonym += std::to_string(100 + f);
    h.pseudonyms.push_back(pseudonym);
    if (reveal) h.names.push_back("Firma " + std::to_string(f) + " ApS");
    h.municipalities.push_back(f % 2 ? "Århus" : "Viborg");
    h.lat.push_back(56.0 + 0.1 * f);
    h.lon.push_back(9.5 + 0.01 * f);
    h.employees.push_back(10.0 + f);
    h.revenue_mdkk.push_back(5.5 * (f + 1));
    h.export_share.push_back(0.1 * f);
    h.market_share.push_back({0.5, 0.3, 0.2});
    h.participant.push_back(f % 2 == 0 ? 1 : 0);
    h.synthetic.push_back(f == firms - 1 ? 1 : 0);
    for (std::size_t c = 0; c < h.capability_names.size(); ++c)
      h.capabilities.push_back(0.1 * static_cast<double>(c) + 0.01 * f);
  }
  for (std::size_t c = 0; c < h.capability_names.size(); ++c)
    h.catalogue_weights.push_back({0.1 * static_cast<double>(c), 0.2, 0.3, 0.4});
  if (firms >= 3) {
    h.initial_ties.push_back({0, 0, 1, 0.5f, 0});
    h.initial_ties.push_back({0, 1, 2, 0.75f, 2});
  }
  return h;
}

ReplicateOutput make_output(const ResultsHeader& h, int variant, int replicate,
                            int detail_index = -1) {
  ReplicateOutput r;
  r.variant = variant;
  r.replicate = replicate;
  r.steps = h.horizon + 1;
  const std::size_t firms = h.pseudonyms.size();
  for (int s = 0; s < r.steps; ++s)
    for (std::size_t m = 0; m < kMetricCount; ++m)
      r.metrics.push_back(m == 14 && s % 2 == 1  // modularity: NaN between detections
                              ? std::nan("")
                              : variant * 1e6 + replicate * 1e3 + s * 40 + m + 0.25);
  for (std::size_t f = 0; f < firms; ++f)
    for (std::size_t k = 0; k < kFirmVariableCount; ++k)
      r.final_firms.push_back(variant * 100 + replicate + 0.5 * f + 0.125 * k);
  r.detail_index = detail_index;
  if (detail_index >= 0) {
    for (int s = 0; s < r.steps; ++s)
      for (std::size_t f = 0; f < firms; ++f)
        for (std::size_t k = 0; k < kFirmVariableCount; ++k)
          r.trajectories.push_back(static_cast<float>(replicate + s * 0.5 + f * 0.25 + k));
    for (int e = 0; e < 3 + detail_index; ++e) {
      Event ev;
      ev.step = e;
      ev.type = static_cast<EventType>(e % static_cast<int>(EventType::count_));
      ev.firm_a = e % 3;
      ev.firm_b = e % 2 ? -1 : 2;
      ev.intervention = e % 2 ? 1 : -1;
      ev.value = replicate + e * 0.5;
      ev.units_skipped = e;
      ev.reason = static_cast<std::uint8_t>(e % 4);
      r.events.push_back(ev);
    }
    for (int s = 0; s < r.steps; ++s)
      for (int t = 0; t < 1 + detail_index; ++t)
        r.ties.push_back({s, t, t + 1, 0.1f * static_cast<float>(s + replicate),
                          static_cast<std::uint8_t>(t % 3)});
  }
  return r;
}

// A writer's temporary ("<output>.tmp-<pid>-<random>") left in `dir`.
bool has_temporary(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

// NaN-aware exact comparison.
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}
bool same_rows(const std::vector<double>& got, std::size_t offset,
               const std::vector<double>& want) {
  for (std::size_t i = 0; i < want.size(); ++i)
    if (!same(got.at(offset + i), want[i])) return false;
  return true;
}

void check_header(const ResultsHeader& got, const ResultsHeader& want) {
  CHECK(got.tool_version == want.tool_version);
  CHECK(got.scenario_name == want.scenario_name);
  CHECK(got.scenario_text == want.scenario_text);
  CHECK(got.resolved_configuration == want.resolved_configuration);
  CHECK(got.seed == want.seed);
  CHECK(got.replicates == want.replicates);
  CHECK(got.horizon == want.horizon);
  CHECK(got.detail_replicates == std::min(want.detail_replicates, want.replicates));
  CHECK(got.reveal_names == want.reveal_names);
  CHECK(got.command_line == want.command_line);
  REQUIRE(got.variants.size() == want.variants.size());
  for (std::size_t i = 0; i < want.variants.size(); ++i) {
    CHECK(got.variants[i].name == want.variants[i].name);
    CHECK(got.variants[i].resolved_configuration == want.variants[i].resolved_configuration);
    CHECK(got.variants[i].intervention_ids == want.variants[i].intervention_ids);
    CHECK(got.variants[i].intervention_types == want.variants[i].intervention_types);
    CHECK(got.variants[i].label == want.variants[i].label);  // labels round-trip
    CHECK(got.variants[i].intervention_labels == want.variants[i].intervention_labels);
  }
  CHECK(got.pseudonyms == want.pseudonyms);
  CHECK(got.names == want.names);
  CHECK(got.municipalities == want.municipalities);
  CHECK(got.lat == want.lat);
  CHECK(got.lon == want.lon);
  CHECK(got.employees == want.employees);
  CHECK(got.revenue_mdkk == want.revenue_mdkk);
  CHECK(got.export_share == want.export_share);
  CHECK(got.market_share == want.market_share);
  CHECK(got.participant == want.participant);
  CHECK(got.synthetic == want.synthetic);
  CHECK(got.capability_names == want.capability_names);
  CHECK(got.capabilities == want.capabilities);
  CHECK(got.catalogue_weights == want.catalogue_weights);
  REQUIRE(got.initial_ties.size() == want.initial_ties.size());
  for (std::size_t i = 0; i < want.initial_ties.size(); ++i) {
    CHECK(got.initial_ties[i].firm_a == want.initial_ties[i].firm_a);
    CHECK(got.initial_ties[i].firm_b == want.initial_ties[i].firm_b);
    CHECK(got.initial_ties[i].trust == want.initial_ties[i].trust);
    CHECK(got.initial_ties[i].type == want.initial_ties[i].type);
  }
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes every replicate of `h` (detail replicates first `detail` indices) in `order`.
void write_all(const std::string& path, const ResultsHeader& h, const std::vector<int>& order,
               bool force = false) {
  ResultsWriter w(path, h, force);
  for (int variant = 0; variant < static_cast<int>(h.variants.size()); ++variant)
    for (int rep : order)
      w.write(make_output(h, variant, rep, rep < h.detail_replicates ? rep : -1));
  w.finish(true);
}

}  // namespace

TEST_CASE("results: out-of-order replicates read back exactly", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("results.h5");
  const ResultsHeader h = make_header();
  {
    ResultsWriter w(path, h, false);
    CHECK(has_temporary(dir.path));  // written under a temporary name until finish()
    CHECK_FALSE(fs::exists(path));
    for (int rep : {3, 1, 5, 0, 4, 2}) w.write(make_output(h, 0, rep, rep < 2 ? rep : -1));
    for (int rep : {5, 4, 3, 2, 1, 0}) {
      ReplicateOutput out = make_output(h, 1, rep, rep < 2 ? rep : -1);
      w.write(std::move(out));  // the rvalue overload
    }
    w.finish(true);
    CHECK(w.finished());
  }
  CHECK(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".tmp"));

  const ResultsFile r = read_results(path);
  CHECK(r.status == "complete");
  CHECK(r.complete());
  CHECK(r.schema_version == kSchemaVersion);
  CHECK(r.created.size() == 20);
  CHECK(r.created.back() == 'Z');
  check_header(r.header, h);
  REQUIRE(r.metric_names.size() == kMetricCount);
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    CHECK(r.metric_names[m] == kMetricInfo[m].name);
    CHECK(r.metric_units[m] == kMetricInfo[m].unit);
  }
  CHECK(r.metric_index("modularity") == 14);
  CHECK(r.metric_index("nope") == -1);
  REQUIRE(r.firm_variable_names.size() == kFirmVariableCount);
  CHECK(r.firm_variable_names[3] == "cluster");

  REQUIRE(r.variants.size() == 2);
  CHECK(r.variants[0].name == "baseline");
  CHECK(r.find_variant("meetings") == &r.variants[1]);
  CHECK(r.find_variant("nope") == nullptr);
  for (int variant = 0; variant < 2; ++variant) {
    const VariantResults& v = r.variants[static_cast<std::size_t>(variant)];
    CHECK(v.replicates == 6);
    CHECK(v.steps == 5);
    CHECK(v.metric_count == kMetricCount);
    CHECK(v.firms == 5);
    CHECK(v.firm_variables == kFirmVariableCount);
    CHECK(v.completed_count() == 6);
    CHECK(v.has_detail);
    for (int rep = 0; rep < 6; ++rep) {
      const ReplicateOutput want = make_output(h, variant, rep);
      CHECK(
          same_rows(v.metrics, static_cast<std::size_t>(rep) * want.metrics.size(), want.metrics));
      CHECK(same_rows(v.final_firms, static_cast<std::size_t>(rep) * want.final_firms.size(),
                      want.final_firms));
    }
    CHECK(std::isnan(v.metric(2, 1, 14)));
    CHECK(v.metric(2, 3, 5) == variant * 1e6 + 2 * 1e3 + 3 * 40 + 5 + 0.25);
    CHECK(v.final_firm(4, 3, 2) == variant * 100 + 4 + 1.5 + 0.25);

    // Detail: events and ties in detail-index order, whatever order they were written in.
    const DetailResults d = read_detail(path, v.name);
    CHECK(d.detail_replicates == 2);
    CHECK(d.replicate == std::vector<std::int32_t>{0, 1});
    CHECK(d.steps == 5);
    CHECK(d.firms == 5);
    std::vector<Event> want_events;
    std::vector<std::int32_t> want_event_detail;
    std::vector<TieRecord> want_ties;
    std::vector<std::int32_t> want_tie_detail;
    for (int di = 0; di < 2; ++di) {
      const ReplicateOutput want = make_output(h, variant, di, di);
      CHECK(d.trajectory(static_cast<std::size_t>(di), 3, 2, 1) ==
            want.trajectories[(3 * 5 + 2) * kFirmVariableCount + 1]);
      for (std::size_t i = 0; i < want.trajectories.size(); ++i)
        if (d.trajectories.at(di * want.trajectories.size() + i) != want.trajectories[i]) {
          FAIL("trajectory value " << i << " of detail replicate " << di << " differs");
        }
      for (const auto& e : want.events) {
        want_events.push_back(e);
        want_event_detail.push_back(di);
      }
      for (const auto& t : want.ties) {
        want_ties.push_back(t);
        want_tie_detail.push_back(di);
      }
    }
    CHECK(d.event_detail == want_event_detail);
    REQUIRE(d.events.size() == want_events.size());
    for (std::size_t i = 0; i < want_events.size(); ++i) {
      CHECK(d.events[i].step == want_events[i].step);
      CHECK(d.events[i].type == want_events[i].type);
      CHECK(d.events[i].firm_a == want_events[i].firm_a);
      CHECK(d.events[i].firm_b == want_events[i].firm_b);
      CHECK(d.events[i].intervention == want_events[i].intervention);
      CHECK(d.events[i].value == want_events[i].value);
      CHECK(d.events[i].units_skipped == want_events[i].units_skipped);
      CHECK(d.events[i].reason == want_events[i].reason);
    }
    CHECK(d.tie_detail == want_tie_detail);
    REQUIRE(d.ties.size() == want_ties.size());
    for (std::size_t i = 0; i < want_ties.size(); ++i) {
      CHECK(d.ties[i].step == want_ties[i].step);
      CHECK(d.ties[i].firm_a == want_ties[i].firm_a);
      CHECK(d.ties[i].firm_b == want_ties[i].firm_b);
      CHECK(d.ties[i].trust == want_ties[i].trust);
      CHECK(d.ties[i].type == want_ties[i].type);
    }
  }
  CHECK_THROWS_AS(read_detail(path, "nope"), InputError);
}

TEST_CASE("results: the datasets do not depend on the order replicates arrive in", "[h5]") {
  TempDir dir;
  // Many replicates with small rows: chunks span many replicates, so rows are gathered in
  // blocks before they are written.
  const ResultsHeader h = make_header(4, 60, 36, 3);
  std::vector<int> in_order(60), shuffled(60);
  for (int i = 0; i < 60; ++i) in_order[static_cast<std::size_t>(i)] = i;
  shuffled = in_order;
  std::mt19937 rng(7);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  write_all(dir.file("a.h5"), h, in_order);
  write_all(dir.file("b.h5"), h, shuffled);
  const ResultsFile a = read_results(dir.file("a.h5"));
  const ResultsFile b = read_results(dir.file("b.h5"));
  REQUIRE(a.variants.size() == b.variants.size());
  for (std::size_t v = 0; v < a.variants.size(); ++v) {
    CHECK(a.variants[v].completed_count() == 60);
    CHECK(b.variants[v].completed_count() == 60);
    CHECK(same_rows(a.variants[v].metrics, 0, b.variants[v].metrics));
    CHECK(a.variants[v].final_firms == b.variants[v].final_firms);
    const DetailResults da = read_detail(dir.file("a.h5"), a.variants[v].name);
    const DetailResults db = read_detail(dir.file("b.h5"), a.variants[v].name);
    CHECK(da.trajectories == db.trajectories);
    CHECK(da.event_detail == db.event_detail);
    CHECK(da.tie_detail == db.tie_detail);
    CHECK(da.events.size() == db.events.size());
    CHECK(da.ties.size() == db.ties.size());
  }
  // Every metric row matches what was written.
  for (int rep = 0; rep < 60; ++rep) {
    const ReplicateOutput want = make_output(h, 1, rep);
    CHECK(same_rows(b.variants[1].metrics, static_cast<std::size_t>(rep) * want.metrics.size(),
                    want.metrics));
  }
  // h5diff agrees when it is installed (it compares every dataset's values).
  if (std::system("command -v h5diff > /dev/null 2>&1") == 0) {
    const std::string cmd = "h5diff -q " + dir.file("a.h5") + " " + dir.file("b.h5") +
                            " /variants /variants > /dev/null 2>&1";
    CHECK(std::system(cmd.c_str()) == 0);
  }
}

namespace {

// A detail replicate as the runner streams it: one step slice per step (its trajectory row, the
// ties of that step, the events of that step), then the end part with metrics and final_firms.
std::vector<ReplicateOutput> streamed(const ResultsHeader& h, const ReplicateOutput& whole) {
  const std::size_t row = h.pseudonyms.size() * kFirmVariableCount;
  std::vector<ReplicateOutput> parts;
  for (int s = 0; s < whole.steps; ++s) {
    ReplicateOutput p;
    p.variant = whole.variant;
    p.replicate = whole.replicate;
    p.detail_index = whole.detail_index;
    p.part = ReplicateOutput::Part::step_slice;
    p.first_step = s;
    p.slice_steps = 1;
    const auto from = whole.trajectories.begin() + static_cast<std::ptrdiff_t>(s * row);
    p.trajectories.assign(from, from + static_cast<std::ptrdiff_t>(row));
    for (const auto& e : whole.events)
      if (e.step == s) p.events.push_back(e);
    for (const auto& t : whole.ties)
      if (t.step == s) p.ties.push_back(t);
    parts.push_back(std::move(p));
  }
  ReplicateOutput end = whole;
  end.part = ReplicateOutput::Part::streamed_end;
  end.trajectories.clear();
  end.events.clear();
  end.ties.clear();
  parts.push_back(std::move(end));
  return parts;
}

void check_same_detail(const DetailResults& a, const DetailResults& b) {
  CHECK(a.replicate == b.replicate);
  REQUIRE(a.trajectories.size() == b.trajectories.size());
  CHECK(std::memcmp(a.trajectories.data(), b.trajectories.data(),
                    a.trajectories.size() * sizeof(float)) == 0);  // NaN rows too
  CHECK(a.event_detail == b.event_detail);
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    CHECK(a.events[i].step == b.events[i].step);
    CHECK(a.events[i].type == b.events[i].type);
    CHECK(a.events[i].value == b.events[i].value);
    CHECK(a.events[i].firm_a == b.events[i].firm_a);
  }
  CHECK(a.tie_detail == b.tie_detail);
  REQUIRE(a.ties.size() == b.ties.size());
  for (std::size_t i = 0; i < a.ties.size(); ++i) {
    CHECK(a.ties[i].step == b.ties[i].step);
    CHECK(a.ties[i].firm_a == b.ties[i].firm_a);
    CHECK(a.ties[i].firm_b == b.ties[i].firm_b);
    CHECK(a.ties[i].trust == b.ties[i].trust);
  }
}

}  // namespace

TEST_CASE("results: detail replicates streamed step by step give the same file as whole ones",
          "[h5]") {
  TempDir dir;
  const ResultsHeader h = make_header(6, 5, 7, 3);
  {
    ResultsWriter w(dir.file("whole.h5"), h, false);
    for (int variant = 0; variant < 2; ++variant)
      for (int rep = 0; rep < 5; ++rep) w.write(make_output(h, variant, rep, rep < 3 ? rep : -1));
    w.finish(true);
  }
  {
    // Detail replicates 0-2 run at once: their slices interleave, 2 starts first, 1 ends first;
    // a plain replicate arrives in between. The tables must still come out in index order.
    ResultsWriter w(dir.file("streamed.h5"), h, false);
    for (int variant = 0; variant < 2; ++variant) {
      std::vector<std::vector<ReplicateOutput>> parts;
      for (int d = 0; d < 3; ++d) parts.push_back(streamed(h, make_output(h, variant, d, d)));
      const std::size_t slices = parts[0].size() - 1;
      for (std::size_t s = 0; s < slices; ++s) {
        w.write(std::move(parts[2][s]));
        w.write(std::move(parts[1][s]));
        if (s == 3) w.write(make_output(h, variant, 4));
      }
      w.write(std::move(parts[1].back()));
      for (std::size_t s = 0; s < slices; ++s) w.write(std::move(parts[0][s]));
      w.write(std::move(parts[2].back()));
      w.write(make_output(h, variant, 3));
      w.write(std::move(parts[0].back()));
    }
    w.finish(true);
  }
  const ResultsFile a = read_results(dir.file("whole.h5"));
  const ResultsFile b = read_results(dir.file("streamed.h5"));
  CHECK(b.status == "complete");
  for (std::size_t v = 0; v < 2; ++v) {
    CHECK(b.variants[v].completed_count() == 5);
    CHECK(same_rows(a.variants[v].metrics, 0, b.variants[v].metrics));
    CHECK(a.variants[v].final_firms == b.variants[v].final_firms);
    check_same_detail(read_detail(dir.file("whole.h5"), a.variants[v].name),
                      read_detail(dir.file("streamed.h5"), a.variants[v].name));
  }
  if (std::system("command -v h5diff > /dev/null 2>&1") == 0) {
    const std::string cmd = "h5diff -q " + dir.file("whole.h5") + " " + dir.file("streamed.h5") +
                            " /variants /variants > /dev/null 2>&1";
    CHECK(std::system(cmd.c_str()) == 0);
  }
}

TEST_CASE("results: a streamed detail replicate that never ended is taken back out", "[h5]") {
  TempDir dir;
  const ResultsHeader h = make_header(6, 4, 7, 3);
  // The reference: only detail replicate 1 and replicate 3 arrive, whole.
  {
    ResultsWriter w(dir.file("ref.h5"), h, false);
    for (int variant = 0; variant < 2; ++variant) {
      w.write(make_output(h, variant, 1, 1));
      w.write(make_output(h, variant, 3));
    }
    w.finish(false);
  }
  // Detail replicate 0 streams 4 of its 8 steps (its table rows are in the file by then), 2
  // streams 2 steps while waiting for 0, 1 ends; then the run stops.
  {
    ResultsWriter w(dir.file("cut.h5"), h, false);
    for (int variant = 0; variant < 2; ++variant) {
      auto p0 = streamed(h, make_output(h, variant, 0, 0));
      auto p2 = streamed(h, make_output(h, variant, 2, 2));
      for (std::size_t s = 0; s < 4; ++s) w.write(std::move(p0[s]));
      for (std::size_t s = 0; s < 2; ++s) w.write(std::move(p2[s]));
      w.write(make_output(h, variant, 1, 1));
      w.write(make_output(h, variant, 3));
    }
  }  // destroyed unfinished: finishes as incomplete
  CHECK_FALSE(has_temporary(dir.path));
  const ResultsFile b = read_results(dir.file("cut.h5"));
  CHECK(b.status == "incomplete");
  for (std::size_t v = 0; v < 2; ++v) {
    CHECK(b.variants[v].completed == std::vector<std::uint8_t>{0, 1, 0, 1});
    const DetailResults d = read_detail(dir.file("cut.h5"), b.variants[v].name);
    CHECK(d.replicate == std::vector<std::int32_t>{-1, 1, -1});
    for (std::size_t i = 0; i < d.trajectories.size(); ++i)
      if (std::isnan(d.trajectories[i]) != (i / (d.trajectories.size() / 3) != 1))
        FAIL("trajectory value " << i << ": NaN exactly outside detail replicate 1");
    for (auto di : d.event_detail) CHECK(di == 1);
    for (auto di : d.tie_detail) CHECK(di == 1);
    check_same_detail(read_detail(dir.file("ref.h5"), b.variants[v].name), d);
  }
}

TEST_CASE("results: step slices out of order or an early end are rejected", "[h5]") {
  TempDir dir;
  const ResultsHeader h = make_header(3, 2, 4, 1);
  ResultsWriter w(dir.file("r.h5"), h, false);
  auto parts = streamed(h, make_output(h, 0, 0, 0));
  CHECK_THROWS_AS(w.write(parts[1]), std::invalid_argument);  // step 1 before step 0
  w.write(parts[0]);
  CHECK_THROWS_AS(w.write(parts.back()), std::invalid_argument);  // ends after 1 of 5 steps
  ReplicateOutput plain_slice = parts[1];
  plain_slice.detail_index = -1;
  CHECK_THROWS_AS(w.write(plain_slice), std::invalid_argument);  // not a detail replicate
  for (std::size_t s = 1; s + 1 < parts.size(); ++s) w.write(parts[s]);
  w.write(parts.back());
  CHECK_THROWS_AS(w.write(parts[0]), std::invalid_argument);  // after its end
  w.finish(false);
}

TEST_CASE("results: unwritten replicates read as NaN with completed = 0", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("partial.h5");
  const ResultsHeader h = make_header(5, 40, 6, 2);
  {
    ResultsWriter w(path, h, false);
    for (int rep : {0, 7, 39, 12}) w.write(make_output(h, 0, rep, rep == 0 ? 0 : -1));
    w.write(make_output(h, 1, 1, 1));  // detail index 1 without 0: still written at finish
    w.finish(true);                    // asked for complete, but replicates are missing
  }
  const ResultsFile r = read_results(path);
  CHECK(r.status == "incomplete");
  const VariantResults& v0 = r.variants[0];
  CHECK(v0.completed_count() == 4);
  for (int rep = 0; rep < 40; ++rep) {
    const bool written = rep == 0 || rep == 7 || rep == 39 || rep == 12;
    CHECK(v0.completed[static_cast<std::size_t>(rep)] == (written ? 1 : 0));
    const std::size_t row = kMetricCount * 7;
    bool all_nan = true;
    for (std::size_t i = 0; i < row; ++i)
      all_nan = all_nan && std::isnan(v0.metrics[static_cast<std::size_t>(rep) * row + i]);
    CHECK(all_nan == !written);
    CHECK(std::isnan(v0.final_firm(static_cast<std::size_t>(rep), 0, 0)) == !written);
  }
  CHECK(r.variants[1].completed_count() == 1);
  const DetailResults d1 = read_detail(path, "meetings");
  CHECK(d1.replicate == std::vector<std::int32_t>{-1, 1});
  CHECK(std::isnan(d1.trajectory(0, 0, 0, 0)));
  CHECK(d1.trajectory(1, 0, 0, 0) == 1.0f);
  CHECK(d1.events.size() == 4);
  CHECK(std::all_of(d1.event_detail.begin(), d1.event_detail.end(),
                    [](std::int32_t x) { return x == 1; }));
}

TEST_CASE("results: an existing file is kept without --force and replaced with it", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("results.h5");
  { std::ofstream(path) << "precious"; }
  const ResultsHeader h = make_header();
  try {
    ResultsWriter w(path, h, false);
    FAIL("no exception");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()) == path + " exists; pass --force to overwrite");
  }
  CHECK(slurp(path) == "precious");
  CHECK_FALSE(fs::exists(path + ".tmp"));

  {
    ResultsWriter w(path, h, true);
    CHECK(slurp(path) == "precious");  // replaced only when finished
    for (int rep = 0; rep < 6; ++rep)
      for (int variant = 0; variant < 2; ++variant)
        w.write(make_output(h, variant, rep, rep < 2 ? rep : -1));
    w.finish(true);
  }
  CHECK(read_results(path).status == "complete");
  CHECK_FALSE(has_temporary(fs::path(path).parent_path()));
}

TEST_CASE("results: a directory that does not exist is a usage error", "[h5]") {
  TempDir dir;
  CHECK_THROWS_AS(ResultsWriter(dir.file("no/such/dir/results.h5"), make_header(), false),
                  UsageError);
}

TEST_CASE("results: finish(false) and a writer destroyed unfinished leave incomplete files",
          "[h5]") {
  TempDir dir;
  const ResultsHeader h = make_header();
  {
    ResultsWriter w(dir.file("a.h5"), h, false);
    for (int rep = 0; rep < 6; ++rep)
      for (int variant = 0; variant < 2; ++variant)
        w.write(make_output(h, variant, rep, rep < 2 ? rep : -1));
    w.finish(false);
    w.finish(true);  // a second call does nothing
  }
  const ResultsFile a = read_results(dir.file("a.h5"));
  CHECK(a.status == "incomplete");
  CHECK(a.variants[0].completed_count() == 6);  // everything written is there

  {
    ResultsWriter w(dir.file("b.h5"), h, false);
    w.write(make_output(h, 0, 2));
    w.write(make_output(h, 1, 0, 0));
  }  // no finish(): the destructor finishes as incomplete and renames into place
  CHECK_FALSE(has_temporary(dir.path));
  const ResultsFile b = read_results(dir.file("b.h5"));
  CHECK(b.status == "incomplete");
  CHECK(b.variants[0].completed == std::vector<std::uint8_t>{0, 0, 1, 0, 0, 0});
  CHECK(b.variants[1].completed == std::vector<std::uint8_t>{1, 0, 0, 0, 0, 0});
  CHECK(same_rows(b.variants[0].metrics, 2 * 5 * kMetricCount, make_output(h, 0, 2).metrics));
}

TEST_CASE("results: replicates that do not fit the header are rejected", "[h5]") {
  TempDir dir;
  const ResultsHeader h = make_header();
  ResultsWriter w(dir.file("r.h5"), h, false);
  ReplicateOutput bad = make_output(h, 0, 0);
  bad.metrics.pop_back();
  CHECK_THROWS_AS(w.write(bad), std::invalid_argument);
  CHECK_THROWS_AS(w.write(make_output(h, 2, 0)), std::invalid_argument);
  CHECK_THROWS_AS(w.write(make_output(h, 0, 6)), std::invalid_argument);
  CHECK_THROWS_AS(w.write(make_output(h, 0, 0, 2)), std::invalid_argument);  // detail index
  w.write(make_output(h, 0, 0));
  CHECK_THROWS_AS(w.write(make_output(h, 0, 0)), std::invalid_argument);  // twice
  w.finish(true);
  CHECK_THROWS_AS(w.write(make_output(h, 0, 1)), std::invalid_argument);  // after finish

  ResultsHeader mismatched = make_header();
  mismatched.lat.pop_back();
  CHECK_THROWS_AS(ResultsWriter(dir.file("m.h5"), mismatched, false), std::invalid_argument);
  ResultsHeader slash = make_header();
  slash.variants[0].name = "a/b";
  CHECK_THROWS_AS(ResultsWriter(dir.file("s.h5"), slash, false), std::invalid_argument);
  CHECK_FALSE(fs::exists(dir.file("m.h5.tmp")));
}

TEST_CASE("results: edge shapes (no detail, no ties, one firm, revealed names)", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("edge.h5");
  ResultsHeader h = make_header(1, 3, 0, 0, true);
  h.variants[1].name = "møder_æøå";
  h.capability_names.clear();
  h.capabilities.clear();
  h.catalogue_weights.clear();
  write_all(path, h, {2, 0, 1});
  const ResultsFile r = read_results(path);
  CHECK(r.status == "complete");
  check_header(r.header, h);
  CHECK(r.header.names == std::vector<std::string>{"Firma 0 ApS"});
  CHECK_FALSE(r.variants[0].has_detail);
  REQUIRE(r.find_variant("møder_æøå") != nullptr);
  CHECK(r.find_variant("møder_æøå")->completed_count() == 3);
  CHECK(r.variants[0].steps == 1);
  CHECK_THROWS_AS(read_detail(path, "baseline"), InputError);
}

TEST_CASE("results: layout has scales, units, descriptions, filters and UTF-8 strings", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("layout.h5");
  const ResultsHeader h = make_header(5, 6, 4, 2);
  write_all(path, h, {0, 1, 2, 3, 4, 5});
  const ResultsFile r = read_results(path);

  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);

  // Root attributes: present, VL UTF-8 strings where textual.
  for (const char* name : {"format", "tool_version", "created", "scenario_name", "scenario_text",
                           "resolved_configuration", "command_line", "status", "variants"}) {
    INFO(name);
    REQUIRE(H5Aexists(file, name) > 0);
    const hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
    const hid_t type = H5Aget_type(attr);
    CHECK(H5Tget_class(type) == H5T_STRING);
    CHECK(H5Tis_variable_str(type) > 0);
    CHECK(H5Tget_cset(type) == H5T_CSET_UTF8);
    H5Tclose(type);
    H5Aclose(attr);
  }
  for (const char* name :
       {"schema_version", "seed", "replicates", "horizon", "detail_replicates", "reveal_names"}) {
    INFO(name);
    CHECK(H5Aexists(file, name) > 0);
  }

  // Every dataset carries units and a description.
  REQUIRE(r.datasets.size() > 30);
  for (const auto& d : r.datasets) {
    INFO(d.path);
    const hid_t ds = H5Dopen2(file, d.path.c_str(), H5P_DEFAULT);
    REQUIRE(ds >= 0);
    CHECK(H5Aexists(ds, "units") > 0);
    CHECK(H5Aexists(ds, "description") > 0);
    H5Dclose(ds);
  }

  // Dimension scales: the metrics axes, the firm axis of the population and final outcomes.
  const auto check_scales = [&](const char* dataset, std::vector<const char*> scales) {
    INFO(dataset);
    const hid_t ds = H5Dopen2(file, dataset, H5P_DEFAULT);
    REQUIRE(ds >= 0);
    for (unsigned i = 0; i < scales.size(); ++i) {
      const hid_t scale = H5Dopen2(file, scales[i], H5P_DEFAULT);
      REQUIRE(scale >= 0);
      CHECK(H5DSis_scale(scale) > 0);
      CHECK(H5DSis_attached(ds, scale, i) > 0);
      char label[64] = {0};
      H5DSget_label(ds, i, label, sizeof label);
      CHECK(std::string(label) == fs::path(scales[i]).filename().string());
      H5Dclose(scale);
    }
    H5Dclose(ds);
  };
  check_scales("/variants/baseline/metrics", {"/replicate", "/step", "/metric"});
  check_scales("/variants/meetings/final_firms", {"/replicate", "/firm", "/firm_variable"});
  check_scales("/variants/meetings/completed", {"/replicate"});
  check_scales("/variants/meetings/detail/trajectories",
               {"/variants/meetings/detail/detail_replicate", "/step", "/firm", "/firm_variable"});
  check_scales("/population/employees", {"/firm"});
  check_scales("/population/capabilities", {"/firm", "/capability"});
  check_scales("/population/catalogue_weights", {"/capability", "/segment"});

  // Numeric datasets: chunked, shuffle + gzip at a low level, NaN fill for metrics.
  for (const char* name :
       {"/variants/baseline/metrics", "/variants/baseline/final_firms",
        "/variants/meetings/detail/trajectories", "/variants/meetings/detail/events/value",
        "/variants/meetings/detail/ties/trust"}) {
    INFO(name);
    const hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    const hid_t dcpl = H5Dget_create_plist(ds);
    CHECK(H5Pget_layout(dcpl) == H5D_CHUNKED);
    bool shuffle = false, deflate = false;
    for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
      unsigned flags = 0, values[4] = {0};
      size_t n = 4;
      const H5Z_filter_t f =
          H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &n, values, 0, nullptr, nullptr);
      if (f == H5Z_FILTER_SHUFFLE) shuffle = true;
      if (f == H5Z_FILTER_DEFLATE) {
        deflate = true;
        CHECK(values[0] >= 1);
        CHECK(values[0] <= 4);
      }
    }
    CHECK(shuffle);
    CHECK(deflate);
    H5Pclose(dcpl);
    H5Dclose(ds);
  }
  {
    const hid_t ds = H5Dopen2(file, "/variants/baseline/metrics", H5P_DEFAULT);
    const hid_t dcpl = H5Dget_create_plist(ds);
    double fill = 0;
    H5Pget_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill);
    CHECK(std::isnan(fill));
    // units: one per metric, aligned with the metric axis
    const hid_t attr = H5Aopen(ds, "units", H5P_DEFAULT);
    const hid_t space = H5Aget_space(attr);
    CHECK(H5Sget_simple_extent_npoints(space) == static_cast<hssize_t>(kMetricCount));
    H5Sclose(space);
    H5Aclose(attr);
    H5Pclose(dcpl);
    H5Dclose(ds);
  }
  // Events and ties are extendible tables.
  {
    const hid_t ds = H5Dopen2(file, "/variants/meetings/detail/ties/firm_a", H5P_DEFAULT);
    const hid_t space = H5Dget_space(ds);
    hsize_t dims = 0, maxdims = 0;
    H5Sget_simple_extent_dims(space, &dims, &maxdims);
    CHECK(maxdims == H5S_UNLIMITED);
    CHECK(dims == 5 * 1 + 5 * 2);
    H5Sclose(space);
    H5Dclose(ds);
  }
  H5Fclose(file);
}

TEST_CASE("results reader: clear errors for files that are not klynge results", "[h5]") {
  TempDir dir;
  const auto message = [](const std::string& path) -> std::string {
    try {
      read_results(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string missing = dir.file("missing.h5");
  CHECK(message(missing) == missing + ": no such file");

  const std::string text = dir.file("text.h5");
  std::ofstream(text) << "not hdf5\n";
  CHECK(message(text).find(text + ": not an HDF5 file") == 0);

  const std::string other = dir.file("other.h5");
  H5::H5File(other, H5F_ACC_TRUNC).close();
  CHECK(message(other).find("not a klynge results file") != std::string::npos);

  const std::string future = dir.file("future.h5");
  write_all(future, make_header(), {0, 1, 2, 3, 4, 5});
  {
    H5::H5File f(future, H5F_ACC_RDWR);
    const int version = kSchemaVersion + 1;
    f.openAttribute("schema_version").write(H5::PredType::NATIVE_INT, &version);
  }
  CHECK(message(future).find("schema_version " + std::to_string(kSchemaVersion + 1)) !=
        std::string::npos);
}

namespace {
std::pair<int, std::string> run_inspect(const std::string& path) {
  namespace po = boost::program_options;
  auto command = klynge::cli::make_inspect_command();
  po::options_description options;
  po::positional_options_description positional;
  command->declare(options, positional);
  const char* argv[] = {"inspect", path.c_str()};
  po::variables_map args;
  po::store(po::command_line_parser(2, argv).options(options).positional(positional).run(), args);
  po::notify(args);
  std::ostringstream out, err;
  const int code = command->run(args, {out, err});
  return {code, out.str()};
}
}  // namespace

TEST_CASE("inspect: provenance, variants, datasets and the incomplete warning", "[h5]") {
  TempDir dir;
  const ResultsHeader h = make_header();
  write_all(dir.file("done.h5"), h, {0, 1, 2, 3, 4, 5});
  auto [code, out] = run_inspect(dir.file("done.h5"));
  CHECK(code == 0);
  for (const char* want :
       {"status        complete", "9.9.9-test (results schema 1)", "unit æøå",
        "18446744073709551557", "6 per variant", "4 steps", "baseline  6/6 replicates completed",
        "interventions: none", "m1 (network_meeting), broker", "/variants/meetings/metrics",
        "/population/employees", "units: persons"}) {
    INFO(want);
    INFO(out);
    CHECK(out.find(want) != std::string::npos);
  }
  CHECK(out.find("float64 [6 replicate x 5 step x " + std::to_string(kMetricCount) + " metric]") !=
        std::string::npos);
  CHECK(out.find("warning") == std::string::npos);

  {
    ResultsWriter w(dir.file("partial.h5"), h, false);
    w.write(make_output(h, 0, 3));
  }
  std::tie(code, out) = run_inspect(dir.file("partial.h5"));
  CHECK(code == 0);
  CHECK(out.find("status        incomplete") != std::string::npos);
  CHECK(out.find("baseline  1/6 replicates completed") != std::string::npos);
  CHECK(out.find("warning: the results are incomplete (status incomplete): 1 of 12 replicates") !=
        std::string::npos);

  CHECK_THROWS_AS(run_inspect(dir.file("missing.h5")), InputError);
}

TEST_CASE("inspect: the CLI exits 2 for a missing or non-HDF5 file", "[h5][cli]") {
  TempDir dir;
  const std::string text = dir.file("text.h5");
  std::ofstream(text) << "hello\n";
  for (const std::string& path : {dir.file("missing.h5"), text}) {
    const char* argv[] = {"klynge", "inspect", path.c_str()};
    std::ostringstream out, err;
    CHECK(klynge::cli::klynge_main(3, argv, {out, err}) == 2);
    CHECK(err.str().find(path) != std::string::npos);
  }
}
