#include "sim/io/scenario_keys.hpp"

#include <limits>
#include <stdexcept>

#include "sim/core/population.hpp"
#include "sim/core/scenario.hpp"
#include "sim/io/yaml_reader.hpp"

namespace klynge {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxSeed = 18446744073709551615.0;  // 2^64 - 1
constexpr double kNone = 0;                          // default_value of non-numeric keys

// A section's declared scalar keys as rows of the key table.
template <class S>
void append_declared(std::vector<ScenarioKeySpec>& table, const SectionDeclaration<S>& declared) {
  for (const SectionKeySpec& row : declared.rows()) {
    const bool boolean = row.type == SectionValueType::boolean;
    const KeyType type = boolean                                 ? KeyType::boolean
                         : row.type == SectionValueType::integer ? KeyType::integer
                                                                 : KeyType::number;
    const std::string text = boolean ? (row.default_value != 0 ? "true" : "false")
                                     : yaml::format_number(row.default_value);
    table.push_back({declared.section(), row.key, type, false, row.default_value, text, row.unit,
                     row.min, row.max, row.help});
  }
}
}  // namespace

const std::vector<ScenarioSectionSpec>& scenario_section_table() {
  // clang-format off
  static const std::vector<ScenarioSectionSpec> table = {
    {"", "top level", "The keys of a scenario file."},
    {"population", "population",
     "The firms: interview data (`firms`, with optional `relations`), synthetic firms (`synthetic`), "
     "or both. A purely synthetic scenario leaves out `firms` and `relations` and gives "
     "`synthetic: {firms: N}` with N > 0."},
    {"population.synthetic", "population.synthetic",
     "Synthetic firms (rules in sim/io/synthetic.hpp). Each resamples a random interviewed firm with "
     "jitter; without `firms` (a purely synthetic population) it resamples one of three built-in "
     "archetypes of medium-sized metal firms (main segment food, energy/environment or other) over the "
     "13 capabilities of the sample catalogue, scenarios/data/midtjylland_catalogue.yaml, which such a "
     "scenario should name as its `catalogue`. No file is read for them. They are placed across Region "
     "Midtjylland with a few initial relations to firms of their municipality, and named S000001, "
     "S000002, … (their `firm_id` and pseudonym, usable in `target: {firms: [...]}`). They are outside "
     "the programme's target group unless counted in `participants`. With no participant at all (none "
     "interviewed either), only interventions with explicit `firms` targets reach anyone, and only firms "
     "a `recruitment` enrols; `validate` warns."},
    {"market", "market", "Changes in demand over time, e.g. a downturn: the market process runs unchanged otherwise."},
    {"market.multiplier", "market.multiplier",
     "Multipliers of the opportunity arrival rate per segment, 1 outside the windows given. Each key "
     "holds a list of windows; the windows of `all` apply to every segment, and overlapping windows "
     "multiply."},
    {"market.multiplier.<segment>[]", "a market multiplier window", "One window: `{from: 12, to: 23, factor: 0.8}`."},
    {"facilitators", "facilitators", "The business-service staff who run the programme."},
    {"catalogue.<capability>", "a catalogue entry",
     "The capability catalogue maps each capability (the `cap_<capability>` columns of the firms file) "
     "to its segment weights and dev-opportunity tags. `catalogue:` holds the mapping inline, or is a "
     "path to a YAML file holding it (relative to the scenario's folder). Capabilities in the data but "
     "not in the catalogue get uniform weights and a warning."},
    {"catalogue.<capability>.weights", "catalogue weights",
     "How often the capability is required by opportunities of each segment (relative weights)."},
    {"interventions[]", "an intervention",
     "One development activity. Besides these keys an entry takes its type's own parameters (see "
     "\"Intervention types\"). The schedule is either `at` or `start` (with optional `end` and `every`); "
     "the two forms exclude each other and one of them is required. Steps count from 0 and must lie "
     "within the horizon."},
    {"interventions[].target", "an intervention target",
     "Whom an intervention reaches: `enrolled` (the default: the enrolled target group), or a mapping "
     "with exactly one of `segment`, `firms`, `top` (with `by`)."},
    {"variants.<name>", "a variant",
     "A variant is a mapping of operations that say how it differs from the base (the top-level "
     "settings); `{}` (or nothing) runs the base as written. The operations apply in a fixed order, "
     "whatever the order written. Every variant is resolved into a complete configuration that is "
     "stored with its results. Variant names are made of letters, digits, `_`, `-` and `.`; variants run in the order written. "
     "A variant whose measurement parameters (marked in the parameter table) differ from the baseline "
     "variant's gets a warning, since its graph metrics are then not comparable."},
    {"outputs", "outputs", "What the results file stores besides the metrics of every replicate."},
    {"uncertainty", "uncertainty",
     "Probabilistic sensitivity analysis: uncertain parameters get distributions, and the run is "
     "repeated for `draws` parameter sets (a design over their joint distribution, keyed by the "
     "seed: the same draws for every variant and thread count). Every variant runs `replicates` "
     "replicates at every draw; within a draw the variants share their random numbers (and so do "
     "the draws: replicate r of every draw uses the same random streams). See "
     "docs/uncertainty.md."},
    {"uncertainty.parameters", "uncertainty.parameters",
     "One entry per uncertain parameter: a model parameter by name (`project_share`) or an "
     "intervention's parameter as `ID.KEY` (`matchmaking.introductions_per_month`, "
     "`joint_development.budget_dkk`), applied in every variant that has that intervention. Each "
     "value names one distribution: `{uniform: [min, max]}`, `{triangular: [min, mode, max]}`, "
     "`{normal: {mean: M, sd: S, min: A, max: B}}` (truncated to [A, B]), "
     "`{lognormal: {mu: M, sigma: S}}` (log X ~ Normal(M, S^2)), "
     "`{beta: {a: A, b: B, min: L, max: H}}` or `{values: [v1, v2, ...]}` (equally likely). "
     "Every value the distribution can give must lie in the parameter's valid range; integer "
     "parameters take the nearest integer of the draw."},
  };
  // clang-format on
  return table;
}

