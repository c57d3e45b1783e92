#pragma once
// The joint-development subsidy, committed at award by the consortium mechanism (phase 5).
#include <vector>

#include "sim/core/world.hpp"

namespace klynge {

// Members that are enrolled targets of the joint_development running this step.
int joint_members(const World& world, const std::vector<int>& members);
// True when joint development is on this step and the team has >= 2 members that are its
// enrolled targets: the consortia it acts on (bid threshold, subsidy, development boost).
bool joint_consortium(const World& world, const std::vector<int>& members);

// Commits the subsidy of a project won under joint_development:
// min(subsidy_share x development_cost_share x won_value_mdkk x 1e6, max_subsidy_dkk) DKK from
// the envelope of intervention World::modifiers.joint_development_intervention and the scenario
// budget. Returns true when it was paid (the project is subsidised), false when joint
// development is off this step or the money left cannot pay it (the project is unsubsidised; an
// intervention_skipped event with reason budget records it). A paid subsidy is recorded as an
// intervention_ran event whose value is the DKK committed.
bool commit_joint_subsidy(World& world, double won_value_mdkk);

}  // namespace klynge
