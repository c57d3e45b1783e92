#pragma once
// Scenario YAML (product.md, "Scenario YAML"): validated against the key tables, variants
// resolved into complete, immutable descriptions. Errors throw InputError with
// file:line:column, the key path (e.g. interventions[2].every), what was expected, and a
// "did you mean" for unknown keys and intervention types.
#include <functional>
#include <optional>
#include <string>

#include "sim/core/scenario.hpp"

namespace klynge {

// Reads the file; relative paths inside (population, catalogue) resolve against its folder.
Scenario load_scenario(const std::string& path);

// From text; `name` is what messages call the file, `base_dir` resolves relative paths.
Scenario parse_scenario(const std::string& text, const std::string& name,
                        const std::string& base_dir);

// Maps a confidential firm_id to what may be written (its pseudonym).
using FirmIdMapper = std::function<std::string(const std::string&)>;

// YAML text of one variant, fully resolved (every parameter and default), firm ids mapped.
std::string resolved_variant_yaml(const Scenario& scenario, const Variant& variant,
                                  const FirmIdMapper& map_firm_id);
// YAML text of the whole resolved scenario: top-level settings and every variant.
std::string resolved_scenario_yaml(const Scenario& scenario, const FirmIdMapper& map_firm_id);

// A settable parameter (`uncertainty:`, `sweep:`, `--set`): a model parameter by name, or an
// intervention's parameter as ID.KEY (ID.budget_dkk: its envelope), with its valid range.
struct SettableParameter {
  double min = 0, max = 0;
  bool integer = false;
};
// The parameter `key` names in `scenario`; nullopt with `error` set (what is wrong, with a
// did-you-mean) when it names none.
std::optional<SettableParameter> find_settable_parameter(const Scenario& scenario,
                                                         const std::string& key,
                                                         std::string& error);
// Sets `key` (a settable parameter, already validated) to `value` in `variant`: a model
// parameter, or the parameter of every intervention of the variant with that id.
void set_parameter(Variant& variant, const std::string& key, double value);
// `--set KEY=VALUE` (repeatable): validated like YAML (known key, a number in range; exit 2 with
// the argument, the key and the expected form otherwise) and applied to every variant.
void apply_settings(Scenario& scenario, const std::vector<std::string>& settings);

// The scenario key reference (Markdown), generated from the key tables; docs/scenario-keys.md
// holds its output and a test keeps the two equal.
std::string scenario_key_reference_markdown();

}  // namespace klynge
