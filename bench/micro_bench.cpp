// Google Benchmark micro benchmarks of hot building blocks: keyed random draws, the graph
// summary, Louvain and synthetic firms. Run: build/bench/micro_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdint>
#include <utility>
#include <vector>

#include "models/communities.hpp"
#include "models/graph.hpp"
#include "sim/core/random.hpp"
#include "sim/io/synthetic.hpp"

namespace {

using klynge::KeyedRng;
using klynge::Process;

// A new keyed stream and its first uniform: the cost of one "keyed draw" in the mechanisms.
void BM_KeyedRngFirstUniform(benchmark::State& state) {
  std::uint64_t entity = 0;
  for (auto _ : state) {
    KeyedRng rng(2007, 3, Process::encounter_count, 17, entity++, 0);
    benchmark::DoNotOptimize(rng.uniform());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyedRngFirstUniform);

// Further uniforms from one stream (one Philox block per four draws).
void BM_KeyedRngUniform(benchmark::State& state) {
  KeyedRng rng(2007, 3, Process::encounter_count, 17, 1, 0);
  for (auto _ : state) benchmark::DoNotOptimize(rng.uniform());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyedRngUniform);

void BM_KeyedRngNormal(benchmark::State& state) {
  KeyedRng rng(2007, 3, Process::growth_shock, 17, 1, 0);
  boost::random::normal_distribution<double> normal(0, 1);
  for (auto _ : state) benchmark::DoNotOptimize(normal(rng));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyedRngNormal);

void BM_KeyedRngPoisson(benchmark::State& state) {
  KeyedRng rng(2007, 3, Process::market_arrivals, 17, 1, 0);
  const boost::random::poisson_distribution<int> poisson(static_cast<double>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(poisson(rng));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyedRngPoisson)->Arg(1)->Arg(20);

// A random graph with n nodes and mean degree about 6, plus local structure (ring lattice).
std::vector<std::pair<int, int>> test_edges(int n) {
  KeyedRng rng(1, 0, Process::synthetic_population, 9, 0, 0);
  const boost::random::uniform_int_distribution<int> anyone(0, n - 1);
  std::vector<std::pair<int, int>> edges;
  for (int i = 0; i < n; ++i) {
    edges.emplace_back(i, (i + 1) % n);
    edges.emplace_back(i, (i + 2) % n);
    if (rng.bernoulli(0.3)) edges.emplace_back(i, anyone(rng));
  }
  return edges;
}

void BM_GraphFromEdges(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto edges = test_edges(n);
  for (auto _ : state) benchmark::DoNotOptimize(klynge::Graph::from_edges(n, edges));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(edges.size()));
}
BENCHMARK(BM_GraphFromEdges)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_GraphSummary(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto g = klynge::Graph::from_edges(n, test_edges(n));
  for (auto _ : state) benchmark::DoNotOptimize(klynge::summarize(g));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(g.edge_count()));
}
BENCHMARK(BM_GraphSummary)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_DetectCommunities(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto g = klynge::Graph::from_edges(n, test_edges(n));
  const klynge::RandomStreams streams(7, 0);
  for (auto _ : state) benchmark::DoNotOptimize(klynge::detect_communities(g, streams, 0));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(g.edge_count()));
}
BENCHMARK(BM_DetectCommunities)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_SyntheticFirms(benchmark::State& state) {
  for (auto _ : state) {
    klynge::Population p;
    klynge::add_synthetic_firms(p, static_cast<int>(state.range(0)), 2007);
    benchmark::DoNotOptimize(p.firms.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SyntheticFirms)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
