// PLACEHOLDER — replaced by the scenario loader.
#include "sim/io/scenario_yaml.hpp"
#include <stdexcept>
namespace klynge {
Scenario load_scenario(const std::string&) { throw std::logic_error("scenario loader not implemented yet"); }
Scenario parse_scenario(const std::string&, const std::string&, const std::string&) { throw std::logic_error("scenario loader not implemented yet"); }
std::string resolved_variant_yaml(const Scenario&, const Variant&, const FirmIdMapper&) { throw std::logic_error("not implemented yet"); }
std::string resolved_scenario_yaml(const Scenario&, const FirmIdMapper&) { throw std::logic_error("not implemented yet"); }
std::string scenario_key_reference_markdown() { throw std::logic_error("not implemented yet"); }
}  // namespace klynge
