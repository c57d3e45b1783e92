#include "sim/cli/cli.hpp"

#include <iostream>

#include "klynge_version.hpp"
#include "sim/cli/commands.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/terminal_text.hpp"
#include "sim/core/text.hpp"
#include "sim/run/process_group.hpp"

namespace klynge::cli {

const std::vector<CommandEntry>& command_table() {
  static const std::vector<CommandEntry> table = {
      {"run", "simulate a scenario's variants and replicates; write an HDF5 results file",
       &make_run_command},
      {"validate", "check a scenario and its interview data; print a population summary",
       &make_validate_command},
      {"inspect", "show a results file: provenance, variants, datasets, completeness",
       &make_inspect_command},
      {"compare", "compare variants with the baseline: paired effects, 95% CIs, ranking",
       &make_compare_command},
      {"sensitivity", "global sensitivity of a morris/saltelli run: Morris mu*, Sobol S1/ST",
       &make_sensitivity_command},
      {"report", "write a self-contained HTML report (ranking, charts, network animation)",
       &make_report_command},
      {"demo", "run the built-in workshop scenario; write results.h5 and report.html",
       &make_demo_command},
      {"studio", "a live page for workshops: switch activities, see the effect in seconds",
       &make_studio_command},
      {"reference", "print the scenario key reference (Markdown) generated from the key tables",
       &make_reference_command},
  };
  return table;
}

namespace {

void print_general_help(std::ostream& out) {
  out << "klynge " << kVersion
      << " - agent-based simulation of industrial cluster formation\n\n"
         "Usage: klynge <command> [options]\n       klynge <command> --help\n\nCommands:\n";
  for (const auto& entry : command_table()) {
    std::string name = entry.name;
    name.resize(12, ' ');
    out << "  " << name << entry.summary << "\n";
  }
  out << "\nOptions:\n  -h, --help     this help\n  --version      print the version\n\n"
         "Exit codes: 0 success, 1 internal error, 2 bad input or usage, 130 interrupted.\n";
}

const CommandEntry* find_command(const std::string& name) {
  for (const auto& entry : command_table())
    if (name == entry.name) return &entry;
  return nullptr;
}

}  // namespace

namespace {

int run_command_line(int argc, const char* const* argv, Streams io) {
  try {
    if (argc < 2) {
      print_general_help(io.err);
      return kExitBadInput;
    }
    const std::string first = argv[1];
    if (first == "-h" || first == "--help" || first == "help") {
      print_general_help(io.out);
      return kExitOk;
    }
    if (first == "--version") {
      io.out << "klynge " << kVersion << " (results schema " << kSchemaVersion << ")\n"
             << "MPI ensembles: " << (built_with_mpi() ? "yes" : "no (built without MPI)") << "\n";
      return kExitOk;
    }
    const CommandEntry* entry = find_command(first);
    if (!entry) {
      std::vector<std::string> names;
      for (const auto& e : command_table()) names.push_back(e.name);
      io.err << "klynge: unknown command '" << first << "'" << did_you_mean(first, names)
             << "\nRun 'klynge --help' for the commands.\n";
      return kExitBadInput;
    }

    auto command = entry->make();
    po::options_description options(std::string("Options of 'klynge ") + entry->name + "'");
    options.add_options()("help,h", "this help");
    po::positional_options_description positional;
    command->declare(options, positional);

    po::variables_map args;
    try {
      po::store(
          po::command_line_parser(argc - 1, argv + 1).options(options).positional(positional).run(),
          args);
      if (args.count("help")) {
        io.out << "Usage: " << command->usage() << "\n\n" << entry->summary << "\n\n" << options;
        return kExitOk;
      }
      po::notify(args);
    } catch (const po::error& e) {
      io.err << "klynge " << entry->name << ": " << e.what() << "\nUsage: " << command->usage()
             << "\n";
      return kExitBadInput;
    }
    return command->run(args, io);
  } catch (const InputError& e) {
    io.err << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const UsageError& e) {
    io.err << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const OutputError& e) {
    io.err << "error: " << e.what() << "\n";
    return kExitInternal;
  } catch (const ModelError& e) {
    io.err << "error: the simulation stopped: " << e.what() << "\n";
    return kExitInternal;
  } catch (const std::bad_alloc&) {
    io.err << "error: out of memory; try fewer firms, replicates or --threads\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    io.err << "internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}

}  // namespace

int klynge_main(int argc, const char* const* argv, Streams io) {
  // Everything printed passes through EscapingBuffer: names, descriptions and file contents can
  // hold control characters, and they must not reach the terminal raw (terminal_text.hpp).
  EscapingBuffer out_buffer(io.out.rdbuf());
  EscapingBuffer err_buffer(io.err.rdbuf());
  std::ostream out(&out_buffer);
  std::ostream err(&err_buffer);
  const int code = run_command_line(argc, argv, {out, err});
  out.flush();
  err.flush();
  io.out.flush();
  io.err.flush();
  return code;
}

}  // namespace klynge::cli
