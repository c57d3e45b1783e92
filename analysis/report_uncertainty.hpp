#pragma once
// The report's sections for a results file with a draw axis (analysis/report.hpp renders the
// rest of the page; docs/report.md describes what they show):
//   - a probabilistic run (`uncertainty:`): "How sure are we?" -- the verdict in plain words, a
//     table per variant over the draws, the cost-effectiveness acceptability curves, the
//     cost-effectiveness plane and the parameters with their distributions;
//   - a sweep (`sweep:`): each variant's effect against the baseline at every grid point, one
//     chart per panel of the grid, with the 95% CI.
// Every number is `klynge compare`'s robust comparison (analysis::compare_robust), as the ranking
// is compare's: the report only presents it. The tables are HTML written here; the charts are
// drawn in the browser by analysis/templates/uncertainty.js from the JSON data block
// `<script type="application/json" id="klynge-uncertainty">` (its shape is documented at
// uncertainty_section() in report_uncertainty.cpp). A file without draws gets neither.
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/report.hpp"
#include "analysis/robust.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::analysis::report {

struct UncertaintySection {
  std::string html;  // the <section>; "" for a file without draws
  std::string data;  // the data block's JSON; "" for a file without draws
  bool empty() const { return html.empty(); }
};

// "How sure are we?" for random draws (lhs, sobol, random), "Sweep" for a grid; empty for a file
// without draws. `options` as the page's compare() (the baseline), `styles` the page's colours.
UncertaintySection uncertainty_section(const ResultsFile& results, const CompareOptions& options,
                                       const std::vector<detail::VariantStyle>& styles);

// The same from a robust comparison already made (tests); `sensitivity` as sensitivity_json().
UncertaintySection uncertainty_section(const RobustComparison& robust,
                                       const std::vector<detail::VariantStyle>& styles,
                                       const std::string& sensitivity = "null");

// The slot for a tornado chart of global sensitivity (issue 11 item 4, `klynge sensitivity`): the
// value of the data block's "sensitivity" key. "null" until that analysis is wired in; the
// script draws nothing for null. When it is: return
//   {"metric": LABEL, "unit": UNIT, "parameters": [{"name": N, "low": L, "high": H}, ...]}
// (the output's range as each parameter moves over its distribution, or an index with its CI)
// and add a drawTornado() beside drawCeac() in templates/uncertainty.js, plus a <figure
// id="u-tornado"> in the section.
std::string sensitivity_json(const ResultsFile& results);

// The data block and the script, to be placed before the page's own script (so that an error
// here is in #script-errors before the page decides it has rendered). "" for an empty section.
std::string uncertainty_scripts(const UncertaintySection& section);

}  // namespace klynge::analysis::report
