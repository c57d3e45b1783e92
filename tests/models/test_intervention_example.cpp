// The worked example of docs/architecture.md ("Adding an intervention"): a test-only intervention,
// peer_mentoring, defined in this file alone. It implements two hooks (modify: pays its month and
// takes its targets; development_boost: its enrolled targets develop at development_boost_joint),
// declares its typed parameters once, and is registered for the test's lifetime. Nothing else in
// the code base knows it: the loader accepts and validates its keys, the key reference lists it,
// and the step loop calls its hooks at phases 1 and 11.
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <string>

#include "models/interventions/intervention.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/inputs.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/run/simulation.hpp"
#include "tests/support/temp_dir.hpp"

using namespace klynge;
using Catch::Matchers::Contains;

namespace {

// --- the intervention: what a new file in models/interventions/ would hold ------------------

struct PeerMentoringParams : InterventionCosts {  // defaults: declared_params()
  double hours_per_month;
  int mentees;
};

const ParamDeclaration<PeerMentoringParams>& declared_params() {
  static const ParamDeclaration<PeerMentoringParams> declared = [] {
    ParamDeclaration<PeerMentoringParams> d(0, 0, 5000, 0);
    d.real("hours_per_month", &PeerMentoringParams::hours_per_month, 4, "hours", 0, 1000,
           "staff hours per active month");
    d.integer("mentees", &PeerMentoringParams::mentees, 10, "firms", 0, 1e6,
              "enrolled targets mentored, in firm order");
    return d;
  }();
  return declared;
}

class PeerMentoring final : public Intervention {
 public:
  explicit PeerMentoring(const PeerMentoringParams& p)
      : Intervention(kModify | kDevelopment), p_(p) {}

  bool modify(InterventionContext& ctx, bool /*first*/) override {
    const std::optional<double> cash = ctx.pay_month(p_, fixed_paid_);
    if (!cash) return false;
    ctx.use_available_hours(p_.hours_per_month);
    mentees_ = ctx.targets(true);
    if (static_cast<int>(mentees_.size()) > p_.mentees) mentees_.resize(p_.mentees);
    ctx.report(1, 0, SkipReason::none, *cash);
    return true;
  }

  void development_boost(const World& w, std::vector<char>& boosted) const override {
    for (int f : mentees_)
      if (w.enrolled[f]) boosted[static_cast<std::size_t>(f)] = 1;
  }

 private:
  PeerMentoringParams p_;
  bool fixed_paid_ = false;
  std::vector<int> mentees_;
};

const InterventionType& peer_mentoring_type() {
  static const InterventionType type{
      {"peer_mentoring", InterventionKind::modifier, "test only",
       "enrolled targets mentor each other: development boost while it runs",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<PeerMentoring>(declared_params().read(spec));
      }};
  return type;
}

// --- the test -------------------------------------------------------------------------------

std::string scenario(const std::string& mentoring) {
  const std::string data = KLYNGE_SOURCE_DIR "/scenarios/data/";
  return "schema_version: 1\nname: hook-example\nseed: 5\nhorizon: 12\nreplicates: 1\n"
         "population:\n  firms: " +
         data + "midtjylland_firms.csv\n  relations: " + data +
         "midtjylland_relations.csv\ncatalogue: " + data +
         "midtjylland_catalogue.yaml\n"
         "facilitators: {count: 2, hours_per_month: 60, competence: 0.4}\n"
         "budget_dkk: 1000000\nparameters: {development_rate: 0.3}\n"
         "interventions:\n  - " +
         mentoring +
         "\nvariants:\n  baseline: {interventions: []}\n  mentored: {}\n"
         "outputs: {firm_trajectories: false, events: false, detail_replicates: 0}\n";
}

Inputs load(const testing::TempDir& dir, const std::string& mentoring) {
  const std::string path = dir.file("scenario.yaml");
  std::ofstream(path) << scenario(mentoring);
  return load_inputs(path);
}

double capability_sum(const World& w, const std::vector<int>& firms) {
  double sum = 0;
  for (int f : firms)
    for (int c = 0; c < w.capability_count; ++c) sum += w.capability(f, c);
  return sum;
}

}  // namespace

TEST_CASE("hooks: a test-only intervention with two hooks needs no other file", "[interventions]") {
  testing::TempDir dir;
  const std::string entry =
      "{id: mentoring, type: peer_mentoring, start: 0, end: 11, mentees: 6, "
      "target: {firms: ['22413985', '78225067', '29192779', '68266079', '49908607', '57598521']}}";
  // Unknown until registered: the loader's types come from the registry.
  CHECK_THROWS_AS(load(dir, entry), InputError);

  const ScopedInterventionType registered(peer_mentoring_type());
  CHECK_THAT(scenario_key_reference_markdown(), Contains("### `peer_mentoring`"));
  CHECK_THAT(scenario_key_reference_markdown(), Contains("| `mentees` | integer | 10 |"));
  // Its keys are validated like every type's: a typo, and an integer that is not one.
  CHECK_THROWS_WITH(load(dir, "{id: m, type: peer_mentoring, start: 0, mentess: 3}"),
                    Contains("mentess"));
  CHECK_THROWS_AS(load(dir, "{id: m, type: peer_mentoring, start: 0, mentees: 2.5}"), InputError);

  const Inputs in = load(dir, entry);
  const Variant& mentored = in.scenario.variants[1];
  REQUIRE(mentored.name == "mentored");
  CHECK(mentored.interventions[0].param("mentees") == 6);
  CHECK(mentored.interventions[0].param("hours_per_month") == 4);  // the declared default

  // Through the step loop: its month is paid (phase 1) and its mentees develop faster (phase 11)
  // than the same firms under the same draws without it.
  Simulation base(in, 0, 0, false), with(in, 1, 0, false);
  const std::vector<int> mentees(in.explicit_targets[1][0].begin(),
                                 in.explicit_targets[1][0].end());
  REQUIRE(mentees.size() == 6);
  const double before = capability_sum(with.world(), mentees);
  CHECK(capability_sum(base.world(), mentees) == before);
  for (int t = 0; t < 12; ++t) {
    base.step();
    with.step();
  }
  CHECK(with.world().ledger.cash_spent == 12 * 5000);
  CHECK(base.world().ledger.cash_spent == 0);
  const double gain_with = capability_sum(with.world(), mentees) - before;
  const double gain_base = capability_sum(base.world(), mentees) - before;
  CHECK(gain_with > gain_base + 0.3);  // here 1.82 against 1.22
}

TEST_CASE("hooks: a parameter declaration reads each declared key into its typed member",
          "[interventions]") {
  InterventionSpec spec;
  for (const auto& row : declared_params().rows()) spec.params[row.key] = row.default_value;
  spec.params["mentees"] = 7;
  spec.params["monthly_dkk"] = 123;
  const PeerMentoringParams p = declared_params().read(spec);
  CHECK(p.mentees == 7);
  CHECK(p.hours_per_month == 4);
  CHECK(p.monthly_dkk == 123);
  CHECK(p.fixed_dkk == 0);
  REQUIRE(declared_params().rows().size() == 6);  // the four cost keys first, then its own
  CHECK(std::string(declared_params().rows()[0].key) == "fixed_dkk");
  CHECK(std::string(declared_params().rows()[5].key) == "mentees");
  CHECK(declared_params().rows()[5].integer);
  spec.params.erase("mentees");
  CHECK_THROWS(declared_params().read(spec));  // a resolved spec holds every declared key
}
