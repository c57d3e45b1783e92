#pragma once
// The command line: one Command per subcommand, registered in one explicit table (cli.cpp).
// Exit codes: 0 success, 1 internal error, 2 bad input or usage, 130 interrupted.
#include <boost/program_options.hpp>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace klynge::cli {

namespace po = boost::program_options;

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

struct Streams {
  std::ostream& out;
  std::ostream& err;
};

class Command {
 public:
  virtual ~Command() = default;
  // Declare options and positional arguments (no work here).
  virtual void declare(po::options_description& options,
                       po::positional_options_description& positional) = 0;
  // Do the work; returns the exit code. Throw InputError/UsageError for bad input (exit 2).
  virtual int run(const po::variables_map& args, Streams io) = 0;
  // Shown by `klynge CMD --help` after the usage line.
  virtual std::string usage() const = 0;
};

struct CommandEntry {
  const char* name;
  const char* summary;
  std::unique_ptr<Command> (*make)();
};

// The registration table, in the order `klynge --help` lists it.
const std::vector<CommandEntry>& command_table();

// The whole CLI, callable in-process (tests) and from main().
int klynge_main(int argc, const char* const* argv, Streams io);

}  // namespace klynge::cli
