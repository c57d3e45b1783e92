#include "sim/cli/studio/studio.hpp"

#include <tbb/info.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "analysis/compare.hpp"
#include "analysis/report.hpp"
#include "analysis/report_network.hpp"
#include "klynge_version.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/intervention_types.hpp"
#include "sim/core/metrics.hpp"
#include "sim/io/output_file.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/run/runner.hpp"
#include "sim/run/simulation.hpp"

namespace klynge::cli::studio {

namespace fs = std::filesystem;
namespace pt = boost::property_tree;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The ranking keeps at most this many finished programmes (their summaries only).
constexpr std::size_t kMaxFinished = 100;
// "save report" runs at most this many programmes besides the baseline (the latest ones): the
// report gives up to 12 variants distinct colour and dash combinations.
constexpr std::size_t kMaxReportProgrammes = 11;
// The outcomes the page shows, in its order (names of analysis::compare's effects).
const std::vector<std::string>& shown_outcomes() {
  static const std::vector<std::string> names = {"participant_revenue_growth",
                                                 "participant_revenue_mdkk",
                                                 "value_added_dkk",
                                                 "incremental_cost_dkk",
                                                 "value_added_per_dkk",
                                                 "ties_partner",
                                                 "clusters"};
  return names;
}

const SourceLocation kRequest{"request", 0, 0};

// Shortest text that reads back as the same double (JSON; NaN and infinities as null).
std::string number(double value) {
  if (!std::isfinite(value)) return "null";
  // Whole numbers as integers (3000000, not 3e+06): the page puts them into its fields.
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

using analysis::json_string;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "", "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The parameter the page offers as an activity's intensity: the first of its type's own
// parameters (the cost keys are shared by every type and come after them in the table).
const InterventionParamSpec* intensity_param(const std::string& type) {
  const InterventionTypeSpec* spec = find_intervention_type(type);
  if (!spec) return nullptr;
  for (const auto& p : spec->params) {
    const std::string key = p.key;
    if (key != "fixed_dkk" && key != "per_firm_dkk" && key != "monthly_dkk" &&
        key != "per_cluster_dkk")
      return &p;
  }
  return nullptr;
}

std::string text_value(const pt::ptree& tree, const std::string& key, const std::string& where) {
  const auto child = tree.get_child_optional(key);
  if (!child) return "";
  if (!child->empty())
    throw InputError(kRequest, where + key, "expected a number or text, not a list or object");
  const std::string value = child->data();
  if (value.size() > kMaxValueChars)
    throw InputError(kRequest, where + key,
                     "expected at most " + std::to_string(kMaxValueChars) + " characters");
  return value;
}

// The name a programme gets as a variant: its label made an identifier, or programme_N.
std::string variant_name_for(const std::string& label, int id) {
  std::string name;
  for (char c : label) {
    if (name.size() >= 40) break;
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')
      name += c;
    else if (!name.empty() && name.back() != '_')
      name += '_';
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name.front())))
    name = "programme_" + std::to_string(id);
  return name;
}

}  // namespace

std::string check_file_name(const std::string& name, const std::string& extension) {
  if (name.empty()) return "give a file name, e.g. workshop" + extension;
  if (name.size() > 100) return "the file name is longer than 100 characters";
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
    return "'" + name +
           "' names a path: give a plain file name (it is saved in the scenario's "
           "folder)";
  if (name.find("..") != std::string::npos) return "a file name may not contain '..'";
  if (name.front() == '.') return "a file name may not start with '.'";
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return "a file name may hold only letters, digits, '_', '-' and '.'";
  if (name.size() <= extension.size() ||
      name.compare(name.size() - extension.size(), extension.size(), extension) != 0)
    return "the file name must end in " + extension;
  return "";
}

