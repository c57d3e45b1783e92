// The scenario loader: malformed scenarios get exact file:line:column + key path messages;
// well-formed ones resolve into complete, self-contained variants.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/intervention_types.hpp"
#include "sim/io/scenario_keys.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "tests/support/temp_dir.hpp"

using namespace klynge;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// Four lines every malformed case below starts from unless it brings its own text; the case's
// own lines are therefore line 5 onwards.
const std::string kHead =
    "schema_version: 1\n"
    "name: t\n"
    "horizon: 24\n"
    "population: {firms: f.csv}\n";

struct BadCase {
  const char* what;
  std::string text;
  const char* where;  // "file:line:column: key path" exactly
  const char* says;   // a part of the message
};

std::string error_of(const std::string& text, const std::string& base_dir = "") {
  try {
    parse_scenario(text, "s.yaml", base_dir);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

Scenario parse(const std::string& text) {
  return parse_scenario(text, "s.yaml", "");
}

const InterventionSpec* find_intervention(const Variant& v, const std::string& id) {
  for (const auto& i : v.interventions)
    if (i.id == id) return &i;
  return nullptr;
}

std::vector<std::string> ids(const Variant& v) {
  std::vector<std::string> out;
  for (const auto& i : v.interventions) out.push_back(i.id);
  return out;
}

// The product.md example, with the catalogue inline.
const std::string kProductExample = R"(schema_version: 1
name: midtjylland-workshop
description: Genoff-style programme for ~30 metal firms, compared with doing nothing
seed: 2007
horizon: 36              # steps (months)
replicates: 200
population:
  firms: data/midtjylland_firms.csv
  relations: data/midtjylland_relations.csv
  synthetic: {firms: 0}  # extra synthetic firms resembling the interviewed ones
facilitators: {count: 2, hours_per_month: 60, competence: 0.4}
budget_dkk: 3000000
parameters: {}           # overrides of model defaults
market:
  multiplier:
    all: [{from: 12, to: 23, factor: 0.8}]
    export: [{from: 0, to: 5, factor: 1.5}]
catalogue:
  welding:         {weights: {food: 1, energy_environment: 2, other: 1, export: 1}, dev_tags: [certification]}
  hygienic_design: {weights: {food: 3, energy_environment: 0, other: 0.5, export: 1}, dev_tags: [product_development]}
interventions:           # the base programme: the year with the expert, then observation
  - {type: interviews, start: 0, end: 3, firms_per_month: 8}
  - {type: opportunity_scan, start: 2, end: 11}
  - {id: meetings, type: network_meeting, at: [3, 6, 9, 12]}
  - {type: matchmaking, start: 4, end: 17, introductions_per_month: 4}
  - {type: joint_development, start: 6, end: 17, subsidy_share: 0.3, budget_dkk: 1000000}
  - {type: cluster_strategy, at: [18], budget_dkk: 750000}
variants:                # each: a name and how it differs from the base
  baseline: {interventions: []}              # replace the whole list
  meetings_only: {keep_interventions: [meetings]}
  full_programme: {}                         # the base as written
  full_plus_training:
    add_interventions: [{type: staff_training, at: [1, 7]}]
  full_plus_value_chain:
    add_interventions: [{type: value_chain_linkage, start: 6, end: 35}]
  cheaper_meetings:
    override_interventions: {meetings: {at: [6, 12]}}
    parameters: {encounter_rate: 0.3}        # deep-merged over the base parameters
outputs: {firm_trajectories: true, events: true, detail_replicates: 3}
)";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("malformed scenarios name file, line, column, key path and what was expected", "[yaml]") {
  // clang-format off
  const std::vector<BadCase> cases = {
    {"unknown top-level key, with a suggestion", kHead + "replicats: 5\n",
     "s.yaml:5:1: replicats: ", "unknown key for the top level (did you mean 'replicates'?)"},
    {"unknown intervention type, with a suggestion",
     kHead + "interventions:\n  - {type: network_meting, at: [1]}\n",
     "s.yaml:6:12: interventions[0].type: ",
     "unknown intervention type \"network_meting\" (did you mean 'network_meeting'?); valid types: recruitment,"},
    {"unknown intervention parameter",
     kHead + "interventions:\n  - {type: network_meeting, at: [1], contact: 2}\n",
     "s.yaml:6:38: interventions[0].contact: ",
     "unknown key for a network_meeting intervention (did you mean 'contacts'?)"},
    {"unknown model parameter, with a suggestion", kHead + "parameters:\n  encounter_rat: 0.2\n",
     "s.yaml:6:3: parameters.encounter_rat: ", "unknown model parameter (did you mean 'encounter_rate'?)"},
    {"duplicate top-level key names both lines", kHead + "horizon: 12\n",
     "s.yaml:5:1: horizon: ", "duplicate key: given on line 3 and again on line 5"},
    {"duplicate nested key", kHead + "facilitators: {count: 2, count: 3}\n",
     "s.yaml:5:26: facilitators.count: ", "duplicate key: given twice on line 5"},
    {"duplicate key inside an intervention",
     kHead + "interventions:\n  - type: network_meeting\n    at: [1]\n    at: [2]\n",
     "s.yaml:8:5: interventions[0].at: ", "duplicate key: given on line 7 and again on line 8"},
    {"at and start together", kHead + "interventions:\n  - {type: network_meeting, at: [1], start: 2}\n",
     "s.yaml:6:38: interventions[0].start: ", "`at` (line 6) and `start`/`end`/`every` exclude each other"},
    {"step beyond the horizon", kHead + "interventions:\n  - {type: network_meeting, at: [1, 24]}\n",
     "s.yaml:6:37: interventions[0].at[1]: ", "expected a step from 0 to 23 (steps count from 0; the horizon is 24 steps), got 24"},
    {"every given as a word", kHead + "interventions:\n  - {type: matchmaking, start: 2, every: monthly}\n",
     "s.yaml:6:42: interventions[0].every: ", "expected a positive integer, got \"monthly\""},
    {"a single step without brackets", kHead + "interventions:\n  - {type: network_meeting, at: 3}\n",
     "s.yaml:6:33: interventions[0].at: ", "expected a list of steps such as [3], got 3"},
    {"end before start", kHead + "interventions:\n  - {type: opportunity_scan, start: 5, end: 2}\n",
     "s.yaml:6:45: interventions[0].end: ", "expected a step >= start (5), got 2"},
    {"negative budget", kHead + "budget_dkk: -5\n",
     "s.yaml:5:13: budget_dkk: ", "expected an amount in DKK >= 0 or `unlimited`, got -5"},
    {"text where a number belongs", kHead + "replicates: many\n",
     "s.yaml:5:13: replicates: ", "expected a positive integer, got \"many\""},
    {"quoted number", kHead + "replicates: \"36\"\n",
     "s.yaml:5:13: replicates: ", "got the text \"36\" (write numbers without quotes)"},
    {"mapping where a list belongs", kHead + "interventions: {type: network_meeting}\n",
     "s.yaml:5:16: interventions: ", "expected a list, got a mapping"},
    {"integer parameter given 2.5",
     kHead + "interventions:\n  - {type: network_meeting, at: [1], contacts: 2.5}\n",
     "s.yaml:6:48: interventions[0].contacts: ", "expected a non-negative integer, got 2.5"},
    {"integer model parameter given 2.5", kHead + "parameters: {duration_min: 2.5}\n",
     "s.yaml:5:28: parameters.duration_min: ", "expected a positive integer, got 2.5"},
    {"competence out of range", kHead + "facilitators: {competence: 1.5}\n",
     "s.yaml:5:28: facilitators.competence: ", "expected a number from 0 to 1, got 1.5"},
    {"keep_interventions names an unknown id",
     kHead + "interventions:\n  - {id: meetings, type: network_meeting, at: [1]}\n"
             "variants:\n  meetings_only: {keep_interventions: [meeting]}\n",
     "s.yaml:8:40: variants.meetings_only.keep_interventions[0]: ",
     "no intervention with id \"meeting\" in this variant (did you mean 'meetings'?); ids: meetings"},
    {"duplicate intervention id (two of a type without ids)",
     kHead + "interventions:\n  - {type: network_meeting, at: [1]}\n  - {type: network_meeting, at: [2]}\n",
     "s.yaml:7:5: interventions[1]: ",
     "duplicate intervention id \"network_meeting\": interventions[0] (line 6) has it too; give this entry its own `id`"},
    {"schema_version 2", "schema_version: 2\nname: t\npopulation: {firms: f.csv}\n",
     "s.yaml:1:17: schema_version: ", "unsupported schema_version 2; this klynge reads schema_version 1"},
    {"YAML syntax error", kHead + "interventions: [{type: network_meeting, at: [1]}\nvariants: {}\n",
     "s.yaml:6:1: ", "YAML syntax error: end of sequence flow not found"},
    {"empty file", "", "s.yaml:1:1: ", "the file is empty"},
    {"only comments", "# nothing here\n", "s.yaml:1:1: ", "the file is empty"},
    {"top-level list", "- name: t\n- horizon: 3\n", "s.yaml:1:1: ",
     "expected a mapping of scenario keys (`name: ...`), got a list"},
    {"two YAML documents", kHead + "---\nname: u\n", "s.yaml:6:1: ", "more than one YAML document"},
    {"nan", kHead + "parameters:\n  encounter_rate: .nan\n",
     "s.yaml:6:19: parameters.encounter_rate: ", "expected a number, got .nan (numbers must be finite)"},
    {"inf", kHead + "facilitators: {hours_per_month: .inf}\n",
     "s.yaml:5:33: facilitators.hours_per_month: ", "(numbers must be finite)"},
    {"negative catalogue weight", kHead + "catalogue:\n  welding: {weights: {food: -1}}\n",
     "s.yaml:6:29: catalogue.welding.weights.food: ", "expected a number from 0 to 1000000, got -1"},
    {"unknown catalogue weight segment", kHead + "catalogue:\n  welding: {weights: {fod: 1}}\n",
     "s.yaml:6:23: catalogue.welding.weights.fod: ", "(did you mean 'food'?)"},
    {"unknown segment in a market multiplier",
     kHead + "market:\n  multiplier:\n    exports: [{from: 1, to: 2, factor: 0.5}]\n",
     "s.yaml:7:5: market.multiplier.exports: ", "(did you mean 'export'?)"},
    {"market window ends before it starts",
     kHead + "market:\n  multiplier:\n    all: [{from: 5, to: 2, factor: 0.5}]\n",
     "s.yaml:7:25: market.multiplier.all[0].to: ", "expected a step >= from (5), got 2"},
    {"market window misses its factor", kHead + "market: {multiplier: {food: [{from: 1, to: 2}]}}\n",
     "s.yaml:5:30: market.multiplier.food[0].factor: ", "required key is missing"},
    {"variants not a mapping", kHead + "variants: [a, b]\n",
     "s.yaml:5:11: variants: ", "expected a mapping of variant names to how each differs from the base, got a list"},
    {"unknown variant operation",
     kHead + "variants:\n  v: {keep_intervention: [x]}\n",
     "s.yaml:6:7: variants.v.keep_intervention: ", "(did you mean 'keep_interventions'?)"},
    {"override of an unknown id",
     kHead + "interventions:\n  - {id: meetings, type: network_meeting, at: [1]}\n"
             "variants:\n  v:\n    override_interventions: {meeting: {at: [2]}}\n",
     "s.yaml:9:30: variants.v.override_interventions.meeting: ", "(did you mean 'meetings'?)"},
    {"override cannot change the type",
     kHead + "interventions:\n  - {id: meetings, type: network_meeting, at: [1]}\n"
             "variants:\n  v:\n    override_interventions: {meetings: {type: study_trip}}\n",
     "s.yaml:9:41: variants.v.override_interventions.meetings.type: ", "an override cannot change an intervention's `type`"},
    {"override with a bad value points at the override",
     kHead + "interventions:\n  - {id: m, type: matchmaking, start: 1}\n"
             "variants:\n  v:\n    override_interventions: {m: {every: 0}}\n",
     "s.yaml:9:41: variants.v.override_interventions.m.every: ", "expected an integer from 1 to 1200, got 0"},
    {"added intervention repeats an id",
     kHead + "interventions:\n  - {id: m, type: matchmaking, start: 1}\n"
             "variants:\n  v:\n    add_interventions:\n      - {id: m, type: study_trip, at: [3]}\n",
     "s.yaml:10:14: variants.v.add_interventions[0].id: ", "duplicate intervention id \"m\": interventions[0] (line 6) has it too"},
    {"missing intervention type", kHead + "interventions:\n  - {id: x, at: [1]}\n",
     "s.yaml:6:5: interventions[0].type: ", "required key is missing; expected one of recruitment,"},
    {"missing schedule", kHead + "interventions:\n  - {type: opportunity_scan}\n",
     "s.yaml:6:5: interventions[0]: ", "no schedule; give `at: [steps]` or `start`"},
    {"end without start", kHead + "interventions:\n  - {type: opportunity_scan, end: 5}\n",
     "s.yaml:6:30: interventions[0].end: ", "`end` needs a `start`"},
    {"target with two kinds",
     kHead + "interventions:\n  - {type: study_trip, at: [1], target: {segment: food, top: 3}}\n",
     "s.yaml:6:57: interventions[0].target.top: ", "give only one of `segment`, `firms`, `top`"},
    {"target segment must be domestic",
     kHead + "interventions:\n  - {type: study_trip, at: [1], target: {segment: export}}\n",
     "s.yaml:6:51: interventions[0].target.segment: ", "expected one of food, energy_environment, other, got \"export\""},
    {"top target without by",
     kHead + "interventions:\n  - {type: study_trip, at: [1], target: {top: 3}}\n",
     "s.yaml:6:42: interventions[0].target.top: ", "`top` needs `by`"},
    {"missing name", "schema_version: 1\npopulation: {firms: f.csv}\n",
     "s.yaml:1:1: name: ", "required key is missing"},
    {"missing population firms", "name: t\npopulation: {relations: r.csv}\n",
     "s.yaml:2:13: population.firms: ", "required key is missing"},
    {"negative seed", kHead + "seed: -1\n",
     "s.yaml:5:7: seed: ", "expected a non-negative integer below 2^64, got -1"},
    {"outputs flag not a boolean", kHead + "outputs: {events: maybe}\n",
     "s.yaml:5:19: outputs.events: ", "expected true or false, got \"maybe\""},
    {"detail_replicates negative", kHead + "outputs: {detail_replicates: -1}\n",
     "s.yaml:5:30: outputs.detail_replicates: ", "expected an integer from 0 to 1000000, got -1"},
    {"parameter range order", kHead + "parameters: {duration_min: 13}\n",
     "s.yaml:5:28: parameters.duration_min: ", "duration_min (13) must not exceed duration_max (12)"},
    {"empty horizon value points at its key", "name: t\nhorizon:\npopulation: {firms: f.csv}\n",
     "s.yaml:2:1: horizon: ", "expected a positive integer, got nothing"},
    {"YAML merge keys are refused", kHead + "facilitators:\n  <<: {count: 2}\n",
     "s.yaml:6:3: facilitators.<<: ", "YAML merge keys are not supported"},
    {"catalogue file that does not exist", kHead + "catalogue: no_such_catalogue.yaml\n",
     "s.yaml:5:12: catalogue: ", "cannot read the catalogue file \"no_such_catalogue.yaml\""},
    {"an empty label", kHead + "variants:\n  a: {label: \"\"}\n",
     "s.yaml:6:14: variants.a.label: ", "expected non-empty text, got \"\""},
    {"a label too long for a table cell",
     kHead + "variants:\n  a: {label: \"" + std::string(61, 'x') + "\"}\n",
     "s.yaml:6:14: variants.a.label: ", "expected a label of at most 60 characters, got 61"},
    {"a label with a control character", kHead + "variants:\n  a: {label: \"a\\tb\"}\n",
     "s.yaml:6:14: variants.a.label: ", "got a control character (tab, line break or similar) at character 2"},
    {"a label of spaces", kHead + "variants:\n  a: {label: \"   \"}\n",
     "s.yaml:6:14: variants.a.label: ", "expected a label with some text, got only spaces"},
    {"an intervention label that is not text",
     kHead + "interventions:\n  - {type: network_meeting, at: [1], label: [x]}\n",
     "s.yaml:6:45: interventions[0].label: ", "expected text, got a list"},
  };
  // clang-format on
  REQUIRE(cases.size() >= 25);
  for (const auto& c : cases) {
    INFO(c.what);
    const std::string message = error_of(c.text);
    CHECK_THAT(message, StartsWith(c.where));
    CHECK_THAT(message, Contains(c.says));
  }
}

