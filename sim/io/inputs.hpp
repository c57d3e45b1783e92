#pragma once
// A scenario together with its interview data: what `validate` checks and `run` simulates.
// Loads both, aligns the capability catalogue with the data's cap_* columns (uniform weights and
// a warning for capabilities the catalogue lacks), maps development-opportunity tags to
// capabilities and resolves explicit intervention targets to firm indices.
#include <string>
#include <vector>

#include "sim/core/population.hpp"
#include "sim/core/scenario.hpp"

namespace klynge {

struct Inputs {
  Scenario scenario;
  Population population;
  // Per capability of population.capability_names: segment weights from the catalogue.
  std::vector<std::array<double, kSegmentCount>> catalogue_weights;
  // Per firm: the capabilities its development opportunities upgrade.
  std::vector<std::vector<int>> dev_capabilities;
  // [variant][intervention]: firm indices of explicit targets (empty unless target: {firms: ..}).
  std::vector<std::vector<std::vector<int>>> explicit_targets;
  std::vector<std::string> warnings;

  // The firm's pseudonym for a confidential firm_id (the id itself when unknown).
  std::string pseudonym_of(const std::string& firm_id) const;
};

Inputs load_inputs(const std::string& scenario_path);
// From a parsed scenario (tests, the built-in demo).
Inputs assemble_inputs(Scenario scenario, Population population);

}  // namespace klynge