Programme parse_programme(const std::string& json) {
  if (json.size() > kMaxBodyBytes)
    throw InputError(kRequest, "", "the request is larger than the limit");
  pt::ptree tree;
  try {
    std::istringstream in(json);
    pt::read_json(in, tree);
  } catch (const pt::json_parser_error& e) {
    throw InputError({"request", static_cast<int>(e.line()), 0}, "",
                     "expected JSON: " + e.message());
  }
  Programme p;
  p.variant = text_value(tree, "variant", "");
  p.horizon = text_value(tree, "horizon", "");
  p.budget_dkk = text_value(tree, "budget_dkk", "");
  p.label = text_value(tree, "label", "");
  if (const auto list = tree.get_child_optional("activities")) {
    std::size_t i = 0;
    for (const auto& [key, item] : *list) {
      const std::string where = "activities[" + std::to_string(i) + "].";
      if (!key.empty()) throw InputError(kRequest, "activities", "expected a list");
      if (++i > kMaxActivities)
        throw InputError(kRequest, "activities",
                         "expected at most " + std::to_string(kMaxActivities) + " activities");
      ActivityEdit a;
      a.id = text_value(item, "id", where);
      const std::string on = text_value(item, "on", where);
      if (on != "true" && on != "false" && !on.empty())
        throw InputError(kRequest, where + "on", "expected true or false");
      a.on = on != "false";
      a.start = text_value(item, "start", where);
      a.end = text_value(item, "end", where);
      a.at = text_value(item, "at", where);
      a.budget_dkk = text_value(item, "budget_dkk", where);
      a.intensity = text_value(item, "intensity", where);
      p.activities.push_back(std::move(a));
    }
  }
  return p;
}

// ---------------------------------------------------------------------------------------------

struct Session::Run {
  int id = 0;
  std::string name, label, yaml;
  int horizon = 0;
  Programme programme;
  std::unique_ptr<Inputs> inputs;
  std::atomic<bool> stop{false};
  std::chrono::steady_clock::time_point submitted;

  std::mutex mutex;              // guards everything below
  ResultsFile file;              // filled as replicates finish (no file on disk)
  std::string state = "queued";  // running, done, cancelled, error
  std::string error;
  int finished = 0;
  double first_estimate_seconds = kNaN, seconds = kNaN;
  std::string summary;  // JSON of the last summary, for `summarised` replicates
  int summarised = -1;
  std::string summarised_state;
  // The network panel: replicate 0 of the edited variant runs with detail outputs; its JSON
  // (analysis::report::detail::network_section's) once it has finished, or why there is none.
  std::string network, network_note;
};

Session::Session(const std::string& scenario_path, int replicates, int threads)
    : scenario_path_(scenario_path), threads_(threads) {
  inputs_ = load_inputs(scenario_path);
  source_text_ = read_text(scenario_path);
  std::error_code ec;
  const fs::path absolute = fs::absolute(scenario_path, ec);
  folder_ = (ec ? fs::path(scenario_path) : absolute).parent_path().string();
  if (folder_.empty()) folder_ = ".";
  replicates_ = replicates > 0 ? replicates : std::min(inputs_.scenario.replicates, kMaxReplicates);
  if (replicates_ < 2 || replicates_ > kMaxReplicates)
    throw UsageError("--replicates: expected an integer from 2 to " +
                     std::to_string(kMaxReplicates) + " (a CI needs 2)");
  if (threads_ <= 0) threads_ = tbb::info::default_concurrency();
  // What a variant with no changes of its own resolves to: an edited variant writes out only
  // the model parameters and facilitators that differ from it.
  YAML::Node plain = YAML::Load(source_text_);
  plain.remove("uncertainty");
  plain.remove("sweep");
  YAML::Node plain_variants(YAML::NodeType::Map);
  plain_variants["plain"] = YAML::Node(YAML::NodeType::Map);
  plain["variants"] = plain_variants;
  const Scenario plain_scenario = parse_scenario(YAML::Dump(plain), scenario_path, folder_);
  const FirmIdMapper same = [](const std::string& id) { return id; };
  inherited_yaml_ = resolved_variant_yaml(plain_scenario, plain_scenario.variants.front(), same);
  thread_ = std::thread([this] { worker(); });
}

Session::~Session() {
  stop();
}

