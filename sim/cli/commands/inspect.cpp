// `klynge inspect RESULTS.h5`: provenance, variants with their completeness, datasets.
#include <algorithm>
#include <cstddef>
#include <ostream>
#include <sstream>
#include <vector>

#include "analysis/compare.hpp"
#include "sim/cli/commands.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::cli {
namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

std::string shape_text(const DatasetSummary& d) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < d.shape.size(); ++i) {
    if (i) out << " x ";
    out << d.shape[i];
    if (i < d.dims.size() && !d.dims[i].empty()) out << " " << d.dims[i];
  }
  out << "]";
  return out.str();
}

class InspectCommand final : public Command {
 public:
  void declare(po::options_description& options,
               po::positional_options_description& positional) override {
    options.add_options()("results", po::value<std::string>()->required(),
                          "results file written by 'klynge run'");
    positional.add("results", 1);
  }

  int run(const po::variables_map& args, Streams io) override {
    const ResultsFile r = read_results(args["results"].as<std::string>());
    const ResultsHeader& h = r.header;
    std::ostream& out = io.out;
    const auto field = [&](const char* name) -> std::ostream& {
      return out << "  " << pad(name, 14);
    };
    out << "klynge results file " << r.path << "\n";
    field("status") << r.status << "\n";
    field("tool version") << h.tool_version << " (results schema " << r.schema_version << ")\n";
    field("created") << r.created << "\n";
    field("scenario") << h.scenario_name << "\n";
    field("seed") << h.seed << "\n";
    field("replicates") << h.replicates << " per variant\n";
    // 64-bit: a horizon attribute near INT_MAX (a damaged or hand-made file) must not overflow.
    field("horizon") << h.horizon << " steps (" << static_cast<long long>(h.horizon) + 1
                     << " rows; step 0 is the initial state)\n";
    field("detail") << h.detail_replicates
                    << " replicate(s) per variant with trajectories, events and ties\n";
    field("firms") << h.pseudonyms.size()
                   << (h.reveal_names ? " (names revealed: run with --reveal-names)"
                                      : " (pseudonymised)")
                   << ", " << h.capability_names.size() << " capabilities, "
                   << h.initial_ties.size() << " initial ties\n";
    field("metrics") << r.metric_names.size() << "\n";
    if (!h.command_line.empty()) field("command line") << h.command_line << "\n";

    std::size_t written = 0, expected = 0;
    out << "\nvariants (" << r.variants.size() << ")\n";
    std::size_t name_width = 8;
    for (const auto& v : r.variants) name_width = std::max(name_width, v.name.size() + 2);
    for (std::size_t i = 0; i < r.variants.size(); ++i) {
      const auto& v = r.variants[i];
      const auto& info = h.variants[i];
      written += v.completed_count();
      expected += v.replicates;
      out << "  " << pad(v.name, name_width) << v.completed_count() << "/" << v.replicates
          << " replicates completed; interventions: ";
      if (info.intervention_ids.empty()) out << "none";
      for (std::size_t k = 0; k < info.intervention_ids.size(); ++k) {
        if (k) out << ", ";
        out << info.intervention_ids[k];
        if (k < info.intervention_types.size() &&
            info.intervention_types[k] != info.intervention_ids[k])
          out << " (" << info.intervention_types[k] << ")";
      }
      out << "\n";
    }

    // What each programme did: schedules, cash, runs, skipped units, staff hours.
    std::vector<std::string> notes;
    const auto programmes =
        analysis::programme_summaries(r, static_cast<std::size_t>(std::max(0, h.horizon)), notes);
    out << "\nprogrammes (months 1-" << h.horizon << "; see docs/compare.md)\n"
        << analysis::format_programmes(programmes, h.horizon);
    for (const auto& note : notes) out << "  note: " << note << "\n";

    // Tables (events, ties, initial_ties) are groups of equally long 1-D columns: one line each.
    struct Line {
      std::string path, type, shape, units;
    };
    std::vector<Line> lines;
    for (std::size_t i = 0; i < r.datasets.size();) {
      const DatasetSummary& d = r.datasets[i];
      const std::string group = d.path.substr(0, d.path.rfind('/'));
      const std::string leaf = group.substr(group.rfind('/') + 1);
      if (leaf == "events" || leaf == "ties" || leaf == "initial_ties") {
        std::size_t j = i;
        while (j < r.datasets.size() && r.datasets[j].path.rfind(group + "/", 0) == 0) ++j;
        const std::uint64_t rows = d.shape.empty() ? 0 : d.shape[0];
        std::ostringstream shape;
        shape << "[" << rows << " rows x " << j - i << " columns]";
        lines.push_back({group + "/*", "table", shape.str(), ""});
        i = j;
        continue;
      }
      lines.push_back({d.path, d.type, shape_text(d), d.units});
      ++i;
    }
    out << "\ndatasets (" << r.datasets.size() << ")\n";
    std::size_t path_width = 8, type_width = 6;
    for (const auto& l : lines) {
      path_width = std::max(path_width, l.path.size() + 2);
      type_width = std::max(type_width, l.type.size() + 1);
    }
    for (const auto& l : lines) {
      out << "  " << pad(l.path, path_width) << pad(l.type, type_width) << l.shape;
      if (!l.units.empty()) out << "  units: " << l.units;
      out << "\n";
    }

    if (!r.complete())
      out << "\nwarning: the results are incomplete (status " << r.status << "): " << written
          << " of " << expected << " replicates were written; the rows of the others read as NaN\n";
    return kExitOk;
  }

  std::string usage() const override { return "klynge inspect RESULTS.h5"; }
};

}  // namespace

std::unique_ptr<Command> make_inspect_command() {
  return std::make_unique<InspectCommand>();
}

}  // namespace klynge::cli
