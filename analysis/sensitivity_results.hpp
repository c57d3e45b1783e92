#pragma once
// `klynge sensitivity`: global sensitivity of a results file whose scenario used
// `uncertainty: {sampling: morris | saltelli}` (docs/sensitivity.md). The output of every
// parameter set (draw) is the mean over the draw's replicates of one metric, for one variant (its
// level) or as the paired effect of a variant against the baseline; analysis/sensitivity.hpp's
// estimators turn those outputs into Morris elementary effects or Sobol' indices. The per-draw
// comparison is analysis/robust.hpp's for_each_draw, so the numbers are those `compare` gives
// within each draw.
//
// The result is one row per parameter with the measure the report's tornado chart draws
// (`estimate`, `ci_low`, `ci_high`: Morris mu* or the Sobol total index ST) plus the method's
// other measures, sorted by that measure (most influential first).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/sensitivity.hpp"
#include "sim/core/results.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::analysis {

struct SensitivityOptions {
  std::string metric;    // "" = compare's default (participant_revenue_growth)
  std::string variant;   // "" = the baseline (level), the first other variant (effect)
  std::string baseline;  // "" = the variant named "baseline", else the first (as compare)
  bool effect = false;   // the paired effect variant - baseline instead of the variant's level
  // The reading, as compare's: at month `at`, or averaged over months 1..at (1..horizon when
  // unset, the default).
  std::optional<int> at;
  bool cumulative = false;
  std::size_t resamples = 1000;  // bootstrap resamples for the 95% intervals; 0: none
};

enum class SensitivityMethod { morris, sobol };
const char* method_name(SensitivityMethod method);  // "morris" | "sobol"

struct ParameterSensitivity {
  std::string name;          // the uncertain parameter (model parameter or ID.KEY)
  std::string distribution;  // e.g. "uniform(lo=0.15, hi=0.35)"
  // The ranking measure, what a tornado chart draws: Morris mu* or Sobol ST, with its 95%
  // percentile bootstrap interval (NaN without resamples or data).
  double estimate = sensitivity::Interval::nan;
  double ci_low = sensitivity::Interval::nan, ci_high = sensitivity::Interval::nan;
  // Morris: mu (mean signed elementary effect), sigma (their standard deviation) and the number
  // of elementary effects used.
  double mu = sensitivity::Interval::nan, sigma = sensitivity::Interval::nan;
  std::size_t count = 0;
  // Sobol: first-order (S1) and total (ST, = estimate) indices with intervals.
  sensitivity::Interval first, total;
};

struct SensitivityResult {
  SensitivityMethod method = SensitivityMethod::sobol;
  std::string measure;  // the ranking measure's name: "mu_star" | "ST"
  // The output analysed.
  std::string metric, metric_label;
  std::string unit;  // of the output (a level's unit, or the effect's difference unit)
  std::string variant, baseline;
  bool effect = false;
  int month = 0;
  bool cumulative = true;
  std::string reading;      // "averaged over months 1-12" | "at month 12"
  std::string description;  // the output in words, with its unit and reading
  // The design.
  std::size_t dimensions = 0;          // d parameters
  std::size_t groups = 0;              // trajectories (morris) or base points (saltelli)
  int levels = 0;                      // morris grid levels
  std::size_t parameter_sets = 0;      // draws in the file
  int replicates_per_set = 0;          // replicates per draw and variant
  std::size_t used = 0;                // groups whose outputs entered the estimates
  std::size_t dropped_incomplete = 0;  // groups with a draw not finished in every variant
  std::size_t dropped_non_finite = 0;  // complete groups with an output without a number
  std::size_t resamples = 0;
  double confidence = 0.95;
  double output_mean = sensitivity::Interval::nan;      // Sobol: of f(A), f(B)
  double output_variance = sensitivity::Interval::nan;  // Sobol: their variance
  std::vector<ParameterSensitivity> parameters;         // most influential first (NaN last)
  std::vector<std::string> warnings;
};

// From a results file. Throws UsageError (exit 2) when the file is not a morris/saltelli run
// (naming its sampling and what to use instead), for an unknown variant, baseline or metric
// (listing the valid ones), when --effect has no variant to compare, and when no trajectory or
// base point is complete.
SensitivityResult sensitivity_analysis(const ResultsFile& results,
                                       const SensitivityOptions& options);

// The estimation alone, from the design as stored (`design.sampling` morris or saltelli, its
// `design` points, `design_draws`, `levels`) and one output per draw (NaN: unusable). Groups
// (trajectories, base points) with any NaN output are left out of the estimates; the caller counts
// why. `seed` keys the bootstrap. Used by sensitivity_analysis and by the tests (analytic
// functions through the same code path).
SensitivityResult sensitivity_from_outputs(const ResultsHeader::Draws& design,
                                           const std::vector<double>& outputs,
                                           std::size_t resamples, std::uint64_t seed);

// Renderings (docs/sensitivity.md): a table for people, CSV in long format
// `parameter,measure,estimate,ci_low,ci_high,n` and one JSON object.
std::string format_sensitivity_table(const SensitivityResult& result);
std::string format_sensitivity_csv(const SensitivityResult& result);
std::string format_sensitivity_json(const SensitivityResult& result);

}  // namespace klynge::analysis
