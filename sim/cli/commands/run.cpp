// `klynge run SCENARIO.yaml`: simulates every variant x replicate and writes the results file.
#include <unistd.h>

#include <iomanip>
#include <ostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/commands/numeric_options.hpp"
#include "sim/cli/commands/stop_on_signal.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/output_file.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/run/process_group.hpp"
#include "sim/run/runner.hpp"

namespace klynge::cli {
namespace {

class RunCommand final : public Command {
 public:
  void declare(po::options_description& options,
               po::positional_options_description& positional) override {
    options.add_options()("scenario", po::value<std::string>()->required(), "scenario YAML file")(
        "output,o", po::value<std::string>()->default_value("results.h5"), "results file (HDF5)")(
        "threads", po::value<std::string>()->default_value("0"),
        "worker threads (0 = all cores), shared by the replicates and, for large populations, the "
        "phases within one; results are the same for any N")(
        "replicates", po::value<std::string>(),
        "replicates per variant, 1 to 1000000 (overrides the scenario)")(
        "seed", po::value<std::string>(), "random seed, 0 to 2^64-1 (overrides the scenario)")(
        "variant", po::value<std::vector<std::string>>()->composing(),
        "run only this variant (repeatable)")("force", "overwrite an existing results file")(
        "resume", po::value<std::string>()->implicit_value(""),
        "continue the interrupted results file given by -o (or --resume=FILE): its finished "
        "replicates are kept; the result equals an uninterrupted run")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "KEY=VALUE: set a model parameter (by name) or an intervention parameter (ID.KEY, "
        "ID.budget_dkk) in every variant, validated like YAML (repeatable; recorded in the "
        "file's command_line and resolved configuration)")("quiet", "no progress line")(
        "phase-times",
        "print the wall seconds spent in each phase of the step, summed over replicates, as "
        "'phase-seconds NAME SECONDS' lines on stderr at the end (for benchmarks)")(
        "reveal-names", "store firm names in the results (recorded in the file)");
    positional.add("scenario", 1);
  }

  int run(const po::variables_map& args, Streams io) override {
    RunOptions options;
    options.output = args["output"].as<std::string>();
    options.threads = threads_option(args["threads"].as<std::string>(), io.err);
    if (args.count("replicates"))
      options.replicates = static_cast<int>(
          parse_count_option("replicates", args["replicates"].as<std::string>(), 1,
                             kMaxReplicatesOption, "an integer from 1 to 1000000"));
    if (args.count("seed"))
      options.seed = parse_count_option("seed", args["seed"].as<std::string>(), 0, UINT64_MAX,
                                        "an integer from 0 to 2^64-1 (18446744073709551615)");
    if (args.count("variant")) options.variants = args["variant"].as<std::vector<std::string>>();
    options.force = args.count("force") > 0;
    if (args.count("resume")) {  // `-o FILE --resume` or `--resume=FILE`
      const std::string file = args["resume"].as<std::string>();
      if (!file.empty() && !args["output"].defaulted() && file != options.output)
        throw UsageError("--resume=" + file + " and -o " + options.output +
                         " name different files; give the file once (-o FILE --resume)");
      if (!file.empty()) options.output = file;
      options.resume = true;
    }
    options.reveal_names = args.count("reveal-names") > 0;
    options.phase_times = args.count("phase-times") > 0;
    options.progress = !args.count("quiet") && isatty(STDERR_FILENO);
    const std::string scenario_path = args["scenario"].as<std::string>();
    // Recorded in the results file: how the run was started (options as parsed).
    options.command_line = "klynge run " + scenario_path + " -o " + options.output;
    if (options.threads) options.command_line += " --threads " + std::to_string(options.threads);
    if (options.replicates)
      options.command_line += " --replicates " + std::to_string(*options.replicates);
    if (options.seed) options.command_line += " --seed " + std::to_string(*options.seed);
    for (const auto& v : options.variants) options.command_line += " --variant " + v;
    if (options.force) options.command_line += " --force";
    if (options.resume) options.command_line += " --resume";
    if (options.reveal_names) options.command_line += " --reveal-names";

    // Started by mpirun with several ranks: each runs its share, rank 0 writes and reports.
    const std::unique_ptr<ProcessGroup> group = join_process_group();
    const bool reporting_rank = !group || group->rank() == 0;

    Inputs inputs = load_inputs(scenario_path);
    if (args.count("set")) {
      const auto settings = args["set"].as<std::vector<std::string>>();
      apply_settings(inputs.scenario, settings);
      for (const auto& s : settings) options.command_line += " --set " + s;
    }
    refuse_same_file(options.output,
                     {scenario_path, inputs.scenario.firms_path, inputs.scenario.relations_path});
    if (reporting_rank) {
      for (const auto& w : inputs.scenario.warnings) io.err << "warning: " << w << "\n";
      for (const auto& w : inputs.warnings) io.err << "warning: " << w << "\n";
    }

    StopOnSignal stop_on_signal;
    const RunSummary summary =
        run_scenario(inputs, options, io.err, stop_on_signal.flag(), group.get());
    if (!reporting_rank) return summary.complete ? kExitOk : kExitInterrupted;
    if (!summary.complete) {
      io.err << "interrupted: " << summary.finished << " of " << summary.total
             << " replicates finished; " << summary.output
             << " holds them and is marked incomplete\n";
      return kExitInterrupted;
    }
    if (summary.resumed > 0)
      io.out << "resumed " << summary.output << ": " << summary.resumed << " of " << summary.total
             << " replicates were already there\n";
    io.out << "ran " << summary.variants.size() << " variants x "
           << summary.total / std::max<std::size_t>(1, summary.variants.size()) << " replicates in "
           << std::fixed << std::setprecision(2) << summary.seconds
           << " s\nresults: " << summary.output << "\n";
    return kExitOk;
  }

  std::string usage() const override {
    return "klynge run SCENARIO.yaml [-o results.h5] [--threads N] [--replicates N] [--seed S] "
           "[--variant NAME]... [--set KEY=VALUE]... [--force] [--resume] [--quiet] "
           "[--reveal-names]";
  }
};

}  // namespace
std::unique_ptr<Command> make_run_command() {
  return std::make_unique<RunCommand>();
}
}  // namespace klynge::cli
