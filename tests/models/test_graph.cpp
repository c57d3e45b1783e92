// Graph type and metrics on hand-computed graphs. The comparison with networkx on random graphs
// is in test_communities.cpp (one reference run checks the metrics and the modularity).
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

#include "models/graph.hpp"
#include "sim/core/random.hpp"

using klynge::Graph;
using Edges = std::vector<std::pair<int, int>>;

namespace {

Graph triangle() {
  return Graph::from_edges(3, {{0, 1}, {1, 2}, {2, 0}});
}
Graph star() {
  return Graph::from_edges(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}});
}  // centre 0
Graph path4() {
  return Graph::from_edges(4, {{0, 1}, {1, 2}, {2, 3}});
}
// Cliques {0,1,2,3} and {4,5,6,7} joined by the edge 3-4.
Graph two_cliques() {
  Edges e;
  for (int base : {0, 4})
    for (int a = 0; a < 4; ++a)
      for (int b = a + 1; b < 4; ++b) e.emplace_back(base + a, base + b);
  e.emplace_back(3, 4);
  return Graph::from_edges(8, e);
}

// Random sparse graph: m draws of a uniform pair (duplicates and loops merged away).
Graph random_graph(int n, std::size_t draws, std::uint64_t seed) {
  klynge::KeyedRng rng =
      klynge::RandomStreams(seed, 0).rng(klynge::Process::synthetic_population, 0, 1);
  Edges e;
  e.reserve(draws);
  for (std::size_t i = 0; i < draws; ++i)
    e.emplace_back(static_cast<int>(rng() % static_cast<std::uint64_t>(n)),
                   static_cast<int>(rng() % static_cast<std::uint64_t>(n)));
  return Graph::from_edges(n, e);
}

// Oracle: triangles by sorted-list intersection over u < v < w.
std::uint64_t naive_triangles(const Graph& g) {
  std::uint64_t t = 0;
  for (int u = 0; u < g.node_count(); ++u)
    for (int v : g.neighbours(u)) {
      if (v <= u) continue;
      const auto a = g.neighbours(u), b = g.neighbours(v);
      std::vector<int> common;
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
      for (int w : common) t += w > v ? 1 : 0;
    }
  return t;
}

}  // namespace

TEST_CASE("graph: construction merges duplicates, drops self-loops, sorts neighbours", "[graph]") {
  const Graph g = Graph::from_edges(4, {{2, 0}, {0, 2}, {1, 1}, {0, 3}, {2, 0}, {3, 0}, {1, 2}});
  CHECK(g.node_count() == 4);
  CHECK(g.edge_count() == 3);
  const auto n0 = g.neighbours(0);
  CHECK(std::vector<int>(n0.begin(), n0.end()) == std::vector<int>{2, 3});
  CHECK(g.degree(0) == 2);
  CHECK(g.degree(1) == 1);
  CHECK(g.degree(2) == 2);
  CHECK(g.degree(3) == 1);
  CHECK(g.has_edge(0, 2));
  CHECK(g.has_edge(2, 0));
  CHECK_FALSE(g.has_edge(1, 1));
  CHECK_FALSE(g.has_edge(1, 3));
}

