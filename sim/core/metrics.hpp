#pragma once
// The metric axis of every results file. Names are snake_case and stable: researchers' scripts
// depend on them. Append new metrics at the end; never rename or reorder.
#include <array>
#include <cstddef>

namespace klynge {

enum class Metric : int {
  participant_revenue_mdkk,
  participant_employees,
  nonparticipant_revenue_mdkk,
  nonparticipant_employees,
  ties_partner,
  ties_knowledge,
  ties_trade,
  mean_trust,
  density,
  participant_density,
  mean_degree,
  clustering_coefficient,
  components,
  largest_component_share,
  modularity,
  clusters,
  largest_cluster_size,
  strategic_networks,
  opportunities_arrived,
  bids,
  projects_won,
  projects_succeeded,
  projects_failed,
  project_revenue_mdkk,
  staff_hours_used,
  staff_hours_shortfall,
  cash_dkk_cumulative,
  cost_dkk_cumulative,
  participants_enrolled,
  participant_largest_component_share,
  participant_new_partner_share,
  participant_mean_capability,
  local_win_value_share,
  participant_degree_cv,
  participant_value_added_mdkk,
  nonparticipant_value_added_mdkk,
  cluster_organisations,
  participants_mapped,
  participant_bids,
  joint_bids,
  participant_mean_absorptive,
  facilitator_competence,
  introductions_accepted,
  participant_export_projects_won,
  count_  // keep last
};

inline constexpr std::size_t kMetricCount = static_cast<std::size_t>(Metric::count_);

struct MetricInfo {
  const char* name;
  const char* unit;
  const char* description;
};

// clang-format off
inline constexpr std::array<MetricInfo, kMetricCount> kMetricInfo = {{
  {"participant_revenue_mdkk", "mDKK/year", "target group's total revenue (base + trailing-12-month project book)"},
  {"participant_employees", "persons", "target group's total employees"},
  {"nonparticipant_revenue_mdkk", "mDKK/year", "total revenue of the other simulated firms"},
  {"nonparticipant_employees", "persons", "total employees of the other simulated firms"},
  {"ties_partner", "ties", "live ties whose type is partner (joint projects, no trade flag)"},
  {"ties_knowledge", "ties", "live ties whose type is knowledge"},
  {"ties_trade", "ties", "live ties flagged trade (interview supplier/customer)"},
  {"mean_trust", "trust", "mean trust over all live ties (NaN when none)"},
  {"density", "1", "collaboration graph density 2m/(n(n-1)) over all simulated firms"},
  {"participant_density", "1", "collaboration graph density among the target group"},
  {"mean_degree", "ties", "mean degree in the collaboration graph"},
  {"clustering_coefficient", "1", "transitivity (global clustering coefficient) of the collaboration graph"},
  {"components", "components", "connected components of the collaboration graph (isolates count)"},
  {"largest_component_share", "1", "largest component's share of all firms"},
  {"modularity", "1", "modularity of the detected communities (NaN between detections)"},
  {"clusters", "clusters", "communities that qualify as clusters (NaN between detections)"},
  {"largest_cluster_size", "firms", "size of the largest cluster (NaN between detections)"},
  {"strategic_networks", "networks", "distinct sets of >= 3 firms that completed a project together successfully (cumulative)"},
  {"opportunities_arrived", "opportunities/step", "opportunities that arrived this step"},
  {"bids", "bids/step", "bids made this step"},
  {"projects_won", "projects/step", "projects won by simulated firms this step"},
  {"projects_succeeded", "projects/step", "projects that ended successfully this step"},
  {"projects_failed", "projects/step", "projects that ended in failure this step"},
  {"project_revenue_mdkk", "mDKK/year", "target group's project book (trailing 12 months)"},
  {"staff_hours_used", "hours/step", "facilitator hours used this step"},
  {"staff_hours_shortfall", "hours/step", "facilitator hours work needed but did not get this step"},
  {"cash_dkk_cumulative", "DKK", "cash spent by the programme so far"},
  {"cost_dkk_cumulative", "DKK", "cash plus staff hours priced at staff_hour_dkk, so far"},
  {"participants_enrolled", "firms", "target firms enrolled in the programme"},
  {"participant_largest_component_share", "1", "largest component of the target group's collaboration graph, as a share of the group"},
  {"participant_new_partner_share", "1", "share of target firms holding a live partner tie that became one during the run"},
  {"participant_mean_capability", "level", "target group's mean capability level"},
  {"local_win_value_share", "1", "share of this step's arrived opportunity value won by simulated firms"},
  {"participant_degree_cv", "1", "coefficient of variation of degrees in the target group's collaboration graph (core and periphery)"},
  {"participant_value_added_mdkk", "mDKK/year", "target group's value added: value_added_share x participant_revenue_mdkk"},
  {"nonparticipant_value_added_mdkk", "mDKK/year", "value added of the other simulated firms: value_added_share x nonparticipant_revenue_mdkk"},
  {"cluster_organisations", "organisations", "live cluster organisations (funded, or unfunded and still working together)"},
  {"participants_mapped", "firms", "target firms in the facilitators' knowledge map (interviewed)"},
  {"participant_bids", "bids/step", "bids made this step by a lead or consortium with at least one target firm"},
  {"joint_bids", "bids/step", "bids made this step by consortia with >= 2 enrolled members (joint development's reach)"},
  {"participant_mean_absorptive", "1", "target group's mean absorptive capacity"},
  {"facilitator_competence", "1", "mean competence of the facilitators"},
  {"introductions_accepted", "introductions", "matchmaking introductions accepted so far (cumulative)"},
  {"participant_export_projects_won", "projects/step", "export projects won this step by bids with at least one target firm"},
}};
// clang-format on

inline constexpr int metric_index(Metric m) {
  return static_cast<int>(m);
}

// Per-firm trajectory variables (detail replicates) and final outcomes (every replicate).
enum class FirmVariable : int { revenue_mdkk, employees, degree, cluster, count_ };
inline constexpr std::size_t kFirmVariableCount = static_cast<std::size_t>(FirmVariable::count_);
inline constexpr std::array<MetricInfo, kFirmVariableCount> kFirmVariableInfo = {{
    {"revenue_mdkk", "mDKK/year", "firm revenue"},
    {"employees", "persons", "firm employees"},
    {"degree", "ties", "degree in the collaboration graph"},
    {"cluster", "label", "cluster label of the latest detection (-1: none)"},
}};

}  // namespace klynge
