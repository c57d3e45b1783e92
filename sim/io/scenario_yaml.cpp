// The scenario loader: validates a scenario YAML against the key tables (scenario_keys,
// model_parameter_table, intervention_type_table) and resolves every variant into a complete,
// self-contained Variant. Every rejection is an InputError pointing at the text that caused it,
// also for values a variant merged into the base (they keep the position where they were written).
#include "sim/io/scenario_yaml.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sim/core/intervention_types.hpp"
#include "sim/core/text.hpp"
#include "sim/io/input_file.hpp"
#include "sim/io/scenario_keys.hpp"
#include "sim/io/yaml_reader.hpp"

namespace klynge {
namespace {

using yaml::Field;
using yaml::Reader;

constexpr double kUnlimited = std::numeric_limits<double>::infinity();
const char* const kScheduleKeys[] = {"at", "start", "end", "every"};

bool is_schedule_key(const std::string& key) {
  return std::find(std::begin(kScheduleKeys), std::end(kScheduleKeys), key) !=
         std::end(kScheduleKeys);
}

// An intervention entry as written, possibly merged with a variant's override. Every key keeps
// the path and position where it was written, so an error in a merged value points at the
// override that brought it in.
struct RawIntervention {
  Field entry;                // the whole entry, for errors about the entry itself
  std::vector<Field> fields;  // its keys in written order; override keys replace or append
};

// An intervention list during variant resolution: the raw entries (to apply operations to) and
// their validated specs, index by index.
struct Programme {
  std::vector<RawIntervention> raw;
  std::vector<InterventionSpec> specs;

  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& spec : specs) out.push_back(spec.id);
    return out;
  }
  int index_of(const std::string& id) const {
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (specs[i].id == id) return static_cast<int>(i);
    return -1;
  }
};

struct ParamSetting {
  const ParamSpec* spec = nullptr;
  double value = 0;
  Field field;  // where it was set
};
using ParamSettings = std::map<std::string, ParamSetting>;

// What the top level says; each variant starts from a copy.
struct BaseConfig {
  Programme programme;
  ParamSettings parameters;
  Facilitators facilitators = Facilitators::defaults();
  double budget_dkk = kUnlimited;
};

// Pairs of model parameters that bound one range: the first must not exceed the second.
const std::pair<const char*, const char*> kOrderedParameters[] = {
    {"duration_min", "duration_max"},
    {"export_duration_min", "export_duration_max"},
    {"requirement_min_level_low", "requirement_min_level_high"},
};

// The text of a scenario or catalogue file; false with the reason (no such file, a folder, a
// device, over kMaxYamlBytes) in `error`. Nothing is read from anything but a regular file.
bool read_text_file(const std::string& path, std::string& text, std::string& error) {
  try {
    text = read_input_file(path, kMaxYamlBytes, "file");
    return true;
  } catch (const InputError& e) {
    static const std::string prefix = "cannot read the file: ";
    error = e.message().starts_with(prefix) ? e.message().substr(prefix.size()) : e.message();
    return false;
  }
}

double table_number(const Reader& reader, const Field& field, const std::string& section) {
  const ScenarioKeySpec& spec = scenario_key(section, field.name);
  return reader.number(field, spec.min, spec.max, spec.type == KeyType::integer);
}

// The keys written in a section with a declaration (SectionDeclaration, sim/core/scenario.cpp),
// read into `target` in written order and validated against their declared type and range;
// keys not written keep the value `target` has. Unknown keys are errors with a did-you-mean.
template <class S>
void read_declared(const Reader& reader, const std::vector<Field>& fields,
                   const SectionDeclaration<S>& declared, S& target) {
  const auto& rows = declared.rows();
  std::vector<std::string> keys;
  for (const auto& row : rows) keys.emplace_back(row.key);
  yaml::require_known_keys(reader, fields, keys, declared.section());
  for (const auto& f : fields)
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (f.name != rows[i].key) continue;
      const SectionKeySpec& row = rows[i];
      if (row.type == SectionValueType::boolean)
        declared.set(target, i, reader.boolean(f) ? 1 : 0);
      else
        declared.set(target, i,
                     reader.number(f, row.min, row.max, row.type == SectionValueType::integer));
    }
}

// A display label (`label:` of a variant or an intervention): shown on report pages and in
// `compare` tables in place of a code name, so it must fit a table cell and a legend and print
// as it reads: 1 to kMaxLabelCharacters characters of valid UTF-8, no control characters, not
// only spaces.
constexpr std::size_t kMaxLabelCharacters = 60;

std::string display_label(const Reader& reader, const Field& field) {
  const std::string text = reader.string(field, false);
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80           ? 1
                               : (c >> 5) == 0x6  ? 2
                               : (c >> 4) == 0xE  ? 3
                               : (c >> 3) == 0x1E ? 4
                                                  : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k)
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!valid) reader.fail_value(field, "expected a label of valid UTF-8 text");
    if (c < 0x20 || c == 0x7F)
      reader.fail_value(field,
                        "expected a label of printable text, got a control character "
                        "(tab, line break or similar) at character " +
                            std::to_string(characters + 1));
    i += length;
    ++characters;
  }
  if (text.find_first_not_of(' ') == std::string::npos)
    reader.fail_value(field, "expected a label with some text, got only spaces");
  if (characters > kMaxLabelCharacters)
    reader.fail_value(field, "expected a label of at most " + std::to_string(kMaxLabelCharacters) +
                                 " characters, got " + std::to_string(characters));
  return text;
}

class ScenarioParser {
 public:
  ScenarioParser(const std::string& name, std::string base_dir)
      : reader_(name), base_dir_(std::move(base_dir)) {}

  Scenario parse(const std::string& text);

 private:
  const Field& required(const std::vector<Field>& fields, const Field& parent,
                        const std::string& section, const std::string& key) const;
  std::string resolve_path(const std::string& path) const;
  int step(const Field& field) const;
  double budget(const Field& field) const;

  void parse_population(const Field& field, Scenario& scenario) const;
  Market parse_market(const Field& field) const;
  void apply_facilitators(Facilitators& facilitators, const Field& field) const;
  void apply_parameters(ParamSettings& settings, const Field& field) const;
  std::vector<CatalogueEntry> parse_catalogue(const Field& field) const;
  std::vector<CatalogueEntry> catalogue_entries(const Reader& reader, const Field& field) const;
  void apply_outputs(Outputs& outputs, const Field& field) const;

  Programme parse_programme(const Field& field) const;
  void append(Programme& programme, RawIntervention raw) const;
  InterventionSpec build(const RawIntervention& raw) const;
  Schedule parse_schedule(const RawIntervention& raw) const;
  Target parse_target(const Field& field) const;
  RawIntervention merge(const RawIntervention& base, const Field& changes) const;

