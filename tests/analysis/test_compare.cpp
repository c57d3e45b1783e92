// `klynge compare`: the paired statistics against hand-computed values on a small synthetic
// results file, the renderings (table, CSV, JSON), errors, an incomplete file, and the workshop
// scenario.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#include "tests/support/temp_dir.hpp"

#include "analysis/compare.hpp"
#include "sim/cli/cli.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/metrics.hpp"
#include "sim/io/inputs.hpp"
#include "sim/io/results_h5.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/run/runner.hpp"

namespace fs = std::filesystem;
using namespace klynge;
using namespace klynge::analysis;

namespace {

struct TempDir : klynge::testing::TempDir {
  TempDir() : klynge::testing::TempDir("klynge-compare-test") {}
};

// ---------------------------------------------------------------------------------------------
// The synthetic results file: 6 firms, 3 variants x 4 replicates, horizon 2 (rows 0, 1, 2).
//
// firm  employees  revenue_mdkk  participant   size class
//  0        60         10            1          50-99
//  1        80         20            1          50-99
//  2       150         30            1          100-199
//  3       250         40            1          200+
//  4        40         20            0          (non-participant: no "under 50" class)
//  5       120         30            0          (non-participant: not in 100-199)
//
// Variants in file order: programme, baseline, meetings (the baseline is found by name).
// participant_revenue_mdkk: row 0 = 100 everywhere; baseline row 1 = {101, 100, 101, 101},
// row 2 = {102, 101, 103, 102}; the variants add, replicate by replicate,
//   programme: row 1 +{2, 3, 1, 2}, row 2 +{5, 6, 4, 7};  meetings: row 1 +0, row 2 +{1, -1, 2, 0}.
// At the horizon (row 2):
//   participant_employees   baseline 400; programme +4; meetings +0
//   nonparticipant_revenue  baseline 50; programme {49, 49.5, 49, 49.5}; meetings 50
//   ties_partner            baseline 3; programme {5, 6, 5, 6}; meetings {5, 4, 3, 6}
//   clusters                baseline 0; programme 1; meetings 0 (NaN in row 1: no detection)
//   strategic_networks      baseline 0; programme {0, 1, 0, 0}; meetings 0
//   participant_density     baseline 0.05; programme {0.10, 0.12, 0.11, 0.13}; meetings 0.05
//   cost_dkk_cumulative     baseline 0; programme {1.0, 1.2, 0.8, 1.0} M; meetings 0.2 M
//   cash_dkk_cumulative     baseline 0; programme {0.6, 0.7, 0.5, 0.6} M; meetings 0.1 M
// (costs are 0 at row 1); value added = 0.3 x revenue (participants, non-participants).
// final_firms revenue: baseline {11, 21, 31, 41, 20, 30}; programme adds firm 0 +1, firm 1
// +{0, 1, 0, 1}, firm 2 +2, firm 3 +{2, 2, 1, 3}, firms 4 and 5 -{0.5, 0.25, 0.5, 0.25} each
// (consistent with the metrics); meetings adds firm 3 +{1, -1, 2, 0}.
struct Synthetic {
  std::vector<std::string> names = {"programme", "baseline", "meetings"};
  int skip_variant = -1, skip_replicate = -1;  // leave one replicate unwritten
  bool complete = true;
};

constexpr int kFirms = 6, kReplicates = 4, kHorizon = 2;

ResultsHeader synthetic_header(const Synthetic& s) {
  ResultsHeader h;
  h.tool_version = "test";
  h.scenario_name = "synthetic";
  h.scenario_text = "name: synthetic\n";
  h.resolved_configuration = "name: synthetic\n";
  h.seed = 7;
  h.replicates = kReplicates;
  h.horizon = kHorizon;
  h.detail_replicates = 0;
  for (const auto& name : s.names) h.variants.push_back({name, "{}\n", {}, {}, "", {}});
  const double employees[kFirms] = {60, 80, 150, 250, 40, 120};
  const double revenue[kFirms] = {10, 20, 30, 40, 20, 30};
  h.capability_names = {"welding"};
  for (int f = 0; f < kFirms; ++f) {
    h.pseudonyms.push_back("F00" + std::to_string(f + 1));
    h.municipalities.push_back("Viborg");
    h.lat.push_back(56.45);
    h.lon.push_back(9.4);
    h.employees.push_back(employees[f]);
    h.revenue_mdkk.push_back(revenue[f]);
    h.export_share.push_back(0.1);
    h.market_share.push_back({0.5, 0.3, 0.2});
    h.participant.push_back(f < 4 ? 1 : 0);
    h.synthetic.push_back(0);
    h.capabilities.push_back(0.5);
  }
  h.catalogue_weights.push_back({0.25, 0.25, 0.25, 0.25});
  return h;
}

// kind: 0 programme, 1 baseline, 2 meetings (whatever their names and file order).
ReplicateOutput synthetic_output(int variant_index, int kind, int r) {
  ReplicateOutput out;
  out.variant = variant_index;
  out.replicate = r;
  out.steps = kHorizon + 1;
  out.metrics.assign(static_cast<std::size_t>(out.steps) * kMetricCount, 0.0);
  const auto set = [&](int step, Metric m, double value) {
    out.metrics[static_cast<std::size_t>(step) * kMetricCount +
                static_cast<std::size_t>(metric_index(m))] = value;
  };
  const double base1[] = {101, 100, 101, 101}, base2[] = {102, 101, 103, 102};
  const double prog1[] = {2, 3, 1, 2}, prog2[] = {5, 6, 4, 7}, meet2[] = {1, -1, 2, 0};
  const double nonpart[] = {49, 49.5, 49, 49.5};
  const double ties_prog[] = {5, 6, 5, 6}, ties_meet[] = {5, 4, 3, 6};
  const double networks[] = {0, 1, 0, 0}, pdens[] = {0.10, 0.12, 0.11, 0.13};
  const double cost[] = {1.0e6, 1.2e6, 0.8e6, 1.0e6}, cash[] = {0.6e6, 0.7e6, 0.5e6, 0.6e6};
  set(0, Metric::participant_revenue_mdkk, 100);
  set(1, Metric::participant_revenue_mdkk, base1[r] + (kind == 0 ? prog1[r] : 0));
  set(2, Metric::participant_revenue_mdkk,
      base2[r] + (kind == 0   ? prog2[r]
                  : kind == 2 ? meet2[r]
                              : 0));
  for (int step = 0; step <= kHorizon; ++step) {
    set(step, Metric::participant_employees, 400);
    set(step, Metric::nonparticipant_revenue_mdkk, 50);
    set(step, Metric::participant_density, 0.05);
  }
  set(1, Metric::clusters, std::nan(""));
  set(2, Metric::participant_employees, kind == 0 ? 404 : 400);
  set(2, Metric::nonparticipant_revenue_mdkk, kind == 0 ? nonpart[r] : 50);
  set(2, Metric::ties_partner, kind == 0 ? ties_prog[r] : kind == 2 ? ties_meet[r] : 3);
  set(2, Metric::clusters, kind == 0 ? 1 : 0);
  set(2, Metric::strategic_networks, kind == 0 ? networks[r] : 0);
  set(2, Metric::participant_density, kind == 0 ? pdens[r] : 0.05);
  set(2, Metric::cost_dkk_cumulative, kind == 0 ? cost[r] : kind == 2 ? 0.2e6 : 0);
  set(2, Metric::cash_dkk_cumulative, kind == 0 ? cash[r] : kind == 2 ? 0.1e6 : 0);

  // Value added: value_added_share (0.30) of each group's revenue, as the model observes it.
  for (int step = 0; step <= kHorizon; ++step) {
    const auto get = [&](Metric m) {
      return out.metrics[static_cast<std::size_t>(step) * kMetricCount +
                         static_cast<std::size_t>(metric_index(m))];
    };
    set(step, Metric::participant_value_added_mdkk, 0.3 * get(Metric::participant_revenue_mdkk));
    set(step, Metric::nonparticipant_value_added_mdkk,
        0.3 * get(Metric::nonparticipant_revenue_mdkk));
  }

  double revenue[kFirms] = {11, 21, 31, 41, 20, 30};
  if (kind == 0) {
    const double firm1[] = {0, 1, 0, 1}, firm3[] = {2, 2, 1, 3}, others[] = {0.5, 0.25, 0.5, 0.25};
    revenue[0] += 1;
    revenue[1] += firm1[r];
    revenue[2] += 2;
    revenue[3] += firm3[r];
    revenue[4] -= others[r];
    revenue[5] -= others[r];
  } else if (kind == 2) {
    revenue[3] += meet2[r];
  }
  for (int f = 0; f < kFirms; ++f) {
    out.final_firms.push_back(revenue[f]);  // revenue_mdkk
    out.final_firms.push_back(50);          // employees
    out.final_firms.push_back(1);           // degree
    out.final_firms.push_back(-1);          // cluster
  }
  return out;
}

std::string write_synthetic(const TempDir& dir, const Synthetic& s = {},
                            const std::string& name = "synthetic.h5") {
  const std::string path = dir.file(name);
  const ResultsHeader h = synthetic_header(s);
  ResultsWriter writer(path, h, false);
  // The i-th variant gets kind i: programme, baseline, meetings in the default file order.
  for (int v = 0; v < static_cast<int>(s.names.size()); ++v)
    for (int r = 0; r < kReplicates; ++r)
      if (!(v == s.skip_variant && r == s.skip_replicate)) writer.write(synthetic_output(v, v, r));
  writer.finish(s.complete);
  return path;
}

// The effects read at the horizon (month 2), as the hand-computed values below assume.
CompareOptions at_horizon(const std::string& baseline = "", const std::string& metric = "") {
  CompareOptions options;
  options.baseline = baseline;
  options.metric = metric;
  options.at = kHorizon;
  return options;
}

const Outcome& effect(const Comparison& c, const std::string& variant, const std::string& name) {
  const VariantComparison* v = c.find(variant);
  REQUIRE(v != nullptr);
  const Outcome* o = v->effect(name);
  REQUIRE(o != nullptr);
  return *o;
}

void check_estimate(const Estimate& e, double mean, double low, double high, std::size_t n = 4) {
  CHECK(e.n == n);
  CHECK(e.mean == Approx(mean).margin(1e-12));
  CHECK(e.ci_low == Approx(low).margin(1e-9));
  CHECK(e.ci_high == Approx(high).margin(1e-9));
}

// ---------------------------------------------------------------------------------------------
// The command, in-process through the CLI (parsing, exit codes and all).

struct CliResult {
  int code = -1;
  std::string out, err;
};

CliResult run_compare(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"klynge", "compare"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  CliResult result;
  result.code = cli::klynge_main(static_cast<int>(argv.size()), argv.data(), {out, err});
  result.out = out.str();
  result.err = err.str();
  return result;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---------------------------------------------------------------------------------------------
// A minimal JSON reader: enough to check that the output parses and to look values up.

struct Json {
  enum Type { null, boolean, number, string, array, object } type = null;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Json> items;
  // Keys and values side by side: std::pair<std::string, Json> of the incomplete Json is
  // rejected by clang with libstdc++ (a vector of Json itself is allowed).
  std::vector<std::string> keys;
  std::vector<Json> members;

  const Json& operator[](const std::string& key) const {
    for (std::size_t k = 0; k < keys.size(); ++k)
      if (keys[k] == key) return members[k];
    FAIL("JSON key '" << key << "' missing");
    return *this;
  }
  bool has(const std::string& key) const {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  }
};

struct JsonParser {
  const std::string& s;
  std::size_t i = 0;

  void ws() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  void expect(char c) {
    ws();
    if (i >= s.size() || s[i] != c)
      throw std::runtime_error("JSON: expected '" + std::string(1, c) + "' at " +
                               std::to_string(i));
    ++i;
  }
  bool literal(const char* word) {
    const std::string w = word;
    if (s.compare(i, w.size(), w) != 0) return false;
    i += w.size();
    return true;
  }
  std::string parse_string() {
    expect('"');
    std::string out;
    while (i < s.size() && s[i] != '"') {
      const unsigned char c = static_cast<unsigned char>(s[i++]);
      if (c < 0x20) throw std::runtime_error("JSON: raw control character in a string");
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      const char e = s.at(i++);
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u':
          out += static_cast<char>(std::stoi(s.substr(i, 4), nullptr, 16));
          i += 4;
          break;
        default:
          throw std::runtime_error("JSON: bad escape");
      }
    }
    expect('"');
    return out;
  }
  Json value() {
    ws();
    Json j;
    if (i >= s.size()) throw std::runtime_error("JSON: unexpected end");
    const char c = s[i];
    if (c == '{') {
      j.type = Json::object;
      ++i;
      ws();
      if (s.at(i) == '}') {
        ++i;
        return j;
      }
      for (;;) {
        std::string key = parse_string();
        expect(':');
        j.keys.push_back(std::move(key));
        j.members.push_back(value());
        ws();
        if (s.at(i) == ',') {
          ++i;
          continue;
        }
        expect('}');
        return j;
      }
    }
    if (c == '[') {
      j.type = Json::array;
      ++i;
      ws();
      if (s.at(i) == ']') {
        ++i;
        return j;
      }
      for (;;) {
        j.items.push_back(value());
        ws();
        if (s.at(i) == ',') {
          ++i;
          continue;
        }
        expect(']');
        return j;
      }
    }
    if (c == '"') {
      j.type = Json::string;
      j.str = parse_string();
      return j;
    }
    if (literal("null")) return j;
    if (literal("true") || literal("false")) {
      j.type = Json::boolean;
      j.b = s[i - 1] == 'e' && s[i - 2] == 'u';
      return j;
    }
    std::size_t used = 0;
    j.num = std::stod(s.substr(i), &used);  // throws on anything else (NaN, garbage)
    if (s.compare(i, 3, "nan") == 0 || s.compare(i, 3, "inf") == 0 || s.compare(i, 4, "-inf") == 0)
      throw std::runtime_error("JSON: not a JSON number");
    j.type = Json::number;
    i += used;
    return j;
  }
  Json document() {
    Json j = value();
    ws();
    if (i != s.size()) throw std::runtime_error("JSON: trailing text");
    return j;
  }
};

Json parse_json(const std::string& text) {
  JsonParser p{text};
  return p.document();
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (std::size_t k = 0; k < line.size(); ++k) {
      const char c = line[k];
      if (quoted) {
        if (c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
          field += '"';
          ++k;
        } else if (c == '"') {
          quoted = false;
        } else {
          field += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.push_back(field);
        field.clear();
      } else {
        field += c;
      }
    }
    fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

}  // namespace

// =============================================================================================

TEST_CASE("compare: paired effects equal hand-computed values", "[compare]") {
  TempDir dir;
  const ResultsFile file = read_results(write_synthetic(dir));
  const Comparison c = compare(file, at_horizon());
  CHECK(c.baseline == "baseline");  // by name, though it is the second variant
  CHECK(c.month == 2);
  CHECK_FALSE(c.cumulative);
  CHECK(c.metric == "participant_revenue_growth");
  CHECK(c.horizon == 2);
  CHECK(c.ranking_replicates == 4);
  CHECK(c.warnings.empty());
  REQUIRE(c.variants.size() == 3);
  CHECK(c.find("programme")->pairs == 4);
  CHECK(c.find("baseline")->is_baseline);
  CHECK(c.find("baseline")->effects.empty());

  // Revenue growth: baseline 100 -> {102, 101, 103, 102}, programme 100 -> +{5, 6, 4, 7}, so the
  // paired differences are {5, 6, 4, 7} pp: mean 5.5, sd sqrt(5/3) = 1.2909944, t(0.975, 3) =
  // 3.1824463, half-width 2.0542603, CI [3.4457397, 7.5542603].
  const Outcome& growth = effect(c, "programme", "participant_revenue_growth");
  CHECK(growth.unit == "pp");
  check_estimate(growth.estimate, 5.5, 3.445739743239121, 7.554260256760879);
  CHECK(growth.estimate.distinguishable());
  CHECK_FALSE(growth.replicates_needed.has_value());
  // The revenue level difference is the same numbers in mDKK/year.
  check_estimate(effect(c, "programme", "participant_revenue_mdkk").estimate, 5.5,
                 3.445739743239121, 7.554260256760879);
  // Employees: +4 in every replicate: sd 0, CI [4, 4].
  check_estimate(effect(c, "programme", "participant_employees").estimate, 4, 4, 4);
  // Partner ties {2, 3, 2, 3}: mean 2.5, sd sqrt(1/3) = 0.5773503, half 0.9186931.
  check_estimate(effect(c, "programme", "ties_partner").estimate, 2.5, 1.5813068844813005,
                 3.4186931155186997);
  check_estimate(effect(c, "programme", "clusters").estimate, 1, 1, 1);
  // Strategic networks {0, 1, 0, 0}: mean 0.25, sd 0.5, half 0.7956116: CI [-0.5456, 1.0456]
  // contains 0; ceil((1.96 * 2)^2) = 16 is raised to 18 by t(0.975, 17) (statistics tests).
  const Outcome& networks = effect(c, "programme", "strategic_networks");
  check_estimate(networks.estimate, 0.25, -0.5456115763210657, 1.0456115763210656);
  CHECK_FALSE(networks.estimate.distinguishable());
  CHECK(networks.replicates_needed == std::optional<std::uint64_t>(18));
  // Density unchanged (0 everywhere): zero in every replicate.
  CHECK(effect(c, "programme", "density").estimate.zero_everywhere());
  CHECK_FALSE(effect(c, "programme", "density").replicates_needed.has_value());
  // Participant density {0.05, 0.07, 0.06, 0.08}: mean 0.065, sd 0.0129099, half 0.0205426.
  check_estimate(effect(c, "programme", "participant_density").estimate, 0.065, 0.04445739743239478,
                 0.08554260256760522);
  // Non-participants {-1, -0.5, -1, -0.5}: mean -0.75, sd 0.2886751, half 0.4593466:
  // displacement, CI [-1.2093466, -0.2906534].
  check_estimate(effect(c, "programme", "nonparticipant_revenue_mdkk").estimate, -0.75,
                 -1.2093465577593498, -0.29065344224065026);

  // Added revenue: per replicate (rows 1 and 2) {2+5, 3+6, 1+4, 2+7} = {7, 9, 5, 9} mDKK/year
  // over one month each: x 1e6/12 DKK = {583333.3, 750000, 416666.7, 750000}; mean 625000,
  // sd 159571.18, half 253913.36.
  check_estimate(effect(c, "programme", "added_revenue_dkk").estimate, 625000, 371086.63652853115,
                 878913.3634714689);
  // Levels: the programme's cost {1.0, 1.2, 0.8, 1.0} M: mean 1e6, half 259845.65; cash
  // {0.6, 0.7, 0.5, 0.6} M: mean 0.6e6, half 129922.83; its revenue growth {7, 7, 7, 9} %.
  const VariantComparison& programme = *c.find("programme");
  check_estimate(programme.level("cost_dkk")->estimate, 1e6, 740154.3472749777, 1259845.6527250223);
  check_estimate(programme.level("cash_dkk")->estimate, 0.6e6, 470077.17363748886,
                 729922.8263625111);
  check_estimate(programme.level("participant_revenue_growth_level")->estimate, 7.5,
                 5.908776847358145, 9.091223152641854);
  // The baseline's own growth {2, 1, 3, 2} %: mean 2, half 1.2992283.
  check_estimate(c.find("baseline")->level("participant_revenue_growth_level")->estimate, 2,
                 0.7007717363748884, 3.2992282636251113);

  // Meetings: growth {1, -1, 2, 0}: mean 0.5, CI [-1.5542603, 2.5542603] contains 0; about 29
  // replicates would be needed (statistics tests). Clusters: zero in every replicate.
  const Outcome& meet = effect(c, "meetings", "participant_revenue_growth");
  check_estimate(meet.estimate, 0.5, -1.554260256760879, 2.554260256760879);
  CHECK(meet.replicates_needed == std::optional<std::uint64_t>(29));
  CHECK(effect(c, "meetings", "clusters").estimate.zero_everywhere());
  CHECK(effect(c, "meetings", "added_revenue_dkk").estimate.mean == Approx(0.5e6 / 12));
}

TEST_CASE("compare: value added per DKK and cost per job equal hand-computed values", "[compare]") {
  TempDir dir;
  const ResultsFile file = read_results(write_synthetic(dir));
  const Comparison c = compare(file, at_horizon());
  CHECK(c.value_added_share == Approx(0.30));
  // Regional value added (participants + non-participants), 0.3 x the revenue difference:
  // programme row 1 {2, 3, 1, 2}, row 2 {5, 6, 4, 7} + non-participants {-1, -0.5, -1, -0.5}
  // = {4, 5.5, 3, 6.5}; summed {6, 8.5, 4, 8.5} mDKK/year-months x 0.3 x 1e6/12 DKK
  // = {150000, 212500, 100000, 212500}: mean 168750, half 86699.76 (displacement netted out:
  // participants alone would give 0.3 x 625000 = 187500).
  const Outcome& va = effect(c, "programme", "value_added_dkk");
  check_estimate(va.estimate, 168750, 82050.23851263442, 255449.76148736558);
  // Incremental cost: {1.0, 1.2, 0.8, 1.0} M - 0; jobs: +4 participants, 0 others.
  check_estimate(effect(c, "programme", "incremental_cost_dkk").estimate, 1e6, 740154.3472749777,
                 1259845.6527250223);
  check_estimate(effect(c, "programme", "jobs").estimate, 4, 4, 4);
  // Value added per DKK: 675000 / 4e6 = 0.16875; delta method z = {-0.01875, 0.01, -0.035,
  // 0.04375}, sd 0.0345958, half 0.0550498.
  const Outcome& per_dkk = effect(c, "programme", "value_added_per_dkk");
  CHECK(per_dkk.kind == OutcomeKind::ratio);
  CHECK(per_dkk.note.empty());
  check_estimate(per_dkk.estimate, 0.16875, 0.113700232756618, 0.22379976724338202);
  // Cost per job: 1e6 / 4 = 250000 DKK; z = {0, 50000, -50000, 0}, sd 40824.83, half 64961.41.
  const Outcome& per_job = effect(c, "programme", "cost_per_job");
  check_estimate(per_job.estimate, 250000, 185038.58681873314, 314961.41318126686);
  // Meetings: value added {25000, -25000, 50000, 0} / 0.2e6 = 0.0625, CI [-0.194, 0.319];
  // no additional jobs: no cost per job, and a note saying why.
  check_estimate(effect(c, "meetings", "value_added_per_dkk").estimate, 0.0625,
                 -0.19428253209510987, 0.31928253209510987);
  const Outcome& meet_job = effect(c, "meetings", "cost_per_job");
  CHECK(std::isnan(meet_job.estimate.mean));
  CHECK(meet_job.note == "n/a: no additional jobs");
  const std::string table = format_table(c);
  CHECK(contains(table, "value added per DKK"));
  CHECK(contains(table, "0.169 DKK per DKK [0.114, 0.224]"));
  CHECK(contains(table, "250 thousand DKK per job [185, 315]"));
  CHECK(contains(table, "n/a: no additional jobs"));
  CHECK_FALSE(contains(table, "added revenue per DKK"));
}

TEST_CASE("compare: incremental figures against a costly baseline are differences", "[compare]") {
  TempDir dir;
  const ResultsFile file = read_results(write_synthetic(dir));
  SECTION("against meetings (0.2 M DKK)") {
    const Comparison c = compare(file, at_horizon("meetings"));
    // programme - meetings value added: {150000 - 25000, 212500 + 25000, 100000 - 50000,
    // 212500} = {125000, 237500, 50000, 212500}; incremental cost {0.8, 1.0, 0.6, 0.8} M.
    check_estimate(effect(c, "programme", "value_added_dkk").estimate, 156250, 19889.045916553965,
                   292610.95408344606);
    CHECK(effect(c, "programme", "incremental_cost_dkk").estimate.mean == Approx(0.8e6));
    // 625000 / 3.2e6, not 625000 / the programme's whole 4e6.
    check_estimate(effect(c, "programme", "value_added_per_dkk").estimate, 0.1953125,
                   0.07800716615751266, 0.3126178338424873);
    // The programme's own cost is still its level.
    CHECK(c.find("programme")->level("cost_dkk")->estimate.mean == Approx(1e6));
  }
  SECTION("against the programme: cheaper variants get no ratio, with the reason") {
    const Comparison c = compare(file, at_horizon("programme"));
    const Outcome& meet = effect(c, "meetings", "value_added_per_dkk");
    CHECK(effect(c, "meetings", "incremental_cost_dkk").estimate.mean == Approx(-0.8e6));
    CHECK(std::isnan(meet.estimate.mean));
    CHECK(contains(meet.note, "costs less than the baseline"));
    CHECK(contains(effect(c, "baseline", "cost_per_job").note, "costs no more"));
    const Json doc = parse_json(format_json(c));
    CHECK(doc["variants"].items[2]["value_added_per_dkk"]["mean"].type == Json::null);
    CHECK(doc["variants"].items[2]["incremental_cost_dkk"].num == Approx(-0.8e6));
  }
}

TEST_CASE("compare: the efficiency frontier does not depend on the baseline", "[compare]") {
  TempDir dir;
  const ResultsFile file = read_results(write_synthetic(dir));
  // Costs 0 (baseline), 0.2 M (meetings), 1.0 M (programme); value added 0, 12500, 168750.
  // ICER meetings vs baseline 0.2e6 / 12500 = 16 > programme vs meetings 0.8e6 / 156250 = 5.12:
  // meetings is extendedly dominated; the frontier is baseline -> programme at 1e6 / 168750.
  for (const char* baseline : {"baseline", "meetings", "programme"}) {
    INFO(baseline);
    const Comparison c = compare(file, at_horizon(baseline));
    REQUIRE(c.cost_effect.size() == 3);
    CHECK(c.cost_effect[0].variant == "baseline");
    CHECK(c.cost_effect[0].status == "frontier");
    CHECK(c.cost_effect[1].variant == "meetings");
    CHECK(c.cost_effect[1].status == "extendedly_dominated");
    CHECK(c.cost_effect[1].dominated_by == "baseline and programme");
    CHECK(c.cost_effect[2].variant == "programme");
    CHECK(c.cost_effect[2].status == "frontier");
    CHECK(c.cost_effect[2].previous == "baseline");
    CHECK(c.cost_effect[2].icer == Approx(1e6 / 168750));
    CHECK(c.cost_effect[2].value_added_per_dkk == Approx(0.16875));
    CHECK(c.cost_effect[2].step_effect.mean == Approx(168750));
    CHECK(c.cost_effect[2].cost_dkk == Approx(1e6));
  }
  const Comparison costly = compare(file, at_horizon("programme"));
  CHECK(costly.cost_effect[0].incremental_cost_dkk == Approx(-1e6));
  CHECK(costly.cost_effect[0].effect_dkk == Approx(-168750));
  CHECK(costly.cost_effect[2].incremental_cost_dkk == 0);
}

TEST_CASE("compare: --at and --cumulative choose the reading", "[compare]") {
  TempDir dir;
  const std::string path = write_synthetic(dir);
  const ResultsFile file = read_results(path);
  SECTION("the default averages months 1..horizon") {
    const Comparison c = compare(file);
    CHECK(c.cumulative);
    CHECK(c.month == 2);
    // Growth differences row 1 {2, 3, 1, 2}, row 2 {5, 6, 4, 7}: averages {3.5, 4.5, 2.5, 4.5}.
    CHECK(effect(c, "programme", "participant_revenue_growth").estimate.mean == Approx(3.75));
    // Meetings only acts in month 2: half its month-2 effect.
    CHECK(effect(c, "meetings", "participant_revenue_growth").estimate.mean == Approx(0.25));
    CHECK(c.find("programme")->rank_effect.mean == Approx(3.75));
    CHECK(
        contains(format_table(c),
                 "Ranking by participant revenue growth averaged over months 1-2, highest first"));
    CHECK(contains(format_table(c), "Averaged over the months by default"));
    // The economics are cumulative by definition: the same as at the horizon.
    CHECK(effect(c, "programme", "value_added_per_dkk").estimate.mean == Approx(0.16875));
  }
  SECTION("--at 1 reads month 1, with value added over month 1 and the cost at month 1") {
    CompareOptions options;
    options.at = 1;
    const Comparison c = compare(file, options);
    CHECK_FALSE(c.cumulative);
    CHECK(effect(c, "programme", "participant_revenue_growth").estimate.mean == Approx(2));
    // 0.3 x {2, 3, 1, 2} x 1e6/12 = {50000, 75000, 25000, 50000}.
    CHECK(effect(c, "programme", "value_added_dkk").estimate.mean == Approx(50000));
    // Nothing is spent by month 1: no incremental cost, no ratio.
    const Outcome& per_dkk = effect(c, "programme", "value_added_per_dkk");
    CHECK(std::isnan(per_dkk.estimate.mean));
    CHECK(per_dkk.note == "n/a: the variant costs the same as the baseline");
    options.cumulative = true;  // months 1..1: the same numbers
    CHECK(effect(compare(file, options), "programme", "participant_revenue_growth").estimate.mean ==
          Approx(2));
  }
  SECTION("the JSON has the effect trajectory per variant") {
    const Json doc = parse_json(run_compare({path, "--format", "json"}).out);
    CHECK(doc["reading"].str == "cumulative");
    CHECK(doc["month"].num == 2);
    const Json& t = doc["variants"].items[0]["trajectories"]["participant_revenue_growth"];
    REQUIRE(t["mean"].items.size() == 3);
    CHECK(t["mean"].items[0].num == 0);
    CHECK(t["mean"].items[1].num == Approx(2));
    CHECK(t["mean"].items[2].num == Approx(5.5));
    const Json& va = doc["variants"].items[0]["trajectories"]["regional_value_added_mdkk"];
    CHECK(va["mean"].items[2].num == Approx(0.3 * 4.75));
    CHECK(doc["variants"].items[1]["trajectories"].members.empty());  // the baseline
  }
  SECTION("a month outside the results is a usage error") {
    const CliResult r = run_compare({path, "--at", "3"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "choose a month from 1 to 2"));
    CHECK(run_compare({path, "--at", "0"}).code == 2);
  }
}

namespace {

// A results file in memory, horizon 1: variant v has, in replicate r, cost costs[v] (DKK at
// month 1) and regional value added whose paired difference from variant 0 summed over month 1
// is effects[v] + noise[r] DKK (participant_value_added_mdkk = 100 + that x 12 / 1e6).
ResultsFile cost_effect_file(const std::vector<std::string>& names,
                             const std::vector<double>& costs, const std::vector<double>& effects,
                             const std::vector<double>& noise = {-1000, 0, 1000}) {
  ResultsFile r;
  r.path = "cost-effect.h5";
  r.schema_version = 1;
  r.status = "complete";
  r.header.horizon = 1;
  r.header.replicates = static_cast<int>(noise.size());
  for (const auto& info : kMetricInfo) {
    r.metric_names.push_back(info.name);
    r.metric_units.push_back(info.unit);
  }
  for (std::size_t v = 0; v < names.size(); ++v) {
    VariantResults vr;
    vr.name = names[v];
    vr.replicates = noise.size();
    vr.steps = 2;
    vr.metric_count = kMetricCount;
    vr.metrics.assign(vr.replicates * vr.steps * vr.metric_count, 0.0);
    vr.completed.assign(vr.replicates, 1);
    const auto at = [&](std::size_t rep, std::size_t step, Metric m) -> double& {
      return vr.metrics[(rep * vr.steps + step) * vr.metric_count +
                        static_cast<std::size_t>(metric_index(m))];
    };
    for (std::size_t rep = 0; rep < vr.replicates; ++rep) {
      at(rep, 0, Metric::participant_revenue_mdkk) = 100;
      at(rep, 1, Metric::participant_revenue_mdkk) = 100;
      at(rep, 0, Metric::participant_value_added_mdkk) = 30;
      const double added = v == 0 ? 0 : effects[v] + noise[rep];
      at(rep, 1, Metric::participant_value_added_mdkk) = 30 + added * 12 / 1e6;
      at(rep, 1, Metric::cost_dkk_cumulative) = costs[v];
    }
    r.header.variants.push_back({names[v], "", {}, {}, "", {}});
    r.variants.push_back(std::move(vr));
  }
  return r;
}

}  // namespace

TEST_CASE("compare: dominance, extended dominance and the best variant within a budget",
          "[compare]") {
  // Costs (M DKK) and value added (M DKK) vs a: a 0/0, b 1/10, c 2/5, d 3/12, e 4/30.
  // c: b costs less and adds more (dominated). ICERs b vs a 0.1, d vs b 0.5, e vs d 1/18:
  // d is extendedly dominated by b and e; then e vs b 3/20 = 0.15 > 0.1: the frontier is a, b, e.
  const ResultsFile file = cost_effect_file({"a", "b", "c", "d", "e"}, {0, 1e6, 2e6, 3e6, 4e6},
                                            {0, 10e6, 5e6, 12e6, 30e6});
  const auto status = [](const Comparison& c, const std::string& name) {
    for (const auto& p : c.cost_effect)
      if (p.variant == name) return p;
    FAIL("no point " << name);
    return CostEffectPoint{};
  };
  for (const char* baseline : {"a", "c", "e"}) {
    INFO(baseline);
    CompareOptions options;
    options.baseline = baseline;
    const Comparison c = compare(file, options);
    REQUIRE(c.cost_effect.size() == 5);
    CHECK(c.cost_effect[0].variant == "a");  // sorted by cost
    CHECK(c.cost_effect[4].variant == "e");
    CHECK(status(c, "a").status == "frontier");
    CHECK(status(c, "b").status == "frontier");
    CHECK(status(c, "b").previous == "a");
    CHECK(status(c, "b").icer == Approx(0.1));
    CHECK(status(c, "b").value_added_per_dkk == Approx(10));
    CHECK(status(c, "c").status == "dominated");
    CHECK(status(c, "c").dominated_by == "b");
    CHECK(status(c, "d").status == "extendedly_dominated");
    CHECK(status(c, "d").dominated_by == "b and e");
    CHECK(status(c, "e").status == "frontier");
    CHECK(status(c, "e").previous == "b");
    CHECK(status(c, "e").icer == Approx(3.0 / 20));
    CHECK(status(c, "e").step_cost_dkk == Approx(3e6));
    CHECK(status(c, "e").step_effect.mean == Approx(20e6));
    CHECK(status(c, "e").step_effect.distinguishable());
  }
  CompareOptions options;
  options.baseline = "c";
  const Comparison against_c = compare(file, options);
  // Differences against the costly c: e costs 2 M more and adds 25 M more.
  CHECK(status(against_c, "e").incremental_cost_dkk == Approx(2e6));
  CHECK(status(against_c, "e").effect_dkk == Approx(25e6));
  CHECK(effect(against_c, "e", "value_added_per_dkk").estimate.mean == Approx(12.5));
  CHECK(std::isnan(effect(against_c, "a", "value_added_per_dkk").estimate.mean));

  const auto best = [&](double budget) {
    CompareOptions o;
    o.budget_dkk = budget;
    const Comparison c = compare(file, o);
    REQUIRE(c.budget.has_value());
    return *c.budget;
  };
  CHECK(best(2.5e6).variant == "b");  // c fits but is dominated; d does not fit
  CHECK(best(2.5e6).cheaper == "a");
  CHECK(best(4e6).variant == "e");
  // A programme is chosen whole: d is extendedly dominated (a mix of b and e would do better)
  // but, with 3.5 M DKK, d's 12 M beat b's 10 M.
  CHECK(best(3.5e6).variant == "d");
  CHECK(best(3.5e6).cheaper == "b");
  CHECK(best(3.5e6).distinguishable_from_cheaper);
  CHECK(best(0).variant == "a");
  CHECK(best(1e9).effect_dkk == Approx(30e6));
  CompareOptions o;
  o.budget_dkk = 2.5e6;
  const std::string table = format_table(compare(file, o));
  CHECK(contains(table, "Best variant within a budget of 2.50 mDKK"));
  CHECK(contains(table, ": b (cost 1.00 mDKK"));
  CHECK(contains(table, "dominated by b"));
  CHECK(contains(table, "ext. dominated (b and e)"));
}

TEST_CASE("compare: a best variant whose extra value added is noise says so", "[compare]") {
  // b adds 1 M +- 5 M over a for 1 M DKK: on the frontier, but not told apart from a.
  const ResultsFile file = cost_effect_file({"a", "b"}, {0, 1e6}, {0, 1e6}, {-5e6, 0, 5e6});
  CompareOptions o;
  o.budget_dkk = 2e6;
  const Comparison c = compare(file, o);
  REQUIRE(c.budget.has_value());
  CHECK(c.budget->variant == "b");
  CHECK_FALSE(c.budget->distinguishable_from_cheaper);
  CHECK(contains(format_table(c), "is not distinguishable from zero"));
  CHECK(contains(format_table(c), "(extra value added n.d.)"));
}

TEST_CASE("compare: a late programme cannot win by timing alone", "[compare]") {
  // Participant revenue (100 at month 0) over months 1, 2, 3 in three replicates: early adds
  // {3, 5, 5}, late {0, 0, 6} (+-0.5 noise per replicate). At month 3 late is ahead (6 vs 5);
  // averaged over months 1-3 early is (3 + 5 + 5) / 3 = 4.33 against 2.
  ResultsFile r;
  r.path = "late.h5";
  r.schema_version = 1;
  r.status = "complete";
  r.header.horizon = 3;
  r.header.replicates = 3;
  for (const auto& info : kMetricInfo) {
    r.metric_names.push_back(info.name);
    r.metric_units.push_back(info.unit);
  }
  const std::vector<std::vector<double>> added = {{0, 0, 0}, {3, 5, 5}, {0, 0, 6}};
  const std::vector<double> noise = {-0.5, 0, 0.5};
  const char* names[] = {"baseline", "early", "late"};
  for (std::size_t v = 0; v < 3; ++v) {
    VariantResults vr;
    vr.name = names[v];
    vr.replicates = 3;
    vr.steps = 4;
    vr.metric_count = kMetricCount;
    vr.metrics.assign(vr.replicates * vr.steps * vr.metric_count, 0.0);
    vr.completed.assign(vr.replicates, 1);
    for (std::size_t rep = 0; rep < 3; ++rep)
      for (std::size_t t = 0; t < 4; ++t) {
        const double revenue = 100 + (t ? added[v][t - 1] + (v ? noise[rep] : 0) : 0);
        vr.metrics[(rep * vr.steps + t) * vr.metric_count +
                   static_cast<std::size_t>(metric_index(Metric::participant_revenue_mdkk))] =
            revenue;
      }
    r.header.variants.push_back({names[v], "", {}, {}, "", {}});
    r.variants.push_back(std::move(vr));
  }
  CompareOptions at_end;
  at_end.at = 3;
  const Comparison last = compare(r, at_end);
  CHECK(last.find("late")->rank == 1);
  CHECK(last.find("early")->rank == 2);
  const Comparison cumulative = compare(r);
  CHECK(cumulative.find("early")->rank == 1);
  CHECK(cumulative.find("late")->rank == 2);
  CHECK(cumulative.find("early")->rank_effect.mean == Approx(13.0 / 3));
  CHECK(cumulative.find("late")->rank_effect.mean == Approx(2.0));
}

TEST_CASE("compare: replicates needed is capped for effects of no practical size", "[compare]") {
  // Value added differences {-5 M, +5 M + 1 DKK, ...}: a mean of a fraction of a DKK against
  // a spread of millions: tens of trillions of replicates would be needed.
  const ResultsFile file = cost_effect_file({"a", "b"}, {0, 1e6}, {0, 0.5}, {-5e6, 5e6, 0});
  const Comparison c = compare(file);
  const Outcome& va = effect(c, "b", "value_added_dkk");
  CHECK_FALSE(va.estimate.distinguishable());
  CHECK_FALSE(va.replicates_needed.has_value());
  CHECK(va.beyond_practical);
  const std::string table = format_table(c);
  CHECK(contains(table, "no effect of practical size; over 10000 replicates would be needed"));
  CHECK_FALSE(contains(table, "10^12"));
  const Json doc = parse_json(format_json(c));
  const Json& o = doc["variants"].items[1]["outcomes"]["value_added_dkk"];
  CHECK(o["replicates_needed"].type == Json::null);
  CHECK(o["no_practical_effect"].b);
}

TEST_CASE("compare: effects by firm size class", "[compare]") {
  TempDir dir;
  const Comparison c = compare(read_results(write_synthetic(dir)));
  const VariantComparison& programme = *c.find("programme");
  // No participant under 50 employees (firm 4 is a non-participant): three classes.
  REQUIRE(programme.size_classes.size() == 3);
  const SizeClassEffect& small = programme.size_classes[0];
  const SizeClassEffect& medium = programme.size_classes[1];
  const SizeClassEffect& large = programme.size_classes[2];
  CHECK(small.name == "50_99");
  CHECK(small.firms == 2);
  CHECK(small.initial_revenue_mdkk == 30);
  // Firms 0 and 1: +1 and +{0, 1, 0, 1} = {1, 2, 1, 2}: mean 1.5, half 0.9186931; in pp of
  // the class's initial 30 mDKK: mean 5, half 3.0623104.
  check_estimate(small.revenue_mdkk, 1.5, 0.5813068844813005, 2.4186931155186997);
  check_estimate(small.revenue_growth_pp, 5, 1.9376896149382006, 8.0623103850618);
  // Firm 2 only (firm 5 is a non-participant): +2 always.
  CHECK(medium.name == "100_199");
  CHECK(medium.firms == 1);
  check_estimate(medium.revenue_mdkk, 2, 2, 2);
  CHECK(medium.revenue_growth_pp.mean == Approx(100.0 * 2 / 30));
  // Firm 3: {2, 2, 1, 3}: mean 2, half 1.2992283; pp of 40: mean 5, half 3.2480707.
  CHECK(large.name == "200_plus");
  CHECK(large.label == "200+");
  check_estimate(large.revenue_mdkk, 2, 0.7007717363748884, 3.2992282636251113);
  check_estimate(large.revenue_growth_pp, 5, 1.7519293409372212, 8.24807065906278);
  CHECK(c.find("baseline")->size_classes.empty());
}

TEST_CASE("compare: ranking and the share of replicates in which each variant is best",
          "[compare]") {
  TempDir dir;
  const ResultsFile file = read_results(write_synthetic(dir));
  SECTION("by revenue growth (default): the programme is best in every replicate") {
    const Comparison c = compare(file, at_horizon());
    // Growth levels: programme {7, 7, 7, 9}, meetings {3, 0, 5, 2}, baseline {2, 1, 3, 2}.
    CHECK(c.find("programme")->rank == 1);
    CHECK(c.find("meetings")->rank == 2);
    CHECK(c.find("baseline")->rank == 3);
    CHECK(c.find("programme")->best_share == 1.0);
    CHECK(c.find("meetings")->best_share == 0.0);
    CHECK(c.find("baseline")->best_share == 0.0);
    CHECK(c.find("programme")->rank_level.mean == Approx(7.5));
    CHECK(c.find("programme")->rank_effect.mean == Approx(5.5));
    CHECK(c.find("meetings")->rank_level.mean == Approx(2.5));
  }
  SECTION("by partner ties: ties split the win") {
    // programme {5, 6, 5, 6}, meetings {5, 4, 3, 6}, baseline 3: replicates 0 and 3 are ties
    // between programme and meetings (half each): programme 0.5 + 1 + 1 + 0.5 = 3 of 4.
    const Comparison c = compare(file, at_horizon("", "ties_partner"));
    CHECK(c.metric == "ties_partner");
    CHECK(c.find("programme")->best_share == Approx(0.75));
    CHECK(c.find("meetings")->best_share == Approx(0.25));
    CHECK(c.find("baseline")->best_share == 0.0);
    CHECK(c.find("programme")->rank == 1);
    CHECK(c.find("meetings")->rank == 2);
    // meetings - baseline: {2, 1, 0, 3}: mean 1.5, CI [-0.5542603, 3.5542603].
    check_estimate(c.find("meetings")->rank_effect, 1.5, -0.554260256760522, 3.554260256760522);
  }
  SECTION("by value added (a paired difference: the baseline's level is 0)") {
    const Comparison c = compare(file, at_horizon("", "value_added_dkk"));
    CHECK(c.find("programme")->rank_level.mean == Approx(168750));
    CHECK(c.find("meetings")->rank_level.mean == Approx(12500));
    CHECK(c.find("baseline")->rank_level.mean == 0);
    // Per replicate: meetings {25000, -25000, 50000, 0} beats nothing; the programme wins all.
    CHECK(c.find("programme")->best_share == 1.0);
    CHECK(c.find("meetings")->rank == 2);
    CHECK_THROWS_AS(compare(file, at_horizon("", "value_added_per_dkk")), UsageError);
  }
  SECTION("by a plain metric at the horizon, against another baseline") {
    const Comparison c = compare(file, at_horizon("meetings", "cost_dkk_cumulative"));
    CHECK(c.baseline == "meetings");
    CHECK(c.find("programme")->rank == 1);
    CHECK(c.find("meetings")->rank == 2);
    CHECK(c.find("programme")->best_share == 1.0);
    // programme - meetings revenue growth: {5, 6, 4, 7} - {1, -1, 2, 0} = {4, 7, 2, 7}.
    CHECK(effect(c, "programme", "participant_revenue_growth").estimate.mean == Approx(5));
    CHECK(c.find("meetings")->effects.empty());
    CHECK(c.find("baseline")->effect("participant_revenue_growth")->estimate.mean == Approx(-0.5));
  }
}

TEST_CASE("compare: the default baseline is the first variant when none is named baseline",
          "[compare]") {
  TempDir dir;
  Synthetic s;
  s.names = {"programme", "status_quo", "meetings"};
  const Comparison c = compare(read_results(write_synthetic(dir, s)), at_horizon());
  CHECK(c.baseline == "programme");
  // status_quo - programme growth: -{5, 6, 4, 7}.
  CHECK(effect(c, "status_quo", "participant_revenue_growth").estimate.mean == Approx(-5.5));
}

TEST_CASE("compare: a file with one variant has nothing to compare, which is no error",
          "[compare]") {
  TempDir dir;
  Synthetic s;
  s.names = {"programme"};
  const std::string path = write_synthetic(dir, s);
  const Comparison c = compare(read_results(path));
  CHECK(c.baseline == "programme");
  REQUIRE(c.warnings.size() == 1);
  CHECK(contains(c.warnings[0], "nothing to compare"));
  CHECK(c.find("programme")->rank == 1);
  CHECK(c.find("programme")->best_share == 1.0);
  const CliResult r = run_compare({path});
  CHECK(r.code == 0);
  CHECK(contains(r.out, "warning: the file holds one variant"));
  CHECK(parse_json(run_compare({path, "--format", "json"}).out)["variants"].items.size() == 1);
}

TEST_CASE("compare: an incomplete file pairs the replicates completed in both", "[compare]") {
  TempDir dir;
  Synthetic s;
  s.skip_variant = 2;  // meetings, replicate 1 unwritten (an interrupted run)
  s.skip_replicate = 1;
  s.complete = false;
  const std::string path = write_synthetic(dir, s);
  const Comparison c = compare(read_results(path), at_horizon());
  CHECK(c.status == "incomplete");
  CHECK(c.find("meetings")->pairs == 3);
  CHECK(c.find("programme")->pairs == 4);
  CHECK(c.ranking_replicates == 3);
  // meetings - baseline growth over replicates 0, 2, 3: {1, 2, 0}: mean 1, sd 1,
  // t(0.975, 2) = 4.3026527, half 2.4841377.
  check_estimate(effect(c, "meetings", "participant_revenue_growth").estimate, 1,
                 1 - 4.302652729749464 / std::sqrt(3.0), 1 + 4.302652729749464 / std::sqrt(3.0), 3);
  REQUIRE(c.warnings.size() == 3);
  CHECK(contains(c.warnings[0], "incomplete"));
  CHECK(contains(c.warnings[1], "'meetings': 3 of 4 replicates completed in both"));
  CHECK(contains(c.warnings[2],
                 "ranking and the incremental analysis use the 3 replicates "
                 "completed in every variant"));

  // A warning line, not an error: in the table for people, on stderr for programs.
  const CliResult table = run_compare({path});
  CHECK(table.code == 0);
  CHECK(contains(table.out, "warning: the results file is incomplete"));
  CHECK(contains(table.out, "meetings vs baseline (3 paired replicates of 4)"));
  const CliResult csv = run_compare({path, "--format", "csv"});
  CHECK(csv.code == 0);
  CHECK(contains(csv.err, "warning: the results file is incomplete"));
  CHECK_FALSE(contains(csv.out, "warning"));
}

TEST_CASE("compare: the table says plainly what is and is not distinguishable", "[compare]") {
  TempDir dir;
  const std::string path = write_synthetic(dir);
  const CliResult r = run_compare({path, "--at", "2"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  const std::string& t = r.out;
  CHECK(contains(t,
                 "Baseline 'baseline' (4 replicates): participant revenue growth +2.0% [0.7, "
                 "3.3] at month 2, cost 0 mDKK at month 2."));
  CHECK(contains(t, "programme vs baseline (4 paired replicates)"));
  // Rounded to the half-width's second significant digit (2.05 -> one decimal).
  CHECK(contains(t, "participant revenue growth"));
  CHECK(contains(t, "+5.5 pp [3.4, 7.6]"));
  CHECK(contains(t, "+2.50 ties [1.58, 3.42]"));
  CHECK(contains(t, "+4 persons"));
  CHECK(contains(t, "the same in every replicate (n=4)"));
  CHECK(contains(t, "+0.25 networks [-0.55, 1.05]"));
  CHECK(contains(t, "not distinguishable from zero (n=4; about 18 replicates would tell it)"));
  CHECK(contains(t, "-0.75 mDKK/year [-1.21, -0.29]"));
  CHECK(contains(t, "displacement"));
  CHECK(contains(t, "1.00 mDKK [0.74, 1.26]"));
  CHECK(contains(t, "own cost 1.00 mDKK [0.74, 1.26], of which cash 0.60 mDKK [0.47, 0.73]"));
  CHECK(contains(t, "0.169 DKK per DKK [0.114, 0.224]"));
  CHECK(contains(t, "ext. dominated (baseline and programme)"));
  CHECK(contains(t, "by firm size (initial employees)"));
  CHECK(contains(t, "50-99 (2 firms)"));
  CHECK(contains(t, "+1.50 mDKK/year [0.58, 2.42], +5.0 pp [1.9, 8.1]"));
  CHECK(contains(t, "100-199 (1 firm)"));
  CHECK_FALSE(contains(t, "under 50"));
  // Meetings: growth not distinguishable, 29 replicates needed; clusters zero everywhere.
  CHECK(contains(t, "meetings vs baseline (4 paired replicates)"));
  CHECK(contains(t, "+0.5 pp [-1.6, 2.6]"));
  CHECK(contains(t, "not distinguishable from zero (n=4; about 29 replicates would tell it)"));
  CHECK(contains(t, "no difference: zero in every replicate (n=4)"));
  // The ranking, with best shares.
  CHECK(contains(t, "Ranking by participant revenue growth at month 2, highest first (4 "));
  CHECK_FALSE(contains(t, "Averaged over the months by default"));
  const std::size_t ranking = t.find("Ranking by");
  const std::size_t first = t.find("programme", ranking);
  const std::size_t second = t.find("meetings", ranking);
  const std::size_t third = t.find("  baseline", ranking);
  CHECK(first < second);
  CHECK(second < third);
  CHECK(contains(t.substr(ranking), "100.0%"));
  CHECK(contains(t.substr(ranking), "(n.d.)"));
  CHECK_FALSE(contains(t, "nan"));
}

TEST_CASE("compare: CSV in long format", "[compare]") {
  TempDir dir;
  const CliResult r = run_compare({write_synthetic(dir), "--format", "csv", "--at", "2"});
  REQUIRE(r.code == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() > 10);
  CHECK(rows[0] == std::vector<std::string>{"variant", "outcome", "mean", "ci_low", "ci_high", "n",
                                            "distinguishable"});
  std::map<std::string, std::vector<std::string>> by_key;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == 7);
    by_key[rows[i][0] + "/" + rows[i][1]] = rows[i];
  }
  const auto& growth = by_key.at("programme/participant_revenue_growth");
  CHECK(std::stod(growth[2]) == Approx(5.5));
  CHECK(std::stod(growth[3]) == Approx(3.445739743239121).epsilon(1e-12));
  CHECK(std::stod(growth[4]) == Approx(7.554260256760879).epsilon(1e-12));
  CHECK(growth[5] == "4");
  CHECK(growth[6] == "true");
  CHECK(by_key.at("meetings/participant_revenue_growth")[6] == "false");
  CHECK(std::stod(by_key.at("programme/value_added_per_dkk")[2]) == Approx(0.16875));
  CHECK(std::stod(by_key.at("programme/cost_per_job")[2]) == Approx(250000));
  CHECK(by_key.at("programme/on_frontier")[2] == "1");
  CHECK(by_key.at("meetings/extendedly_dominated")[2] == "1");
  CHECK(std::stod(by_key.at("programme/icer")[2]) == Approx(1e6 / 168750));
  CHECK(by_key.count("programme/added_revenue_per_dkk") == 0);
  CHECK(std::stod(by_key.at("programme/size_200_plus_revenue_mdkk")[2]) == Approx(2));
  CHECK(std::stod(by_key.at("programme/size_50_99_revenue_growth")[2]) == Approx(5));
  CHECK(std::stod(by_key.at("programme/cost_dkk")[2]) == 1e6);
  CHECK(by_key.at("programme/cost_dkk")[6].empty());  // a level: no verdict
  CHECK(by_key.at("programme/rank")[2] == "1");
  CHECK(by_key.at("programme/best_share")[2] == "1");
  CHECK(by_key.at("baseline/rank")[2] == "3");
  CHECK(by_key.at("baseline/best_share")[2] == "0");
  CHECK(by_key.count("baseline/participant_revenue_growth") == 0);
  CHECK(by_key.count("baseline/participant_revenue_growth_level") == 1);
  // A CI that does not exist is an empty field, never "nan".
  CHECK_FALSE(contains(r.out, "nan"));
}

TEST_CASE("compare: JSON has one object per variant with explicit fields", "[compare]") {
  TempDir dir;
  const CliResult r = run_compare({write_synthetic(dir), "--format", "json", "--at", "2"});
  REQUIRE(r.code == 0);
  Json doc;
  REQUIRE_NOTHROW(doc = parse_json(r.out));
  CHECK(doc["baseline"].str == "baseline");
  CHECK(doc["metric"].str == "participant_revenue_growth");
  CHECK(doc["confidence_level"].num == 0.95);
  const Json& variants = doc["variants"];
  REQUIRE(variants.type == Json::array);
  REQUIRE(variants.items.size() == 3);
  const Json& programme = variants.items[0];
  CHECK(programme["variant"].str == "programme");
  CHECK(programme["rank"].num == 1);
  CHECK(programme["best_share"].num == 1);
  CHECK(programme["cost_dkk"].num == 1e6);
  CHECK(programme["value_added_per_dkk"]["mean"].num == Approx(0.16875));
  CHECK(programme["value_added_per_dkk"]["low"].num == Approx(0.113700232756618));
  CHECK(programme["value_added_per_dkk"]["high"].num == Approx(0.22379976724338202));
  CHECK(programme["cost_per_job"]["mean"].num == Approx(250000));
  CHECK(programme["incremental"]["status"].str == "frontier");
  CHECK(programme["incremental"]["previous"].str == "baseline");
  CHECK_FALSE(programme.has("added_revenue_per_dkk"));
  CHECK(doc["cost_effectiveness"].items.size() == 3);
  CHECK(doc["budget"].type == Json::null);
  const Json& growth = programme["outcomes"]["participant_revenue_growth"];
  CHECK(growth["mean"].num == Approx(5.5));
  CHECK(growth["ci_low"].num == Approx(3.445739743239121));
  CHECK(growth["ci_high"].num == Approx(7.554260256760879));
  CHECK(growth["n"].num == 4);
  CHECK(growth["distinguishable"].type == Json::boolean);
  CHECK(growth["distinguishable"].b);
  CHECK(growth["replicates_needed"].type == Json::null);
  CHECK(growth["unit"].str == "pp");
  const Json& networks = programme["outcomes"]["strategic_networks"];
  CHECK_FALSE(networks["distinguishable"].b);
  CHECK(networks["replicates_needed"].num == 18);
  const Json& large = programme["size_classes"]["200_plus"];
  CHECK(large["firms"].num == 1);
  CHECK(large["revenue_mdkk"]["ci_low"].num == Approx(0.7007717363748884));
  CHECK_FALSE(programme["size_classes"].has("under_50"));
  const Json& baseline = variants.items[1];
  CHECK(baseline["baseline"].b);
  CHECK(baseline["outcomes"].members.empty());
  CHECK(baseline["value_added_per_dkk"].type == Json::null);  // no outcome for the baseline
  CHECK(baseline["rank"].num == 3);
  CHECK(variants.items[2]["outcomes"]["clusters"]["sd"].num == 0);
}

TEST_CASE("compare: names are escaped in JSON and quoted in CSV", "[compare]") {
  CHECK(json_escape("a\"b\\c\nd\te\x01") == "a\\\"b\\\\c\\nd\\te\\u0001");
  CHECK(json_escape("Århus") == "Århus");
  TempDir dir;
  Synthetic s;
  s.names = {"programme \"A\", big", "baseline", "tab\there"};
  const std::string path = write_synthetic(dir, s);
  const CliResult json = run_compare({path, "--format", "json"});
  REQUIRE(json.code == 0);
  Json doc;
  REQUIRE_NOTHROW(doc = parse_json(json.out));
  CHECK(doc["variants"].items[0]["variant"].str == "programme \"A\", big");
  CHECK(doc["variants"].items[2]["variant"].str == "tab\there");
  const CliResult csv = run_compare({path, "--format", "csv"});
  REQUIRE(csv.code == 0);
  CHECK(contains(csv.out, "\"programme \"\"A\"\", big\",participant_revenue_growth,"));
  const auto rows = parse_csv(csv.out);
  for (const auto& row : rows) CHECK(row.size() == 7);
}

TEST_CASE("compare: number formatting for people", "[compare]") {
  CHECK(format_number(5.5123, 2.05, true) == "+5.5");
  CHECK(format_number(5.5123, 0.21, true) == "+5.51");
  CHECK(format_number(-0.0004, 0.21, true) == "0.00");
  CHECK(format_number(12345.6, 310, false) == "12346");
  CHECK(format_number(0.065, 0.0205, false) == "0.065");
  CHECK(format_number(4, 0, true) == "+4");
  CHECK(format_number(6.666666, 0, false) == "6.67");
  CHECK(format_number(0, 0, true) == "0");
  CHECK(format_number(std::nan(""), 1, false) == "n/a");
}

TEST_CASE("compare: bad input is exit 2 with a precise message", "[compare]") {
  TempDir dir;
  const std::string path = write_synthetic(dir);
  SECTION("a missing file") {
    const CliResult r = run_compare({dir.file("missing.h5")});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "missing.h5"));
  }
  SECTION("a file that is not a results file") {
    const std::string text = dir.file("not.h5");
    std::ofstream(text) << "hello\n";
    CHECK(run_compare({text}).code == 2);
  }
  SECTION("an unknown baseline names the variants") {
    const CliResult r = run_compare({path, "--baseline", "basline"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "unknown --baseline 'basline' (did you mean 'baseline'?)"));
    CHECK(contains(r.err, "programme, baseline, meetings"));
  }
  SECTION("an unknown metric gets a did-you-mean") {
    const CliResult r = run_compare({path, "--metric", "tie_partner"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "unknown --metric 'tie_partner' (did you mean 'ties_partner'?)"));
    CHECK_THROWS_AS(compare(read_results(path), at_horizon("", "revenue")), UsageError);
  }
  SECTION("an unknown format") {
    const CliResult r = run_compare({path, "--format", "xml"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "table, csv or json"));
  }
}