void Session::stop() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    if (current_) current_->stop = true;
    if (pending_) pending_->stop = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string Session::state_json() const {
  const Scenario& s = inputs_.scenario;
  const auto budget = [](double b) { return std::isfinite(b) ? number(b) : "\"unlimited\""; };
  std::ostringstream out;
  out << "{\"scenario\": " << json_string(fs::path(scenario_path_).filename().string())
      << ", \"name\": " << json_string(inputs_.pseudonymise(s.name))
      << ", \"horizon\": " << s.horizon << ", \"horizon_max\": 1200"
      << ", \"replicates\": " << replicates_ << ", \"threads\": " << threads_
      << ", \"baseline\": " << json_string(s.baseline().name) << ", \"variants\": [";
  // The default: the non-baseline variant with the most activities (the first such).
  std::string chosen;
  std::size_t most = 0;
  for (const auto& v : s.variants)
    if (&v != &s.baseline() && (chosen.empty() || v.interventions.size() > most)) {
      chosen = v.name;
      most = v.interventions.size();
    }
  bool first_variant = true;
  for (const auto& v : s.variants) {
    if (&v == &s.baseline() && s.variants.size() > 1) continue;
    out << (first_variant ? "" : ", ") << "{\"name\": " << json_string(v.name)
        << ", \"budget_dkk\": " << budget(v.budget_dkk) << ", \"activities\": [";
    first_variant = false;
    for (std::size_t i = 0; i < v.interventions.size(); ++i) {
      const InterventionSpec& a = v.interventions[i];
      out << (i ? ", " : "") << "{\"id\": " << json_string(a.id)
          << ", \"type\": " << json_string(a.type);
      if (const auto* t = find_intervention_type(a.type))
        out << ", \"help\": " << json_string(t->help);
      out << ", \"window\": " << (a.schedule.is_window() ? "true" : "false");
      if (a.schedule.is_window()) {
        out << ", \"start\": " << a.schedule.start << ", \"end\": " << a.schedule.end
            << ", \"every\": " << a.schedule.every;
      } else {
        out << ", \"at\": \"";
        for (std::size_t k = 0; k < a.schedule.at.size(); ++k)
          out << (k ? ", " : "") << a.schedule.at[k];
        out << "\"";
      }
      out << ", \"budget_dkk\": "
          << (a.budget_dkk ? budget(*a.budget_dkk) : std::string("\"unlimited\""));
      if (const auto* p = intensity_param(a.type))
        out << ", \"intensity\": {\"key\": " << json_string(p->key)
            << ", \"value\": " << number(a.param(p->key)) << ", \"min\": " << number(p->min)
            << ", \"max\": " << number(p->max)
            << ", \"integer\": " << (p->integer ? "true" : "false")
            << ", \"unit\": " << json_string(p->unit) << ", \"help\": " << json_string(p->help)
            << "}";
      out << "}";
    }
    out << "]}";
  }
  out << "], \"default_variant\": "
      << json_string(chosen.empty() ? s.variants.front().name : chosen) << "}";
  return out.str();
}

