#pragma once
// The graph the model observes (the collaboration graph: pairs with trust >= collab_trust) and
// its metrics, with networkx's definitions so researchers can recompute every figure.
//
//   Graph g = Graph::from_edges(n, pairs);        // undirected, simple, unweighted, CSR
//   GraphSummary s = summarize(g);                 // density, mean degree, transitivity, ...
//   double d = density_among(g, is_participant);   // the same on an induced subgraph
//
// Definitions (networkx 2.8; n nodes, m edges):
//   density                  2m / (n(n-1)); 0 when n < 2                       (nx.density)
//   mean_degree              2m / n; 0 when n = 0
//   transitivity             3 x triangles / connected triples; 0 when there are no
//                            triangles                                          (nx.transitivity)
//   components               connected components; an isolate is a component
//                                                          (nx.number_connected_components)
//   largest_component_share  size of the largest component / n; 0 when n = 0
// The *_among variants work on the subgraph induced by the nodes with member[i] != 0, and
// their shares are shares of that subset.
//
// Everything here is integer arithmetic up to one final division, so results are bit-identical
// across runs, compilers and thread counts. Costs: construction O(m log d), triangles
// O(m sqrt(m)) by degree ordering, components O(n + m).
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace klynge {

// Undirected simple graph over nodes 0..n-1 in compressed sparse row form. Each node's
// neighbour list is sorted ascending, without duplicates or self-loops. Immutable once built.
class Graph {
 public:
  Graph() = default;  // no nodes

  // Builds from unordered pairs; duplicates (in either orientation) are merged and self-loops
  // dropped. Throws std::invalid_argument for n < 0 or an endpoint outside 0..n-1.
  static Graph from_edges(int n, const std::vector<std::pair<int, int>>& edges);

  int node_count() const { return n_; }
  std::size_t edge_count() const { return adjacency_.size() / 2; }
  // Sorted ascending. Valid while the graph lives.
  std::span<const int> neighbours(int i) const {
    return {adjacency_.data() + offsets_[static_cast<std::size_t>(i)],
            adjacency_.data() + offsets_[static_cast<std::size_t>(i) + 1]};
  }
  int degree(int i) const {
    return static_cast<int>(offsets_[static_cast<std::size_t>(i) + 1] -
                            offsets_[static_cast<std::size_t>(i)]);
  }
  // O(log degree).
  bool has_edge(int u, int v) const;

 private:
  int n_ = 0;
  std::vector<std::size_t> offsets_{0};  // n + 1 entries
  std::vector<int> adjacency_;           // 2m entries
};

double density(const Graph& g);
double mean_degree(const Graph& g);
// Number of triangles (each counted once).
std::uint64_t triangle_count(const Graph& g);
// Number of connected triples (paths of length 2, sum over nodes of d(d-1)/2).
std::uint64_t connected_triples(const Graph& g);
double transitivity(const Graph& g);

struct Components {
  std::vector<int> label;  // per node, 0..count-1 in order of first appearance by node index
  std::vector<int> size;   // per component
  int count = 0;
  int largest = 0;  // size of the largest component (0 for an empty graph)
};
Components connected_components(const Graph& g);
double largest_component_share(const Graph& g);

// Induced-subgraph metrics; member has one entry per node (nonzero = in the subset).
// Throw std::invalid_argument when member.size() != node_count().
double density_among(const Graph& g, const std::vector<char>& member);
// Largest component of the induced subgraph / number of members; 0 when there are none.
double largest_component_share_among(const Graph& g, const std::vector<char>& member);
// Population standard deviation / mean of the members' degrees in the induced subgraph; 0 when
// the mean is 0.
double degree_cv_among(const Graph& g, const std::vector<char>& member);

struct GraphSummary {
  int nodes = 0;
  std::size_t edges = 0;
  double density = 0.0;
  double mean_degree = 0.0;
  double transitivity = 0.0;
  int components = 0;
  int largest_component = 0;  // size
  double largest_component_share = 0.0;
};
GraphSummary summarize(const Graph& g);

}  // namespace klynge
