// The parallel runner: same seed, same bits, whatever the thread count; interrupts keep finished
// replicates; common random numbers across variants in the written file.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "sim/io/inputs.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/run/runner.hpp"
#include "tests/support/same_results.hpp"
#include "tests/support/temp_dir.hpp"

using namespace klynge;
namespace fs = std::filesystem;

namespace {

// One folder for this process's files (pid and a counter in its name, so parallel suite runs
// cannot share it), removed at exit.
const fs::path& temp_dir() {
  static const klynge::testing::TempDir dir("klynge-runner");
  return dir.path;
}

std::string run_with_threads(int threads, const std::string& name, int replicates = 6) {
  RunOptions options;
  options.output = (temp_dir() / name).string();
  options.threads = threads;
  options.replicates = replicates;
  options.variants = {"baseline", "full_programme"};
  return klynge::testing::run_to_completion(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml",
                                            options);
}

}  // namespace

TEST_CASE("runner: results are bit-identical for 1 and 2 threads", "[runner][determinism]") {
  klynge::testing::require_same_results(run_with_threads(1, "t1.h5"), run_with_threads(2, "t2.h5"));
}

TEST_CASE("runner: the written file holds common random numbers across variants", "[runner][crn]") {
  const ResultsFile file = read_results(run_with_threads(2, "crn.h5"));
  const int arrived = file.metric_index("opportunities_arrived");
  REQUIRE(arrived >= 0);
  const auto& base = file.variants[0];
  const auto& full = file.variants[1];
  for (std::size_t r = 0; r < base.replicates; ++r)
    for (std::size_t t = 0; t < base.steps; ++t)
      CHECK(base.metric(r, t, arrived) == full.metric(r, t, arrived));
}

TEST_CASE("runner: a stop request leaves an incomplete file with the finished replicates",
          "[runner][interrupt]") {
  Inputs inputs = load_inputs(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  RunOptions options;
  options.output = (temp_dir() / "stopped.h5").string();
  options.threads = 1;
  options.replicates = 4;
  options.force = true;
  std::atomic<bool> stop{true};  // asked to stop before anything ran
  std::ostringstream progress;
  const RunSummary summary = run_scenario(inputs, options, progress, &stop);
  CHECK_FALSE(summary.complete);
  const ResultsFile file = read_results(options.output);
  CHECK(file.status == "incomplete");
  for (const auto& v : file.variants) {
    CHECK(v.completed_count() == 0);
    CHECK(std::isnan(v.metric(0, 0, 0)));
  }
}

TEST_CASE("runner: an existing file is not overwritten without --force", "[runner]") {
  const std::string path = run_with_threads(1, "exists.h5", 1);
  Inputs inputs = load_inputs(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  RunOptions options;
  options.output = path;
  options.replicates = 1;
  std::ostringstream progress;
  CHECK_THROWS_WITH(run_scenario(inputs, options, progress, nullptr), Catch::Contains("--force"));
}

TEST_CASE("runner: an unknown --variant is a usage error naming the variants", "[runner]") {
  Inputs inputs = load_inputs(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  RunOptions options;
  options.output = (temp_dir() / "never.h5").string();
  options.variants = {"ful_programme"};
  std::ostringstream progress;
  CHECK_THROWS_WITH(run_scenario(inputs, options, progress, nullptr),
                    Catch::Contains("did you mean 'full_programme'"));
}
