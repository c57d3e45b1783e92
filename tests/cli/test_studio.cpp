// `klynge studio` (sim/cli/studio/studio.hpp) without a browser: file-name and request checks, the
// loader's messages for invalid edits, runs reaching every replicate, stale runs cancelled, saves
// confined to the scenario's folder; the network panel's JSON (GET /api/network); and the demo's
// written copy, whose comments must be true. tests/python/test_studio_browser.py drives the page
// itself.
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/cli/cli.hpp"
#include "sim/cli/studio/studio.hpp"
#include "sim/cli/workshop_demo.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/run/simulation.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace studio = klynge::cli::studio;
namespace demo = klynge::cli::demo;
using namespace klynge;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A copy of the workshop scenario and its data in `dir`; returns the scenario's path.
std::string workshop_copy(const testing::TempDir& dir) {
  const fs::path source = fs::path(KLYNGE_SOURCE_DIR) / "scenarios";
  fs::copy(source / "data", dir.path / "data", fs::copy_options::recursive);
  fs::copy_file(source / "midtjylland.yaml", dir.path / "midtjylland.yaml");
  return dir.file("midtjylland.yaml");
}

// Waits until the status JSON contains `text` (or fails after 120 s).
std::string wait_for(studio::Session& session, const std::string& text) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (;;) {
    std::string status = session.status_json();
    if (status.find(text) != std::string::npos) return status;
    if (std::chrono::steady_clock::now() > until) FAIL("no '" << text << "' in " << status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

using testing::CliResult;
using testing::run_cli;

}  // namespace

TEST_CASE("studio: bad options are usage errors (exit 2) before anything is served", "[studio]") {
  CHECK(run_cli({"studio", "x.yaml", "--port", "70000"}).code == 2);
  CHECK(run_cli({"studio", "x.yaml", "--port", "-1"}).code == 2);
  CHECK(run_cli({"studio", "x.yaml", "--replicates", "1"}).code == 2);
  CHECK(run_cli({"studio", "x.yaml", "--replicates", "1001"}).code == 2);
  const CliResult host = run_cli({"studio", "x.yaml", "--host", "example.org"});
  CHECK(host.code == 2);
  CHECK(host.err.find("expected an IP address") != std::string::npos);
  // Not loopback: a warning, then (here) the missing scenario, exit 2 with the loader's message.
  testing::TempDir dir("klynge-studio");
  const std::string missing = dir.file("missing.yaml");
  const CliResult open = run_cli({"studio", missing.c_str(), "--host", "0.0.0.0"});
  CHECK(open.code == 2);
  CHECK(open.err.find("warning: --host 0.0.0.0 is not a loopback address") != std::string::npos);
  CHECK(open.err.find("missing.yaml") != std::string::npos);
}

TEST_CASE("studio: save names are plain file names in the scenario's folder", "[studio]") {
  CHECK(studio::check_file_name("workshop.yaml", ".yaml").empty());
  CHECK(studio::check_file_name("room-2_v3.yaml", ".yaml").empty());
  CHECK(studio::check_file_name("report.html", ".html").empty());
  for (const char* bad : {"", "../x.yaml", "/tmp/x.yaml", "sub/x.yaml", "a\\b.yaml", "..yaml",
                          ".hidden.yaml", "x.yml", "x.yaml.sh", "x y.yaml", ".yaml", "~x.yaml"})
    CHECK_FALSE(studio::check_file_name(bad, ".yaml").empty());
  CHECK_FALSE(studio::check_file_name(std::string(100, 'a') + ".yaml", ".yaml").empty());
}

TEST_CASE("studio: requests are JSON of a bounded shape", "[studio]") {
  const studio::Programme p = studio::parse_programme(
      R"({"variant": "full_programme", "horizon": "24", "label": "x", "activities": [)"
      R"({"id": "matchmaking", "on": "false"}, {"id": "meetings", "at": "3, 6", "intensity": 5}]})");
  CHECK(p.variant == "full_programme");
  CHECK(p.horizon == "24");
  REQUIRE(p.activities.size() == 2);
  CHECK_FALSE(p.activities[0].on);
  CHECK(p.activities[1].on);
  CHECK(p.activities[1].at == "3, 6");
  CHECK(p.activities[1].intensity == "5");

  CHECK_THROWS_AS(studio::parse_programme("not json"), InputError);
  CHECK_THROWS_AS(studio::parse_programme(R"({"horizon": {"a": 1}})"), InputError);
  CHECK_THROWS_AS(studio::parse_programme(R"({"activities": [{"id": "a", "on": "maybe"}]})"),
                  InputError);
  CHECK_THROWS_AS(studio::parse_programme(R"({"activities": {"a": {"id": "x"}}})"), InputError);
  CHECK_THROWS_AS(studio::parse_programme(R"({"horizon": ")" +
                                          std::string(studio::kMaxValueChars + 1, '1') + R"("})"),
                  InputError);
  std::string many = R"({"activities": [)";
  for (std::size_t i = 0; i <= studio::kMaxActivities; ++i) many += (i ? ",{}" : "{}");
  CHECK_THROWS_AS(studio::parse_programme(many + "]}"), InputError);
  CHECK_THROWS_AS(studio::parse_programme(std::string(studio::kMaxBodyBytes + 1, ' ')), InputError);
}

