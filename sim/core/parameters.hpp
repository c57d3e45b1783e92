#pragma once
// Model parameters: one declarative table (key, default, unit, range, help) drives YAML
// validation, the generated key reference (docs/scenario-keys.md), the resolved configuration
// stored in results files and `klynge validate --resolved`. Defaults come from model.md, with the
// calibrated changes recorded in docs/calibration.md.
#include <string>
#include <vector>

namespace klynge {

struct ModelParameters {
  // Market and projects
  double project_share, local_win_share, external_score, aware_mean;
  double value_median_food, value_median_energy_environment, value_median_other,
      value_median_export, value_sigma;
  double duration_min, duration_max, export_duration_min, export_duration_max;
  double requirement_min_level_low, requirement_min_level_high;
  // Consortia and award
  double lead_min_coverage, partner_min_trust, two_step_probability, cluster_member_trust,
      max_consortium_size, bid_min_coverage, bid_min_coverage_joint, initial_track_record,
      proposal_months;
  double score_coverage, score_coordination, score_experience, score_reputation, experience_scale;
  // Projects
  double monthly_payment_share, project_trust_gain, award_tie_trust, learning_rate;
  double success_intercept, success_margin, success_coordination, success_experience,
      success_subsidised;
  double success_trust_gain, success_reputation_gain, success_motivation_gain;
  double failure_trust_loss, failure_reputation_loss, failure_motivation_loss;
  // Network dynamics
  double encounter_rate, encounter_distance_km, new_tie_trust, encounter_trust_gain;
  double closure_probability, closure_min_trust, closure_tie_trust;
  double spillover_rate;
  double development_boost_interview_months;
  double development_rate, development_step, development_boost_interview, development_boost_joint,
      study_trip_boost_months;
  // Growth
  double growth_sigma, drift_food, drift_energy_environment, drift_other, drift_export;
  double growth_capability_coef, growth_reputation_coef, employee_adjustment;
  // Decay and engagement
  double decay_rate, dissolve_trust, trade_trust_floor, motivation_decay, unenrol_motivation;
  double decay_age_cap_months, relational_capacity, capacity_factor;
  // Reputation and cluster organisations (model.md v2.5)
  double reputation_reversion, cluster_idle_months;
  // Awareness boosts
  double cluster_awareness_factor, value_chain_awareness_factor, scan_min_coverage, scan_reach;
  // Measurement
  double collab_trust, cluster_every, cluster_min_size, cluster_min_density, strategic_min_size;
  // Costs and economics
  double staff_hour_dkk, value_added_share;

  // All defaults from the table.
  static ModelParameters defaults();
};

struct ParamSpec {
  const char* key;
  double ModelParameters::*field;
  double default_value;
  const char* unit;
  double min;
  double max;
  bool integer;
  // A measurement threshold: variants that differ in it stop being comparable (warning).
  bool measurement;
  const char* help;
};

// Every model parameter, in documentation order.
const std::vector<ParamSpec>& model_parameter_table();
// nullptr when unknown.
const ParamSpec* find_model_parameter(const std::string& key);

}  // namespace klynge
