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
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct NetworkMeetingParams : InterventionCosts {  // defaults: declared_params()
  int contacts;
  double trust_gain;
  double hours;
};

const ParamDeclaration<NetworkMeetingParams>& declared_params() {
  static const ParamDeclaration<NetworkMeetingParams> declared = [] {
    ParamDeclaration<NetworkMeetingParams> d(40000, 1500, 0, 0);
    d.integer("contacts", &NetworkMeetingParams::contacts, 3, "encounters", 0, 1000,
              "encounters per attendee");
    d.real("trust_gain", &NetworkMeetingParams::trust_gain, 0.1, "trust", 0, 1,
           "trust gain of an existing tie met again");
    d.real("hours", &NetworkMeetingParams::hours, 8, "hours", 0, 10000, "staff hours per meeting");
    return d;
  }();
  return declared;
}

constexpr std::uint64_t kAttendDraw = 0;
constexpr std::uint64_t kEncounterDraw = 1;

class NetworkMeeting final : public Intervention {
 public:
  explicit NetworkMeeting(const NetworkMeetingParams& p) : Intervention(kAct), p_(p) {}

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<int> attendees;
    for (int f : ctx.targets(true))
      if (ctx.rng(f, kAttendDraw).bernoulli(w.motivation[f])) attendees.push_back(f);
    // Attendees are paid in order as the cash allows; the event's hours are fixed.
    const PaidUnits paid = ctx.pay_event(attendees, p_.fixed_dkk, p_.per_firm_dkk, p_.hours);
    if (paid.units == 0) return;

    for (int f : attendees) w.contact(f);
    const int contacts = p_.contacts;
    const double new_trust = w.params->new_tie_trust;
    const double gain = p_.trust_gain;
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

 private:
  NetworkMeetingParams p_;
};
}  // namespace

const InterventionType& network_meeting_type() {
  static const InterventionType type{
      {"network_meeting", InterventionKind::action, "3: network activities",
       "enrolled targets attend with probability motivation and meet other attendees",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<NetworkMeeting>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