TEST_CASE("studio: an invalid edit gets the scenario loader's message", "[studio]") {
  testing::TempDir dir("klynge-studio");
  studio::Session session(workshop_copy(dir), 4, 2);
  studio::Programme p;
  p.variant = "full_programme";
  p.activities.push_back({"matchmaking", true, "", "99", "", "", ""});
  try {
    session.scenario_yaml(p, "edited", false);
    FAIL("accepted end: 99 with a horizon of 36");
  } catch (const InputError& e) {
    CHECK(e.key() == "variants.edited.interventions[3].end");
    CHECK(std::string(e.what()).find("midtjylland.yaml (as edited in the page):") == 0);
    CHECK(std::string(e.what()).find("expected a step from 0 to 35") != std::string::npos);
  }
  p.activities[0] = {"matchmaking", true, "", "", "", "", "lots"};
  CHECK_THROWS_WITH(session.scenario_yaml(p, "edited", false),
                    Catch::Contains("introductions_per_month: expected"));
  p.activities[0] = {"no_such_activity", false, "", "", "", "", ""};
  CHECK_THROWS_AS(session.scenario_yaml(p, "edited", false), InputError);
  p.activities.clear();
  p.variant = "nope";
  CHECK_THROWS_WITH(session.scenario_yaml(p, "edited", false), Catch::Contains("expected one of"));
  // A value is a YAML scalar, never structure: this is one (invalid) number.
  p.variant = "full_programme";
  p.horizon = "12}\nvariants: {x: {}";
  CHECK_THROWS_AS(session.scenario_yaml(p, "edited", false), InputError);
}

TEST_CASE("studio: an unedited programme is its base variant, settings and all", "[studio]") {
  testing::TempDir dir("klynge-studio");
  const std::string path = workshop_copy(dir);
  {
    std::string text = slurp(path);
    const std::string own =
        "  strong_staff:\n    facilitators: {competence: 0.8}\n"
        "    parameters: {encounter_rate: 0.2}\n    budget_dkk: 2500000\n";
    text.replace(text.find("variants:\n"), 10, "variants:\n" + own);
    std::ofstream(path, std::ios::trunc) << text;
  }
  studio::Session session(path, 4, 1);
  studio::Programme p;
  p.variant = "strong_staff";
  const Scenario edited = parse_scenario(session.scenario_yaml(p, "same", false), "x", dir.path);
  const Scenario original = load_scenario(path);
  const FirmIdMapper same = [](const std::string& id) { return id; };
  std::string a = resolved_variant_yaml(edited, *edited.find_variant("same"), same);
  std::string b = resolved_variant_yaml(original, *original.find_variant("strong_staff"), same);
  // The same but for the name (and the studio's replicate count).
  a = a.substr(a.find('\n'));
  b = b.substr(b.find('\n'));
  a.replace(a.find("replicates: 4\n"), 14, "replicates: 200\n");
  a.replace(a.find("same: {}"), 8, "strong_staff: {}");
  CHECK(a == b);
  CHECK(a.find("competence: 0.8") != std::string::npos);
  CHECK(a.find("encounter_rate: 0.2") != std::string::npos);
}

