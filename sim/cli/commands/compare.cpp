// `klynge compare RESULTS.h5`: every variant against the baseline, paired over replicates.
// The statistics and renderings live in analysis/compare.hpp; decisions in docs/compare.md.
#include <optional>
#include <ostream>

#include "analysis/compare.hpp"
#include "analysis/robust.hpp"
#include "sim/cli/cli.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::cli {
namespace {

class CompareCommand final : public Command {
 public:
  void declare(po::options_description& options,
               po::positional_options_description& positional) override {
    options.add_options()(
        "results", po::value<std::string>()->required(),
        "results file written by 'klynge run'. Effects are paired differences variant - "
        "baseline over the replicates completed in both (common random numbers): mean and 95% "
        "Student-t confidence interval (mean +- t(0.975, n-1) sd/sqrt(n)), by default averaged "
        "over months 1..horizon (cumulative), or at one month with --at. A CI that contains 0 "
        "is 'not distinguishable from zero', with the replicates that would tell it (up to "
        "10,000; beyond that: no effect of practical size). Outcomes: participant revenue "
        "growth (pp), revenue, employees, partner ties, clusters, strategic networks, density, "
        "participant density, non-participant revenue (spill-over/displacement), regional value "
        "added; the economics: value added (participants + non-participants, summed over months "
        "1..M), incremental cost (variant - baseline), additional jobs, value added per DKK and "
        "cost per job (ratios of means, delta-method CIs); added participant revenue as a "
        "secondary figure; effects by firm size; the incremental cost-effectiveness table "
        "(dominance, extended dominance, frontier ICERs) and what each programme did. See "
        "docs/compare.md.")(
        "baseline", po::value<std::string>(),
        "variant to compare against (default: the variant named 'baseline', else the first)")(
        "metric", po::value<std::string>()->default_value(analysis::kDefaultMetric),
        "rank the variants by this outcome or any metric (highest first), and report the share "
        "of replicates in which each is best")(
        "at", po::value<int>(),
        "read effects, economics and the ranking at this month (1..horizon) instead of "
        "averaging over months 1..horizon; with --cumulative: average over months 1..MONTH")(
        "cumulative",
        "average effects over months 1..M (M = --at or the horizon): the default without --at")(
        "budget", po::value<double>(),
        "DKK: name the best variant (most value added on the efficiency frontier) whose mean "
        "cost (cash + staff hours) fits this budget")(
        "format", po::value<std::string>()->default_value("table"),
        "table (for people), csv (long: variant,outcome,mean,ci_low,ci_high,n,distinguishable) "
        "or json (one object per variant)");
    positional.add("results", 1);
  }

  int run(const po::variables_map& args, Streams io) override {
    const std::string format = args["format"].as<std::string>();
    if (format != "table" && format != "csv" && format != "json")
      throw UsageError("unknown --format '" + format + "': choose table, csv or json");
    analysis::CompareOptions options;
    if (args.count("baseline")) options.baseline = args["baseline"].as<std::string>();
    options.metric = args["metric"].as<std::string>();
    if (args.count("at")) options.at = args["at"].as<int>();
    options.cumulative = args.count("cumulative") > 0;
    if (args.count("budget")) options.budget_dkk = args["budget"].as<double>();

    const ResultsFile results = read_results(args["results"].as<std::string>());
    const analysis::Comparison comparison = analysis::compare(results, options);
    // A probabilistic run: the comparison above pools the draws; the robust one summarises the
    // comparison within each draw over the draws (docs/uncertainty.md).
    std::optional<analysis::RobustComparison> robust;
    if (results.header.uncertainty.draws > 0) robust = analysis::compare_robust(results, options);
    if (format == "table") {
      io.out << analysis::format_table(comparison);  // warnings are part of the table
      if (robust) io.out << analysis::format_robust_table(*robust);
      return kExitOk;
    }
    // Programs read stdout: the warnings go to stderr.
    for (const auto& w : comparison.warnings) io.err << "warning: " << w << "\n";
    if (format == "csv") {
      io.out << analysis::format_csv(comparison);
      if (robust) io.out << analysis::format_robust_csv(*robust);
      return kExitOk;
    }
    std::string json = analysis::format_json(comparison);
    if (robust) {  // one more member of the top-level object: "uncertainty"
      const auto end = json.find_last_of('}');
      json = json.substr(0, end) + ",\"uncertainty\":" + analysis::format_robust_json(*robust) +
             json.substr(end);
    }
    io.out << json;
    return kExitOk;
  }

  std::string usage() const override {
    return "klynge compare RESULTS.h5 [--baseline NAME] [--metric NAME] [--at MONTH] "
           "[--cumulative] [--budget DKK] [--format table|csv|json]";
  }
};

}  // namespace

std::unique_ptr<Command> make_compare_command() {
  return std::make_unique<CompareCommand>();
}

}  // namespace klynge::cli
