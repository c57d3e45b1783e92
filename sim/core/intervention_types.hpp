#pragma once
// What an intervention type declares about itself: its name, kind, parameters with defaults,
// units and ranges, help. Each type declares it in its own file in models/interventions/ (with
// its behaviour and its typed parameter struct) and the registry there lists the types once:
// intervention_type_table() and find_intervention_type() are defined by that registry
// (models/interventions/registry.cpp). The scenario loader validates against them and the key
// reference is generated from them.
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

// The registered types' specs, in the key reference's order (models/interventions/registry.cpp).
const std::vector<InterventionTypeSpec>& intervention_type_table();
const InterventionTypeSpec* find_intervention_type(const std::string& type);

inline const char* to_string(InterventionKind kind) {
  switch (kind) {
    case InterventionKind::action:
      return "action";
    case InterventionKind::modifier:
      return "modifier";
    case InterventionKind::action_and_modifier:
      return "action + modifier";
  }
  return "?";
}

}  // namespace klynge
