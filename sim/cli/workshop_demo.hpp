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
  bool edited = false;    // the copy in DIRECTORY/scenario differed from the built-in one
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

// The text written for a built-in file in DIRECTORY/scenario: the file itself, with the
// scenario's comments made true of the copy (how to run it from its folder, the replicates the
// demo runs, where the data's README lives).
std::string copy_text(const File& file);

// Writes the built-in scenario files to DIRECTORY/scenario and returns the scenario's path. Files
// already there are kept (an edited copy is the user's: the demo and the studio run it) unless
// `force`, which restores the built-in files. `edited`, when given, says whether a kept file
// differs from the built-in one. Throws std::runtime_error when the scenario was not embedded.
std::string write_scenario(const std::string& directory, bool force, bool* edited = nullptr);

// Writes the scenario files (write_scenario: an edited copy is run as it is), runs it into
// DIRECTORY/results.h5 (replaced), prints the ranking on `out`, writes DIRECTORY/report.html and
// says how to open it. Throws UsageError for bad options, InputError for an invalid edited
// copy, std::runtime_error when the scenario was not embedded.
Outcome run(const Options& options, std::ostream& out, std::ostream& err,
            const std::atomic<bool>* stop);

}  // namespace klynge::cli::demo
