#pragma once
// `klynge report`: one self-contained HTML page (no network access, no external resources) that
// a policy planner can read and forward and a workshop facilitator can show live on a 1024x768
// projector, in this order:
//   - the answer in brief: the best programme by its label, its effect at the horizon, its cost
//     and its value added per DKK (compare's numbers), in plain words;
//   - for a probabilistic run or a sweep, how the comparison spreads over the parameter draws or
//     the grid (analysis/report_uncertainty.hpp);
//   - the ranking of the variants against the baseline (paired over replicates, 95% CI drawn on
//     a scale);
//   - time-series charts (inline SVG, drawn here in C++) of the main metrics per variant, mean
//     line with a 95% confidence band of the mean, each variant in a colour + dash of its own;
//   - an animated network view of one detail replicate of two chosen variants side by side
//     (analysis/report_network.hpp): firms placed by geography or by a force-directed layout,
//     coloured by cluster (followed over the months), sized by revenue;
//   - a methods note and what was run (scenario, variants, replicates, seed, version).
// Variants and activities appear by their `label:` where the scenario gives one.
// Firms appear by pseudonym only, even in a file written with --reveal-names.
//
// The ranking, its effects and confidence intervals, the cost, value added per DKK, cost per job,
// the incremental cost-effectiveness table and the programme table are `klynge compare`'s
// (analysis::compare, docs/compare.md): the report only presents them, so the two commands always
// show the same numbers. docs/report.md describes the page.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/statistics.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::analysis::report {

// compare()'s variants in rank order: rank 1 first, unranked ones (rank 0) last, in scenario
// order. The baseline takes its place like any other variant.
std::vector<const VariantComparison*> rank_order(const Comparison& comparison);

// Two neighbours in rank_order and the paired difference `higher - lower` of the ranking metric
// over the ranking replicates: compare's rank_effect when one of them is the baseline, else the
// mean of the per-replicate differences of their rank_values (estimate_mean, 95% Student t CI).
struct Neighbours {
  const VariantComparison* higher = nullptr;
  const VariantComparison* lower = nullptr;
  Estimate difference;
  // The CI excludes 0; otherwise these replicates do not establish the order of the two.
  bool told_apart() const { return difference.distinguishable(); }
};
std::vector<Neighbours> neighbours(const Comparison& comparison);

// The ranking as a plain-text table (terminal output of `report` and `demo`).
std::string format_ranking(const Comparison& comparison);

struct Options {
  std::string baseline;  // as CompareOptions::baseline ("" = "baseline", else the first)
  // Variant shown in the right-hand network panel at first ("" = full_programme when present,
  // else the first non-baseline variant); the left panel shows the baseline.
  std::string network_variant;
  std::size_t max_network_firms = 600;  // larger populations get no network view (a note)
};

// The detail replicate 0 of one variant: what the network view animates.
struct NetworkVariant {
  std::string variant;
  int replicate = -1;  // its replicate number
  DetailResults detail;
};

// The page, from results already read (tests) ...
std::string render(const ResultsFile& results, const std::vector<NetworkVariant>& networks,
                   const Options& options);
// ... or from a results file (reads the detail groups it needs).
std::string render(const std::string& results_path, const Options& options);

// Renders and writes `output_path` (via a temporary file renamed into place). Returns its size.
std::size_t write(const std::string& results_path, const std::string& output_path,
                  const Options& options);

namespace detail {
// A JSON string literal (quotes included) safe inside <script>: '<', '>' and '&' become \u003c,
// \u003e and \u0026, so "</script>" cannot end the block.
std::string json_string(std::string_view text);
// Text for HTML element content and attribute values.
std::string html_escape(std::string_view text);

// Numbers for SVG and JSON: fixed decimals, trailing zeros trimmed, "-0" avoided; "null" for NaN.
std::string num(double v, int decimals);

// A variant's look on every chart of the page: an Okabe-Ito colour and a dash pattern ("" =
// solid); the first seven non-baseline variants are solid in seven colours, the next seven the
// same colours dashed "8 3", then dotted "2 3", then "10 3 2 3", so no two variants share a
// colour and a dash (up to 28). The baseline is dark grey, dashed "6 4". `label` is the
// variant's display label (`label:`), else its name.
struct VariantStyle {
  std::string name, label, colour, dash;
  bool baseline = false;
};
// One per variant of `results`, in scenario order; `baseline` "" = none styled as the baseline.
std::vector<VariantStyle> variant_styles(const ResultsFile& results, const std::string& baseline);
}  // namespace detail

}  // namespace klynge::analysis::report
