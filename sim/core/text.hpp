#pragma once
// Small text helpers shared by the loaders and the CLI.
#include <string>
#include <vector>

namespace klynge {

// Levenshtein distance (bytes).
int edit_distance(const std::string& a, const std::string& b);

// " (did you mean 'x'?)" for the closest candidate within a sensible distance, else "".
std::string did_you_mean(const std::string& given, const std::vector<std::string>& candidates);

// "a, b, c"
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

}  // namespace klynge
