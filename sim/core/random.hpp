#pragma once
// Keyed randomness. Every draw is a function of (scenario seed, replicate, process, step, entity
// keys) through the counter-based Philox4x64-10 generator (Random123), so no draw depends on
// thread count, processing order or on other processes' draws; arrivals and growth shocks are
// therefore the same in every variant (common random numbers by construction).
//
// Usage:   KeyedRng rng = streams.rng(Process::market_arrivals, step, segment);
//          boost::random::poisson_distribution<int> count(lambda);  int n = count(rng);
// KeyedRng is a Boost.Random-compatible engine (portable distributions); each call to operator()
// advances a private draw counter inside the same key, so a stream yields as many numbers as
// needed.
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/core/processes.hpp"

namespace klynge {

class KeyedRng {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  KeyedRng(std::uint64_t seed, std::uint64_t replicate, Process process, std::uint64_t step,
           std::uint64_t entity_a, std::uint64_t entity_b) {
    key_ = {{seed, (replicate << 16) ^ static_cast<std::uint64_t>(process)}};
    counter_ = {{step, entity_a, entity_b, 0}};
  }

  result_type operator()() {
    if (used_ == 4) {
      block_ = generator_(counter_, key_);
      counter_.v[3] += 1;
      used_ = 0;
    }
    return block_.v[used_++];
  }

  // Uniform in [0, 1) with 53 random bits; cheaper than a Boost distribution for the hot paths.
  double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  bool bernoulli(double p) { return uniform() < p; }

 private:
  using Generator = r123::Philox4x64;
  Generator generator_;
  Generator::key_type key_;
  Generator::ctr_type counter_;
  Generator::ctr_type block_{};
  int used_ = 4;
};

// The streams of one replicate: binds seed and replicate so mechanisms only name the process,
// the step and the entities. Variants share streams on purpose (common random numbers).
class RandomStreams {
 public:
  RandomStreams(std::uint64_t seed, std::uint64_t replicate) : seed_(seed), replicate_(replicate) {}
  KeyedRng rng(Process process, std::uint64_t step, std::uint64_t entity_a = 0,
               std::uint64_t entity_b = 0) const {
    return KeyedRng(seed_, replicate_, process, step, entity_a, entity_b);
  }
  // One uniform keyed by the entity: for orderings ("in the order of a keyed uniform").
  double uniform(Process process, std::uint64_t step, std::uint64_t entity_a = 0,
                 std::uint64_t entity_b = 0) const {
    return rng(process, step, entity_a, entity_b).uniform();
  }
  // One 64-bit base for mix_uniform(base, entity).
  std::uint64_t base(Process process, std::uint64_t step, std::uint64_t entity_a = 0) const {
    return rng(process, step, entity_a, 0)();
  }
  std::uint64_t seed() const { return seed_; }
  std::uint64_t replicate() const { return replicate_; }

 private:
  std::uint64_t seed_;
  std::uint64_t replicate_;
};

// A keyed uniform in [0, 1) for (base, entity): the SplitMix64 finaliser applied to a Philox output
// `base` (one per opportunity and process) mixed with the entity's key. Used where one draw per
// (opportunity, firm) is needed: as keyed as a Philox block per pair, a fraction of the cost.
inline double mix_uniform(std::uint64_t base, std::uint64_t entity) {
  std::uint64_t z = base ^ (entity * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

// A stable 64-bit key for a string (intervention ids in draw keys): FNV-1a.
inline std::uint64_t string_key(const char* text) {
  std::uint64_t hash = 1469598103934665603ull;
  for (; *text; ++text) {
    hash ^= static_cast<unsigned char>(*text);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace klynge
