#pragma once
// What one finished replicate hands to the writer. Models emit, the writer writes: the runner
// fills this from the World and queues it; only the writer thread touches the HDF5 file.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/metrics.hpp"

namespace klynge {

enum class EventType : std::uint8_t {
  tie_formed,
  tie_dissolved,
  project_awarded,
  project_succeeded,
  project_failed,
  intervention_ran,
  intervention_skipped,  // nothing ran: budget or hours exhausted
  intervention_partial,  // some units ran, the rest skipped
  firm_enrolled,
  firm_unenrolled,
  cluster_organised,
  cluster_funding_ended,  // the cash ran out before fund_months (value: months funded)
  cluster_dissolved,      // an unfunded organisation's members stopped working together
  count_
};
inline constexpr std::array<const char*, static_cast<int>(EventType::count_)> kEventTypeNames = {
    "tie_formed",       "tie_dissolved",    "project_awarded",      "project_succeeded",
    "project_failed",   "intervention_ran", "intervention_skipped", "intervention_partial",
    "firm_enrolled",    "firm_unenrolled",  "cluster_organised",    "cluster_funding_ended",
    "cluster_dissolved"};

// One event. `firm_a`/`firm_b` are firm indices (-1 when not applicable); `intervention` is an
// index into the variant's interventions (-1 when not applicable); `value` carries the event's
// number (tie trust, project value in mDKK, units run, DKK committed...); `detail` says why.
struct Event {
  std::int32_t step = 0;
  EventType type = EventType::tie_formed;
  std::int32_t firm_a = -1;
  std::int32_t firm_b = -1;
  std::int32_t intervention = -1;
  double value = 0;
  std::int32_t units_skipped = 0;  // intervention events: units that budget/hours did not pay
  std::uint8_t reason = 0;         // 0 none, 1 budget, 2 staff hours, 3 no eligible firms
};
inline constexpr std::array<const char*, 4> kSkipReasonNames = {"none", "budget", "staff_hours",
                                                                "no_eligible_firms"};

// One live tie at one step (detail replicates).
struct TieRecord {
  std::int32_t step = 0;
  std::int32_t firm_a = 0;  // firm_a < firm_b
  std::int32_t firm_b = 0;
  float trust = 0;
  std::uint8_t type = 0;  // 0 trade, 1 partner, 2 knowledge
};
inline constexpr std::array<const char*, 3> kTieTypeNames = {"trade", "partner", "knowledge"};

// Everything the results file records before the first replicate: provenance, the pseudonymised
// initial population and the variants' resolved configurations.
struct ResultsHeader {
  std::string tool_version;
  std::string scenario_name;
  std::string scenario_text;           // as given, firm ids replaced by pseudonyms
  std::string resolved_configuration;  // YAML, every default filled in (whole scenario)
  std::uint64_t seed = 0;
  int replicates = 0;
  int horizon = 0;  // steps; datasets hold horizon + 1 rows
  int detail_replicates = 0;
  bool reveal_names = false;
  std::string command_line;  // how the run was started

  struct VariantInfo {
    std::string name;
    std::string resolved_configuration;  // YAML of this variant alone
    std::vector<std::string> intervention_ids;
    std::vector<std::string> intervention_types;
    // Display labels (`label:`), "" where none was given; files written before labels existed
    // have none (empty label, empty list): readers fall back to the code names.
    std::string label;
    std::vector<std::string> intervention_labels;
    // The label, else the code name.
    const std::string& display_name() const { return label.empty() ? name : label; }
    std::string intervention_display_name(std::size_t k) const {
      if (k < intervention_labels.size() && !intervention_labels[k].empty())
        return intervention_labels[k];
      return k < intervention_ids.size() ? intervention_ids[k] : std::string();
    }
  };
  std::vector<VariantInfo> variants;

  // Initial population, one entry per firm, in firm index order.
  std::vector<std::string> pseudonyms;
  std::vector<std::string> names;  // only when reveal_names; else empty
  std::vector<std::string> municipalities;
  std::vector<double> lat, lon, employees, revenue_mdkk, export_share;
  std::vector<std::array<double, 3>> market_share;  // food, energy_environment, other
  std::vector<std::uint8_t> participant, synthetic;
  std::vector<std::string> capability_names;
  std::vector<double> capabilities;                      // [firm][capability], row-major
  std::vector<std::array<double, 4>> catalogue_weights;  // per capability
  std::vector<TieRecord> initial_ties;                   // step 0

  // A probabilistic run (`uncertainty:`): the replicate axis holds draws x replicates_per_draw
  // rows, draw-major (row = draw * replicates_per_draw + replicate). draws == 0: none.
  struct Draws {
    int draws = 0;
    int replicates_per_draw = 0;
    std::string sampling;  // lhs | sobol | random | grid | morris | saltelli
    // morris: trajectories r and grid levels p (draws = r (d + 1)); saltelli: base points N
    // (draws = N (d + 2)); 0 for the other designs.
    int design_draws = 0;
    int levels = 0;
    std::vector<std::string> parameters;     // [parameter]: model parameter or ID.KEY
    std::vector<std::string> distributions;  // [parameter], e.g. "uniform(lo=0.15, hi=0.35)"
    std::vector<double> values;              // [draw][parameter], as the simulation used them
    // [draw][parameter], the design's point in (0,1); morris: the grid level l / (p - 1) in
    // [0, 1] (the distribution's quantile is taken at (l + 1/2) / p).
    std::vector<double> design;
  } uncertainty;
};

struct ReplicateOutput {
  int variant = 0;    // index into Scenario::variants
  int replicate = 0;  // 0-based
  int steps = 0;      // horizon + 1 rows
  // [step][metric], row-major, steps x kMetricCount; NaN where not measured.
  std::vector<double> metrics;
  // Every firm's final outcome: [firm][FirmVariable], row-major, firms x kFirmVariableCount.
  std::vector<double> final_firms;

  // Detail replicates only (detail_index >= 0):
  int detail_index = -1;
  std::vector<float> trajectories;  // [step][firm][FirmVariable]
  std::vector<Event> events;
  std::vector<TieRecord> ties;

  // Streaming (docs/results-layout.md, "Detail replicates"): a detail replicate run on the
  // writing process hands its detail rows to the writer as each step finishes instead of holding
  // its whole trajectory, so memory does not grow with the horizon. Then the replicate arrives
  // as `part` step_slice outputs (steps first_step .. first_step + slice_steps - 1: their
  // trajectory rows, their ties and the events emitted up to then; metrics and final_firms
  // empty), in step order, followed by one `streamed_end` output (metrics, final_firms, no detail
  // rows). A `whole` output carries everything at once (resume, other MPI ranks, tests).
  enum class Part : std::uint8_t { whole, step_slice, streamed_end };
  Part part = Part::whole;
  int first_step = 0;
  int slice_steps = 0;
};

}  // namespace klynge