  std::vector<Variant> parse_variants(const Field* field, const BaseConfig& base,
                                      std::vector<ParamSettings>& settings) const;
  Variant resolve_variant(const std::string& name, const Field& operations, const BaseConfig& base,
                          ParamSettings& settings) const;
  Variant make_variant(const std::string& name, const Programme& programme,
                       const ParamSettings& settings, const Facilitators& facilitators,
                       double budget_dkk) const;
  void add_warnings(Scenario& scenario, const std::vector<ParamSettings>& settings) const;
  struct ParameterRange {
    double min, max;
    bool integer;
  };
  ParameterRange parameter_range(const Field& entry, const Scenario& scenario) const;
  Uncertainty parse_uncertainty(const Field& field, Scenario& scenario) const;
  Uncertainty parse_sweep(const Field& field, const Scenario& scenario) const;
  sampling::Distribution parse_distribution(const Field& entry, double min, double max,
                                            bool integer) const;

  Reader reader_;
  std::string base_dir_;
  int horizon_ = 36;
};

const Field& ScenarioParser::required(const std::vector<Field>& fields, const Field& parent,
                                      const std::string& section, const std::string& key) const {
  if (const Field* field = yaml::find(fields, key)) return *field;
  // yaml-cpp has no position for what is absent: point at the mapping that lacks the key.
  const ScenarioKeySpec& spec = scenario_key(section, key);
  reader_.fail(parent.value_mark(), yaml::child_path(parent.path, key),
               std::string("required key is missing (") + spec.help + ")");
}

std::string ScenarioParser::resolve_path(const std::string& path) const {
  const std::filesystem::path given(path);
  if (given.is_absolute() || base_dir_.empty()) return given.lexically_normal().string();
  return (std::filesystem::path(base_dir_) / given).lexically_normal().string();
}

int ScenarioParser::step(const Field& field) const {
  const double value = reader_.number(field, -yaml::kUnbounded, yaml::kUnbounded, true);
  if (value < 0 || value > horizon_ - 1)
    reader_.fail_value(field, "expected a step from 0 to " + std::to_string(horizon_ - 1) +
                                  " (steps count from 0; the horizon is " +
                                  std::to_string(horizon_) + " steps), got " +
                                  yaml::describe(field.value));
  return static_cast<int>(value);
}

double ScenarioParser::budget(const Field& field) const {
  if (!field.is_null() && field.value.IsScalar()) {
    if (field.value.Scalar() == "unlimited") return kUnlimited;
    double value = 0;
    bool non_finite = false;
    if (field.value.Tag() != "!" && yaml::parse_number(field.value.Scalar(), value, non_finite) &&
        value >= 0)
      return value;
  }
  reader_.fail_value(
      field, "expected an amount in DKK >= 0 or `unlimited`, got " + yaml::describe(field.value));
}

// `firms` is required unless synthetic firms make up the whole population; relations name
// interview firm_ids, so they need `firms`.
void ScenarioParser::parse_population(const Field& field, Scenario& scenario) const {
  const auto fields = reader_.mapping(field, false);
  yaml::require_known_keys(reader_, fields, scenario_section_keys("population"), "population");
  const Field* firms = yaml::find(fields, "firms");
  const Field* relations = yaml::find(fields, "relations");
  const Field* synthetic = yaml::find(fields, "synthetic");
  std::vector<Field> synthetic_fields;
  if (synthetic) {
    synthetic_fields = reader_.mapping(*synthetic, true);
    read_declared(reader_, synthetic_fields, synthetic_declaration(), scenario.synthetic);
  }
  if (!firms && scenario.synthetic.firms == 0)
    // yaml-cpp has no position for what is absent: point at the mapping that lacks the key.
    reader_.fail(field.value_mark(), yaml::child_path(field.path, "firms"),
                 std::string("required key is missing (") +
                     scenario_key("population", "firms").help +
                     "); for a purely synthetic population give `synthetic: {firms: N}` with N > "
                     "0 instead");
  if (firms) scenario.firms_path = resolve_path(reader_.string(*firms, false));
  if (relations) {
    if (!firms)
      reader_.fail_key(*relations,
                       "relations name interview firms by their firm_id, so they need `firms` "
                       "(the interview firms CSV); a purely synthetic population draws its own "
                       "initial relations: remove `relations`");
    scenario.relations_path = resolve_path(reader_.string(*relations, false));
  }
  if (const Field* participants = yaml::find(synthetic_fields, "participants");
      participants && scenario.synthetic.participants > scenario.synthetic.firms)
    reader_.fail_value(*participants, "expected at most the number of synthetic firms (" +
                                          std::to_string(scenario.synthetic.firms) + "), got " +
                                          yaml::describe(participants->value));
}

// `market:` has no scalar keys of its own: its windows are list entries whose required `from` and
// `to` are steps bounded by the horizon (and ordered), so they keep this code and their rows in
// scenario_keys.cpp instead of a SectionDeclaration.
Market ScenarioParser::parse_market(const Field& field) const {
  Market market;
  const auto fields = reader_.mapping(field, true);
  yaml::require_known_keys(reader_, fields, scenario_section_keys("market"), "market");
  const Field* multiplier = yaml::find(fields, "multiplier");
  if (!multiplier) return market;
  const auto segments = reader_.mapping(*multiplier, true);
  yaml::require_known_keys(reader_, segments, multiplier_segment_names(),
                           "market.multiplier (segments)");
  const std::string section = "market.multiplier.<segment>[]";
  for (const auto& segment : segments) {
    for (const auto& element : reader_.list(segment, true)) {
      const auto window_fields = reader_.mapping(element, false);
      yaml::require_known_keys(reader_, window_fields, scenario_section_keys(section),
                               "a market multiplier window");
      MarketWindow window;
      window.from = step(required(window_fields, element, section, "from"));
      const Field& to = required(window_fields, element, section, "to");
      window.to = step(to);
      if (window.to < window.from)
        reader_.fail_value(to, "expected a step >= from (" + std::to_string(window.from) +
                                   "), got " + yaml::describe(to.value));
      window.factor =
          table_number(reader_, required(window_fields, element, section, "factor"), section);
      for (int s = 0; s < kSegmentCount; ++s)
        if (segment.name == "all" || segment.name == kSegmentNames[s])
          market.multiplier[s].push_back(window);
    }
  }
  return market;
}

void ScenarioParser::apply_facilitators(Facilitators& facilitators, const Field& field) const {
  read_declared(reader_, reader_.mapping(field, true), facilitators_declaration(), facilitators);
}