TEST_CASE("compare: the workshop scenario's full programme beats the baseline", "[compare]") {
  TempDir dir;
  Inputs inputs = load_inputs(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  RunOptions options;
  options.output = dir.file("workshop.h5");
  options.replicates = 10;
  options.variants = {"baseline", "full_programme"};
  std::ostringstream progress;
  REQUIRE(run_scenario(inputs, options, progress, nullptr).complete);

  const ResultsFile file = read_results(options.output);
  const Comparison c = compare(file);
  CHECK(c.baseline == "baseline");
  CHECK(c.warnings.empty());
  const Outcome& growth = effect(c, "full_programme", "participant_revenue_growth");
  INFO(format_table(c));
  CHECK(growth.estimate.n == 10);
  CHECK(growth.estimate.ci_low > 0);
  CHECK(growth.estimate.distinguishable());
  CHECK(c.find("full_programme")->rank == 1);
  CHECK(c.find("full_programme")->level("cost_dkk")->estimate.mean > 0);
  // Common random numbers make the growth difference equal the level difference over the
  // initial revenue (row 0 is the same in both variants).
  const auto& base = *file.find_variant("baseline");
  const double start =
      base.metric(0, 0, static_cast<std::size_t>(file.metric_index("participant_revenue_mdkk")));
  CHECK(effect(c, "full_programme", "participant_revenue_mdkk").estimate.mean / start * 100 ==
        Approx(growth.estimate.mean).epsilon(1e-9));
  // The size classes together hold every participant firm.
  int firms = 0;
  for (const auto& s : c.find("full_programme")->size_classes) firms += s.firms;
  CHECK(static_cast<std::size_t>(firms) == c.participant_firms);
}

TEST_CASE("compare and inspect: what a tight budget skipped, per activity", "[compare]") {
  TempDir dir;
  Inputs inputs = load_inputs(KLYNGE_SOURCE_DIR "/scenarios/tight_budget.yaml");
  RunOptions options;
  options.output = dir.file("tight.h5");
  options.replicates = 4;
  std::ostringstream progress;
  REQUIRE(run_scenario(inputs, options, progress, nullptr).complete);
  const ResultsFile file = read_results(options.output);
  const Comparison c = compare(file);
  const ProgrammeSummary* full = c.programme("full_programme");
  REQUIRE(full != nullptr);
  REQUIRE(full->detail_replicates == 3);
  REQUIRE(full->activities.size() == 6);
  // The cash by activity adds up to the cash the detail replicates (replicates 0-2) spent.
  const VariantResults& v = *file.find_variant("full_programme");
  const auto cash = static_cast<std::size_t>(file.metric_index("cash_dkk_cumulative"));
  double spent = 0;
  for (std::size_t r = 0; r < 3; ++r) spent += v.metric(r, v.steps - 1, cash) / 3;
  double by_activity = 0;
  for (const auto& a : full->activities) by_activity += a.cash_dkk;
  CHECK(by_activity == Approx(spent).epsilon(1e-9));
  CHECK(spent <= 800000 + 1e-6);  // the scenario's budget
  // 0.8 M DKK cannot pay for everything: something is skipped for budget, and the cluster
  // strategy (last in the year) gets nothing.
  double skipped = 0;
  for (const auto& a : full->activities) skipped += a.units_skipped_budget;
  CHECK(skipped > 0);
  const ActivitySummary& strategy = full->activities.back();
  CHECK(strategy.id == "cluster_strategy");
  CHECK(strategy.schedule == "month 18");
  CHECK(strategy.cash_dkk == 0);
  CHECK(strategy.runs == 0);
  CHECK(strategy.skipped_runs == 1);
  CHECK(full->activities[2].schedule == "months 3, 6, 9, 12");
  // Staff hours over every replicate: the sum of staff_hours_used over months 1-36.
  const auto hours = static_cast<std::size_t>(file.metric_index("staff_hours_used"));
  double used = 0;
  for (std::size_t r = 0; r < v.replicates; ++r)
    for (std::size_t t = 1; t < v.steps; ++t) used += v.metric(r, t, hours) / 4;
  CHECK(full->staff_hours.mean == Approx(used));
  CHECK(c.programme("baseline")->activities.empty());

  // The same table in compare's output and in inspect's.
  const std::string table = format_table(c);
  CHECK(contains(table, "What each programme did"));
  CHECK(contains(table, "units skipped (budget)"));
  std::vector<const char*> argv = {"klynge", "inspect", options.output.c_str()};
  std::ostringstream out, err;
  REQUIRE(cli::klynge_main(static_cast<int>(argv.size()), argv.data(), {out, err}) == 0);
  CHECK(contains(out.str(), format_programmes(c.programmes, c.month)));
  const Json doc = parse_json(format_json(c));
  const Json& activities = doc["variants"].items[1]["programme"]["activities"];
  REQUIRE(activities.items.size() == 6);
  CHECK(activities.items[5]["id"].str == "cluster_strategy");
  CHECK(activities.items[5]["runs_skipped"].num == 1);
}

TEST_CASE("compare: --help documents the decisions", "[compare]") {
  const CliResult r = run_compare({"--help"});
  CHECK(r.code == 0);
  CHECK(contains(r.out, "klynge compare RESULTS.h5 [--baseline NAME]"));
  CHECK(contains(r.out, "the variant named 'baseline', else the"));
  CHECK(contains(r.out, "docs/compare.md"));
}
