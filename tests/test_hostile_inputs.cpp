// Issue 14, input side: files and options an attacker or a clumsy user passes. Each case is a
// regression test of a defect found by fuzzing `validate`/`run`: every one is an exit-2 message
// (naming the file and what was expected) or, for the model, an exit-1 message; never a hang,
// an unbounded allocation, exit 1 for bad input, or raw control characters on the terminal.
#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "models/mechanisms.hpp"
#include "sim/cli/cli.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/terminal_text.hpp"
#include "sim/io/input_file.hpp"
#include "sim/io/inputs.hpp"
#include "sim/io/interview_csv.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/run/simulation.hpp"
#include "tests/models/small_world.hpp"
#include "tests/support/temp_dir.hpp"

using klynge::cli::klynge_main;
using klynge::testing::TempDir;
namespace fs = std::filesystem;

namespace {

struct CliResult {
  int code;
  std::string out, err;
};

CliResult run_cli_raw(std::vector<const char*> args) {
  args.insert(args.begin(), "klynge");
  std::ostringstream out, err;
  const int code = klynge_main(static_cast<int>(args.size()), args.data(), {out, err});
  return {code, out.str(), err.str()};
}

CliResult run_cli(const std::vector<std::string>& args) {
  std::vector<const char*> pointers;
  for (const auto& a : args) pointers.push_back(a.c_str());
  return run_cli_raw(pointers);
}

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::string kData = KLYNGE_SOURCE_DIR "/scenarios/data/";

// A copy of the workshop scenario in `dir`, its data paths absolute, with `replace` -> `with`
// applied to the scenario text.
std::string workshop_copy(const TempDir& dir, const std::string& replace = "",
                          const std::string& with = "", const std::string& name = "s.yaml") {
  std::string text = read(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  for (const char* file :
       {"midtjylland_firms.csv", "midtjylland_relations.csv", "midtjylland_catalogue.yaml"}) {
    const std::string relative = std::string("data/") + file;
    text.replace(text.find(relative), relative.size(), kData + file);
  }
  if (!replace.empty()) {
    const auto at = text.find(replace);
    REQUIRE(at != std::string::npos);
    text.replace(at, replace.size(), with);
  }
  const std::string path = dir.file(name);
  write(path, text);
  return path;
}

// The firms CSV with the cell of `column` in the first data row set to `value`.
std::string firms_with(const TempDir& dir, const std::string& column, const std::string& value) {
  std::istringstream in(read(kData + "midtjylland_firms.csv"));
  std::string header, row, rest, line;
  std::getline(in, header);
  std::getline(in, row);
  while (std::getline(in, line)) rest += line + "\n";
  std::vector<std::string> names, cells;
  std::stringstream h(header), r(row);
  for (std::string cell; std::getline(h, cell, ';');) names.push_back(cell);
  for (std::string cell; std::getline(r, cell, ';');) cells.push_back(cell);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == column) cells[i] = value;
  std::string joined;
  for (std::size_t i = 0; i < cells.size(); ++i) joined += (i ? ";" : "") + cells[i];
  const std::string path = dir.file("firms.csv");
  write(path, header + "\n" + joined + "\n" + rest);
  return path;
}

bool has_raw_control(const std::string& text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F) return true;
  }
  return false;
}

}  // namespace

// --- defect 3: revenue 0 hung `run` (NaN employees, boost's Poisson sampler looping) ---------

TEST_CASE("hostile: revenue_mdkk 0 is refused with file, line, column and key",
          "[hostile][defect3]") {
  TempDir dir;
  const std::string firms = firms_with(dir, "revenue_mdkk", "0");
  const std::string scenario = workshop_copy(dir, kData + "midtjylland_firms.csv", firms);
  const auto r = run_cli({"validate", scenario});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matchers::Contains(firms + ":2:7: revenue_mdkk: expected a revenue "
                                                      "in mDKK above 0"));
}

