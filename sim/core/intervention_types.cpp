#include "sim/core/intervention_types.hpp"

namespace klynge {
namespace {
constexpr double kBig = 1e12;

// Cost keys every intervention accepts; the type's own defaults override these zeros.
std::vector<InterventionParamSpec> with_costs(std::vector<InterventionParamSpec> own, double fixed,
                                              double per_firm, double monthly, double per_cluster) {
  std::vector<InterventionParamSpec> all = {
      {"fixed_dkk", fixed, "DKK", 0, kBig, false,
       "cash per run of an action; once at the start of a modifier's window"},
      {"per_firm_dkk", per_firm, "DKK", 0, kBig, false, "cash per firm reached, once per run"},
      {"monthly_dkk", monthly, "DKK", 0, kBig, false, "cash per active month of a modifier"},
      {"per_cluster_dkk", per_cluster, "DKK", 0, kBig, false, "cash per cluster organised"},
  };
  all.insert(all.end(), own.begin(), own.end());
  return all;
}
}  // namespace

const std::vector<InterventionTypeSpec>& intervention_type_table() {
  // clang-format off
  static const std::vector<InterventionTypeSpec> table = {
    {"recruitment", InterventionKind::action, "business service selects and motivates firms",
     "contact unenrolled target firms; each enrols with probability willingness x (0.5 + 0.5 x competence)",
     with_costs({{"firms_per_month", 5, "firms", 0, 1e6, true, "firms contacted per run"},
                 {"hours_per_firm", 3, "hours", 0, 1000, false, "staff hours per contact"}},
                0, 2000, 0, 0), true},
    {"interviews", InterventionKind::action, "1: map the firms",
     "interview enrolled, unmapped targets: mapped, motivation up, dev opportunities activated; hours per firm 8 / (0.5 + competence)",
     with_costs({{"firms_per_month", 5, "firms", 0, 1e6, true, "firms interviewed per run"},
                 {"motivation_gain", 0.1, "1", 0, 1, false, "motivation gain of an interviewed firm"}},
                0, 10000, 0, 0)},
    {"opportunity_scan", InterventionKind::modifier, "2: identify business opportunities",
     "points mapped enrolled firms to opportunities their estimated capabilities cover",
     with_costs({{"hours_per_month", 10, "hours", 0, 10000, false, "staff hours per active month"}},
                0, 0, 20000, 0)},
    {"matchmaking", InterventionKind::action_and_modifier, "3: network activities",
     "a facilitator introduces mapped firms with unmet needs to complementary mapped firms; proposals enter consortium formation",
     with_costs({{"introductions_per_month", 4, "introductions", 0, 1e6, true, "introductions per run"},
                 {"hours_per_introduction", 4, "hours", 0, 1000, false, "staff hours per introduction"}},
                0, 0, 0, 0)},
    {"network_meeting", InterventionKind::action, "3: network activities",
     "enrolled targets attend with probability motivation and meet other attendees",
     with_costs({{"contacts", 3, "encounters", 0, 1000, true, "encounters per attendee"},
                 {"trust_gain", 0.1, "trust", 0, 1, false, "trust gain of an existing tie met again"},
                 {"hours", 8, "hours", 0, 10000, false, "staff hours per meeting"}},
                40000, 1500, 0, 0)},
    {"joint_development", InterventionKind::modifier, "3: development activities",
     "consortia with >= 2 enrolled members: lower bid threshold, success bonus, development boost, subsidy",
     with_costs({{"subsidy_share", 0.3, "1", 0, 1, false, "share of the development cost subsidised"},
                 {"development_cost_share", 0.1, "1", 0, 10, false, "development cost as a share of the won value"},
                 {"max_subsidy_dkk", 100000, "DKK", 0, kBig, false, "largest subsidy per project"}},
                0, 0, 0, 0)},
    {"study_trip", InterventionKind::action, "3: development activities",
     "enrolled targets travel together: absorptive capacity and ambition up, ties among attendees",
     with_costs({{"max_attendees", 12, "firms", 0, 1e6, true, "largest group"},
                 {"absorptive_gain", 0.1, "1", 0, 1, false, "absorptive capacity gain"},
                 {"ambition_gain", 0.05, "1", 0, 1, false, "ambition gain"},
                 {"tie_trust", 0.25, "trust", 0, 1, false, "trust of a new tie among attendees"},
                 {"trust_gain", 0.15, "trust", 0, 1, false, "trust gain of an existing tie among attendees"},
                 {"hours", 24, "hours", 0, 10000, false, "staff hours per trip"}},
                0, 25000, 0, 0)},
    {"staff_training", InterventionKind::action, "goal: staff cluster competences",
     "raises facilitator competence",
     with_costs({{"competence_gain", 0.1, "1", 0, 1, false, "competence gain per training"},
                 {"competence_cap", 0.95, "1", 0, 1, false, "highest competence"},
                 {"hours_per_facilitator", 16, "hours", 0, 1000, false, "staff hours per facilitator"}},
                60000, 0, 0, 0)},
    {"value_chain_linkage", InterventionKind::modifier, "Genoff's global value chain work",
     "targets see export opportunities (relevance at least 0.2) with boosted awareness",
     with_costs({{"hours_per_month", 0, "hours", 0, 10000, false, "staff hours per active month"}},
                150000, 10000, 0, 0)},
    {"cluster_strategy", InterventionKind::action, "4: cluster strategy",
     "clusters with >= min_enrolled enrolled members become cluster organisations, largest first, as the budget allows",
     with_costs({{"min_enrolled", 3, "firms", 1, 1e6, true, "enrolled members a cluster needs"},
                 {"reputation_gain", 0.05, "1", 0, 1, false, "reputation gain of members"},
                 {"hours_per_cluster", 20, "hours", 0, 10000, false, "staff hours per cluster organised"},
                 {"fund_months", 12, "months", 0, 1200, true, "months an organisation is funded from the set-up month on (its boosts are guaranteed while funded)"},
                 {"monthly_per_cluster_dkk", 10000, "DKK", 0, kBig, false, "cash per organisation per funded month (a part-time cluster manager); the first month is paid with the set-up"}},
                0, 0, 0, 250000)},
  };
  // clang-format on
  return table;
}

const InterventionTypeSpec* find_intervention_type(const std::string& type) {
  for (const auto& spec : intervention_type_table())
    if (type == spec.type) return &spec;
  return nullptr;
}

const char* to_string(InterventionKind kind) {
  switch (kind) {
    case InterventionKind::action:
      return "action";
    case InterventionKind::modifier:
      return "modifier";
    case InterventionKind::action_and_modifier:
      return "action + modifier";
  }
  return "?";
}

}  // namespace klynge
