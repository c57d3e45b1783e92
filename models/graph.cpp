#include "models/graph.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace klynge {

Graph Graph::from_edges(int n, const std::vector<std::pair<int, int>>& edges) {
  if (n < 0) throw std::invalid_argument("Graph::from_edges: negative node count");
  Graph g;
  g.n_ = n;
  const auto nodes = static_cast<std::size_t>(n);
  std::vector<std::size_t> count(nodes + 1, 0);
  for (const auto& [u, v] : edges) {
    if (u < 0 || u >= n || v < 0 || v >= n)
      throw std::invalid_argument("Graph::from_edges: edge (" + std::to_string(u) + ", " +
                                  std::to_string(v) + ") outside 0.." + std::to_string(n - 1));
    if (u == v) continue;
    ++count[static_cast<std::size_t>(u) + 1];
    ++count[static_cast<std::size_t>(v) + 1];
  }
  for (std::size_t i = 0; i < nodes; ++i) count[i + 1] += count[i];
  std::vector<int> raw(count[nodes]);
  std::vector<std::size_t> fill(count.begin(), count.end() - 1);
  for (const auto& [u, v] : edges) {
    if (u == v) continue;
    raw[fill[static_cast<std::size_t>(u)]++] = v;
    raw[fill[static_cast<std::size_t>(v)]++] = u;
  }
  // Sort and deduplicate each row, compacting in place.
  g.offsets_.assign(nodes + 1, 0);
  std::size_t out = 0;
  for (std::size_t i = 0; i < nodes; ++i) {
    const auto first = raw.begin() + static_cast<std::ptrdiff_t>(count[i]);
    const auto last = raw.begin() + static_cast<std::ptrdiff_t>(count[i + 1]);
    std::sort(first, last);
    const auto unique_end = std::unique(first, last);
    for (auto it = first; it != unique_end; ++it) raw[out++] = *it;
    g.offsets_[i + 1] = out;
  }
  raw.resize(out);
  raw.shrink_to_fit();
  g.adjacency_ = std::move(raw);
  return g;
}

bool Graph::has_edge(int u, int v) const {
  const auto row = neighbours(u);
  return std::binary_search(row.begin(), row.end(), v);
}

double density(const Graph& g) {
  const double n = g.node_count();
  if (n < 2) return 0.0;
  return 2.0 * static_cast<double>(g.edge_count()) / (n * (n - 1.0));
}

double mean_degree(const Graph& g) {
  if (g.node_count() == 0) return 0.0;
  return 2.0 * static_cast<double>(g.edge_count()) / g.node_count();
}

std::uint64_t triangle_count(const Graph& g) {
  // Orient every edge from the lower to the higher (degree, id) rank; each triangle is then
  // found exactly once, from its lowest-ranked corner, and no out-list exceeds sqrt(2m).
  const int n = g.node_count();
  const auto higher = [&g](int a, int b) {
    const int da = g.degree(a), db = g.degree(b);
    return da != db ? da > db : a > b;
  };
  std::vector<std::size_t> offsets(static_cast<std::size_t>(n) + 1, 0);
  for (int u = 0; u < n; ++u) {
    std::size_t forward = 0;
    for (int v : g.neighbours(u)) forward += higher(v, u) ? 1 : 0;
    offsets[static_cast<std::size_t>(u) + 1] = offsets[static_cast<std::size_t>(u)] + forward;
  }
  std::vector<int> out(offsets.back());
  for (int u = 0; u < n; ++u) {
    std::size_t at = offsets[static_cast<std::size_t>(u)];
    for (int v : g.neighbours(u))
      if (higher(v, u)) out[at++] = v;
  }
  std::vector<int> mark(static_cast<std::size_t>(n), -1);
  std::uint64_t triangles = 0;
  for (int u = 0; u < n; ++u) {
    const std::size_t begin = offsets[static_cast<std::size_t>(u)];
    const std::size_t end = offsets[static_cast<std::size_t>(u) + 1];
    for (std::size_t a = begin; a < end; ++a) mark[static_cast<std::size_t>(out[a])] = u;
    for (std::size_t a = begin; a < end; ++a) {
      const auto v = static_cast<std::size_t>(out[a]);
      for (std::size_t b = offsets[v]; b < offsets[v + 1]; ++b)
        triangles += mark[static_cast<std::size_t>(out[b])] == u ? 1 : 0;
    }
  }
  return triangles;
}