void ScenarioParser::apply_parameters(ParamSettings& settings, const Field& field) const {
  std::vector<std::string> keys;
  for (const auto& spec : model_parameter_table()) keys.emplace_back(spec.key);
  for (const auto& f : reader_.mapping(field, true)) {
    const ParamSpec* spec = find_model_parameter(f.name);
    if (!spec)
      reader_.fail_key(f, "unknown model parameter" + did_you_mean(f.name, keys) +
                              "; docs/scenario-keys.md lists them all");
    const double value = reader_.number(f, spec->min, spec->max, spec->integer);
    settings[f.name] = ParamSetting{spec, value, f};
  }
}

std::vector<CatalogueEntry> ScenarioParser::parse_catalogue(const Field& field) const {
  if (field.is_null() || !field.value.IsScalar()) return catalogue_entries(reader_, field);
  // A path: the file holds the same mapping, and errors inside it name that file.
  const std::string path = resolve_path(reader_.string(field, false));
  std::string text;
  std::string error;
  if (!read_text_file(path, text, error))
    reader_.fail_value(field, "cannot read the catalogue file \"" + path + "\": " + error);
  const Reader file_reader(path);
  const YAML::Node root = file_reader.load(text);
  return catalogue_entries(file_reader, Field{"", root, "", root.Mark()});
}

std::vector<CatalogueEntry> ScenarioParser::catalogue_entries(const Reader& reader,
                                                              const Field& field) const {
  if (!field.is_null() && !field.value.IsMap())
    reader.fail_value(
        field,
        "expected a mapping of capabilities (or a path to a file holding it), "
        "got " +
            // A whole file that is not a mapping may be any file at all (a CSV,
            // /etc/passwd): say what kind of thing it is, never quote it.
            (field.path.empty() ? yaml::describe_kind(field.value) + " (is it the right file?)"
                                : yaml::describe(field.value)));
  const std::string entry_section = "catalogue.<capability>";
  const std::string weights_section = "catalogue.<capability>.weights";
  std::vector<CatalogueEntry> catalogue;
  for (const auto& entry : reader.mapping(field, true)) {
    CatalogueEntry item;
    item.capability = entry.name;
    if (item.capability.empty()) reader.fail_key(entry, "expected a capability name, got \"\"");
    const auto fields = reader.mapping(entry, true);
    yaml::require_known_keys(reader, fields, scenario_section_keys(entry_section),
                             "a catalogue entry");
    for (int s = 0; s < kSegmentCount; ++s)
      item.weights[s] = scenario_key(weights_section, kSegmentNames[s]).default_value;
    if (const Field* weights = yaml::find(fields, "weights")) {
      const auto weight_fields = reader.mapping(*weights, true);
      yaml::require_known_keys(reader, weight_fields, scenario_section_keys(weights_section),
                               "catalogue weights");
      for (const auto& w : weight_fields)
        for (int s = 0; s < kSegmentCount; ++s)
          if (w.name == kSegmentNames[s])
            item.weights[s] = table_number(reader, w, weights_section);
    }
    if (const Field* tags = yaml::find(fields, "dev_tags"))
      for (const auto& tag : reader.list(*tags, true))
        item.dev_tags.push_back(reader.string(tag, false));
    catalogue.push_back(std::move(item));
  }
  return catalogue;
}

void ScenarioParser::apply_outputs(Outputs& outputs, const Field& field) const {
  read_declared(reader_, reader_.mapping(field, true), outputs_declaration(), outputs);
}

Programme ScenarioParser::parse_programme(const Field& field) const {
  Programme programme;
  for (const auto& element : reader_.list(field, true))
    append(programme, RawIntervention{element, reader_.mapping(element, false)});
  return programme;
}

void ScenarioParser::append(Programme& programme, RawIntervention raw) const {
  InterventionSpec spec = build(raw);
  const int other = programme.index_of(spec.id);
  if (other >= 0) {
    const RawIntervention& first = programme.raw[static_cast<std::size_t>(other)];
    std::string message =
        "duplicate intervention id \"" + spec.id + "\": " + first.entry.path + " (line " +
        std::to_string(reader_.location(first.entry.value_mark()).line) + ") has it too";
    const Field* id = yaml::find(raw.fields, "id");
    if (id) reader_.fail_value(*id, message + "; ids must be unique");
    reader_.fail(raw.entry.value_mark(), raw.entry.path,
                 message + "; give this entry its own `id`, e.g. `id: " + spec.id + "_2`");
  }
  programme.raw.push_back(std::move(raw));
  programme.specs.push_back(std::move(spec));
}

InterventionSpec ScenarioParser::build(const RawIntervention& raw) const {
  std::vector<std::string> type_names;
  for (const auto& t : intervention_type_table()) type_names.emplace_back(t.type);
  const Field* type_field = yaml::find(raw.fields, "type");
  if (!type_field)
    reader_.fail(raw.entry.value_mark(), yaml::child_path(raw.entry.path, "type"),
                 "required key is missing; expected one of " + join(type_names));
  const std::string type = reader_.string(*type_field, false);
  const InterventionTypeSpec* type_spec = find_intervention_type(type);
  if (!type_spec)
    reader_.fail_value(*type_field,
                       "unknown intervention type " + yaml::describe(type_field->value) +
                           did_you_mean(type, type_names) + "; valid types: " + join(type_names));

  std::vector<std::string> allowed = scenario_section_keys("interventions[]");
  for (const auto& p : type_spec->params) allowed.emplace_back(p.key);
  yaml::require_known_keys(reader_, raw.fields, allowed, "a " + type + " intervention");

  InterventionSpec spec;
  spec.type = type;
  const Field* id = yaml::find(raw.fields, "id");
  spec.id = id ? reader_.identifier(*id, "an id") : type;
  if (const Field* label = yaml::find(raw.fields, "label"))
    spec.label = display_label(reader_, *label);
  spec.source_line = reader_.location(raw.entry.value_mark()).line;
  spec.schedule = parse_schedule(raw);
  if (const Field* target = yaml::find(raw.fields, "target")) spec.target = parse_target(*target);
  if (const Field* envelope = yaml::find(raw.fields, "budget_dkk")) {
    const double value = budget(*envelope);
    if (std::isfinite(value)) spec.budget_dkk = value;
  }
  for (const auto& p : type_spec->params) {
    spec.params[p.key] = p.default_value;
    if (const Field* f = yaml::find(raw.fields, p.key))
      spec.params[p.key] = reader_.number(*f, p.min, p.max, p.integer);
  }
  return spec;
}

