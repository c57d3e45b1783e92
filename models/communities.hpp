#pragma once
// Communities and clusters on the collaboration graph (model.md, "Clusters and strategic
// networks"): Louvain modularity maximisation with keyed randomness, label matching so a
// cluster keeps its colour between detections, and the cluster test.
//
//   Communities c = detect_communities(g, streams, step);
//   std::vector<int> colour = match_labels(previous_colour, c.label, next_free_colour);
//   auto flags = joint_success_flags(c.label, c.count, successful_teams);
//   std::vector<Cluster> clusters = qualifying_clusters(g, c.label, c.count, 3, 0.3, flags);
//   // clusters.size() = `clusters`; clusters.empty() ? 0 : clusters.front().size =
//   // `largest_cluster_size`
//
// Detection is observation only: nothing here changes the model state.
#include <cstdint>
#include <vector>

#include "models/graph.hpp"
#include "sim/core/random.hpp"

namespace klynge {

struct Communities {
  // Per node, 0..count-1, numbered in order of first appearance by node index (canonical).
  std::vector<int> label;
  int count = 0;
  double modularity = 0.0;  // of `label`, as modularity() computes it
};

// Modularity with networkx's definition (nx.community.modularity, resolution 1, unweighted):
//   Q = sum_c [ L_c / m - (d_c / 2m)^2 ]
// with L_c the edges inside community c and d_c the degree sum of its nodes. Labels must be
// >= 0 (any values; they need not be contiguous). Returns 0 for a graph without edges (where
// networkx divides by zero). Throws std::invalid_argument when label.size() != node count or a
// label is negative.
double modularity(const Graph& g, const std::vector<int>& label);

// Louvain (Blondel et al. 2008), deterministic:
// - Local moving on a level uses the queue of Traag et al. (2019, "fast local move"): all nodes
//   enter a FIFO queue in a keyed shuffle, streams.rng(Process::community_detection, step,
//   level, iteration); a visited node moves to the neighbouring community with the largest
//   modularity gain (ties to the lowest community id) when that gain is strictly above staying,
//   and its neighbours outside the new community re-enter the queue.
// - Then communities are aggregated into nodes and the next level starts, until a level leaves
//   every node alone or gains no more than 1e-7 in modularity (networkx's threshold).
// - The whole multilevel run is repeated from its own result (level 0 starts from the last
//   partition; Traag et al.'s iterated Louvain) until a run gains no more than 1e-7, at most 20
//   runs. Modularity never decreases; typically 2-4 runs; it lifts modularity by ~0.01.
// Gains are compared in exact 64-bit integer arithmetic (2m k_i,in - k_i tot_c), so the result
// is identical across runs, compilers and platforms, and termination is guaranteed. Isolated
// nodes keep a community of their own. Near-linear in m. At most 2^30 edges (std::length_error
// beyond).
Communities detect_communities(const Graph& g, const RandomStreams& streams, int step);
// The same on a weighted graph: arc_weight[a] is the positive integer weight of arc a in CSR
// order (node u's arcs are its neighbours(u) in order; both arcs of an edge carry the same
// weight). Modularity and gains use weighted degrees (strengths); still exact integer
// arithmetic, so the total arc weight must stay below 2^31 (std::length_error beyond). The model
// weighs the collaboration graph by trust (observation.cpp). Throws std::invalid_argument when
// the sizes differ or a weight is not positive.
Communities detect_communities(const Graph& g, const std::vector<std::int32_t>& arc_weight,
                               const RandomStreams& streams, int step);

// Colour matching between detections. `previous` holds each node's colour from the last
// detection (-1 = none; nodes beyond previous.size() count as -1); `current` each node's
// community from this one (0..count-1; -1 = none). Returns, per current community (index =
// community id, size = max(current) + 1), its colour: communities take previous colours greedily
// by overlap (shared nodes) in descending order, ties to the lowest previous colour and then the
// lowest community; each previous colour goes to at most one community. Unmatched communities
// get fresh colours next_free_label, next_free_label + 1, ... in community order;
// next_free_label is first raised above every colour in `previous`, then advanced.
// A node's new colour is result[current[i]].
std::vector<int> match_labels(const std::vector<int>& previous, const std::vector<int>& current,
                              int& next_free_label);

// Per community: 1 when some team in `teams` (the member lists of successfully completed joint
// projects; node indices) has at least two members in the community, else 0. Members with a
// label of -1 or out of range are ignored.
std::vector<char> joint_success_flags(const std::vector<int>& label, int count,
                                      const std::vector<std::vector<int>>& teams);

struct Cluster {
  int community = 0;     // community id
  int size = 0;          // members
  double density = 0.0;  // internal: 2 m_c / (s(s-1))
};

// The communities that qualify as clusters: size >= min_size, internal density >= min_density
// and has_joint_success[community] != 0 (see joint_success_flags). Sorted by size descending,
// then community id ascending. label: per node, 0..count-1 (or -1 = in no community);
// has_joint_success: count entries. Throws std::invalid_argument on size mismatches.
std::vector<Cluster> qualifying_clusters(const Graph& g, const std::vector<int>& label, int count,
                                         int min_size, double min_density,
                                         const std::vector<char>& has_joint_success);

}  // namespace klynge
