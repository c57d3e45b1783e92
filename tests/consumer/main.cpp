// Uses klynge as a library: the whole CLI in-process (cli layer), which validates a scenario
// (io layer: YAML, interview CSV) and prints the key reference. Exit code: klynge's.
#include <iostream>
#include <sstream>

#include "sim/cli/cli.hpp"
#include "sim/core/metrics.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer SCENARIO.yaml\n";
    return 2;
  }
  std::ostringstream out, err;
  const char* validate[] = {"klynge", "validate", argv[1]};
  const int code = klynge::cli::klynge_main(3, validate, {out, err});
  std::cout << out.str() << err.str();
  std::cout << "metrics: " << klynge::kMetricCount << "\n";
  return code;
}
