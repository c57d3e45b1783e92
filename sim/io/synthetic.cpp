#include "sim/io/synthetic.hpp"

#include <algorithm>
#include <array>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "sim/core/random.hpp"
#include "sim/io/municipalities.hpp"

namespace klynge {
namespace {

constexpr double kEmployeesSigma = 0.3;  // lognormal sigma of employees
constexpr double kMinEmployees = 10, kMaxEmployees = 5000;
constexpr double kProductivitySigma = 0.1;  // lognormal sigma of revenue per employee
constexpr double kExportJitter = 0.05;
constexpr double kShareJitter = 0.2;        // market shares x uniform(1 - j, 1 + j)
constexpr double kCapabilityJitter = 0.25;  // one Likert step on the [0,1] scale
constexpr double kTraitJitter = 0.125;      // half a Likert step
constexpr double kLocationSigmaKm = 8.0;
constexpr double kLocationCutKm = 20.0;
constexpr double kKmPerDegreeLat = 110.57;
constexpr double kKmPerDegreeLon = 111.32;  // x cos(latitude)
constexpr double kDegree = 3.14159265358979323846 / 180.0;
constexpr int kNeighbourTries = 4;  // draws per relation before giving up (self or repeat)

// Relation types of synthetic relations and their weights.
constexpr std::array kRelationTypes = {RelationType::supplier, RelationType::customer,
                                       RelationType::knowledge};
constexpr std::array kRelationTypeWeights = {0.35, 0.35, 0.30};

// The sample catalogue's capabilities (scenarios/data/midtjylland_catalogue.yaml), used when a
// purely synthetic population names none.
const std::vector<std::string>& builtin_capability_names() {
  static const std::vector<std::string> names = {
      "welding",          "stainless_fabrication", "hygienic_design",
      "cnc_machining",    "sheet_metal",           "automation",
      "assembly",         "certification",         "product_development",
      "large_structures", "pipe_systems",          "environmental_tech",
      "export_sales"};
  return names;
}

struct Archetype {
  const char* name;
  double employees;
  double revenue_per_employee;  // mDKK
  double export_share;
  std::array<double, kDomesticSegmentCount> market_share;
  std::vector<std::pair<const char*, double>> capabilities;  // others: kArchetypeDefaultLevel
  double willingness, ambition, absorptive;
  std::vector<std::string> dev_opportunities;
};
constexpr double kArchetypeDefaultLevel = 0.25;

// Medium-sized metal firms like the sample data's, one per main segment.
const std::vector<Archetype>& archetypes() {
  static const std::vector<Archetype> list = {
      {"food",
       100,
       1.25,
       0.3,
       {0.7, 0.1, 0.2},
       {{"welding", 0.5},
        {"stainless_fabrication", 0.75},
        {"hygienic_design", 0.75},
        {"cnc_machining", 0.5},
        {"automation", 0.5},
        {"assembly", 0.5},
        {"large_structures", 0.0},
        {"environmental_tech", 0.0}},
       0.4,
       0.5,
       0.5,
       {"product_development", "certification"}},
      {"energy_environment",
       120,
       1.25,
       0.35,
       {0.1, 0.7, 0.2},
       {{"welding", 0.75},
        {"large_structures", 0.75},
        {"pipe_systems", 0.5},
        {"environmental_tech", 0.5},
        {"certification", 0.5},
        {"hygienic_design", 0.0},
        {"stainless_fabrication", 0.25}},
       0.4,
       0.5,
       0.5,
       {"certification", "energy_efficiency"}},
      {"other",
       80,
       1.2,
       0.25,
       {0.2, 0.2, 0.6},
       {{"cnc_machining", 0.75},
        {"sheet_metal", 0.75},
        {"assembly", 0.5},
        {"automation", 0.5},
        {"hygienic_design", 0.0},
        {"large_structures", 0.0}},
       0.4,
       0.5,
       0.5,
       {"automation", "lean"}},
  };
  return list;
}

FirmRecord archetype_firm(const Archetype& a, const std::vector<std::string>& capability_names) {
  FirmRecord f;
  f.employees = a.employees;
  f.revenue_mdkk = a.employees * a.revenue_per_employee;
  f.export_share = a.export_share;
  f.market_share = a.market_share;
  for (const auto& name : capability_names) {
    double level = kArchetypeDefaultLevel;
    for (const auto& [cap, value] : a.capabilities)
      if (name == cap) level = value;
    f.capabilities.push_back(level);
  }
  f.willingness = a.willingness;
  f.ambition = a.ambition;
  f.absorptive = a.absorptive;
  f.dev_opportunities = a.dev_opportunities;
  return f;
}

double clamp01(double x) {
  return std::clamp(x, 0.0, 1.0);
}

std::string synthetic_pseudonym(std::size_t number, std::size_t width) {
  const std::string digits = std::to_string(number);
  std::string out = "S";
  out.append(width > digits.size() ? width - digits.size() : 0, '0').append(digits);
  return out;
}

struct Place {
  const char* name;
  double lat, lon;
};

std::vector<Place> places() {
  std::vector<Place> out;
  for (const auto& m : synthetic_municipality_weights()) {
    const auto centroid = municipality_centroid(m.name);
    if (!centroid)  // the two tables are maintained together; a mismatch is a programming error
      throw std::logic_error(std::string("synthetic: no centroid for municipality ") + m.name);
    out.push_back({m.name, centroid->lat, centroid->lon});
  }
  return out;
}

// Index of the place nearest to (lat, lon), in km on a local projection.
int nearest_place(const std::vector<Place>& where, double lat, double lon) {
  int best = 0;
  double best_d = 0;
  for (std::size_t p = 0; p < where.size(); ++p) {
    const double dy = (lat - where[p].lat) * kKmPerDegreeLat;
    const double dx = (lon - where[p].lon) * kKmPerDegreeLon * std::cos(lat * kDegree);
    const double d = dx * dx + dy * dy;
    if (p == 0 || d < best_d) {
      best = static_cast<int>(p);
      best_d = d;
    }
  }
  return best;
}

}  // namespace

const std::vector<MunicipalityWeight>& synthetic_municipality_weights() {
  // Inhabitants in thousands, rounded (Statistics Denmark, about 2023).
  static const std::vector<MunicipalityWeight> weights = {
      {"Aarhus", 361},   {"Favrskov", 49},   {"Hedensted", 47},    {"Herning", 90},
      {"Holstebro", 59}, {"Horsens", 97},    {"Ikast-Brande", 42}, {"Lemvig", 19},
      {"Norddjurs", 37}, {"Odder", 24},      {"Randers", 99},      {"Ringkøbing-Skjern", 56},
      {"Samsø", 4},      {"Silkeborg", 100}, {"Skanderborg", 63},  {"Skive", 46},
      {"Struer", 21},    {"Syddjurs", 43},   {"Viborg", 97}};
  return weights;
}

void add_synthetic_firms(Population& population, int count, std::uint64_t seed, int participants) {
  if (count <= 0) return;
  auto& firms = population.firms;
  const std::size_t first = firms.size();

  // Templates: the interviewed firms, else the archetypes.
  const auto interviewed = static_cast<std::size_t>(
      std::count_if(firms.begin(), firms.end(), [](const FirmRecord& f) { return !f.synthetic; }));
  const std::size_t earlier_synthetic = first - interviewed;
  std::vector<FirmRecord> archetype_templates;
  if (interviewed == 0) {
    if (population.capability_names.empty() && firms.empty())
      population.capability_names = builtin_capability_names();
    for (const auto& a : archetypes())
      archetype_templates.push_back(archetype_firm(a, population.capability_names));
  }
  // Pointers into `firms` must not dangle: reserve before the templates are taken.
  firms.reserve(first + static_cast<std::size_t>(count));
  std::vector<const FirmRecord*> templates;
  for (const auto& f : firms)
    if (!f.synthetic) templates.push_back(&f);
  for (const auto& f : archetype_templates) templates.push_back(&f);
  const std::size_t capability_count = population.capability_names.size();

  const std::vector<Place> where = places();
  std::vector<double> place_weights;
  for (const auto& m : synthetic_municipality_weights()) place_weights.push_back(m.weight);
  const boost::random::discrete_distribution<int> place_of(place_weights.begin(),
                                                           place_weights.end());
  const boost::random::uniform_int_distribution<std::size_t> template_of(0, templates.size() - 1);
  boost::random::lognormal_distribution<double> employees_factor(0, kEmployeesSigma);
  boost::random::lognormal_distribution<double> productivity_factor(0, kProductivitySigma);
  const boost::random::uniform_real_distribution<double> export_jitter(-kExportJitter,
                                                                       kExportJitter);
  const boost::random::uniform_real_distribution<double> share_factor(1 - kShareJitter,
                                                                      1 + kShareJitter);
  const boost::random::uniform_real_distribution<double> capability_jitter(-kCapabilityJitter,
                                                                           kCapabilityJitter);
  const boost::random::uniform_real_distribution<double> trait_jitter(-kTraitJitter, kTraitJitter);
  boost::random::normal_distribution<double> offset_km(0, kLocationSigmaKm);

  const std::size_t total_synthetic = earlier_synthetic + static_cast<std::size_t>(count);
  const std::size_t width = std::max<std::size_t>(6, std::to_string(total_synthetic).size());

  // Municipality (index into `where`) of every firm: the drawn one for the new firms, the
  // nearest centroid for the others.
  std::vector<int> place_index(first + static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < first; ++i)
    place_index[i] = nearest_place(where, firms[i].lat, firms[i].lon);

  for (int k = 0; k < count; ++k) {
    const std::size_t index = first + static_cast<std::size_t>(k);
    KeyedRng rng(seed, 0, Process::synthetic_population, 0, index, 0);
    const FirmRecord& t = *templates[template_of(rng)];
    FirmRecord f;
    f.pseudonym = synthetic_pseudonym(earlier_synthetic + static_cast<std::size_t>(k) + 1, width);
    f.firm_id = f.pseudonym;
    f.synthetic = true;
    f.participant = k < participants;

    place_index[index] = place_of(rng);
    const Place& place = where[static_cast<std::size_t>(place_index[index])];
    f.municipality = place.name;
    const double dy = std::clamp(offset_km(rng), -kLocationCutKm, kLocationCutKm);
    const double dx = std::clamp(offset_km(rng), -kLocationCutKm, kLocationCutKm);
    f.lat = place.lat + dy / kKmPerDegreeLat;
    f.lon = place.lon + dx / (kKmPerDegreeLon * std::cos(place.lat * kDegree));
    f.location_from_centroid = false;

    const double template_employees = std::max(t.employees, 1.0);
    f.employees =
        std::clamp(template_employees * employees_factor(rng), kMinEmployees, kMaxEmployees);
    f.revenue_mdkk = f.employees * (t.revenue_mdkk / template_employees) * productivity_factor(rng);
    f.export_share = clamp01(t.export_share + export_jitter(rng));

    double share_sum = 0;
    for (int s = 0; s < kDomesticSegmentCount; ++s) {
      f.market_share[s] = t.market_share[s] * share_factor(rng);
      share_sum += f.market_share[s];
    }
    for (auto& share : f.market_share)
      share = share_sum > 0 ? share / share_sum : 1.0 / kDomesticSegmentCount;

    f.capabilities.resize(capability_count, 0.0);
    for (std::size_t c = 0; c < capability_count; ++c) {
      const double jitter = capability_jitter(rng);  // drawn for every capability: fixed order
      const double level = c < t.capabilities.size() ? t.capabilities[c] : 0.0;
      f.capabilities[c] = level > 0 ? clamp01(level + jitter) : 0.0;
    }
    f.willingness = clamp01(t.willingness + trait_jitter(rng));
    f.ambition = clamp01(t.ambition + trait_jitter(rng));
    f.absorptive = clamp01(t.absorptive + trait_jitter(rng));
    f.dev_opportunities = t.dev_opportunities;
    firms.push_back(std::move(f));
  }

  // Firm lists per municipality, in index order.
  std::vector<std::vector<int>> members(where.size());
  {
    std::vector<std::size_t> sizes(where.size(), 0);
    for (const int p : place_index) ++sizes[static_cast<std::size_t>(p)];
    for (std::size_t p = 0; p < where.size(); ++p) members[p].reserve(sizes[p]);
    for (std::size_t i = 0; i < place_index.size(); ++i)
      members[static_cast<std::size_t>(place_index[i])].push_back(static_cast<int>(i));
  }

  // Initial relations.
  const boost::random::poisson_distribution<int> relation_count(kSyntheticRelationsPerFirm);
  const boost::random::discrete_distribution<int> type_of(kRelationTypeWeights.begin(),
                                                          kRelationTypeWeights.end());
  const boost::random::uniform_int_distribution<int> strength_of(1, 3);
  const std::size_t relations_before = population.relations.size();
  population.relations.reserve(relations_before +
                               static_cast<std::size_t>(count * kSyntheticRelationsPerFirm * 1.1));
  std::vector<int> chosen;
  for (int k = 0; k < count; ++k) {
    const std::size_t index = first + static_cast<std::size_t>(k);
    KeyedRng rng(seed, 0, Process::synthetic_population, 0, index, 1);
    const int wanted = relation_count(rng);
    if (wanted == 0) continue;
    const auto& local = members[static_cast<std::size_t>(place_index[index])];
    if (local.size() < 2) continue;
    const boost::random::uniform_int_distribution<std::size_t> pick(0, local.size() - 1);
    chosen.clear();
    for (int r = 0; r < wanted; ++r) {
      int other = -1;
      for (int attempt = 0; attempt < kNeighbourTries && other < 0; ++attempt) {
        const int candidate = local[pick(rng)];
        if (candidate != static_cast<int>(index) &&
            std::find(chosen.begin(), chosen.end(), candidate) == chosen.end())
          other = candidate;
      }
      if (other < 0) continue;
      chosen.push_back(other);
      RelationRecord rel;
      rel.firm_a = static_cast<int>(index);
      rel.firm_b = other;
      rel.type = kRelationTypes[static_cast<std::size_t>(type_of(rng))];
      rel.strength = strength_of(rng);
      population.relations.push_back(rel);
    }
  }

  // A pair at most once: among the new relations, the first drawn (lower firm index) stays.
  const std::size_t added = population.relations.size() - relations_before;
  std::vector<std::pair<std::uint64_t, std::size_t>> keys(added);
  for (std::size_t r = 0; r < added; ++r) {
    const auto& rel = population.relations[relations_before + r];
    const auto lo = static_cast<std::uint64_t>(std::min(rel.firm_a, rel.firm_b));
    const auto hi = static_cast<std::uint64_t>(std::max(rel.firm_a, rel.firm_b));
    keys[r] = {(lo << 32) | hi, r};
  }
  std::sort(keys.begin(), keys.end());
  std::vector<char> keep(added, 1);
  for (std::size_t r = 1; r < added; ++r)
    if (keys[r].first == keys[r - 1].first) keep[keys[r].second] = 0;
  std::size_t out = relations_before;
  for (std::size_t r = 0; r < added; ++r)
    if (keep[r]) population.relations[out++] = population.relations[relations_before + r];
  population.relations.resize(out);
}

}  // namespace klynge
