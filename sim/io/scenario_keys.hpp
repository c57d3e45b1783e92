#pragma once
// The declarative table of scenario keys (product.md, "Scenario YAML"): every key the loader
// accepts outside `parameters:` and an intervention's own parameters, with its type, default,
// unit, range and help. The scalar keys of sections with a struct of their own (facilitators,
// outputs, population.synthetic) are declared with the struct (sim/core/scenario.cpp,
// SectionDeclaration) and appear here as rows generated from that declaration. The loader takes its
// key sets, defaults and ranges from here and the key reference (docs/scenario-keys.md) is
// generated from it, together with model_parameter_table() and intervention_type_table(), so the
// documentation cannot drift from the validation.
#include <string>
#include <vector>

namespace klynge {

enum class KeyType {
  integer,
  number,
  boolean,
  text,
  identifier,  // letters, digits, '_', '-', '.'
  path,        // relative to the scenario file's folder
  step,        // 0 … horizon-1
  steps,       // list of steps
  budget,      // DKK >= 0, or `unlimited`
  choice,      // one of the values named in the help
  mapping,
  list,
  target,     // `enrolled` or a mapping (see interventions[].target)
  catalogue,  // a mapping, or a path to a YAML file holding it
};

struct ScenarioKeySpec {
  const char* section;  // "" for the top level, else e.g. "population", "interventions[]"
  const char* key;
  KeyType type;
  bool required;
  double default_value;      // numeric and boolean keys (true = 1)
  std::string default_text;  // as documented
  const char* unit;
  double min;  // numeric keys
  double max;
  const char* help;
};

struct ScenarioSectionSpec {
  const char* section;  // as in ScenarioKeySpec::section
  const char* title;    // how the reference and messages name it
  const char* help;
};

// Sections in documentation order; every ScenarioKeySpec::section is one of these.
const std::vector<ScenarioSectionSpec>& scenario_section_table();
// Every key, grouped by section, in documentation order.
const std::vector<ScenarioKeySpec>& scenario_key_table();
// The keys of one section, in table order.
std::vector<std::string> scenario_section_keys(const std::string& section);
// One key's spec; throws std::logic_error when the table lacks it (a programming error).
const ScenarioKeySpec& scenario_key(const std::string& section, const std::string& key);
// How the reference writes a key's type and range, e.g. "integer", "1 … 1200".
std::string key_type_text(const ScenarioKeySpec& spec);
std::string key_range_text(const ScenarioKeySpec& spec);

// Segments a market multiplier may name (kSegmentNames plus `all`), domestic segments a target
// may name, and the firm attributes `top` targets rank by.
const std::vector<std::string>& multiplier_segment_names();
const std::vector<std::string>& target_segment_names();
const std::vector<std::string>& target_rank_attributes();

}  // namespace klynge
