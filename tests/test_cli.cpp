#include <catch2/catch.hpp>
#include <sstream>

#include "sim/cli/cli.hpp"

using klynge::cli::klynge_main;

namespace {
struct CliResult {
  int code;
  std::string out, err;
};
CliResult run_cli(std::vector<const char*> args) {
  args.insert(args.begin(), "klynge");
  std::ostringstream out, err;
  const int code = klynge_main(static_cast<int>(args.size()), args.data(), {out, err});
  return {code, out.str(), err.str()};
}
}  // namespace

TEST_CASE("cli: --help lists every registered command", "[cli]") {
  const auto r = run_cli({"--help"});
  CHECK(r.code == 0);
  for (const auto& entry : klynge::cli::command_table())
    CHECK(r.out.find(entry.name) != std::string::npos);
}

TEST_CASE("cli: --version prints the version", "[cli]") {
  const auto r = run_cli({"--version"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("klynge ", 0) == 0);
}

TEST_CASE("cli: an unknown command is a usage error with a suggestion", "[cli]") {
  const auto r = run_cli({"validat", "x.yaml"});
  CHECK(r.code == 2);
  CHECK(r.err.find("did you mean 'validate'") != std::string::npos);
}

TEST_CASE("cli: no arguments is a usage error", "[cli]") {
  CHECK(run_cli({}).code == 2);
}

TEST_CASE("cli: a command's --help shows its usage", "[cli]") {
  const auto r = run_cli({"validate", "--help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("klynge validate SCENARIO.yaml") != std::string::npos);
}

TEST_CASE("cli: a missing required argument is a usage error", "[cli]") {
  const auto r = run_cli({"validate"});
  CHECK(r.code == 2);
  CHECK(r.err.find("scenario") != std::string::npos);
}

TEST_CASE("cli: an unknown option is a usage error", "[cli]") {
  const auto r = run_cli({"validate", "x.yaml", "--frobnicate"});
  CHECK(r.code == 2);
}
