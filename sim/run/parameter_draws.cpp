#include "sim/run/parameter_draws.hpp"

#include <cmath>
#include <stdexcept>

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
  for (std::size_t j = 0; j < d; ++j)
    set_parameter(drawn, info.parameters[j], info.values[static_cast<std::size_t>(draw) * d + j]);
  return drawn;
}

}  // namespace klynge