std::uint64_t connected_triples(const Graph& g) {
  std::uint64_t triples = 0;
  for (int u = 0; u < g.node_count(); ++u) {
    const auto d = static_cast<std::uint64_t>(g.degree(u));
    if (d >= 2) triples += d * (d - 1) / 2;
  }
  return triples;
}

double transitivity(const Graph& g) {
  const std::uint64_t triangles = triangle_count(g);
  if (triangles == 0) return 0.0;
  return 3.0 * static_cast<double>(triangles) / static_cast<double>(connected_triples(g));
}

namespace {

void check_member(const Graph& g, const std::vector<char>& member) {
  if (member.size() != static_cast<std::size_t>(g.node_count()))
    throw std::invalid_argument("graph: member mask has " + std::to_string(member.size()) +
                                " entries for " + std::to_string(g.node_count()) + " nodes");
}

// Components of the subgraph induced by `member` (nullptr = all nodes); non-members get -1.
Components components_of(const Graph& g, const std::vector<char>* member) {
  const int n = g.node_count();
  Components c;
  c.label.assign(static_cast<std::size_t>(n), -1);
  std::vector<int> queue;
  queue.reserve(static_cast<std::size_t>(n));
  for (int s = 0; s < n; ++s) {
    if (c.label[static_cast<std::size_t>(s)] >= 0) continue;
    if (member && !(*member)[static_cast<std::size_t>(s)]) continue;
    const int id = c.count++;
    queue.clear();
    queue.push_back(s);
    c.label[static_cast<std::size_t>(s)] = id;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (int v : g.neighbours(queue[head])) {
        const auto vi = static_cast<std::size_t>(v);
        if (c.label[vi] >= 0 || (member && !(*member)[vi])) continue;
        c.label[vi] = id;
        queue.push_back(v);
      }
    }
    const int size = static_cast<int>(queue.size());
    c.size.push_back(size);
    c.largest = std::max(c.largest, size);
  }
  return c;
}

}  // namespace

Components connected_components(const Graph& g) {
  return components_of(g, nullptr);
}

double largest_component_share(const Graph& g) {
  if (g.node_count() == 0) return 0.0;
  return static_cast<double>(connected_components(g).largest) / g.node_count();
}

double density_among(const Graph& g, const std::vector<char>& member) {
  check_member(g, member);
  std::uint64_t k = 0, twice_m = 0;
  for (int u = 0; u < g.node_count(); ++u) {
    if (!member[static_cast<std::size_t>(u)]) continue;
    ++k;
    for (int v : g.neighbours(u)) twice_m += member[static_cast<std::size_t>(v)] ? 1 : 0;
  }
  if (k < 2) return 0.0;
  return static_cast<double>(twice_m) / (static_cast<double>(k) * static_cast<double>(k - 1));
}

double largest_component_share_among(const Graph& g, const std::vector<char>& member) {
  check_member(g, member);
  const Components c = components_of(g, &member);
  int k = 0;
  for (char m : member) k += m ? 1 : 0;
  if (k == 0) return 0.0;
  return static_cast<double>(c.largest) / k;
}

double degree_cv_among(const Graph& g, const std::vector<char>& member) {
  check_member(g, member);
  // std / mean = sqrt(k sum(d^2) - (sum d)^2) / sum(d), exact in integers up to the root.
  std::uint64_t k = 0, sum = 0, sum_sq = 0;
  for (int u = 0; u < g.node_count(); ++u) {
    if (!member[static_cast<std::size_t>(u)]) continue;
    std::uint64_t d = 0;
    for (int v : g.neighbours(u)) d += member[static_cast<std::size_t>(v)] ? 1 : 0;
    ++k;
    sum += d;
    sum_sq += d * d;
  }
  if (sum == 0) return 0.0;
  const std::uint64_t spread = k * sum_sq - sum * sum;  // >= 0 by Cauchy-Schwarz
  return std::sqrt(static_cast<double>(spread)) / static_cast<double>(sum);
}

GraphSummary summarize(const Graph& g) {
  GraphSummary s;
  s.nodes = g.node_count();
  s.edges = g.edge_count();
  s.density = density(g);
  s.mean_degree = mean_degree(g);
  s.transitivity = transitivity(g);
  const Components c = connected_components(g);
  s.components = c.count;
  s.largest_component = c.largest;
  s.largest_component_share = s.nodes == 0 ? 0.0 : static_cast<double>(c.largest) / s.nodes;
  return s;
}

}  // namespace klynge
