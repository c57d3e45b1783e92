#pragma once
// `klynge compare`: every variant against a baseline, paired over replicates (common random
// numbers make replicate r of every variant share its random draws). The computation lives
// here, with the three renderings (table, CSV, JSON); sim/cli/commands/compare.cpp only parses
// the options and prints. Every decision is documented in docs/compare.md.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::analysis {

// What an outcome's number is.
enum class OutcomeKind {
  difference,  // paired difference variant - baseline at the reading (a month, or cumulative)
  level,       // the variant's own value at the reading (cost, cash, revenue growth)
  ratio,       // value added per DKK, cost per job: ratio of means, delta-method CI
};

// Above this many replicates, "replicates needed" is not a practical advice: the effect is
// reported as indistinguishable from zero for practical purposes (docs/compare.md).
inline constexpr std::uint64_t kReplicatesNeededPractical = 10'000;

struct Outcome {
  std::string name;   // stable key (CSV/JSON), e.g. "participant_revenue_growth"
  std::string label;  // words for the table, e.g. "participant revenue growth"
  std::string unit;   // of `estimate`, e.g. "pp", "mDKK/year", "DKK", "DKK/DKK"
  OutcomeKind kind = OutcomeKind::difference;
  Estimate estimate;
  // For differences and ratios whose CI contains zero: the replicates that would let the CI
  // exclude zero (statistics.hpp), up to kReplicatesNeededPractical; nullopt otherwise.
  std::optional<std::uint64_t> replicates_needed;
  // The CI contains zero and more than kReplicatesNeededPractical replicates would be needed.
  bool beyond_practical = false;
  // Why a ratio has no number or no CI (e.g. "the variant costs no more than the baseline").
  std::string note;
};

// Participants' revenue in one firm-size class (initial employees), paired at the horizon.
struct SizeClassEffect {
  std::string name;                 // "under_50", "50_99", "100_199", "200_plus"
  std::string label;                // "under 50", "50-99", "100-199", "200+"
  int firms = 0;                    // participant firms in the class
  double initial_revenue_mdkk = 0;  // their revenue at step 0 (the population table)
  Estimate revenue_mdkk;            // paired difference of their revenue, mDKK/year
  Estimate revenue_growth_pp;       // the same / initial revenue, in percentage points
};

// The paired effect of one outcome at every month 0..H (the JSON's trajectory).
struct Trajectory {
  std::string name, unit;
  std::vector<Estimate> by_month;
};

struct VariantComparison {
  std::string name;
  std::string label;  // the scenario's `label:` for the variant, "" when none (tables show it)
  bool is_baseline = false;
  std::size_t replicates = 0;  // in the file
  std::size_t completed = 0;   // completed in this variant
  std::size_t pairs = 0;       // completed in this variant and in the baseline
  // Paired differences, then the economics (value added, incremental cost, jobs, value added
  // per DKK, cost per job) and the secondary revenue figure. Empty for the baseline.
  std::vector<Outcome> effects;
  // The variant's own values over its paired replicates (the baseline: its completed ones):
  // participant_revenue_growth (%), cost_dkk, cash_dkk.
  std::vector<Outcome> levels;
  std::vector<SizeClassEffect> size_classes;  // empty for the baseline
  // Ranking by the chosen metric over the replicates completed in every variant: the mean
  // level (`rank_level`; for value_added_dkk and added_revenue_dkk the paired difference,
  // 0 for the baseline), the paired difference from the baseline over the same replicates
  // (`rank_effect`), the rank (1 = highest mean; 0 when nothing could be ranked) and the share of
  // those replicates in which this variant has the highest value (ties split equally).
  Estimate rank_level, rank_effect;
  int rank = 0;
  double best_share = Estimate::nan;
  // The ranking metric in each of those replicates (the same replicates, in the same order, for
  // every variant; NaN where it has no value): what rank_effect and best_share are computed
  // from, so that other pairs of variants can be differenced replicate by replicate (the
  // report's "not told apart" note).
  std::vector<double> rank_values;
  // The paired effect of the ranking metric and of regional value added at every month.
  std::vector<Trajectory> trajectories;  // empty for the baseline

  const Outcome* effect(const std::string& name) const;  // nullptr if none
  const Outcome* level(const std::string& name) const;   // nullptr if none
};

// One option of the incremental analysis (docs/compare.md, "Incremental cost-effectiveness"):
// every variant, the baseline included, by its mean cost and mean effect over the ranking
// replicates. The effect is the paired difference in regional value added summed over months
// 1..M (DKK) against the chosen baseline, the cost difference likewise; ICERs are differences
// between neighbours on the frontier, so they do not depend on which variant is the baseline.
struct CostEffectPoint {
  std::string variant;
  double cost_dkk = Estimate::nan;              // the variant's own mean cost at month M
  double incremental_cost_dkk = Estimate::nan;  // minus the baseline's (paired mean)
  double effect_dkk = Estimate::nan;            // value added vs the baseline, DKK (paired mean)
  // "frontier", "dominated" (another variant costs no more and adds at least as much),
  // "extendedly_dominated" (a mix of two frontier neighbours would do better), "unranked" (no
  // numbers).
  std::string status;
  std::string dominated_by;  // "dominated": that variant; "extendedly_dominated": "A and B"
  // On the frontier (from the second frontier variant on): the previous frontier variant, the
  // extra cost and extra value added over it, the ICER (DKK of cost per DKK of value added) and
  // its inverse; `step_effect` is the paired CI of the extra value added.
  std::string previous;
  double step_cost_dkk = Estimate::nan;
  Estimate step_effect;
  double icer = Estimate::nan;
  double value_added_per_dkk = Estimate::nan;
};

