// Parallelism within a replicate: phases that split their loops over firms (encounters, closure,
// development, growth) give the same bits as the serial run, whatever the split and the thread
// count. A small phase grain forces the parallel paths on a population of a few hundred firms.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/io/inputs.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/run/runner.hpp"
#include "tests/support/same_results.hpp"
#include "tests/support/temp_dir.hpp"

using namespace klynge;
using klynge::testing::require_same_results;
namespace fs = std::filesystem;

namespace {

// One folder for this process's files (pid and a counter in its name, so parallel suite runs
// cannot share it), removed at exit.
const fs::path& temp_dir() {
  static const klynge::testing::TempDir dir("klynge-phase-parallel");
  return dir.path;
}

// The workshop's firms and programme plus `synthetic` synthetic firms, 24 steps, detail outputs
// (trajectories, events, ties) for the first replicate.
std::string write_scenario(int synthetic) {
  const std::string data = KLYNGE_SOURCE_DIR "/scenarios/data/";
  const fs::path path = temp_dir() / ("synthetic_" + std::to_string(synthetic) + ".yaml");
  std::ofstream out(path);
  out << "schema_version: 1\n"
         "name: phase-parallel\n"
         "seed: 2007\n"
         "horizon: 24\n"
         "replicates: 2\n"
         "population:\n"
         "  firms: "
      << data << "midtjylland_firms.csv\n"
      << "  relations: " << data << "midtjylland_relations.csv\n"
      << "  synthetic: {firms: " << synthetic << "}\n"
      << "facilitators: {count: 2, hours_per_month: 60, competence: 0.4}\n"
         "budget_dkk: 3000000\n"
         "parameters: {cluster_every: 12, encounter_rate: 0.3, closure_probability: 0.2}\n"
         "catalogue: "
      << data << "midtjylland_catalogue.yaml\n"
      << "interventions:\n"
         "  - {id: interviews, type: interviews, start: 0, end: 3, firms_per_month: 8}\n"
         "  - {id: opportunity_scan, type: opportunity_scan, start: 2, end: 11}\n"
         "  - {id: meetings, type: network_meeting, at: [3, 6, 9, 12]}\n"
         "  - {id: matchmaking, type: matchmaking, start: 4, end: 17, "
         "introductions_per_month: 4}\n"
         "  - {id: joint_development, type: joint_development, start: 6, end: 17,\n"
         "     subsidy_share: 0.3, budget_dkk: 1000000}\n"
         "  - {id: cluster_strategy, type: cluster_strategy, at: [18], budget_dkk: 750000}\n"
         "variants:\n"
         "  baseline: {interventions: []}\n"
         "  full_programme: {}\n"
         "outputs: {firm_trajectories: true, events: true, ties: true, detail_replicates: 1}\n";
  return path.string();
}

std::string run(const std::string& scenario, int threads, std::size_t grain,
                const std::string& name) {
  RunOptions options;
  options.output = (temp_dir() / name).string();
  options.threads = threads;
  options.phase_grain = grain;
  return klynge::testing::run_to_completion(scenario, options);
}

}  // namespace

TEST_CASE("phase parallelism: split phases give the serial run's bits for any thread count",
          "[runner][determinism]") {
  // Grain 0 never splits; grain 8 splits every phase loop into many chunks (run inline on one
  // thread, or spread over two); grain 100 gives a few uneven chunks.
  const std::string scenario = write_scenario(600);
  const std::string serial = run(scenario, 1, 0, "serial.h5");
  require_same_results(serial, run(scenario, 1, 8, "g8t1.h5"));
  require_same_results(serial, run(scenario, 2, 8, "g8t2.h5"));
  require_same_results(serial, run(scenario, 2, 100, "g100t2.h5"));
}