// The variant node of an edited programme: its base variant's resolved interventions (every
// key written out) with the page's values put in as YAML scalars, the variant's total budget,
// and its model parameters and facilitators where they differ from what a variant inherits.
namespace {

YAML::Node edited_variant(const Inputs& inputs, const Programme& p, const YAML::Node& inherited) {
  const Scenario& s = inputs.scenario;
  const Variant* base = s.find_variant(p.variant);
  if (!base) {
    std::string names;
    for (const auto& v : s.variants) names += (names.empty() ? "" : ", ") + v.name;
    throw InputError(kRequest, "variant",
                     "no variant '" + p.variant + "' in the scenario; expected one of " + names);
  }
  const FirmIdMapper same = [](const std::string& id) { return id; };
  const YAML::Node resolved = YAML::Load(resolved_variant_yaml(s, *base, same));
  std::vector<bool> used(p.activities.size(), false);
  YAML::Node list(YAML::NodeType::Sequence);
  for (const auto& item : resolved["interventions"]) {
    YAML::Node a = YAML::Clone(item);
    const std::string id = a["id"].as<std::string>();
    const ActivityEdit* edit = nullptr;
    for (std::size_t i = 0; i < p.activities.size(); ++i)
      if (p.activities[i].id == id) {
        edit = &p.activities[i];
        used[i] = true;
      }
    if (edit) {
      if (!edit->on) continue;
      if (!edit->start.empty()) a["start"] = edit->start;
      if (!edit->end.empty()) a["end"] = edit->end;
      if (!edit->at.empty()) {
        // "3, 6, 9" -> [3, 6, 9]; each item stays text for the loader to judge.
        YAML::Node at(YAML::NodeType::Sequence);
        at.SetStyle(YAML::EmitterStyle::Flow);
        std::string item_text;
        std::istringstream in(edit->at);
        while (std::getline(in, item_text, ',')) {
          const auto b = item_text.find_first_not_of(" \t");
          const auto e = item_text.find_last_not_of(" \t");
          at.push_back(b == std::string::npos ? std::string() : item_text.substr(b, e - b + 1));
        }
        a["at"] = at;
      }
      if (!edit->budget_dkk.empty()) a["budget_dkk"] = edit->budget_dkk;
      if (!edit->intensity.empty()) {
        const auto* param = intensity_param(a["type"].as<std::string>());
        if (!param)
          throw InputError(kRequest, "activities[].intensity",
                           "activity '" + id + "' has no intensity to set");
        a[param->key] = edit->intensity;
      }
    }
    list.push_back(a);
  }
  for (std::size_t i = 0; i < used.size(); ++i)
    if (!used[i])
      throw InputError(kRequest, "activities[" + std::to_string(i) + "].id",
                       "variant '" + p.variant + "' has no activity '" + p.activities[i].id + "'");
  YAML::Node v(YAML::NodeType::Map);
  if (list.size() == 0) list.SetStyle(YAML::EmitterStyle::Flow);
  v["interventions"] = list;
  v["budget_dkk"] = p.budget_dkk.empty() ? resolved["budget_dkk"] : YAML::Node(p.budget_dkk);
  YAML::Node params(YAML::NodeType::Map);
  for (const auto& kv : resolved["parameters"]) {
    const std::string key = kv.first.as<std::string>();
    if (!inherited["parameters"][key] ||
        YAML::Dump(inherited["parameters"][key]) != YAML::Dump(kv.second))
      params[key] = kv.second;
  }
  if (params.size() > 0) v["parameters"] = params;
  if (YAML::Dump(inherited["facilitators"]) != YAML::Dump(resolved["facilitators"]))
    v["facilitators"] = resolved["facilitators"];
  return v;
}

}  // namespace

std::string Session::emit(const Programme& programme, const std::string& variant_name,
                          bool all_variants) const {
  const Scenario& s = inputs_.scenario;
  YAML::Node root = YAML::Load(source_text_);
  // A studio run is one parameter set: a probabilistic section would multiply the work.
  root.remove("uncertainty");
  root.remove("sweep");
  root["replicates"] = replicates_;
  if (!programme.horizon.empty()) root["horizon"] = programme.horizon;

  const YAML::Node inherited = YAML::Load(inherited_yaml_);

  const YAML::Node original = root["variants"];
  YAML::Node variants(YAML::NodeType::Map);
  if (all_variants && original && original.IsMap()) {
    for (const auto& kv : original) variants[kv.first] = kv.second;
  } else {
    const std::string baseline = s.baseline().name;
    if (original && original.IsMap() && original[baseline] && s.variants.size() > 1)
      variants[baseline] = original[baseline];
    else {  // no variant to compare with: doing nothing
      YAML::Node nothing(YAML::NodeType::Map);
      YAML::Node none(YAML::NodeType::Sequence);
      none.SetStyle(YAML::EmitterStyle::Flow);
      nothing["interventions"] = none;
      variants["baseline"] = nothing;
    }
  }
  if (variants[variant_name])
    throw InputError(
        kRequest, "label",
        "the scenario already has a variant named '" + variant_name + "'; choose another name");
  variants[variant_name] = edited_variant(inputs_, programme, inherited);
  root["variants"] = variants;

  YAML::Emitter out;
  out << root;
  std::string text =
      "# Written by klynge studio from " + fs::path(scenario_path_).filename().string() +
      ": variant '" + variant_name +
      "' is the programme edited in the page, written out in full (every activity's keys, its\n"
      "# base variant's settings); relative paths resolve against this file's folder.\n";
  text += out.c_str();
  text += "\n";
  // The loader's own validation: its messages reach the page unchanged.
  parse_scenario(text, fs::path(scenario_path_).filename().string() + " (as edited in the page)",
                 folder_);
  return text;
}

