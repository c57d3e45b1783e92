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
constexpr std::uint64_t kOrderDraw = 0;
constexpr std::uint64_t kGoDraw = 1;

class StudyTrip final : public Intervention {
 public:
  StudyTrip() : Intervention(kAct) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<std::pair<double, int>> order;
    for (int f : ctx.targets(true)) order.emplace_back(ctx.rng(f, kOrderDraw).uniform(), f);
    std::sort(order.begin(), order.end());
    const int max_attendees = static_cast<int>(ctx.param("max_attendees"));
    std::vector<int> attendees;
    for (const auto& [key, f] : order) {
      if (static_cast<int>(attendees.size()) >= max_attendees) break;
      if (ctx.rng(f, kGoDraw).bernoulli(w.motivation[f])) attendees.push_back(f);
    }
    const int wanted = static_cast<int>(attendees.size());
    // Attendees are paid in order as the cash allows; the event's hours are fixed.
    const PaidUnits paid =
        ctx.pay_units(wanted, ctx.param("fixed_dkk"), ctx.param("per_firm_dkk"), 0.0);
    if (paid.units == 0) return;
    attendees.resize(paid.units);
    ctx.use_available_hours(ctx.param("hours"));

    const double absorptive_gain = ctx.param("absorptive_gain");
    const double ambition_gain = ctx.param("ambition_gain");
    const int until = w.step + static_cast<int>(w.params->study_trip_boost_months);
    for (int f : attendees) {
      w.absorptive[f] = std::min(1.0, w.absorptive[f] + absorptive_gain);
      w.ambition[f] = std::min(1.0, w.ambition[f] + ambition_gain);
      w.study_trip_until[f] = std::max(w.study_trip_until[f], until);
      w.contact(f);
    }
    std::vector<int> sorted = attendees;
    std::sort(sorted.begin(), sorted.end());
    const double tie_trust = ctx.param("tie_trust");
    const double gain = ctx.param("trust_gain");
    for (std::size_t i = 0; i < sorted.size(); ++i)
      for (std::size_t j = i + 1; j < sorted.size(); ++j)
        w.meet(sorted[i], sorted[j], tie_trust, gain);
    ctx.report(paid);
  }
};
}  // namespace

std::unique_ptr<Intervention> make_study_trip(const InterventionSpec&) {
  return std::make_unique<StudyTrip>();
}

}  // namespace klynge
