// Purely synthetic scenarios: `population.firms` may be left out when
// `population.synthetic.firms` > 0. The firms then resample the built-in archetypes (no file is
// read, none relative to the working directory), `population.synthetic.participants` names the
// programme's target group, explicit targets name synthetic ids, and every misuse is an
// InputError naming file, line, column and key.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli/cli.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/metrics.hpp"
#include "sim/io/inputs.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/io/synthetic.hpp"
#include "sim/run/simulation.hpp"
#include "tests/support/temp_dir.hpp"

using namespace klynge;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string kCatalogue = KLYNGE_SOURCE_DIR "/scenarios/data/midtjylland_catalogue.yaml";

std::string error_of(const std::string& text) {
  try {
    parse_scenario(text, "s.yaml", "");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// A purely synthetic scenario with the workshop's kind of programme; `population` and
// `interventions` are the parts the cases vary.
std::string synthetic_scenario(const std::string& population, const std::string& interventions) {
  return "schema_version: 1\n"
         "name: synthetic-only\n"
         "seed: 11\n"
         "horizon: 12\n"
         "replicates: 1\n"
         "population:\n" +
         population + "catalogue: " + kCatalogue + "\n" + "interventions:\n" + interventions +
         "outputs: {firm_trajectories: false, events: false, ties: false, detail_replicates: 0}\n";
}

const std::string kProgramme =
    "  - {id: interviews, type: interviews, start: 0, end: 3, firms_per_month: 8}\n"
    "  - {id: meetings, type: network_meeting, at: [3, 6, 9]}\n"
    "  - {id: matchmaking, type: matchmaking, start: 4, end: 11, introductions_per_month: 4}\n";

std::string write(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

std::string input_error_of(const std::string& path) {
  try {
    load_inputs(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

double metric(const std::vector<double>& row, Metric m) {
  return row[metric_index(m)];
}

}  // namespace

TEST_CASE("population.firms may be left out when synthetic firms make up the population",
          "[yaml][synthetic]") {
  const Scenario s =
      parse_scenario("name: t\npopulation:\n  synthetic: {firms: 500, participants: 30}\n",
                     "s.yaml", "/somewhere");
  CHECK(s.firms_path.empty());
  CHECK(s.relations_path.empty());
  CHECK(s.synthetic.firms == 500);
  CHECK(s.synthetic.participants == 30);
  CHECK(s.warnings.empty());

  // Interview data and synthetic firms together: as before, no synthetic participants.
  const Scenario mixed =
      parse_scenario("name: t\npopulation: {firms: f.csv, synthetic: {firms: 5}}\n", "s.yaml", "");
  CHECK(mixed.firms_path == "f.csv");
  CHECK(mixed.synthetic.firms == 5);
  CHECK(mixed.synthetic.participants == 0);

  // The resolved configuration names the target group too.
  const std::string resolved = resolved_scenario_yaml(s, [](const std::string& id) { return id; });
  CHECK_THAT(resolved, Contains("synthetic: {firms: 500, participants: 30}"));
  CHECK_THAT(resolved, !Contains("firms: /somewhere"));
}

TEST_CASE("a population without firms or synthetic firms is an error naming population.firms",
          "[yaml][synthetic]") {
  struct Case {
    const char* what;
    std::string text;
    const char* where;
    const char* says;
  };
  const std::string missing =
      "required key is missing (the interview firms CSV); for a purely synthetic population give "
      "`synthetic: {firms: N}` with N > 0 instead";
  const std::vector<Case> cases = {
      {"relations only (as before)", "name: t\npopulation: {relations: r.csv}\n",
       "s.yaml:2:13: population.firms: ", "required key is missing (the interview firms CSV)"},
      {"no synthetic firms", "name: t\npopulation: {synthetic: {firms: 0}}\n",
       "s.yaml:2:13: population.firms: ", missing.c_str()},
      {"an empty synthetic mapping", "name: t\npopulation:\n  synthetic: {}\n",
       "s.yaml:3:3: population.firms: ", missing.c_str()},
      {"participants without synthetic firms",
       "name: t\npopulation:\n  synthetic: {participants: 3}\n",
       "s.yaml:3:3: population.firms: ", missing.c_str()},
      {"relations need the interview firms",
       "name: t\npopulation:\n  relations: r.csv\n  synthetic: {firms: 10}\n",
       "s.yaml:3:3: population.relations: ",
       "relations name interview firms by their firm_id, so they need `firms` (the interview "
       "firms CSV); a purely synthetic population draws its own initial relations"},
      {"more participants than synthetic firms",
       "name: t\npopulation:\n  synthetic: {firms: 10, participants: 11}\n",
       "s.yaml:3:40: population.synthetic.participants: ",
       "expected at most the number of synthetic firms (10), got 11"},
      {"negative participants",
       "name: t\npopulation:\n  synthetic: {firms: 10, participants: -1}\n",
       "s.yaml:3:40: population.synthetic.participants: ", "expected"},
      {"a typo in the synthetic keys",
       "name: t\npopulation:\n  synthetic: {firms: 10, participant: 1}\n",
       "s.yaml:3:26: population.synthetic.participant: ", "did you mean 'participants'"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const std::string message = error_of(c.text);
    CHECK_THAT(message, StartsWith(c.where));
    CHECK_THAT(message, Contains(c.says));
  }
}

TEST_CASE("klynge validate: a scenario without firms exits 2 with file, line, column and key",
          "[yaml][synthetic][cli]") {
  const testing::TempDir dir("klynge-synthetic-cli");
  const std::string path = write(dir, "no_firms.yaml", "name: t\npopulation:\n  synthetic: {}\n");
  std::vector<const char*> args = {"klynge", "validate", path.c_str()};
  std::ostringstream out, err;
  const int code = cli::klynge_main(static_cast<int>(args.size()), args.data(), {out, err});
  CHECK(code == 2);
  CHECK_THAT(err.str(), Contains(path + ":3:3: population.firms: required key is missing"));
  CHECK_THAT(err.str(), Contains("`synthetic: {firms: N}` with N > 0"));

  const std::string ok =
      write(dir, "ok.yaml",
            synthetic_scenario("  synthetic: {firms: 200, participants: 20}\n", kProgramme));
  std::vector<const char*> ok_args = {"klynge", "validate", ok.c_str()};
  std::ostringstream ok_out, ok_err;
  CHECK(cli::klynge_main(static_cast<int>(ok_args.size()), ok_args.data(), {ok_out, ok_err}) == 0);
  CHECK_THAT(ok_out.str(), Contains("firms: 200 (20 participants, 180 others)"));
  CHECK_THAT(ok_out.str(), Contains("warnings: 0"));
}

TEST_CASE("a purely synthetic scenario loads from built-in archetypes and runs",
          "[inputs][synthetic]") {
  const testing::TempDir dir("klynge-synthetic-only");
  const std::string path =
      write(dir, "synthetic.yaml",
            synthetic_scenario("  synthetic: {firms: 300, participants: 24}\n", kProgramme));
  const Inputs in = load_inputs(path);
  CHECK(in.warnings.empty());
  CHECK(in.scenario.warnings.empty());

  // The same firms as add_synthetic_firms on an empty population: nothing read from a file.
  Population expected;
  add_synthetic_firms(expected, 300, 11, 24);
  const Population& p = in.population;
  REQUIRE(p.firms.size() == 300);
  REQUIRE(p.capability_names == expected.capability_names);
  CHECK(p.capability_names.size() == 13);
  CHECK(p.relations.size() == expected.relations.size());
  int participants = 0;
  for (std::size_t i = 0; i < p.firms.size(); ++i) {
    const FirmRecord& f = p.firms[i];
    CHECK(f.synthetic);
    CHECK(f.firm_id == expected.firms[i].firm_id);
    CHECK(f.employees == expected.firms[i].employees);
    CHECK(f.participant == (i < 24));
    participants += f.participant ? 1 : 0;
  }
  CHECK(participants == 24);
  CHECK(p.firms.front().firm_id == "S000001");
  CHECK(p.firms.back().firm_id == "S000300");
  // Every capability is in the sample catalogue: real segment weights, not uniform ones.
  REQUIRE(in.catalogue_weights.size() == 13);
  CHECK(in.catalogue_weights[0] != std::array<double, kSegmentCount>{1, 1, 1, 1});

  // A few steps through the engine: the programme reaches its synthetic target group.
  Simulation sim(in, 0, 0, false);
  for (int t = 0; t < 5; ++t) {
    sim.step();
    const auto& row = sim.last_row();
    for (std::size_t m = 0; m < row.size(); ++m)  // a share of nothing may be NaN
      if (m != metric_index(Metric::local_win_value_share)) REQUIRE(std::isfinite(row[m]));
  }
  const World& w = sim.world();
  CHECK(metric(sim.last_row(), Metric::participants_enrolled) == 24);
  CHECK(metric(sim.last_row(), Metric::participant_employees) > 0);
  CHECK(metric(sim.last_row(), Metric::nonparticipant_employees) > 0);
  int mapped = 0;
  for (int f = 0; f < w.firm_count; ++f) {
    if (w.mapped[f]) {
      ++mapped;
      CHECK(w.participant[f]);  // interviews reach the target group only
    }
  }
  CHECK(mapped > 0);

  // And to the horizon, deterministically.
  const ReplicateOutput a = Simulation(in, 0, 0, false).run();
  const ReplicateOutput b = Simulation(in, 0, 0, false).run();
  REQUIRE(a.metrics.size() == b.metrics.size());  // bitwise: a metric may be NaN at step 0
  CHECK(std::memcmp(a.metrics.data(), b.metrics.data(), a.metrics.size() * sizeof(double)) == 0);
  CHECK(a.metrics.size() == static_cast<std::size_t>(in.scenario.horizon + 1) * kMetricCount);
}

TEST_CASE("without participants a purely synthetic programme reaches only explicit targets",
          "[inputs][synthetic]") {
  const testing::TempDir dir("klynge-synthetic-targets");

  SECTION("no target group: a warning, and the default target reaches nobody") {
    const Inputs in = load_inputs(
        write(dir, "none.yaml", synthetic_scenario("  synthetic: {firms: 100}\n", kProgramme)));
    REQUIRE(in.warnings.size() == 1);
    CHECK_THAT(in.warnings[0], Contains("no firm is in the programme's target group"));
    CHECK_THAT(in.warnings[0], Contains("population.synthetic.participants is 0"));
    Simulation sim(in, 0, 0, false);
    for (int t = 0; t < 5; ++t) sim.step();
    CHECK(metric(sim.last_row(), Metric::participants_enrolled) == 0);
    const World& w = sim.world();
    CHECK(std::none_of(w.mapped.begin(), w.mapped.end(), [](char m) { return m != 0; }));
  }

  SECTION("explicit targets name synthetic firms by their ids") {
    const Inputs in = load_inputs(
        write(dir, "explicit.yaml",
              synthetic_scenario("  synthetic: {firms: 100}\n",
                                 "  - {id: recruitment, type: recruitment, at: [0, 1, 2], "
                                 "target: {firms: [S000003, S000042]}}\n"
                                 "  - {id: interviews, type: interviews, start: 1, end: 4, "
                                 "target: {firms: [S000042, S000003]}}\n")));
    CHECK(in.warnings.empty());  // every intervention names its firms
    REQUIRE(in.explicit_targets.size() == 1);
    CHECK(in.explicit_targets[0][0] == std::vector<int>{2, 41});
    CHECK(in.explicit_targets[0][1] == std::vector<int>{2, 41});
    Simulation sim(in, 0, 0, false);
    for (int t = 0; t < 5; ++t) sim.step();
    const World& w = sim.world();
    // Recruitment contacted both (they are in no target group) and may enrol them; the
    // interviews reach the enrolled ones among them, nobody else.
    CHECK(w.last_programme_contact[2] >= 0);
    CHECK(w.last_programme_contact[41] >= 0);
    for (int f = 0; f < w.firm_count; ++f) {
      if (f == 2 || f == 41) continue;
      REQUIRE_FALSE(w.enrolled[f]);
      REQUIRE_FALSE(w.mapped[f]);
    }
  }

  SECTION("an interview firm id is an error naming the key and the synthetic ids") {
    const std::string path =
        write(dir, "interview_id.yaml",
              synthetic_scenario("  synthetic: {firms: 50, participants: 5}\n",
                                 "  - {id: interviews, type: interviews, at: [0], "
                                 "target: {firms: [F001]}}\n"));
    const std::string message = input_error_of(path);
    CHECK_THAT(message,
               StartsWith(path + ":10: variants.base.interventions.interviews.target.firms: "));
    CHECK_THAT(message, Contains("firm_id \"F001\" is not in the population: the scenario has no "
                                 "interview data (population.firms), only synthetic firms, named "
                                 "S000001 to S000050"));
  }
}

TEST_CASE("interview scenarios keep their target group and messages", "[inputs][synthetic]") {
  const std::string bench = KLYNGE_SOURCE_DIR "/bench/scenarios/";
  const Inputs mixed = load_inputs(bench + "synthetic_1k.yaml");
  CHECK(mixed.warnings.empty());
  int interviewed_participants = 0, synthetic_participants = 0;
  for (const auto& f : mixed.population.firms) {
    if (f.participant) ++(f.synthetic ? synthetic_participants : interviewed_participants);
  }
  CHECK(interviewed_participants == 32);
  CHECK(synthetic_participants == 0);

  // An unknown firm id with interview data: the message as before.
  const testing::TempDir dir("klynge-synthetic-interview");
  const std::string path =
      write(dir, "unknown.yaml",
            "name: t\nhorizon: 12\npopulation: {firms: " KLYNGE_SOURCE_DIR
            "/scenarios/data/midtjylland_firms.csv, synthetic: {firms: 10}}\ncatalogue: " +
                kCatalogue +
                "\ninterventions:\n  - {type: interviews, at: [0], target: {firms: [NOPE]}}\n");
  CHECK_THAT(input_error_of(path),
             Contains("target.firms: firm_id \"NOPE\" is not in the interview data"));
}

TEST_CASE(
    "bench/scenarios/synthetic_only_10k.yaml: 10,000 synthetic firms, synthetic_1k's "
    "programme",
    "[inputs][synthetic]") {
  const std::string bench = KLYNGE_SOURCE_DIR "/bench/scenarios/";
  const Inputs only = load_inputs(bench + "synthetic_only_10k.yaml");
  const Inputs mixed = load_inputs(bench + "synthetic_1k.yaml");
  CHECK(only.warnings.empty());
  CHECK(only.scenario.firms_path.empty());
  CHECK(only.population.firms.size() == 10000);
  CHECK(std::all_of(only.population.firms.begin(), only.population.firms.end(),
                    [](const FirmRecord& f) { return f.synthetic; }));
  // The target group is as large as the interview data's (32 participants).
  CHECK(std::count_if(only.population.firms.begin(), only.population.firms.end(),
                      [](const FirmRecord& f) { return f.participant; }) == 32);
  CHECK(only.scenario.horizon == 120);
  CHECK(only.scenario.replicates == 1);
  CHECK(only.scenario.seed == mixed.scenario.seed);
  CHECK(only.scenario.outputs.detail_replicates == 0);
  CHECK(only.scenario.catalogue.size() == mixed.scenario.catalogue.size());

  // The same programme, facilitators, budget and parameters.
  REQUIRE(only.scenario.variants.size() == 1);
  REQUIRE(mixed.scenario.variants.size() == 1);
  const Variant& a = only.scenario.variants[0];
  const Variant& b = mixed.scenario.variants[0];
  CHECK(a.budget_dkk == b.budget_dkk);
  CHECK(a.facilitators.count == b.facilitators.count);
  CHECK(a.facilitators.hours_per_month == b.facilitators.hours_per_month);
  CHECK(a.facilitators.competence == b.facilitators.competence);
  CHECK(a.parameters.cluster_every == b.parameters.cluster_every);
  REQUIRE(a.interventions.size() == b.interventions.size());
  for (std::size_t i = 0; i < a.interventions.size(); ++i) {
    INFO(b.interventions[i].id);
    CHECK(a.interventions[i].id == b.interventions[i].id);
    CHECK(a.interventions[i].type == b.interventions[i].type);
    CHECK(a.interventions[i].schedule.at == b.interventions[i].schedule.at);
    CHECK(a.interventions[i].schedule.start == b.interventions[i].schedule.start);
    CHECK(a.interventions[i].schedule.end == b.interventions[i].schedule.end);
    CHECK(a.interventions[i].params == b.interventions[i].params);
    CHECK(a.interventions[i].budget_dkk == b.interventions[i].budget_dkk);
  }
}