std::string Session::scenario_yaml(const Programme& programme, const std::string& variant_name,
                                   bool all_variants) const {
  return emit(programme, variant_name, all_variants);
}

int Session::submit(const Programme& programme) {
  auto run = std::make_shared<Run>();
  run->submitted = std::chrono::steady_clock::now();  // the first estimate's clock: validation too
  {
    std::lock_guard lock(mutex_);
    run->id = next_id_++;
  }
  run->label = programme.label.empty() ? "programme " + std::to_string(run->id) : programme.label;
  run->name = variant_name_for(programme.label, run->id);
  run->programme = programme;
  run->yaml = emit(programme, run->name, false);
  Scenario scenario = parse_scenario(run->yaml, scenario_path_, folder_);
  run->horizon = scenario.horizon;
  run->inputs = std::make_unique<Inputs>(assemble_inputs(std::move(scenario), inputs_.population));

  // The results as a results file would hold them, in memory.
  const Inputs& in = *run->inputs;
  RunOptions options;
  options.command_line = "klynge studio";
  ResultsFile& f = run->file;
  f.path = fs::path(scenario_path_).filename().string() + " (studio)";
  f.schema_version = kSchemaVersion;
  f.status = "incomplete";
  f.header = make_results_header(in, {0, 1}, options);
  for (const auto& m : kMetricInfo) {
    f.metric_names.emplace_back(m.name);
    f.metric_units.emplace_back(m.unit);
  }
  for (const auto& m : kFirmVariableInfo) {
    f.firm_variable_names.emplace_back(m.name);
    f.firm_variable_units.emplace_back(m.unit);
  }
  for (const auto& v : in.scenario.variants) {
    VariantResults r;
    r.name = v.name;
    r.replicates = static_cast<std::size_t>(replicates_);
    r.steps = static_cast<std::size_t>(in.scenario.horizon) + 1;
    r.metric_count = kMetricCount;
    r.metrics.assign(r.replicates * r.steps * r.metric_count, kNaN);
    r.completed.assign(r.replicates, 0);
    r.firms = in.population.firms.size();
    r.firm_variables = kFirmVariableCount;
    r.final_firms.assign(r.replicates * r.firms * r.firm_variables, kNaN);
    f.variants.push_back(std::move(r));
  }

  {
    std::lock_guard lock(mutex_);
    if (current_) current_->stop = true;
    if (pending_) {
      std::lock_guard run_lock(pending_->mutex);
      pending_->state = "cancelled";
    }
    if (latest_) {
      // Only the latest run's network panel is served: the older ones free theirs.
      std::lock_guard run_lock(latest_->mutex);
      latest_->network.clear();
      latest_->network.shrink_to_fit();
      if (latest_->network_note.empty()) latest_->network_note = "replaced by a newer run";
      latest_->summarised = -1;  // its summary says so
    }
    pending_ = run;
    latest_ = run;
  }
  wake_.notify_all();
  return run->id;
}

// The network panel of `run` from its detail replicate `out` (replicate 0 of the edited
// variant): the report's network JSON for that one variant, or in `note` why there is none.
void Session::network_panel(const Run& run, ReplicateOutput& out, std::string& json,
                            std::string& note) {
  // Only the header and the variable names are read: they do not change while the run runs.
  ResultsFile header_only;
  header_only.header = run.file.header;
  header_only.firm_variable_names = run.file.firm_variable_names;
  const std::size_t firms = header_only.header.pseudonyms.size();
  DetailResults d;
  d.detail_replicates = 1;
  d.steps = static_cast<std::size_t>(out.steps);
  d.firms = firms;
  d.firm_variables = kFirmVariableCount;
  d.replicate = {0};
  if (out.trajectories.size() != d.steps * d.firms * d.firm_variables) {
    note =
        "the scenario's outputs leave out the firm trajectories (outputs: firm_trajectories), "
        "so there is no network to show";
    return;
  }
  d.trajectories = std::move(out.trajectories);
  d.ties = std::move(out.ties);
  d.tie_detail.assign(d.ties.size(), 0);
  analysis::report::Options options;
  options.network_variant = run.name;
  analysis::report::NetworkVariant nv;
  nv.variant = run.name;
  nv.replicate = 0;
  nv.detail = std::move(d);
  analysis::report::detail::VariantStyle style;
  style.name = run.name;
  style.label = run.label;
  const auto section =
      analysis::report::detail::network_section(header_only, {nv}, options, {style}, "");
  if (section.json == "null") {
    note = std::to_string(firms) + " firms are more than the network panel shows (" +
           std::to_string(options.max_network_firms) + ")";
    return;
  }
  std::string text = "{\"network\": " + section.json + ", \"labels\": " + section.labels_json + "}";
  if (text.size() > kMaxNetworkBytes) {
    note = "the network of this run is larger than the panel shows (" +
           std::to_string(text.size() / (1024 * 1024)) + " MB; a shorter horizon helps)";
    return;
  }
  json = std::move(text);
}