Schedule ScenarioParser::parse_schedule(const RawIntervention& raw) const {
  const Field* at = yaml::find(raw.fields, "at");
  const Field* start = yaml::find(raw.fields, "start");
  const Field* end = yaml::find(raw.fields, "end");
  const Field* every = yaml::find(raw.fields, "every");
  const Field* window_key = start ? start : end ? end : every;
  if (at && window_key)
    reader_.fail_key(*window_key, "`at` (line " +
                                      std::to_string(reader_.location(at->key_mark).line) +
                                      ") and `start`/`end`/`every` exclude each other; give "
                                      "either explicit steps or a window");
  Schedule schedule;
  if (at) {
    if (!at->is_null() && at->value.IsScalar())
      reader_.fail_value(*at, "expected a list of steps such as [" + at->value.Scalar() +
                                  "], got " + yaml::describe(at->value));
    const auto steps = reader_.list(*at, false);
    if (steps.empty()) reader_.fail_value(*at, "expected a list of steps, got an empty list");
    for (const auto& s : steps) {
      const int value = step(s);
      if (std::find(schedule.at.begin(), schedule.at.end(), value) != schedule.at.end())
        reader_.fail_value(s, "step " + std::to_string(value) + " is listed twice");
      schedule.at.push_back(value);
    }
    return schedule;
  }
  if (!start) {
    if (window_key) reader_.fail_key(*window_key, "`" + window_key->name + "` needs a `start`");
    reader_.fail(raw.entry.value_mark(), raw.entry.path,
                 "no schedule; give `at: [steps]` or `start` (with optional `end` and `every`)");
  }
  schedule.start = step(*start);
  schedule.end = horizon_ - 1;
  if (end) {
    schedule.end = step(*end);
    if (schedule.end < schedule.start)
      reader_.fail_value(*end, "expected a step >= start (" + std::to_string(schedule.start) +
                                   "), got " + yaml::describe(end->value));
  }
  if (every) schedule.every = static_cast<int>(table_number(reader_, *every, "interventions[]"));
  return schedule;
}

Target ScenarioParser::parse_target(const Field& field) const {
  const std::string expected =
      "expected `enrolled` or a mapping with one of `segment`, `firms`, `top`";
  Target target;
  if (!field.is_null() && field.value.IsScalar() && field.value.Scalar() == "enrolled")
    return target;
  if (field.is_null() || !field.value.IsMap())
    reader_.fail_value(field, expected + ", got " + yaml::describe(field.value));
  const std::string section = "interventions[].target";
  const auto fields = reader_.mapping(field, false);
  yaml::require_known_keys(reader_, fields, scenario_section_keys(section), "a target");
  const Field* segment = yaml::find(fields, "segment");
  const Field* firms = yaml::find(fields, "firms");
  const Field* top = yaml::find(fields, "top");
  const Field* by = yaml::find(fields, "by");
  std::vector<const Field*> kinds;
  for (const Field* f : {segment, firms, top})
    if (f) kinds.push_back(f);
  if (kinds.size() > 1) reader_.fail_key(*kinds[1], "give only one of `segment`, `firms`, `top`");
  if (by && !top) reader_.fail_key(*by, "`by` goes with `top` only");
  if (segment) {
    target.kind = Target::Kind::segment;
    target.segment = reader_.choice(*segment, target_segment_names());
  } else if (firms) {
    target.kind = Target::Kind::firms;
    const auto ids = reader_.list(*firms, false);
    if (ids.empty()) reader_.fail_value(*firms, "expected a list of firm ids, got an empty list");
    for (const auto& element : ids) {
      const std::string id = reader_.string(element, false);
      if (std::find(target.firm_ids.begin(), target.firm_ids.end(), id) != target.firm_ids.end())
        reader_.fail_value(element, "firm \"" + id + "\" is listed twice");
      target.firm_ids.push_back(id);
    }
  } else if (top) {
    target.kind = Target::Kind::top;
    target.top_k = static_cast<int>(table_number(reader_, *top, section));
    if (!by) reader_.fail_key(*top, "`top` needs `by`: one of " + join(target_rank_attributes()));
    target.by = reader_.choice(*by, target_rank_attributes());
  } else {
    reader_.fail_value(field, expected + ", got an empty mapping");
  }
  return target;
}

RawIntervention ScenarioParser::merge(const RawIntervention& base, const Field& changes) const {
  const auto fields = reader_.mapping(changes, true);
  for (const auto& f : fields)
    if (f.name == "type" || f.name == "id")
      reader_.fail_key(f, "an override cannot change an intervention's `" + f.name +
                              "`; remove the intervention and add a new one instead");
  // A schedule in an override replaces the base's schedule form: `at` drops the base's
  // `start`/`end`/`every` and any of those drops its `at`, so the two forms never mix. Within
  // the window form the keys merge one by one (`end: 20` keeps the base's `start`).
  auto gives = [&](bool at_form) {
    return std::any_of(fields.begin(), fields.end(), [&](const Field& f) {
      return is_schedule_key(f.name) && (f.name == "at") == at_form;
    });
  };
  const bool drop_window = gives(true);
  const bool drop_at = gives(false);
  RawIntervention merged{base.entry, {}};
  for (const auto& f : base.fields) {
    const bool dropped =
        (drop_window && is_schedule_key(f.name) && f.name != "at") || (drop_at && f.name == "at");
    if (!dropped) merged.fields.push_back(f);
  }
  for (const auto& f : fields) {
    auto existing = std::find_if(merged.fields.begin(), merged.fields.end(),
                                 [&](const Field& m) { return m.name == f.name; });
    if (existing != merged.fields.end()) {
      *existing = f;
    } else {
      merged.fields.push_back(f);
    }
  }
  return merged;
}

Variant ScenarioParser::make_variant(const std::string& name, const Programme& programme,
                                     const ParamSettings& settings,
                                     const Facilitators& facilitators, double budget_dkk) const {
  Variant variant;
  variant.name = name;
  variant.parameters = ModelParameters::defaults();
  for (const auto& [key, setting] : settings)
    variant.parameters.*(setting.spec->field) = setting.value;
  for (const auto& [low, high] : kOrderedParameters) {
    const double low_value = variant.parameters.*(find_model_parameter(low)->field);
    const double high_value = variant.parameters.*(find_model_parameter(high)->field);
    if (low_value <= high_value) continue;
    // Point at whichever of the two was written (at least one was: the defaults are ordered).
    const auto written = settings.count(high) ? settings.find(high) : settings.find(low);
    reader_.fail_value(written->second.field, std::string(low) + " (" +
                                                  yaml::format_number(low_value) +
                                                  ") must not exceed " + high + " (" +
                                                  yaml::format_number(high_value) + ")");
  }
  variant.facilitators = facilitators;
  variant.budget_dkk = budget_dkk;
  variant.interventions = programme.specs;
  return variant;
}