const std::vector<ScenarioKeySpec>& scenario_key_table() {
  using T = KeyType;
  // clang-format off
  // The scalar keys of facilitators, outputs and population.synthetic are declared with their
  // structs (sim/core/scenario.cpp) and spliced in here, in documentation order.
  static const std::vector<ScenarioKeySpec> table = [] {
    std::vector<ScenarioKeySpec> t = {
    // section, key, type, required, default value, default text, unit, min, max, help
    {"", "schema_version", T::integer, false, 1, "1", "", 1, 1, "version of this file format; this klynge reads version 1"},
    {"", "name", T::text, true, kNone, "", "", 0, 0, "name of the scenario, shown in results and reports"},
    {"", "description", T::text, false, kNone, "\"\"", "", 0, 0, "free text shown in results and reports"},
    {"", "seed", T::integer, false, 1, "1", "", 0, kMaxSeed, "seed of every random draw: the same seed gives the same results"},
    {"", "horizon", T::integer, false, 36, "36", "steps (months)", 1, 1200, "number of steps simulated"},
    {"", "replicates", T::integer, false, 100, "100", "", 1, 1e6, "replicates per variant (`klynge run --replicates` overrides)"},
    {"", "population", T::mapping, true, kNone, "", "", 0, 0, "interview data files and synthetic firms (see `population`)"},
    {"", "market", T::mapping, false, kNone, "no multipliers", "", 0, 0, "market multipliers over time (see `market`)"},
    {"", "facilitators", T::mapping, false, kNone, "see `facilitators`", "", 0, 0, "the business-service staff (see `facilitators`)"},
    {"", "parameters", T::mapping, false, kNone, "{}", "", 0, 0, "overrides of model parameters (see \"Model parameters\")"},
    {"", "budget_dkk", T::budget, false, kInf, "unlimited", "DKK", 0, kInf, "cash the programme may spend over the horizon; `unlimited` (or leaving it out) sets no limit"},
    {"", "catalogue", T::catalogue, false, kNone, "none (uniform weights)", "", 0, 0, "the capability catalogue, inline or a path to a YAML file (see `catalogue.<capability>`)"},
    {"", "interventions", T::list, false, kNone, "[]", "", 0, 0, "the base programme: a list of interventions (see `interventions[]`)"},
    {"", "variants", T::mapping, false, kNone, "one variant `base`", "", 0, 0, "named variants of the base, in the order written (see `variants.<name>`)"},
    {"", "outputs", T::mapping, false, kNone, "see `outputs`", "", 0, 0, "what the results file stores (see `outputs`)"},
    {"", "uncertainty", T::mapping, false, kNone, "none", "", 0, 0, "distributions of uncertain parameters, for a probabilistic run (see `uncertainty`)"},
    {"", "sweep", T::mapping, false, kNone, "none", "", 0, 0, "a full-factorial grid: `PARAM: [v1, v2, ...]` per parameter (model parameters by name, intervention parameters as `ID.KEY`, envelopes as `ID.budget_dkk`); every grid point runs every variant `replicates` times, and `compare` shows each variant against its own baseline at every point (docs/uncertainty.md). Excludes `uncertainty`"},

    {"population", "firms", T::path, false, kNone, "required unless `synthetic.firms` > 0", "", 0, 0, "the interview firms CSV"},
    {"population", "relations", T::path, false, kNone, "none", "", 0, 0, "the interview relations CSV (needs `firms`: relations name interview firm_ids)"},
    {"population", "synthetic", T::mapping, false, kNone, "{firms: 0}", "", 0, 0, "synthetic firms (see `population.synthetic`)"},
    };
    append_declared(t, synthetic_declaration());
    t.insert(t.end(), {
    {"market", "multiplier", T::mapping, false, kNone, "{}", "", 0, 0, "per segment (`food`, `energy_environment`, `other`, `export`) or `all`: a list of windows"},
    {"market.multiplier", "food", T::list, false, kNone, "[]", "", 0, 0, "windows for the food segment"},
    {"market.multiplier", "energy_environment", T::list, false, kNone, "[]", "", 0, 0, "windows for the energy/environment segment"},
    {"market.multiplier", "other", T::list, false, kNone, "[]", "", 0, 0, "windows for the other domestic segment"},
    {"market.multiplier", "export", T::list, false, kNone, "[]", "", 0, 0, "windows for the export segment"},
    {"market.multiplier", "all", T::list, false, kNone, "[]", "", 0, 0, "windows for every segment"},
    {"market.multiplier.<segment>[]", "from", T::step, true, kNone, "", "step", 0, 0, "first step of the window"},
    {"market.multiplier.<segment>[]", "to", T::step, true, kNone, "", "step", 0, 0, "last step of the window (inclusive, >= `from`)"},
    {"market.multiplier.<segment>[]", "factor", T::number, true, kNone, "", "1", 0, 1000, "multiplier of the arrival rate in the window"},
    });
    append_declared(t, facilitators_declaration());
    t.insert(t.end(), {

    {"catalogue.<capability>", "weights", T::mapping, false, kNone, "all 1", "", 0, 0, "segment weights (see `catalogue.<capability>.weights`)"},
    {"catalogue.<capability>", "dev_tags", T::list, false, kNone, "[]", "", 0, 0, "dev-opportunity tags (from the interviews' `dev_opportunities`) that upgrade this capability"},
    {"catalogue.<capability>.weights", "food", T::number, false, 1, "1", "1", 0, 1e6, "weight in food opportunities"},
    {"catalogue.<capability>.weights", "energy_environment", T::number, false, 1, "1", "1", 0, 1e6, "weight in energy/environment opportunities"},
    {"catalogue.<capability>.weights", "other", T::number, false, 1, "1", "1", 0, 1e6, "weight in other domestic opportunities"},
    {"catalogue.<capability>.weights", "export", T::number, false, 1, "1", "1", 0, 1e6, "weight in export opportunities"},

    {"interventions[]", "type", T::choice, true, kNone, "", "", 0, 0, "the intervention type (see \"Intervention types\")"},
    {"interventions[]", "id", T::identifier, false, kNone, "the type", "", 0, 0, "stable name, unique within the scenario: variants refer to it and its random draws are keyed by it. Two entries of one type need an `id` each"},
    {"interventions[]", "label", T::text, false, kNone, "the id", "", 0, 0, "display name in reports and `compare` tables, e.g. `\"Network meetings\"`: 1 to 60 characters of printable text (the id stays the name in files and CSV/JSON)"},
    {"interventions[]", "at", T::steps, false, kNone, "", "steps", 0, 0, "the steps at which it acts, e.g. `[3, 6, 9]` (excludes `start`/`end`/`every`)"},
    {"interventions[]", "start", T::step, false, kNone, "", "step", 0, 0, "first step of the window"},
    {"interventions[]", "end", T::step, false, kNone, "horizon−1", "step", 0, 0, "last step of the window (inclusive, >= `start`)"},
    {"interventions[]", "every", T::integer, false, 1, "1", "steps", 1, 1200, "act every k steps from `start`"},
    {"interventions[]", "target", T::target, false, kNone, "enrolled", "", 0, 0, "whom it reaches (see `interventions[].target`)"},
    {"interventions[]", "budget_dkk", T::budget, false, kInf, "unlimited", "DKK", 0, kInf, "cash envelope ring-fenced for it inside the scenario budget; `unlimited` = no envelope"},

    {"interventions[].target", "segment", T::choice, false, kNone, "", "", 0, 0, "firms whose main segment is `food`, `energy_environment` or `other`"},
    {"interventions[].target", "firms", T::list, false, kNone, "", "", 0, 0, "explicit `firm_id`s: interview firms' (stored pseudonymised) or synthetic firms' (`S000001`, …)"},
    {"interventions[].target", "top", T::integer, false, kNone, "", "firms", 1, 1e6, "the k firms ranking highest `by` an attribute"},
    {"interventions[].target", "by", T::choice, false, kNone, "", "", 0, 0, "with `top`: `employees`, `revenue_mdkk`, `export_share`, `willingness`, `ambition` or `absorptive`"},

    {"variants.<name>", "label", T::text, false, kNone, "the name", "", 0, 0, "display name in reports and `compare` tables, e.g. `\"Full programme\"`: 1 to 60 characters of printable text (the name stays the key in files and CSV/JSON)"},
    {"variants.<name>", "interventions", T::list, false, kNone, "", "", 0, 0, "replaces the whole intervention list (`[]`: no programme)"},
    {"variants.<name>", "keep_interventions", T::list, false, kNone, "", "", 0, 0, "ids to keep; all others are dropped"},
    {"variants.<name>", "remove_interventions", T::list, false, kNone, "", "", 0, 0, "ids to drop"},
    {"variants.<name>", "override_interventions", T::mapping, false, kNone, "", "", 0, 0, "id -> keys to change, merged key by key into that intervention. The schedule forms never mix: `at` drops the base's `start`/`end`/`every`, any of those drops its `at` (window keys not given keep the base's values); a `target` replaces the base's whole; `type` and `id` cannot change"},
    {"variants.<name>", "add_interventions", T::list, false, kNone, "", "", 0, 0, "interventions appended to the list (ids must stay unique)"},
    {"variants.<name>", "parameters", T::mapping, false, kNone, "", "", 0, 0, "model parameters, merged key by key over the base's"},
    {"variants.<name>", "budget_dkk", T::budget, false, kInf, "", "DKK", 0, kInf, "replaces the base's budget"},
    {"variants.<name>", "facilitators", T::mapping, false, kNone, "", "", 0, 0, "facilitator keys, merged key by key over the base's"},
    });
    append_declared(t, outputs_declaration());
    t.insert(t.end(), {

    {"uncertainty", "enabled", T::boolean, false, 1, "true", "", 0, 0, "`false` keeps the block (still checked) without running it: the run uses the parameters as written, one set; set `true` (or remove the key) for the probabilistic run"},
    {"uncertainty", "replicates", T::integer, false, kNone, "the scenario's `replicates`", "replicates", 1, 1e6, "replicates per parameter set when the block runs (it replaces the top-level `replicates`, which then stays the count of a run without the block)"},
    {"uncertainty", "draws", T::integer, false, 100, "100", "parameter sets", 1, 1e6, "how many parameter sets are drawn; draws x replicates x variants simulations run. With `sampling: morris` the number of trajectories r (r (d + 1) parameter sets for d parameters), with `sampling: saltelli` the number of base points N (N (d + 2) parameter sets; a power of two); at most 1,000,000 parameter sets"},
    {"uncertainty", "sampling", T::choice, false, kNone, "lhs", "", 0, 0, "the design: `lhs` (Latin hypercube), `sobol` (scrambled Sobol sequence) or `random` for a probabilistic run (`klynge compare`); `morris` (Morris elementary-effects trajectories) or `saltelli` (Saltelli's design on a scrambled Sobol base, for Sobol indices) for global sensitivity (`klynge sensitivity`); see docs/sensitivity.md"},
    {"uncertainty", "levels", T::integer, false, 4, "4", "grid levels", 2, 100, "`sampling: morris` only: the number p of levels of the Morris grid, even; each step moves one parameter by p / (2(p - 1)) of its range in probability"},
    {"uncertainty", "parameters", T::mapping, true, kNone, "", "", 0, 0, "the uncertain parameters and their distributions (see `uncertainty.parameters`)"},
    });
    return t;
  }();
  // clang-format on
  return table;
}

