// Set-up at step 0: the model's formulas for a firm's initial state and for the interview
// relations as ties (docs/model.md, "Initial state"). build_world (sim/run/simulation.cpp) sizes
// the World's columns and calls these; the formulas live here only.
#include <algorithm>

#include "models/mechanisms.hpp"
#include "sim/core/projection.hpp"

namespace klynge {
namespace {

constexpr double kInitialReputation = 0.5;

}  // namespace

double trust_of_strength(int strength) {
  return 0.2 + 0.7 * (strength - 1) / 4.0;
}

double initial_motivation(double willingness) {
  return 0.3 + 0.7 * willingness;
}

void initialise_firms(World& w, const Population& population, bool recruiting) {
  const ModelParameters& p = *w.params;
  const int C = w.capability_count;
  for (int f = 0; f < w.firm_count; ++f) {
    const FirmRecord& r = population.firms[f];
    w.x_km[f] = projection::east_km(r.lon);
    w.y_km[f] = projection::north_km(r.lat);
    w.market_share[f] = r.market_share;
    w.export_share[f] = r.export_share;
    w.main_segment[f] = r.main_segment();
    w.participant[f] = r.participant;
    // A share of the revenue comes from projects: it starts as a full book of them.
    w.base_revenue[f] = (1 - p.project_share) * r.revenue_mdkk;
    for (int m = 0; m < 12; ++m) w.book_ring[f * 12 + m] = p.project_share * r.revenue_mdkk / 12;
    w.employees[f] = r.employees;
    w.productivity[f] = r.revenue_mdkk / r.employees;
    w.capacity[f] = p.capacity_factor * p.project_share * r.revenue_mdkk / 12;
    for (int c = 0; c < C; ++c) w.capability(f, c) = r.capabilities[c];
    w.willingness[f] = r.willingness;
    w.ambition[f] = r.ambition;
    w.absorptive[f] = r.absorptive;
    w.motivation[f] = initial_motivation(r.willingness);
    w.reputation[f] = kInitialReputation;
    w.solo_successes[f] = static_cast<int>(p.initial_track_record);
    // Participants start enrolled unless an intervention of the variant recruits them.
    w.enrolled[f] = r.participant && !recruiting;
  }
  w.initial_base_revenue = w.base_revenue;
  w.initial_capacity = w.capacity;
  w.initial_reputation = w.reputation;
  w.initial_mean_capability.resize(w.firm_count);
  for (int f = 0; f < w.firm_count; ++f) w.initial_mean_capability[f] = w.mean_capability(f);
}

void load_relations(World& w, const std::vector<RelationRecord>& relations) {
  for (const auto& rel : relations) {
    int tie = w.find_tie(rel.firm_a, rel.firm_b);
    if (tie < 0) tie = w.add_tie(rel.firm_a, rel.firm_b, trust_of_strength(rel.strength), 0);
    Tie& t = w.ties[tie];
    t.last_interaction = -1;  // loaded, not an interaction: interview ties decay from step 0
    t.trust = std::max(t.trust, trust_of_strength(rel.strength));
    if (rel.type == RelationType::supplier || rel.type == RelationType::customer) t.trade = true;
    if (rel.type == RelationType::partner) {
      t.joint_projects = std::max(t.joint_projects, 1);
      t.partner_at_start = true;
    }
  }
}

}  // namespace klynge
