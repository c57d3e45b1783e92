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

KeyedRng draw(const InterventionContext& ctx, int firm, std::uint64_t purpose) {
  return ctx.rng(static_cast<std::uint64_t>(firm) | (purpose << 32));
}

class StudyTrip final : public Intervention {
 public:
  bool is_action() const override { return true; }
  bool is_modifier() const override { return false; }

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<std::pair<double, int>> order;
    for (int f : ctx.targets(true)) order.emplace_back(draw(ctx, f, kOrderDraw).uniform(), f);
    std::sort(order.begin(), order.end());
    const int max_attendees = static_cast<int>(ctx.param("max_attendees"));
    std::vector<int> attendees;
    for (const auto& [key, f] : order) {
      if (static_cast<int>(attendees.size()) >= max_attendees) break;
      if (draw(ctx, f, kGoDraw).bernoulli(w.motivation[f])) attendees.push_back(f);
    }
    const int wanted = static_cast<int>(attendees.size());
    if (wanted == 0) {
      ctx.report(0, 0, SkipReason::no_eligible, 0);
      return;
    }
    const double fixed = ctx.param("fixed_dkk");
    const double per_firm = ctx.param("per_firm_dkk");
    const int n = ctx.affordable_units(fixed, per_firm, wanted);
    if (n == 0) {
      ctx.report(0, wanted, SkipReason::budget, 0);
      return;
    }
    attendees.resize(n);
    const double cash = fixed + per_firm * n;
    ctx.commit_cash(cash);
    const double hours = ctx.param("hours");
    ctx.use_available_hours(hours);

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
    ctx.report(n, wanted - n, SkipReason::budget, cash);
  }
};
}  // namespace

std::unique_ptr<Intervention> make_study_trip(const InterventionSpec&) {
  return std::make_unique<StudyTrip>();
}

}  // namespace klynge
