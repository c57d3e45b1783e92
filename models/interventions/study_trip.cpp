// study_trip (action, seed phase 3 "development activities"): enrolled target firms are invited
// in the order of a keyed uniform per firm, each going with probability motivation, until
// `max_attendees` go. Each attendee costs `per_firm_dkk` (plus `fixed_dkk` per trip) and the trip
// `hours` staff hours. Attendees: absorptive += `absorptive_gain`, ambition += `ambition_gain`
// (cap 1), a development boost for study_trip_boost_months steps (World::study_trip_until,
// exclusive), and every pair of attendees meets (new tie at `tie_trust`, an existing one gains
// `trust_gain`).
//
// Decisions: attendees are paid in the order they were invited as the cash allows (the others
// are skipped); without attendees the trip does not take place (no_eligible_firms); staff hours
// do not cancel the trip (the hours left are used, the rest is recorded as a shortfall).
#include <algorithm>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct StudyTripParams : InterventionCosts {  // defaults: declared_params()
  int max_attendees;
  double absorptive_gain;
  double ambition_gain;
  double tie_trust;
  double trust_gain;
  double hours;
};

const ParamDeclaration<StudyTripParams>& declared_params() {
  static const ParamDeclaration<StudyTripParams> declared = [] {
    ParamDeclaration<StudyTripParams> d(0, 25000, 0, 0);
    d.integer("max_attendees", &StudyTripParams::max_attendees, 12, "firms", 0, 1e6,
              "largest group");
    d.real("absorptive_gain", &StudyTripParams::absorptive_gain, 0.1, "1", 0, 1,
           "absorptive capacity gain");
    d.real("ambition_gain", &StudyTripParams::ambition_gain, 0.05, "1", 0, 1, "ambition gain");
    d.real("tie_trust", &StudyTripParams::tie_trust, 0.25, "trust", 0, 1,
           "trust of a new tie among attendees");
    d.real("trust_gain", &StudyTripParams::trust_gain, 0.15, "trust", 0, 1,
           "trust gain of an existing tie among attendees");
    d.real("hours", &StudyTripParams::hours, 24, "hours", 0, 10000, "staff hours per trip");
    return d;
  }();
  return declared;
}

constexpr std::uint64_t kOrderDraw = 0;
constexpr std::uint64_t kGoDraw = 1;

class StudyTrip final : public Intervention {
 public:
  explicit StudyTrip(const StudyTripParams& p) : Intervention(kAct), p_(p) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<std::pair<double, int>> order;
    for (int f : ctx.targets(true)) order.emplace_back(ctx.rng(f, kOrderDraw).uniform(), f);
    std::sort(order.begin(), order.end());
    const int max_attendees = p_.max_attendees;
    std::vector<int> attendees;
    for (const auto& [key, f] : order) {
      if (static_cast<int>(attendees.size()) >= max_attendees) break;
      if (ctx.rng(f, kGoDraw).bernoulli(w.motivation[f])) attendees.push_back(f);
    }
    // Attendees are paid in order as the cash allows; the event's hours are fixed.
    const PaidUnits paid = ctx.pay_event(attendees, p_.fixed_dkk, p_.per_firm_dkk, p_.hours);
    if (paid.units == 0) return;

    const double absorptive_gain = p_.absorptive_gain;
    const double ambition_gain = p_.ambition_gain;
    const int until = w.step + static_cast<int>(w.params->study_trip_boost_months);
    for (int f : attendees) {
      w.absorptive[f] = std::min(1.0, w.absorptive[f] + absorptive_gain);
      w.ambition[f] = std::min(1.0, w.ambition[f] + ambition_gain);
      w.study_trip_until[f] = std::max(w.study_trip_until[f], until);
      w.contact(f);
    }
    std::vector<int> sorted = attendees;
    std::sort(sorted.begin(), sorted.end());
    const double tie_trust = p_.tie_trust;
    const double gain = p_.trust_gain;
    for (std::size_t i = 0; i < sorted.size(); ++i)
      for (std::size_t j = i + 1; j < sorted.size(); ++j)
        w.meet(sorted[i], sorted[j], tie_trust, gain);
    ctx.report(paid);
  }

 private:
  StudyTripParams p_;
};
}  // namespace

const InterventionType& study_trip_type() {
  static const InterventionType type{
      {"study_trip", InterventionKind::action, "3: development activities",
       "enrolled targets travel together: absorptive capacity and ambition up, ties among "
       "attendees",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<StudyTrip>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
