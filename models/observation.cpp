#include "models/observation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "models/communities.hpp"
#include "models/graph.hpp"

namespace klynge {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void set(std::vector<double>& row, Metric m, double value) {
  row[metric_index(m)] = value;
}

Graph collaboration_graph(const World& world) {
  std::vector<std::pair<int, int>> edges;
  for (const Tie& t : world.ties)
    if (t.alive && t.trust >= world.params->collab_trust) edges.push_back({t.a, t.b});
  return Graph::from_edges(world.firm_count, edges);
}

// Detects communities, matches their colours to the previous detection's and records the
// qualifying clusters. Returns the detection's modularity, cluster count and largest size.
void detect_clusters(World& world, const Graph& graph, std::vector<double>& row) {
  const ModelParameters& p = *world.params;
  // Trust-weighted Louvain (model.md v2.5 decisions): each arc weighs its tie's trust in integer
  // steps of 1/scale, scale 100 unless the total weight would pass 2^31 (huge graphs).
  const std::size_t arcs = 2 * graph.edge_count();
  const double scale =
      arcs == 0 ? 100.0
                : std::clamp(std::floor(2147483647.0 / static_cast<double>(arcs)), 1.0, 100.0);
  std::vector<std::int32_t> arc_weight;
  arc_weight.reserve(arcs);
  for (int u = 0; u < graph.node_count(); ++u)
    for (int v : graph.neighbours(u)) {
      const double trust = world.ties[static_cast<std::size_t>(world.find_tie(u, v))].trust;
      arc_weight.push_back(
          std::max<std::int32_t>(1, static_cast<std::int32_t>(std::lround(trust * scale))));
    }
  const Communities found = detect_communities(graph, arc_weight, world.streams, world.step);
  // The cluster test's "successful joint project": a joint success, or an interview partner
  // relation (it starts with joint_projects = 1), so clusters can exist at row 0.
  std::vector<std::vector<int>> teams;
  for (const Tie& t : world.ties)
    if (t.alive && (t.joint_successes > 0 || t.partner_at_start)) teams.push_back({t.a, t.b});
  const auto flags = joint_success_flags(found.label, found.count, teams);
  const auto clusters =
      qualifying_clusters(graph, found.label, found.count, static_cast<int>(p.cluster_min_size),
                          p.cluster_min_density, flags);
  // Colours: only qualifying clusters carry a label; other firms get -1.
  std::vector<int> community_of_cluster(found.count, -1);
  for (const auto& c : clusters) community_of_cluster[c.community] = c.community;
  std::vector<int> current(world.firm_count, -1);
  for (int f = 0; f < world.firm_count; ++f)
    if (found.label[f] >= 0 && community_of_cluster[found.label[f]] >= 0)
      current[f] = found.label[f];
  const std::vector<int> colour =
      match_labels(world.cluster_label, current, world.next_cluster_label);
  for (int f = 0; f < world.firm_count; ++f)
    world.cluster_label[f] = current[f] >= 0 ? colour[current[f]] : -1;
  world.latest_clusters.clear();
  for (const auto& c : clusters) world.latest_clusters.push_back(colour[c.community]);
  world.last_detection_step = world.step;
  set(row, Metric::modularity, found.modularity);
  set(row, Metric::clusters, static_cast<double>(clusters.size()));
  set(row, Metric::largest_cluster_size, clusters.empty() ? 0.0 : clusters.front().size);
}

}  // namespace

