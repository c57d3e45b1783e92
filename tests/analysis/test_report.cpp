// The HTML report (analysis/report.hpp) and the built-in demo (sim/cli/workshop_demo.hpp): the page
// is self-contained, has its sections, shows pseudonyms only and embeds its data safely; its
// ranking is klynge compare's (the same numbers, read off the page and the terminal table); the
// demo's embedded scenario and its files. tests/python/test_report_browser.py checks that the page
// renders in headless Chromium.
#include <unistd.h>

#include <array>
#include <atomic>
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include "tests/support/temp_dir.hpp"

#include "analysis/compare.hpp"
#include "analysis/report.hpp"
#include "analysis/report_network.hpp"
#include "analysis/report_template.hpp"
#include "analysis/report_uncertainty.hpp"
#include "analysis/robust.hpp"
#include "analysis/statistics.hpp"
#include "sim/cli/workshop_demo.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/metrics.hpp"
#include "sim/io/inputs.hpp"
#include "sim/io/interview_csv.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/run/runner.hpp"

namespace fs = std::filesystem;
namespace report = klynge::analysis::report;
namespace demo = klynge::cli::demo;
using namespace klynge;
using klynge::analysis::compare;
using klynge::analysis::CompareOptions;
using klynge::analysis::Comparison;
using klynge::analysis::Estimate;
using klynge::analysis::estimate_mean;
using klynge::analysis::format_number;
using klynge::analysis::format_table;
using klynge::analysis::Outcome;
using klynge::analysis::VariantComparison;

