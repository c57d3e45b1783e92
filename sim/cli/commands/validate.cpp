// `klynge validate SCENARIO.yaml`: loads the scenario and its interview data and prints a
// population summary: firms, participants, segments, municipalities, capabilities, relations,
// and everything imputed or skipped, with why. Firm names never appear; pseudonyms do.
#include <cmath>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include "sim/cli/commands.hpp"
#include "sim/core/text.hpp"
#include "sim/io/inputs.hpp"
#include "sim/io/scenario_yaml.hpp"

namespace klynge::cli {
namespace {

// Groups notes by message so a long file prints one line per kind, with a few line numbers.
void print_notes(std::ostream& out, const char* title, const std::vector<DataNote>& notes) {
  out << title << ": " << notes.size() << "\n";
  std::map<std::string, std::vector<const DataNote*>> by_kind;
  for (const auto& n : notes) by_kind[n.column + ": " + n.message].push_back(&n);
  for (const auto& [kind, list] : by_kind) {
    out << "  " << kind << " (" << list.size() << "x; ";
    for (std::size_t i = 0; i < list.size() && i < 5; ++i)
      out << (i ? ", " : "") << list[i]->file << ":" << list[i]->line;
    if (list.size() > 5) out << ", ...";
    out << ")\n";
  }
}

void print_summary(std::ostream& out, const Inputs& in) {
  const Scenario& s = in.scenario;
  const Population& pop = in.population;
  out << "scenario: " << s.name << " (" << s.source_path << ")\n"
      << "  seed " << s.seed << ", horizon " << s.horizon << " steps, " << s.replicates
      << " replicates\n";
  out << "variants: " << s.variants.size() << "\n";
  for (const auto& v : s.variants) {
    std::vector<std::string> ids;
    for (const auto& i : v.interventions) ids.push_back(i.id);
    out << "  " << v.name << ": " << (ids.empty() ? "(no interventions)" : join(ids)) << "\n";
  }

  int participants = 0;
  std::map<std::string, int> segment_count, municipality_count;
  double employees = 0, revenue = 0;
  for (const auto& f : pop.firms) {
    if (f.participant) {
      ++participants;
      segment_count[kSegmentNames[f.main_segment()]] += 1;
    }
    municipality_count[f.municipality.empty() ? "(coordinates)" : f.municipality] += 1;
    employees += f.employees;
    revenue += f.revenue_mdkk;
  }
  out << "firms: " << pop.firms.size() << " (" << participants << " participants, "
      << pop.firms.size() - participants << " others); " << std::fixed << std::setprecision(0)
      << employees << " employees, " << std::setprecision(1) << revenue << " mDKK/yr revenue\n";
  out << "participants by main segment:";
  for (const auto& [name, n] : segment_count) out << " " << name << " " << n << ";";
  out << "\nfirms by municipality:";
  for (const auto& [name, n] : municipality_count) out << " " << name << " " << n << ";";
  out << "\ncapabilities (" << pop.capability_names.size() << "):";
  for (std::size_t c = 0; c < pop.capability_names.size(); ++c) {
    const auto& w = in.catalogue_weights[c];
    out << "\n  " << std::left << std::setw(26) << pop.capability_names[c] << std::right
        << std::setprecision(1) << " food " << w[0] << ", energy_environment " << w[1] << ", other "
        << w[2] << ", export " << w[3];
  }
  std::map<std::string, int> relation_count;
  for (const auto& r : pop.relations)
    relation_count[kRelationTypeNames[static_cast<int>(r.type)]] += 1;
  out << "\nrelations: " << pop.relations.size() << " (";
  bool first = true;
  for (const auto& [name, n] : relation_count) {
    out << (first ? "" : ", ") << name << " " << n;
    first = false;
  }
  out << ")\n";
  print_notes(out, "imputed", pop.imputed);
  print_notes(out, "skipped", pop.skipped);
  std::vector<std::string> warnings = s.warnings;
  warnings.insert(warnings.end(), in.warnings.begin(), in.warnings.end());
  for (const auto& n : pop.warnings)
    warnings.push_back(n.file + ":" + std::to_string(n.line) + ": " + n.column + ": " + n.message);
  out << "warnings: " << warnings.size() << "\n";
  for (const auto& w : warnings) out << "  " << w << "\n";
}

std::string mdkk(double dkk) {
  if (std::isinf(dkk)) return "unlimited";
  std::ostringstream text;
  text << std::setprecision(3) << dkk * 1e-6 << " mDKK";
  return text.str();
}

// Each variant's programme as planned: budget, staff hours, and per activity its schedule, the
// runs it is scheduled for within the horizon, its envelope and its cash keys. What actually ran
// and what the budget or hours skipped is in `klynge compare` and `klynge inspect`.
void print_programmes(std::ostream& out, const Scenario& s) {
  out << std::defaultfloat << std::setprecision(10);  // print_summary leaves fixed, 1 digit
  out << "\n# programmes as planned (months are steps 0.." << s.horizon - 1
      << "; what ran and what was skipped: klynge compare / klynge inspect on the results)\n";
  for (const auto& v : s.variants) {
    double envelopes = 0;
    for (const auto& i : v.interventions) envelopes += i.budget_dkk.value_or(0);
    out << v.name << ": budget " << mdkk(v.budget_dkk) << " (envelopes " << mdkk(envelopes)
        << "), staff " << v.facilitators.count << " x " << v.facilitators.hours_per_month
        << " hours/month\n";
    if (v.interventions.empty()) out << "  (no activities)\n";
    for (const auto& i : v.interventions) {
      std::ostringstream schedule;
      int runs = 0;
      if (i.schedule.is_window()) {
        schedule << "months " << i.schedule.start << "-" << i.schedule.end;
        if (i.schedule.every != 1) schedule << " every " << i.schedule.every;
      } else {
        schedule << (i.schedule.at.size() == 1 ? "month " : "months ");
        for (std::size_t k = 0; k < i.schedule.at.size(); ++k)
          schedule << (k ? ", " : "") << i.schedule.at[k];
      }
      for (int step = 0; step < s.horizon; ++step) runs += i.schedule.active(step) ? 1 : 0;
      out << "  " << i.id << (i.type != i.id ? " (" + i.type + ")" : "") << ": " << schedule.str()
          << ", " << runs << " scheduled run" << (runs == 1 ? "" : "s") << " within the horizon";
      if (i.budget_dkk) out << ", envelope " << mdkk(*i.budget_dkk);
      for (const char* key : {"fixed_dkk", "per_firm_dkk", "monthly_dkk", "per_cluster_dkk"}) {
        const auto it = i.params.find(key);
        if (it != i.params.end() && it->second != 0) out << ", " << key << " " << it->second;
      }
      out << "\n";
    }
  }
}

class ValidateCommand final : public Command {
 public:
  void declare(po::options_description& options,
               po::positional_options_description& positional) override {
    options.add_options()("scenario", po::value<std::string>()->required(), "scenario YAML file")(
        "resolved", "also print every variant's fully resolved configuration (YAML)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "KEY=VALUE: set a model parameter (by name) or an intervention parameter (ID.KEY, "
        "ID.budget_dkk) in every variant, validated like YAML (repeatable)");
    positional.add("scenario", 1);
  }
  int run(const po::variables_map& args, Streams io) override {
    Inputs inputs = load_inputs(args["scenario"].as<std::string>());
    if (args.count("set"))
      apply_settings(inputs.scenario, args["set"].as<std::vector<std::string>>());
    print_summary(io.out, inputs);
    if (args.count("resolved")) {
      io.out << "\n# resolved configuration\n"
             << resolved_scenario_yaml(inputs.scenario, [&](const std::string& id) {
                  return inputs.pseudonym_of(id);
                });
      print_programmes(io.out, inputs.scenario);
    }
    io.out << "OK: " << inputs.scenario.source_path << " is valid\n";
    return kExitOk;
  }
  std::string usage() const override {
    return "klynge validate SCENARIO.yaml [--resolved] [--set KEY=VALUE]...";
  }
};

}  // namespace
std::unique_ptr<Command> make_validate_command() {
  return std::make_unique<ValidateCommand>();
}
}  // namespace klynge::cli
