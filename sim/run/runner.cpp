#include "sim/run/runner.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "klynge_version.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/terminal_text.hpp"
#include "sim/core/text.hpp"
#include "sim/io/municipalities.hpp"
#include "sim/io/results_h5.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/run/parameter_draws.hpp"
#include "sim/run/process_group.hpp"
#include "sim/run/shared_draws.hpp"
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

// After a stop request, rank 0 waits this long for ranks that stay silent (one may have died)
// before it closes the file: mpirun gives the job only a few seconds after a rank dies.
constexpr double kSilentRankGraceSeconds = 0.2;

// Memory the stores of shared common draws may hold in all (the workshop needs ~1 MB a replicate;
// 100k firms ~50 MB a step, so only a large population's first steps are shared).
constexpr std::size_t kSharedDrawsBudgetBytes = std::size_t{256} << 20;

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

// The replicates an incomplete file already holds, as the writer was given them, and which units
// they are (unit = replicate x variants + variant). Refuses a file that this scenario and these
// options would not have written: resuming it could not give the uninterrupted run's results.
struct Finished {
  std::vector<char> done;  // [unit]
  std::vector<ReplicateOutput> outputs;
};

void require_same(const std::string& path, const std::string& what, bool same) {
  if (!same)
    throw UsageError("--resume " + path + ": the file was written with another " + what +
                     "; resume it with the scenario and options it was started with (its "
                     "command_line attribute; `klynge inspect` shows it)");
}

