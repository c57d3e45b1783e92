#pragma once
// `klynge demo`: the workshop scenario built into the binary (scenarios/midtjylland.yaml and its
// interview data, embedded at build time by cmake/embed.cmake), run with enough replicates for a
// stable ranking yet in seconds, then the ranking (klynge compare's numbers, as the report
// shows them), results.h5 and report.html.
#include <atomic>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace klynge::cli::demo {

// Replicates per variant: at 40 the ranking of the seven workshop variants was the same for each
// of 10 other seeds tried (at 20, the two closest swapped places for one seed of four), and
// 7 x 40 replicates run in about 2 s on 2 cores (docs/report.md).
inline constexpr int kDefaultReplicates = 40;

struct Options {
  std::string directory = "klynge-demo";
  int replicates = kDefaultReplicates;
  int threads = 0;        // 0 = all cores
  bool force = false;     // restore edited scenario files in DIRECTORY/scenario
  bool progress = false;  // progress line on `err`
};

struct Outcome {
  bool complete = false;  // false: interrupted (results.h5 is marked incomplete; no report)
  double run_seconds = 0, total_seconds = 0;
  std::string scenario_path, results_path, report_path;
};

// One embedded file: its path relative to the scenario folder and its bytes.
struct File {
  std::string path;
  std::string text;
};
// The built-in scenario files (empty when the build did not embed them).
std::vector<File> builtin_files();

// Writes the scenario files to DIRECTORY/scenario (an edited copy there is an error unless
// options.force), runs it into DIRECTORY/results.h5 (replaced), prints the ranking on `out`,
// writes DIRECTORY/report.html and says how to open it. Throws UsageError for bad options and
// edited files, std::runtime_error when the scenario was not embedded.
Outcome run(const Options& options, std::ostream& out, std::ostream& err,
            const std::atomic<bool>* stop);

}  // namespace klynge::cli::demo
