// Louvain, modularity, label matching and the cluster test; plus the networkx comparison of
// every graph metric (tests/python/graph_reference.py run with Debian's /usr/bin/python3).
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "models/communities.hpp"
#include "models/graph.hpp"
#include "sim/core/random.hpp"
#include "tests/support/temp_dir.hpp"

using klynge::Graph;
using klynge::RandomStreams;
using Edges = std::vector<std::pair<int, int>>;

namespace {

klynge::KeyedRng test_rng(std::uint64_t seed) {
  return RandomStreams(seed, 0).rng(klynge::Process::synthetic_population, 0, 99);
}

Graph erdos_renyi(int n, double p, std::uint64_t seed) {
  klynge::KeyedRng rng = test_rng(seed);
  Edges e;
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b)
      if (rng.bernoulli(p)) e.emplace_back(a, b);
  return Graph::from_edges(n, e);
}

// Four equal groups (node i in group i % 4, so groups interleave in node order).
Graph planted_partition(int n, double p_in, double p_out, std::uint64_t seed) {
  klynge::KeyedRng rng = test_rng(seed);
  Edges e;
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b)
      if (rng.bernoulli(a % 4 == b % 4 ? p_in : p_out)) e.emplace_back(a, b);
  return Graph::from_edges(n, e);
}

// Sparse planted partition for large n: each node draws `out` partners, a share `p_in` of
// them inside its group of size `group`.
Graph sparse_planted(int n, int group, int out, double p_in, std::uint64_t seed) {
  klynge::KeyedRng rng = test_rng(seed);
  Edges e;
  const auto un = static_cast<std::uint64_t>(n), ug = static_cast<std::uint64_t>(group);
  for (int a = 0; a < n; ++a)
    for (int k = 0; k < out; ++k) {
      int b;
      if (rng.bernoulli(p_in)) {
        const int base = a / group * group;
        b = base + static_cast<int>(rng() % ug);
        if (b >= n) b = base;
      } else {
        b = static_cast<int>(rng() % un);
      }
      e.emplace_back(a, b);
    }
  return Graph::from_edges(n, e);
}

// Barabasi-Albert-like preferential attachment: a clique of k + 1 nodes, then each new node
// links to k distinct nodes drawn proportionally to degree.
Graph barabasi_albert(int n, int k, std::uint64_t seed) {
  klynge::KeyedRng rng = test_rng(seed);
  Edges e;
  std::vector<int> ends;  // each node once per incident edge
  for (int a = 0; a <= k; ++a)
    for (int b = a + 1; b <= k; ++b) {
      e.emplace_back(a, b);
      ends.push_back(a);
      ends.push_back(b);
    }
  std::vector<int> chosen;
  for (int v = k + 1; v < n; ++v) {
    chosen.clear();
    while (static_cast<int>(chosen.size()) < k) {
      const int t = ends[static_cast<std::size_t>(rng() % ends.size())];
      if (std::find(chosen.begin(), chosen.end(), t) == chosen.end()) chosen.push_back(t);
    }
    for (int t : chosen) {
      e.emplace_back(v, t);
      ends.push_back(v);
      ends.push_back(t);
    }
  }
  return Graph::from_edges(n, e);
}

Graph two_cliques() {
  Edges e;
  for (int base : {0, 4})
    for (int a = 0; a < 4; ++a)
      for (int b = a + 1; b < 4; ++b) e.emplace_back(base + a, base + b);
  e.emplace_back(3, 4);
  return Graph::from_edges(8, e);
}

// `cliques` cliques of `size` nodes in a ring, neighbouring cliques joined by one edge.
Graph ring_of_cliques(int cliques, int size) {
  Edges e;
  for (int c = 0; c < cliques; ++c) {
    const int base = c * size;
    for (int a = 0; a < size; ++a)
      for (int b = a + 1; b < size; ++b) e.emplace_back(base + a, base + b);
    e.emplace_back(base, (base + size + 1) % (cliques * size));
  }
  return Graph::from_edges(cliques * size, e);
}