Variant ScenarioParser::resolve_variant(const std::string& name, const Field& operations,
                                        const BaseConfig& base, ParamSettings& settings) const {
  const auto ops = reader_.mapping(operations, true);
  yaml::require_known_keys(reader_, ops, scenario_section_keys("variants.<name>"), "a variant");

  Programme programme = base.programme;
  if (const Field* replacement = yaml::find(ops, "interventions"))
    programme = parse_programme(*replacement);

  // Ids named by keep/remove/override must exist at that point of the sequence.
  auto lookup = [&](const Field& where, const std::string& id) {
    const int index = programme.index_of(id);
    if (index < 0) {
      const auto ids = programme.ids();
      reader_.fail_key(where, "no intervention with id \"" + id + "\" in this variant" +
                                  did_you_mean(id, ids) +
                                  "; ids: " + (ids.empty() ? std::string("none") : join(ids)));
    }
    return index;
  };
  auto id_list = [&](const Field& field) {
    std::set<int> indices;
    for (const auto& element : reader_.list(field, false)) {
      Field at_element = element;
      at_element.key_mark = element.value_mark();
      indices.insert(lookup(at_element, reader_.string(element, false)));
    }
    return indices;
  };
  auto filter = [&](const std::set<int>& chosen, bool keep) {
    Programme kept;
    for (std::size_t i = 0; i < programme.specs.size(); ++i) {
      if ((chosen.count(static_cast<int>(i)) > 0) != keep) continue;
      kept.raw.push_back(programme.raw[i]);
      kept.specs.push_back(programme.specs[i]);
    }
    programme = std::move(kept);
  };
  if (const Field* keep = yaml::find(ops, "keep_interventions")) filter(id_list(*keep), true);
  if (const Field* remove = yaml::find(ops, "remove_interventions"))
    filter(id_list(*remove), false);
  if (const Field* overrides = yaml::find(ops, "override_interventions")) {
    for (const auto& change : reader_.mapping(*overrides, false)) {
      const auto index = static_cast<std::size_t>(lookup(change, change.name));
      RawIntervention merged = merge(programme.raw[index], change);
      programme.specs[index] = build(merged);
      programme.raw[index] = std::move(merged);
    }
  }
  if (const Field* additions = yaml::find(ops, "add_interventions"))
    for (const auto& element : reader_.list(*additions, false))
      append(programme, RawIntervention{element, reader_.mapping(element, false)});

  settings = base.parameters;
  if (const Field* parameters = yaml::find(ops, "parameters"))
    apply_parameters(settings, *parameters);
  double budget_dkk = base.budget_dkk;
  if (const Field* b = yaml::find(ops, "budget_dkk")) budget_dkk = budget(*b);
  Facilitators facilitators = base.facilitators;
  if (const Field* f = yaml::find(ops, "facilitators")) apply_facilitators(facilitators, *f);
  Variant variant = make_variant(name, programme, settings, facilitators, budget_dkk);
  if (const Field* label = yaml::find(ops, "label")) variant.label = display_label(reader_, *label);
  return variant;
}

std::vector<Variant> ScenarioParser::parse_variants(const Field* field, const BaseConfig& base,
                                                    std::vector<ParamSettings>& settings) const {
  std::vector<Variant> variants;
  std::vector<Field> entries;
  if (field) {
    if (!field->is_null() && !field->value.IsMap())
      reader_.fail_value(*field,
                         "expected a mapping of variant names to how each differs from "
                         "the base, got " +
                             yaml::describe(field->value));
    entries = reader_.mapping(*field, true);
  }
  if (entries.empty()) {
    settings.push_back(base.parameters);
    variants.push_back(
        make_variant("base", base.programme, base.parameters, base.facilitators, base.budget_dkk));
    return variants;
  }
  for (const auto& entry : entries) {
    const bool valid_name =
        !entry.name.empty() && std::all_of(entry.name.begin(), entry.name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        });
    if (!valid_name)
      reader_.fail_key(entry,
                       "expected a variant name made of letters, digits, '_', '-' and "
                       "'.', got \"" +
                           entry.name + "\"");
    // "." and ".." are made of valid characters but name folders: as the variant's HDF5 group
    // they point elsewhere (`run` failed with exit 1 after validate had passed).
    if (entry.name.find_first_not_of('.') == std::string::npos)
      reader_.fail_key(entry,
                       "expected a variant name made of letters, digits, '_', '-' and "
                       "'.', not only dots, got \"" +
                           entry.name + "\"");
    settings.emplace_back();
    variants.push_back(resolve_variant(entry.name, entry, base, settings.back()));
  }
  return variants;
}

void ScenarioParser::add_warnings(Scenario& scenario,
                                  const std::vector<ParamSettings>& settings) const {
  const Variant& baseline = scenario.baseline();
  std::size_t baseline_index = 0;
  while (&scenario.variants[baseline_index] != &baseline) ++baseline_index;
  for (std::size_t v = 0; v < scenario.variants.size(); ++v) {
    const Variant& variant = scenario.variants[v];
    if (v == baseline_index) continue;
    for (const auto& spec : model_parameter_table()) {
      if (!spec.measurement) continue;
      const double value = variant.parameters.*spec.field;
      const double reference = baseline.parameters.*spec.field;
      if (value == reference) continue;
      // Point at the setting that makes the difference: the variant's own, else the baseline's.
      const auto own = settings[v].find(spec.key);
      const auto theirs = settings[baseline_index].find(spec.key);
      const ParamSetting& where = own != settings[v].end() ? own->second : theirs->second;
      scenario.warnings.push_back(
          InputError::format(reader_.location(where.field.value_mark()), where.field.path,
                             "variant '" + variant.name + "' measures with " + spec.key + " = " +
                                 yaml::format_number(value) + ", the baseline variant '" +
                                 baseline.name + "' with " + yaml::format_number(reference) +
                                 "; the graph metrics of the two are not comparable"));
    }
  }
  for (const auto& variant : scenario.variants) {
    double envelopes = 0;
    for (const auto& intervention : variant.interventions)
      envelopes += intervention.budget_dkk.value_or(0);
    if (envelopes > variant.budget_dkk)
      scenario.warnings.push_back(InputError::format(
          SourceLocation{reader_.file(), 0, 0}, "variants." + variant.name,
          "the interventions' budget_dkk envelopes add up to " + yaml::format_number(envelopes) +
              " DKK, more than the budget of " + yaml::format_number(variant.budget_dkk) +
              " DKK; not every envelope can be spent"));
  }
}

