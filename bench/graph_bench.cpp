// Graph analytics at scale: builds a collaboration-like graph over a synthetic population, times
// the graph metrics (summarize) and Louvain community detection (detect_communities), and
// writes the graph for bench/igraph_compare.py, which times python3-igraph on the same edges.
//
//   graph_bench [--firms N] [--seed S] [--repeats R] [--edges FILE] [--labels FILE]
//   graph_bench --population-only --firms 1000000     # time add_synthetic_firms alone
//
// The graph (deterministic for a seed): N purely synthetic firms (sim/io/synthetic.hpp, the
// built-in archetypes) placed across Region Midtjylland; their initial relations (about 0.8 per
// firm) plus, per firm, Poisson(2.5) links to firms in its own or a neighbouring 2 km grid cell
// (local collaboration) and, with probability 0.05, one link to a firm anywhere (a long tie).
// Then triadic closure: for half the firms, two of their partners are linked. About 3.8 links
// drawn per firm: mean degree about 7.5, transitivity about 0.1, strong geographic community
// structure, like the model's collaboration graph after some years of encounters and closure.
//
// Output: one "key value" line per figure (seconds are medians over --repeats runs), e.g.
//   nodes 100000
//   edges 327000
//   summarize_seconds 0.021
//   communities_seconds 0.35
//   modularity 0.93
#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/communities.hpp"
#include "models/graph.hpp"
#include "sim/core/population.hpp"
#include "sim/core/projection.hpp"
#include "sim/core/random.hpp"
#include "sim/io/synthetic.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int firms = 100000;
  std::uint64_t seed = 2007;
  int repeats = 5;
  std::string edges_path;
  std::string labels_path;
  bool population_only = false;
};

[[noreturn]] void usage(const std::string& message) {
  std::cerr << "graph_bench: " << message
            << "\nusage: graph_bench [--firms N] [--seed S] [--repeats R] [--edges FILE] "
               "[--labels FILE] [--population-only]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "--firms")
        o.firms = std::stoi(value());
      else if (arg == "--seed")
        o.seed = std::stoull(value());
      else if (arg == "--repeats")
        o.repeats = std::stoi(value());
      else if (arg == "--edges")
        o.edges_path = value();
      else if (arg == "--labels")
        o.labels_path = value();
      else if (arg == "--population-only")
        o.population_only = true;
      else
        usage("unknown argument " + arg);
    } catch (const std::logic_error&) {
      usage("bad value for " + arg);
    }
  }
  if (o.firms < 1 || o.repeats < 1) usage("--firms and --repeats must be positive");
  return o;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

