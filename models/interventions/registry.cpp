// The one registration table of interventions: adding a type = one file in this folder + one
// line here (and its row in sim/core/intervention_types.cpp; a test checks both list the same).
#include <stdexcept>

#include "models/interventions/intervention.hpp"

namespace klynge {

std::unique_ptr<Intervention> make_recruitment(const InterventionSpec&);
std::unique_ptr<Intervention> make_interviews(const InterventionSpec&);
std::unique_ptr<Intervention> make_opportunity_scan(const InterventionSpec&);
std::unique_ptr<Intervention> make_matchmaking(const InterventionSpec&);
std::unique_ptr<Intervention> make_network_meeting(const InterventionSpec&);
std::unique_ptr<Intervention> make_joint_development(const InterventionSpec&);
std::unique_ptr<Intervention> make_study_trip(const InterventionSpec&);
std::unique_ptr<Intervention> make_staff_training(const InterventionSpec&);
std::unique_ptr<Intervention> make_value_chain_linkage(const InterventionSpec&);
std::unique_ptr<Intervention> make_cluster_strategy(const InterventionSpec&);

const std::vector<InterventionRegistration>& intervention_registry() {
  static const std::vector<InterventionRegistration> registry = {
      {"recruitment", make_recruitment},
      {"interviews", make_interviews},
      {"opportunity_scan", make_opportunity_scan},
      {"matchmaking", make_matchmaking},
      {"network_meeting", make_network_meeting},
      {"joint_development", make_joint_development},
      {"study_trip", make_study_trip},
      {"staff_training", make_staff_training},
      {"value_chain_linkage", make_value_chain_linkage},
      {"cluster_strategy", make_cluster_strategy},
  };
  return registry;
}

std::unique_ptr<Intervention> make_intervention(const InterventionSpec& spec) {
  std::string valid;
  for (const auto& entry : intervention_registry()) {
    if (spec.type == entry.type) return entry.make(spec);
    valid += (valid.empty() ? "" : ", ") + std::string(entry.type);
  }
  throw std::invalid_argument("unknown intervention type '" + spec.type +
                              "'; valid types: " + valid);
}

}  // namespace klynge