TEST_CASE("graph: invalid input is rejected", "[graph]") {
  CHECK_THROWS_AS(Graph::from_edges(-1, {}), std::invalid_argument);
  CHECK_THROWS_AS(Graph::from_edges(3, {{0, 3}}), std::invalid_argument);
  CHECK_THROWS_AS(Graph::from_edges(3, {{-1, 0}}), std::invalid_argument);
  const Graph g = triangle();
  CHECK_THROWS_AS(klynge::density_among(g, {1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(klynge::degree_cv_among(g, {1, 1, 1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(klynge::largest_component_share_among(g, {}), std::invalid_argument);
}

TEST_CASE("graph: triangle", "[graph]") {
  const Graph g = triangle();
  const auto s = klynge::summarize(g);
  CHECK(s.nodes == 3);
  CHECK(s.edges == 3);
  CHECK(s.density == 1.0);
  CHECK(s.mean_degree == 2.0);
  CHECK(klynge::triangle_count(g) == 1);
  CHECK(klynge::connected_triples(g) == 3);
  CHECK(s.transitivity == 1.0);
  CHECK(s.components == 1);
  CHECK(s.largest_component == 3);
  CHECK(s.largest_component_share == 1.0);
}

TEST_CASE("graph: star", "[graph]") {
  const Graph g = star();
  const auto s = klynge::summarize(g);
  CHECK(s.density == Approx(0.4));  // 8 / 20
  CHECK(s.mean_degree == Approx(1.6));
  CHECK(klynge::connected_triples(g) == 6);
  CHECK(s.transitivity == 0.0);
  CHECK(s.components == 1);
  CHECK(s.largest_component_share == 1.0);
  // Degrees 4,1,1,1,1: mean 1.6, population std 1.2.
  CHECK(klynge::degree_cv_among(g, {1, 1, 1, 1, 1}) == Approx(0.75));
  // Leaves only: no edges among them.
  const std::vector<char> leaves{0, 1, 1, 1, 1};
  CHECK(klynge::density_among(g, leaves) == 0.0);
  CHECK(klynge::largest_component_share_among(g, leaves) == Approx(0.25));
  CHECK(klynge::degree_cv_among(g, leaves) == 0.0);
}

TEST_CASE("graph: path", "[graph]") {
  const Graph g = path4();
  const auto s = klynge::summarize(g);
  CHECK(s.density == Approx(0.5));  // 6 / 12
  CHECK(s.mean_degree == Approx(1.5));
  CHECK(klynge::connected_triples(g) == 2);
  CHECK(s.transitivity == 0.0);
  CHECK(s.components == 1);
  // Removing an inner node splits the path: {0} and {2,3}.
  const std::vector<char> without_1{1, 0, 1, 1};
  CHECK(klynge::largest_component_share_among(g, without_1) == Approx(2.0 / 3.0));
  CHECK(klynge::density_among(g, without_1) == Approx(1.0 / 3.0));  // 1 edge of 3 pairs
  // Degrees 0,1,1: mean 2/3, std sqrt(2)/3, cv sqrt(2)/2.
  CHECK(klynge::degree_cv_among(g, without_1) == Approx(std::sqrt(2.0) / 2.0));
}

TEST_CASE("graph: two cliques joined by an edge", "[graph]") {
  const Graph g = two_cliques();
  const auto s = klynge::summarize(g);
  CHECK(s.edges == 13);
  CHECK(s.density == Approx(26.0 / 56.0));
  CHECK(s.mean_degree == Approx(3.25));
  CHECK(klynge::triangle_count(g) == 8);
  CHECK(klynge::connected_triples(g) == 30);  // 6 nodes x 3 + 2 bridge nodes x 6
  CHECK(s.transitivity == Approx(0.8));
  CHECK(s.components == 1);
  CHECK(s.largest_component_share == 1.0);
  // First clique plus node 5 of the second: 6 edges among 5 nodes, components {0..3}, {5}.
  const std::vector<char> member{1, 1, 1, 1, 0, 1, 0, 0};
  CHECK(klynge::density_among(g, member) == Approx(0.6));
  CHECK(klynge::largest_component_share_among(g, member) == Approx(0.8));
  // Degrees 3,3,3,3,0: mean 2.4, std 1.2.
  CHECK(klynge::degree_cv_among(g, member) == Approx(0.5));
  const auto c = klynge::connected_components(g);
  CHECK(c.count == 1);
  CHECK(c.size == std::vector<int>{8});
}

TEST_CASE("graph: empty graph and single node", "[graph]") {
  const Graph empty;
  auto s = klynge::summarize(empty);
  CHECK(s.nodes == 0);
  CHECK(s.edges == 0);
  CHECK(s.density == 0.0);
  CHECK(s.mean_degree == 0.0);
  CHECK(s.transitivity == 0.0);
  CHECK(s.components == 0);
  CHECK(s.largest_component_share == 0.0);
  CHECK(klynge::density_among(empty, {}) == 0.0);
  CHECK(klynge::largest_component_share_among(empty, {}) == 0.0);
  CHECK(klynge::degree_cv_among(empty, {}) == 0.0);

  const Graph one = Graph::from_edges(1, {});
  s = klynge::summarize(one);
  CHECK(s.nodes == 1);
  CHECK(s.density == 0.0);
  CHECK(s.mean_degree == 0.0);
  CHECK(s.transitivity == 0.0);
  CHECK(s.components == 1);
  CHECK(s.largest_component_share == 1.0);
  CHECK(klynge::density_among(one, {1}) == 0.0);
  CHECK(klynge::largest_component_share_among(one, {1}) == 1.0);
  CHECK(klynge::largest_component_share_among(one, {0}) == 0.0);
}

TEST_CASE("graph: isolates count as components, labels in order of first appearance", "[graph]") {
  // 0-2, 3-4, isolates 1 and 5.
  const Graph g = Graph::from_edges(6, {{0, 2}, {4, 3}});
  const auto c = klynge::connected_components(g);
  CHECK(c.count == 4);
  CHECK(c.label == std::vector<int>{0, 1, 0, 2, 2, 3});
  CHECK(c.size == std::vector<int>{2, 1, 2, 1});
  CHECK(c.largest == 2);
  CHECK(klynge::largest_component_share(g) == Approx(2.0 / 6.0));
  CHECK(klynge::transitivity(g) == 0.0);  // no triples at all
}

TEST_CASE("graph: degree-ordered triangle count agrees with list intersection", "[graph]") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Graph g = random_graph(400, 4000, seed);
    CHECK(klynge::triangle_count(g) == naive_triangles(g));
  }
}

TEST_CASE("graph: metrics on a 100k-node sparse graph complete quickly", "[graph]") {
  const auto t0 = std::chrono::steady_clock::now();
  const Graph g = random_graph(100000, 500000, 7);
  const auto t1 = std::chrono::steady_clock::now();
  const auto s = klynge::summarize(g);
  const auto t2 = std::chrono::steady_clock::now();
  CHECK(s.nodes == 100000);
  CHECK(s.edges > 490000);
  CHECK(s.transitivity >= 0.0);
  CHECK(s.transitivity < 0.01);
  CHECK(s.components >= 1);
  const auto ms = [](auto a, auto b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  WARN("100k nodes, " << s.edges << " edges: build " << ms(t0, t1) << " ms, summarize "
                      << ms(t1, t2) << " ms");
}