// What an `uncertainty:` or `sweep:` key names: a model parameter, or ID.KEY of an intervention
// parameter (ID.budget_dkk: its envelope) in any variant; its valid range.
ScenarioParser::ParameterRange ScenarioParser::parameter_range(const Field& entry,
                                                               const Scenario& scenario) const {
  std::string error;
  const auto found = find_settable_parameter(scenario, entry.name, error);
  if (!found) reader_.fail_key(entry, error);
  return {found->min, found->max, found->integer};
}

// `sweep:` (docs/uncertainty.md): a full-factorial grid, stored as the draws of a "grid" design;
// the first parameter varies slowest.
Uncertainty ScenarioParser::parse_sweep(const Field& field, const Scenario& scenario) const {
  Uncertainty u;
  u.grid = true;
  u.draws = 1;
  const auto entries = reader_.mapping(field, false);
  if (entries.empty())
    reader_.fail_value(field,
                       "name at least one parameter and its values, e.g. "
                       "`joint_development.budget_dkk: [500000, 1000000]`");
  for (const auto& entry : entries) {
    const ParameterRange range = parameter_range(entry, scenario);
    const auto items = reader_.list(entry, false);
    if (items.empty()) reader_.fail_value(entry, "expected a non-empty list of values");
    std::vector<double> values;
    for (const auto& item : items)
      values.push_back(reader_.number(item, range.min, range.max, range.integer));
    if (static_cast<double>(u.draws) * static_cast<double>(values.size()) > 1e6)
      reader_.fail_value(entry, "the grid would have more than 1,000,000 points");
    u.draws *= static_cast<int>(values.size());
    u.parameters.push_back({entry.name, sampling::Distribution::discrete(values), range.integer});
  }
  return u;
}

// `uncertainty:` (docs/uncertainty.md): the design and one distribution per uncertain parameter.
Uncertainty ScenarioParser::parse_uncertainty(const Field& field, Scenario& scenario) const {
  const auto fields = reader_.mapping(field, false);
  yaml::require_known_keys(reader_, fields, scenario_section_keys("uncertainty"), "uncertainty");
  Uncertainty u;
  u.draws = static_cast<int>(scenario_key("uncertainty", "draws").default_value);
  const Field* draws = yaml::find(fields, "draws");
  if (draws) u.draws = static_cast<int>(table_number(reader_, *draws, "uncertainty"));
  if (const Field* method = yaml::find(fields, "sampling")) {
    const std::string name =
        reader_.choice(*method, {"lhs", "sobol", "random", "morris", "saltelli"});
    u.sensitivity = name == "morris"     ? Uncertainty::Sensitivity::morris
                    : name == "saltelli" ? Uncertainty::Sensitivity::saltelli
                                         : Uncertainty::Sensitivity::none;
    u.method = name == "sobol" || name == "saltelli" ? sampling::Method::sobol
               : name == "random"                    ? sampling::Method::random
                                                     : sampling::Method::latin_hypercube;
  }
  using S = Uncertainty::Sensitivity;
  u.levels = static_cast<int>(scenario_key("uncertainty", "levels").default_value);
  if (const Field* levels = yaml::find(fields, "levels")) {
    if (u.sensitivity != S::morris)
      reader_.fail_key(*levels,
                       "`levels` belongs to `sampling: morris` (the Morris grid); remove it or "
                       "set `sampling: morris`");
    u.levels = static_cast<int>(table_number(reader_, *levels, "uncertainty"));
    if (u.levels % 2 != 0)
      reader_.fail_value(*levels,
                         "expected an even number of grid levels (2, 4, 6, ...): the Morris "
                         "step p / (2(p - 1)) keeps every point on the grid only for even p");
  }
  const Field& parameters = required(fields, field, "uncertainty", "parameters");
  const auto entries = reader_.mapping(parameters, false);
  // Saltelli's base is a Sobol' sequence in 2d dimensions.
  const std::size_t max_parameters = u.sensitivity == S::saltelli
                                         ? sampling::kSobolMaxDimensions / 2
                                         : sampling::kSobolMaxDimensions;
  if (entries.size() > max_parameters)
    reader_.fail_value(parameters,
                       "at most " + std::to_string(max_parameters) + " uncertain parameters" +
                           (u.sensitivity == S::saltelli ? " with `sampling: saltelli`" : ""));
  for (const auto& entry : entries) {
    const ParameterRange range = parameter_range(entry, scenario);
    u.parameters.push_back({entry.name,
                            parse_distribution(entry, range.min, range.max, range.integer),
                            range.integer});
  }
  if (u.parameters.empty())
    reader_.fail_value(parameters,
                       "name at least one uncertain parameter and its distribution, "
                       "e.g. `project_share: {uniform: [0.15, 0.35]}`");
  if (u.sensitivity != S::none) {
    // `draws:` counts trajectories (morris) or base points (saltelli); each makes d + 1 or d + 2
    // parameter sets.
    const auto d = static_cast<double>(u.parameters.size());
    const double per_draw = u.sensitivity == S::morris ? d + 1 : d + 2;
    const double sets = per_draw * u.draws;
    const std::string what = u.sensitivity == S::morris ? "trajectories" : "base points";
    if (sets > scenario_key("uncertainty", "draws").max)
      reader_.fail_value(draws ? *draws : field,
                         std::to_string(u.draws) + " " + what + " x " +
                             yaml::format_number(per_draw) + " = " + yaml::format_number(sets) +
                             " parameter sets, more than " +
                             yaml::format_number(scenario_key("uncertainty", "draws").max) +
                             "; fewer " + what + " or parameters");
    u.design_draws = u.draws;
    u.draws = static_cast<int>(sets);
    if (u.sensitivity == S::saltelli && (u.design_draws & (u.design_draws - 1)) != 0)
      scenario.warnings.push_back(InputError::format(
          reader_.location(draws ? draws->value_mark() : field.value_mark()),
          draws ? draws->path : field.path,
          "saltelli: " + std::to_string(u.design_draws) +
              " base points is not a power of two; the Sobol' base is balanced only in blocks "
              "of 2^m points, so the indices converge more slowly (use e.g. " +
              std::to_string(std::bit_ceil(static_cast<unsigned>(u.design_draws))) + ")"));
  }
  // `enabled: false` keeps a checked block in the file without running it: one set of
  // parameters, as written (the workshop scenario ships its block this way).
  if (const Field* enabled = yaml::find(fields, "enabled"); enabled && !reader_.boolean(*enabled))
    return {};
  if (const Field* replicates = yaml::find(fields, "replicates"))
    scenario.replicates = static_cast<int>(table_number(reader_, *replicates, "uncertainty"));
  return u;
}

