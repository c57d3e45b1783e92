// `klynge demo [-o DIR]`: the built-in workshop scenario, run live (sim/cli/workshop_demo.hpp).
#include <unistd.h>

#include <ostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/commands/numeric_options.hpp"
#include "sim/cli/commands/stop_on_signal.hpp"
#include "sim/cli/workshop_demo.hpp"

namespace klynge::cli {

std::unique_ptr<Command> make_demo_command();  // also in commands.hpp

namespace {

class DemoCommand final : public Command {
 public:
  void declare(po::options_description& options, po::positional_options_description&) override {
    options.add_options()(
        "output,o", po::value<std::string>()->default_value("klynge-demo"),
        "folder for scenario/ (an editable copy of the scenario), results.h5 and report.html")(
        "replicates",
        po::value<std::string>()->default_value(std::to_string(demo::kDefaultReplicates)),
        "replicates per variant (1 to 1000000)")(
        "threads", po::value<std::string>()->default_value("0"), "worker threads (0 = all cores)")(
        "force", "restore the built-in scenario files in DIR/scenario even if they were edited")(
        "quiet", "no progress line");
  }

  int run(const po::variables_map& args, Streams io) override {
    demo::Options options;
    options.directory = args["output"].as<std::string>();
    options.replicates =
        static_cast<int>(parse_count_option("replicates", args["replicates"].as<std::string>(), 1,
                                            kMaxReplicatesOption, "an integer from 1 to 1000000"));
    options.threads = threads_option(args["threads"].as<std::string>(), io.err);
    options.force = args.count("force") > 0;
    options.progress = !args.count("quiet") && isatty(STDERR_FILENO);
    StopOnSignal stop_on_signal;
    const auto outcome = demo::run(options, io.out, io.err, stop_on_signal.flag());
    return outcome.complete ? kExitOk : kExitInterrupted;
  }

  std::string usage() const override {
    return "klynge demo [-o DIR] [--replicates N] [--threads N] [--force] [--quiet]";
  }
};

}  // namespace

std::unique_ptr<Command> make_demo_command() {
  return std::make_unique<DemoCommand>();
}

}  // namespace klynge::cli
