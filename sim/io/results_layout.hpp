#pragma once
// The results file's layout, declared once: every group, dataset and attribute that a klynge
// results file (HDF5) can hold, with its element type, shape in words, unit and meaning.
//
// The writer (results_h5.cpp) and the reader (results_reader.cpp) spell HDF5 names only through
// these entries; a dataset's `units` and `description` attributes are written from `unit` and
// `meaning` here. The Python helper (analysis/python/klynge_results.py, LAYOUT) and the reference
// tables of docs/results-layout.md are checked against this table by
// tests/python/test_results_layout.py, which reads it as JSON from the test-only executable
// tests/tools/results_layout_json.cpp and walks real files written by `klynge run`. So renaming or
// adding anything here fails that test until the helper and the doc say the same; regenerate the
// doc's tables with
//   /usr/bin/python3 scripts/results_layout_doc.py build/tests/klynge_results_layout
//   docs/results-layout.md
// Changing a name, type or shape is an incompatible change: raise kSchemaVersion
// (sim/core/results.hpp).
#include <array>
#include <cstddef>

namespace klynge::layout {

enum class Kind { group, dataset, attribute };

struct Entry {
  Kind kind;
  // Full path. "<variant>" stands for a variant's name; an attribute is "OBJECT@name" ("/@format"
  // is a root attribute); "*@name" is an attribute that every dataset (or the groups noted) has.
  const char* path;
  const char* name;   // the HDF5 name: the last part of path
  const char* type;   // element type: int32, int64, uint8, uint64, float32, float64, string
  const char* shape;  // "scalar", or the axes in words, "replicate x step x metric"
  // The `units` attribute as written ("" where the object has none); "[metric]" or
  // "[firm_variable]": an array of units aligned with that axis.
  const char* unit;
  // Datasets and the groups that have one: the `description` attribute, word for word.
  // Attributes and the variant groups: the meaning for docs/results-layout.md.
  const char* meaning;
  const char* when;  // "" if every file has it; otherwise when it exists
  const char* note;  // docs only: what the description leaves out ("" if nothing)
};

namespace spec {
constexpr const char* leaf(const char* path) {
  const char* name = path;
  for (const char* p = path; *p; ++p)
    if (*p == '/' || *p == '@') name = p + 1;
  return name;
}
constexpr Entry group(const char* path, const char* meaning, const char* when = "") {
  return {Kind::group, path, leaf(path), "", "", "", meaning, when, ""};
}
constexpr Entry dataset(const char* path, const char* type, const char* shape, const char* unit,
                        const char* meaning, const char* when = "", const char* note = "") {
  return {Kind::dataset, path, leaf(path), type, shape, unit, meaning, when, note};
}
constexpr Entry attribute(const char* path, const char* type, const char* shape,
                          const char* meaning, const char* when = "", const char* note = "") {
  return {Kind::attribute, path, leaf(path), type, shape, "", meaning, when, note};
}
}  // namespace spec

// Conditions (Entry::when).
inline constexpr const char* kWhenDetail = "detail_replicates > 0";
inline constexpr const char* kWhenUncertainty = "the scenario has `uncertainty:`";
inline constexpr const char* kWhenDesign = "sampling `morris` or `saltelli`";
inline constexpr const char* kWhenMorris = "sampling `morris`";
inline constexpr const char* kWhenSaltelli = "sampling `saltelli`";
inline constexpr const char* kWhenRevealNames = "the run used `--reveal-names`";

// HDF5's own attribute that keeps the dimension labels (H5DSset_label); not part of the table.
inline constexpr const char* kHdf5DimensionLabels = "DIMENSION_LABELS";

// ---- on every dataset, and on groups ----
namespace common {
using namespace spec;
inline constexpr Entry units = attribute(
    "*@units", "string", "scalar, or [metric] / [firm_variable]",
    "the dataset's unit; an array aligned with the last axis where that axis is `metric` or "
    "`firm_variable`");
inline constexpr Entry description =
    attribute("*@description", "string", "scalar",
              "what the dataset holds, in one line; the groups `population`, `initial_ties`, "
              "`variants`, `detail`, `events`, `ties` and `uncertainty` have one too");
}  // namespace common

// ---- root attributes: provenance ----
namespace root {
using namespace spec;
inline constexpr Entry format = attribute(
    "/@format", "string", "scalar", "always `klynge-results` (how the reader recognises the file)");
inline constexpr Entry tool_version =
    attribute("/@tool_version", "string", "scalar", "klynge version that wrote the file");
inline constexpr Entry schema_version =
    attribute("/@schema_version", "int32", "scalar", "version of this layout (1)");
inline constexpr Entry created =
    attribute("/@created", "string", "scalar",
              "ISO 8601 UTC time the run started, e.g. `2025-03-01T09:30:00Z`");
inline constexpr Entry status =
    attribute("/@status", "string", "scalar",
              "`complete` when every replicate of every variant was written and the run finished; "
              "otherwise `incomplete` (interrupted, failed, or a replicate is missing)");
inline constexpr Entry seed = attribute("/@seed", "uint64", "scalar", "the run's random seed");
inline constexpr Entry replicates =
    attribute("/@replicates", "int32", "scalar", "replicates per variant");
inline constexpr Entry horizon =
    attribute("/@horizon", "int32", "scalar",
              "simulated steps (months); datasets over steps have `horizon + 1` rows");
inline constexpr Entry detail_replicates =
    attribute("/@detail_replicates", "int32", "scalar",
              "detail replicates per variant (0: no `detail` groups)");
inline constexpr Entry scenario_name =
    attribute("/@scenario_name", "string", "scalar", "the scenario's name");
inline constexpr Entry scenario_text =
    attribute("/@scenario_text", "string", "scalar",
              "the scenario YAML as given, firm ids replaced by pseudonyms");
inline constexpr Entry resolved_configuration =
    attribute("/@resolved_configuration", "string", "scalar",
              "YAML of the whole scenario with every default filled in");
inline constexpr Entry command_line =
    attribute("/@command_line", "string", "scalar", "how the run was started");
inline constexpr Entry reveal_names =
    attribute("/@reveal_names", "uint8", "scalar",
              "1 if `--reveal-names` was used (then `/population/name` exists)");
inline constexpr Entry variants =
    attribute("/@variants", "string", "variant",
              "variant names in scenario order (the `/variants` group also iterates in this "
              "order)");
inline constexpr Entry draws = attribute(
    "/@draws", "int32", "scalar", "parameter sets drawn (the `draw` axis)", kWhenUncertainty);
inline constexpr Entry replicates_per_draw =
    attribute("/@replicates_per_draw", "int32", "scalar",
              "replicates run with each draw; `replicates` = `draws` x `replicates_per_draw`",
              kWhenUncertainty);

// ---- the shared axes (dimension scales) at the root ----
inline constexpr Entry replicate = dataset(
    "/replicate", "int32", "replicate", "index",
    "replicate number (0-based); replicates share random numbers across variants (common random "
    "numbers), so equal indices pair up");
inline constexpr Entry step =
    dataset("/step", "int32", "step", "month",
            "simulation step; step 0 is the initial state, step t the state after t months");
inline constexpr Entry metric =
    dataset("/metric", "string", "metric", "[metric]",
            "metric names (the metric axis); units and descriptions[i] belong to metric i", "",
            "Names and order are stable (new metrics are only appended); look metrics up by name.");
inline constexpr Entry metric_descriptions = attribute(
    "/metric@descriptions", "string", "metric", "one line per metric, aligned with `/metric`");
inline constexpr Entry firm_variable =
    dataset("/firm_variable", "string", "firm_variable", "[firm_variable]",
            "per-firm variable names (the firm_variable axis)", "",
            "`revenue_mdkk`, `employees`, `degree`, `cluster`.");
inline constexpr Entry firm_variable_descriptions =
    attribute("/firm_variable@descriptions", "string", "firm_variable",
              "one line per firm variable, aligned with `/firm_variable`");
inline constexpr Entry firm = dataset("/firm", "string", "firm", "pseudonym",
                                      "firm pseudonyms in firm index order (the firm axis)");
inline constexpr Entry capability =
    dataset("/capability", "string", "capability", "name",
            "capability names of the catalogue (the capability axis)");
inline constexpr Entry segment =
    dataset("/segment", "string", "segment", "name", "market segments (the segment axis)", "",
            "`food`, `energy_environment`, `other`, `export`.");
inline constexpr Entry draw =
    dataset("/draw", "int32", "draw", "index",
            "parameter draw (0-based) of a probabilistic run (`uncertainty:`)", kWhenUncertainty);
}  // namespace root

// ---- /uncertainty ----
namespace uncertainty {
using namespace spec;
inline constexpr Entry group = spec::group(
    "/uncertainty",
    "the uncertain parameters, their distributions and the value each draw gave them; replicate "
    "row r belongs to draw r / replicates_per_draw (draw_of_replicate)",
    kWhenUncertainty);
inline constexpr Entry sampling =
    attribute("/uncertainty@sampling", "string", "scalar",
              "the design: `lhs`, `sobol`, `random`, `grid` (a `sweep:`), `morris` or `saltelli` "
              "(docs/sensitivity.md)",
              kWhenUncertainty);
inline constexpr Entry draws =
    attribute("/uncertainty@draws", "int32", "scalar",
              "as the root attribute: parameter sets drawn", kWhenUncertainty);
inline constexpr Entry replicates_per_draw =
    attribute("/uncertainty@replicates_per_draw", "int32", "scalar", "as the root attribute",
              kWhenUncertainty);
inline constexpr Entry dimensions = attribute("/uncertainty@dimensions", "int32", "scalar",
                                              "d, the number of parameters", kWhenDesign);
inline constexpr Entry trajectories =
    attribute("/uncertainty@trajectories", "int32", "scalar",
              "r trajectories of d + 1 consecutive draws each (draws = r (d + 1))", kWhenMorris);
inline constexpr Entry levels =
    attribute("/uncertainty@levels", "int32", "scalar", "levels of the Morris grid", kWhenMorris);
inline constexpr Entry base_points = attribute(
    "/uncertainty@base_points", "int32", "scalar",
    "N base points of d + 2 consecutive draws each, `A, A_B^(1) … A_B^(d), B` (draws = N (d + 2))",
    kWhenSaltelli);
inline constexpr Entry parameter =
    dataset("/uncertainty/parameter", "string", "parameter", "name",
            "uncertain parameters: model parameter names or ID.KEY", kWhenUncertainty,
            "A dimension scale (the `parameter` axis).");
inline constexpr Entry distribution =
    dataset("/uncertainty/distribution", "string", "parameter", "text",
            "each parameter's distribution", kWhenUncertainty, "E.g. `uniform(lo=0.15, hi=0.35)`.");
inline constexpr Entry values =
    dataset("/uncertainty/values", "float64", "draw x parameter", "parameter units",
            "the value of each parameter in each draw", kWhenUncertainty,
            "Integer parameters are rounded.");
inline constexpr Entry design =
    dataset("/uncertainty/design", "float64", "draw x parameter", "1",
            "the design point in (0,1) that the distribution's quantile mapped", kWhenUncertainty,
            "With `morris` the description reads instead: the Morris grid level l / (levels - 1) "
            "in [0,1]; the distribution's quantile was taken at (l + 1/2) / levels.");
// The description of `design` in a `morris` file (Entry::note above says so).
inline constexpr const char* kDesignMorrisMeaning =
    "the Morris grid level l / (levels - 1) in [0,1]; the distribution's quantile was taken at "
    "(l + 1/2) / levels";
inline constexpr Entry draw_of_replicate =
    dataset("/uncertainty/draw_of_replicate", "int32", "replicate", "index",
            "the draw each replicate row belongs to", kWhenUncertainty);
}  // namespace uncertainty

// ---- /population ----
namespace population {
using namespace spec;
inline constexpr Entry group = spec::group(
    "/population",
    "the initial population (step 0), pseudonymised: one 1-D dataset per firm column over the "
    "firm axis");
inline constexpr Entry name = dataset(
    "/population/name", "string", "firm", "name",
    "firm names from the interview data (written because of --reveal-names)", kWhenRevealNames);
inline constexpr Entry municipality =
    dataset("/population/municipality", "string", "firm", "name", "municipality");
inline constexpr Entry lat = dataset("/population/lat", "float64", "firm", "degrees_north",
                                     "latitude (municipality centroid unless given)");
inline constexpr Entry lon = dataset("/population/lon", "float64", "firm", "degrees_east",
                                     "longitude (municipality centroid unless given)");
inline constexpr Entry employees =
    dataset("/population/employees", "float64", "firm", "persons", "employees at step 0");
inline constexpr Entry revenue_mdkk =
    dataset("/population/revenue_mdkk", "float64", "firm", "mDKK/year", "revenue at step 0");
inline constexpr Entry export_share =
    dataset("/population/export_share", "float64", "firm", "1", "share of revenue exported");
// One per domestic segment, in kSegmentNames order (sim/core/population.hpp).
inline constexpr Entry market_food = dataset("/population/market_food", "float64", "firm", "1",
                                             "share of domestic revenue in segment food", "",
                                             "The three `market_*` shares sum to 1.");
inline constexpr Entry market_energy_environment =
    dataset("/population/market_energy_environment", "float64", "firm", "1",
            "share of domestic revenue in segment energy_environment");
inline constexpr Entry market_other = dataset("/population/market_other", "float64", "firm", "1",
                                              "share of domestic revenue in segment other");
inline constexpr std::array<const Entry*, 3> kMarkets = {&market_food, &market_energy_environment,
                                                         &market_other};
inline constexpr Entry participant = dataset("/population/participant", "uint8", "firm", "bool",
                                             "1 if the firm is in the target group");
inline constexpr Entry synthetic = dataset("/population/synthetic", "uint8", "firm", "bool",
                                           "1 if the firm was generated rather than interviewed");
inline constexpr Entry capabilities =
    dataset("/population/capabilities", "float64", "firm x capability", "level",
            "capability level in [0, 1] of each firm at step 0");
inline constexpr Entry catalogue_weights =
    dataset("/population/catalogue_weights", "float64", "capability x segment", "1",
            "weight of each capability in each segment's opportunities");
}  // namespace population

// A tie table's columns: /population/initial_ties and /variants/<variant>/detail/ties.
struct TieColumns {
  const Entry* detail_replicate;  // nullptr in initial_ties
  const Entry* step;              // nullptr in initial_ties
  const Entry* firm_a;
  const Entry* firm_b;
  const Entry* trust;
  const Entry* type;
  const Entry* type_names;
};

namespace initial_ties {
using namespace spec;
inline constexpr Entry group = spec::group(
    "/population/initial_ties", "ties at step 0 (from the interview relations), one row per tie");
inline constexpr Entry firm_a = dataset("/population/initial_ties/firm_a", "int32", "tie", "index",
                                        "first firm (index on the firm axis); firm_a < firm_b");
inline constexpr Entry firm_b = dataset("/population/initial_ties/firm_b", "int32", "tie", "index",
                                        "second firm (index on the firm axis)");
inline constexpr Entry trust = dataset("/population/initial_ties/trust", "float32", "tie", "trust",
                                       "trust of the tie, in [0, 1]");
inline constexpr Entry type = dataset("/population/initial_ties/type", "uint8", "tie", "code",
                                      "tie type; the attribute names[type] is its name");
inline constexpr Entry type_names = attribute("/population/initial_ties/type@names", "string",
                                              "tie type", "`trade`, `partner`, `knowledge`");
inline constexpr TieColumns kColumns = {nullptr, nullptr, &firm_a,    &firm_b,
                                        &trust,  &type,   &type_names};
}  // namespace initial_ties

// ---- /variants ----
namespace variants {
using namespace spec;
inline constexpr Entry group = spec::group(
    "/variants", "one group per variant, in scenario order (see the root attribute variants)");
}  // namespace variants

namespace variant {
using namespace spec;
inline constexpr Entry group = spec::group(
    "/variants/<variant>",
    "one variant: its configuration, and every replicate's metrics and final firm outcomes");
inline constexpr Entry index =
    attribute("/variants/<variant>@index", "int32", "scalar", "position in scenario order");
inline constexpr Entry resolved_configuration = attribute(
    "/variants/<variant>@resolved_configuration", "string", "scalar", "YAML of this variant alone");
inline constexpr Entry intervention_ids = attribute(
    "/variants/<variant>@intervention_ids", "string", "intervention",
    "the variant's interventions; the `intervention` column of the event table indexes them");
inline constexpr Entry intervention_types =
    attribute("/variants/<variant>@intervention_types", "string", "intervention",
              "each intervention's type, aligned with `intervention_ids`");
inline constexpr Entry label = attribute(
    "/variants/<variant>@label", "string", "scalar",
    "the variant's display label from the scenario's `label:` (\"\" when none)", "",
    "Labels pass through the same pseudonymisation as the scenario name. Files written before "
    "labels existed lack `label` and `intervention_labels`; readers then show the code names.");
inline constexpr Entry intervention_labels =
    attribute("/variants/<variant>@intervention_labels", "string", "intervention",
              "each intervention's `label:`, aligned with `intervention_ids` (\"\" where none)");
inline constexpr Entry metrics = dataset(
    "/variants/<variant>/metrics", "float64", "replicate x step x metric", "[metric]",
    "metrics of every replicate at every step (step 0 = initial state); units[i] is the unit of "
    "metric i; NaN where a replicate was not written or a metric not measured",
    "", "E.g. `modularity` is NaN between community detections.");
inline constexpr Entry final_firms = dataset(
    "/variants/<variant>/final_firms", "float64", "replicate x firm x firm_variable",
    "[firm_variable]",
    "every firm's outcome after the last step, for every replicate; units[i] is the unit of firm "
    "variable i");
inline constexpr Entry completed =
    dataset("/variants/<variant>/completed", "uint8", "replicate", "bool",
            "1 once the replicate's rows are written; 0 rows read as NaN");
}  // namespace variant

// ---- /variants/<variant>/detail ----
namespace detail {
using namespace spec;
inline constexpr Entry group = spec::group(
    "/variants/<variant>/detail",
    "detail replicates: per-firm trajectories, events and the tie list at every step", kWhenDetail);
inline constexpr Entry detail_replicate =
    dataset("/variants/<variant>/detail/detail_replicate", "int32", "detail_replicate", "index",
            "the replicate number of each detail replicate (-1: not written)", kWhenDetail,
            "A dimension scale (the `detail_replicate` axis); the first `detail_replicates` "
            "replicates of each variant are detail replicates.");
inline constexpr Entry trajectories = dataset(
    "/variants/<variant>/detail/trajectories", "float32",
    "detail_replicate x step x firm x firm_variable", "[firm_variable]",
    "per-firm variables at every step of the detail replicates; units[i] is the unit of firm "
    "variable i",
    kWhenDetail, "NaN throughout with `outputs: {firm_trajectories: false}`.");
inline constexpr Entry event_offset =
    dataset("/variants/<variant>/detail/event_offset", "int64", "detail_replicate", "rows",
            "first row of the detail replicate in events (-1: none)", kWhenDetail,
            "Rows `event_offset[d] : event_offset[d] + event_count[d]` of `events` belong to "
            "detail replicate d.");
inline constexpr Entry event_count =
    dataset("/variants/<variant>/detail/event_count", "int64", "detail_replicate", "rows",
            "number of rows of the detail replicate in events", kWhenDetail);
inline constexpr Entry tie_offset =
    dataset("/variants/<variant>/detail/tie_offset", "int64", "detail_replicate", "rows",
            "first row of the detail replicate in ties (-1: none)", kWhenDetail);
inline constexpr Entry tie_count =
    dataset("/variants/<variant>/detail/tie_count", "int64", "detail_replicate", "rows",
            "number of rows of the detail replicate in ties", kWhenDetail);
}  // namespace detail

namespace events {
using namespace spec;
inline constexpr Entry group =
    spec::group("/variants/<variant>/detail/events",
                "events of the detail replicates, one row per event, ordered by detail replicate "
                "then as the model emitted them (by step)",
                kWhenDetail);
inline constexpr Entry detail_replicate =
    dataset("/variants/<variant>/detail/events/detail_replicate", "int32", "event", "index",
            "detail replicate (index on the detail_replicate axis)", kWhenDetail);
inline constexpr Entry step = dataset("/variants/<variant>/detail/events/step", "int32", "event",
                                      "month", "step in which the event happened", kWhenDetail);
inline constexpr Entry type =
    dataset("/variants/<variant>/detail/events/type", "uint8", "event", "code",
            "event type; the attribute names[type] is its name", kWhenDetail);
inline constexpr Entry type_names = attribute(
    "/variants/<variant>/detail/events/type@names", "string", "event type",
    "`tie_formed`, `tie_dissolved`, `project_awarded`, `project_succeeded`, `project_failed`, "
    "`intervention_ran`, `intervention_skipped`, `intervention_partial`, `firm_enrolled`, "
    "`firm_unenrolled`, `cluster_organised`, `cluster_funding_ended`, `cluster_dissolved` "
    "(appended in v2.5)",
    kWhenDetail);
inline constexpr Entry firm_a =
    dataset("/variants/<variant>/detail/events/firm_a", "int32", "event", "index",
            "first firm (index on the firm axis); -1 if not applicable", kWhenDetail);
inline constexpr Entry firm_b =
    dataset("/variants/<variant>/detail/events/firm_b", "int32", "event", "index",
            "second firm (index on the firm axis); -1 if not applicable", kWhenDetail);
inline constexpr Entry intervention = dataset(
    "/variants/<variant>/detail/events/intervention", "int32", "event", "index",
    "intervention (index into the variant's intervention_ids); -1 if not applicable", kWhenDetail);
inline constexpr Entry value = dataset(
    "/variants/<variant>/detail/events/value", "float64", "event", "depends on type",
    "the event's number: tie trust (tie events), project value in mDKK (project events), cash "
    "committed in DKK (intervention events), members (cluster_organised), motivation "
    "(firm_enrolled/firm_unenrolled)",
    kWhenDetail, "Also: members (`cluster_dissolved`), months funded (`cluster_funding_ended`).");
inline constexpr Entry units_skipped = dataset(
    "/variants/<variant>/detail/events/units_skipped", "int32", "event", "units",
    "intervention events: units that the budget or staff hours did not pay for", kWhenDetail);
inline constexpr Entry reason =
    dataset("/variants/<variant>/detail/events/reason", "uint8", "event", "code",
            "why units were skipped; the attribute names[reason] is its name", kWhenDetail);
inline constexpr Entry reason_names =
    attribute("/variants/<variant>/detail/events/reason@names", "string", "skip reason",
              "`none`, `budget`, `staff_hours`, `no_eligible_firms`", kWhenDetail);
}  // namespace events

namespace ties {
using namespace spec;
inline constexpr Entry group = spec::group(
    "/variants/<variant>/detail/ties",
    "live ties of the detail replicates at every step, one row per (step, tie)", kWhenDetail);
inline constexpr Entry detail_replicate =
    dataset("/variants/<variant>/detail/ties/detail_replicate", "int32", "tie row", "index",
            "detail replicate (index on the detail_replicate axis)", kWhenDetail);
inline constexpr Entry step =
    dataset("/variants/<variant>/detail/ties/step", "int32", "tie row", "month",
            "step at which the tie is live (after that step's changes)", kWhenDetail);
inline constexpr Entry firm_a =
    dataset("/variants/<variant>/detail/ties/firm_a", "int32", "tie row", "index",
            "first firm (index on the firm axis); firm_a < firm_b", kWhenDetail);
inline constexpr Entry firm_b =
    dataset("/variants/<variant>/detail/ties/firm_b", "int32", "tie row", "index",
            "second firm (index on the firm axis)", kWhenDetail);
inline constexpr Entry trust =
    dataset("/variants/<variant>/detail/ties/trust", "float32", "tie row", "trust",
            "trust of the tie, in [0, 1]", kWhenDetail);
inline constexpr Entry type =
    dataset("/variants/<variant>/detail/ties/type", "uint8", "tie row", "code",
            "tie type; the attribute names[type] is its name", kWhenDetail);
inline constexpr Entry type_names =
    attribute("/variants/<variant>/detail/ties/type@names", "string", "tie type",
              "`trade`, `partner`, `knowledge`", kWhenDetail);
inline constexpr TieColumns kColumns = {&detail_replicate, &step, &firm_a, &firm_b, &trust, &type,
                                        &type_names};
}  // namespace ties

// Every entry, in the order of docs/results-layout.md.
inline constexpr std::array kAll = {
    &common::units,
    &common::description,
    &root::format,
    &root::schema_version,
    &root::tool_version,
    &root::created,
    &root::status,
    &root::seed,
    &root::replicates,
    &root::horizon,
    &root::detail_replicates,
    &root::scenario_name,
    &root::scenario_text,
    &root::resolved_configuration,
    &root::command_line,
    &root::reveal_names,
    &root::variants,
    &root::draws,
    &root::replicates_per_draw,
    &root::replicate,
    &root::step,
    &root::metric,
    &root::metric_descriptions,
    &root::firm,
    &root::firm_variable,
    &root::firm_variable_descriptions,
    &root::capability,
    &root::segment,
    &root::draw,
    &population::group,
    &population::municipality,
    &population::lat,
    &population::lon,
    &population::employees,
    &population::revenue_mdkk,
    &population::export_share,
    &population::market_food,
    &population::market_energy_environment,
    &population::market_other,
    &population::participant,
    &population::synthetic,
    &population::name,
    &population::capabilities,
    &population::catalogue_weights,
    &initial_ties::group,
    &initial_ties::firm_a,
    &initial_ties::firm_b,
    &initial_ties::trust,
    &initial_ties::type,
    &initial_ties::type_names,
    &variants::group,
    &variant::group,
    &variant::index,
    &variant::resolved_configuration,
    &variant::intervention_ids,
    &variant::intervention_types,
    &variant::label,
    &variant::intervention_labels,
    &variant::metrics,
    &variant::completed,
    &variant::final_firms,
    &detail::group,
    &detail::detail_replicate,
    &detail::trajectories,
    &detail::event_offset,
    &detail::event_count,
    &detail::tie_offset,
    &detail::tie_count,
    &events::group,
    &events::detail_replicate,
    &events::step,
    &events::type,
    &events::type_names,
    &events::firm_a,
    &events::firm_b,
    &events::intervention,
    &events::value,
    &events::units_skipped,
    &events::reason,
    &events::reason_names,
    &ties::group,
    &ties::detail_replicate,
    &ties::step,
    &ties::firm_a,
    &ties::firm_b,
    &ties::trust,
    &ties::type,
    &ties::type_names,
    &uncertainty::group,
    &uncertainty::sampling,
    &uncertainty::draws,
    &uncertainty::replicates_per_draw,
    &uncertainty::dimensions,
    &uncertainty::trajectories,
    &uncertainty::levels,
    &uncertainty::base_points,
    &uncertainty::parameter,
    &uncertainty::distribution,
    &uncertainty::values,
    &uncertainty::design,
    &uncertainty::draw_of_replicate,
};

namespace spec {
constexpr bool same(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}
constexpr bool paths_unique() {
  for (std::size_t i = 0; i < kAll.size(); ++i)
    for (std::size_t j = i + 1; j < kAll.size(); ++j)
      if (same(kAll[i]->path, kAll[j]->path)) return false;
  return true;
}
}  // namespace spec
static_assert(spec::paths_unique(), "every entry of the results layout has its own path");

}  // namespace klynge::layout
