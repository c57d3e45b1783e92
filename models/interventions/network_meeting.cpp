// network_meeting (action, seed phase 3 "network activities"): enrolled target firms attend with
// probability motivation (a keyed draw per firm); the meeting costs `fixed_dkk` plus
// `per_firm_dkk` per attendee and `hours` staff hours. Attendees are paid in firm order as the
// cash allows (the others are skipped). Each paid attendee, in firm order, has `contacts`
// encounters with distinct other paid attendees (a keyed sample without replacement): a new tie
// starts at the model's new_tie_trust (0.15), an existing one gains `trust_gain`.
//
// Decisions: without attendees the meeting does not take place (no cash, an
// intervention_skipped event with reason no_eligible_firms); staff hours do not cancel a meeting
// (the hours left are used, the rest is recorded as a shortfall). Only attendees count as
// contacted.
#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <memory>

#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
constexpr std::uint64_t kAttendDraw = 0;
constexpr std::uint64_t kEncounterDraw = 1;

class NetworkMeeting final : public Intervention {
 public:
  NetworkMeeting() : Intervention(kAct) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<int> attendees;
    for (int f : ctx.targets(true))
      if (ctx.rng(f, kAttendDraw).bernoulli(w.motivation[f])) attendees.push_back(f);
    const int wanted = static_cast<int>(attendees.size());
    // Attendees are paid in order as the cash allows; the event's hours are fixed.
    const PaidUnits paid =
        ctx.pay_units(wanted, ctx.param("fixed_dkk"), ctx.param("per_firm_dkk"), 0.0);
    if (paid.units == 0) return;
    attendees.resize(paid.units);
    ctx.use_available_hours(ctx.param("hours"));

    for (int f : attendees) w.contact(f);
    const int contacts = static_cast<int>(ctx.param("contacts"));
    const double new_trust = w.params->new_tie_trust;
    const double gain = ctx.param("trust_gain");
    for (int f : attendees) {
      std::vector<int> others;
      for (int g : attendees)
        if (g != f) others.push_back(g);
      KeyedRng rng = ctx.rng(f, kEncounterDraw);
      const int m = std::min(contacts, static_cast<int>(others.size()));
      for (int k = 0; k < m; ++k) {
        boost::random::uniform_int_distribution<int> pick(k, static_cast<int>(others.size()) - 1);
        std::swap(others[k], others[pick(rng)]);
        w.meet(f, others[k], new_trust, gain);
      }
    }
    ctx.report(paid);
  }
};
}  // namespace

std::unique_ptr<Intervention> make_network_meeting(const InterventionSpec&) {
  return std::make_unique<NetworkMeeting>();
}

}  // namespace klynge