template <class F>
double seconds_of(F&& f) {
  const auto start = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Wall and CPU seconds of one call: on a busy machine CPU time is the steadier figure.
struct Timing {
  std::vector<double> wall, cpu;
  template <class F>
  void add(F&& f) {
    const double cpu_start = cpu_now();
    wall.push_back(seconds_of(std::forward<F>(f)));
    cpu.push_back(cpu_now() - cpu_start);
  }
};

// Peak resident memory of this process so far, from /proc (kB), or -1.
long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

constexpr double kCellKm = 2.0;
constexpr double kLocalLinksPerFirm = 2.5;
constexpr double kLongLinkProbability = 0.05;
constexpr double kClosureProbability = 0.5;

// The collaboration-like edge list described at the top.
std::vector<std::pair<int, int>> collaboration_edges(const klynge::Population& p,
                                                     std::uint64_t seed) {
  const int n = static_cast<int>(p.firms.size());
  std::vector<std::pair<int, int>> edges;
  edges.reserve(p.relations.size() + static_cast<std::size_t>(n) * 3);
  for (const auto& r : p.relations) edges.emplace_back(r.firm_a, r.firm_b);

  // Grid cells on the simulation's projection.
  std::vector<std::int64_t> cell(static_cast<std::size_t>(n));
  std::unordered_map<std::int64_t, std::vector<int>> members;
  auto key = [](std::int64_t cx, std::int64_t cy) { return cx * 1000003 + cy; };
  std::vector<std::pair<std::int64_t, std::int64_t>> xy(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto& f = p.firms[static_cast<std::size_t>(i)];
    const double x = klynge::projection::east_km(f.lon);
    const double y = klynge::projection::north_km(f.lat);
    const auto cx = static_cast<std::int64_t>(std::floor(x / kCellKm));
    const auto cy = static_cast<std::int64_t>(std::floor(y / kCellKm));
    xy[static_cast<std::size_t>(i)] = {cx, cy};
    members[key(cx, cy)].push_back(i);
  }
  const boost::random::poisson_distribution<int> local_count(kLocalLinksPerFirm);
  const boost::random::uniform_int_distribution<int> neighbour_cell(-1, 1);
  const boost::random::uniform_int_distribution<int> anyone(0, n - 1);
  for (int i = 0; i < n; ++i) {
    klynge::KeyedRng rng(seed, 0, klynge::Process::synthetic_population, 1,
                         static_cast<std::uint64_t>(i), 0);
    const int links = local_count(rng);
    const auto [cx, cy] = xy[static_cast<std::size_t>(i)];
    for (int l = 0; l < links; ++l) {
      for (int attempt = 0; attempt < 4; ++attempt) {
        const auto it = members.find(key(cx + neighbour_cell(rng), cy + neighbour_cell(rng)));
        if (it == members.end()) continue;
        const boost::random::uniform_int_distribution<std::size_t> pick(0, it->second.size() - 1);
        const int j = it->second[pick(rng)];
        if (j == i) continue;
        edges.emplace_back(i, j);
        break;
      }
    }
    if (rng.bernoulli(kLongLinkProbability)) {
      const int j = anyone(rng);
      if (j != i) edges.emplace_back(i, j);
    }
  }
  // Triadic closure: with probability kClosureProbability per firm, two of its partners (drawn
  // from the links so far) become partners too, as the model's closure phase would make them.
  std::vector<std::vector<int>> partners(static_cast<std::size_t>(n));
  for (const auto& [a, b] : edges) {
    partners[static_cast<std::size_t>(a)].push_back(b);
    partners[static_cast<std::size_t>(b)].push_back(a);
  }
  for (int i = 0; i < n; ++i) {
    const auto& mine = partners[static_cast<std::size_t>(i)];
    klynge::KeyedRng rng(seed, 0, klynge::Process::synthetic_population, 2,
                         static_cast<std::uint64_t>(i), 0);
    if (mine.size() < 2 || !rng.bernoulli(kClosureProbability)) continue;
    const boost::random::uniform_int_distribution<std::size_t> pick(0, mine.size() - 1);
    const int a = mine[pick(rng)], b = mine[pick(rng)];
    if (a != b) edges.emplace_back(a, b);
  }
  return edges;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::cout.precision(6);

  klynge::Population population;
  Timing generate;
  generate.add([&] { klynge::add_synthetic_firms(population, o.firms, o.seed); });
  std::cout << "firms " << population.firms.size() << "\n"
            << "synthetic_relations " << population.relations.size() << "\n"
            << "population_seconds " << generate.wall.front() << "\n"
            << "population_cpu_seconds " << generate.cpu.front() << "\n"
            << "population_peak_rss_kb " << peak_rss_kb() << "\n";
  if (o.population_only) return 0;

  const auto edges = collaboration_edges(population, o.seed);
  const int n = static_cast<int>(population.firms.size());
  population = klynge::Population{};  // the graph is all that is timed from here

  Timing build, summarize, detect, modularity;
  klynge::Graph g;
  klynge::GraphSummary summary;
  klynge::Communities communities;
  const klynge::RandomStreams streams(o.seed, 0);
  for (int r = 0; r < o.repeats; ++r) {
    build.add([&] { g = klynge::Graph::from_edges(n, edges); });
    summarize.add([&] { summary = klynge::summarize(g); });
    detect.add([&] { communities = klynge::detect_communities(g, streams, 0); });
    double q = 0;
    modularity.add([&] { q = klynge::modularity(g, communities.label); });
    if (q != communities.modularity) {
      std::cerr << "graph_bench: modularity() disagrees with detect_communities()\n";
      return 1;
    }
  }

  std::cout << "nodes " << summary.nodes << "\n"
            << "edges " << summary.edges << "\n"
            << "mean_degree " << summary.mean_degree << "\n"
            << "density " << summary.density << "\n"
            << "transitivity " << summary.transitivity << "\n"
            << "components " << summary.components << "\n"
            << "largest_component_share " << summary.largest_component_share << "\n"
            << "communities " << communities.count << "\n"
            << "modularity " << std::setprecision(12) << communities.modularity
            << std::setprecision(6) << "\n"
            << "repeats " << o.repeats << "\n"
            << "build_seconds " << median(build.wall) << "\n"
            << "build_cpu_seconds " << median(build.cpu) << "\n"
            << "summarize_seconds " << median(summarize.wall) << "\n"
            << "summarize_cpu_seconds " << median(summarize.cpu) << "\n"
            << "communities_seconds " << median(detect.wall) << "\n"
            << "communities_cpu_seconds " << median(detect.cpu) << "\n"
            << "modularity_seconds " << median(modularity.wall) << "\n"
            << "peak_rss_kb " << peak_rss_kb() << "\n";

  if (!o.edges_path.empty()) {
    std::FILE* out = std::fopen(o.edges_path.c_str(), "w");
    if (!out) {
      std::cerr << "graph_bench: cannot write " << o.edges_path << "\n";
      return 1;
    }
    std::fprintf(out, "# nodes %d\n", g.node_count());
    for (int u = 0; u < g.node_count(); ++u)
      for (const int v : g.neighbours(u))
        if (u < v) std::fprintf(out, "%d %d\n", u, v);
    std::fclose(out);
  }
  if (!o.labels_path.empty()) {
    std::FILE* out = std::fopen(o.labels_path.c_str(), "w");
    if (!out) {
      std::cerr << "graph_bench: cannot write " << o.labels_path << "\n";
      return 1;
    }
    for (const int label : communities.label) std::fprintf(out, "%d\n", label);
    std::fclose(out);
  }
  return 0;
}
