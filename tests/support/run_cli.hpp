#pragma once
// The klynge command line, run in-process (parsing, exit codes and all): shared by the tests
// that drive commands.
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli/cli.hpp"

namespace klynge::testing {

struct CliResult {
  int code = -1;
  std::string out, err;
};

// `klynge ARGS...`: its exit code and what it wrote to stdout and stderr.
inline CliResult run_cli(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"klynge"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = cli::klynge_main(static_cast<int>(argv.size()), argv.data(), {out, err});
  return {code, out.str(), err.str()};
}

}  // namespace klynge::testing