TEST_CASE("studio: a run reaches every replicate and a newer edit cancels a stale one",
          "[studio]") {
  testing::TempDir dir("klynge-studio");
  const std::string scenario = workshop_copy(dir);
  {
    studio::Session session(scenario, 6, 2);
    studio::Programme p;
    p.variant = "full_programme";
    p.label = "no matchmaking";
    p.activities.push_back({"matchmaking", false, "", "", "", "", ""});
    CHECK(session.submit(p) == 1);
    const std::string status = wait_for(session, "\"state\": \"done\"");
    CHECK(status.find("\"pairs\": 6") != std::string::npos);
    CHECK(status.find("\"participant_revenue_growth\": {") != std::string::npos);
    CHECK(status.find("\"name\": \"no_matchmaking\"") != std::string::npos);
  }
  {
    studio::Session session(scenario, 400, 2);  // long enough to be overtaken
    studio::Programme stale;
    stale.variant = "full_programme";
    stale.label = "stale";
    session.submit(stale);
    wait_for(session, "\"state\": \"running\"");
    studio::Programme fresh = stale;
    fresh.label = "fresh";
    fresh.horizon = "20";
    fresh.activities = {{"cluster_strategy", false, "", "", "", "", ""}};
    session.submit(fresh);
    const std::string status = wait_for(session, "\"state\": \"done\"");
    CHECK(status.find("\"label\": \"fresh\"") != std::string::npos);
    CHECK(status.find("\"label\": \"stale\"") == std::string::npos);  // cancelled, not ranked
  }
}

TEST_CASE("studio: the network panel is the edited programme's replicate 0, as JSON", "[studio]") {
  namespace pt = boost::property_tree;
  testing::TempDir dir("klynge-studio");
  const std::string scenario = workshop_copy(dir);
  studio::Session session(scenario, 4, 2);
  const auto parse = [](const std::string& text) {
    pt::ptree tree;
    std::istringstream in(text);
    pt::read_json(in, tree);
    return tree;
  };
  // Nothing has run yet.
  pt::ptree none = parse(session.network_json());
  CHECK(none.get<std::string>("state") == "none");
  CHECK(none.get<std::string>("id") == "null");

  studio::Programme p;
  p.variant = "full_programme";
  p.label = "no matchmaking";
  p.activities.push_back({"matchmaking", false, "", "", "", "", ""});
  REQUIRE(session.submit(p) == 1);
  const std::string status = wait_for(session, "\"state\": \"done\"");
  CHECK(status.find("\"network\": \"ready\"") != std::string::npos);
  const std::string text = session.network_json();
  CHECK(text.size() < studio::kMaxNetworkBytes);
  const pt::ptree answer = parse(text);
  CHECK(answer.get<int>("id") == 1);
  CHECK(answer.get<std::string>("state") == "ready");
  CHECK(answer.get<std::string>("name") == "no_matchmaking");
  CHECK(answer.get<std::string>("label") == "no matchmaking");
  CHECK(answer.get<int>("replicate") == 0);
  CHECK(answer.get<int>("replicates") == 4);
  const int horizon = answer.get<int>("horizon");
  CHECK(horizon == 36);

  // The report's network JSON (report_network.cpp) for this one variant.
  const pt::ptree& net = answer.get_child("network");
  const Inputs inputs = load_inputs(scenario);
  const std::size_t firms = inputs.population.firms.size();
  CHECK(net.get<int>("horizon") == horizon);
  CHECK(net.get<int>("replicates") == 4);
  CHECK(net.get_child("firms").size() == firms);
  for (const auto& [key, firm] : net.get_child("firms")) {
    CHECK(key.empty());
    CHECK(!firm.get<std::string>("id").empty());
    CHECK(firm.get<double>("x") >= 0);
    CHECK(firm.get<double>("fy") >= 0);
  }
  const std::size_t colours = net.get_child("clusterColours").size();
  CHECK(colours == 9);
  REQUIRE(net.get_child("variants").size() == 1);
  const pt::ptree& v = net.get_child("variants").get_child("no_matchmaking");
  CHECK(v.get<std::string>("label") == "no matchmaking");
  CHECK(v.get<int>("replicate") == 0);
  const auto steps = static_cast<std::size_t>(horizon) + 1;
  REQUIRE(v.get_child("revenue").size() == steps);
  REQUIRE(v.get_child("cluster").size() == steps);
  REQUIRE(v.get_child("ties").size() == steps);
  for (const auto& [key, row] : v.get_child("cluster")) CHECK(row.size() == firms);
  for (const auto& [key, c] : v.get_child("clusterColour"))
    CHECK(c.get_value<std::size_t>() < colours);
  for (const auto& [key, label] : answer.get_child("labels"))
    CHECK(!label.get<std::string>("name").empty());

  // The ties are those of the programme's replicate 0 run on its own with detail outputs: the
  // scenario the session ran, variant 1 (the baseline is 0).
  Inputs own = assemble_inputs(parse_scenario(session.scenario_yaml(p, "no_matchmaking", false),
                                              scenario, dir.path.string()),
                               inputs.population);
  Simulation simulation(own, 1, 0, true);
  const ReplicateOutput out = simulation.run();
  std::vector<std::size_t> per_step(steps, 0);
  for (const auto& tie : out.ties) ++per_step[static_cast<std::size_t>(tie.step)];
  std::size_t s = 0, total = 0;
  for (const auto& [key, row] : v.get_child("ties")) {
    REQUIRE(row.size() % 4 == 0);
    CHECK(row.size() / 4 == per_step[s]);
    std::size_t k = 0;
    for (const auto& [unused, value] : row)
      if (k++ % 4 < 2) CHECK(value.get_value<std::size_t>() < firms);
    total += row.size() / 4;
    ++s;
  }
  CHECK(total > 0);

  // A newer run: its panel is pending until its replicate 0 has finished; the old one is freed.
  p.label = "again";
  REQUIRE(session.submit(p) == 2);
  const pt::ptree next = parse(session.network_json());
  CHECK(next.get<int>("id") == 2);
  CHECK(next.get_child_optional("network").has_value() ==
        (next.get<std::string>("state") == "ready"));
  wait_for(session,
           "\"label\": \"again\", \"name\": \"again\", \"base\": \"full_programme\", \"state\": "
           "\"done\"");
  CHECK(parse(session.network_json()).get<std::string>("state") == "ready");
}

