#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/cli/cli.hpp"
#include "sim/run/simulation.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/temp_dir.hpp"

using klynge::testing::run_cli;

TEST_CASE("cli: --help lists every registered command", "[cli]") {
  const auto r = run_cli({"--help"});
  CHECK(r.code == 0);
  for (const auto& entry : klynge::cli::command_table())
    CHECK(r.out.find(entry.name) != std::string::npos);
}

TEST_CASE("cli: --version prints the version", "[cli]") {
  const auto r = run_cli({"--version"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("klynge ", 0) == 0);
}

TEST_CASE("cli: an unknown command is a usage error with a suggestion", "[cli]") {
  const auto r = run_cli({"validat", "x.yaml"});
  CHECK(r.code == 2);
  CHECK(r.err.find("did you mean 'validate'") != std::string::npos);
}

TEST_CASE("cli: no arguments is a usage error", "[cli]") {
  CHECK(run_cli({}).code == 2);
}

TEST_CASE("cli: a command's --help shows its usage", "[cli]") {
  const auto r = run_cli({"validate", "--help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("klynge validate SCENARIO.yaml") != std::string::npos);
}

TEST_CASE("cli: a missing required argument is a usage error", "[cli]") {
  const auto r = run_cli({"validate"});
  CHECK(r.code == 2);
  CHECK(r.err.find("scenario") != std::string::npos);
}

TEST_CASE("cli: an unknown option is a usage error", "[cli]") {
  const auto r = run_cli({"validate", "x.yaml", "--frobnicate"});
  CHECK(r.code == 2);
}

TEST_CASE("cli: validate accepts every shipped scenario and prints a population summary",
          "[cli][validate]") {
  for (const char* name : {"midtjylland.yaml", "tight_budget.yaml", "downturn.yaml"}) {
    const std::string path = std::string(KLYNGE_SOURCE_DIR "/scenarios/") + name;
    const auto r = run_cli({"validate", path.c_str()});
    INFO(name << "\n" << r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("firms: 38 (32 participants, 6 others)") != std::string::npos);
    CHECK(r.out.find("imputed: 10") != std::string::npos);
    CHECK(r.out.find("skipped: 1") != std::string::npos);
    CHECK(r.out.find("OK: ") != std::string::npos);
  }
}

TEST_CASE("cli: validate never prints firm names or firm ids", "[cli][validate]") {
  const auto r =
      run_cli({"validate", KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml", "--resolved"});
  REQUIRE(r.code == 0);
  // Names and ids from the sample data's first rows.
  for (const char* secret : {"Vestjysk Rustfri", "Djurs Stålteknik", "22413985", "78225067"})
    CHECK(r.out.find(secret) == std::string::npos);
  CHECK(r.out.find("# resolved configuration") != std::string::npos);
  CHECK(r.out.find("encounter_rate") != std::string::npos);  // every default filled in
}

TEST_CASE("cli: validate --resolved shows each variant's programme as planned", "[cli][validate]") {
  const auto r =
      run_cli({"validate", KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml", "--resolved"});
  REQUIRE(r.code == 0);
  const auto plan = r.out.find("# programmes as planned");
  REQUIRE(plan != std::string::npos);
  const std::string text = r.out.substr(plan);
  // Budgets, envelopes, schedules, runs within the horizon (36 months) and cash keys.
  CHECK(text.find("full_programme: budget 3 mDKK (envelopes 2.11 mDKK), staff 2 x 60 "
                  "hours/month") != std::string::npos);
  CHECK(text.find("  meetings (network_meeting): months 3, 6, 9, 12, 4 scheduled runs within the "
                  "horizon, fixed_dkk 40000, per_firm_dkk 1500") != std::string::npos);
  CHECK(text.find("  cluster_strategy: month 18, 1 scheduled run within the horizon, envelope "
                  "1.11 mDKK, per_cluster_dkk 250000") != std::string::npos);
  CHECK(text.find("  value_chain (value_chain_linkage): months 6-35, 30 scheduled runs") !=
        std::string::npos);
  CHECK(text.find("recruitment_first: budget 3 mDKK") != std::string::npos);
  CHECK(text.find("  interviews: months 1-4, 4 scheduled runs") != std::string::npos);
  CHECK(text.find("baseline: budget 3 mDKK (envelopes 0 mDKK)") != std::string::npos);
}

TEST_CASE("cli: validate rejects bad input with exit 2 and a precise message", "[cli][validate]") {
  const std::string dir = std::string(KLYNGE_SOURCE_DIR "/scenarios");
  const klynge::testing::TempDir temp("klynge-cli-validate");
  SECTION("missing scenario file") {
    const auto r = run_cli({"validate", "/nonexistent/scenario.yaml"});
    CHECK(r.code == 2);
    CHECK(r.err.find("/nonexistent/scenario.yaml") != std::string::npos);
  }
  SECTION("a typo in a key, with line, column and a suggestion") {
    const std::string path = temp.file("typo.yaml");
    {
      std::ofstream out(path);
      out << "schema_version: 1\nname: t\nhorizon: 12\npopulation: {firms: " << dir
          << "/data/midtjylland_firms.csv}\ncatalogue: " << dir
          << "/data/midtjylland_catalogue.yaml\nintervention:\n  - {type: interviews, at: [0]}\n";
    }
    const auto r = run_cli({"validate", path.c_str()});
    CHECK(r.code == 2);
    CHECK(r.err.find(path + ":6:1: intervention") != std::string::npos);
    CHECK(r.err.find("did you mean 'interventions'") != std::string::npos);
  }
  SECTION("a population file that does not exist") {
    const std::string path = temp.file("nofile.yaml");
    {
      std::ofstream out(path);
      out << "name: t\npopulation: {firms: no_such_firms.csv}\n";
    }
    const auto r = run_cli({"validate", path.c_str()});
    CHECK(r.code == 2);
    CHECK(r.err.find("population.firms") != std::string::npos);
    CHECK(r.err.find("no_such_firms.csv") != std::string::npos);
  }
  SECTION("binary garbage") {
    const std::string path = temp.file("binary.yaml");
    {
      std::ofstream out(path, std::ios::binary);
      for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 7919) % 256));
    }
    const auto r = run_cli({"validate", path.c_str()});
    CHECK(r.code == 2);
    CHECK(r.err.find(path) != std::string::npos);
  }
}

TEST_CASE("cli: run --phase-times prints the seconds of every phase, and only when asked",
          "[cli][run]") {
  const klynge::testing::TempDir temp("klynge-phase-times");
  const std::string output = temp.file("phase-times.h5");
  const auto plain =
      run_cli({"run", KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml", "-o", output.c_str(),
               "--replicates", "2", "--variant", "baseline", "--quiet", "--force"});
  REQUIRE(plain.code == 0);
  CHECK(plain.err.find("phase-seconds") == std::string::npos);
  const auto timed = run_cli({"run", KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml", "-o",
                              output.c_str(), "--replicates", "2", "--variant", "baseline",
                              "--quiet", "--force", "--phase-times"});
  REQUIRE(timed.code == 0);
  for (const char* phase : klynge::PhaseTimes::kNames) {
    INFO(phase);
    CHECK(timed.err.find(std::string("phase-seconds ") + phase + " ") != std::string::npos);
  }
}
