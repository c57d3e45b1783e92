// `klynge studio [SCENARIO.yaml]`: the workshop page (sim/cli/studio/studio.hpp,
// docs/workshop.md). Without a scenario it writes the built-in workshop scenario to a folder, as
// `klynge demo` does, and opens that.
#include <boost/asio/ip/address.hpp>
#include <filesystem>
#include <ostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/commands/numeric_options.hpp"
#include "sim/cli/commands/stop_on_signal.hpp"
#include "sim/cli/studio/studio.hpp"
#include "sim/cli/workshop_demo.hpp"
#include "sim/core/errors.hpp"

namespace klynge::cli {
namespace {

class StudioCommand final : public Command {
 public:
  void declare(po::options_description& options,
               po::positional_options_description& positional) override {
    options.add_options()("scenario", po::value<std::string>(),
                          "scenario YAML file (default: the built-in workshop scenario, written "
                          "to --output)")(
        "output,o", po::value<std::string>()->default_value("klynge-demo"),
        "without SCENARIO: folder for scenario/ (the built-in scenario, as `klynge demo` writes "
        "it)")("port", po::value<std::string>()->default_value("8080"),
               "TCP port (0 = any free port; the address is printed)")(
        "host", po::value<std::string>()->default_value("127.0.0.1"),
        "address to listen on; anything but a loopback address lets other machines use it")(
        "replicates", po::value<std::string>(),
        "replicates per variant of every run, 2 to 1000 (default: the scenario's, at most 1000)")(
        "threads", po::value<std::string>()->default_value("0"), "worker threads (0 = all cores)")(
        "force", "without SCENARIO: restore edited built-in scenario files");
    positional.add("scenario", 1);
  }

  int run(const po::variables_map& args, Streams io) override {
    const int port =
        static_cast<int>(parse_count_option("port", args["port"].as<std::string>(), 0, 65535,
                                            "a TCP port from 0 to 65535 (0 = any free port)"));
    const std::string host = args["host"].as<std::string>();
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    if (ec) throw UsageError("--host " + host + ": expected an IP address such as 127.0.0.1");
    if (!address.is_loopback())
      io.err << "warning: --host " << host
             << " is not a loopback address: anyone who can reach this machine on port " << port
             << " can use the studio, run simulations and save files in the scenario's folder\n";
    int replicates = 0;
    if (args.count("replicates"))
      replicates =
          static_cast<int>(parse_count_option("replicates", args["replicates"].as<std::string>(), 2,
                                              studio::kMaxReplicates, "an integer from 2 to 1000"));
    const int threads = threads_option(args["threads"].as<std::string>(), io.err);

    std::string scenario;
    if (args.count("scenario")) {
      scenario = args["scenario"].as<std::string>();
    } else {
      scenario = demo::write_scenario(args["output"].as<std::string>(), args.count("force") > 0);
      io.out << "klynge studio: the built-in workshop scenario, written to " << scenario << "\n";
    }
    studio::Session session(scenario, replicates, threads);
    StopOnSignal stop_on_signal;
    studio::serve(session, host, port, io.out, io.err, stop_on_signal.flag());
    return kExitOk;
  }

  std::string usage() const override {
    return "klynge studio [SCENARIO.yaml] [--port N] [--host H] [--replicates R] [--threads T] "
           "[-o DIR] [--force]";
  }
};

}  // namespace

std::unique_ptr<Command> make_studio_command() {
  return std::make_unique<StudioCommand>();
}

}  // namespace klynge::cli
