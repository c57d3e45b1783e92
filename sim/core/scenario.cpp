// The scalar keys of the scenario sections, declared once (section_declaration.hpp): each row
// is the key's only declaration, so its default, range, unit and help cannot disagree between
// the structs, the loader, `validate --resolved` and docs/scenario-keys.md.
#include "sim/core/scenario.hpp"

namespace klynge {

const SectionDeclaration<Facilitators>& facilitators_declaration() {
  using F = Facilitators;
  static const SectionDeclaration<F> declared = [] {
    SectionDeclaration<F> d("facilitators");
    d.integer("count", &F::count, 2, "people", 0, 1000, "number of facilitators");
    d.real("hours_per_month", &F::hours_per_month, 60, "hours/month", 0, 744,
           "programme hours per facilitator and month; unused hours are lost");
    d.real("competence", &F::competence, 0.4, "1", 0, 1,
           "competence of the facilitators: interview time, estimate quality, matchmaking "
           "breadth and trust, recruitment");
    return d;
  }();
  return declared;
}

const SectionDeclaration<Outputs>& outputs_declaration() {
  using O = Outputs;
  static const SectionDeclaration<O> declared = [] {
    SectionDeclaration<O> d("outputs");
    d.boolean("firm_trajectories", &O::firm_trajectories, true,
              "per-firm trajectories for the detail replicates");
    d.boolean("events", &O::events, true, "the event table for the detail replicates");
    d.boolean("ties", &O::ties, true,
              "the tie list with trust at every step for the detail replicates");
    d.integer("detail_replicates", &O::detail_replicates, 3, "replicates", 0, 1e6,
              "how many replicates (the first ones, at most `replicates`) get the detailed "
              "outputs");
    return d;
  }();
  return declared;
}

const SectionDeclaration<SyntheticFirms>& synthetic_declaration() {
  using S = SyntheticFirms;
  static const SectionDeclaration<S> declared = [] {
    SectionDeclaration<S> d("population.synthetic");
    d.integer("firms", &S::firms, 0, "firms", 0, 1e6,
              "number of synthetic firms added to the interviewed ones (all the firms, without "
              "`firms`)");
    d.integer("participants", &S::participants, 0, "firms", 0, 1e6,
              "how many of the synthetic firms are in the programme's target group, like "
              "`participant` = yes in the interview data: the first ones drawn (S000001, …), a "
              "random sample; at most `firms`");
    return d;
  }();
  return declared;
}

Facilitators Facilitators::defaults() {
  return facilitators_declaration().defaults();
}

Outputs Outputs::defaults() {
  return outputs_declaration().defaults();
}

SyntheticFirms SyntheticFirms::defaults() {
  return synthetic_declaration().defaults();
}

}  // namespace klynge
