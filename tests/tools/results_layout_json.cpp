// Test-only: prints the results layout table (sim/io/results_layout.hpp) as JSON, one object per
// entry, for tests/python/test_results_layout.py and scripts/results_layout_doc.py. Not installed,
// not part of the klynge command line.
#include <iostream>
#include <string>

#include "analysis/compare.hpp"  // json_string
#include "sim/io/results_layout.hpp"

int main() {
  using klynge::analysis::json_string;
  using klynge::layout::Kind;
  std::cout << "[\n";
  bool first = true;
  for (const klynge::layout::Entry* e : klynge::layout::kAll) {
    const char* kind = e->kind == Kind::group     ? "group"
                       : e->kind == Kind::dataset ? "dataset"
                                                  : "attribute";
    std::cout << (first ? "" : ",\n") << "  {\"kind\": " << json_string(kind)
              << ", \"path\": " << json_string(e->path) << ", \"name\": " << json_string(e->name)
              << ", \"type\": " << json_string(e->type) << ", \"shape\": " << json_string(e->shape)
              << ", \"unit\": " << json_string(e->unit)
              << ", \"meaning\": " << json_string(e->meaning)
              << ", \"when\": " << json_string(e->when) << ", \"note\": " << json_string(e->note)
              << "}";
    first = false;
  }
  std::cout << "\n]\n";
  return 0;
}
