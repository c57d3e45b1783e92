// The small data structures of sim/core that phases rely on for speed and thread safety.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

#include "sim/core/cumulative_weights.hpp"
#include "sim/core/world.hpp"

using namespace klynge;

TEST_CASE("cumulative weights: first_above gives std::upper_bound's answer", "[core]") {
  std::mt19937_64 engine(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int size = 1 + static_cast<int>(engine() % 300);
    std::vector<double> weights(size);
    for (auto& w : weights) {
      const auto kind = engine() % 4;  // zeros, equal weights and skewed ones
      w = kind == 0 ? 0.0 : kind == 1 ? 1.0 : std::ldexp(static_cast<double>(engine() % 1000), -5);
    }
    weights[engine() % size] = 0.5;  // at least one positive weight
    std::vector<double> sums(size);
    double running = 0;
    for (int i = 0; i < size; ++i) sums[i] = running += weights[i];
    CumulativeWeights cumulative;
    cumulative.assign(weights);
    REQUIRE(cumulative.total() == sums.back());
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> probes = {0.0, sums.back() * (1 - 1e-16)};
    for (double s : sums) probes.insert(probes.end(), {s, std::nextafter(s, 0.0)});
    for (int k = 0; k < 50; ++k) probes.push_back(uniform(engine) * sums.back());
    for (double u : probes) {
      if (u < 0 || u >= sums.back()) continue;
      const auto expected =
          static_cast<std::size_t>(std::upper_bound(sums.begin(), sums.end(), u) - sums.begin());
      INFO("size " << size << ", u " << u);
      REQUIRE(cumulative.first_above(u) == expected);
    }
  }
}

TEST_CASE("cumulative weights: a zero total leaves nothing to draw", "[core]") {
  CumulativeWeights cumulative;
  cumulative.assign({0.0, 0.0});
  CHECK(cumulative.total() == 0.0);
  cumulative.assign({});
  CHECK(cumulative.empty());
  CHECK(cumulative.total() == 0.0);
}

TEST_CASE("capability sets: insert from many threads, list ascending", "[core]") {
  CapabilitySets sets;
  sets.assign(3, 130);  // three 64-bit words per firm
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&sets, t] {
      for (int c = t; c < 130; c += 4) sets.insert(1, c);
      sets.insert(2, 129);
    });
  for (auto& thread : threads) thread.join();
  std::vector<int> all(130);
  for (int c = 0; c < 130; ++c) all[c] = c;
  CHECK(sets.list(1) == all);
  CHECK(sets.list(0).empty());
  CHECK(sets.list(2) == std::vector<int>{129});
  sets.set(1, {64, 3});
  CHECK(sets.list(1) == std::vector<int>{3, 64});
  sets.clear();
  CHECK(sets.list(1).empty());
  CHECK(sets.list(2).empty());
}

namespace {
struct CountedScratch {
  static inline int alive = 0;
  std::vector<int> buffer;
  CountedScratch() { ++alive; }
  CountedScratch(const CountedScratch& other) : buffer(other.buffer) { ++alive; }
  ~CountedScratch() { --alive; }
};
struct OtherScratch {
  double value = 0;
};
}  // namespace

TEST_CASE("mechanism scratch: one object per type, reused, copied deep, moved, freed", "[core]") {
  {
    MechanismScratch scratch;
    CHECK(CountedScratch::alive == 0);
    CountedScratch& first = scratch.get<CountedScratch>();
    first.buffer.assign(5, 7);
    CHECK(CountedScratch::alive == 1);
    CHECK(&scratch.get<CountedScratch>() == &first);  // reused, not made again
    scratch.get<OtherScratch>().value = 2.5;          // another type, another object
    CHECK(scratch.get<CountedScratch>().buffer == std::vector<int>(5, 7));

    MechanismScratch copy(scratch);
    CHECK(CountedScratch::alive == 2);
    CHECK(&copy.get<CountedScratch>() != &first);
    copy.get<CountedScratch>().buffer.push_back(1);  // the copy is its own
    CHECK(first.buffer.size() == 5);
    CHECK(copy.get<OtherScratch>().value == 2.5);

    MechanismScratch moved(std::move(copy));
    CHECK(CountedScratch::alive == 2);
    CHECK(moved.get<CountedScratch>().buffer.size() == 6);
    copy = scratch;  // assigning to a moved-from holder
    CHECK(CountedScratch::alive == 3);
    moved = std::move(copy);  // its old object goes with `copy`
    CHECK(moved.get<CountedScratch>().buffer.size() == 5);
  }
  CHECK(CountedScratch::alive == 0);  // every object freed with its holder
}

TEST_CASE("world: a copy carries its own scratch", "[core]") {
  World w;
  w.scratch.get<OtherScratch>().value = 1;
  World copy = w;
  copy.scratch.get<OtherScratch>().value = 2;
  CHECK(w.scratch.get<OtherScratch>().value == 1);
}