sampling::Distribution ScenarioParser::parse_distribution(const Field& entry, double min,
                                                          double max, bool integer) const {
  static const std::vector<std::string> kForms = {"uniform",   "triangular", "normal",
                                                  "lognormal", "beta",       "values"};
  const std::string expected =
      "one distribution: {uniform: [min, max]}, {triangular: [min, mode, max]}, "
      "{normal: {mean, sd, min, max}}, {lognormal: {mu, sigma}}, {beta: {a, b, min, max}} or "
      "{values: [v1, v2, ...]}";
  if (!entry.value.IsMap()) reader_.fail_value(entry, "expected " + expected);
  const auto forms = reader_.mapping(entry, false);
  if (forms.size() != 1) reader_.fail_value(entry, "expected " + expected);
  const Field& form = forms.front();
  yaml::require_known_keys(reader_, forms, kForms, "a distribution");
  const auto numbers = [&](std::size_t count) {
    const auto items = reader_.list(form, false);
    if (items.size() != count)
      reader_.fail_value(form, "expected a list of " + std::to_string(count) + " numbers");
    std::vector<double> values;
    for (const auto& item : items)
      values.push_back(reader_.number(item, -yaml::kUnbounded, yaml::kUnbounded, false));
    return values;
  };
  const auto named = [&](const std::vector<std::string>& keys, std::size_t required_count) {
    const auto items = reader_.mapping(form, false);
    yaml::require_known_keys(reader_, items, keys, form.name);
    std::vector<double> values(keys.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& item : items)
      for (std::size_t i = 0; i < keys.size(); ++i)
        if (item.name == keys[i])
          values[i] = reader_.number(item, -yaml::kUnbounded, yaml::kUnbounded, false);
    for (std::size_t i = 0; i < required_count; ++i)
      if (std::isnan(values[i])) reader_.fail_value(form, "`" + keys[i] + "` is missing");
    return values;
  };
  try {
    std::optional<sampling::Distribution> d;
    double lowest = 0, highest = 0;  // the values the distribution can give
    if (form.name == "uniform") {
      const auto v = numbers(2);
      d = sampling::Distribution::uniform(v[0], v[1]);
      lowest = v[0];
      highest = v[1];
    } else if (form.name == "triangular") {
      const auto v = numbers(3);
      d = sampling::Distribution::triangular(v[0], v[1], v[2]);
      lowest = v[0];
      highest = v[2];
    } else if (form.name == "normal") {
      const auto v = named({"mean", "sd", "min", "max"}, 2);
      lowest = std::isnan(v[2]) ? -yaml::kUnbounded : v[2];
      highest = std::isnan(v[3]) ? yaml::kUnbounded : v[3];
      d = sampling::Distribution::normal(v[0], v[1], lowest, highest);
    } else if (form.name == "lognormal") {
      const auto v = named({"mu", "sigma"}, 2);
      d = sampling::Distribution::lognormal(v[0], v[1]);
      lowest = 0;
      highest = yaml::kUnbounded;
    } else if (form.name == "beta") {
      const auto v = named({"a", "b", "min", "max"}, 2);
      lowest = std::isnan(v[2]) ? 0 : v[2];
      highest = std::isnan(v[3]) ? 1 : v[3];
      d = sampling::Distribution::beta(v[0], v[1], lowest, highest);
    } else {  // values
      const auto items = reader_.list(form, false);
      if (items.empty()) reader_.fail_value(form, "expected a non-empty list of numbers");
      std::vector<double> values;
      for (const auto& item : items) values.push_back(reader_.number(item, min, max, integer));
      lowest = *std::min_element(values.begin(), values.end());
      highest = *std::max_element(values.begin(), values.end());
      d = sampling::Distribution::discrete(values);
    }
    if (lowest < min || highest > max)
      reader_.fail_value(
          form,
          "the distribution reaches [" + yaml::format_number(lowest) + ", " +
              yaml::format_number(highest) + "], outside " + entry.name + "'s valid range (" +
              yaml::expected_number(min, max, integer) + ")" +
              (std::isinf(highest) || std::isinf(lowest) ? "; bound it (normal: give min and max)"
                                                         : ""));
    return *d;
  } catch (const std::invalid_argument& e) {
    reader_.fail_value(form, std::string("impossible distribution: ") + e.what());
  }
}

Scenario ScenarioParser::parse(const std::string& text) {
  Scenario scenario;
  scenario.source_path = reader_.file();
  scenario.source_text = text;

  const YAML::Node root_node = reader_.load(text);
  const Field root{"", root_node, "", root_node.Mark()};
  if (!root_node.IsMap())
    // The file may be anything (a CSV, /etc/passwd): its kind is named, its content never quoted.
    reader_.fail_value(root, "expected a mapping of scenario keys (`name: ...`), got " +
                                 yaml::describe_kind(root_node) + " (is it the right file?)");
  const auto top = reader_.mapping(root, false);

  // The version decides how everything else reads, so it is checked before anything else.
  if (const Field* version = yaml::find(top, "schema_version")) {
    const double value = reader_.number(*version, -yaml::kUnbounded, yaml::kUnbounded, true);
    if (value != 1)
      reader_.fail_value(*version, "unsupported schema_version " + yaml::format_number(value) +
                                       "; this klynge reads schema_version 1");
  }
  yaml::require_known_keys(reader_, top, scenario_section_keys(""), "the top level");

  // Table defaults first, so that the table stays the one source of every default.
  scenario.schema_version = 1;
  scenario.seed = static_cast<std::uint64_t>(scenario_key("", "seed").default_value);
  scenario.horizon = static_cast<int>(scenario_key("", "horizon").default_value);
  scenario.replicates = static_cast<int>(scenario_key("", "replicates").default_value);

  // The horizon bounds every step below, so it is read before them.
  if (const Field* horizon = yaml::find(top, "horizon"))
    scenario.horizon = static_cast<int>(table_number(reader_, *horizon, ""));
  horizon_ = scenario.horizon;

  scenario.name = reader_.string(required(top, root, "", "name"), false);
  if (const Field* description = yaml::find(top, "description"))
    scenario.description = reader_.string(*description, true);
  if (const Field* seed = yaml::find(top, "seed")) scenario.seed = reader_.unsigned64(*seed);
  if (const Field* replicates = yaml::find(top, "replicates"))
    scenario.replicates = static_cast<int>(table_number(reader_, *replicates, ""));
  parse_population(required(top, root, "", "population"), scenario);
  if (const Field* market = yaml::find(top, "market")) scenario.market = parse_market(*market);

  BaseConfig base;
  if (const Field* facilitators = yaml::find(top, "facilitators"))
    apply_facilitators(base.facilitators, *facilitators);
  if (const Field* parameters = yaml::find(top, "parameters"))
    apply_parameters(base.parameters, *parameters);
  base.budget_dkk = scenario_key("", "budget_dkk").default_value;
  if (const Field* budget_field = yaml::find(top, "budget_dkk"))
    base.budget_dkk = budget(*budget_field);
  if (const Field* catalogue = yaml::find(top, "catalogue"))
    scenario.catalogue = parse_catalogue(*catalogue);
  if (const Field* interventions = yaml::find(top, "interventions"))
    base.programme = parse_programme(*interventions);

  std::vector<ParamSettings> settings;
  scenario.variants = parse_variants(yaml::find(top, "variants"), base, settings);

  if (const Field* outputs = yaml::find(top, "outputs")) apply_outputs(scenario.outputs, *outputs);
  const Field* uncertainty = yaml::find(top, "uncertainty");
  const Field* sweep = yaml::find(top, "sweep");
  if (uncertainty && sweep)
    reader_.fail_key(*sweep,
                     "a scenario has either `uncertainty:` (random draws) or `sweep:` (a "
                     "grid), not both; run them as two scenarios");
  if (uncertainty) scenario.uncertainty = parse_uncertainty(*uncertainty, scenario);
  if (sweep) scenario.uncertainty = parse_sweep(*sweep, scenario);

  add_warnings(scenario, settings);
  return scenario;
}

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& name,
                        const std::string& base_dir) {
  return ScenarioParser(name, base_dir).parse(text);
}