Finished finished_replicates(const ResultsFile& file, const ResultsHeader& expected, int detail) {
  const std::string& path = file.path;
  const ResultsHeader& h = file.header;
  require_same(path, "klynge version", h.tool_version == expected.tool_version);
  require_same(path, "seed", h.seed == expected.seed);
  require_same(path, "number of replicates", h.replicates == expected.replicates);
  require_same(path, "horizon", h.horizon == expected.horizon);
  require_same(path, "number of detail replicates",
               h.detail_replicates == expected.detail_replicates);
  require_same(path, "scenario (scenario_text)", h.scenario_text == expected.scenario_text);
  require_same(path, "resolved configuration",
               h.resolved_configuration == expected.resolved_configuration);
  require_same(path, "--reveal-names setting", h.reveal_names == expected.reveal_names);
  require_same(path, "variant selection", h.variants.size() == expected.variants.size());
  for (std::size_t k = 0; k < h.variants.size(); ++k)
    require_same(
        path, "variant selection",
        h.variants[k].name == expected.variants[k].name &&
            h.variants[k].resolved_configuration == expected.variants[k].resolved_configuration);
  require_same(path, "set of metrics", file.metric_names.size() == kMetricCount);

  const std::size_t variant_count = expected.variants.size();
  Finished finished;
  finished.done.assign(variant_count * static_cast<std::size_t>(expected.replicates), 0);
  for (std::size_t k = 0; k < variant_count; ++k) {
    const VariantResults& v = file.variants[k];
    DetailResults details;
    if (detail > 0) details = read_detail(path, v.name);
    const std::size_t row = v.steps * v.metric_count;
    const std::size_t firm_rows = v.firms * v.firm_variables;
    for (std::size_t r = 0; r < v.replicates; ++r) {
      if (!v.completed[r]) continue;
      ReplicateOutput out;
      out.variant = static_cast<int>(k);
      out.replicate = static_cast<int>(r);
      out.steps = static_cast<int>(v.steps);
      out.metrics.assign(v.metrics.begin() + static_cast<std::ptrdiff_t>(r * row),
                         v.metrics.begin() + static_cast<std::ptrdiff_t>((r + 1) * row));
      out.final_firms.assign(
          v.final_firms.begin() + static_cast<std::ptrdiff_t>(r * firm_rows),
          v.final_firms.begin() + static_cast<std::ptrdiff_t>((r + 1) * firm_rows));
      if (static_cast<int>(r) < detail) {
        // A detail replicate is finished only with its detail rows (written in the same call).
        if (r >= details.replicate.size() || details.replicate[r] != static_cast<int>(r)) continue;
        out.detail_index = static_cast<int>(r);
        const std::size_t slab = details.steps * details.firms * details.firm_variables;
        out.trajectories.assign(
            details.trajectories.begin() + static_cast<std::ptrdiff_t>(r * slab),
            details.trajectories.begin() + static_cast<std::ptrdiff_t>((r + 1) * slab));
        for (std::size_t i = 0; i < details.events.size(); ++i)
          if (details.event_detail[i] == static_cast<int>(r))
            out.events.push_back(details.events[i]);
        for (std::size_t i = 0; i < details.ties.size(); ++i)
          if (details.tie_detail[i] == static_cast<int>(r)) out.ties.push_back(details.ties[i]);
      }
      finished.done[r * variant_count + k] = 1;
      finished.outputs.push_back(std::move(out));
    }
  }
  return finished;
}

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
      info.intervention_labels.push_back(shown(spec.label));
    }
    info.label = shown(v.label);
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
                        const std::atomic<bool>* stop, ProcessGroup* group) {
  Scenario& scenario = inputs.scenario;
  std::vector<std::string> variant_names = options.variants;
  // Resuming: the file is read once (rank 0 keeps its replicates below).
  std::optional<ResultsFile> resumed_file;
  if (options.resume) {  // replicates, seed and variants as the file was run, unless given
    resumed_file = read_results(options.output);
    const ResultsFile& file = *resumed_file;
    if (!options.replicates)
      scenario.replicates = file.header.uncertainty.draws > 0
                                ? file.header.uncertainty.replicates_per_draw
                                : file.header.replicates;
    if (!options.seed) scenario.seed = file.header.seed;
    if (variant_names.empty())
      for (const auto& v : file.header.variants) variant_names.push_back(v.name);
    if (file.complete()) {  // nothing to do: leave the file as it is
      RunSummary done;
      done.complete = true;
      done.output = options.output;
      done.variants = variant_names;
      for (const auto& v : file.variants) done.total += static_cast<int>(v.replicates);
      done.finished = done.resumed = done.total;
      return done;
    }
  }
  if (options.replicates) scenario.replicates = *options.replicates;
  if (options.seed) scenario.seed = *options.seed;
  // The scenario key's limits hold for every caller (the CLI checks them too, with its message).
  if (scenario.replicates < 1 || scenario.replicates > 1'000'000)
    throw UsageError("--replicates: expected an integer from 1 to 1000000, got " +
                     std::to_string(scenario.replicates));
  const std::vector<int> variant_indices = select_variants(scenario, variant_names);
  // Replicates are counted in int (progress, task indices): refuse what would overflow it.
  if (static_cast<long long>(variant_indices.size()) * scenario.replicates > 1'000'000'000)
    throw UsageError(
        "variants x replicates is " +
        std::to_string(static_cast<long long>(variant_indices.size()) * scenario.replicates) +
        ", more than the limit of 1000000000 simulations in one run; run fewer "
        "variants (--variant) or replicates");
  const int rank = group ? group->rank() : 0;
  const int ranks = group ? group->size() : 1;

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  // A probabilistic run (`uncertainty:`) repeats the replicates for every parameter draw: the
  // file's replicate axis holds draws x replicates rows, draw-major. Row r of draw d uses the
  // random streams of replicate r, so the draws share their random numbers too.
  const ParameterDraws draws = make_parameter_draws(scenario);
  const int per_draw = scenario.replicates;
  const long long rows_wanted = static_cast<long long>(draws.count) * per_draw;
  const long long units_wanted = rows_wanted * static_cast<long long>(variant_indices.size());
  if (units_wanted > std::numeric_limits<int>::max())
    throw UsageError("draws x replicates x variants = " + std::to_string(units_wanted) +
                     " simulations: more than one run can hold (" +
                     std::to_string(std::numeric_limits<int>::max()) + ")");
  const int replicates = static_cast<int>(rows_wanted);  // rows of the replicate axis
  const int detail = std::min(scenario.outputs.detail_replicates, per_draw);

  // Only rank 0 writes: the other ranks send it their replicates (sim/run/process_group.hpp).
  // Resuming, rank 0 first reads what the file holds; the file is replaced only when the new one
  // is finished (the writer writes a temporary file and renames it).
  std::unique_ptr<WriterThread> writer_thread;
  Finished finished;
  if (rank == 0) {
    ResultsHeader header = make_results_header(inputs, variant_indices, options);
    header.replicates = replicates;
    header.detail_replicates = detail;
    if (scenario.uncertainty.active()) {
      header.uncertainty = draws.info;
      header.uncertainty.replicates_per_draw = per_draw;
    }
    if (resumed_file) finished = finished_replicates(*resumed_file, header, detail);
    writer_thread = std::make_unique<WriterThread>(
        std::make_unique<ResultsWriter>(options.output, header, options.force || options.resume),
        static_cast<std::size_t>(2 * threads + 2));
  }
  resumed_file.reset();  // what rank 0 keeps is copied into `finished`: free the rest
  const int variant_count = static_cast<int>(variant_indices.size());
  const int total = variant_count * replicates;
  Progress progress(progress_stream, options.progress && rank == 0, total);
  const auto start = std::chrono::steady_clock::now();

  const bool time_phases = options.phase_times || std::getenv("KLYNGE_PHASE_TIMES") != nullptr;
  PhaseTimes phase_total;
  std::mutex phase_mutex;

  // Work units in replicate-major order (every variant of replicate 0, then of replicate 1, ...)
  // taken from one counter, so the units run roughly in that order whatever the thread count:
  // an interrupted file holds complete pairs of replicates across variants (compare pairs them)
  // instead of one variant's first half and another's second. With several ranks the counter
  // lives on rank 0, which hands units out on request (a work queue: static blocks left ranks
  // that shared their cores with other work far behind, and the pairs ragged). The order of
  // work changes no result.
  std::atomic<int> next_unit{0};
  std::mutex take_mutex;  // resuming: skipping finished units takes several steps of the counter
  const auto take_unit = [&]() -> int {
    if (stop && stop->load()) return total;
    if (rank > 0) return group->next_unit();
    if (finished.done.empty()) return std::min(next_unit++, total);
    std::lock_guard lock(take_mutex);
    int unit = next_unit++;
    while (unit < total && finished.done[static_cast<std::size_t>(unit)]) unit = next_unit++;
    return std::min(unit, total);
  };
  std::atomic<int> finished_here{0};
  // The variants of one replicate draw its arrivals and base sets once (sim/run/shared_draws.hpp):
  // the units of a replicate run close together (replicate-major order), so a window of a few
  // rows per thread keeps the store alive for all of them. Changes no result.
  std::optional<SharedDrawsCache> shared_draws;
  if (variant_count > 1)
    shared_draws.emplace(scenario.horizon, static_cast<std::size_t>(4 * threads + 8),
                         kSharedDrawsBudgetBytes);
  const auto run_unit = [&](int unit) {
    const int k = unit % variant_count;
    const int replicate = unit / variant_count;  // the row
    const bool is_detail = replicate < detail;
    const int draw = replicate / per_draw;
    std::optional<Variant> drawn;
    if (scenario.uncertainty.active())
      drawn = draws.apply(scenario.variants[static_cast<std::size_t>(variant_indices[k])], draw);
    Simulation simulation(inputs, variant_indices[k], replicate % per_draw, is_detail,
                          drawn ? &*drawn : nullptr);
    if (shared_draws)
      simulation.share_draws(shared_draws->acquire(
          replicate,
          parameter_values(
              (drawn ? *drawn : scenario.variants[static_cast<std::size_t>(variant_indices[k])])
                  .parameters)));
    simulation.world().parallelism.grain = options.phase_grain;
    simulation.stop_on(stop);
    PhaseTimes phase_times;
    if (time_phases) simulation.time_phases(&phase_times);
    // Rank 0 writes: its detail replicates go to the writer step by step instead of holding their
    // whole trajectory (per-firm rows and the tie list of every step) until the end. Other ranks
    // send whole replicates (process_group.hpp); an unfinished one is taken back out of the file
    // at the end (ResultsWriter::finish).
    if (is_detail && rank == 0)
      simulation.stream_to([&](ReplicateOutput&& slice) {
        slice.variant = k;
        slice.replicate = replicate;
        slice.detail_index = replicate;
        writer_thread->push(std::move(slice));
      });
    ReplicateOutput out = simulation.run();
    if (simulation.stopped()) return;  // interrupted mid-way: not a finished replicate
    if (time_phases) {
      std::lock_guard lock(phase_mutex);
      phase_total.add(phase_times);
    }
    out.variant = k;
    out.replicate = replicate;
    out.detail_index = is_detail ? replicate : -1;
    ++finished_here;
    if (rank == 0) {
      writer_thread->push(std::move(out));
      progress.advance();
    } else {
      group->send(out);
    }
  };

  // The replicates taken over from the file being resumed go first.
  const int resumed = static_cast<int>(finished.outputs.size());
  for (auto& out : finished.outputs) {
    writer_thread->push(std::move(out));
    progress.advance();
  }
  finished.outputs.clear();

  // Rank 0 also receives the other ranks' replicates, on a thread of its own.
  std::string silent_ranks;
  std::exception_ptr receive_error;
  std::thread receiver;
  struct JoinOnExit {  // also when a worker throws (the writer failed): never leave it running
    std::thread& thread;
    ~JoinOnExit() {
      if (thread.joinable()) thread.join();
    }
  } join_receiver{receiver};
  if (rank == 0 && ranks > 1)
    receiver = std::thread([&] {
      try {
        silent_ranks = group->serve(
            take_unit,
            [&](ReplicateOutput&& out) {
              writer_thread->push(std::move(out));
              progress.advance();
            },
            stop, kSilentRankGraceSeconds);
      } catch (...) {
        receive_error = std::current_exception();
      }
    });

  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::task_group workers;
    for (int w = 0; w < threads; ++w)
      workers.run([&] {
        for (int unit = take_unit(); unit < total; unit = take_unit()) run_unit(unit);
      });
    workers.wait();
  });
  if (rank > 0) group->finish();
  if (receiver.joinable()) receiver.join();

  RunSummary summary;
  summary.total = total;
  summary.rank = rank;
  summary.output = options.output;
  for (int vi : variant_indices) summary.variants.push_back(scenario.variants[vi].name);
  if (rank > 0) {
    summary.finished = finished_here.load();
    summary.complete = !(stop && stop->load());
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
  }
  const bool complete = progress.done() == total;
  writer_thread->close(complete);
  if (receive_error) std::rethrow_exception(receive_error);
  if (!silent_ranks.empty())
    progress_stream << "error: " << silent_ranks << " did not report before the deadline; "
                    << options.output << " holds what arrived and is marked incomplete\n";
  if (time_phases)
    for (std::size_t i = 0; i < PhaseTimes::kNames.size(); ++i)
      progress_stream << "phase-seconds " << PhaseTimes::kNames[i] << " " << phase_total.seconds[i]
                      << "\n";

  summary.complete = complete;
  summary.resumed = resumed;
  summary.finished = progress.done();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace klynge
