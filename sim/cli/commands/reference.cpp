// `klynge reference`: prints the scenario key reference generated from the key tables.
#include <ostream>

#include "sim/cli/commands.hpp"
#include "sim/io/scenario_yaml.hpp"

namespace klynge::cli {
namespace {
class ReferenceCommand final : public Command {
 public:
  void declare(po::options_description&, po::positional_options_description&) override {}
  int run(const po::variables_map&, Streams io) override {
    io.out << scenario_key_reference_markdown();
    return kExitOk;
  }
  std::string usage() const override { return "klynge reference > docs/scenario-keys.md"; }
};
}  // namespace
std::unique_ptr<Command> make_reference_command() {
  return std::make_unique<ReferenceCommand>();
}
}  // namespace klynge::cli
