// PLACEHOLDER — replaced by the interview CSV loader.
#include "sim/io/interview_csv.hpp"
#include <stdexcept>
namespace klynge {
Population load_population(const std::string&, const std::string&) { throw std::logic_error("interview loader not implemented yet"); }
Population parse_population(const std::string&, const std::string&, const std::string&, const std::string&) { throw std::logic_error("interview loader not implemented yet"); }
}  // namespace klynge