std::vector<std::string> scenario_section_keys(const std::string& section) {
  std::vector<std::string> keys;
  for (const auto& spec : scenario_key_table())
    if (section == spec.section) keys.emplace_back(spec.key);
  return keys;
}

const ScenarioKeySpec& scenario_key(const std::string& section, const std::string& key) {
  for (const auto& spec : scenario_key_table())
    if (section == spec.section && key == spec.key) return spec;
  throw std::logic_error("scenario key table lacks " + section + "." + key);
}

std::string key_type_text(const ScenarioKeySpec& spec) {
  switch (spec.type) {
    case KeyType::integer:
      return "integer";
    case KeyType::number:
      return "number";
    case KeyType::boolean:
      return "true/false";
    case KeyType::text:
      return "text";
    case KeyType::identifier:
      return "name";
    case KeyType::path:
      return "path";
    case KeyType::step:
      return "step";
    case KeyType::steps:
      return "list of steps";
    case KeyType::budget:
      return "DKK or `unlimited`";
    case KeyType::choice:
      return "name";
    case KeyType::mapping:
      return "mapping";
    case KeyType::list:
      return "list";
    case KeyType::target:
      return "`enrolled` or mapping";
    case KeyType::catalogue:
      return "mapping or path";
  }
  return "?";
}

