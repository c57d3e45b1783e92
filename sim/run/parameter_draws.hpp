#pragma once
// The parameter sets of a probabilistic run (`uncertainty:`, docs/uncertainty.md): a keyed
// design over the uncertain parameters' distributions, and each draw applied to a variant.
#include "sim/core/results.hpp"
#include "sim/core/scenario.hpp"

namespace klynge {

struct ParameterDraws {
  int count = 1;              // draws (1 when the scenario has no uncertainty section)
  ResultsHeader::Draws info;  // names, distributions, design points and values [draw][parameter]

  // The variant with draw `draw`'s values: model parameters by name, intervention parameters
  // (ID.KEY, ID.budget_dkk) in every intervention of the variant with that id.
  Variant apply(const Variant& variant, int draw) const;
};

// The design is keyed by the scenario's seed alone, so every variant, replicate, rank and thread
// count sees the same draws.
ParameterDraws make_parameter_draws(const Scenario& scenario);

}  // namespace klynge
