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

  // The one rule for every text klynge stores or shows (scenario text, name, description,
  // resolved configurations; docs/reliability.md): each interview firm's id (a whole token,
  // compared case-insensitively as the loader compares ids) and name (whole words,
  // case-insensitive) becomes the firm's pseudonym. Byte ranges in `keep` (the plain-number
  // values of a scenario text, numeric_value_ranges) are left as written, so a numeric firm id
  // does not rewrite `horizon: 36`; in free text a number equal to a firm id IS replaced.
  std::string pseudonymise(const std::string& text,
                           const std::vector<std::pair<std::size_t, std::size_t>>& keep = {}) const;
};

Inputs load_inputs(const std::string& scenario_path);
// From a parsed scenario (tests, the built-in demo).
Inputs assemble_inputs(Scenario scenario, Population population);

}  // namespace klynge
