#pragma once
// Factories of the subcommands; each is defined in sim/cli/commands/<name>.cpp.
#include "sim/cli/cli.hpp"

namespace klynge::cli {
std::unique_ptr<Command> make_validate_command();
std::unique_ptr<Command> make_reference_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_inspect_command();
std::unique_ptr<Command> make_compare_command();
std::unique_ptr<Command> make_sensitivity_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_demo_command();
std::unique_ptr<Command> make_studio_command();
}  // namespace klynge::cli
