#pragma once
// The report's network section (analysis/report.hpp renders the rest of the page): one detail
// replicate of two variants side by side, month by month, in two layouts (geography, and a
// force-directed drawing of the ties), with cluster colours that follow a cluster over time.
// docs/report.md describes what it shows. Exposed pieces are tested in tests/analysis.
#include <cstddef>
#include <string>
#include <vector>

#include "analysis/report.hpp"
#include "sim/io/results_reader.hpp"

namespace klynge::analysis::report::detail {

// Stable cluster numbers and colours over the months of one detail replicate.
//
// Why: the model matches each detection's labels to the previous detection's only (model.md:
// "labels matched between detections by largest overlap"), and only qualifying clusters carry a
// label. A cluster that fails the test for one month (its density dips below the threshold when
// a tie weakens) is forgotten and comes back under a new label; labels count up with every
// unmatched community (6, 42, 71, 109, 177 in one run), and the page coloured them `label mod 9`,
// so a cluster that came back changed colour and two live clusters could share one.
//
// Here every firm remembers the last cluster it was seen in, however long ago; each month's
// clusters (groups of firms sharing a stored label) take the remembered cluster they overlap
// most (greedy by shared firms, ties to the lower number, each number to one cluster at most,
// as the model matches), else a new number. Colours go to numbers in order of first appearance:
// the first palette colour no cluster alive at an overlapping time holds (so two clusters seen in
// the same month never share one while the palette lasts).
struct ClusterTracks {
  std::vector<std::vector<int>> id;  // [step][firm]: cluster number 0, 1, ... (-1: none)
  std::vector<int> colour;           // per cluster number: index into the palette
};
// `labels[step][firm]`: the stored label (-1: none). `palette`: how many colours there are.
ClusterTracks track_clusters(const std::vector<std::vector<int>>& labels, std::size_t palette);

struct NetworkSection {
  std::string html;
  std::string json = "null";  // the "network" value of the page's data block
  // The placed municipality names, [{"name", "x", "y"}] (the report has them in `html`; `klynge
  // studio` draws them from this).
  std::string labels_json = "[]";
};
// `styles` carry the variants' labels; `baseline` "" when there is none.
NetworkSection network_section(const ResultsFile& results,
                               const std::vector<NetworkVariant>& networks, const Options& options,
                               const std::vector<VariantStyle>& styles,
                               const std::string& baseline);

}  // namespace klynge::analysis::report::detail
