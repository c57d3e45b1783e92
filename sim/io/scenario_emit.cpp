// The resolved configuration as YAML: every setting of a variant written out with its default
// filled in, firm ids pseudonymised. The output is itself a valid scenario (parse_scenario reads
// it back into the same variants), its key order is fixed by the tables, so it is deterministic.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/core/intervention_types.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/io/yaml_reader.hpp"

namespace klynge {
namespace {

// Numbers go out as their shortest round-trip text (yaml-cpp would write 0.1 as
// 0.10000000000000001).
std::string number(double value) {
  return yaml::format_number(value);
}
std::string budget(double value) {
  return std::isfinite(value) ? number(value) : "unlimited";
}

// Text from the input (names, descriptions, paths, ids, tags). yaml-cpp 0.7 writes a string with
// a CR or another control character as a plain scalar, raw, and the loader reads a lone CR as a
// line end: such text goes out double-quoted, where yaml-cpp escapes it ("\r", "\x1b"). Found by
// fuzz_scenario's round trip.
struct Text {
  const std::string& value;
};
YAML::Emitter& operator<<(YAML::Emitter& out, const Text& text) {
  const bool control = std::any_of(text.value.begin(), text.value.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != ' ') || c == 0x7F;
  });
  if (control) out << YAML::DoubleQuoted;
  return out << text.value;
}

// A section declared with SectionDeclaration (sim/core/scenario.cpp), as a flow mapping of every
// declared key in declaration order: integers as integers, reals as their shortest round-trip
// text, booleans as true/false.
template <class S>
void emit_declared(YAML::Emitter& out, const SectionDeclaration<S>& declared, const S& value) {
  out << YAML::Flow << YAML::BeginMap;
  const auto& rows = declared.rows();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out << YAML::Key << rows[i].key << YAML::Value;
    const double v = declared.get(value, i);
    switch (rows[i].type) {
      case SectionValueType::integer:
        out << static_cast<int>(v);
        break;
      case SectionValueType::real:
        out << number(v);
        break;
      case SectionValueType::boolean:
        out << (v != 0);
        break;
    }
  }
  out << YAML::EndMap;
}

void emit_header(YAML::Emitter& out, const Scenario& scenario) {
  out << YAML::Key << "schema_version" << YAML::Value << scenario.schema_version;
  out << YAML::Key << "name" << YAML::Value << Text{scenario.name};
  out << YAML::Key << "description" << YAML::Value << Text{scenario.description};
  out << YAML::Key << "seed" << YAML::Value << scenario.seed;
  out << YAML::Key << "horizon" << YAML::Value << scenario.horizon;
  out << YAML::Key << "replicates" << YAML::Value << scenario.replicates;

  out << YAML::Key << "population" << YAML::Value << YAML::BeginMap;
  if (!scenario.firms_path.empty())
    out << YAML::Key << "firms" << YAML::Value << Text{scenario.firms_path};
  if (!scenario.relations_path.empty())
    out << YAML::Key << "relations" << YAML::Value << Text{scenario.relations_path};
  out << YAML::Key << "synthetic" << YAML::Value;
  emit_declared(out, synthetic_declaration(), scenario.synthetic);
  out << YAML::EndMap;

  // Per segment; the `all` windows were copied into every segment at load.
  out << YAML::Key << "market" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "multiplier" << YAML::Value << YAML::BeginMap;
  for (int s = 0; s < kSegmentCount; ++s) {
    out << YAML::Key << kSegmentNames[s] << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& window : scenario.market.multiplier[s])
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "from" << YAML::Value << window.from
          << YAML::Key << "to" << YAML::Value << window.to << YAML::Key << "factor" << YAML::Value
          << number(window.factor) << YAML::EndMap;
    out << YAML::EndSeq;
  }
  out << YAML::EndMap << YAML::EndMap;
}

