// The generated scenario key reference: complete, and the copy in docs/ is up to date.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "sim/core/intervention_types.hpp"
#include "sim/core/parameters.hpp"
#include "sim/io/scenario_keys.hpp"
#include "sim/io/scenario_yaml.hpp"

using namespace klynge;
using Catch::Matchers::Contains;

namespace {
// "`key`" and "| `key` |", built by appending: `"`" + std::string(...)` trips a false -Wrestrict
// in GCC 12.
std::string code(const char* key) {
  return std::string("`").append(key).append("`");
}
std::string cell(const char* key) {
  return std::string("| ").append(code(key)).append(" |");
}

// 1-based number of the first line where the two texts differ.
int first_different_line(const std::string& a, const std::string& b) {
  std::istringstream left(a);
  std::istringstream right(b);
  std::string x;
  std::string y;
  for (int line = 1;; ++line) {
    const bool more_left = static_cast<bool>(std::getline(left, x));
    const bool more_right = static_cast<bool>(std::getline(right, y));
    if (!more_left && !more_right) return 0;
    if (more_left != more_right || x != y) return line;
  }
}
}  // namespace

TEST_CASE("docs/scenario-keys.md is the generated reference", "[reference]") {
  const std::string path = std::string(KLYNGE_SOURCE_DIR) + "/docs/scenario-keys.md";
  std::ifstream in(path, std::ios::binary);
  INFO("run `build/klynge reference > docs/scenario-keys.md` to regenerate " << path);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string committed = text.str();
  const std::string generated = scenario_key_reference_markdown();
  if (committed != generated)
    FAIL("docs/scenario-keys.md is out of date (first difference on line "
         << first_different_line(committed, generated)
         << "): run `build/klynge reference > docs/scenario-keys.md`");
}

TEST_CASE("the key reference documents every key, parameter and intervention type", "[reference]") {
  const std::string md = scenario_key_reference_markdown();
  CHECK(md == scenario_key_reference_markdown());
  CHECK(md.back() == '\n');
  for (const auto& section : scenario_section_table()) CHECK_THAT(md, Contains(section.help));
  for (const auto& key : scenario_key_table()) {
    INFO(key.section << "." << key.key);
    CHECK_THAT(md, Contains(code(key.key)));
    CHECK_THAT(md, Contains(key.help));
  }
  for (const auto& spec : model_parameter_table()) {
    INFO(spec.key);
    CHECK_THAT(md, Contains(cell(spec.key)));
    CHECK_THAT(md, Contains(spec.help));
  }
  for (const auto& type : intervention_type_table()) {
    INFO(type.type);
    CHECK_THAT(md, Contains(std::string("### ").append(code(type.type))));
    CHECK_THAT(md, Contains(type.help));
    for (const auto& p : type.params) CHECK_THAT(md, Contains(cell(p.key)));
  }
  CHECK_THAT(md, Contains("| `collab_trust` | number | 0.3 | trust | 0 … 1 | *measurement*:"));
  CHECK_THAT(md, Contains("| `horizon` | integer | 36 | steps (months) | 1 … 1200 |"));
  CHECK_THAT(md, Contains("| `budget_dkk` | DKK or `unlimited` | unlimited | DKK | >= 0 |"));
  CHECK_THAT(md, Contains("| `name` | text | **required** |"));
}
