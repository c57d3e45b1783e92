#pragma once
// Robust comparison of a probabilistic run (`uncertainty:`, docs/uncertainty.md): the ordinary
// comparison (analysis/compare.hpp) is made within every parameter draw, over that draw's
// replicates (common random numbers pair the variants there), and the draws are then summarised:
// the distribution of each variant's effect and value added per DKK over the draws, the
// probability of being best and of a positive effect, the expected loss against the best, the
// rank distribution, cost-effectiveness acceptability curves and the cost-effectiveness plane.
#include <functional>
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::analysis {

// A quantity's distribution over the draws (NaN draws left out).
struct OverDraws {
  std::size_t draws = 0;  // with a number
  double mean = Estimate::nan, median = Estimate::nan;
  double p05 = Estimate::nan, p95 = Estimate::nan;  // the 90% interval
};

struct RobustVariant {
  std::string name;
  bool is_baseline = false;
  OverDraws effect;               // paired effect of the ranking metric (the reading of compare)
  OverDraws value_added_per_dkk;  // regional value added per programme DKK (NaN: no extra cost)
  OverDraws incremental_cost_dkk;
  double p_best = Estimate::nan;  // share of draws in which its mean is the highest (ties split)
  double p_positive = Estimate::nan;     // share of draws with a positive effect
  double expected_loss = Estimate::nan;  // mean over draws of (best effect - its effect)
  std::vector<double> rank_share;        // [rank - 1]: share of draws at that rank
  std::vector<double> effect_by_draw, cost_by_draw;  // the cost-effectiveness plane, per draw
  std::vector<Estimate> effect_estimate_by_draw;     // mean and 95% CI over the draw's pairs
  std::vector<double> acceptability;                 // [lambda]: P(highest net benefit), the CEAC
};

struct RobustComparison {
  int draws = 0, replicates_per_draw = 0;
  std::string sampling;  // lhs | sobol | random | grid (a `sweep:`)
  bool grid() const { return sampling == "grid"; }
  std::vector<double> values;  // [draw][parameter]: each draw's (grid point's) parameter values
  std::vector<std::string> parameters, distributions;
  std::string baseline, metric, metric_label, effect_unit, reading;
  // The value placed on one unit of effect (DKK per effect_unit), for the acceptability curves:
  // net benefit = lambda x effect - incremental cost.
  std::vector<double> lambdas;
  std::vector<RobustVariant> variants;  // scenario order, the baseline included
  std::string verdict;                  // in plain words
  std::vector<std::string> warnings;
};

// The per-draw machinery shared by compare_robust and `klynge sensitivity`: the ordinary
// comparison (compare()) of each draw's replicates as a file of their own, draw by draw in order.
// `visit(draw, comparison)` gets nullptr for a draw with no finished replicate (an interrupted
// run). Throws UsageError when the file has no draws, and as compare() does.
void for_each_draw(const ResultsFile& results, const CompareOptions& options,
                   const std::function<void(std::size_t, const Comparison*)>& visit);

// Throws UsageError when the file has no draws (not a probabilistic run), and as compare() does.
RobustComparison compare_robust(const ResultsFile& results, const CompareOptions& options);

// The table: "How sure are we?" for random draws; for a sweep, each variant's effect against its
// own baseline at every grid point.
std::string format_robust_table(const RobustComparison& robust);
// Rows in compare's CSV shape: variant,outcome,mean,ci_low,ci_high,n,distinguishable with the
// median as `mean`, the 90% interval over draws as the bounds and the draws as n.
std::string format_robust_csv(const RobustComparison& robust);
std::string format_robust_json(const RobustComparison& robust);  // one JSON object

}  // namespace klynge::analysis
