#pragma once
// One replicate of one variant, from the initial World to its ReplicateOutput. The phase order of
// model.md lives here and only here (simulation.cpp, run_step).
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "models/interventions/intervention.hpp"
#include "models/mechanisms.hpp"
#include "sim/core/results.hpp"
#include "sim/core/world.hpp"
#include "sim/io/inputs.hpp"

namespace klynge {

class SharedDraws;

// Wall time per phase, for the benchmarks (`klynge run --phase-times`; see bench/README.md).
struct PhaseTimes {
  static constexpr std::array<const char*, 12> kNames = {
      "interventions", "market",    "awareness",   "consortia", "projects", "encounters",
      "closure",       "spillover", "development", "growth",    "decay",    "observe"};
  std::array<double, kNames.size()> seconds{};
  void add(const PhaseTimes& other) {
    for (std::size_t i = 0; i < seconds.size(); ++i) seconds[i] += other.seconds[i];
  }
};

// The initial state of (variant, replicate), step 0 (legacy orders, market rates, grid included).
// `drawn`, when given, is the variant with one draw's parameter values (`uncertainty:`): the
// same interventions, other numbers; it must outlive the World.
World build_world(const Inputs& inputs, int variant, int replicate, const Variant* drawn = nullptr);

class Simulation {
 public:
  Simulation(const Inputs& inputs, int variant, int replicate, bool detail,
             const Variant* drawn = nullptr);
  // Advances one step (phases 1-14); returns the metrics row of the new state.
  void step();
  // Runs to the horizon and returns everything the writer needs. With a stop flag (stop_on) that
  // becomes true, it returns between two steps instead, unfinished: see stopped().
  ReplicateOutput run();
  // A flag checked between steps, so an interrupt does not wait for a long replicate to finish.
  // Long phases check it too (PhaseParallelism::check_stop).
  void stop_on(const std::atomic<bool>* flag) {
    stop_flag_ = flag;
    world_.parallelism.stop = flag;
  }
  // Streaming: run() hands a detail replicate's rows to `sink` as each step finishes (step
  // slices, see ReplicateOutput::Part) and returns the streamed_end part, so the replicate never
  // holds its whole trajectory. Without a sink, run() returns the whole replicate. The sink may
  // throw (the writer failed): run() passes the exception on.
  void stream_to(std::function<void(ReplicateOutput&&)> sink) { sink_ = std::move(sink); }
  // The last run() was cut short by the stop flag: its output is not a finished replicate.
  bool stopped() const { return stopped_; }
  World& world() { return world_; }
  // Accumulate each phase's wall time into `sink` (null: no timing, the default).
  void time_phases(PhaseTimes* sink) { phase_times_ = sink; }
  const std::vector<double>& last_row() const { return row_; }
  // The store of this replicate's common draws shared with its other variants (runner.cpp);
  // without one, every step draws its own. Either way the same bits.
  void share_draws(std::shared_ptr<SharedDraws> shared) { shared_draws_ = std::move(shared); }

 private:
  bool detection_due(int step) const;
  // Throws ModelError when a metric of the row just observed is NaN or infinite.
  void check_finite(int step) const;
  void record(ReplicateOutput& out, int row);

  const Inputs& inputs_;
  int variant_;
  const Variant& spec_;  // the scenario's variant, or a draw's copy of it
  World world_;
  std::vector<std::unique_ptr<Intervention>> interventions_;
  std::vector<int> detection_steps_;  // steps of interventions with the kDetection hook
  PhaseHooks hooks_;                  // the phase 3-11 hooks on in the current step
  std::shared_ptr<SharedDraws> shared_draws_;
  CommonDraws own_draws_;  // this replicate's common draws when not shared (buffers reused)
  bool detail_;
  std::vector<double> row_;
  std::vector<float> firm_row_;
  PhaseTimes* phase_times_ = nullptr;
  const std::atomic<bool>* stop_flag_ = nullptr;
  bool stopped_ = false;
  std::function<void(ReplicateOutput&&)> sink_;
};

}  // namespace klynge
