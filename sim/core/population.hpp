#pragma once
// The interview data after loading and validation: what the CSV loader produces and the World is
// built from. Names and firm_ids are confidential: they stay in memory and never reach outputs
// (only `pseudonym` does), unless the user passes --reveal-names.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace klynge {

// Market segments. The first three are domestic; `export` is the foreign market.
enum class Segment : std::uint8_t { food = 0, energy_environment = 1, other = 2, export_ = 3 };
inline constexpr int kSegmentCount = 4;
inline constexpr int kDomesticSegmentCount = 3;
inline constexpr std::array<const char*, kSegmentCount> kSegmentNames = {
    "food", "energy_environment", "other", "export"};

struct FirmRecord {
  std::string firm_id;    // confidential
  std::string name;       // confidential, may be empty
  std::string pseudonym;  // "F001"…, assigned in file order; the only identity in outputs
  std::string municipality;
  double lat = 0, lon = 0;
  bool location_from_centroid = true;
  double employees = 0;
  double revenue_mdkk = 0;  // mDKK per year
  double export_share = 0;  // [0,1]
  // Domestic market shares, normalised to sum 1: food, energy_environment, other.
  std::array<double, kDomesticSegmentCount> market_share{};
  std::vector<double> capabilities;            // level in [0,1] per Population::capability_names
  double willingness = 0;                      // collab_willingness, Likert mapped to [0,1]
  double ambition = 0;                         // growth_ambition, [0,1]
  double absorptive = 0;                       // absorptive_capacity, [0,1]
  std::vector<std::string> dev_opportunities;  // tags
  bool participant = false;                    // target group (fixed for the run)
  bool synthetic = false;                      // generated, not interviewed

  // Main segment: the domestic segment with the largest share (ties: lowest index).
  int main_segment() const {
    int best = 0;
    for (int s = 1; s < kDomesticSegmentCount; ++s)
      if (market_share[s] > market_share[best]) best = s;
    return best;
  }
};

enum class RelationType : std::uint8_t { supplier = 0, customer = 1, partner = 2, knowledge = 3 };
inline constexpr std::array<const char*, 4> kRelationTypeNames = {"supplier", "customer", "partner",
                                                                  "knowledge"};

struct RelationRecord {
  int firm_a = 0;  // index into Population::firms
  int firm_b = 0;
  RelationType type = RelationType::knowledge;
  int strength = 1;  // 1–5
};

// One line of the population summary that `validate` prints: what was imputed or skipped and
// why. Counted per kind so the summary stays short on large files.
struct DataNote {
  std::string file;
  int line = 0;
  std::string column;
  std::string message;  // e.g. "blank growth_ambition imputed with food median 0.5"
};

struct Population {
  std::vector<std::string> capability_names;  // from the cap_* columns, without the prefix
  std::vector<FirmRecord> firms;
  std::vector<RelationRecord> relations;
  std::vector<DataNote> imputed;  // every imputation
  std::vector<DataNote> skipped;  // every skipped record (e.g. relation to an unknown firm)
  std::vector<DataNote> warnings;

  int participant_count() const {
    int n = 0;
    for (const auto& f : firms) n += f.participant ? 1 : 0;
    return n;
  }
};

}  // namespace klynge