namespace {

void collect_numeric_ranges(const YAML::Node& node, bool firms_list,
                            std::vector<std::pair<std::size_t, std::size_t>>& out) {
  if (node.IsScalar()) {
    double value = 0;
    bool non_finite = false;
    const YAML::Mark mark = node.Mark();
    if (!firms_list && node.Tag() != "!" && mark.pos >= 0 &&
        yaml::parse_number(node.Scalar(), value, non_finite))
      out.emplace_back(static_cast<std::size_t>(mark.pos),
                       static_cast<std::size_t>(mark.pos) + node.Scalar().size());
  } else if (node.IsSequence()) {
    for (const auto& element : node) collect_numeric_ranges(element, firms_list, out);
  } else if (node.IsMap()) {
    for (const auto& entry : node)
      collect_numeric_ranges(
          entry.second,
          entry.first.IsScalar() && entry.first.Scalar() == "firms" && entry.second.IsSequence(),
          out);
  }
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> numeric_value_ranges(const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  try {
    collect_numeric_ranges(Reader("").load(text), false, ranges);
  } catch (const InputError&) {
    // Not a scenario (the text was validated before it is stored): nothing is kept as written.
  }
  return ranges;
}

Scenario load_scenario(const std::string& path) {
  std::string text;
  std::string error;
  if (!read_text_file(path, text, error))
    throw InputError(SourceLocation{path, 0, 0}, "", "cannot read the scenario file: " + error);
  return parse_scenario(text, path, std::filesystem::path(path).parent_path().string());
}

std::optional<SettableParameter> find_settable_parameter(const Scenario& scenario,
                                                         const std::string& key,
                                                         std::string& error) {
  const auto dot = key.find('.');
  if (dot == std::string::npos) {
    if (const ParamSpec* spec = find_model_parameter(key))
      return SettableParameter{spec->min, spec->max, spec->integer};
    std::vector<std::string> known;
    for (const auto& p : model_parameter_table()) known.emplace_back(p.key);
    error = "unknown model parameter" + did_you_mean(key, known) +
            "; an intervention parameter is written ID.KEY (e.g. "
            "matchmaking.introductions_per_month)";
    return std::nullopt;
  }
  const std::string id = key.substr(0, dot), name = key.substr(dot + 1);
  const InterventionSpec* found = nullptr;
  std::vector<std::string> ids;
  for (const auto& v : scenario.variants)
    for (const auto& spec : v.interventions) {
      ids.push_back(spec.id);
      if (spec.id == id && !found) found = &spec;
    }
  if (!found) {
    error = "no intervention with id `" + id + "` in any variant" + did_you_mean(id, ids);
    return std::nullopt;
  }
  if (name == "budget_dkk") return SettableParameter{0, yaml::kUnbounded, false};
  std::vector<std::string> keys{"budget_dkk"};
  for (const auto& p : find_intervention_type(found->type)->params) {
    keys.emplace_back(p.key);
    if (name == p.key) return SettableParameter{p.min, p.max, p.integer};
  }
  error = "`" + name + "` is not a parameter of " + found->type + did_you_mean(name, keys) +
          "; its parameters: " + join(keys);
  return std::nullopt;
}

void set_parameter(Variant& variant, const std::string& key, double value) {
  const auto dot = key.find('.');
  if (dot == std::string::npos) {
    const ParamSpec* spec = find_model_parameter(key);
    if (!spec) throw std::logic_error("set_parameter: " + key + " is not declared");
    variant.parameters.*(spec->field) = value;
    return;
  }
  const std::string id = key.substr(0, dot), name = key.substr(dot + 1);
  for (auto& spec : variant.interventions) {
    if (spec.id != id) continue;
    if (name == "budget_dkk")
      spec.budget_dkk = value;
    else
      spec.params.at(name) = value;
  }
}

void apply_settings(Scenario& scenario, const std::vector<std::string>& settings) {
  for (const auto& setting : settings) {
    const auto equals = setting.find('=');
    if (equals == std::string::npos || equals == 0)
      throw UsageError("--set " + setting +
                       ": expected KEY=VALUE, e.g. --set project_share=0.2 or "
                       "--set matchmaking.introductions_per_month=6");
    const std::string key = setting.substr(0, equals), text = setting.substr(equals + 1);
    std::string error;
    const auto parameter = find_settable_parameter(scenario, key, error);
    if (!parameter) throw UsageError("--set " + setting + ": " + key + ": " + error);
    double value = 0;
    bool non_finite = false;
    const bool number = yaml::parse_number(text, value, non_finite) && !non_finite;
    const bool fits = number && value >= parameter->min && value <= parameter->max &&
                      (!parameter->integer || value == std::floor(value));
    if (!fits)
      throw UsageError("--set " + setting + ": " + key + ": expected " +
                       yaml::expected_number(parameter->min, parameter->max, parameter->integer) +
                       ", got \"" + text + "\"");
    for (auto& variant : scenario.variants) set_parameter(variant, key, value);
  }
}

}  // namespace klynge