TEST_CASE("binary garbage and odd inputs are InputErrors, never crashes", "[yaml]") {
  std::string garbage;
  for (int i = 0; i < 512; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
  CHECK_THAT(error_of(garbage), StartsWith("s.yaml"));
  CHECK_THAT(error_of(std::string("name: t\0\x01\x02", 10)), StartsWith("s.yaml"));
  // A whole file that is not a mapping is described, never quoted (it may be any file).
  CHECK_THAT(error_of("just a scalar"), Contains("got plain text"));
  CHECK_THAT(error_of("just a scalar"), !Contains("just a scalar"));
  // A recursive alias: yaml-cpp builds a cyclic node; the loader must not recurse forever.
  CHECK_THAT(error_of(kHead + "interventions: &a [*a]\n"), StartsWith("s.yaml:5:"));
  CHECK_THAT(error_of(kHead + "variants: &v {x: *v}\n"), StartsWith("s.yaml:5:"));
  CHECK_THAT(error_of(std::string(5000, '[')), StartsWith("s.yaml"));
  CHECK_THAT(error_of(kHead + "? [a, b]\n: 1\n"), Contains("expected a plain name as key"));
}

TEST_CASE("the product.md example parses and its variants resolve", "[yaml]") {
  const Scenario s = parse(kProductExample);
  CHECK(s.name == "midtjylland-workshop");
  CHECK(s.seed == 2007);
  CHECK(s.horizon == 36);
  CHECK(s.replicates == 200);
  CHECK(s.firms_path == "data/midtjylland_firms.csv");
  CHECK(s.relations_path == "data/midtjylland_relations.csv");
  CHECK(s.synthetic.firms == 0);
  CHECK(s.outputs.detail_replicates == 3);
  CHECK(s.warnings.empty());

  REQUIRE(s.catalogue.size() == 2);
  CHECK(s.catalogue[0].capability == "welding");
  CHECK(s.catalogue[0].weights == std::array<double, 4>{1, 2, 1, 1});
  CHECK(s.catalogue[1].capability == "hygienic_design");
  CHECK(s.catalogue[1].weights == std::array<double, 4>{3, 0, 0.5, 1});
  CHECK(s.catalogue[1].dev_tags == std::vector<std::string>{"product_development"});

  // `all` applies to every segment; a segment's own windows add to it.
  CHECK(s.market.multiplier_at(0, 12) == 0.8);
  CHECK(s.market.multiplier_at(3, 12) == 0.8);
  CHECK(s.market.multiplier_at(3, 2) == 1.5);
  CHECK(s.market.multiplier_at(0, 2) == 1);
  CHECK(s.market.multiplier_at(2, 24) == 1);

  std::vector<std::string> names;
  for (const auto& v : s.variants) names.push_back(v.name);
  CHECK(names == std::vector<std::string>{"baseline", "meetings_only", "full_programme",
                                          "full_plus_training", "full_plus_value_chain",
                                          "cheaper_meetings"});
  CHECK(s.baseline().name == "baseline");

  const std::vector<std::string> base_ids = {"interviews",        "opportunity_scan",
                                             "meetings",          "matchmaking",
                                             "joint_development", "cluster_strategy"};
  CHECK(s.find_variant("baseline")->interventions.empty());
  CHECK(ids(*s.find_variant("meetings_only")) == std::vector<std::string>{"meetings"});
  CHECK(ids(*s.find_variant("full_programme")) == base_ids);

  auto with_training = base_ids;
  with_training.push_back("staff_training");
  const Variant& training = *s.find_variant("full_plus_training");
  CHECK(ids(training) == with_training);
  CHECK(find_intervention(training, "staff_training")->schedule.at == std::vector<int>{1, 7});

  const Variant& value_chain = *s.find_variant("full_plus_value_chain");
  const InterventionSpec& vcl = *find_intervention(value_chain, "value_chain_linkage");
  CHECK(vcl.schedule.is_window());
  CHECK(vcl.schedule.start == 6);
  CHECK(vcl.schedule.end == 35);
  CHECK(vcl.schedule.every == 1);

  const Variant& cheaper = *s.find_variant("cheaper_meetings");
  CHECK(find_intervention(cheaper, "meetings")->schedule.at == std::vector<int>{6, 12});
  CHECK(find_intervention(*s.find_variant("full_programme"), "meetings")->schedule.at ==
        std::vector<int>{3, 6, 9, 12});
  CHECK(cheaper.parameters.encounter_rate == 0.3);
  CHECK(s.find_variant("full_programme")->parameters.encounter_rate ==
        find_model_parameter("encounter_rate")->default_value);

  for (const auto& v : s.variants) {
    INFO(v.name);
    CHECK(v.budget_dkk == 3000000);
    CHECK(v.facilitators.count == 2);
    CHECK(v.facilitators.hours_per_month == 60);
    CHECK(v.facilitators.competence == 0.4);
  }

  // Every parameter of a type is present, written values over defaults.
  const Variant& full = *s.find_variant("full_programme");
  for (const auto& spec : full.interventions) {
    INFO(spec.id);
    const InterventionTypeSpec* type = find_intervention_type(spec.type);
    REQUIRE(type);
    CHECK(spec.params.size() == type->params.size());
    CHECK(spec.target.kind == Target::Kind::enrolled);
  }
  const InterventionSpec& interviews = *find_intervention(full, "interviews");
  CHECK(interviews.param("firms_per_month") == 8);
  CHECK(interviews.param("per_firm_dkk") == 10000);
  CHECK(interviews.source_line == 22);
  CHECK(find_intervention(full, "meetings")->param("fixed_dkk") == 40000);
  CHECK(find_intervention(full, "joint_development")->budget_dkk == 1000000);
  CHECK(find_intervention(full, "joint_development")->param("subsidy_share") == 0.3);
  CHECK_FALSE(find_intervention(full, "matchmaking")->budget_dkk.has_value());
}

TEST_CASE("defaults fill a minimal scenario", "[yaml]") {
  const Scenario s = parse("name: minimal\npopulation: {firms: f.csv}\n");
  CHECK(s.schema_version == 1);
  CHECK(s.seed == 1);
  CHECK(s.horizon == 36);
  CHECK(s.replicates == 100);
  CHECK(s.description.empty());
  CHECK(s.relations_path.empty());
  CHECK(s.catalogue.empty());
  REQUIRE(s.variants.size() == 1);
  const Variant& base = s.variants[0];
  CHECK(base.name == "base");
  CHECK(std::isinf(base.budget_dkk));
  CHECK(base.interventions.empty());
  CHECK(base.facilitators.count == Facilitators::defaults().count);
  CHECK(base.facilitators.hours_per_month == Facilitators::defaults().hours_per_month);
  CHECK(base.facilitators.competence == Facilitators::defaults().competence);
  for (const auto& spec : model_parameter_table()) {
    INFO(spec.key);
    CHECK(base.parameters.*spec.field == spec.default_value);
  }
  CHECK(s.outputs.firm_trajectories);
  CHECK(s.outputs.events);
  CHECK(s.outputs.ties);
  CHECK(s.outputs.detail_replicates == 3);
  CHECK(s.warnings.empty());
}

TEST_CASE("labels: free text for people, stored beside the code names", "[yaml]") {
  const Scenario s =
      parse(kHead +
            "interventions: [{type: study_trip, label: \"Study trip, Hamburg\", "
            "at: [2]}]\nvariants:\n  a: {label: \"Æblegård & co: no \\\"trip\\\"\"}\n"
            "  b: {override_interventions: {study_trip: {label: \"Trip\"}}}\n");
  REQUIRE(s.variants.size() == 2);
  CHECK(s.variants[0].label == "Æblegård & co: no \"trip\"");  // 20 characters, 22 bytes
  CHECK(s.variants[1].label.empty());
  CHECK(s.variants[0].interventions.at(0).label == "Study trip, Hamburg");
  CHECK(s.variants[1].interventions.at(0).label == "Trip");  // an override may relabel
  CHECK(parse(kHead + "variants:\n  a: {label: \"" + std::string(60, 'x') + "\"}\n")
            .variants.at(0)
            .label.size() == 60);
  // The resolved configuration keeps them and reads back to the same labels.
  const FirmIdMapper identity = [](const std::string& id) { return id; };
  const Scenario again = parse(resolved_scenario_yaml(s, identity));
  CHECK(again.variants.at(0).label == s.variants[0].label);
  CHECK(again.variants.at(1).interventions.at(0).label == "Trip");
  for (const auto& variant : s.variants) {  // and each variant's own configuration
    const Scenario one = parse(resolved_variant_yaml(s, variant, identity));
    CHECK(one.variants.at(0).label == variant.label);
    CHECK(one.variants.at(0).interventions.at(0).label == variant.interventions.at(0).label);
  }
}

TEST_CASE("empty variants run the base", "[yaml]") {
  const Scenario s = parse(kHead +
                           "interventions: [{type: study_trip, at: [2]}]\n"
                           "variants:\n  a:\n  b: {}\n");
  REQUIRE(s.variants.size() == 2);
  CHECK(s.variants[0].name == "a");
  CHECK(ids(s.variants[0]) == std::vector<std::string>{"study_trip"});
  CHECK(ids(s.variants[1]) == std::vector<std::string>{"study_trip"});
  CHECK(parse(kHead + "variants:\n").variants.at(0).name == "base");
  CHECK(parse(kHead + "variants: {}\n").variants.at(0).name == "base");
}

namespace {
// Every declared key of a section is a row of the key table with the declaration's type, default,
// unit, range and help, in the same order; the struct's defaults() are the declared defaults.
template <class S>
void check_declared_section(const SectionDeclaration<S>& declared) {
  // Static: read through a member pointer GCC cannot resolve, a local struct with padding draws a
  // false -Wmaybe-uninitialized.
  static const S defaults = S::defaults();
  const auto& rows = declared.rows();
  CHECK(scenario_section_keys(declared.section()).size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(declared.section() << "." << rows[i].key);
    const ScenarioKeySpec& spec = scenario_key(declared.section(), rows[i].key);
    CHECK(scenario_section_keys(declared.section()).at(i) == rows[i].key);
    CHECK(spec.default_value == rows[i].default_value);
    CHECK(declared.get(defaults, i) == rows[i].default_value);
    CHECK(spec.min == rows[i].min);
    CHECK(spec.max == rows[i].max);
    CHECK(std::string(spec.unit) == rows[i].unit);
    CHECK(std::string(spec.help) == rows[i].help);
    CHECK(spec.type == (rows[i].type == SectionValueType::integer   ? KeyType::integer
                        : rows[i].type == SectionValueType::boolean ? KeyType::boolean
                                                                    : KeyType::number));
  }
}
}  // namespace

TEST_CASE("declared sections are the key table's rows and the structs' defaults", "[yaml]") {
  check_declared_section(facilitators_declaration());
  check_declared_section(outputs_declaration());
  check_declared_section(synthetic_declaration());
  // Integers are integers: the key table says so and the structs hold ints.
  CHECK(scenario_key("facilitators", "count").type == KeyType::integer);
  CHECK(scenario_key("outputs", "detail_replicates").type == KeyType::integer);
  CHECK(scenario_key("population.synthetic", "firms").type == KeyType::integer);
  CHECK(Facilitators::defaults().count == 2);
  CHECK(Outputs::defaults().detail_replicates == 3);
  CHECK(scenario_key("outputs", "events").default_text == "true");
  // Top-level keys are not declared with a struct yet: the table and Scenario{} must agree.
  CHECK(scenario_key("", "horizon").default_value == Scenario{}.horizon);
  CHECK(scenario_key("", "replicates").default_value == Scenario{}.replicates);
  // Every section a key names is documented.
  for (const auto& key : scenario_key_table()) {
    bool found = false;
    for (const auto& section : scenario_section_table())
      found = found || std::string(section.section) == key.section;
    INFO(key.section << "." << key.key);
    CHECK(found);
  }
}

TEST_CASE("declared sections are read and written through their declaration", "[yaml]") {
  const Scenario s = parse(
      "name: t\nhorizon: 12\npopulation: {synthetic: {participants: 4, firms: 9}}\n"
      "facilitators: {competence: 0.55, count: 3}\noutputs: {ties: false, detail_replicates: 1}\n"
      "variants: {a: {}, b: {facilitators: {hours_per_month: 12.5}}}\n");
  CHECK(s.synthetic.firms == 9);
  CHECK(s.synthetic.participants == 4);
  CHECK(s.variants[0].facilitators.count == 3);
  CHECK(s.variants[0].facilitators.competence == 0.55);
  CHECK(s.variants[0].facilitators.hours_per_month == 60);  // the declared default
  CHECK(s.variants[1].facilitators.hours_per_month == 12.5);
  CHECK(s.variants[1].facilitators.count == 3);  // merged over the base's
  CHECK(!s.outputs.ties);
  CHECK(s.outputs.events);
  CHECK(s.outputs.detail_replicates == 1);
  // Every declared key is written, in declaration order, integers as integers.
  const std::string resolved = resolved_scenario_yaml(s, [](const std::string& id) { return id; });
  CHECK_THAT(resolved, Contains("synthetic: {firms: 9, participants: 4}"));
  CHECK_THAT(resolved, Contains("facilitators: {count: 3, hours_per_month: 60, competence: 0.55}"));
  CHECK_THAT(resolved,
             Contains("facilitators: {count: 3, hours_per_month: 12.5, competence: 0.55}"));
  CHECK_THAT(resolved, Contains("outputs: {firm_trajectories: true, events: true, ties: false, "
                                "detail_replicates: 1}"));
}

TEST_CASE("variant operations apply in the documented order", "[yaml]") {
  const Scenario s = parse(kHead + R"(facilitators: {count: 3}
budget_dkk: 500000
parameters: {encounter_rate: 0.2, closure_probability: 0.1}
interventions:
  - {id: scan, type: opportunity_scan, start: 2, end: 11}
  - {id: m, type: matchmaking, start: 4, end: 17, every: 2, introductions_per_month: 5}
  - {id: meet, type: network_meeting, at: [3, 6]}
  - {id: trip, type: study_trip, at: [8], target: {segment: food}}
variants:
  removed: {remove_interventions: [scan, trip]}
  kept_then_removed: {keep_interventions: [m, meet, trip], remove_interventions: [meet]}
  replaced_then_added:
    interventions: [{type: staff_training, at: [1]}]
    add_interventions: [{id: meet, type: network_meeting, at: [5]}]
  window_to_at: {override_interventions: {m: {at: [6]}}}
  at_to_window: {override_interventions: {meet: {start: 2, every: 3}}}
  params_only: {override_interventions: {m: {introductions_per_month: 9, budget_dkk: 1000}}}
  new_target: {override_interventions: {trip: {target: {top: 4, by: employees}}}}
  merged:
    parameters: {closure_probability: 0.2, collab_trust: 0.35}
    facilitators: {competence: 0.7}
    budget_dkk: unlimited
  all_together:
    keep_interventions: [m, meet]
    override_interventions: {meet: {at: [7]}}
    add_interventions: [{type: value_chain_linkage, start: 6}]
  longer: {override_interventions: {m: {end: 20}}}
  as_written: {}
)");
  CHECK(ids(*s.find_variant("removed")) == std::vector<std::string>{"m", "meet"});
  CHECK(ids(*s.find_variant("kept_then_removed")) == std::vector<std::string>{"m", "trip"});
  CHECK(ids(*s.find_variant("replaced_then_added")) ==
        std::vector<std::string>{"staff_training", "meet"});

  const InterventionSpec& at_form = *find_intervention(*s.find_variant("window_to_at"), "m");
  CHECK_FALSE(at_form.schedule.is_window());
  CHECK(at_form.schedule.at == std::vector<int>{6});
  CHECK(at_form.param("introductions_per_month") == 5);  // the rest of the entry stays

  const InterventionSpec& window = *find_intervention(*s.find_variant("at_to_window"), "meet");
  CHECK(window.schedule.is_window());
  CHECK(window.schedule.start == 2);
  CHECK(window.schedule.end == 23);  // until the end of the horizon
  CHECK(window.schedule.every == 3);

  const InterventionSpec& params = *find_intervention(*s.find_variant("params_only"), "m");
  CHECK(params.param("introductions_per_month") == 9);
  CHECK(params.budget_dkk == 1000);
  CHECK(params.schedule.start == 4);
  CHECK(params.schedule.end == 17);
  CHECK(params.schedule.every == 2);

  const InterventionSpec& trip = *find_intervention(*s.find_variant("new_target"), "trip");
  CHECK(trip.target.kind == Target::Kind::top);
  CHECK(trip.target.top_k == 4);
  CHECK(trip.target.by == "employees");
  CHECK(find_intervention(*s.find_variant("removed"), "m")->param("introductions_per_month") == 5);

  const Variant& merged = *s.find_variant("merged");
  CHECK(merged.parameters.encounter_rate == 0.2);       // from the base
  CHECK(merged.parameters.closure_probability == 0.2);  // the variant's over the base's
  CHECK(merged.parameters.collab_trust == 0.35);
  CHECK(merged.facilitators.count == 3);
  CHECK(merged.facilitators.competence == 0.7);
  CHECK(merged.facilitators.hours_per_month == 60);
  CHECK(std::isinf(merged.budget_dkk));
  CHECK(s.find_variant("removed")->budget_dkk == 500000);
  CHECK(s.find_variant("removed")->parameters.closure_probability == 0.1);

  const Variant& together = *s.find_variant("all_together");
  CHECK(ids(together) == std::vector<std::string>{"m", "meet", "value_chain_linkage"});
  CHECK(find_intervention(together, "meet")->schedule.at == std::vector<int>{7});
  CHECK(find_intervention(together, "value_chain_linkage")->schedule.end == 23);

  const InterventionSpec& longer = *find_intervention(*s.find_variant("longer"), "m");
  CHECK(longer.schedule.start == 4);  // window keys merge one by one
  CHECK(longer.schedule.end == 20);
  CHECK(longer.schedule.every == 2);

  // Overrides in earlier variants leave the base untouched for later ones.
  const Variant& as_written = *s.find_variant("as_written");
  CHECK(ids(as_written) == std::vector<std::string>{"scan", "m", "meet", "trip"});
  const InterventionSpec& base_m = *find_intervention(as_written, "m");
  CHECK(base_m.param("introductions_per_month") == 5);
  CHECK_FALSE(base_m.budget_dkk.has_value());
  CHECK(base_m.schedule.start == 4);
  CHECK(base_m.schedule.end == 17);
  CHECK(base_m.schedule.every == 2);
  CHECK(find_intervention(as_written, "meet")->schedule.at == std::vector<int>{3, 6});
  CHECK(find_intervention(as_written, "trip")->target.kind == Target::Kind::segment);
  CHECK(as_written.parameters.closure_probability == 0.1);
  CHECK(as_written.facilitators.competence == 0.4);

  // No `baseline` variant: the first is the comparison point; `merged` measures differently.
  REQUIRE(s.warnings.size() == 1);
  CHECK_THAT(s.warnings[0], StartsWith("s.yaml:24:58: variants.merged.parameters.collab_trust: "));
  CHECK_THAT(s.warnings[0], Contains("not comparable"));
}

TEST_CASE("targets and schedules in all their forms", "[yaml]") {
  const Scenario s = parse(kHead + R"(interventions:
  - {id: a, type: study_trip, at: [8, 2], target: enrolled}
  - {id: b, type: study_trip, at: [9], target: {firms: [12345678, DK-99, x]}}
  - {id: c, type: study_trip, at: [10], target: {segment: energy_environment}}
  - {id: d, type: opportunity_scan, start: 0}
  - {id: e, type: opportunity_scan, start: 1, end: 1}
)");
  const Variant& v = s.variants.at(0);
  CHECK(v.interventions[0].target.kind == Target::Kind::enrolled);
  CHECK(v.interventions[0].schedule.at == std::vector<int>{8, 2});
  CHECK(v.interventions[0].schedule.first_step() == 2);
  CHECK(v.interventions[1].target.kind == Target::Kind::firms);
  CHECK(v.interventions[1].target.firm_ids == std::vector<std::string>{"12345678", "DK-99", "x"});
  CHECK(v.interventions[2].target.segment == "energy_environment");
  CHECK(v.interventions[3].schedule.start == 0);
  CHECK(v.interventions[3].schedule.end == 23);
  CHECK(v.interventions[4].schedule.active(1));
  CHECK_FALSE(v.interventions[4].schedule.active(2));
}

TEST_CASE("envelopes beyond the budget give a warning", "[yaml]") {
  const Scenario s = parse(kHead + R"(budget_dkk: 1000
interventions:
  - {type: cluster_strategy, at: [18], budget_dkk: 5000}
)");
  REQUIRE(s.warnings.size() == 1);
  CHECK_THAT(s.warnings[0], Contains("envelopes add up to 5000 DKK, more than the budget of 1000"));
}

TEST_CASE("a catalogue given as a path is read relative to the scenario", "[yaml]") {
  const klynge::testing::TempDir temp("klynge-yaml-catalogue");
  const auto& dir = temp.path;
  std::filesystem::create_directories(dir / "data");
  write_file(dir / "data" / "cat.yaml",
             "# a catalogue file\n"
             "welding: {weights: {food: 2}, dev_tags: [certification, lean]}\n"
             "cnc: {}\n");
  const std::string text = kHead + "catalogue: data/cat.yaml\n";
  const Scenario s = parse_scenario(text, (dir / "s.yaml").string(), dir.string());
  REQUIRE(s.catalogue.size() == 2);
  CHECK(s.catalogue[0].capability == "welding");
  CHECK(s.catalogue[0].weights == std::array<double, 4>{2, 1, 1, 1});
  CHECK(s.catalogue[0].dev_tags == std::vector<std::string>{"certification", "lean"});
  CHECK(s.catalogue[1].capability == "cnc");
  CHECK(s.catalogue[1].weights == std::array<double, 4>{1, 1, 1, 1});
  CHECK(s.firms_path == (dir / "f.csv").string());

  // Errors inside the catalogue file name that file.
  write_file(dir / "data" / "bad.yaml", "welding:\n  weights: {food: 1, export: x}\n");
  const std::string bad = kHead + "catalogue: data/bad.yaml\n";
  CHECK_THAT(error_of(bad, dir.string()),
             StartsWith((dir / "data" / "bad.yaml").string() + ":2:30: welding.weights.export: "));
  write_file(dir / "data" / "list.yaml", "- welding\n");
  CHECK_THAT(error_of(kHead + "catalogue: data/list.yaml\n", dir.string()),
             Contains("expected a mapping of capabilities"));
}

TEST_CASE("load_scenario reads a file and resolves paths against its folder", "[yaml]") {
  const klynge::testing::TempDir temp("klynge-yaml-load");
  const auto& dir = temp.path;
  write_file(dir / "s.yaml", kHead);
  const Scenario s = load_scenario((dir / "s.yaml").string());
  CHECK(s.source_path == (dir / "s.yaml").string());
  CHECK(s.source_text == kHead);
  CHECK(s.firms_path == (dir / "f.csv").string());
  try {
    load_scenario((dir / "missing.yaml").string());
    FAIL("no error for a missing file");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Contains("missing.yaml: cannot read the scenario file"));
  }
}

