#include "sim/run/runner.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <mutex>
#include <ostream>
#include <sstream>

#include "klynge_version.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/terminal_text.hpp"
#include "sim/core/text.hpp"
#include "sim/io/municipalities.hpp"
#include "sim/io/results_h5.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/run/simulation.hpp"
#include "sim/run/writer_thread.hpp"

namespace klynge {
namespace {

std::vector<int> select_variants(const Scenario& scenario, const std::vector<std::string>& names) {
  std::vector<int> indices;
  if (names.empty()) {
    for (std::size_t i = 0; i < scenario.variants.size(); ++i)
      indices.push_back(static_cast<int>(i));
    return indices;
  }
  std::vector<std::string> known;
  for (const auto& v : scenario.variants) known.push_back(v.name);
  for (const auto& name : names) {
    const auto it = std::find(known.begin(), known.end(), name);
    if (it == known.end())
      throw UsageError("--variant " + name + ": no such variant in " + scenario.source_path +
                       did_you_mean(name, known) + "; variants: " + join(known));
    const int index = static_cast<int>(it - known.begin());
    if (std::find(indices.begin(), indices.end(), index) == indices.end()) indices.push_back(index);
  }
  std::sort(indices.begin(), indices.end());  // the file keeps the scenario's order
  return indices;
}

class Progress {
 public:
  Progress(std::ostream& out, bool enabled, int total)
      : out_(out), enabled_(enabled), total_(total), start_(std::chrono::steady_clock::now()) {}
  void advance() {
    const int done = ++done_;
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (done != total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? done / elapsed : 0;
    const double eta = rate > 0 ? (total_ - done) / rate : 0;
    raw_control(out_, '\r');  // redraws the line: the one control character meant for the terminal
    out_ << "  " << done << "/" << total_ << " replicates  " << std::fixed << std::setprecision(1)
         << rate << "/s  ETA " << eta << " s   " << std::flush;
    if (done == total_) out_ << "\n";
  }
  int done() const { return done_; }

 private:
  std::ostream& out_;
  bool enabled_;
  int total_;
  std::atomic<int> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_, last_{};
};

}  // namespace

ResultsHeader make_results_header(const Inputs& inputs, const std::vector<int>& variant_indices,
                                  const RunOptions& options) {
  const Scenario& scenario = inputs.scenario;
  const Population& population = inputs.population;
  ResultsHeader h;
  h.tool_version = kVersion;
  // Free text passes through the one pseudonymisation rule (Inputs::pseudonymise): ids and names
  // of interview firms never reach the file, the report or the terminal without --reveal-names.
  const auto shown = [&](const std::string& text) {
    return options.reveal_names ? text : inputs.pseudonymise(text);
  };
  h.scenario_name = shown(scenario.name);
  h.seed = scenario.seed;
  h.replicates = scenario.replicates;
  h.horizon = scenario.horizon;
  h.detail_replicates = std::min(scenario.outputs.detail_replicates, scenario.replicates);
  h.reveal_names = options.reveal_names;
  h.command_line = options.command_line;

  // Confidentiality: firm ids named in the scenario (targets) become pseudonyms.
  const FirmIdMapper map_id = [&](const std::string& id) {
    return options.reveal_names ? id : inputs.pseudonym_of(id);
  };
  h.scenario_text =
      options.reveal_names
          ? scenario.source_text
          : inputs.pseudonymise(scenario.source_text, numeric_value_ranges(scenario.source_text));
  // The resolved configurations repeat the name and description: the same rule, so the stored
  // texts agree with each other.
  Scenario stored = scenario;
  stored.name = shown(scenario.name);
  stored.description = shown(scenario.description);
  h.resolved_configuration = resolved_scenario_yaml(stored, map_id);
  for (int vi : variant_indices) {
    const Variant& v = scenario.variants[vi];
    ResultsHeader::VariantInfo info;
    info.name = v.name;
    info.resolved_configuration = resolved_variant_yaml(stored, v, map_id);
    for (const auto& spec : v.interventions) {
      info.intervention_ids.push_back(spec.id);
      info.intervention_types.push_back(spec.type);
    }
    h.variants.push_back(std::move(info));
  }

  for (const auto& f : population.firms) {
    h.pseudonyms.push_back(f.pseudonym);
    if (options.reveal_names) h.names.push_back(f.name);
    h.municipalities.push_back(f.municipality);
    // Exact coordinates could identify a firm: outputs carry the municipality's centroid (or,
    // without a known municipality, the coordinates rounded to 0.1 degree, about 10 km).
    double lat = f.lat, lon = f.lon;
    if (!options.reveal_names && !f.location_from_centroid) {
      if (const auto centroid = municipality_centroid(f.municipality)) {
        lat = centroid->lat;
        lon = centroid->lon;
      } else {
        lat = std::round(lat * 10) / 10;
        lon = std::round(lon * 10) / 10;
      }
    }
    h.lat.push_back(lat);
    h.lon.push_back(lon);
    h.employees.push_back(f.employees);
    h.revenue_mdkk.push_back(f.revenue_mdkk);
    h.export_share.push_back(f.export_share);
    h.market_share.push_back(f.market_share);
    h.participant.push_back(f.participant ? 1 : 0);
    h.synthetic.push_back(f.synthetic ? 1 : 0);
    h.capabilities.insert(h.capabilities.end(), f.capabilities.begin(), f.capabilities.end());
  }
  h.capability_names = population.capability_names;
  h.catalogue_weights = inputs.catalogue_weights;
  if (!variant_indices.empty()) {
    const World initial = build_world(inputs, variant_indices.front(), 0);
    for (const Tie& t : initial.ties)
      if (t.alive) h.initial_ties.push_back({0, t.a, t.b, static_cast<float>(t.trust), t.type()});
  }
  return h;
}

RunSummary run_scenario(Inputs& inputs, const RunOptions& options, std::ostream& progress_stream,
                        const std::atomic<bool>* stop) {
  Scenario& scenario = inputs.scenario;
  if (options.replicates) scenario.replicates = *options.replicates;
  if (options.seed) scenario.seed = *options.seed;
  // The scenario key's limits hold for every caller (the CLI checks them too, with its message).
  if (scenario.replicates < 1 || scenario.replicates > 1'000'000)
    throw UsageError("--replicates: expected an integer from 1 to 1000000, got " +
                     std::to_string(scenario.replicates));
  const std::vector<int> variant_indices = select_variants(scenario, options.variants);
  // Replicates are counted in int (progress, task indices): refuse what would overflow it.
  if (static_cast<long long>(variant_indices.size()) * scenario.replicates > 1'000'000'000)
    throw UsageError(
        "variants x replicates is " +
        std::to_string(static_cast<long long>(variant_indices.size()) * scenario.replicates) +
        ", more than the limit of 1000000000 simulations in one run; run fewer "
        "variants (--variant) or replicates");

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  auto writer = std::make_unique<ResultsWriter>(
      options.output, make_results_header(inputs, variant_indices, options), options.force);
  WriterThread writer_thread(std::move(writer), static_cast<std::size_t>(2 * threads + 2));

  const int replicates = scenario.replicates;
  const int detail = std::min(scenario.outputs.detail_replicates, replicates);
  const int total = static_cast<int>(variant_indices.size()) * replicates;
  Progress progress(progress_stream, options.progress, total);
  const auto start = std::chrono::steady_clock::now();

  // KLYNGE_PHASE_TIMES=1: wall time per phase, summed over replicates (for bench/).
  const bool time_phases = std::getenv("KLYNGE_PHASE_TIMES") != nullptr;
  PhaseTimes phase_total;
  std::mutex phase_mutex;

  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(0, total, [&](int task) {
      if (stop && stop->load()) return;
      const int k = task / replicates;
      const int replicate = task % replicates;
      const bool is_detail = replicate < detail;
      Simulation simulation(inputs, variant_indices[k], replicate, is_detail);
      simulation.world().parallelism.grain = options.phase_grain;
      simulation.stop_on(stop);
      PhaseTimes phase_times;
      if (time_phases) simulation.time_phases(&phase_times);
      ReplicateOutput out = simulation.run();
      if (simulation.stopped()) return;  // interrupted mid-way: not a finished replicate
      if (time_phases) {
        std::lock_guard lock(phase_mutex);
        phase_total.add(phase_times);
      }
      out.variant = k;
      out.detail_index = is_detail ? replicate : -1;
      writer_thread.push(std::move(out));
      progress.advance();
    });
  });
  const bool complete = progress.done() == total;
  writer_thread.close(complete);
  if (time_phases)
    for (std::size_t i = 0; i < PhaseTimes::kNames.size(); ++i)
      progress_stream << "phase-seconds " << PhaseTimes::kNames[i] << " " << phase_total.seconds[i]
                      << "\n";

  RunSummary summary;
  summary.complete = complete;
  summary.finished = progress.done();
  summary.total = total;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.output = options.output;
  for (int vi : variant_indices) summary.variants.push_back(scenario.variants[vi].name);
  return summary;
}

}  // namespace klynge