// A partition is canonical when labels are 0..count-1 in order of first appearance.
bool canonical(const std::vector<int>& label, int count) {
  int next = 0;
  for (int l : label) {
    if (l < 0 || l > next) return false;
    if (l == next) ++next;
  }
  return next == count;
}

// --- networkx reference -----------------------------------------------------------------

std::map<std::string, double> parse_flat_json(const std::string& text) {
  std::map<std::string, double> out;
  std::size_t at = 0;
  while ((at = text.find('"', at)) != std::string::npos) {
    const std::size_t end = text.find('"', at + 1);
    if (end == std::string::npos) break;
    const std::string key = text.substr(at + 1, end - at - 1);
    std::size_t colon = text.find(':', end);
    if (colon == std::string::npos) break;
    const char* begin = text.c_str() + colon + 1;
    char* stop = nullptr;
    out[key] = std::strtod(begin, &stop);
    at = static_cast<std::size_t>(stop - text.c_str());
  }
  return out;
}

struct Reference {
  bool ok = false;
  std::string error;
  std::map<std::string, double> value;
};

Reference networkx_reference(const Graph& g, const std::vector<int>& label,
                             const std::vector<char>& member) {
  Reference ref;
  const std::string python = "/usr/bin/python3";
  if (!std::filesystem::exists(python)) {
    ref.error = python + " is missing (Debian's python3 with python3-networkx is required)";
    return ref;
  }
  const klynge::testing::TempDir temp("klynge-graph-reference");
  const auto& dir = temp.path;
  const auto edges_path = dir / "edges.txt", labels_path = dir / "labels.txt",
             members_path = dir / "members.txt", err_path = dir / "stderr.txt";
  {
    std::ofstream f(edges_path);
    f << g.node_count() << '\n';
    for (int u = 0; u < g.node_count(); ++u)
      for (int v : g.neighbours(u))
        if (u < v) f << u << ' ' << v << '\n';
    std::ofstream l(labels_path);
    for (int x : label) l << x << '\n';
    std::ofstream m(members_path);
    for (char x : member) m << (x ? 1 : 0) << '\n';
  }
  const std::string script = std::string(KLYNGE_SOURCE_DIR) + "/tests/python/graph_reference.py";
  const std::string command = python + " '" + script + "' --edges '" + edges_path.string() +
                              "' --labels '" + labels_path.string() + "' --members '" +
                              members_path.string() + "' 2> '" + err_path.string() + "'";
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
    const int status = ::pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::ifstream e(err_path);
      std::stringstream err;
      err << e.rdbuf();
      ref.error = "graph_reference.py failed (status " + std::to_string(status) +
                  "): " + err.str() +
                  (WIFEXITED(status) && WEXITSTATUS(status) == 3
                       ? " -- install python3-networkx (scripts/setup.sh)"
                       : "");
    } else {
      ref.ok = true;
      ref.value = parse_flat_json(out);
    }
  } else {
    ref.error = "cannot run " + command;
  }
  return ref;
}

}  // namespace

TEST_CASE("communities: modularity of hand partitions", "[communities]") {
  const Graph tri = Graph::from_edges(3, {{0, 1}, {1, 2}, {0, 2}});
  CHECK(klynge::modularity(tri, {0, 0, 0}) == 0.0);
  CHECK(klynge::modularity(tri, {0, 1, 2}) == Approx(-1.0 / 3.0));
  const Graph g = two_cliques();
  // m = 13; each clique: 6 inner edges, degree sum 13.  Q = 2 (6/13 - 1/4).
  const double q = 12.0 / 13.0 - 0.5;
  CHECK(klynge::modularity(g, {0, 0, 0, 0, 1, 1, 1, 1}) == Approx(q));
  // Label values need not be contiguous or small.
  CHECK(klynge::modularity(g, {7, 7, 7, 7, 1000000, 1000000, 1000000, 1000000}) == Approx(q));
  CHECK(klynge::modularity(Graph::from_edges(4, {}), {0, 1, 2, 3}) == 0.0);
  CHECK_THROWS_AS(klynge::modularity(g, {0, 0}), std::invalid_argument);
  CHECK_THROWS_AS(klynge::modularity(g, {0, 0, 0, 0, -1, 1, 1, 1}), std::invalid_argument);
}

