#pragma once
// A resolved, immutable scenario: what the user asked for, every default filled in, one complete
// description per variant. Built by sim/io/scenario_yaml; the runner builds a World per
// (variant, replicate) from it and never changes it.
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/parameters.hpp"
#include "sim/core/population.hpp"
#include "sim/core/sampling.hpp"
#include "sim/core/section_declaration.hpp"

namespace klynge {

// When an intervention acts: either explicit steps (`at`) or a window `start`..`end` (inclusive)
// every `every` steps. The two forms exclude each other.
struct Schedule {
  std::vector<int> at;
  int start = -1;
  int end = -1;
  int every = 1;

  bool is_window() const { return at.empty(); }
  bool active(int step) const {
    if (!is_window()) {
      for (int s : at)
        if (s == step) return true;
      return false;
    }
    return step >= start && step <= end && (step - start) % every == 0;
  }
  // First step at which the intervention is ever active (-1 if never).
  int first_step() const {
    if (!is_window()) {
      int first = -1;
      for (int s : at)
        if (first < 0 || s < first) first = s;
      return first;
    }
    return start;
  }
};

// Whom an intervention reaches. Default: the enrolled target group.
struct Target {
  enum class Kind { enrolled, segment, firms, top };
  Kind kind = Kind::enrolled;
  std::string segment;                // Kind::segment: main segment name (kSegmentNames)
  std::vector<std::string> firm_ids;  // Kind::firms: interview firm_ids (confidential)
  int top_k = 0;                      // Kind::top
  std::string by;  // Kind::top: employees|revenue_mdkk|export_share|willingness|ambition|absorptive
};

struct InterventionSpec {
  std::string id;     // stable, unique within a scenario; defaults to the type
  std::string type;   // a key of intervention_type_table()
  std::string label;  // display name (`label:`), "" = none: reports show the id
  Schedule schedule;
  Target target;
  std::map<std::string, double> params;  // every parameter of the type, defaults filled in
  std::optional<double> budget_dkk;      // ring-fenced envelope inside the scenario budget
  int source_line = 0;                   // where it was written (1-based), for messages

  double param(const std::string& key) const { return params.at(key); }
};

// `facilitators:` (a variant may change it). Its keys and defaults are declared once, in
// facilitators_declaration(); defaults() gives them. The members (here and in Outputs,
// SyntheticFirms) are zeroed, not defaulted, so that no default is written twice and a struct
// built in code never holds indeterminate values.
struct Facilitators {
  int count{};
  double hours_per_month{};
  double competence{};

  static Facilitators defaults();
};

struct CatalogueEntry {
  std::string capability;
  // Opportunity requirement weights per segment: food, energy_environment, other, export.
  std::array<double, kSegmentCount> weights{1, 1, 1, 1};
  std::vector<std::string> dev_tags;
};

struct MarketWindow {
  int from = 0;
  int to = 0;
  double factor = 1;
};

struct Market {
  // Per segment (kSegmentNames order); `all` windows are copied into every segment at load.
  std::array<std::vector<MarketWindow>, kSegmentCount> multiplier;

  double multiplier_at(int segment, int step) const {
    double m = 1;
    for (const auto& w : multiplier[segment])
      if (step >= w.from && step <= w.to) m *= w.factor;
    return m;
  }
};

// `outputs:`; keys and defaults: outputs_declaration().
struct Outputs {
  bool firm_trajectories{};  // per-firm trajectories for the detail replicates
  bool events{};             // event table for the detail replicates
  bool ties{};               // tie list with trust at every step, detail replicates
  int detail_replicates{};

  static Outputs defaults();
};

// `population.synthetic:`; keys and defaults: synthetic_declaration().
struct SyntheticFirms {
  int firms{};         // without interview firms (firms_path empty) the loader requires > 0
  int participants{};  // of `firms`, how many are in the target group

  static SyntheticFirms defaults();
};

// A probabilistic run (`uncertainty:`): `draws` parameter sets from a keyed design over the
// uncertain parameters' distributions; each draw runs every variant `replicates` times.
struct UncertainParameter {
  std::string key;  // a model parameter, or ID.KEY of an intervention parameter (or ID.budget_dkk)
  sampling::Distribution distribution;
  bool integer = false;  // draws are rounded to the nearest integer
};
struct Uncertainty {
  int draws = 0;  // 0: no uncertainty section (one parameter set, as written)
  // `sweep:` instead: every combination of the listed values (parameters hold `values`
  // distributions), the first parameter varying slowest; draws = the grid's size.
  bool grid = false;
  sampling::Method method = sampling::Method::latin_hypercube;
  // `sampling: morris | saltelli`: a design for global sensitivity (`klynge sensitivity`,
  // docs/sensitivity.md). `draws:` then counts trajectories (morris) or base points (saltelli),
  // kept in `design_draws`; `draws` above is the number of parameter sets they make:
  // r (d + 1) for morris, N (d + 2) for saltelli.
  enum class Sensitivity { none, morris, saltelli };
  Sensitivity sensitivity = Sensitivity::none;
  int design_draws = 0;  // r or N as written (0 when sensitivity is none)
  int levels = 4;        // morris: the grid's p levels (even)
  std::vector<UncertainParameter> parameters;
  bool active() const { return draws > 0; }
};

struct Variant {
  std::string name;
  std::string label;  // display name (`label:`), "" = none: reports show the name
  ModelParameters parameters = ModelParameters::defaults();
  Facilitators facilitators = Facilitators::defaults();
  double budget_dkk = std::numeric_limits<double>::infinity();  // absent in YAML = unlimited
  std::vector<InterventionSpec> interventions;
};

struct Scenario {
  int schema_version = 1;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  int horizon = 36;
  int replicates = 100;

  std::string source_path;  // the YAML file as given
  std::string source_text;  // its text, verbatim (firm ids are pseudonymised before storing)

  std::string firms_path;      // resolved relative to the YAML's folder; empty = none (then
                               // synthetic.firms > 0: a purely synthetic population)
  std::string relations_path;  // may be empty; empty whenever firms_path is
  SyntheticFirms synthetic = SyntheticFirms::defaults();

  Market market;
  std::vector<CatalogueEntry> catalogue;
  Outputs outputs = Outputs::defaults();
  Uncertainty uncertainty;
  std::vector<Variant> variants;  // in the order written; a scenario without variants has "base"
  std::vector<std::string> warnings;

  // The comparison point: the variant named "baseline" if any, else the first.
  const Variant& baseline() const {
    for (const auto& v : variants)
      if (v.name == "baseline") return v;
    return variants.front();
  }
  const Variant* find_variant(const std::string& name) const {
    for (const auto& v : variants)
      if (v.name == name) return &v;
    return nullptr;
  }
};

// The scalar keys of the sections above, declared once (sim/core/scenario.cpp).
const SectionDeclaration<Facilitators>& facilitators_declaration();
const SectionDeclaration<Outputs>& outputs_declaration();
const SectionDeclaration<SyntheticFirms>& synthetic_declaration();

}  // namespace klynge
