// libFuzzer target: the results reader (results_reader.cpp, through libhdf5) on arbitrary bytes
// written to a file, as `inspect`, `compare` and `report` read one. A damaged file must be an
// InputError; a crash, a hang, a sanitizer report or another exception is a finding. (libhdf5
// itself is not instrumented: its crashes show as SEGV, not as sanitizer reports.)
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/io/results_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/klynge-fuzz-results-" + std::to_string(::getpid()) + ".h5";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return 0;
  const bool written = std::fwrite(data, 1, size, file) == size;
  std::fclose(file);
  if (!written) return 0;
  try {
    // Through the commands' own path: libhdf5 itself can crash on damaged metadata, which no
    // check of ours can prevent, so the reader first reads in a child process (results_reader.cpp)
    // and turns a crash there into an InputError. The promise fuzzed is the commands': never a
    // crash, a hang or another exception.
    const klynge::ResultsFile results = klynge::read_results(path);
    for (const auto& variant : results.variants) (void)klynge::read_detail(path, variant.name);
  } catch (const klynge::InputError&) {
  }
  std::remove(path.c_str());
  return 0;
}