TEST_CASE("studio: save scenario writes only a plain name in the folder", "[studio]") {
  testing::TempDir dir("klynge-studio");
  const std::string scenario = workshop_copy(dir);
  studio::Session session(scenario, 4, 1);
  studio::Programme p;
  p.variant = "full_plus_training";
  p.label = "room idea";
  p.activities.push_back({"matchmaking", false, "", "", "", "", ""});
  CHECK_THROWS_AS(session.save_scenario(p, "../outside.yaml", false), UsageError);
  CHECK_FALSE(fs::exists(dir.path.parent_path() / "outside.yaml"));
  CHECK_THROWS_AS(session.save_scenario(p, "midtjylland.yaml", true), UsageError);
  CHECK_THROWS_AS(session.save_report("../r.html", false, nullptr), UsageError);

  const std::string path = session.save_scenario(p, "idea.yaml", false);
  CHECK(path == dir.file("idea.yaml"));
  CHECK_THROWS_AS(session.save_scenario(p, "idea.yaml", false), UsageError);  // exists
  const Scenario saved = load_scenario(path);
  REQUIRE(saved.find_variant("room_idea"));
  CHECK(saved.find_variant("full_programme"));  // the scenario's variants stay
  CHECK(saved.replicates == 4);
  for (const auto& a : saved.find_variant("room_idea")->interventions) CHECK(a.id != "matchmaking");
  CHECK(saved.find_variant("room_idea")->interventions.size() ==
        saved.find_variant("full_plus_training")->interventions.size() - 1);
}

TEST_CASE("demo: the written copy's comments are true of the copy", "[studio][demo]") {
  const auto files = demo::builtin_files();
  REQUIRE_FALSE(files.empty());
  const std::string copy = demo::copy_text(files.front());
  CHECK(copy.find("scenarios/midtjylland.yaml") == std::string::npos);
  CHECK(copy.find("replicates: 200") == std::string::npos);
  CHECK(copy.find("klynge run midtjylland.yaml") != std::string::npos);
  CHECK(copy.find("klynge studio midtjylland.yaml") != std::string::npos);
  testing::TempDir dir("klynge-studio");
  const std::string path = demo::write_scenario(dir.path.string(), false);
  CHECK(slurp(path) == copy);
  CHECK(load_scenario(path).replicates == demo::kDefaultReplicates);
  for (std::size_t i = 1; i < files.size(); ++i) CHECK(demo::copy_text(files[i]) == files[i].text);
}
