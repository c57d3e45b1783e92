#pragma once
// A scenario section's scalar keys, declared once: key, the member of the section's struct S that
// holds it, its type (integer, real or true/false), default, unit, valid range and help. The same
// shape as an intervention's ParamDeclaration (models/interventions/intervention.hpp) and the
// model parameter table: the declaration gives S its defaults (S::defaults()), the scenario key
// table its rows (so the loader's key sets, validation and docs/scenario-keys.md come from it),
// and the loader and the resolved-configuration emitter read and write S through it
// (sim/io/scenario_yaml.cpp, scenario_emit.cpp). Keys that are not scalars (lists, mappings,
// paths, steps) stay in sim/io/scenario_keys.cpp with their own handling.
#include <cstddef>
#include <vector>

namespace klynge {

enum class SectionValueType { integer, real, boolean };

struct SectionKeySpec {
  const char* key;
  SectionValueType type;
  double default_value;  // booleans: 1 = true
  const char* unit;
  double min;  // integer and real keys
  double max;
  const char* help;
};

template <class S>
class SectionDeclaration {
 public:
  // `section` as the scenario key table names it, e.g. "facilitators", "population.synthetic".
  explicit SectionDeclaration(const char* section) : section_(section) {}

  SectionDeclaration& integer(const char* key, int S::*member, int default_value, const char* unit,
                              double min, double max, const char* help) {
    rows_.push_back(
        {key, SectionValueType::integer, static_cast<double>(default_value), unit, min, max, help});
    bindings_.push_back({nullptr, member, nullptr});
    return *this;
  }
  SectionDeclaration& real(const char* key, double S::*member, double default_value,
                           const char* unit, double min, double max, const char* help) {
    rows_.push_back({key, SectionValueType::real, default_value, unit, min, max, help});
    bindings_.push_back({member, nullptr, nullptr});
    return *this;
  }
  SectionDeclaration& boolean(const char* key, bool S::*member, bool default_value,
                              const char* help) {
    rows_.push_back({key, SectionValueType::boolean, default_value ? 1.0 : 0.0, "", 0, 0, help});
    bindings_.push_back({nullptr, nullptr, member});
    return *this;
  }

  const char* section() const { return section_; }
  const std::vector<SectionKeySpec>& rows() const { return rows_; }
  // Row i's value in `s`, as a double (an int converts exactly; true = 1).
  double get(const S& s, std::size_t i) const {
    const Binding& b = bindings_[i];
    if (b.real) return s.*b.real;
    if (b.integer) return static_cast<double>(s.*b.integer);
    return s.*b.boolean ? 1.0 : 0.0;
  }
  // Sets row i in `s` from a validated value (an integer key's value is integral).
  void set(S& s, std::size_t i, double value) const {
    const Binding& b = bindings_[i];
    if (b.real) s.*b.real = value;
    if (b.integer) s.*b.integer = static_cast<int>(value);
    if (b.boolean) s.*b.boolean = value != 0;
  }
  // Every declared key at its default; members not declared are value-initialised.
  S defaults() const {
    S s{};
    for (std::size_t i = 0; i < rows_.size(); ++i) set(s, i, rows_[i].default_value);
    return s;
  }

 private:
  struct Binding {
    double S::*real;
    int S::*integer;
    bool S::*boolean;
  };
  const char* section_;
  std::vector<SectionKeySpec> rows_;
  std::vector<Binding> bindings_;
};

}  // namespace klynge
