#pragma once
// Several processes sharing one ensemble (MPI: `mpirun -np N klynge run ...`). Each rank runs
// its share of the (variant, replicate) units with oneTBB on its own cores; finished replicates
// travel to rank 0, whose one writer thread owns the results file (docs/distributed.md). A
// single process has no ProcessGroup at all.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "sim/core/results.hpp"

namespace klynge {

class ProcessGroup {
 public:
  virtual ~ProcessGroup() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Rank > 0: the next unit of work, handed out by rank 0 (a work queue, so the ranks take the
  // units in order however fast each is). Safe to call from many threads.
  virtual int next_unit() = 0;
  // Rank > 0: sends one finished replicate to rank 0. Safe to call from many threads.
  virtual void send(const ReplicateOutput& replicate) = 0;
  // Rank > 0: tells rank 0 that this rank has sent everything it will send.
  virtual void finish() = 0;

  // Rank 0: answers the other ranks' requests for work with `hand_out()` and gives every
  // replicate they send to `sink`, until each has finished. Once `*stop` is set, ranks that stay
  // silent for `grace_seconds` are given up; their names are returned (empty when every rank
  // finished).
  virtual std::string serve(const std::function<int()>& hand_out,
                            const std::function<void(ReplicateOutput&&)>& sink,
                            const std::atomic<bool>* stop, double grace_seconds) = 0;
};

// Was this klynge built with MPI (CMake found it)?
bool built_with_mpi();

// The process group when this process was started by an MPI launcher with more than one rank
// (initialises MPI; it is finalised when the group is destroyed), nullptr for a single process.
// Throws UsageError when several ranks were started but klynge was built without MPI.
std::unique_ptr<ProcessGroup> join_process_group();

// Byte images of a replicate (the same binary on every rank, so plain copies of its vectors).
std::string serialize(const ReplicateOutput& replicate);
ReplicateOutput deserialize(const std::string& bytes);

}  // namespace klynge
