#include "sim/cli/workshop_demo.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "analysis/compare.hpp"
#include "analysis/report.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/inputs.hpp"
#include "sim/io/output_file.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/run/runner.hpp"

// Generated at configure time by cmake/embed.cmake (klynge_embed in CMakeLists.txt).
#if __has_include("klynge_demo_scenario.hpp")
#include "klynge_demo_scenario.hpp"
#define KLYNGE_HAS_DEMO_SCENARIO 1
#else
#define KLYNGE_HAS_DEMO_SCENARIO 0
#endif

namespace klynge::cli::demo {

namespace fs = std::filesystem;

std::vector<File> builtin_files() {
  std::vector<File> files;
#if KLYNGE_HAS_DEMO_SCENARIO
  for (const auto& f : embedded::kDemoScenarioFiles)
    files.push_back({f.path, std::string(reinterpret_cast<const char*>(f.data), f.size)});
#endif
  return files;
}

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string copy_text(const File& file) {
  if (file.path != "midtjylland.yaml") return file.text;
  std::string text = file.text;
  const auto replace = [&text](const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  };
  // The source's comments name its place in the source tree; the copy is run from its folder.
  replace("scenarios/midtjylland.yaml", "midtjylland.yaml");
  replace("(see data/README.md)", "(see scenarios/data/README.md in klynge's source)");
  replace("# Run it:        ",
          "# This is the copy `klynge demo` writes; in this folder:\n# Run it:        ");
  replace("# Compare:       klynge compare midtjylland.h5 --baseline baseline\n",
          "# Compare:       klynge compare midtjylland.h5 --baseline baseline\n"
          "# Live page:     klynge studio midtjylland.yaml   (docs/workshop.md)\n"
          "# `klynge demo` runs this copy (edited or not) with --replicates " +
              std::to_string(kDefaultReplicates) +
              " unless told\n# otherwise; `klynge demo --force` restores the built-in files.\n");
  // The replicates the demo runs, so `klynge run` of the copy gives the demo's numbers.
  const std::string line = "replicates: 200          # stochastic runs per variant";
  const std::string demo_line = "replicates: " + std::to_string(kDefaultReplicates) +
                                "           # stochastic runs per variant";
  replace(line, demo_line);
  return text;
}

std::string write_scenario(const std::string& directory, bool force, bool* edited) {
  const std::vector<File> files = builtin_files();
  if (files.empty())
    throw std::runtime_error(
        "this klynge was built without the built-in workshop scenario (cmake/embed.cmake was "
        "not applied); run scenarios/midtjylland.yaml with 'klynge run' instead");
  const fs::path dir = directory.empty() ? fs::path(".") : fs::path(directory);
  const fs::path scenario_dir = dir / "scenario";
  std::error_code ec;
  if (edited) *edited = false;
  for (const File& f : files) {
    const fs::path path = scenario_dir / f.path;
    const std::string text = copy_text(f);
    if (fs::exists(path, ec) && !force) {
      // The user's copy: run as it is, never overwritten silently.
      if (edited && read_file(path) != text) *edited = true;
      continue;
    }
    fs::create_directories(path.parent_path(), ec);
    if (ec)
      throw InputError({path.parent_path().string(), 0, 0}, "",
                       "cannot create this folder: " + ec.message());
    write_file_safely(path.string(), text, true, "scenario file");
  }
  return (scenario_dir / files.front().path).string();
}

Outcome run(const Options& options, std::ostream& out, std::ostream& err,
            const std::atomic<bool>* stop) {
  const auto started = std::chrono::steady_clock::now();
  if (options.replicates < 2) throw UsageError("--replicates must be at least 2 for a ranking");
  if (options.threads < 0) throw UsageError("--threads must be 0 (all cores) or positive");

  const fs::path dir = options.directory.empty() ? fs::path(".") : fs::path(options.directory);
  Outcome outcome;
  outcome.scenario_path = write_scenario(options.directory, options.force, &outcome.edited);
  outcome.results_path = (dir / "results.h5").string();
  outcome.report_path = (dir / "report.html").string();
  if (outcome.edited)
    out << "klynge demo: running your edited copy " << outcome.scenario_path
        << " ('klynge demo --force' restores the built-in scenario)\n";

  Inputs inputs = load_inputs(outcome.scenario_path);
  RunOptions run_options;
  run_options.output = outcome.results_path;
  run_options.threads = options.threads;
  run_options.replicates = options.replicates;
  run_options.force = true;  // the demo's own results file
  run_options.progress = options.progress;
  run_options.command_line = "klynge demo -o " + dir.string();
  if (options.replicates != kDefaultReplicates)
    run_options.command_line += " --replicates " + std::to_string(options.replicates);

  out << "klynge demo: " << (outcome.edited ? "the edited" : "the built-in")
      << " workshop scenario '" << inputs.scenario.name << "' (" << inputs.population.firms.size()
      << " fictional firms, " << inputs.scenario.variants.size() << " variants x "
      << options.replicates << " replicates, " << inputs.scenario.horizon << " months)\n"
      << std::flush;
  const RunSummary summary = run_scenario(inputs, run_options, err, stop);
  outcome.run_seconds = summary.seconds;
  if (!summary.complete) {
    err << "interrupted: " << summary.finished << " of " << summary.total
        << " replicates finished; " << summary.output << " holds them and is marked incomplete\n";
    return outcome;
  }
  out << "ran " << summary.total << " replicates in " << std::fixed << std::setprecision(1)
      << summary.seconds << " s\n\n";

  const ResultsFile results = read_results(outcome.results_path);
  out << analysis::report::format_ranking(analysis::compare(results)) << "\n";
  const std::size_t bytes = analysis::report::write(outcome.results_path, outcome.report_path, {});
  outcome.complete = true;
  outcome.total_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::error_code ec;
  const fs::path report_abs = fs::absolute(outcome.report_path, ec);
  out << "scenario: " << outcome.scenario_path
      << "  (an editable copy: change it and run 'klynge run " << outcome.scenario_path << "')\n"
      << "results:  " << outcome.results_path << "\n"
      << "report:   " << outcome.report_path << " (" << (bytes + 512) / 1024
      << " KB, self-contained: works offline, forward it as one file)\n\n"
      << "Open " << outcome.report_path << " in a browser, e.g.\n  xdg-open " << outcome.report_path
      << "\nor paste file://" << (ec ? outcome.report_path : report_abs.string())
      << " into the address bar.\n";
  return outcome;
}

}  // namespace klynge::cli::demo
