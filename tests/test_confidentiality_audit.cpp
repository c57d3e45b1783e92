// Confidentiality audit (issue 14, deliver 6): no firm name, firm id or exact coordinate from the
// interview files appears in any output (the HDF5 file's bytes, the HTML report, compare's table,
// CSV and JSON, the terminal output of run, inspect and compare) unless --reveal-names. The
// scenario used mentions firms in its description, its comments and an explicit target, as a
// planner would (defect 6: those were stored verbatim).
#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli/cli.hpp"
#include "sim/io/csv.hpp"
#include "sim/io/results_reader.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/temp_dir.hpp"

using klynge::testing::TempDir;

namespace {

using klynge::testing::run_cli;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

const std::string kData = KLYNGE_SOURCE_DIR "/scenarios/data/";

// What the interview files hold that must not come out: ids and names as text, coordinates as
// text (both decimal marks) and as the bytes of a double and of a float.
struct Secrets {
  std::vector<std::string> text;   // searched in every output
  std::vector<std::string> bytes;  // searched in binary outputs (HDF5) besides `text`
  std::vector<std::string> ids, names;
};

Secrets interview_secrets() {
  const auto table = klynge::csv::parse(read(kData + "midtjylland_firms.csv"), "firms.csv");
  Secrets s;
  const int id = table.column("firm_id"), name = table.column("name");
  const int lat = table.column("lat"), lon = table.column("lon");
  for (const auto& row : table.rows) {
    const std::string firm_id(klynge::csv::trim(row.fields[id].text));
    const std::string firm_name(klynge::csv::trim(row.fields[name].text));
    s.ids.push_back(firm_id);
    s.names.push_back(firm_name);  // row-aligned with ids (pseudonyms F001... in row order)
    s.text.push_back(firm_id);
    if (!firm_name.empty()) s.text.push_back(firm_name);
    for (const int c : {lat, lon}) {
      std::string written(klynge::csv::trim(row.fields[c].text));
      if (written.empty()) continue;
      s.text.push_back(written);  // "56,1560" as written
      std::string dotted = written;
      for (char& ch : dotted)
        if (ch == ',') ch = '.';
      while (dotted.back() == '0') dotted.pop_back();
      s.text.push_back(dotted);  // "56.156" as a program would print it
      const double value = std::stod(dotted);
      const float single = static_cast<float>(value);
      s.bytes.emplace_back(reinterpret_cast<const char*>(&value), sizeof value);
      s.bytes.emplace_back(reinterpret_cast<const char*>(&single), sizeof single);
    }
  }
  REQUIRE(s.ids.size() >= 30);
  for (int i = 0; i < 5; ++i) REQUIRE(s.names[static_cast<std::size_t>(i)].size() >= 4);
  REQUIRE(s.bytes.size() >= 4);
  return s;
}

// The workshop scenario with firms named in free text and targets, data paths absolute.
std::string audit_scenario(const TempDir& dir, const Secrets& s) {
  std::string text = read(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  for (const char* file :
       {"midtjylland_firms.csv", "midtjylland_relations.csv", "midtjylland_catalogue.yaml"}) {
    const std::string relative = std::string("data/") + file;
    text.replace(text.find(relative), relative.size(), kData + file);
  }
  // Description and a comment naming firms (full name, name without its legal form, id, and an
  // id in a different case); a target naming one by id.
  std::string short_name = s.names[1];
  for (const char* form : {" ApS", " A/S"})
    if (short_name.ends_with(form)) short_name.resize(short_name.size() - std::strlen(form));
  std::ostringstream description;  // (not operator+: GCC 12 warns falsely, -Wrestrict)
  description << "description: \"Pilot with " << s.names[0] << ", " << short_name << " and firm "
              << s.ids[2] << "\"\n# Ask " << s.names[3] << " (" << s.ids[3] << ") first.\n";
  const auto from = text.find("description:"), to = text.find("seed:");
  text.replace(from, to - from, description.str());
  std::ostringstream targeted;
  targeted << "variants:\n  targeted:\n    add_interventions:\n      - {id: visit, type: "
              "network_meeting, at: [3], target: {firms: ["
           << s.ids[4] << "]}}  # " << s.names[4] << "\n";
  text.replace(text.find("variants:\n"), std::strlen("variants:\n"), targeted.str());
  const std::string path = dir.file("audit.yaml");
  write(path, text);
  return path;
}

// Every secret found in `output`, by what it is.
// A number (a coordinate) counts only as a whole number: "56.41" leaks in "lat 56.41," or
// "56.4100" but not in "156.413", a figure that merely contains its digits.
bool occurs(const std::string& output, const std::string& secret) {
  const bool numeric = !secret.empty() && std::isdigit(static_cast<unsigned char>(secret[0]));
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  for (auto at = output.find(secret); at != std::string::npos; at = output.find(secret, at + 1)) {
    if (!numeric) return true;
    if (at > 0 && (digit(output[at - 1]) || output[at - 1] == '.')) continue;
    auto end = at + secret.size();
    while (end < output.size() && output[end] == '0') ++end;
    if (end < output.size() && digit(output[end])) continue;
    return true;
  }
  return false;
}

std::vector<std::string> leaks(const std::string& output, const Secrets& s, bool binary) {
  std::vector<std::string> found;
  for (const auto& secret : s.text)
    if (occurs(output, secret)) found.push_back(secret);
  if (binary)
    for (std::size_t i = 0; i < s.bytes.size(); ++i)
      if (output.find(s.bytes[i]) != std::string::npos)
        found.push_back("coordinate bytes #" + std::to_string(i));
  return found;
}

}  // namespace

TEST_CASE("confidentiality audit: no interview name, id or exact coordinate in any output",
          "[confidentiality][defect6]") {
  const Secrets secrets = interview_secrets();
  TempDir dir;
  const std::string scenario = audit_scenario(dir, secrets);
  const std::string results = dir.file("audit.h5");
  const auto run = run_cli({"run", scenario, "-o", results, "--quiet", "--replicates", "3"});
  INFO(run.err);
  REQUIRE(run.code == 0);

  struct Output {
    std::string what, text;
    bool binary;
  };
  std::vector<Output> outputs = {{"run's terminal output", run.out + run.err, false},
                                 {"the HDF5 file", read(results), true}};
  const auto inspect = run_cli({"inspect", results});
  REQUIRE(inspect.code == 0);
  outputs.push_back({"inspect", inspect.out + inspect.err, false});
  for (const char* format : {"table", "csv", "json"}) {
    const auto compare = run_cli({"compare", results, "--format", format});
    REQUIRE(compare.code == 0);
    outputs.push_back(
        {std::string("compare --format ") + format, compare.out + compare.err, false});
  }
  const std::string report = dir.file("report.html");
  const auto report_run = run_cli({"report", results, "-o", report});
  REQUIRE(report_run.code == 0);
  outputs.push_back({"report's terminal output", report_run.out + report_run.err, false});
  outputs.push_back({"the HTML report", read(report), false});

  for (const auto& output : outputs) {
    INFO(output.what);
    std::string found;
    for (const auto& leak : leaks(output.text, secrets, output.binary)) found += "[" + leak + "] ";
    INFO("leaked: " << found);
    CHECK(found.empty());
  }

  // The stored texts agree: the description's firms became pseudonyms in the scenario text AND
  // the resolved configuration (one held an id the other had replaced).
  const klynge::ResultsFile file = klynge::read_results(results);
  CHECK(file.header.scenario_text.find("Pilot with F001, F002 and firm F003") != std::string::npos);
  CHECK(file.header.resolved_configuration.find("Pilot with F001, F002 and firm F003") !=
        std::string::npos);
  CHECK(file.header.scenario_text.find("# Ask F004 (F004) first.") != std::string::npos);
  CHECK(file.header.scenario_text.find("firms: [F005]}}  # F005") != std::string::npos);

  // The audit can fail: with --reveal-names the same outputs carry the names.
  const std::string revealed = dir.file("revealed.h5");
  REQUIRE(
      run_cli({"run", scenario, "-o", revealed, "--quiet", "--replicates", "2", "--reveal-names"})
          .code == 0);
  CHECK_FALSE(leaks(read(revealed), secrets, true).empty());
}

TEST_CASE("confidentiality: a numeric firm id does not rewrite unrelated numbers",
          "[confidentiality][defect6]") {
  // Firm ids "36" and "3": `horizon: 36` and `at: [3]` stay as written; the id in a comment and
  // in a target is pseudonymised.
  TempDir dir;
  std::istringstream lines(read(kData + "midtjylland_firms.csv"));
  std::ostringstream firms;
  int row = 0;
  for (std::string line; std::getline(lines, line); ++row) {
    if (row == 1 || row == 2) line = (row == 1 ? "36" : "3") + line.substr(line.find(';'));
    firms << line << "\n";
  }
  write(dir.file("firms.csv"), firms.str());
  const std::string scenario = dir.file("s.yaml");
  write(scenario,
        "schema_version: 1\nname: numeric ids\nhorizon: 36  # firm 36 asked for 36 months\n"
        "replicates: 2\npopulation: {firms: firms.csv}\ncatalogue: " +
            kData +
            "midtjylland_catalogue.yaml\ninterventions:\n"
            "  - {id: m, type: network_meeting, at: [3], target: {firms: [36, 3]}}\n");
  const std::string results = dir.file("n.h5");
  const auto run = run_cli({"run", scenario, "-o", results, "--quiet"});
  INFO(run.err);
  REQUIRE(run.code == 0);
  const klynge::ResultsFile file = klynge::read_results(results);
  const std::string& text = file.header.scenario_text;
  INFO(text);
  CHECK(text.find("horizon: 36  # firm F001 asked for F001 months") != std::string::npos);
  CHECK(text.find("at: [3], target: {firms: [F001, F002]}") != std::string::npos);
  CHECK(file.header.resolved_configuration.find("horizon: 36") != std::string::npos);
}
