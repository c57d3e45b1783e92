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
  difference,  // paired difference variant - baseline at the horizon
  level,       // the variant's own value at the horizon (cost, cash, revenue growth)
  ratio,       // added revenue per DKK: ratio of means, delta-method CI
};

struct Outcome {
  std::string name;   // stable key (CSV/JSON), e.g. "participant_revenue_growth"
  std::string label;  // words for the table, e.g. "participant revenue growth"
  std::string unit;   // of `estimate`, e.g. "pp", "mDKK/year", "DKK", "DKK/DKK"
  OutcomeKind kind = OutcomeKind::difference;
  Estimate estimate;
  // For differences and ratios whose CI contains zero: the replicates that would let the CI
  // exclude zero (statistics.hpp); nullopt otherwise.
  std::optional<std::uint64_t> replicates_needed;
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

struct VariantComparison {
  std::string name;
  bool is_baseline = false;
  std::size_t replicates = 0;  // in the file
  std::size_t completed = 0;   // completed in this variant
  std::size_t pairs = 0;       // completed in this variant and in the baseline
  // Paired differences, then added revenue (DKK) and added revenue per DKK. Empty for the
  // baseline.
  std::vector<Outcome> effects;
  // The variant's own values over its paired replicates (the baseline: its completed ones):
  // participant_revenue_growth (%), cost_dkk, cash_dkk.
  std::vector<Outcome> levels;
  std::vector<SizeClassEffect> size_classes;  // empty for the baseline
  // Ranking by the chosen metric over the replicates completed in every variant: the mean
  // level (`rank_level`; for added_revenue_per_dkk the ratio of means), the paired difference
  // from the baseline over the same replicates (`rank_effect`), the rank (1 = highest mean; 0
  // when nothing could be ranked) and the share of those replicates in which this variant has
  // the highest value (ties split equally).
  Estimate rank_level, rank_effect;
  int rank = 0;
  double best_share = Estimate::nan;
  // The ranking metric in each of those replicates (the same replicates, in the same order, for
  // every variant; NaN where it has no value): what rank_effect and best_share are computed
  // from, so that other pairs of variants can be differenced replicate by replicate (the
  // report's "not told apart" note).
  std::vector<double> rank_values;

  const Outcome* effect(const std::string& name) const;  // nullptr if none
  const Outcome* level(const std::string& name) const;   // nullptr if none
};

struct CompareOptions {
  std::string baseline;  // "" = the variant named "baseline", else the first
  std::string metric;    // "" = participant_revenue_growth
};

struct Comparison {
  std::string path, scenario, status;
  int horizon = 0;             // steps; outcomes are read at this row
  std::size_t replicates = 0;  // per variant, as in the file
  std::size_t firms = 0;       // in the population
  std::size_t participant_firms = 0;
  std::string baseline;                     // its name
  std::string metric, metric_label;         // the ranking metric
  std::string metric_unit;                  // of its level ("%" for revenue growth)
  std::string metric_difference_unit;       // of rank_difference ("pp" for revenue growth)
  std::size_t ranking_replicates = 0;       // completed in every variant
  std::vector<std::string> warnings;        // incomplete file, unpaired replicates, ...
  std::vector<VariantComparison> variants;  // scenario order, the baseline included

  const VariantComparison* find(const std::string& name) const;  // nullptr if none
};

// The outcome keys of the paired effects (in output order) and of the levels.
inline constexpr const char* kDefaultMetric = "participant_revenue_growth";
std::vector<std::string> effect_names();
// The names --metric accepts: the outcome names, then every metric of the file.
std::vector<std::string> ranking_metric_names(const ResultsFile& results);

// Throws UsageError for an unknown baseline (naming the variants) or metric (with a
// did-you-mean and the accepted names), InputError when the file lacks a metric compare needs.
Comparison compare(const ResultsFile& results, const CompareOptions& options = {});

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

}  // namespace klynge::analysis
