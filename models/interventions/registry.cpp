// The one registration table of interventions: adding a type = one file in this folder (its
// behaviour, its typed parameters and its type spec, ending in `const InterventionType&
// TYPE_type()`) + one line in KLYNGE_INTERVENTION_TYPES below (docs/architecture.md, worked
// example). The scenario loader, the key reference and the step loop all read this table.
#include <algorithm>
#include <stdexcept>

#include "models/interventions/intervention.hpp"

// In the order of the key reference (docs/scenario-keys.md).
#define KLYNGE_INTERVENTION_TYPES(X) \
  X(recruitment)                     \
  X(interviews)                      \
  X(opportunity_scan)                \
  X(matchmaking)                     \
  X(network_meeting)                 \
  X(joint_development)               \
  X(study_trip)                      \
  X(staff_training)                  \
  X(value_chain_linkage)             \
  X(cluster_strategy)

namespace klynge {

#define KLYNGE_DECLARE_TYPE(name) const InterventionType& name##_type();
KLYNGE_INTERVENTION_TYPES(KLYNGE_DECLARE_TYPE)
#undef KLYNGE_DECLARE_TYPE

namespace {
struct Registry {
  std::vector<const InterventionType*> types;
  std::vector<InterventionTypeSpec> specs;  // the same, as intervention_type_table()
  void refresh_specs() {
    specs.clear();
    for (const InterventionType* type : types) specs.push_back(type->spec);
  }
};

Registry& registry() {
  static Registry r = [] {
    Registry built;
#define KLYNGE_LIST_TYPE(name) built.types.push_back(&name##_type());
    KLYNGE_INTERVENTION_TYPES(KLYNGE_LIST_TYPE)
#undef KLYNGE_LIST_TYPE
    built.refresh_specs();
    return built;
  }();
  return r;
}
}  // namespace

const std::vector<const InterventionType*>& intervention_registry() {
  return registry().types;
}

const std::vector<InterventionTypeSpec>& intervention_type_table() {
  return registry().specs;
}

const InterventionTypeSpec* find_intervention_type(const std::string& type) {
  for (const auto& spec : registry().specs)
    if (type == spec.type) return &spec;
  return nullptr;
}

std::unique_ptr<Intervention> make_intervention(const InterventionSpec& spec) {
  std::string valid;
  for (const InterventionType* type : registry().types) {
    if (spec.type == type->spec.type) return type->make(spec);
    valid += (valid.empty() ? "" : ", ") + std::string(type->spec.type);
  }
  throw std::invalid_argument("unknown intervention type '" + spec.type +
                              "'; valid types: " + valid);
}

ScopedInterventionType::ScopedInterventionType(const InterventionType& type) : type_(&type) {
  if (find_intervention_type(type.spec.type))
    throw std::invalid_argument("intervention type '" + std::string(type.spec.type) +
                                "' is registered already");
  registry().types.push_back(type_);
  registry().refresh_specs();
}

ScopedInterventionType::~ScopedInterventionType() {
  auto& types = registry().types;
  types.erase(std::remove(types.begin(), types.end(), type_), types.end());
  registry().refresh_specs();
}

}  // namespace klynge
