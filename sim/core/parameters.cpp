#include "sim/core/parameters.hpp"

#include <limits>

namespace klynge {
namespace {
using P = ModelParameters;
}  // namespace

const std::vector<ParamSpec>& model_parameter_table() {
  // clang-format off
  static const std::vector<ParamSpec> table = {
    // key, field, default, unit, min, max, integer, measurement, help
    {"project_share", &P::project_share, 0.25, "1", 0, 0.9, false, false, "share of a firm's revenue that comes from the project market (the rest is base revenue)"},
    {"local_win_share", &P::local_win_share, 0.55, "1", 0.05, 1, false, false, "share of the project market's value the simulated firms win without a programme; sizes demand"},
    {"external_score", &P::external_score, 3.0, "1", -20, 20, false, false, "award score of the external competitor (calibrated so local firms win about local_win_share)"},
    {"aware_mean", &P::aware_mean, 7, "firms", 0, 1000, false, false, "mean number of firms that notice an opportunity (Poisson)"},
    {"value_median_food", &P::value_median_food, 1.0, "mDKK", 0.001, 1e6, false, false, "median opportunity value, food segment"},
    {"value_median_energy_environment", &P::value_median_energy_environment, 1.5, "mDKK", 0.001, 1e6, false, false, "median opportunity value, energy/environment segment"},
    {"value_median_other", &P::value_median_other, 0.8, "mDKK", 0.001, 1e6, false, false, "median opportunity value, other domestic segment"},
    {"value_median_export", &P::value_median_export, 6.0, "mDKK", 0.001, 1e6, false, false, "median opportunity value, export (value-chain contracts)"},
    {"value_sigma", &P::value_sigma, 0.8, "1", 0, 5, false, false, "log-normal sigma of opportunity values"},
    {"duration_min", &P::duration_min, 3, "months", 1, 120, true, false, "shortest domestic project"},
    {"duration_max", &P::duration_max, 12, "months", 1, 120, true, false, "longest domestic project"},
    {"export_duration_min", &P::export_duration_min, 6, "months", 1, 120, true, false, "shortest export project"},
    {"export_duration_max", &P::export_duration_max, 18, "months", 1, 120, true, false, "longest export project"},
    {"requirement_min_level_low", &P::requirement_min_level_low, 0.3, "level", 0, 1, false, false, "lower bound of a requirement's minimum capability level"},
    {"requirement_min_level_high", &P::requirement_min_level_high, 0.8, "level", 0, 1, false, false, "upper bound of a requirement's minimum capability level"},
    {"lead_min_coverage", &P::lead_min_coverage, 0.5, "1", 0, 1, false, false, "share of requirements a lead must cover itself"},
    {"partner_min_trust", &P::partner_min_trust, 0.3, "trust", 0, 1, false, false, "trust a tie needs before its firms bid together"},
    {"proposal_months", &P::proposal_months, 2, "months", 1, 1e6, true, false, "months after an accepted introduction during which the facilitator's proposal is a partner route in consortium formation (afterwards the pair needs its own trust)"},
    {"two_step_probability", &P::two_step_probability, 0.1, "1", 0, 1, false, false, "factor on the product of trusts for reaching a two-step contact"},
    {"cluster_member_trust", &P::cluster_member_trust, 0.3, "trust", 0, 1, false, false, "effective trust between co-members of a cluster organisation"},
    {"max_consortium_size", &P::max_consortium_size, 5, "firms", 1, 20, true, false, "largest consortium"},
    {"bid_min_coverage", &P::bid_min_coverage, 0.8, "1", 0, 1, false, false, "coverage a bid needs"},
    {"bid_min_coverage_joint", &P::bid_min_coverage_joint, 0.65, "1", 0, 1, false, false, "coverage a bid needs under joint_development (>= 2 enrolled members)"},
    {"score_coverage", &P::score_coverage, 2, "1", -100, 100, false, false, "award score weight of coverage"},
    {"score_coordination", &P::score_coordination, 1, "1", -100, 100, false, false, "award score weight of coordination (mean pair trust; 1 alone)"},
    {"score_experience", &P::score_experience, 1, "1", -100, 100, false, false, "award score weight of experience"},
    {"score_reputation", &P::score_reputation, 1, "1", -100, 100, false, false, "award score weight of reputation"},
    {"capacity_factor", &P::capacity_factor, 1.5, "1", 0, 100, false, false, "project revenue a firm can carry per month, as a multiple of its usual monthly project revenue (project_share x revenue / 12)"},
    {"initial_track_record", &P::initial_track_record, 4, "projects", 0, 1000, true, false, "successful solo projects each firm has behind it at step 0 (warm start of experience)"},
    {"experience_scale", &P::experience_scale, 1, "projects", 0.001, 1000, false, false, "experience = 1 - exp(-n / experience_scale)"},
    {"monthly_payment_share", &P::monthly_payment_share, 0.75, "1", 0, 1, false, false, "share of a project's value paid monthly; the rest is paid on success"},
    {"project_trust_gain", &P::project_trust_gain, 0.006, "1/month", 0, 1, false, false, "monthly trust gain between project members: trust += rate x (1 - trust)"},
    {"award_tie_trust", &P::award_tie_trust, 0.15, "trust", 0, 1, false, false, "trust of a tie created between consortium members at award"},
    {"learning_rate", &P::learning_rate, 0.01, "1", 0, 1, false, false, "capability learning in projects (per project, spread over its duration)"},
    {"success_intercept", &P::success_intercept, -1, "logit", -20, 20, false, false, "project success: intercept"},
    {"success_margin", &P::success_margin, 3, "logit", -20, 20, false, false, "project success: weight of the capability margin"},
    {"success_coordination", &P::success_coordination, 2, "logit", -20, 20, false, false, "project success: weight of coordination"},
    {"success_experience", &P::success_experience, 1, "logit", -20, 20, false, false, "project success: weight of experience"},
    {"success_subsidised", &P::success_subsidised, 0.5, "logit", -20, 20, false, false, "project success: bonus under joint_development"},
    {"success_trust_gain", &P::success_trust_gain, 0.04, "trust", 0, 1, false, false, "trust gain on every member pair after a success"},
    {"success_reputation_gain", &P::success_reputation_gain, 0.05, "1", 0, 1, false, false, "reputation gain after a success"},
    {"success_motivation_gain", &P::success_motivation_gain, 0.05, "1", 0, 1, false, false, "motivation gain after a success"},
    {"failure_trust_loss", &P::failure_trust_loss, 0.15, "trust", 0, 1, false, false, "trust loss on every member pair after a failure"},
    {"failure_reputation_loss", &P::failure_reputation_loss, 0.05, "1", 0, 1, false, false, "reputation loss after a failure"},
    {"failure_motivation_loss", &P::failure_motivation_loss, 0.1, "1", 0, 1, false, false, "motivation loss after a failure"},
    {"encounter_rate", &P::encounter_rate, 0.1, "1/month", 0, 100, false, false, "spontaneous encounters: Poisson mean x willingness x sqrt(employees/100)"},
    {"encounter_distance_km", &P::encounter_distance_km, 30, "km", 0.001, 1e5, false, false, "distance decay scale of encounters: weight exp(-d / scale)"},
    {"new_tie_trust", &P::new_tie_trust, 0.15, "trust", 0, 1, false, false, "trust of a tie formed by an encounter"},
    {"encounter_trust_gain", &P::encounter_trust_gain, 0.05, "trust", 0, 1, false, false, "trust gain of an existing tie on a new encounter"},
    {"closure_probability", &P::closure_probability, 0.05, "1/month", 0, 1, false, false, "chance per month that a firm introduces two of its trusted ties to each other"},
    {"closure_min_trust", &P::closure_min_trust, 0.5, "trust", 0, 1, false, false, "trust both ties need for triadic closure"},
    {"closure_tie_trust", &P::closure_tie_trust, 0.2, "trust", 0, 1, false, false, "trust of a tie formed by triadic closure"},
    {"spillover_rate", &P::spillover_rate, 0.003, "1/month", 0, 1, false, false, "knowledge spill-over over collaboration ties"},
    {"development_rate", &P::development_rate, 0.02, "1/month", 0, 1, false, false, "chance per month (x ambition x boosts) of a capability upgrade"},
    {"development_step", &P::development_step, 0.1, "level", 0, 1, false, false, "size of a capability upgrade"},
    {"development_boost_interview", &P::development_boost_interview, 2, "1", 0, 100, false, false, "development boost once dev opportunities are activated by an interview"},
    {"development_boost_interview_months", &P::development_boost_interview_months, 12, "months", 0, 1e6, false, false, "how long the interview's development boost lasts (the activated opportunities are pursued, then the firm is back to its own pace)"},
    {"development_boost_joint", &P::development_boost_joint, 1.5, "1", 0, 100, false, false, "development boost under joint_development or after a study trip"},
    {"study_trip_boost_months", &P::study_trip_boost_months, 6, "months", 0, 120, true, false, "how long a study trip boosts development"},
    {"growth_sigma", &P::growth_sigma, 0.10, "1/sqrt(year)", 0, 2, false, false, "volatility of base revenue"},
    {"drift_food", &P::drift_food, 0.02, "1/year", -1, 1, false, false, "annual market drift, food"},
    {"drift_energy_environment", &P::drift_energy_environment, 0.05, "1/year", -1, 1, false, false, "annual market drift, energy/environment"},
    {"drift_other", &P::drift_other, 0.01, "1/year", -1, 1, false, false, "annual market drift, other"},
    {"drift_export", &P::drift_export, 0.04, "1/year", -1, 1, false, false, "annual market drift, export"},
    {"growth_capability_coef", &P::growth_capability_coef, 0.02, "1/year", -10, 10, false, false, "growth per unit of mean capability gained since the start"},
    {"growth_reputation_coef", &P::growth_reputation_coef, 0.02, "1/year", -10, 10, false, false, "growth per unit of reputation gained since the start"},
    {"employee_adjustment", &P::employee_adjustment, 0.1, "1/month", 0, 1, false, false, "share of the gap to revenue/productivity closed by employment each month"},
    {"decay_rate", &P::decay_rate, 0.2, "1/month", 0, 1, false, false, "trust decay of an idle tie: delta = rate / (1 + 2 joint_projects) / (1 + age/12)"},
    {"decay_age_cap_months", &P::decay_age_cap_months, 1e6, "months", 0, 1e6, false, false, "a tie's age counts in the decay formula up to this many months (bounds how slowly old ties decay)"},
    {"relational_capacity", &P::relational_capacity, 1e6, "ties", 0, 1e6, false, false, "working ties (trust >= partner_min_trust) a firm of 100 employees can maintain, scaling with sqrt(employees/100) (at least 1); beyond it its weakest idle ones decay at the full decay_rate"},
    {"dissolve_trust", &P::dissolve_trust, 0.05, "trust", 0, 1, false, false, "non-trade ties below this dissolve"},
    {"trade_trust_floor", &P::trade_trust_floor, 0.1, "trust", 0, 1, false, false, "trade ties never decay below this"},
    {"motivation_decay", &P::motivation_decay, 0.01, "1/month", 0, 1, false, false, "monthly motivation loss of enrolled firms without programme contact"},
    {"unenrol_motivation", &P::unenrol_motivation, 0.1, "1", 0, 1, false, false, "enrolled firms below this motivation un-enrol"},
    {"reputation_reversion", &P::reputation_reversion, 0.3, "1/month", 0, 1, false, false, "each month, before growth, reputation += rate x (0.5 - reputation): reputation is a recent track record"},
    {"cluster_idle_months", &P::cluster_idle_months, 2, "months", 1, 1200, true, false, "an unfunded cluster organisation dissolves after this many months without a successful project of >= 2 of its members"},
    {"cluster_awareness_factor", &P::cluster_awareness_factor, 0.25, "1", 0, 100, false, false, "cluster-organisation members see an opportunity with this factor x their base inclusion chance"},
    {"value_chain_awareness_factor", &P::value_chain_awareness_factor, 3, "1", 0, 100, false, false, "value_chain_linkage targets see export opportunities with this factor x their chance"},
    {"scan_min_coverage", &P::scan_min_coverage, 0.6, "1", 0, 1, false, false, "estimated coverage an opportunity scan needs to point a firm to an opportunity"},
    {"scan_reach", &P::scan_reach, 0.03, "1", 0, 1, false, false, "share of the fitting opportunities a month of scanning points out: a fitting firm is alerted with probability scan_reach x (0.5 + 0.5 x competence)"},
    {"collab_trust", &P::collab_trust, 0.3, "trust", 0, 1, false, true, "ties at or above this trust form the collaboration graph (measurement)"},
    {"cluster_every", &P::cluster_every, 1, "steps", 1, 10000, true, true, "community detection every k steps (always on the last step)"},
    {"cluster_min_size", &P::cluster_min_size, 3, "firms", 2, 1e6, true, true, "smallest community that counts as a cluster"},
    {"cluster_min_density", &P::cluster_min_density, 0.3, "1", 0, 1, false, true, "internal density a cluster needs"},
    {"strategic_min_size", &P::strategic_min_size, 3, "firms", 2, 20, true, true, "smallest set of firms that counts as a strategic network"},
    {"staff_hour_dkk", &P::staff_hour_dkk, 600, "DKK/hour", 0, 1e6, false, false, "price of a staff hour in cost figures"},
    {"value_added_share", &P::value_added_share, 0.30, "1", 0, 1, false, true, "value added as a share of revenue (Danish fabricated-metal manufacturing: about 0.3); converts revenue to the value-added metrics and compare's value added per DKK (measurement)"},
  };
  // clang-format on
  return table;
}

ModelParameters ModelParameters::defaults() {
  ModelParameters p{};
  for (const auto& spec : model_parameter_table()) p.*spec.field = spec.default_value;
  return p;
}

const ParamSpec* find_model_parameter(const std::string& key) {
  for (const auto& spec : model_parameter_table())
    if (key == spec.key) return &spec;
  return nullptr;
}

}  // namespace klynge
