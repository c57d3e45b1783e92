#pragma once
// The declarative table of intervention types: their names, kind, parameters with defaults,
// units and ranges. The scenario loader validates against it and the key reference is generated
// from it; the behaviour lives in models/interventions/ (one file per type, one registry), and a
// test checks that both list the same types.
#include <string>
#include <vector>

namespace klynge {

enum class InterventionKind { action, modifier, action_and_modifier };

struct InterventionParamSpec {
  const char* key;
  double default_value;
  const char* unit;
  double min;
  double max;
  bool integer;
  const char* help;
};

struct InterventionTypeSpec {
  const char* type;
  InterventionKind kind;
  const char* programme_phase;  // the seed programme's phase it belongs to
  const char* help;
  std::vector<InterventionParamSpec> params;  // includes the cost keys with their defaults
  // With one of this type in a variant, the target firms start un-enrolled: it enrols them
  // (recruitment).
  bool enrols_targets = false;
};

const std::vector<InterventionTypeSpec>& intervention_type_table();
const InterventionTypeSpec* find_intervention_type(const std::string& type);
const char* to_string(InterventionKind kind);

}  // namespace klynge