TEST_CASE("communities: Louvain splits two cliques joined by an edge", "[communities]") {
  const Graph g = two_cliques();
  const auto c = klynge::detect_communities(g, RandomStreams(1, 0), 0);
  CHECK(c.count == 2);
  CHECK(c.label == std::vector<int>{0, 0, 0, 0, 1, 1, 1, 1});
  CHECK(c.modularity == Approx(12.0 / 13.0 - 0.5));
}

TEST_CASE("communities: Louvain finds each clique of a ring of cliques", "[communities]") {
  const Graph g = ring_of_cliques(10, 5);
  for (int step = 0; step < 5; ++step) {
    const auto c = klynge::detect_communities(g, RandomStreams(42, 3), step);
    REQUIRE(c.count == 10);
    for (int v = 0; v < 50; ++v) CHECK(c.label[static_cast<std::size_t>(v)] == v / 5);
  }
}

TEST_CASE("communities: isolates keep their own community, edgeless and empty graphs",
          "[communities]") {
  // Triangle 1-3-5 and isolates 0, 2, 4.
  const Graph g = Graph::from_edges(6, {{1, 3}, {3, 5}, {5, 1}});
  const auto c = klynge::detect_communities(g, RandomStreams(1, 0), 0);
  CHECK(c.label == std::vector<int>{0, 1, 2, 1, 3, 1});
  CHECK(c.count == 4);
  CHECK(c.modularity == Approx(0.0));

  const auto none = klynge::detect_communities(Graph::from_edges(3, {}), RandomStreams(1, 0), 0);
  CHECK(none.label == std::vector<int>{0, 1, 2});
  CHECK(none.count == 3);
  CHECK(none.modularity == 0.0);

  const auto empty = klynge::detect_communities(Graph(), RandomStreams(1, 0), 0);
  CHECK(empty.label.empty());
  CHECK(empty.count == 0);
  CHECK(empty.modularity == 0.0);
}

TEST_CASE("communities: Louvain is deterministic for the same streams and step", "[communities]") {
  const Graph g = planted_partition(600, 0.05, 0.01, 11);
  const RandomStreams streams(2024, 5);
  const auto a = klynge::detect_communities(g, streams, 7);
  const auto b = klynge::detect_communities(g, RandomStreams(2024, 5), 7);
  CHECK(a.label == b.label);
  CHECK(a.count == b.count);
  CHECK(a.modularity == b.modularity);  // bit-identical
  // Other steps and replicates shuffle differently; every result is a valid partition whose
  // reported modularity is its modularity.
  for (int step = 0; step < 6; ++step) {
    for (std::uint64_t replicate : {0u, 1u}) {
      const auto c = klynge::detect_communities(g, RandomStreams(2024, replicate), step);
      REQUIRE(c.label.size() == 600);
      CHECK(canonical(c.label, c.count));
      CHECK(c.modularity == klynge::modularity(g, c.label));
      CHECK(c.modularity > 0.3);
    }
  }
}