TEST_CASE("the shipped scenarios load", "[yaml]") {
  const std::filesystem::path folder = std::filesystem::path(KLYNGE_SOURCE_DIR) / "scenarios";
  if (!std::filesystem::exists(folder)) return;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path().string());
    Scenario s;
    CHECK_NOTHROW(s = load_scenario(entry.path().string()));
    CHECK_FALSE(s.variants.empty());
  }
}

namespace {
void check_same_variant(const Variant& a, const Variant& b) {
  INFO(a.name);
  CHECK(a.name == b.name);
  CHECK(a.label == b.label);
  for (const auto& spec : model_parameter_table()) {
    INFO(spec.key);
    CHECK(a.parameters.*spec.field == b.parameters.*spec.field);
  }
  CHECK(a.facilitators.count == b.facilitators.count);
  CHECK(a.facilitators.hours_per_month == b.facilitators.hours_per_month);
  CHECK(a.facilitators.competence == b.facilitators.competence);
  CHECK(a.budget_dkk == b.budget_dkk);
  REQUIRE(a.interventions.size() == b.interventions.size());
  for (std::size_t i = 0; i < a.interventions.size(); ++i) {
    const auto& x = a.interventions[i];
    const auto& y = b.interventions[i];
    INFO(x.id);
    CHECK(x.id == y.id);
    CHECK(x.type == y.type);
    CHECK(x.label == y.label);
    CHECK(x.schedule.at == y.schedule.at);
    CHECK(x.schedule.start == y.schedule.start);
    CHECK(x.schedule.end == y.schedule.end);
    CHECK(x.schedule.every == y.schedule.every);
    CHECK(x.target.kind == y.target.kind);
    CHECK(x.target.segment == y.target.segment);
    CHECK(x.target.firm_ids == y.target.firm_ids);
    CHECK(x.target.top_k == y.target.top_k);
    CHECK(x.target.by == y.target.by);
    CHECK(x.params == y.params);
    CHECK(x.budget_dkk == y.budget_dkk);
  }
}

void check_same_settings(const Scenario& a, const Scenario& b) {
  CHECK(a.name == b.name);
  CHECK(a.description == b.description);
  CHECK(a.seed == b.seed);
  CHECK(a.horizon == b.horizon);
  CHECK(a.replicates == b.replicates);
  CHECK(a.firms_path == b.firms_path);
  CHECK(a.relations_path == b.relations_path);
  CHECK(a.synthetic.firms == b.synthetic.firms);
  CHECK(a.synthetic.participants == b.synthetic.participants);
  for (int seg = 0; seg < kSegmentCount; ++seg)
    for (int step = 0; step < a.horizon; ++step)
      CHECK(a.market.multiplier_at(seg, step) == b.market.multiplier_at(seg, step));
  REQUIRE(a.catalogue.size() == b.catalogue.size());
  for (std::size_t i = 0; i < a.catalogue.size(); ++i) {
    CHECK(a.catalogue[i].capability == b.catalogue[i].capability);
    CHECK(a.catalogue[i].weights == b.catalogue[i].weights);
    CHECK(a.catalogue[i].dev_tags == b.catalogue[i].dev_tags);
  }
  CHECK(a.outputs.firm_trajectories == b.outputs.firm_trajectories);
  CHECK(a.outputs.events == b.outputs.events);
  CHECK(a.outputs.ties == b.outputs.ties);
  CHECK(a.outputs.detail_replicates == b.outputs.detail_replicates);
}
}  // namespace

