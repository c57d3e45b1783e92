// libFuzzer target: the scenario loader (yaml_reader.cpp + scenario_yaml.cpp) on arbitrary bytes,
// with a round trip: a scenario that loads is emitted fully resolved (resolved_scenario_yaml),
// that text must load again, and emitting it again must give the same text (a fixed point). Bad
// input must be an InputError; another exception, a failed round trip, a crash, a sanitizer
// report, a hang or unbounded memory is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/io/scenario_yaml.hpp"

namespace {

std::string identity(const std::string& id) {
  return id;
}

[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "round trip: %s\n%s\n", what, detail.c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  klynge::Scenario scenario;
  try {
    // No base folder: a catalogue path in the input resolves against a folder that does not
    // exist, so the fuzzer does not wander the file system.
    scenario = klynge::parse_scenario(text, "fuzz.yaml", "/nonexistent-klynge-fuzz");
  } catch (const klynge::InputError&) {
    return 0;
  }
  const std::string emitted = klynge::resolved_scenario_yaml(scenario, identity);
  klynge::Scenario again;
  try {
    again = klynge::parse_scenario(emitted, "resolved.yaml", "/nonexistent-klynge-fuzz");
  } catch (const klynge::InputError& e) {
    finding(e.what(), emitted);
  }
  const std::string emitted_again = klynge::resolved_scenario_yaml(again, identity);
  if (emitted_again != emitted) finding("emitting the re-read scenario changed it", emitted);
  return 0;
}
