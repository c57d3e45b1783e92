#pragma once
// Strict reading of the numeric command-line options (--replicates, --seed, --threads). Boost's
// lexical_cast wraps "-1" to 2^64-1 and takes any int, so these options are read as text and
// checked here: digits only, within the same limits as the scenario keys, else exit 2.
#include <tbb/info.h>

#include <charconv>
#include <cstdint>
#include <ostream>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/core/terminal_text.hpp"

namespace klynge::cli {

// The value of `--option TEXT` as an integer in [min, max]; UsageError naming the option, the
// range and (shortened) what was given otherwise.
inline std::uint64_t parse_count_option(const std::string& option, const std::string& text,
                                        std::uint64_t min, std::uint64_t max,
                                        const std::string& expected) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  const bool digits_only =
      !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits_only || result.ec != std::errc() || result.ptr != end || value < min || value > max) {
    const std::string shown = text.size() > 24 ? text.substr(0, 24) + "..." : text;
    throw UsageError("--" + option + ": expected " + expected + ", got \"" +
                     escape_controls(shown) + "\"");
  }
  return value;
}

// Limits shared with the scenario keys (docs/scenario-keys.md).
inline constexpr std::uint64_t kMaxReplicatesOption = 1'000'000;
// Worker threads: more than the cores only queue up (results are the same for any count), so
// values above the core count are lowered to it; beyond this the value is surely a mistake.
inline constexpr std::uint64_t kMaxThreadsOption = 4096;

// --threads TEXT: 0 (all cores) or 1 to kMaxThreadsOption; a count above the cores oneTBB may use
// is lowered to it with a note (oneTBB would otherwise print its own raw warning and run with
// fewer workers anyway).
inline int threads_option(const std::string& text, std::ostream& err) {
  const auto requested = static_cast<int>(parse_count_option(
      "threads", text, 0, kMaxThreadsOption,
      "0 (all cores) or a number of threads from 1 to " + std::to_string(kMaxThreadsOption)));
  const int cores = tbb::info::default_concurrency();
  if (requested > cores) {
    err << "note: --threads " << requested << " is more than the " << cores
        << " cores available; using " << cores << " (results are the same for any count)\n";
    return cores;
  }
  return requested;
}

}  // namespace klynge::cli