void emit_catalogue(YAML::Emitter& out, const Scenario& scenario) {
  out << YAML::Key << "catalogue" << YAML::Value;
  if (scenario.catalogue.empty()) {
    out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
    return;
  }
  out << YAML::BeginMap;
  for (const auto& entry : scenario.catalogue) {
    out << YAML::Key << Text{entry.capability} << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "weights" << YAML::Value << YAML::BeginMap;
    for (int s = 0; s < kSegmentCount; ++s)
      out << YAML::Key << kSegmentNames[s] << YAML::Value << number(entry.weights[s]);
    out << YAML::EndMap;
    out << YAML::Key << "dev_tags" << YAML::Value << YAML::BeginSeq;
    for (const auto& tag : entry.dev_tags) out << Text{tag};
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_outputs(YAML::Emitter& out, const Scenario& scenario) {
  out << YAML::Key << "outputs" << YAML::Value;
  emit_declared(out, outputs_declaration(), scenario.outputs);
}

void emit_target(YAML::Emitter& out, const Target& target, const FirmIdMapper& map_firm_id) {
  out << YAML::Key << "target" << YAML::Value;
  switch (target.kind) {
    case Target::Kind::enrolled:
      out << "enrolled";
      return;
    case Target::Kind::segment:
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "segment" << YAML::Value << target.segment
          << YAML::EndMap;
      return;
    case Target::Kind::firms:
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "firms" << YAML::Value << YAML::BeginSeq;
      for (const auto& id : target.firm_ids) {
        const std::string shown = map_firm_id ? map_firm_id(id) : id;
        out << Text{shown};
      }
      out << YAML::EndSeq << YAML::EndMap;
      return;
    case Target::Kind::top:
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "top" << YAML::Value << target.top_k
          << YAML::Key << "by" << YAML::Value << target.by << YAML::EndMap;
      return;
  }
}

void emit_intervention(YAML::Emitter& out, const InterventionSpec& spec,
                       const FirmIdMapper& map_firm_id) {
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << spec.id;
  out << YAML::Key << "type" << YAML::Value << spec.type;
  // Labels are free text: double-quoted, so one reading "~" or "yes" reads back as text.
  if (!spec.label.empty())
    out << YAML::Key << "label" << YAML::Value << YAML::DoubleQuoted << spec.label;
  if (spec.schedule.is_window()) {
    out << YAML::Key << "start" << YAML::Value << spec.schedule.start;
    out << YAML::Key << "end" << YAML::Value << spec.schedule.end;
    out << YAML::Key << "every" << YAML::Value << spec.schedule.every;
  } else {
    out << YAML::Key << "at" << YAML::Value << YAML::Flow << spec.schedule.at;
  }
  emit_target(out, spec.target, map_firm_id);
  out << YAML::Key << "budget_dkk" << YAML::Value
      << budget(spec.budget_dkk.value_or(std::numeric_limits<double>::infinity()));
  // The type's parameters in table order; a spec built in code may lack some: use defaults.
  if (const InterventionTypeSpec* type = find_intervention_type(spec.type)) {
    for (const auto& p : type->params) {
      const auto given = spec.params.find(p.key);
      out << YAML::Key << p.key << YAML::Value
          << number(given != spec.params.end() ? given->second : p.default_value);
    }
  } else {
    for (const auto& [key, value] : spec.params)
      out << YAML::Key << key << YAML::Value << number(value);
  }
  out << YAML::EndMap;
}

// The settings a variant may change: interventions, parameters, budget, facilitators.
void emit_variant_settings(YAML::Emitter& out, const Variant& variant,
                           const FirmIdMapper& map_firm_id) {
  out << YAML::Key << "facilitators" << YAML::Value;
  emit_declared(out, facilitators_declaration(), variant.facilitators);
  out << YAML::Key << "budget_dkk" << YAML::Value << budget(variant.budget_dkk);
  out << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
  for (const auto& spec : model_parameter_table())
    out << YAML::Key << spec.key << YAML::Value << number(variant.parameters.*spec.field);
  out << YAML::EndMap;
  out << YAML::Key << "interventions" << YAML::Value;
  if (variant.interventions.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
    return;
  }
  out << YAML::BeginSeq;
  for (const auto& intervention : variant.interventions)
    emit_intervention(out, intervention, map_firm_id);
  out << YAML::EndSeq;
}

// `uncertainty:` as it reads back (docs/uncertainty.md); nothing when the run has no draws.
void emit_uncertainty(YAML::Emitter& out, const Scenario& scenario) {
  const Uncertainty& u = scenario.uncertainty;
  if (!u.active()) return;
  if (u.grid) {
    out << YAML::Key << "sweep" << YAML::Value << YAML::BeginMap;
    for (const auto& p : u.parameters) {
      out << YAML::Key << p.key << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (double x : p.distribution.parameters()) out << number(x);
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
    return;
  }
  out << YAML::Key << "uncertainty" << YAML::Value << YAML::BeginMap;
  using S = Uncertainty::Sensitivity;
  out << YAML::Key << "draws" << YAML::Value
      << (u.sensitivity == S::none ? u.draws : u.design_draws);
  out << YAML::Key << "sampling" << YAML::Value
      << (u.sensitivity == S::morris     ? "morris"
          : u.sensitivity == S::saltelli ? "saltelli"
                                         : sampling::method_name(u.method));
  if (u.sensitivity == S::morris) out << YAML::Key << "levels" << YAML::Value << u.levels;
  out << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
  for (const auto& p : u.parameters) {
    const auto& v = p.distribution.parameters();
    out << YAML::Key << p.key << YAML::Value << YAML::Flow << YAML::BeginMap;
    using Kind = sampling::Distribution::Kind;
    const auto named = [&](std::initializer_list<const char*> keys) {
      out << YAML::Flow << YAML::BeginMap;
      std::size_t i = 0;
      for (const char* key : keys) {
        if (i < v.size() && std::isfinite(v[i]))
          out << YAML::Key << key << YAML::Value << number(v[i]);
        ++i;
      }
      out << YAML::EndMap;
    };
    switch (p.distribution.kind()) {
      case Kind::uniform:
      case Kind::triangular:
      case Kind::discrete:
        out << YAML::Key
            << (p.distribution.kind() == Kind::uniform      ? "uniform"
                : p.distribution.kind() == Kind::triangular ? "triangular"
                                                            : "values")
            << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (double x : v) out << number(x);
        out << YAML::EndSeq;
        break;
      case Kind::normal:
        out << YAML::Key << "normal" << YAML::Value;
        named({"mean", "sd", "min", "max"});
        break;
      case Kind::lognormal:
        out << YAML::Key << "lognormal" << YAML::Value;
        named({"mu", "sigma"});
        break;
      case Kind::beta:
        out << YAML::Key << "beta" << YAML::Value;
        named({"a", "b", "min", "max"});
        break;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap;
}

std::string finish(YAML::Emitter& out) {
  if (!out.good()) throw std::logic_error("resolved scenario YAML: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

}  // namespace

std::string resolved_variant_yaml(const Scenario& scenario, const Variant& variant,
                                  const FirmIdMapper& map_firm_id) {
  YAML::Emitter out;
  out << YAML::Comment("resolved configuration of variant '" + variant.name +
                       "': every default filled in");
  out << YAML::BeginMap;
  emit_header(out, scenario);
  emit_variant_settings(out, variant, map_firm_id);
  emit_catalogue(out, scenario);
  // Read back, the settings above are the base and this names its one variant.
  out << YAML::Key << "variants" << YAML::Value << YAML::BeginMap << YAML::Key << variant.name
      << YAML::Value << YAML::Flow << YAML::BeginMap;
  if (!variant.label.empty())
    out << YAML::Key << "label" << YAML::Value << YAML::DoubleQuoted << variant.label;
  out << YAML::EndMap << YAML::EndMap;
  emit_outputs(out, scenario);
  out << YAML::EndMap;
  return finish(out);
}

std::string resolved_scenario_yaml(const Scenario& scenario, const FirmIdMapper& map_firm_id) {
  YAML::Emitter out;
  out << YAML::Comment("resolved configuration: every variant complete, every default filled in");
  out << YAML::BeginMap;
  emit_header(out, scenario);
  emit_catalogue(out, scenario);
  // Each variant replaces everything a variant can set, so it does not depend on the base.
  out << YAML::Key << "variants" << YAML::Value << YAML::BeginMap;
  for (const auto& variant : scenario.variants) {
    out << YAML::Key << variant.name << YAML::Value << YAML::BeginMap;
    if (!variant.label.empty())
      out << YAML::Key << "label" << YAML::Value << YAML::DoubleQuoted << variant.label;
    emit_variant_settings(out, variant, map_firm_id);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  emit_outputs(out, scenario);
  emit_uncertainty(out, scenario);
  out << YAML::EndMap;
  return finish(out);
}

}  // namespace klynge
