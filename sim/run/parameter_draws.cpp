#include "sim/run/parameter_draws.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/core/parameters.hpp"
#include "sim/core/sampling.hpp"
#include "sim/io/scenario_yaml.hpp"

namespace klynge {

ParameterDraws make_parameter_draws(const Scenario& scenario) {
  ParameterDraws draws;
  const Uncertainty& u = scenario.uncertainty;
  if (!u.active()) return draws;
  draws.count = u.draws;
  auto& info = draws.info;
  info.draws = u.draws;
  info.sampling = sampling::method_name(u.method);
  const std::size_t d = u.parameters.size();
  for (const auto& p : u.parameters) {
    info.parameters.push_back(p.key);
    info.distributions.push_back(p.distribution.describe());
  }
  if (u.grid) {
    // Full factorial, the first parameter slowest; the design point is the value's position in
    // its list, mapped into (0, 1) as (index + 0.5) / count.
    info.sampling = "grid";
    info.design.resize(static_cast<std::size_t>(u.draws) * d);
    info.values.resize(info.design.size());
    for (std::size_t i = 0; i < static_cast<std::size_t>(u.draws); ++i) {
      std::size_t rest = i;
      for (std::size_t j = d; j-- > 0;) {
        const auto& values = u.parameters[j].distribution.parameters();
        const std::size_t index = rest % values.size();
        rest /= values.size();
        info.values[i * d + j] = values[index];
        info.design[i * d + j] =
            (static_cast<double>(index) + 0.5) / static_cast<double>(values.size());
      }
    }
    return draws;
  }
  // Morris: r trajectories on the p-level grid, fed to the quantiles at the centres of p strata
  // (morris_grid_probability); Saltelli: N base points in 2d dimensions giving N (d + 2) rows.
  // Both keyed by the seed alone, like the space-filling designs.
  using S = Uncertainty::Sensitivity;
  const auto base = static_cast<std::size_t>(u.design_draws);
  const sampling::Points points =
      u.sensitivity == S::morris ? sampling::morris_design(base, d, scenario.seed, u.levels)
      : u.sensitivity == S::saltelli
          ? sampling::saltelli_design(base, d, scenario.seed)
          : sampling::design(u.method, static_cast<std::size_t>(u.draws), d, scenario.seed);
  if (points.n != static_cast<std::size_t>(u.draws))
    throw std::logic_error("the design has " + std::to_string(points.n) + " rows for " +
                           std::to_string(u.draws) + " draws");
  if (u.sensitivity != S::none) {
    info.sampling = u.sensitivity == S::morris ? "morris" : "saltelli";
    info.design_draws = u.design_draws;
    info.levels = u.sensitivity == S::morris ? u.levels : 0;
  }
  info.design = points.values;
  info.values.resize(points.values.size());
  for (std::size_t i = 0; i < static_cast<std::size_t>(u.draws); ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double probability = u.sensitivity == S::morris
                                     ? sampling::morris_grid_probability(points.at(i, j), u.levels)
                                     : points.at(i, j);
      double value = u.parameters[j].distribution.quantile(probability);
      if (u.parameters[j].integer) value = std::round(value);
      info.values[i * d + j] = value;
    }
  return draws;
}

Variant ParameterDraws::apply(const Variant& variant, int draw) const {
  Variant drawn = variant;
  const std::size_t d = info.parameters.size();
  for (std::size_t j = 0; j < d; ++j)
    set_parameter(drawn, info.parameters[j], info.values[static_cast<std::size_t>(draw) * d + j]);
  return drawn;
}

}  // namespace klynge