TEST_CASE("the resolved YAML is complete, deterministic and reads back the same", "[yaml]") {
  const Scenario s = parse(kProductExample + R"(
# appended: odd values the emitter must keep exact
)");
  const FirmIdMapper identity = [](const std::string& id) { return id; };
  const std::string resolved = resolved_scenario_yaml(s, identity);
  CHECK(resolved == resolved_scenario_yaml(s, identity));
  for (const auto& spec : model_parameter_table()) CHECK_THAT(resolved, Contains(spec.key));
  CHECK_THAT(resolved, Contains("encounter_rate: 0.3"));
  CHECK_THAT(resolved, Contains("per_cluster_dkk: 250000"));

  const Scenario again = parse_scenario(resolved, "resolved.yaml", "");
  check_same_settings(s, again);
  REQUIRE(again.variants.size() == s.variants.size());
  for (std::size_t i = 0; i < s.variants.size(); ++i)
    check_same_variant(s.variants[i], again.variants[i]);

  for (const auto& variant : s.variants) {
    const std::string one = resolved_variant_yaml(s, variant, identity);
    CHECK(one == resolved_variant_yaml(s, variant, identity));
    const Scenario single = parse_scenario(one, "variant.yaml", "");
    check_same_settings(s, single);
    REQUIRE(single.variants.size() == 1);
    check_same_variant(variant, single.variants[0]);
  }
}

