#pragma once
// The parallel runner: every (variant, replicate) is an independent unit of work, taken in
// replicate-major order by oneTBB workers inside a task_arena sized by --threads; one writer
// thread owns the HDF5 file, fed by a bounded queue.
// Draws are keyed by (seed, replicate, process, step, entities), never by thread, and each
// replicate writes its own rows, so the file's datasets are identical for any thread count.
#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/parallel.hpp"
#include "sim/core/results.hpp"
#include "sim/io/inputs.hpp"

namespace klynge {

struct RunOptions {
  std::string output = "results.h5";
  int threads = 0;                    // 0 = all cores
  std::optional<int> replicates;      // overrides the scenario's
  std::optional<std::uint64_t> seed;  // overrides the scenario's
  std::vector<std::string> variants;  // empty = all
  bool force = false;
  // Continue the incomplete results file `output`: its finished replicates are kept, the others
  // run, and the file is replaced by one equal, bit for bit, to an uninterrupted run. Replicates,
  // seed and variants default to the file's; the scenario must be the one it was run from.
  bool resume = false;
  bool progress = false;  // draw a progress line on `progress_stream`
  // Wall seconds per phase, summed over replicates, as "phase-seconds NAME SECONDS" lines on
  // `progress_stream` at the end (`klynge run --phase-times`, or KLYNGE_PHASE_TIMES=1 for the
  // bench scripts); it changes no result.
  bool phase_times = false;
  bool reveal_names = false;
  std::string command_line;
  // Items per task when a phase splits its loop within a replicate (sim/core/parallel.hpp);
  // results are the same for any value. Tests lower it to exercise the parallel paths.
  std::size_t phase_grain = PhaseParallelism{}.grain;
};

struct RunSummary {
  int rank = 0;  // MPI rank (0 for a single process): only rank 0 wrote the file
  bool complete = false;
  int resumed = 0;   // replicates taken over from the file being resumed
  int finished = 0;  // replicates written
  int total = 0;
  double seconds = 0;
  std::string output;
  std::vector<std::string> variants;
};

class ProcessGroup;

// Applies the options' overrides to `inputs` (replicates, seed, variant selection), runs, and
// writes the results file. Stops early, leaving an `incomplete` file with every finished
// replicate, when `*stop` becomes true. With a process group (MPI), this rank runs its share of
// the units and rank 0 writes the file, bit for bit the single-process file.
RunSummary run_scenario(Inputs& inputs, const RunOptions& options, std::ostream& progress_stream,
                        const std::atomic<bool>* stop, ProcessGroup* group = nullptr);

// The header of the results file for these inputs (pseudonymised unless reveal_names).
ResultsHeader make_results_header(const Inputs& inputs, const std::vector<int>& variant_indices,
                                  const RunOptions& options);

}  // namespace klynge