void Session::worker() {
  for (;;) {
    std::shared_ptr<Run> run;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return quit_ || pending_; });
      if (quit_) return;
      run = std::move(pending_);
      pending_.reset();
      current_ = run;
    }
    {
      std::lock_guard lock(run->mutex);
      run->state = "running";
    }
    const int total = 2 * replicates_;
    std::atomic<int> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    try {
      tbb::task_arena arena(threads_);
      arena.execute([&] {
        tbb::task_group workers;
        for (int w = 0; w < threads_; ++w)
          workers.run([&] {
            try {
              // Replicate-major, as the runner: pairs of replicates complete together.
              for (int unit = next++; unit < total && !run->stop; unit = next++) {
                const int k = unit % 2, replicate = unit / 2;
                // Detail outputs (ties, firm trajectories) cost nothing in the random numbers:
                // the replicate's results are those of a plain one.
                const bool detail = k == 1 && replicate == 0;
                Simulation simulation(*run->inputs, k, replicate, detail);
                simulation.stop_on(&run->stop);
                ReplicateOutput out = simulation.run();
                if (simulation.stopped()) return;
                std::string network, network_note;
                if (detail) network_panel(*run, out, network, network_note);
                std::lock_guard lock(run->mutex);
                if (detail && run->network_note.empty()) {  // not replaced meanwhile
                  run->network = std::move(network);
                  run->network_note = std::move(network_note);
                }
                VariantResults& v = run->file.variants[static_cast<std::size_t>(k)];
                std::copy(out.metrics.begin(), out.metrics.end(),
                          v.metrics.begin() +
                              static_cast<std::ptrdiff_t>(static_cast<std::size_t>(replicate) *
                                                          v.steps * v.metric_count));
                std::copy(out.final_firms.begin(), out.final_firms.end(),
                          v.final_firms.begin() +
                              static_cast<std::ptrdiff_t>(static_cast<std::size_t>(replicate) *
                                                          v.firms * v.firm_variables));
                v.completed[static_cast<std::size_t>(replicate)] = 1;
                ++run->finished;
                const auto& other = run->file.variants[static_cast<std::size_t>(1 - k)];
                if (std::isnan(run->first_estimate_seconds) && other.completed_count() >= 2 &&
                    v.completed_count() >= 2)
                  run->first_estimate_seconds =
                      std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                    run->submitted)
                          .count();
              }
            } catch (...) {
              std::lock_guard lock(error_mutex);
              if (!error) error = std::current_exception();
              run->stop = true;
            }
          });
        workers.wait();
      });
    } catch (...) {
      error = std::current_exception();
    }
    bool done = false;
    {
      std::lock_guard lock(run->mutex);
      run->seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - run->submitted).count();
      if (error) {
        run->state = "error";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          run->error = e.what();
        }
      } else if (run->finished == total) {
        run->state = "done";
        run->file.status = "complete";
        done = true;
      } else {
        run->state = "cancelled";
      }
      summarise(*run);
      // The summary is all the page needs from now on: free the replicates.
      run->file = ResultsFile{};
      run->inputs.reset();
    }
    std::lock_guard lock(mutex_);
    if (done) {
      finished_.push_back(run);
      if (finished_.size() > kMaxFinished) finished_.erase(finished_.begin());
    }
    if (current_ == run) current_.reset();
  }
}

