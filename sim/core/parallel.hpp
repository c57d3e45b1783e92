#pragma once
// Parallelism within one replicate (phases over opportunities or firms). A phase hands
// `for_each_chunk` a loop whose iterations are independent: each reads the state the phase
// started from and writes only its own slots (or combines results with an order-free operation),
// so the result is the same bits however the range is split and whichever thread runs a chunk.
// Small ranges run inline on the calling thread: a workshop-sized step is not worth a task.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <cstddef>

namespace klynge {

// Thrown out of a phase when the run's stop flag is set (an interrupt): Simulation::run catches
// it and returns the replicate unfinished, so a long step does not delay the exit.
struct StopRequested {};

// Items per task; ranges of at most this many items run inline. 0 means never split.
struct PhaseParallelism {
  std::size_t grain = 2048;
  const std::atomic<bool>* stop = nullptr;  // the run's stop flag, if any
  bool stop_requested() const { return stop && stop->load(std::memory_order_relaxed); }
  // For long loops: throws StopRequested once the stop flag is set.
  void check_stop() const {
    if (stop_requested()) throw StopRequested{};
  }
};

template <typename Body>  // Body: void(std::size_t begin, std::size_t end)
void for_each_chunk(const PhaseParallelism& parallelism, std::size_t count, Body&& body) {
  parallelism.check_stop();
  if (parallelism.grain == 0 || count <= parallelism.grain) {
    if (count > 0) body(std::size_t{0}, count);
    return;
  }
  // Isolated: while this thread waits for the chunks it runs only chunks of this loop, never
  // another replicate's task from the runner (which would start a second World on its stack).
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, parallelism.grain),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        parallelism.check_stop();
                        body(range.begin(), range.end());
                      });
  });
}

}  // namespace klynge
