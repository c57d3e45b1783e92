// The HTML report (analysis/report.hpp) and the built-in demo (analysis/demo.hpp): the page is
// self-contained, has its sections, shows pseudonyms only and embeds its data safely; the ranking's
// arithmetic; the demo's embedded scenario and its files. tests/python/test_report_browser.py
// checks that the page renders in headless Chromium.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/demo.hpp"
#include "analysis/report.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/metrics.hpp"
#include "sim/io/inputs.hpp"
#include "sim/io/interview_csv.hpp"
#include "sim/io/results_reader.hpp"
#include "sim/run/runner.hpp"

namespace fs = std::filesystem;
namespace report = klynge::analysis::report;
namespace demo = klynge::analysis::demo;
using namespace klynge;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() /
           ("klynge-report-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path / name).string(); }
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
// horizon (100 at step 0), cost and partner ties fixed per variant.
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
      at(rep, 1, Metric::cost_dkk_cumulative) = 1e6 * static_cast<double>(v);
      at(rep, 1, Metric::ties_partner) = 10.0 * static_cast<double>(v);
      at(rep, 0, Metric::clusters) = std::nan("");
    }
    r.header.variants.push_back({names[v], "", {}, {}});
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

TEST_CASE("report: the ranking pairs replicates against the baseline", "[report]") {
  // Growth per replicate: baseline 10, 20, 30 %; better 15, 27, 33 % -> differences 5, 7, 3.
  const ResultsFile r = tiny_results({{110, 120, 130}, {115, 127, 133}}, {"baseline", "better"});
  const report::Ranking ranking = report::compute_ranking(r);
  REQUIRE(ranking.rows.size() == 2);
  CHECK(ranking.baseline == "baseline");
  const report::RankingRow& best = ranking.rows[0];
  CHECK(best.variant == "better");
  CHECK_FALSE(best.baseline);
  CHECK(best.pairs == 3);
  CHECK(best.growth_pct == Approx(25.0));
  CHECK(best.effect_pp == Approx(5.0));
  const double half = 1.959963984540054 * 2.0 / std::sqrt(3.0);  // sd of {5, 7, 3} is 2
  CHECK(best.effect_lo == Approx(5.0 - half));
  CHECK(best.effect_hi == Approx(5.0 + half));
  CHECK(best.added_revenue_mdkk == Approx(5.0));
  CHECK(best.cost_mdkk == Approx(1.0));
  CHECK(best.partner_ties == Approx(10.0));
  CHECK(best.revenue_per_dkk == Approx(5.0));  // 5 mDKK/year per 1 M DKK
  const report::RankingRow& base = ranking.rows[1];
  CHECK(base.baseline);
  CHECK(base.effect_pp == 0.0);
  CHECK(std::isnan(base.effect_lo));
  CHECK(std::isnan(base.revenue_per_dkk));

  const std::string text = report::format_ranking(ranking);
  CHECK(text.find("better") != std::string::npos);
  CHECK(text.find("+5.0") != std::string::npos);
  CHECK(text.find("reference") != std::string::npos);
}

TEST_CASE("report: a worse variant ranks below the baseline; unfinished replicates are left out",
          "[report]") {
  // Growth: a 0, 5, 20; baseline 5, 10, 25; c 20, 30 (and an unfinished replicate).
  ResultsFile r =
      tiny_results({{100, 105, 120}, {105, 110, 125}, {120, 130, 140}}, {"a", "baseline", "c"});
  r.variants[2].completed[2] = 0;  // replicate 2 of c never finished
  const report::Ranking ranking = report::compute_ranking(r);
  REQUIRE(ranking.rows.size() == 3);
  CHECK(ranking.baseline == "baseline");  // by name, not position
  CHECK(ranking.rows[0].variant == "c");
  CHECK(ranking.rows[0].pairs == 2);
  CHECK(ranking.rows[0].effect_pp == Approx(17.5));
  CHECK(ranking.rows[1].variant == "baseline");
  CHECK(ranking.rows[2].variant == "a");
  CHECK(ranking.rows[2].effect_pp == Approx(-5.0));
  CHECK(ranking.rows[2].effect_lo == Approx(-5.0));  // no spread: a zero-width interval

  CHECK_FALSE(ranking.rows[0].tied_with_next);
  CHECK_FALSE(ranking.rows[1].tied_with_next);
  CHECK_FALSE(ranking.rows[2].tied_with_next);  // the last row has no next

  // Noise without a consistent difference: the order of the two is not established.
  const ResultsFile noisy = tiny_results({{110, 130, 120}, {120, 110, 131}}, {"baseline", "n"});
  const report::Ranking noisy_ranking = report::compute_ranking(noisy);
  CHECK(noisy_ranking.rows[0].tied_with_next);
  CHECK(report::format_ranking(noisy_ranking).find("not told apart") != std::string::npos);

  CHECK(report::compute_ranking(r, "a").baseline == "a");
  CHECK_THROWS_AS(report::compute_ranking(r, "nonexistent"), UsageError);
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
  CHECK_FALSE(fs::exists(out + ".tmp"));
  CHECK_THROWS_AS(
      report::write(workshop_results(false), dir.file("missing/dir/r.html"), report::Options{}),
      InputError);
  CHECK_THROWS_AS(report::render(dir.file("nothing.h5"), report::Options{}), InputError);
}

TEST_CASE("demo: the workshop scenario is built in, byte for byte", "[report][demo]") {
  const auto files = demo::builtin_files();
  REQUIRE(files.size() == 4);  // fails when cmake/embed.cmake is not applied (EMBED_INSTRUCTIONS)
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

  // An edited scenario is not overwritten unless --force.
  {
    std::ofstream edit(dir.file("demo/scenario/midtjylland.yaml"), std::ios::app);
    edit << "# my edit\n";
  }
  CHECK_THROWS_AS(demo::run(options, out2, err2, nullptr), UsageError);
  CHECK(slurp(dir.file("demo/scenario/midtjylland.yaml")).find("# my edit") != std::string::npos);
  options.force = true;
  CHECK(demo::run(options, out2, err2, nullptr).complete);
  CHECK(slurp(dir.file("demo/scenario/midtjylland.yaml")).find("# my edit") == std::string::npos);

  options.replicates = 1;
  CHECK_THROWS_AS(demo::run(options, out2, err2, nullptr), UsageError);
}