// Where the network panel of `run` stands (the caller holds run.mutex): "ready" (GET
// /api/network has it), "pending" (its detail replicate is running) or "none" (see the note).
std::string Session::network_state(const Run& run) {
  if (!run.network.empty()) return "ready";
  if (!run.network_note.empty() || run.state == "cancelled" || run.state == "error") return "none";
  return "pending";
}

std::string Session::network_json() {
  std::shared_ptr<Run> latest;
  {
    std::lock_guard lock(mutex_);
    latest = latest_;
  }
  if (!latest) return "{\"id\": null, \"state\": \"none\", \"note\": \"no programme has run yet\"}";
  std::lock_guard lock(latest->mutex);
  std::string note = latest->network_note;
  if (note.empty() && (latest->state == "cancelled" || latest->state == "error"))
    note = "the run stopped before its network replicate finished";
  std::ostringstream out;
  out << "{\"id\": " << latest->id << ", \"label\": " << json_string(latest->label)
      << ", \"name\": " << json_string(latest->name)
      << ", \"state\": " << json_string(network_state(*latest))
      << ", \"note\": " << json_string(note) << ", \"replicate\": 0"
      << ", \"replicates\": " << replicates_ << ", \"horizon\": " << latest->horizon;
  // The panel's data as network_panel wrote it: {"network": ..., "labels": ...} without braces.
  if (!latest->network.empty())
    out << ", " << latest->network.substr(1, latest->network.size() - 2);
  out << "}";
  return out.str();
}

// JSON of a run's state and estimates so far (the caller holds run.mutex). Recomputed only when
// a replicate finished or the state changed since the last call.
const std::string& Session::summarise(Run& run) {
  if (run.summarised == run.finished && run.summarised_state == run.state) return run.summary;
  std::ostringstream out;
  out << "{\"id\": " << run.id << ", \"label\": " << json_string(run.label)
      << ", \"name\": " << json_string(run.name)
      << ", \"base\": " << json_string(run.programme.variant)
      << ", \"state\": " << json_string(run.state) << ", \"horizon\": " << run.horizon
      << ", \"replicates\": " << replicates_ << ", \"finished\": " << run.finished
      << ", \"first_estimate_seconds\": " << number(run.first_estimate_seconds)
      << ", \"seconds\": " << number(run.seconds) << ", \"error\": " << json_string(run.error)
      << ", \"network\": " << json_string(network_state(run));
  std::size_t pairs = 0;
  if (run.file.variants.size() == 2) {
    const auto& b = run.file.variants[0].completed;
    const auto& v = run.file.variants[1].completed;
    for (std::size_t r = 0; r < b.size() && r < v.size(); ++r) pairs += b[r] && v[r] ? 1 : 0;
  }
  if (pairs >= 1) {
    try {
      const analysis::Comparison c = analysis::compare(run.file);
      const analysis::VariantComparison* v = c.find(run.name);
      out << ", \"pairs\": " << (v ? v->pairs : 0) << ", \"reading\": " << json_string(c.reading())
          << ", \"outcomes\": {";
      bool first = true;
      for (const auto& name : shown_outcomes()) {
        const analysis::Outcome* o = v ? v->effect(name) : nullptr;
        if (!o) continue;
        out << (first ? "" : ", ") << json_string(name) << ": {\"label\": " << json_string(o->label)
            << ", \"unit\": " << json_string(o->unit) << ", \"mean\": " << number(o->estimate.mean)
            << ", \"ci_low\": " << number(o->estimate.ci_low)
            << ", \"ci_high\": " << number(o->estimate.ci_high) << ", \"n\": " << o->estimate.n
            << ", \"note\": " << json_string(o->note) << "}";
        first = false;
      }
      out << "}";
      if (const analysis::Outcome* cost = v ? v->level("cost_dkk") : nullptr)
        out << ", \"cost_dkk\": " << number(cost->estimate.mean);
    } catch (const std::exception& e) {
      out << ", \"pairs\": 0, \"compare_error\": " << json_string(e.what());
    }
  } else {
    out << ", \"pairs\": 0";
  }
  out << "}";
  run.summary = out.str();
  run.summarised = run.finished;
  run.summarised_state = run.state;
  return run.summary;
}

