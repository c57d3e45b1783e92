#pragma once
// Interview data: firms.csv and relations.csv as spreadsheets export them (product.md,
// "Interview data"). Every rejected value throws InputError naming file, line, column and rule.
#include <string>

#include "sim/core/population.hpp"

namespace klynge {

// Reads and validates both files; relations_path may be empty (no relations).
Population load_population(const std::string& firms_path, const std::string& relations_path);

// The same from text already in memory; `*_name` is what messages call the file.
Population parse_population(const std::string& firms_text, const std::string& firms_name,
                            const std::string& relations_text, const std::string& relations_name);

}  // namespace klynge
