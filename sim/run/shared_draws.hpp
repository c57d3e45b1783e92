#pragma once
// Variants in lock-step on their common draws (issue 12, item 2): the arrivals and base sets of a
// step (models/mechanisms.hpp, CommonDraws) depend only on the replicate's streams, the fixed
// population and the model parameters, so the variants of one replicate with the same parameters
// draw them once. The first variant to reach a step draws it into the store; the others read it.
// Sharing never changes a result: a variant that finds a step being drawn by another, or the
// memory budget spent, draws its own copy of the same bits instead of waiting.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "models/mechanisms.hpp"

namespace klynge {

// One replicate's common draws, step by step, for the variants with one set of parameters.
class SharedDraws {
 public:
  // `bytes_held` is the cache's running total, shared by all its stores (see SharedDrawsCache).
  SharedDraws(int horizon, std::size_t byte_budget, std::atomic<std::size_t>& bytes_held);
  ~SharedDraws();
  SharedDraws(const SharedDraws&) = delete;
  SharedDraws& operator=(const SharedDraws&) = delete;

  // The common draws of `step`: the stored ones when another variant drew them; else `draw`
  // fills a buffer, stored for the others when nobody else is drawing the step and the budget
  // allows, otherwise `own` (the caller's reusable buffer).
  const CommonDraws& at(int step, CommonDraws& own, const std::function<void(CommonDraws&)>& draw);

 private:
  enum State : int { kEmpty, kDrawing, kReady, kUnshared };
  struct Slot {
    std::atomic<int> state{kEmpty};
    CommonDraws draws;
  };
  std::unique_ptr<Slot[]> slots_;
  int horizon_;
  std::size_t budget_;
  std::atomic<std::size_t>& bytes_held_;
  std::atomic<std::size_t> bytes_mine_{0};  // what this store added to bytes_held_ (freed with it)
};

// The stores of the replicates in flight, keyed by (replicate row, parameter values). The runner
// hands out units replicate by replicate, so a small window of recent rows is all that is kept:
// a store nobody holds is dropped once the window is full (a variant that comes later draws its
// own, the same bits).
class SharedDrawsCache {
 public:
  // `window`: stores kept beyond those in use; `byte_budget`: memory all stores may hold.
  SharedDrawsCache(int horizon, std::size_t window, std::size_t byte_budget);
  std::shared_ptr<SharedDraws> acquire(long long row, std::vector<double> parameters);

 private:
  struct Entry {
    long long row;
    std::vector<double> parameters;
    std::shared_ptr<SharedDraws> draws;
  };
  int horizon_;
  std::size_t window_;
  std::size_t budget_;
  std::atomic<std::size_t> bytes_held_{0};
  std::mutex mutex_;
  std::vector<Entry> entries_;  // oldest first
};

// The values of every model parameter, in table order: variants share draws only when these are
// equal (more than the draws read, so a parameter added to them later cannot be missed).
std::vector<double> parameter_values(const ModelParameters& parameters);

}  // namespace klynge
