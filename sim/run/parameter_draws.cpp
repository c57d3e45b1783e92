#include "sim/run/parameter_draws.hpp"

#include <cmath>
#include <stdexcept>

#include "sim/core/parameters.hpp"
#include "sim/core/sampling.hpp"

namespace klynge {

ParameterDraws make_parameter_draws(const Scenario& scenario) {
  ParameterDraws draws;
  const Uncertainty& u = scenario.uncertainty;
  if (!u.active()) return draws;
  draws.count = u.draws;
  auto& info = draws.info;
  info.draws = u.draws;
  info.sampling = u.method == sampling::Method::sobol    ? "sobol"
                  : u.method == sampling::Method::random ? "random"
                                                         : "lhs";
  const std::size_t d = u.parameters.size();
  for (const auto& p : u.parameters) {
    info.parameters.push_back(p.key);
    info.distributions.push_back(p.distribution.describe());
  }
  const sampling::Points points =
      sampling::design(u.method, static_cast<std::size_t>(u.draws), d, scenario.seed);
  info.design = points.values;
  info.values.resize(points.values.size());
  for (std::size_t i = 0; i < static_cast<std::size_t>(u.draws); ++i)
    for (std::size_t j = 0; j < d; ++j) {
      double value = u.parameters[j].distribution.quantile(points.at(i, j));
      if (u.parameters[j].integer) value = std::round(value);
      info.values[i * d + j] = value;
    }
  return draws;
}

Variant ParameterDraws::apply(const Variant& variant, int draw) const {
  Variant drawn = variant;
  const std::size_t d = info.parameters.size();
  for (std::size_t j = 0; j < d; ++j) {
    const std::string& key = info.parameters[j];
    const double value = info.values[static_cast<std::size_t>(draw) * d + j];
    const auto dot = key.find('.');
    if (dot == std::string::npos) {
      const ParamSpec* spec = find_model_parameter(key);
      if (!spec) throw std::logic_error("uncertain parameter " + key + " is not declared");
      drawn.parameters.*(spec->field) = value;
      continue;
    }
    const std::string id = key.substr(0, dot), name = key.substr(dot + 1);
    for (auto& spec : drawn.interventions) {
      if (spec.id != id) continue;
      if (name == "budget_dkk")
        spec.budget_dkk = value;
      else
        spec.params.at(name) = value;
    }
  }
  return drawn;
}

}  // namespace klynge
