// libFuzzer target: the interview CSV loader (csv.cpp + interview_csv.cpp) on arbitrary bytes.
// The input is firms.csv, optionally followed by a line "#RELATIONS" and relations.csv (the seed
// corpus joins the shipped files that way). Bad input must be an InputError; anything else
// (another exception, a crash, a sanitizer report, a hang, unbounded memory) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/io/interview_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const std::string kMarker = "\n#RELATIONS\n";
  const std::size_t split = text.find(kMarker);
  const std::string firms = text.substr(0, split);
  const std::string relations =
      split == std::string::npos ? std::string() : text.substr(split + kMarker.size());
  try {
    const klynge::Population population = klynge::parse_population(
        firms, "firms.csv", relations, split == std::string::npos ? "" : "relations.csv");
    // What the loader promises of an accepted population.
    for (const auto& firm : population.firms)
      if (!(firm.employees >= 1) || !(firm.revenue_mdkk > 0) || firm.pseudonym.empty())
        __builtin_trap();
  } catch (const klynge::InputError&) {
  }
  return 0;
}