TEST_CASE("hostile: a firm state that becomes NaN stops the run with a ModelError, no hang",
          "[hostile][defect3]") {
  // Bypasses the loader's check: a population whose first firm has no revenue makes its
  // productivity 0 and its employees 0/0 after the first growth phase.
  klynge::Inputs inputs = klynge::load_inputs(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  inputs.population.firms.front().revenue_mdkk = 0;
  klynge::Simulation simulation(inputs, 0, 0, false);
  CHECK_THROWS_AS(simulation.run(), klynge::ModelError);
}

TEST_CASE("hostile: a tie whose trust became NaN stops the run with a ModelError",
          "[hostile][defect3]") {
  const klynge::Inputs inputs =
      klynge::load_inputs(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml");
  klynge::Simulation simulation(inputs, 0, 0, false);
  REQUIRE_FALSE(simulation.world().ties.empty());
  for (auto& tie : simulation.world().ties) tie.trust = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(simulation.run(), klynge::ModelError);
}

TEST_CASE("hostile: a NaN encounter rate is a ModelError, not an endless Poisson draw",
          "[hostile][defect3]") {
  klynge::World w = klynge::small::make_world(6);
  w.employees[2] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(klynge::encounters(w), klynge::ModelError);
}

TEST_CASE("hostile: long phases honour the stop flag", "[hostile][defect3]") {
  klynge::World w = klynge::small::make_world(6);
  std::atomic<bool> stop{true};
  w.parallelism.stop = &stop;
  CHECK_THROWS_AS(klynge::encounters(w), klynge::StopRequested);
  stop = false;
  CHECK_NOTHROW(klynge::encounters(w));
}

// --- defect 4: a file starting with ',' made yaml-cpp 0.7's LoadAll allocate for ever ---------

TEST_CASE("hostile: yaml-cpp's ',' document loop is refused as a syntax error",
          "[hostile][defect4]") {
  TempDir dir;
  for (const std::string text : {",", ",\n", "- a\n,", "{a: 1},", "name: x\n---\n,", "!!str ,",
                                 "# a CSV\nfirm_id,name\n,"}) {
    INFO(text);
    const std::string path = dir.file("comma.yaml");
    write(path, text);
    const auto r = run_cli({"validate", path});
    CHECK(r.code == 2);
    CHECK(r.err.find(path + ":") != std::string::npos);
    // The catalogue file goes through the same loader.
    const std::string scenario = workshop_copy(dir, kData + "midtjylland_catalogue.yaml", path);
    CHECK(run_cli({"validate", scenario}).code == 2);
  }
}

// --- defect 9 / deliver 3: devices, FIFOs, folders and oversized files, refused before reading --

TEST_CASE("hostile: devices, FIFOs, folders and oversized files are refused before reading",
          "[hostile][defect9][defect16]") {
  TempDir dir;
  const std::string fifo = dir.file("fifo.yaml");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  SECTION("as the scenario") {
    for (const std::string& path : {std::string("/dev/zero"), fifo, dir.path.string()}) {
      const auto r = run_cli({"validate", path});
      CHECK(r.code == 2);
      CHECK(r.err.find(path + ": cannot read the scenario file: it is a") != std::string::npos);
    }
  }
  SECTION("as the catalogue") {
    const auto r = run_cli(
        {"validate", workshop_copy(dir, kData + "midtjylland_catalogue.yaml", "/dev/zero")});
    CHECK(r.code == 2);
    CHECK(r.err.find("character device") != std::string::npos);
  }
  SECTION("as the firms file: what it is, not \"no such file\"") {
    const auto zero =
        run_cli({"validate", workshop_copy(dir, kData + "midtjylland_firms.csv", "/dev/zero")});
    CHECK(zero.code == 2);
    CHECK(zero.err.find("population.firms: cannot read the file: it is a character device") !=
          std::string::npos);
    CHECK(zero.err.find("no such file") == std::string::npos);
    const auto folder =
        run_cli({"validate", workshop_copy(dir, kData + "midtjylland_firms.csv", kData)});
    CHECK(folder.code == 2);
    CHECK(folder.err.find("it is a folder") != std::string::npos);
    CHECK(folder.err.find("no such file") == std::string::npos);
  }
  SECTION("over the documented size limits (sparse files: nothing is read)") {
    const std::string yaml = dir.file("big.yaml");
    { std::ofstream(yaml) << "name: x\n"; }
    fs::resize_file(yaml, klynge::kMaxYamlBytes + 1);
    const auto r = run_cli({"validate", yaml});
    CHECK(r.code == 2);
    CHECK(r.err.find("larger than the limit of 1 MiB") != std::string::npos);
    const std::string csv = dir.file("big.csv");
    { std::ofstream(csv) << "firm_id\n"; }
    fs::resize_file(csv, klynge::kMaxCsvBytes + 1);
    const auto c = run_cli({"validate", workshop_copy(dir, kData + "midtjylland_firms.csv", csv)});
    CHECK(c.code == 2);
    CHECK(c.err.find("larger than the limit of 512 MiB") != std::string::npos);
  }
}

// --- defect 11: exit 1 where 2 belongs --------------------------------------------------------

TEST_CASE("hostile: unusable paths are exit 2 with a reason, for the scenario and the data",
          "[hostile][defect11]") {
  TempDir dir;
  const std::string loop = dir.file("loop.csv");
  fs::create_symlink(loop, loop);
  std::string long_path = dir.path.string();
  while (long_path.size() < 5000) long_path += "/aaaaaaaaa";
  for (const auto& [path, says] : {std::pair<std::string, std::string>{loop, "symbolic links"},
                                   {"/proc/self/mem", "Input/output error"},
                                   {long_path, "too long"}}) {
    INFO(says);
    const auto as_scenario = run_cli({"validate", path});
    CHECK(as_scenario.code == 2);
    CHECK(as_scenario.err.find(says) != std::string::npos);
    const auto as_firms =
        run_cli({"validate", workshop_copy(dir, kData + "midtjylland_firms.csv", path)});
    CHECK(as_firms.code == 2);
    CHECK(as_firms.err.find(says) != std::string::npos);
    CHECK(as_firms.err.find("internal error") == std::string::npos);
  }
}

TEST_CASE("hostile: 10^7 synthetic firms is a scenario error, not bad_alloc",
          "[hostile][defect11]") {
  TempDir dir;
  const std::string path = dir.file("big.yaml");
  write(path,
        "schema_version: 1\nname: s\nhorizon: 12\npopulation: {synthetic: {firms: 10000000}}\n");
  const auto r = run_cli({"validate", path});
  CHECK(r.code == 2);
  CHECK(r.err.find(path + ":4:") != std::string::npos);
  CHECK(r.err.find("population.synthetic.firms") != std::string::npos);
}

// --- defects 7 and 15: command-line numbers ---------------------------------------------------

TEST_CASE("hostile: --replicates, --seed and --threads are checked like scenario keys",
          "[hostile][defect7][defect15]") {
  const std::string scenario = KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml";
  TempDir dir;
  const std::string out = dir.file("r.h5");
  for (const auto& [option, value] : {std::pair<std::string, std::string>{"--replicates", "0"},
                                      {"--replicates", "1000001"},
                                      {"--replicates", "400000000"},
                                      {"--replicates", "1000000000"},
                                      {"--replicates", "-1"},
                                      {"--replicates", "1e3"},
                                      {"--seed", "-1"},
                                      {"--seed", "18446744073709551616"},
                                      {"--seed", "12abc"},
                                      {"--threads", "1000000"},
                                      {"--threads", "-2"}}) {
    INFO(option << " " << value);
    const auto r = run_cli({"run", scenario, "-o", out, "--quiet", option, value});
    CHECK(r.code == 2);
    CHECK(r.err.find("error: " + option + ": expected") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
  }
  CHECK(run_cli({"demo", "-o", dir.file("demo"), "--replicates", "1000000000"}).code == 2);
}

TEST_CASE("hostile: --threads above the core count is lowered with a note, no oneTBB warning",
          "[hostile][defect15]") {
  TempDir dir;
  const std::string err = dir.file("err.txt");
  const std::string command = std::string(KLYNGE_BINARY) + " run " + KLYNGE_SOURCE_DIR +
                              "/scenarios/midtjylland.yaml -o " + dir.file("r.h5") +
                              " --quiet --replicates 1 --variant baseline --threads 4096 2> " + err;
  CHECK(std::system(command.c_str()) == 0);
  const std::string text = read(err);
  CHECK(text.find("note: --threads 4096 is more than the") != std::string::npos);
  CHECK(text.find("TBB Warning") == std::string::npos);
}

// --- defect 10: variant names that name folders -----------------------------------------------

TEST_CASE("hostile: a variant named '.' or '..' is refused by validate", "[hostile][defect10]") {
  TempDir dir;
  for (const std::string name : {".", "..", "..."}) {
    INFO(name);
    const auto r = run_cli(
        {"validate", workshop_copy(dir, "variants:\n", "variants:\n  \"" + name + "\": {}\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("not only dots") != std::string::npos);
  }
}

// --- defect 13: control characters reach the terminal raw -------------------------------------

TEST_CASE("hostile: control characters from input are escaped on the terminal",
          "[hostile][defect13]") {
  TempDir dir;
  const std::string scenario =
      workshop_copy(dir, "name: ", "name: \"evil\\e[2J\\a\\rname\\x9b\" # ", "evil.yaml");
  const auto v = run_cli({"validate", scenario});
  REQUIRE(v.code == 0);
  CHECK_FALSE(has_raw_control(v.out + v.err));
  CHECK(v.out.find("evil\\x1B[2J\\x07\\rname\\xC2\\x9B") != std::string::npos);

  const std::string results = dir.file("evil.h5");
  const auto r = run_cli({"run", scenario, "-o", results, "--quiet", "--replicates", "2"});
  REQUIRE(r.code == 0);
  const auto inspect = run_cli({"inspect", results});
  CHECK(inspect.code == 0);
  CHECK_FALSE(has_raw_control(inspect.out + inspect.err));
  CHECK(inspect.out.find("evil\\x1B[2J") != std::string::npos);
  const auto compare = run_cli({"compare", results});
  CHECK(compare.code == 0);
  CHECK_FALSE(has_raw_control(compare.out + compare.err));
  // Error messages too: a key with a control character.
  const std::string bad = dir.file("bad.yaml");
  write(bad, "name: x\n\"ho\\erizon\": 3\n");
  const auto e = run_cli({"validate", bad});
  CHECK(e.code == 2);
  CHECK_FALSE(has_raw_control(e.err));
}

TEST_CASE("hostile: the escaping buffer keeps text and escapes only controls", "[hostile]") {
  CHECK(klynge::escape_controls("Århus ok\n\ttab") == "Århus ok\n\ttab");
  CHECK(klynge::escape_controls("a\x1b[31mb\a\r\x7f") == "a\\x1B[31mb\\x07\\r\\x7F");
  CHECK(klynge::escape_controls("c1:\xc2\x9b end\xc2") == "c1:\\xC2\\x9B end\xc2");
}

// --- defect 14: messages quote arbitrary files ------------------------------------------------

TEST_CASE("hostile: a file that is not a scenario is not quoted back", "[hostile][defect14]") {
  TempDir dir;
  const std::string secret =
      "root:x:0:0:secret-token-7731:/root:/bin/bash\n"
      "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
  const std::string path = dir.file("passwd");
  write(path, secret);
  const auto as_scenario = run_cli({"validate", path});
  CHECK(as_scenario.code == 2);
  CHECK(as_scenario.err.find("secret-token") == std::string::npos);
  CHECK(as_scenario.err.find("root:x") == std::string::npos);
  const auto as_catalogue =
      run_cli({"validate", workshop_copy(dir, kData + "midtjylland_catalogue.yaml", path)});
  CHECK(as_catalogue.code == 2);
  CHECK(as_catalogue.err.find("secret-token") == std::string::npos);
  const auto as_firms =
      run_cli({"validate", workshop_copy(dir, kData + "midtjylland_firms.csv", path)});
  CHECK(as_firms.code == 2);
  CHECK(as_firms.err.find("secret-token") == std::string::npos);
  CHECK(as_firms.err.find("root:x") == std::string::npos);
}

// --- defect 16: misleading messages -----------------------------------------------------------

TEST_CASE("hostile: CR line ends, a stray CR and deep nesting get the right message",
          "[hostile][defect16]") {
  TempDir dir;
  std::string text = read(workshop_copy(dir));
  std::string cr_only = text;
  for (auto& c : cr_only)
    if (c == '\n') c = '\r';
  const std::string cr_path = dir.file("cr.yaml");
  write(cr_path, cr_only);
  const auto cr = run_cli({"validate", cr_path});
  CHECK(cr.code == 0);
  CHECK(cr.err.find("empty") == std::string::npos);

  const std::string stray = dir.file("stray.yaml");
  write(stray,
        "schema_version: 1\nname: x\nhorizon: 36\r\npopulation: {synthetic: {firms: "
        "20}}\nreplicates: 2\r\n");
  const auto s = run_cli({"validate", stray});
  CHECK(s.code == 0);
  CHECK(s.err.find("got \"36") == std::string::npos);

  const std::string deep = dir.file("deep.yaml");
  write(deep, "name: " + std::string(3000, '[') + "\n");
  const auto d = run_cli({"validate", deep});
  CHECK(d.code == 2);
  CHECK(d.err.find("bad file") == std::string::npos);
  CHECK(d.err.find("nests lists or mappings") != std::string::npos);
}

// --- defect 18: the unknown firm of a skipped relation ---------------------------------------

TEST_CASE("hostile: a skipped relation names the column(s) of its unknown firm(s)",
          "[hostile][defect18]") {
  TempDir dir;
  const std::string relations = dir.file("relations.csv");
  write(relations, read(kData + "midtjylland_relations.csv") +
                       "NOPE-1,NOPE-2,partner,3\nNOPE-1,22413985,partner,3\n");
  const auto r =
      run_cli({"validate", workshop_copy(dir, kData + "midtjylland_relations.csv", relations)});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("firm_a (column 1) and firm_b (column 2) are not firm_ids") !=
        std::string::npos);
  CHECK(r.out.find("the same unknown id as on line") != std::string::npos);
  CHECK(r.out.find("NOPE") == std::string::npos);  // ids are never repeated
}

// --- found by fuzz_scenario: control characters in text broke the resolve/emit/re-parse trip ---

TEST_CASE("hostile: text with control characters survives resolve, emit and re-parse",
          "[hostile][fuzz]") {
  const std::string text =
      "schema_version: 1\nname: \"a\\x7f\\rb\\e[1m\\tc\"\ndescription: \"line\\rnext\"\n"
      "population: {synthetic: {firms: 10}}\n";
  const klynge::Scenario first = klynge::parse_scenario(text, "s.yaml", "");
  REQUIRE(first.name == "a\x7f\rb\x1b[1m\tc");
  const auto same = [](const std::string& id) { return id; };
  const std::string emitted = klynge::resolved_scenario_yaml(first, same);
  klynge::Scenario again;
  REQUIRE_NOTHROW(again = klynge::parse_scenario(emitted, "resolved.yaml", ""));
  CHECK(again.name == first.name);
  CHECK(again.description == first.description);
  CHECK(klynge::resolved_scenario_yaml(again, same) == emitted);
}

// --- defect 12: signed overflow in inspect (UBSan) --------------------------------------------

TEST_CASE("hostile: inspect refuses a horizon of INT_MAX without overflowing",
          "[hostile][defect12]") {
  TempDir dir;
  const std::string scenario = dir.file("tiny.yaml");
  write(scenario,
        "schema_version: 1\nname: tiny\nhorizon: 6\nreplicates: 2\npopulation: {synthetic: "
        "{firms: 12, participants: 6}}\n");
  const std::string results = dir.file("tiny.h5");
  REQUIRE(run_cli({"run", scenario, "-o", results, "--quiet", "--threads", "1"}).code == 0);
  {  // A hand-edited (or damaged) file: the horizon attribute at INT_MAX.
    const hid_t file = H5Fopen(results.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t attribute = H5Aopen(file, "horizon", H5P_DEFAULT);
    REQUIRE(attribute >= 0);
    const std::int32_t horizon = std::numeric_limits<std::int32_t>::max();
    CHECK(H5Awrite(attribute, H5T_NATIVE_INT32, &horizon) >= 0);
    H5Aclose(attribute);
    H5Fclose(file);
  }
  // The reader checks the header against the data before using it (docs/reliability.md): a
  // horizon that contradicts the datasets is a damaged file, named as such, not an overflow.
  const auto r = run_cli({"inspect", results});
  CHECK(r.code == 2);
  CHECK(r.err.find("horizon") != std::string::npos);
  CHECK(r.err.find("-2147483648") == std::string::npos);
}
