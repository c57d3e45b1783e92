// `klynge report RESULTS.h5 [-o report.html]`: one self-contained HTML page (analysis/report.hpp).
#include <ostream>

#include "analysis/compare.hpp"
#include "analysis/report.hpp"
#include "sim/cli/commands.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/output_file.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::cli {

std::unique_ptr<Command> make_report_command();  // also in commands.hpp

namespace {

class ReportCommand final : public Command {
 public:
  void declare(po::options_description& options,
               po::positional_options_description& positional) override {
    options.add_options()("results", po::value<std::string>()->required(),
                          "results file written by 'klynge run'")(
        "output,o", po::value<std::string>()->default_value("report.html"),
        "the HTML file to write (replaced if it exists)")(
        "baseline", po::value<std::string>(),
        "variant the others are ranked against (default: 'baseline', else the first)")(
        "network-variant", po::value<std::string>(),
        "variant shown next to the baseline in the network view at first (default: "
        "full_programme, else the first other variant)")("quiet", "do not print the ranking");
    positional.add("results", 1);
  }

  int run(const po::variables_map& args, Streams io) override {
    const std::string results_path = args["results"].as<std::string>();
    const std::string output = args["output"].as<std::string>();
    analysis::report::Options options;
    if (args.count("baseline")) options.baseline = args["baseline"].as<std::string>();
    if (args.count("network-variant"))
      options.network_variant = args["network-variant"].as<std::string>();

    // Before any work: the page must not land on the results file, a folder or a device.
    refuse_same_file(output, {results_path});
    check_output_target(output, true, "report");
    const ResultsFile results = read_results(results_path);
    // The ranking is compare's (one source for both commands); an unknown --baseline stops here.
    analysis::CompareOptions compare_options;
    compare_options.baseline = options.baseline;
    const analysis::Comparison comparison = analysis::compare(results, compare_options);
    if (!options.network_variant.empty() && !results.find_variant(options.network_variant))
      throw UsageError("--network-variant '" + options.network_variant + "' is not a variant of " +
                       results_path);
    if (!results.complete())
      io.err << "warning: " << results_path
             << " is incomplete: the report uses the replicates that finished\n";
    const std::size_t bytes = analysis::report::write(results_path, output, options);
    if (!args.count("quiet")) io.out << analysis::report::format_ranking(comparison) << "\n";
    io.out << "report: " << output << " (" << (bytes + 512) / 1024
           << " KB; self-contained, works offline: open it in a browser or forward it)\n";
    return kExitOk;
  }

  std::string usage() const override {
    return "klynge report RESULTS.h5 [-o report.html] [--baseline NAME] [--network-variant NAME] "
           "[--quiet]";
  }
};

}  // namespace

std::unique_ptr<Command> make_report_command() {
  return std::make_unique<ReportCommand>();
}

}  // namespace klynge::cli
