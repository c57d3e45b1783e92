// `klynge sensitivity RESULTS.h5`: Morris elementary effects or Sobol indices of a run whose
// scenario used `uncertainty: {sampling: morris | saltelli}`. The computation and renderings live
// in analysis/sensitivity_results.hpp; decisions in docs/sensitivity.md.
#include <ostream>

#include "analysis/compare.hpp"
#include "analysis/sensitivity_results.hpp"
#include "sim/cli/cli.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::cli {
namespace {

class SensitivityCommand final : public Command {
 public:
  void declare(po::options_description& options,
               po::positional_options_description& positional) override {
    options.add_options()(
        "results", po::value<std::string>()->required(),
        "results file of a scenario with `uncertainty: {sampling: morris}` (Morris elementary "
        "effects: mu*, mu, sigma per parameter) or `{sampling: saltelli}` (Sobol first-order S1 "
        "and total ST indices). Each parameter set's output is the mean over its replicates of "
        "the metric, read as compare reads it (averaged over months 1..horizon, or at --at); by "
        "default the level of the baseline variant, with --effect the paired effect of a "
        "variant against the baseline. Parameters are ranked by mu* (morris) or ST (saltelli), "
        "with 95% percentile bootstrap intervals. Incomplete trajectories or base points (an "
        "interrupted run) are left out and counted. See docs/sensitivity.md.")(
        "metric", po::value<std::string>()->default_value(analysis::kDefaultMetric),
        "the output: an outcome compare names or any metric of the file")(
        "variant", po::value<std::string>(),
        "the variant analysed (default: the baseline; with --effect the first other variant)")(
        "baseline", po::value<std::string>(),
        "the baseline (default: the variant named 'baseline', else the first)")(
        "effect",
        "analyse the paired effect variant - baseline (common random numbers within each "
        "parameter set) instead of the variant's own level")(
        "at", po::value<int>(),
        "read the metric at this month (1..horizon) instead of averaging over months "
        "1..horizon; with --cumulative: average over months 1..MONTH")(
        "cumulative",
        "average over months 1..M (M = --at or the horizon): the default without --at")(
        "resamples", po::value<int>()->default_value(1000),
        "bootstrap resamples for the 95% intervals (0: none)")(
        "format", po::value<std::string>()->default_value("table"),
        "table (for people), csv (long: parameter,measure,estimate,ci_low,ci_high,n) or json "
        "(one object)");
    positional.add("results", 1);
  }

  int run(const po::variables_map& args, Streams io) override {
    const std::string format = args["format"].as<std::string>();
    if (format != "table" && format != "csv" && format != "json")
      throw UsageError("unknown --format '" + format + "': choose table, csv or json");
    const int resamples = args["resamples"].as<int>();
    if (resamples < 0 || resamples > 1'000'000)
      throw UsageError("--resamples " + std::to_string(resamples) +
                       ": expected a number of bootstrap resamples from 0 to 1000000");
    analysis::SensitivityOptions options;
    options.metric = args["metric"].as<std::string>();
    if (args.count("variant")) options.variant = args["variant"].as<std::string>();
    if (args.count("baseline")) options.baseline = args["baseline"].as<std::string>();
    options.effect = args.count("effect") > 0;
    if (args.count("at")) options.at = args["at"].as<int>();
    options.cumulative = args.count("cumulative") > 0;
    options.resamples = static_cast<std::size_t>(resamples);

    const ResultsFile results = read_results(args["results"].as<std::string>());
    const analysis::SensitivityResult result = analysis::sensitivity_analysis(results, options);
    if (format == "table") {
      io.out << analysis::format_sensitivity_table(result);  // warnings are part of the table
      return kExitOk;
    }
    // Programs read stdout: the warnings go to stderr (and into the JSON).
    for (const auto& w : result.warnings) io.err << "warning: " << w << "\n";
    io.out << (format == "csv" ? analysis::format_sensitivity_csv(result)
                               : analysis::format_sensitivity_json(result));
    return kExitOk;
  }

  std::string usage() const override {
    return "klynge sensitivity RESULTS.h5 [--metric NAME] [--variant NAME] [--baseline NAME] "
           "[--effect] [--at MONTH] [--cumulative] [--resamples N] [--format table|csv|json]";
  }
};

}  // namespace

std::unique_ptr<Command> make_sensitivity_command() {
  return std::make_unique<SensitivityCommand>();
}

}  // namespace klynge::cli
