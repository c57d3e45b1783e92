#pragma once
// `klynge studio`: a live page for workshops (docs/workshop.md). The room switches a variant's
// activities on and off and moves their key numbers; the server turns each edit into scenario
// YAML, validates it with the scenario loader itself (so the page shows the loader's
// file:line:column/key/expected messages), and runs the edited programme against the baseline
// with common random numbers in a background thread, publishing the paired effects (computed by
// analysis::compare, as `klynge compare` computes them) while replicates finish. A newer edit
// cancels a stale run.
//
// Safety: requests are data only (JSON with bounded size; values become YAML scalars, never
// code or paths); the only files read or written are the scenario, its data (as the loader reads
// them) and files the page names by a plain file name inside the scenario's folder.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/io/inputs.hpp"

namespace klynge {
struct ReplicateOutput;
}

namespace klynge::cli::studio {

// Largest request body accepted (bytes): a programme of 100 activities is about 10 KB.
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;
// Most replicates a studio run may use (--replicates); each edit costs 2 x this many replicates.
inline constexpr int kMaxReplicates = 1000;
// Most activities an edit may name, and the longest value text.
inline constexpr std::size_t kMaxActivities = 200;
inline constexpr std::size_t kMaxValueChars = 64;
// Largest network panel answer (bytes): the workshop scenario's is about 0.1 MB; a long horizon
// or a large population gets a note instead (the report's network view has the same limit on
// firms, analysis::report::Options::max_network_firms).
inline constexpr std::size_t kMaxNetworkBytes = 8 * 1024 * 1024;

// A file name the page may save to: a plain name (letters, digits, '_', '-', '.'; no separator,
// no "..", not hidden) ending in `extension` (".yaml" or ".html"), at most 100 characters.
// Returns "" when acceptable, else why not (shown in the page).
std::string check_file_name(const std::string& name, const std::string& extension);

// One activity as the page edits it (values are text, validated by the loader).
struct ActivityEdit {
  std::string id;
  bool on = true;
  std::string start, end, at, budget_dkk, intensity;  // "" = unchanged
};
// The edited programme: based on `variant`, with the scenario's horizon and the variant's total
// budget as given.
struct Programme {
  std::string variant;
  std::string horizon, budget_dkk;  // "" = unchanged
  std::string label;                // what the room calls it (shown in the ranking)
  std::vector<ActivityEdit> activities;
};
// Parses the page's JSON. Throws InputError naming the request and the key when the body is not
// JSON of that shape or exceeds the limits.
Programme parse_programme(const std::string& json);

class Session {
 public:
  // Loads the scenario (throws InputError as `klynge run` would). replicates: per variant of
  // every run (0 = the scenario's, capped at kMaxReplicates); threads: 0 = all cores.
  Session(const std::string& scenario_path, int replicates, int threads);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The page's starting point: scenario, variants and their activities with their ranges (JSON).
  std::string state_json() const;
  // The scenario YAML of `programme` (baseline + one edited variant named `variant_name`, or,
  // with `all_variants`, the scenario's variants plus the edited one), validated by the loader:
  // throws InputError with the loader's message when a value is invalid.
  std::string scenario_yaml(const Programme& programme, const std::string& variant_name,
                            bool all_variants) const;
  // Validates `programme` and starts running it (cancelling the run in progress). Returns the
  // run's id. Throws InputError as scenario_yaml does.
  int submit(const Programme& programme);
  // The current run and every finished one of this session (JSON; see docs/workshop.md).
  std::string status_json();
  // The network panel of the latest run (JSON; see docs/workshop.md): its detail replicate 0 of
  // the edited variant, as the report's network view draws it, once that replicate has finished.
  std::string network_json();
  // Writes the edited scenario (baseline, the scenario's variants and the edited one) to
  // `name` in the scenario's folder. Returns the path written; throws UsageError for a bad
  // name or an existing file (without `replace`), InputError for an invalid programme.
  std::string save_scenario(const Programme& programme, const std::string& name, bool replace);
  // Runs the baseline and the session's latest finished programmes (at most 11, at the latest
  // horizon) into NAME.h5 in the scenario's folder and writes the self-contained report NAME (an
  // .html file name) next to it. Blocks until written (or `*stop`).
  std::string save_report(const std::string& name, bool replace, const std::atomic<bool>* stop);
  // Stops the background run (also done by the destructor).
  void stop();

  const std::string& folder() const { return folder_; }
  int replicates() const { return replicates_; }

 private:
  struct Run;
  void worker();
  static void network_panel(const Run& run, ReplicateOutput& out, std::string& json,
                            std::string& note);
  const std::string& summarise(Run& run);
  static std::string network_state(const Run& run);
  std::string emit(const Programme& programme, const std::string& variant_name,
                   bool all_variants) const;

  std::string scenario_path_, folder_, source_text_;
  std::string inherited_yaml_;  // resolved YAML of a variant without changes of its own
  Inputs inputs_;               // as loaded; population reused by every run
  int replicates_, threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<Run> current_, pending_, latest_;
  std::vector<std::shared_ptr<Run>> finished_;
  int next_id_ = 1;
  bool quit_ = false;
  std::thread thread_;
};

// Serves the page and the API on host:port until `*stop` becomes true. Prints the address on
// `out`. Throws UsageError when the address cannot be bound.
void serve(Session& session, const std::string& host, int port, std::ostream& out,
           std::ostream& err, const std::atomic<bool>* stop);

}  // namespace klynge::cli::studio
