#pragma once
// `klynge report`: one self-contained HTML page (no network access, no external resources) that
// a policy planner can read and forward and a workshop facilitator can show live:
//   - what was run (scenario, variants and their interventions, replicates, seed, version);
//   - the ranking of the variants against the baseline (paired over replicates, 95% CI);
//   - time-series charts (inline SVG, drawn here in C++) of the main metrics per variant, mean
//     line with a 95% confidence band of the mean;
//   - an animated network view of detail replicate 0 of two chosen variants side by side
//     (vanilla JS over data embedded as JSON): firms placed by geography, coloured by cluster,
//     sized by revenue, ties appearing and strengthening step by step.
// Firms appear by pseudonym only, even in a file written with --reveal-names.
//
// The ranking is computed here (small, self-contained; its own namespace so nothing collides with
// `klynge compare`, which has fuller statistics). docs/report.md describes the page.
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/results_reader.hpp"

namespace klynge::analysis::report {

// One variant's line of the ranking. Growth is participants' total revenue at the horizon
// relative to step 0, per replicate; effects are paired differences against the baseline over
// the replicates both completed (common random numbers), with a 95% normal-approximation CI.
struct RankingRow {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::string variant;
  bool baseline = false;
  std::size_t replicates = 0;  // completed replicates used for this variant
  std::size_t pairs = 0;       // replicates paired with the baseline
  double growth_pct = kNaN;    // mean participant revenue growth, step 0 -> horizon, %
  double effect_pp = kNaN, effect_lo = kNaN, effect_hi = kNaN;  // vs baseline, percentage points
  double added_revenue_mdkk = kNaN;  // mean paired difference of participant revenue, mDKK/year
  double cost_mdkk = kNaN;           // mean programme cost (cash + staff hours) at horizon, M DKK
  double partner_ties = kNaN;        // mean live partner ties at horizon
  double revenue_per_dkk = kNaN;     // added annual revenue (DKK) per DKK of programme cost
  // The next row's growth is not significantly different (95% CI of the paired difference
  // includes 0): the order of the two is not established by these replicates.
  bool tied_with_next = false;
};

struct Ranking {
  std::string baseline;  // the reference variant; "" when there is only one variant
  int horizon = 0;
  std::vector<RankingRow> rows;  // best revenue effect first (the baseline has effect 0)
};

// `baseline` = "" picks the variant named "baseline", else the first variant. Throws UsageError
// when a named baseline is not in the file.
Ranking compute_ranking(const ResultsFile& results, const std::string& baseline = "");

// The ranking as a plain-text table (terminal output of `report` and `demo`).
std::string format_ranking(const Ranking& ranking);

struct Options {
  std::string baseline;  // as compute_ranking
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
}  // namespace detail

}  // namespace klynge::analysis::report