namespace {

struct TempDir : klynge::testing::TempDir {
  TempDir() : klynge::testing::TempDir("klynge-report-test") {}
};

std::string source(const std::string& relative) {
  return std::string(KLYNGE_SOURCE_DIR) + "/" + relative;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The workshop scenario, few replicates, run once per test binary (and once with names revealed).
const std::string& workshop_results(bool reveal_names) {
  static TempDir dir;
  static std::string paths[2];
  std::string& path = paths[reveal_names ? 1 : 0];
  if (path.empty()) {
    Inputs inputs = load_inputs(source("scenarios/midtjylland.yaml"));
    RunOptions options;
    options.output = dir.file(reveal_names ? "revealed.h5" : "workshop.h5");
    options.replicates = 6;
    options.threads = 2;
    options.reveal_names = reveal_names;
    std::ostringstream progress;
    const RunSummary summary = run_scenario(inputs, options, progress, nullptr);
    REQUIRE(summary.complete);
    path = options.output;
  }
  return path;
}

const std::string& workshop_page() {
  static const std::string page = report::render(workshop_results(false), report::Options{});
  return page;
}

std::string json_block(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"klynge-data\">";
  const auto begin = page.find(open);
  REQUIRE(begin != std::string::npos);
  const auto end = page.find("</script>", begin);
  REQUIRE(end != std::string::npos);
  return page.substr(begin + open.size(), end - begin - open.size());
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A hand-made results file in memory: two variants, `values[v][r]` = participant revenue at the
// horizon (100 at step 0; value added 0.3 of it), cost and partner ties fixed per variant.
ResultsFile tiny_results(const std::vector<std::vector<double>>& values,
                         const std::vector<std::string>& names) {
  ResultsFile r;
  r.path = "tiny.h5";
  r.schema_version = 1;
  r.status = "complete";
  r.header.horizon = 1;
  r.header.replicates = static_cast<int>(values.front().size());
  r.header.scenario_name = "tiny";
  for (const auto& info : kMetricInfo) {
    r.metric_names.push_back(info.name);
    r.metric_units.push_back(info.unit);
  }
  for (std::size_t v = 0; v < values.size(); ++v) {
    VariantResults vr;
    vr.name = names[v];
    vr.replicates = values[v].size();
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
      at(rep, 1, Metric::participant_revenue_mdkk) = values[v][rep];
      at(rep, 0, Metric::participant_value_added_mdkk) = 0.3 * 100;
      at(rep, 1, Metric::participant_value_added_mdkk) = 0.3 * values[v][rep];
      at(rep, 1, Metric::cost_dkk_cumulative) = 1e6 * static_cast<double>(v);
      at(rep, 1, Metric::ties_partner) = 10.0 * static_cast<double>(v);
      at(rep, 0, Metric::clusters) = std::nan("");
    }
    r.header.variants.push_back({names[v], "", {}, {}, "", {}});
    r.variants.push_back(std::move(vr));
  }
  return r;
}

}  // namespace

TEST_CASE("report: json_string escapes quotes, control characters and markup", "[report]") {
  using report::detail::json_string;
  CHECK(json_string("plain") == "\"plain\"");
  CHECK(json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_string("line\nnext\t\x01") == "\"line\\nnext\\t\\u0001\"");
  CHECK(json_string("</script><!-- & -->") ==
        "\"\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e\"");
  CHECK(json_string("Skanderborg æøå") == "\"Skanderborg æøå\"");  // UTF-8 passes through
  CHECK(report::detail::html_escape("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST_CASE("report: the ranking is compare's, paired against the baseline", "[report]") {
  // Growth per replicate: baseline 10, 20, 30 %; better 15, 27, 33 % -> differences 5, 7, 3.
  const ResultsFile r = tiny_results({{110, 120, 130}, {115, 127, 133}}, {"baseline", "better"});
  const Comparison c = compare(r);
  const auto order = report::rank_order(c);
  REQUIRE(order.size() == 2);
  const VariantComparison& best = *order[0];
  CHECK(best.name == "better");
  CHECK(best.rank == 1);
  CHECK_FALSE(best.is_baseline);
  CHECK(best.rank_level.mean == Approx(25.0));
  CHECK(best.rank_effect.mean == Approx(5.0));
  // Student t with 2 degrees of freedom (not the normal 1.96): sd of {5, 7, 3} is 2.
  const double half = 4.302652729749464 * 2.0 / std::sqrt(3.0);
  CHECK(best.rank_effect.ci_low == Approx(5.0 - half));
  CHECK(best.rank_effect.ci_high == Approx(5.0 + half));
  CHECK(order[1]->is_baseline);
  CHECK(order[1]->rank == 2);

  // Value added per DKK as model.md v2.5 defines it: the paired difference in regional value
  // added (0.3 x revenue) summed over the months (one month here: 0.3 x 5 mDKK/year -> 1.5e6 / 12
  // DKK) over the incremental cost (1e6 DKK - the baseline's 0).
  const Outcome* per_dkk = best.effect("value_added_per_dkk");
  REQUIRE(per_dkk != nullptr);
  CHECK(per_dkk->estimate.mean == Approx(0.3 * 5.0 / 12.0));
  const std::string per_dkk_text =
      format_number(per_dkk->estimate.mean, per_dkk->estimate.half_width);
  CHECK(per_dkk_text == "0.12");  // to the CI half-width's second significant digit
  // No employees in this file: no additional jobs, no cost per job.
  CHECK(std::isnan(best.effect("cost_per_job")->estimate.mean));

  const std::string text = report::format_ranking(c);
  CHECK(text.find("value added per DKK") != std::string::npos);
  CHECK(text.find("cost per job") != std::string::npos);
  CHECK(text.find("added revenue per DKK") == std::string::npos);  // the old headline
  CHECK(text.find("revenue/DKK") == std::string::npos);            // an older, different ratio
  std::istringstream lines(text);
  std::string line, better_line, baseline_line;
  while (std::getline(lines, line)) {
    if (line.find(" better ") != std::string::npos) better_line = line;
    if (line.find(" baseline ") != std::string::npos && line.find("reference") != std::string::npos)
      baseline_line = line;
  }
  CHECK(better_line.find("+25%") != std::string::npos);
  CHECK(better_line.find(format_number(5.0, best.rank_effect.half_width, true) + " [" +
                         format_number(best.rank_effect.ci_low, best.rank_effect.half_width) +
                         ", " +
                         format_number(best.rank_effect.ci_high, best.rank_effect.half_width) +
                         "]") != std::string::npos);
  CHECK(better_line.find("  " + per_dkk_text + "  ") != std::string::npos);
  CHECK(better_line.back() == '-');  // cost per job: not defined
  CHECK(baseline_line.find("reference") != std::string::npos);
  // compare's own table prints the same value added per DKK.
  CHECK(format_table(c).find(per_dkk_text + " DKK per DKK") != std::string::npos);
}

TEST_CASE("report: neighbours not told apart come from compare's paired differences", "[report]") {
  // Growth: a 0, 5, 20; baseline 5, 10, 25; c 20, 30 (and an unfinished replicate).
  ResultsFile r =
      tiny_results({{100, 105, 120}, {105, 110, 125}, {120, 130, 140}}, {"a", "baseline", "c"});
  r.variants[2].completed[2] = 0;  // replicate 2 of c never finished
  const Comparison c = compare(r);
  CHECK(c.baseline == "baseline");   // by name, not position
  CHECK(c.ranking_replicates == 2);  // completed in every variant
  const auto order = report::rank_order(c);
  REQUIRE(order.size() == 3);
  CHECK(order[0]->name == "c");
  CHECK(order[0]->rank_effect.mean == Approx(17.5));
  CHECK(order[1]->name == "baseline");
  CHECK(order[2]->name == "a");
  CHECK(order[2]->rank_effect.mean == Approx(-5.0));
  CHECK(order[2]->rank_effect.ci_low == Approx(-5.0));  // no spread: a zero-width interval

  const auto pairs = report::neighbours(c);
  REQUIRE(pairs.size() == 2);
  // c against the baseline is compare's rank_effect itself: 15 and 20 pp, two replicates, so
  // t_{0.975,1} = 12.7 makes the CI include 0 (the normal approximation would have excluded it).
  CHECK(pairs[0].higher->name == "c");
  CHECK(pairs[0].difference.mean == order[0]->rank_effect.mean);
  CHECK(pairs[0].difference.ci_low == order[0]->rank_effect.ci_low);
  CHECK_FALSE(pairs[0].told_apart());
  // The baseline above a: compare's rank_effect of a, turned round.
  CHECK(pairs[1].difference.mean == -order[2]->rank_effect.mean);
  CHECK(pairs[1].difference.ci_low == -order[2]->rank_effect.ci_high);
  CHECK(pairs[1].told_apart());
  const std::string text = report::format_ranking(c);
  CHECK(text.find("not told apart: c and baseline") != std::string::npos);
  CHECK(text.find("not told apart: baseline and a") == std::string::npos);

  // Noise without a consistent difference: the order of the two is not established.
  const ResultsFile noisy = tiny_results({{110, 130, 120}, {120, 110, 131}}, {"baseline", "n"});
  CHECK_FALSE(report::neighbours(compare(noisy))[0].told_apart());
  CHECK(report::format_ranking(compare(noisy)).find("not told apart") != std::string::npos);

  CompareOptions other;
  other.baseline = "a";
  CHECK(compare(r, other).baseline == "a");
  report::Options options;
  options.baseline = "nonexistent";
  CHECK_THROWS_AS(report::render(r, {}, options), UsageError);
}

TEST_CASE("report: two variants other than the baseline are differenced replicate by replicate",
          "[report]") {
  // Growth: baseline 10, 20, 30; x 20, 31, 39; y 19, 29, 41. x - y = 1, 2, -2; y - baseline =
  // 9, 9, 11.
  const ResultsFile r =
      tiny_results({{110, 120, 130}, {120, 131, 139}, {119, 129, 141}}, {"baseline", "x", "y"});
  const Comparison c = compare(r);
  const auto pairs = report::neighbours(c);
  REQUIRE(pairs.size() == 2);
  CHECK(pairs[0].higher->name == "x");
  CHECK(pairs[0].lower->name == "y");
  const Estimate expected = estimate_mean({1.0, 2.0, -2.0});
  CHECK(pairs[0].difference.mean == Approx(expected.mean));
  CHECK(pairs[0].difference.ci_low == Approx(expected.ci_low));
  CHECK(pairs[0].difference.ci_high == Approx(expected.ci_high));
  CHECK_FALSE(pairs[0].told_apart());
  CHECK(pairs[1].lower->is_baseline);
  CHECK(pairs[1].difference.mean == c.find("y")->rank_effect.mean);
  CHECK(pairs[1].told_apart());
  const std::string page = report::render(r, {}, report::Options{});
  CHECK(count(page, "class=\"note not-told-apart\"") == 1);
  CHECK(page.find("<strong>x</strong> and <strong>y</strong> cannot be told apart") !=
        std::string::npos);
}

TEST_CASE("report: a hand-made file without detail renders, with hostile names escaped",
          "[report]") {
  ResultsFile r = tiny_results({{110, 120}, {112, 121}}, {"baseline", "x</script><b>"});
  const std::string page = report::render(r, {}, report::Options{});
  CHECK(page.find("No detail replicates") != std::string::npos);
  CHECK(page.find("x</script>") == std::string::npos);
  CHECK(page.find("x&lt;/script&gt;&lt;b&gt;") != std::string::npos);
  const std::string json = json_block(page);
  CHECK(json.find('<') == std::string::npos);
  CHECK(json.find("x\\u003c/script\\u003e") != std::string::npos);
}

TEST_CASE("report: a file without draws has no uncertainty or sweep section", "[report]") {
  const ResultsFile r = tiny_results({{110, 120}, {112, 121}}, {"baseline", "better"});
  const std::string page = report::render(r, {}, report::Options{});
  CHECK(page.find("klynge-uncertainty") == std::string::npos);
  CHECK(page.find("id=\"uncertainty\"") == std::string::npos);
  CHECK(page.find("id=\"sweep\"") == std::string::npos);
  CHECK(report::uncertainty_section(r, CompareOptions{}, {}).empty());
  CHECK(report::uncertainty_scripts(report::UncertaintySection{}).empty());
}

namespace {

// A hand-made sweep: a in {1, 2} (slowest) x b in {30, 10, 20} (as listed), a baseline and one
// hostile-named variant whose effect at grid point p is p (CI p - 0.5 .. p + 0.5), none at 4.
klynge::analysis::RobustComparison hand_made_sweep() {
  klynge::analysis::RobustComparison r;
  r.sampling = "grid";
  r.draws = 6;
  r.replicates_per_draw = 2;
  r.parameters = {"a", "b"};
  r.distributions = {"values([1, 2])", "values([30, 10, 20])"};
  r.values = {1, 30, 1, 10, 1, 20, 2, 30, 2, 10, 2, 20};
  r.baseline = "baseline";
  r.metric_label = "growth";
  r.effect_unit = "pp";
  r.reading = "at month 1";
  r.verdict = "x</script> is best";
  klynge::analysis::RobustVariant base, other;
  base.name = "baseline";
  base.is_baseline = true;
  other.name = "x</script>";
  for (int p = 0; p < 6; ++p) {
    Estimate e;
    if (p != 4) {
      e.n = 2;
      e.mean = p;
      e.half_width = 0.5;
      e.ci_low = p - 0.5;
      e.ci_high = p + 0.5;
    }
    other.effect_estimate_by_draw.push_back(e);
    base.effect_estimate_by_draw.push_back(Estimate{});
  }
  r.variants = {base, other};
  return r;
}

}  // namespace

TEST_CASE("report: a sweep's chart data puts the parameter with most values on x", "[report]") {
  const auto section = report::uncertainty_section(
      hand_made_sweep(), {{"baseline", "baseline", "#555555", "6 4", true},
                          {"x</script>", "x</script>", "#E69F00", "", false}});
  REQUIRE_FALSE(section.empty());
  CHECK(section.html.find("id=\"sweep\"") != std::string::npos);
  CHECK(section.html.find("x</script>") == std::string::npos);  // escaped in the HTML
  CHECK(section.data.find('<') == std::string::npos);           // and in the data block
  // x: b (3 values, ascending); a panel per value of a, in grid order; the grid point with no
  // result is null; the baseline has no series (its effect is the zero line).
  CHECK(section.data.find("\"x\":{\"name\":\"b\",\"values\":[10,20,30]}") != std::string::npos);
  CHECK(section.data.find("{\"title\":\"a = 1\",\"series\":[{\"variant\":1,\"mean\":[1,2,0],"
                          "\"lo\":[0.5,1.5,-0.5],\"hi\":[1.5,2.5,0.5]}]}") != std::string::npos);
  CHECK(section.data.find("{\"title\":\"a = 2\",\"series\":[{\"variant\":1,\"mean\":[null,5,3],") !=
        std::string::npos);
  CHECK(section.data.find("\"sensitivity\":null") != std::string::npos);
  CHECK(count(section.html, "class=\"u-chart u-sweep-svg\"") == 2);
  const std::string scripts = report::uncertainty_scripts(section);
  CHECK(scripts.find("id=\"klynge-uncertainty\"") != std::string::npos);
  CHECK(count(scripts, "</script>") == 2);  // its data block and its script, nothing else
}

TEST_CASE("report: a probabilistic run's section shows the verdict and compare's shares",
          "[report]") {
  auto r = hand_made_sweep();
  r.sampling = "lhs";
  r.variants[0].p_best = 0.25;
  r.variants[1].p_best = 0.75;
  r.variants[1].p_positive = 0.996;
  r.variants[0].expected_loss = 1.5;
  r.variants[1].expected_loss = 0;
  r.variants[1].rank_share = {0.75, 0.25};
  r.variants[0].rank_share = {0.25, 0.75};
  r.lambdas = {0, 1, 2};
  r.variants[0].acceptability = {1, 0.5, 0.25};
  r.variants[1].acceptability = {0, 0.5, 0.75};
  const auto section =
      report::uncertainty_section(r,
                                  {{"baseline", "baseline", "#555555", "6 4", true},
                                   {"x</script>", "x</script>", "#E69F00", "", false}},
                                  "{\"k\":1}");
  CHECK(section.html.find("id=\"uncertainty\"") != std::string::npos);
  CHECK(section.html.find("id=\"u-verdict\">x&lt;/script&gt; is best</p>") != std::string::npos);
  CHECK(section.html.find("data-p-best=\"0.75\" data-p-positive=\"0.996\"") != std::string::npos);
  CHECK(section.html.find(">&gt;99%<") != std::string::npos);  // 0.996 is not "100%"
  // Most often best first; its most likely rank is 1, in 75% of the draws.
  CHECK(section.html.find("data-variant=\"x&lt;/script&gt;\"") <
        section.html.find("data-variant=\"baseline\""));
  CHECK(section.html.find(">1 <span class=\"ci\">(75% of draws)</span>") != std::string::npos);
  CHECK(section.data.find("\"acceptability\":[[1,0.5,0.25],[0,0.5,0.75]]") != std::string::npos);
  CHECK(section.data.find("\"sensitivity\":{\"k\":1}") != std::string::npos);  // the slot
  CHECK(section.html.find("id=\"u-ceac-svg\"") != std::string::npos);
  CHECK(section.html.find("id=\"u-plane-svg\"") != std::string::npos);
}

TEST_CASE("report: the workshop page is self-contained and has every section", "[report]") {
  const std::string& page = workshop_page();
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<meta charset=\"utf-8\">") != std::string::npos);
  // No external resources of any kind.
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("//cdn") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find(" src=") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
  // The sections.
  for (const char* id :
       {"id=\"run\"", "id=\"ranking\"", "id=\"charts\"", "id=\"network\"", "id=\"script-errors\"",
        "id=\"klynge-data\"", "id=\"play\"", "id=\"step-slider\"", "id=\"step-label\""})
    CHECK(page.find(id) != std::string::npos);
  // What was run: scenario, every variant, replicates, seed, version.
  const ResultsFile results = read_results(workshop_results(false));
  CHECK(page.find(results.header.scenario_name) != std::string::npos);
  for (const auto& v : results.variants) CHECK(page.find(v.name) != std::string::npos);
  CHECK(page.find("<dt>Seed</dt><dd>2007</dd>") != std::string::npos);
  CHECK(page.find("<dt>Replicates</dt><dd>6 ") != std::string::npos);
  CHECK(page.find(results.header.tool_version) != std::string::npos);
  // Ranking rows and six charts, each with a band and a line per variant.
  CHECK(count(page, "<tr") >= results.variants.size() * 2);
  CHECK(count(page, "<svg class=\"chart-svg\"") == 6);
  CHECK(count(page, "<path class=\"line\"") == 6 * results.variants.size());
  CHECK(count(page, "<path class=\"band\"") == 6 * results.variants.size());
  // Two network panels (baseline and the full programme) for the script to draw into.
  CHECK(count(page, "<svg class=\"network-svg\"") == 2);
  CHECK(page.find("<option value=\"full_programme\" selected>") != std::string::npos);
}

TEST_CASE("report: the workshop page and terminal table show compare's numbers", "[report]") {
  const ResultsFile results = read_results(workshop_results(false));
  const Comparison c = compare(results);
  const std::string& page = workshop_page();
  const std::string text = report::format_ranking(c);
  const auto rows = report::rank_order(c);
  REQUIRE(rows.size() == results.variants.size());
  int previous = 0;
  for (const VariantComparison* v : rows) {
    INFO(v->name);
    CHECK(v->rank == previous + 1);  // every variant ranked, best first
    previous = v->rank;
    // The page's row for this variant and the terminal line.
    const auto begin = page.find("<tr" + std::string(v->is_baseline ? " class=\"baseline\"" : "") +
                                 " data-variant=\"" + v->name + "\">");
    REQUIRE(begin != std::string::npos);
    const std::string row = page.substr(begin, page.find("</tr>", begin) - begin);
    std::string line;
    {
      std::istringstream lines(text);
      for (std::string l; std::getline(lines, l);)
        if (l.find(std::to_string(v->rank) + "  " + v->name + " ") != std::string::npos) line = l;
    }
    REQUIRE_FALSE(line.empty());
    const auto shows = [&](const std::string& number) {
      CHECK(row.find(number) != std::string::npos);
      CHECK(line.find(number) != std::string::npos);
    };
    CHECK(row.find("<td class=\"num\">" + std::to_string(v->rank) + "</td>") != std::string::npos);
    shows(format_number(v->rank_level.mean, v->rank_level.half_width, true));
    const Outcome* cost = v->level("cost_dkk");
    REQUIRE(cost != nullptr);
    shows(format_number(cost->estimate.mean * 1e-6, cost->estimate.half_width * 1e-6));
    if (v->is_baseline) {
      CHECK(row.find("reference") != std::string::npos);
      CHECK(line.find("reference") != std::string::npos);
      continue;
    }
    const Estimate& e = v->rank_effect;
    shows(format_number(e.mean, e.half_width, true));
    shows(format_number(e.ci_low, e.half_width));
    shows(format_number(e.ci_high, e.half_width));
    // The effect in the ranking is compare's growth effect (all replicates completed).
    const Outcome* growth = v->effect("participant_revenue_growth");
    REQUIRE(growth != nullptr);
    CHECK(growth->estimate.mean == Approx(e.mean));
    const Outcome* ties = v->effect("ties_partner");
    REQUIRE(ties != nullptr);
    shows(format_number(ties->estimate.mean, ties->estimate.half_width, true));
    const Outcome* per_dkk = v->effect("value_added_per_dkk");
    REQUIRE(per_dkk != nullptr);
    if (std::isfinite(per_dkk->estimate.mean)) {
      const std::string ratio = format_number(per_dkk->estimate.mean, per_dkk->estimate.half_width);
      shows(ratio);
      CHECK(format_table(c).find(ratio + " DKK per DKK") != std::string::npos);
    }
    const Outcome* per_job = v->effect("cost_per_job");
    REQUIRE(per_job != nullptr);
    if (std::isfinite(per_job->estimate.mean))
      shows(format_number(per_job->estimate.mean * 1e-3, per_job->estimate.half_width * 1e-3));
  }
  // The notes name exactly the neighbours whose paired difference's CI includes 0.
  std::size_t not_told_apart = 0;
  for (const auto& n : report::neighbours(c))
    if (!n.told_apart()) {
      ++not_told_apart;
      CHECK(text.find("not told apart: " + n.higher->name + " and " + n.lower->name) !=
            std::string::npos);
      // The page names them by their labels (`label:`; the workshop scenario has them).
      const auto label = [&](const std::string& name) {
        for (const auto& info : results.header.variants)
          if (info.name == name) return info.display_name();
        return name;
      };
      CHECK(page.find("<strong>" + label(n.higher->name) + "</strong> and <strong>" +
                      label(n.lower->name) + "</strong> cannot be told apart") !=
            std::string::npos);
    }
  CHECK(count(text, "not told apart: ") == not_told_apart);
  CHECK(count(page, "class=\"note not-told-apart\"") == not_told_apart);
  CHECK(page.find("Revenue per DKK<") == std::string::npos);      // an old, different ratio
  CHECK(page.find("dded revenue per DKK") == std::string::npos);  // the old headline
  CHECK(page.find("Value added per DKK") != std::string::npos);
  CHECK(page.find("Cost per job") != std::string::npos);
  // The incremental analysis: every variant once, the cheapest (the baseline) on the frontier.
  CHECK(page.find("<table class=\"cost-effect\">") != std::string::npos);
  const auto frontier = page.find("<table class=\"cost-effect\">");
  REQUIRE(!c.cost_effect.empty());
  for (const auto& p : c.cost_effect)
    CHECK(page.find("<tr data-variant=\"" + p.variant + "\"><td class=\"name\">", frontier) !=
          std::string::npos);
  CHECK(c.cost_effect.front().status == "frontier");
  // What each programme did: the schedules and the cash of the activities.
  CHECK(page.find("What each programme did") != std::string::npos);
  CHECK(page.find("cluster_strategy (cluster_strategy)") == std::string::npos);  // id = type
  CHECK(page.find("months 3, 6, 9, 12") != std::string::npos);  // the meetings' schedule
  CHECK(page.find("meetings (network_meeting)") != std::string::npos);
}

TEST_CASE("report: embedded JSON cannot close its script element and parses as data", "[report]") {
  const std::string json = json_block(workshop_page());
  CHECK(json.find("</") == std::string::npos);
  CHECK(json.find('<') == std::string::npos);
  CHECK(json.rfind("{\"scenario\":", 0) == 0);
  CHECK(json.find("\"network\":{") != std::string::npos);
  CHECK(json.find("\"ties\":[[") != std::string::npos);
  CHECK(json.find("NaN") == std::string::npos);  // JSON has no NaN: null instead
  CHECK(json.find("inf") == std::string::npos);
}

TEST_CASE("report: firms appear by pseudonym only, even when the file holds names", "[report]") {
  const Population population = load_population(source("scenarios/data/midtjylland_firms.csv"),
                                                source("scenarios/data/midtjylland_relations.csv"));
  REQUIRE(population.firms.size() > 20);
  const std::string revealed_page = report::render(workshop_results(true), report::Options{});
  // The revealed file does hold the names: the report must not copy them.
  REQUIRE(read_results(workshop_results(true)).header.names.size() == population.firms.size());
  // The scenario text of a revealed file keeps firm ids: the page leaves it out.
  CHECK(revealed_page.find("The scenario text is not shown") != std::string::npos);
  CHECK(workshop_page().find("The scenario as given") != std::string::npos);
  for (const std::string* page : {&workshop_page(), &revealed_page}) {
    for (const auto& firm : population.firms) {
      if (!firm.name.empty()) CHECK(page->find(firm.name) == std::string::npos);
      CHECK(page->find(firm.firm_id) == std::string::npos);
      CHECK(page->find("\"" + firm.pseudonym + "\"") != std::string::npos);
    }
  }
}

TEST_CASE("report: write replaces the output atomically and rejects unwritable places",
          "[report]") {
  TempDir dir;
  const std::string out = dir.file("r.html");
  {
    std::ofstream old(out);
    old << "old";
  }
  const std::size_t bytes = report::write(workshop_results(false), out, report::Options{});
  CHECK(bytes == fs::file_size(out));
  CHECK(slurp(out).rfind("<!DOCTYPE html>", 0) == 0);
  for (const auto& entry : fs::directory_iterator(dir.path))  // no temporary left
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
  CHECK_THROWS_AS(
      report::write(workshop_results(false), dir.file("missing/dir/r.html"), report::Options{}),
      UsageError);
  CHECK_THROWS_AS(report::render(dir.file("nothing.h5"), report::Options{}), InputError);
}

TEST_CASE("demo: the workshop scenario is built in, byte for byte", "[report][demo]") {
  const auto files = demo::builtin_files();
  REQUIRE(files.size() ==
          4);  // fails when cmake/embed.cmake is not applied (klynge_embed in CMakeLists.txt)
  CHECK(files[0].path == "midtjylland.yaml");
  for (const auto& f : files) CHECK(f.text == slurp(source("scenarios/" + f.path)));
}

TEST_CASE("demo: writes the scenario, results and report, and keeps edited scenarios",
          "[report][demo]") {
  REQUIRE_FALSE(demo::builtin_files().empty());
  TempDir dir;
  demo::Options options;
  options.directory = dir.file("demo");
  options.replicates = 3;
  options.threads = 2;
  std::ostringstream out, err;
  const demo::Outcome outcome = demo::run(options, out, err, nullptr);
  REQUIRE(outcome.complete);
  CHECK(fs::exists(dir.file("demo/scenario/midtjylland.yaml")));
  CHECK(fs::exists(dir.file("demo/scenario/data/midtjylland_firms.csv")));
  CHECK(fs::exists(dir.file("demo/results.h5")));
  CHECK(fs::exists(dir.file("demo/report.html")));
  CHECK(out.str().find("Ranking") != std::string::npos);
  CHECK(out.str().find("full_programme") != std::string::npos);
  CHECK(out.str().find("Open " + outcome.report_path + " in a browser") != std::string::npos);
  const ResultsFile results = read_results(outcome.results_path);
  CHECK(results.complete());
  CHECK(results.header.replicates == 3);
  CHECK(results.variants.size() == 7);

  // Again: unchanged files are fine and the results are replaced.
  std::ostringstream out2, err2;
  CHECK(demo::run(options, out2, err2, nullptr).complete);

  // An edited scenario is run as edited, never overwritten unless --force.
  {
    std::string text = slurp(dir.file("demo/scenario/midtjylland.yaml"));
    const auto at = text.find("seed: 2007");
    REQUIRE(at != std::string::npos);
    text.replace(at, 10, "seed: 2008");
    std::ofstream edit(dir.file("demo/scenario/midtjylland.yaml"), std::ios::trunc);
    edit << text << "# my edit\n";
  }
  std::ostringstream out3;
  const demo::Outcome edited = demo::run(options, out3, err2, nullptr);
  CHECK(edited.complete);
  CHECK(edited.edited);
  CHECK(out3.str().find("running your edited copy") != std::string::npos);
  CHECK(read_results(edited.results_path).header.seed == 2008);
  CHECK(slurp(dir.file("demo/scenario/midtjylland.yaml")).find("# my edit") != std::string::npos);
  options.force = true;
  CHECK(demo::run(options, out2, err2, nullptr).complete);
  CHECK(slurp(dir.file("demo/scenario/midtjylland.yaml")).find("# my edit") == std::string::npos);

  options.replicates = 1;
  CHECK_THROWS_AS(demo::run(options, out2, err2, nullptr), UsageError);
}

TEST_CASE("report: clusters keep their number and colour over the months", "[report]") {
  using report::detail::track_clusters;
  // Six firms over six months of stored labels (-1: in no cluster). Cluster A (firms 0-2) is
  // missed at month 2 and found again at month 3 under a new stored label (the model's matching
  // forgets it); B (firms 3-4) lives throughout and gains firm 5 at month 4; stored labels 40
  // and 49 are equal mod 9, as the page's colours were before.
  const std::vector<std::vector<int>> stored = {
      {40, 40, 40, 49, 49, -1},  // A, B
      {40, 40, 40, 49, 49, -1},  //
      {-1, -1, -1, 49, 49, -1},  // A missed
      {77, 77, 77, 49, 49, -1},  // A again, new stored label
      {77, 77, -1, 49, 49, 49},  // A loses firm 2, B gains firm 5
      {-1, -1, 90, 90, 90, 90},  // firm 2 joins B (stored anew): B keeps its number
  };
  const auto tracks = track_clusters(stored, 9);
  REQUIRE(tracks.id.size() == stored.size());
  const int a = tracks.id[0][0], b = tracks.id[0][3];
  CHECK(a != b);
  for (std::size_t s : {0u, 1u, 3u, 4u}) {
    CHECK(tracks.id[s][0] == a);
    CHECK(tracks.id[s][1] == a);
  }
  for (std::size_t s = 0; s < stored.size(); ++s) CHECK(tracks.id[s][3] == b);
  CHECK(tracks.id[2][0] == -1);      // no cluster stays no cluster
  CHECK(tracks.id[4][5] == b);       // a newcomer takes the cluster's number
  CHECK(tracks.id[5][2] == b);       // the larger overlap wins
  CHECK(tracks.colour.size() == 2);  // two clusters ever, so two numbers
  CHECK(tracks.colour[static_cast<std::size_t>(a)] != tracks.colour[static_cast<std::size_t>(b)]);

  // Clusters alive at the same time never share a colour while the palette lasts; one that
  // appears after another has ended may reuse its colour.
  const std::vector<std::vector<int>> many = {
      {1, 1, 2, 2, 3, 3, -1, -1},
      {1, 1, 2, 2, 3, 3, -1, -1},
      {-1, -1, -1, -1, -1, -1, 8, 8},
  };
  const auto t2 = track_clusters(many, 3);
  REQUIRE(t2.colour.size() == 4);
  CHECK(t2.colour[0] != t2.colour[1]);
  CHECK(t2.colour[1] != t2.colour[2]);
  CHECK(t2.colour[0] != t2.colour[2]);
  // The fourth is new (no firm overlap) and alone at month 2: the first colour is free again.
  CHECK(t2.id[2][6] == 3);
  CHECK(t2.colour[3] == 0);
}

TEST_CASE("report: labels replace code names, and 12 variants get 12 looks", "[report]") {
  ResultsFile r;
  for (int k = 0; k < 12; ++k) {
    VariantResults v;
    const std::array<const char*, 12> names = {"baseline", "v1", "v2", "v3", "v4",  "v5",
                                               "v6",       "v7", "v8", "v9", "v10", "v11"};
    v.name = names[static_cast<std::size_t>(k)];
    r.variants.push_back(v);
    ResultsHeader::VariantInfo info;
    info.name = v.name;
    if (k == 3) info.label = "Three & <more>";
    r.header.variants.push_back(info);
  }
  const auto styles = report::detail::variant_styles(r, "baseline");
  REQUIRE(styles.size() == 12);
  std::set<std::pair<std::string, std::string>> looks;
  for (const auto& s : styles) looks.insert({s.colour, s.dash});
  CHECK(looks.size() == 12);
  CHECK(styles[3].label == "Three & <more>");
  CHECK(styles[4].label == "v4");  // no label: the code name
  CHECK(styles[0].baseline);
}

TEST_CASE("report: templates fill marks in one pass and refuse holes", "[report]") {
  using report::page::fill;
  // Escaped value, raw value, comment (with its line end) and text put in is not scanned again.
  CHECK(fill("<p>{{x}}</p>{{{y}}}{{! a comment }}\n{{z}}",
             {{"x", "<a & \"b\">"}, {"y", "<b>{{x}}</b>"}, {"z", "{{y}}"}}) ==
        "<p>&lt;a &amp; &quot;b&quot;&gt;</p><b>{{x}}</b>{{y}}");
  // A file of analysis/templates/, as embedded.
  const std::string_view script = report::page::file("network.js");
  CHECK(script.find("function klyngeNetworkView(net, root)") != std::string_view::npos);
  CHECK(fill("<script>{{> network.js}}</script>", {}) ==
        "<script>" + std::string(script) + "</script>");
  // Holes: a mark without a value, a value without a mark, an unclosed mark, a missing file.
  CHECK_THROWS_AS(fill("{{x}}", {}), std::logic_error);
  CHECK_THROWS_AS(fill("{{x}}", {{"x", "1"}, {"y", "2"}}), std::logic_error);
  CHECK_THROWS_AS(fill("{{x", {{"x", "1"}}), std::logic_error);
  CHECK_THROWS_AS(report::page::file("missing.js"), std::logic_error);
}

TEST_CASE("report: the page has every template part and no mark left", "[report]") {
  const std::string& page = workshop_page();
  CHECK(page.find("{{") == std::string::npos);
  for (const char* part :
       {"network.css", "report.css", "error-catcher.js", "network.js", "report.js"}) {
    INFO(part);
    CHECK(page.find(std::string(report::page::file(part))) != std::string::npos);
  }
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  REQUIRE(page.size() > 10);
  CHECK(page.substr(page.size() - 8) == "</html>\n");
}