void observe(World& world, bool detect, std::vector<double>& row, std::vector<float>* firm_row) {
  row.assign(kMetricCount, kNaN);
  const ModelParameters& p = *world.params;
  double participant_revenue = 0, participant_employees = 0, other_revenue = 0, other_employees = 0,
         project_book = 0, capability = 0;
  int participants = 0, enrolled = 0, mapped = 0;
  double absorptive = 0;
  for (int f = 0; f < world.firm_count; ++f) {
    const double book = world.project_book(f);
    if (world.participant[f]) {
      participant_revenue += world.base_revenue[f] + book;
      participant_employees += world.employees[f];
      project_book += book;
      capability += world.mean_capability(f);
      ++participants;
      enrolled += world.enrolled[f] ? 1 : 0;
      mapped += world.mapped[f] ? 1 : 0;
      absorptive += world.absorptive[f];
    } else {
      other_revenue += world.base_revenue[f] + book;
      other_employees += world.employees[f];
    }
  }
  set(row, Metric::participant_revenue_mdkk, participant_revenue);
  set(row, Metric::participant_employees, participant_employees);
  set(row, Metric::nonparticipant_revenue_mdkk, other_revenue);
  set(row, Metric::nonparticipant_employees, other_employees);
  // Value added is a fixed share of revenue (model.md v2.5): a measurement, not a mechanism.
  set(row, Metric::participant_value_added_mdkk, p.value_added_share * participant_revenue);
  set(row, Metric::nonparticipant_value_added_mdkk, p.value_added_share * other_revenue);
  set(row, Metric::project_revenue_mdkk, project_book);
  set(row, Metric::participants_enrolled, enrolled);
  set(row, Metric::participant_mean_capability, participants ? capability / participants : kNaN);
  set(row, Metric::participants_mapped, mapped);
  set(row, Metric::participant_mean_absorptive, participants ? absorptive / participants : kNaN);
  double competence = 0;
  for (const auto& facilitator : world.facilitators) competence += facilitator.competence;
  set(row, Metric::facilitator_competence,
      world.facilitators.empty() ? kNaN
                                 : competence / static_cast<double>(world.facilitators.size()));
  set(row, Metric::cluster_organisations, world.live_organisations());
  set(row, Metric::introductions_accepted, world.introductions_accepted);

  int partner = 0, knowledge = 0, trade = 0, live = 0;
  double trust = 0;
  std::vector<char> new_partner(world.firm_count, 0);
  for (const Tie& t : world.ties) {
    if (!t.alive) continue;
    ++live;
    trust += t.trust;
    const auto type = t.type();
    trade += type == 0;
    partner += type == 1;
    knowledge += type == 2;
    if (type == 1 && !t.partner_at_start) new_partner[t.a] = new_partner[t.b] = 1;
  }
  set(row, Metric::ties_partner, partner);
  set(row, Metric::ties_knowledge, knowledge);
  set(row, Metric::ties_trade, trade);
  set(row, Metric::mean_trust, live ? trust / live : kNaN);
  int new_partner_participants = 0;
  for (int f = 0; f < world.firm_count; ++f)
    new_partner_participants += world.participant[f] && new_partner[f];
  set(row, Metric::participant_new_partner_share,
      participants ? static_cast<double>(new_partner_participants) / participants : kNaN);

  const Graph graph = collaboration_graph(world);
  const GraphSummary summary = summarize(graph);
  set(row, Metric::density, summary.density);
  set(row, Metric::mean_degree, summary.mean_degree);
  set(row, Metric::clustering_coefficient, summary.transitivity);
  set(row, Metric::components, summary.components);
  set(row, Metric::largest_component_share, summary.largest_component_share);
  set(row, Metric::participant_density, density_among(graph, world.participant));
  set(row, Metric::participant_largest_component_share,
      largest_component_share_among(graph, world.participant));
  set(row, Metric::participant_degree_cv, degree_cv_among(graph, world.participant));
  if (detect) detect_clusters(world, graph, row);
  set(row, Metric::strategic_networks, static_cast<double>(world.strategic_networks.size()));

  const StepCounters& c = world.counters;
  set(row, Metric::opportunities_arrived, c.opportunities_arrived);
  set(row, Metric::bids, c.bids);
  set(row, Metric::projects_won, c.projects_won);
  set(row, Metric::projects_succeeded, c.projects_succeeded);
  set(row, Metric::projects_failed, c.projects_failed);
  set(row, Metric::participant_bids, c.participant_bids);
  set(row, Metric::joint_bids, c.joint_bids);
  set(row, Metric::participant_export_projects_won, c.participant_export_projects_won);
  set(row, Metric::local_win_value_share,
      c.arrived_value > 0 ? c.won_value / c.arrived_value : kNaN);
  set(row, Metric::staff_hours_used, world.ledger.hours_used_this_step);
  set(row, Metric::staff_hours_shortfall, world.ledger.hours_shortfall_this_step);
  set(row, Metric::cash_dkk_cumulative, world.ledger.cash_spent);
  set(row, Metric::cost_dkk_cumulative,
      world.ledger.cash_spent + world.ledger.staff_hours_used_total * p.staff_hour_dkk);

  if (firm_row) {
    firm_row->resize(static_cast<std::size_t>(world.firm_count) * kFirmVariableCount);
    for (int f = 0; f < world.firm_count; ++f) {
      float* out = firm_row->data() + static_cast<std::size_t>(f) * kFirmVariableCount;
      out[0] = static_cast<float>(world.revenue(f));
      out[1] = static_cast<float>(world.employees[f]);
      out[2] = static_cast<float>(graph.degree(f));
      out[3] = static_cast<float>(world.cluster_label[f]);
    }
  }
}

}  // namespace klynge