std::string Session::status_json() {
  std::shared_ptr<Run> latest;
  std::vector<std::shared_ptr<Run>> finished;
  {
    std::lock_guard lock(mutex_);
    latest = latest_;
    finished = finished_;
  }
  std::ostringstream out;
  out << "{\"replicates\": " << replicates_ << ", \"latest\": ";
  if (latest) {
    std::lock_guard lock(latest->mutex);
    out << summarise(*latest);
  } else {
    out << "null";
  }
  out << ", \"finished\": [";
  for (std::size_t i = 0; i < finished.size(); ++i) {
    std::lock_guard lock(finished[i]->mutex);
    out << (i ? ", " : "") << summarise(*finished[i]);
  }
  out << "]}";
  return out.str();
}

std::string Session::save_scenario(const Programme& programme, const std::string& name,
                                   bool replace) {
  const std::string problem = check_file_name(name, ".yaml");
  if (!problem.empty()) throw UsageError(problem);
  if (name == fs::path(scenario_path_).filename().string())
    throw UsageError("'" + name + "' is the scenario the studio opened; choose another name");
  const std::string variant = variant_name_for(programme.label, 0) == "programme_0"
                                  ? std::string("edited")
                                  : variant_name_for(programme.label, 0);
  const std::string text = emit(programme, variant, true);
  const std::string path = (fs::path(folder_) / name).string();
  write_file_safely(path, text, replace, "scenario file");
  return path;
}

std::string Session::save_report(const std::string& name, bool replace,
                                 const std::atomic<bool>* stop) {
  const std::string problem = check_file_name(name, ".html");
  if (!problem.empty()) throw UsageError(problem);
  std::vector<std::shared_ptr<Run>> runs;
  {
    std::lock_guard lock(mutex_);
    runs = finished_;
  }
  if (runs.empty())
    throw UsageError("no programme has finished yet: wait for an estimate to reach all " +
                     std::to_string(replicates_) + " replicates");
  // One results file holds one horizon: the programmes run at the latest one.
  const int horizon = runs.back()->horizon;
  YAML::Node root = YAML::Load(source_text_);
  root.remove("uncertainty");
  root.remove("sweep");
  root["replicates"] = replicates_;
  root["horizon"] = horizon;
  const std::string base_name = fs::path(name).stem().string();  // checked above: a plain name
  std::vector<std::string> names;
  YAML::Node variants(YAML::NodeType::Map);
  {
    // The baseline as the studio's runs had it.
    const YAML::Node first = YAML::Load(runs.back()->yaml)["variants"];
    for (const auto& kv : first) {
      variants[kv.first] = kv.second;
      break;
    }
  }
  // Bounded work, and as many variants as the report tells apart: the baseline and the latest
  // kMaxReportProgrammes programmes.
  std::vector<std::shared_ptr<Run>> chosen;
  for (auto it = runs.rbegin(); it != runs.rend() && chosen.size() < kMaxReportProgrammes; ++it)
    if ((*it)->horizon == horizon) chosen.insert(chosen.begin(), *it);
  for (const auto& run : chosen) {
    std::string vname = run->name;
    for (int k = 2; variants[vname]; ++k) vname = run->name + "_" + std::to_string(k);
    variants[vname] = YAML::Load(run->yaml)["variants"][run->name];
    names.push_back(vname);
  }
  root["variants"] = variants;
  YAML::Emitter emitter;
  emitter << root;
  Scenario scenario = parse_scenario(std::string(emitter.c_str()) + "\n", scenario_path_, folder_);
  Inputs inputs = assemble_inputs(std::move(scenario), inputs_.population);
  RunOptions options;
  options.output = (fs::path(folder_) / (base_name + ".h5")).string();
  options.threads = threads_;
  options.force = replace;
  options.command_line = "klynge studio (save report " + name + ")";
  check_output_target(options.output, replace, "results file");
  const std::string html = (fs::path(folder_) / name).string();
  check_output_target(html, replace, "report");
  std::ostringstream progress;
  const RunSummary summary = run_scenario(inputs, options, progress, stop);
  if (!summary.complete) throw UsageError("interrupted: the report was not written");
  analysis::report::write(options.output, html, {});
  return html;
}

}  // namespace klynge::cli::studio