std::string key_range_text(const ScenarioKeySpec& spec) {
  switch (spec.type) {
    case KeyType::integer:
    case KeyType::number:
      if (spec.key == std::string("seed")) return "0 … 2^64−1";
      if (spec.min == spec.max) return yaml::format_number(spec.min);
      if (spec.max >= 1e12) return ">= " + yaml::format_number(spec.min);
      return yaml::format_number(spec.min) + " … " + yaml::format_number(spec.max);
    case KeyType::step:
    case KeyType::steps:
      return "0 … horizon−1";
    case KeyType::budget:
      return ">= 0";
    default:
      return "";
  }
}

const std::vector<std::string>& multiplier_segment_names() {
  static const std::vector<std::string> names = {kSegmentNames[0], kSegmentNames[1],
                                                 kSegmentNames[2], kSegmentNames[3], "all"};
  return names;
}

const std::vector<std::string>& target_segment_names() {
  static const std::vector<std::string> names = {kSegmentNames[0], kSegmentNames[1],
                                                 kSegmentNames[2]};
  return names;
}

const std::vector<std::string>& target_rank_attributes() {
  static const std::vector<std::string> names = {"employees",   "revenue_mdkk", "export_share",
                                                 "willingness", "ambition",     "absorptive"};
  return names;
}

}  // namespace klynge