TEST_CASE("communities: metrics and modularity agree with networkx",
          "[graph][communities][networkx]") {
  struct Case {
    const char* name;
    Graph g;
  };
  const std::vector<Case> cases = {
      {"erdos-renyi 20", erdos_renyi(20, 0.2, 1)},
      {"erdos-renyi 200", erdos_renyi(200, 0.03, 2)},
      {"erdos-renyi 500 sparse", erdos_renyi(500, 0.004, 3)},  // isolates, many components
      {"planted 120", planted_partition(120, 0.3, 0.02, 4)},
      {"planted 400", planted_partition(400, 0.08, 0.004, 5)},
      {"barabasi-albert 300", barabasi_albert(300, 3, 6)},
      {"barabasi-albert 500", barabasi_albert(500, 2, 7)},
  };
  for (const auto& [name, g] : cases) {
    INFO(name);
    const auto c = klynge::detect_communities(g, RandomStreams(17, 0), 3);
    std::vector<char> member(static_cast<std::size_t>(g.node_count()));
    for (std::size_t i = 0; i < member.size(); ++i) member[i] = i % 3 != 0 ? 1 : 0;
    const Reference ref = networkx_reference(g, c.label, member);
    if (!ref.ok) FAIL(ref.error);
    const auto& nx = ref.value;
    const auto s = klynge::summarize(g);
    CHECK(nx.at("nodes") == s.nodes);
    CHECK(nx.at("edges") == static_cast<double>(s.edges));
    CHECK(s.density == Approx(nx.at("density")).margin(1e-9).epsilon(0));
    CHECK(s.transitivity == Approx(nx.at("transitivity")).margin(1e-9).epsilon(0));
    CHECK(static_cast<double>(klynge::triangle_count(g)) == nx.at("triangles"));
    CHECK(s.components == nx.at("components"));
    CHECK(s.largest_component == nx.at("largest_component"));
    CHECK(klynge::density_among(g, member) ==
          Approx(nx.at("density_among")).margin(1e-9).epsilon(0));
    CHECK(klynge::largest_component_share_among(g, member) ==
          Approx(nx.at("largest_component_share_among")).margin(1e-9).epsilon(0));
    CHECK(klynge::degree_cv_among(g, member) ==
          Approx(nx.at("degree_cv_among")).margin(1e-9).epsilon(0));
    CHECK(c.modularity == Approx(nx.at("modularity")).margin(1e-9).epsilon(0));
    CHECK(c.modularity >= nx.at("louvain_modularity") - 0.02);
    WARN(name << ": modularity klynge " << c.modularity << " (" << c.count
              << " communities), networkx louvain " << nx.at("louvain_modularity") << " ("
              << nx.at("louvain_count") << ")");
  }
}

TEST_CASE("communities: match_labels keeps colours by largest overlap", "[communities]") {
  SECTION("same partition keeps its colours; next free colour rises above the old ones") {
    int next = 0;
    CHECK(klynge::match_labels({5, 5, 9, 9}, {0, 0, 1, 1}, next) == std::vector<int>{5, 9});
    CHECK(next == 10);
  }
  SECTION("a split: the larger part keeps the colour, the other gets a fresh one") {
    int next = 4;
    CHECK(klynge::match_labels({3, 3, 3, 3, 3, 3}, {1, 1, 0, 0, 0, 0}, next) ==
          std::vector<int>{3, 4});
    CHECK(next == 5);
  }
  SECTION("a merge takes the colour of the larger overlap") {
    int next = 3;
    CHECK(klynge::match_labels({1, 1, 2, 2, 2}, {0, 0, 0, 0, 0}, next) == std::vector<int>{2});
    CHECK(next == 3);
  }
  SECTION("equal overlaps: the lowest previous colour wins") {
    int next = 8;
    CHECK(klynge::match_labels({7, 7, 4, 4}, {0, 0, 0, 0}, next) == std::vector<int>{4});
  }
  SECTION("equal overlaps for one colour: the lowest community wins") {
    int next = 5;
    CHECK(klynge::match_labels({4, 4, 4, 4}, {1, 1, 0, 0}, next) == std::vector<int>{4, 5});
    CHECK(next == 6);
  }
  SECTION("greedy: the largest overlaps are settled first") {
    int next = 3;
    // Overlaps: (c0, 1) = 2, (c1, 2) = 2, (c1, 1) = 1.
    CHECK(klynge::match_labels({1, 1, 1, 2, 2}, {0, 0, 1, 1, 1}, next) == std::vector<int>{1, 2});
    // Overlaps: (c1, 1) = 3, (c0, 1) = 2 -> c0 cannot take colour 1.
    CHECK(klynge::match_labels({1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}, next) == std::vector<int>{3, 1});
    CHECK(next == 4);
  }
  SECTION("nodes without a previous colour are ignored; first detection") {
    int next = 0;
    CHECK(klynge::match_labels({-1, -1, -1}, {0, 1, 1}, next) == std::vector<int>{0, 1});
    CHECK(next == 2);
    next = 0;
    CHECK(klynge::match_labels({}, {0, 1, 2}, next) == std::vector<int>{0, 1, 2});
    CHECK(next == 3);
  }
  SECTION("nodes in no current community and a shorter previous vector") {
    int next = 10;
    // Node 3 is new (beyond previous), node 1 is in no community now.
    CHECK(klynge::match_labels({2, 6, 2}, {0, -1, 0, 1}, next) == std::vector<int>{2, 10});
    CHECK(next == 11);
  }
  SECTION("round trip: colours follow communities across detections") {
    const Graph g = ring_of_cliques(6, 4);
    int next = 0;
    const auto first = klynge::detect_communities(g, RandomStreams(3, 0), 0);
    const auto colour_map = klynge::match_labels({}, first.label, next);
    std::vector<int> colour(first.label.size());
    for (std::size_t i = 0; i < colour.size(); ++i)
      colour[i] = colour_map[static_cast<std::size_t>(first.label[i])];
    const auto second = klynge::detect_communities(g, RandomStreams(3, 0), 1);
    const auto again = klynge::match_labels(colour, second.label, next);
    for (std::size_t i = 0; i < colour.size(); ++i)
      CHECK(again[static_cast<std::size_t>(second.label[i])] == colour[i]);
    CHECK(next == first.count);
  }
}