TEST_CASE("the resolved YAML pseudonymises firm ids and keeps awkward values", "[yaml]") {
  const Scenario s = parse(R"(schema_version: 1
name: "yes"
description: "a: b # not a comment"
seed: 18446744073709551615
horizon: 12
population: {firms: f.csv}
budget_dkk: 0.1
parameters: {spillover_rate: 0.0001, external_score: -2.5}
interventions:
  - {type: study_trip, at: [3], target: {firms: [29876543, ACME-1]}, budget_dkk: 0}
  - {type: recruitment, start: 0, target: {top: 2, by: willingness}}
)");
  const FirmIdMapper pseudonym = [](const std::string& id) {
    return id == "29876543" ? std::string("F001") : std::string("F002");
  };
  const std::string resolved = resolved_scenario_yaml(s, pseudonym);
  CHECK_THAT(resolved, !Contains("29876543"));
  CHECK_THAT(resolved, !Contains("ACME"));
  CHECK_THAT(resolved, Contains("F001"));
  const Scenario again = parse_scenario(resolved, "resolved.yaml", "");
  CHECK(again.name == "yes");
  CHECK(again.description == "a: b # not a comment");
  CHECK(again.seed == 18446744073709551615ULL);
  const Variant& v = again.variants.at(0);
  CHECK(v.budget_dkk == 0.1);
  CHECK(v.parameters.spillover_rate == 0.0001);
  CHECK(v.parameters.external_score == -2.5);
  CHECK(v.interventions[0].target.firm_ids == std::vector<std::string>{"F001", "F002"});
  CHECK(v.interventions[0].budget_dkk == 0);
  CHECK(v.interventions[1].target.top_k == 2);
  CHECK(v.interventions[1].target.by == "willingness");
  CHECK_FALSE(v.interventions[1].budget_dkk.has_value());
}