// "The best variant within a budget of X": the variant with the most value added whose mean cost
// (cash + staff hours at month M) fits. Programmes are chosen whole, so extended dominance (which
// assumes mixes) does not rule a variant out here; strong dominance does.
struct BudgetChoice {
  double budget_dkk = Estimate::nan;
  std::string variant;  // "" when no variant's mean cost fits
  double cost_dkk = Estimate::nan, effect_dkk = Estimate::nan;
  // The next cheaper variant that is not dominated and whether the chosen one's extra value
  // added over it is distinguishable from zero ("" when the choice is the cheapest).
  std::string cheaper;
  bool distinguishable_from_cheaper = true;
};

// What each variant's programme did (docs/compare.md, "Programme"): the schedule from its
// resolved configuration, and from the detail replicates' events (means over them) the cash
// committed, the runs and the units skipped, per activity; staff hours from the metrics of every
// replicate (the file does not split hours by activity).
struct ActivitySummary {
  std::string id, type;
  std::string schedule;                 // "months 0-3", "months 3, 6, 9, 12", "months 6-35 every 3"
  std::string envelope;                 // ring-fenced budget_dkk, "" when none
  double cash_dkk = Estimate::nan;      // mean over the detail replicates
  double runs = Estimate::nan;          // runs in which at least one unit ran
  double skipped_runs = Estimate::nan;  // runs in which nothing ran for budget or hours
  double units_skipped_budget = Estimate::nan, units_skipped_hours = Estimate::nan;
  int first_month = -1, last_month = -1;  // first and last month something ran (any detail rep.)
};

struct ProgrammeSummary {
  std::string variant;
  std::size_t detail_replicates = 0;            // whose events the activity figures average
  double budget_dkk = Estimate::nan;            // the variant's budget_dkk (inf: unlimited)
  Estimate cash_dkk, cost_dkk;                  // at month M, every completed replicate
  Estimate staff_hours, staff_hours_shortfall;  // summed over months 1..M
  std::vector<ActivitySummary> activities;
};

struct CompareOptions {
  std::string baseline;  // "" = the variant named "baseline", else the first
  std::string metric;    // "" = participant_revenue_growth
  // The reading: at month `at` (1..horizon), or cumulative over months 1..at (1..horizon when
  // `at` is unset). Default: cumulative over the horizon (late programmes cannot win by timing).
  std::optional<int> at;
  bool cumulative = false;           // with `at`: cumulative over 1..at instead of at month `at`
  std::optional<double> budget_dkk;  // "best variant within a budget of X"
};

struct Comparison {
  std::string path, scenario, status;
  int horizon = 0;             // steps in the file
  int month = 0;               // the reading month M (horizon unless --at)
  bool cumulative = true;      // effects averaged over months 1..M, else read at month M
  std::size_t replicates = 0;  // per variant, as in the file
  std::size_t firms = 0;       // in the population
  std::size_t participant_firms = 0;
  std::string baseline;                      // its name
  std::string metric, metric_label;          // the ranking metric
  std::string metric_unit;                   // of its level ("%" for revenue growth)
  std::string metric_difference_unit;        // of rank_difference ("pp" for revenue growth)
  std::size_t ranking_replicates = 0;        // completed in every variant
  double value_added_share = Estimate::nan;  // as recorded in the file (or the default)
  std::vector<std::string> warnings;         // incomplete file, unpaired replicates, ...
  std::vector<VariantComparison> variants;   // scenario order, the baseline included
  std::vector<CostEffectPoint> cost_effect;  // sorted by cost, cheapest first
  std::optional<BudgetChoice> budget;
  std::vector<ProgrammeSummary> programmes;  // scenario order

  const VariantComparison* find(const std::string& name) const;      // nullptr if none
  const ProgrammeSummary* programme(const std::string& name) const;  // nullptr if none
  // "averaged over months 1-36" or "at month 36".
  std::string reading() const;
};

// The outcome keys of the paired effects (in output order) and of the levels.
inline constexpr const char* kDefaultMetric = "participant_revenue_growth";
std::vector<std::string> effect_names();
// The names --metric accepts: the outcome names, then every metric of the file.
std::vector<std::string> ranking_metric_names(const ResultsFile& results);

// Throws UsageError for an unknown baseline (naming the variants) or metric (with a
// did-you-mean and the accepted names), InputError when the file lacks a metric compare needs.
Comparison compare(const ResultsFile& results, const CompareOptions& options = {});

// What each variant's programme did (analysis/programme.cpp): the schedules from the resolved
// configurations; cash, runs and skipped units per activity from the detail replicates' events;
// cash, cost and staff hours over months 1..month from every completed replicate. Problems
// (no detail, an unreadable configuration) become warnings.
std::vector<ProgrammeSummary> programme_summaries(const ResultsFile& results, std::size_t month,
                                                  std::vector<std::string>& warnings);
// The programme table for people (compare, inspect, report): per variant its cash, cost and
// staff hours, then one line per activity.
std::string format_programmes(const std::vector<ProgrammeSummary>& programmes, int month);

// Renderings. The table is for people (warnings included); CSV is long format
// `variant,outcome,mean,ci_low,ci_high,n,distinguishable`; JSON is one object per variant in
// "variants" (NaN as null). See docs/compare.md for every field.
std::string format_table(const Comparison& comparison);
std::string format_csv(const Comparison& comparison);
std::string format_json(const Comparison& comparison);

// Helpers, exposed for tests and the report.
// A number rounded for people: to the second significant digit of the CI half-width, or to
// three significant digits (trailing zeros dropped) when there is no spread; "n/a" for NaN.
std::string format_number(double value, double half_width, bool show_plus = false);
std::string json_escape(const std::string& text);  // the contents of a JSON string literal
std::string json_string(const std::string& text);  // a JSON string literal, quotes included

}  // namespace klynge::analysis