TEST_CASE("communities: cluster qualification", "[communities]") {
  // Community 0: clique {0,1,2,3}; 1: clique {4,5,6,7}; 2: path 8-9-10 (density 2/3);
  // 3: star centred on 11 with leaves 12..15 (density 0.4); 4: pair {16,17}.
  Edges e;
  for (int base : {0, 4})
    for (int a = 0; a < 4; ++a)
      for (int b = a + 1; b < 4; ++b) e.emplace_back(base + a, base + b);
  e.insert(e.end(), {{3, 4},
                     {8, 9},
                     {9, 10},
                     {7, 8},
                     {11, 12},
                     {11, 13},
                     {11, 14},
                     {11, 15},
                     {10, 11},
                     {16, 17}});
  const Graph g = Graph::from_edges(18, e);
  const std::vector<int> label{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4};
  const std::vector<std::vector<int>> teams{{0, 1}, {4, 8}, {9, 10, 2}, {12, 15}, {16, 17}, {}};
  const auto flags = klynge::joint_success_flags(label, 5, teams);
  CHECK(flags == std::vector<char>{1, 0, 1, 1, 1});

  auto clusters = klynge::qualifying_clusters(g, label, 5, 3, 0.3, flags);
  REQUIRE(clusters.size() == 3);
  CHECK(clusters[0].community == 3);  // size 5
  CHECK(clusters[0].size == 5);
  CHECK(clusters[0].density == Approx(0.4));
  CHECK(clusters[1].community == 0);
  CHECK(clusters[1].size == 4);
  CHECK(clusters[1].density == 1.0);
  CHECK(clusters[2].community == 2);
  CHECK(clusters[2].density == Approx(2.0 / 3.0));

  clusters = klynge::qualifying_clusters(g, label, 5, 3, 0.5, flags);  // the star is too sparse
  REQUIRE(clusters.size() == 2);
  CHECK(clusters[0].community == 0);
  CHECK(clusters[1].community == 2);

  clusters = klynge::qualifying_clusters(g, label, 5, 2, 0.3, {1, 1, 1, 1, 1});
  CHECK(clusters.size() == 5);  // the pair counts once min_size is 2

  CHECK(klynge::qualifying_clusters(g, label, 5, 3, 0.3, {0, 0, 0, 0, 0}).empty());
  CHECK_THROWS_AS(klynge::qualifying_clusters(g, label, 5, 3, 0.3, {1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(klynge::qualifying_clusters(g, {0, 1}, 2, 3, 0.3, {1, 1}), std::invalid_argument);

  // With detected communities: two cliques, a successful team in the first only.
  const Graph cliques = two_cliques();
  const auto c = klynge::detect_communities(cliques, RandomStreams(1, 0), 0);
  const auto detected = klynge::qualifying_clusters(
      cliques, c.label, c.count, 3, 0.3, klynge::joint_success_flags(c.label, c.count, {{1, 2}}));
  REQUIRE(detected.size() == 1);
  CHECK(detected[0].community == c.label[1]);
  CHECK(detected[0].size == 4);
}

TEST_CASE("communities: Louvain on 100k nodes", "[communities]") {
  // Timing is reported, not asserted: wall clock and process CPU time.
  const auto run = [](const char* name, const Graph& g, double min_modularity) {
    const auto wall0 = std::chrono::steady_clock::now();
    const std::clock_t cpu0 = std::clock();
    const auto c = klynge::detect_communities(g, RandomStreams(1, 0), 0);
    const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    const double wall_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
    CHECK(canonical(c.label, c.count));
    CHECK(c.modularity > min_modularity);
    WARN("Louvain, " << name << ", " << g.node_count() << " nodes, " << g.edge_count()
                     << " edges: " << wall_ms << " ms wall, " << cpu_ms << " ms CPU, " << c.count
                     << " communities, Q " << c.modularity);
  };
  run("preferential attachment (5 links per node)", barabasi_albert(100000, 5, 8), 0.2);
  run("planted groups of 50", sparse_planted(100000, 50, 5, 0.7, 9), 0.5);
}

TEST_CASE("communities: weighted Louvain follows the weights (v2.5 trust-weighted)",
          "[communities]") {
  // A ring of four: 0-1 and 2-3 heavy, 1-2 and 3-0 light -> {0,1}, {2,3}; the other way round
  // -> {1,2}, {3,0}. Arc weights in CSR order (each node's neighbours ascending).
  const Graph ring = Graph::from_edges(4, {{0, 1}, {1, 2}, {2, 3}, {0, 3}});
  auto weights = [&](int heavy01) {
    std::vector<std::int32_t> w;
    for (int u = 0; u < 4; ++u)
      for (int v : ring.neighbours(u)) {
        const int a = std::min(u, v), b = std::max(u, v);
        const bool pair01 = (a == 0 && b == 1) || (a == 2 && b == 3);
        w.push_back(pair01 == (heavy01 == 1) ? 90 : 10);
      }
    return w;
  };
  const auto one = klynge::detect_communities(ring, weights(1), RandomStreams(1, 0), 0);
  CHECK(one.label[0] == one.label[1]);
  CHECK(one.label[2] == one.label[3]);
  CHECK(one.label[0] != one.label[2]);
  const auto other = klynge::detect_communities(ring, weights(0), RandomStreams(1, 0), 0);
  CHECK(other.label[1] == other.label[2]);
  CHECK(other.label[0] == other.label[3]);
  CHECK(other.label[0] != other.label[1]);
  // Weighted modularity: (2W in - sum tot^2) / (2W)^2 with 2W = 400, in = 360, tot = 200 each.
  CHECK(one.modularity == Approx((400.0 * 360 - 2 * 200.0 * 200) / (400.0 * 400)));
  // Equal weights give the unweighted result.
  const std::vector<std::int32_t> unit(8, 7);
  CHECK(klynge::detect_communities(ring, unit, RandomStreams(3, 0), 2).modularity ==
        Approx(klynge::detect_communities(ring, RandomStreams(3, 0), 2).modularity));
  CHECK_THROWS_AS(
      klynge::detect_communities(ring, std::vector<std::int32_t>(3, 1), RandomStreams(1, 0), 0),
      std::invalid_argument);
}
