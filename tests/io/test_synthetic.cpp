// Synthetic firms (sim/io/synthetic.hpp): deterministic for a seed, the right counts and
// identities, attributes in their bands, locations in Denmark, sparse valid relations, a
// purely synthetic population from the archetypes, and 100k firms without trouble.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <set>
#include <string>
#include <utility>

#include "sim/io/interview_csv.hpp"
#include "sim/io/municipalities.hpp"
#include "sim/io/synthetic.hpp"

using klynge::add_synthetic_firms;
using klynge::FirmRecord;
using klynge::Population;
using klynge::RelationType;

namespace {

Population sample_population() {
  static const Population loaded =
      klynge::load_population(KLYNGE_SOURCE_DIR "/scenarios/data/midtjylland_firms.csv",
                              KLYNGE_SOURCE_DIR "/scenarios/data/midtjylland_relations.csv");
  return loaded;
}

bool same_firm(const FirmRecord& a, const FirmRecord& b) {
  return a.pseudonym == b.pseudonym && a.firm_id == b.firm_id && a.municipality == b.municipality &&
         a.lat == b.lat && a.lon == b.lon && a.employees == b.employees &&
         a.revenue_mdkk == b.revenue_mdkk && a.export_share == b.export_share &&
         a.market_share == b.market_share && a.capabilities == b.capabilities &&
         a.willingness == b.willingness && a.ambition == b.ambition &&
         a.absorptive == b.absorptive && a.dev_opportunities == b.dev_opportunities &&
         a.participant == b.participant && a.synthetic == b.synthetic;
}

bool same_relations(const Population& a, const Population& b) {
  if (a.relations.size() != b.relations.size()) return false;
  for (std::size_t r = 0; r < a.relations.size(); ++r) {
    const auto& x = a.relations[r];
    const auto& y = b.relations[r];
    if (x.firm_a != y.firm_a || x.firm_b != y.firm_b || x.type != y.type ||
        x.strength != y.strength)
      return false;
  }
  return true;
}

// Every band the specification and the header promise, for firms [first, end).
void check_bands(const Population& p, std::size_t first) {
  const std::set<std::string> current = [] {
    std::set<std::string> names;
    for (const auto& m : klynge::synthetic_municipality_weights()) names.insert(m.name);
    return names;
  }();
  REQUIRE(current.size() == 19);
  for (std::size_t i = first; i < p.firms.size(); ++i) {
    const FirmRecord& f = p.firms[i];
    INFO("firm " << i << " " << f.pseudonym);
    REQUIRE(f.synthetic);
    REQUIRE_FALSE(f.participant);
    REQUIRE(f.name.empty());
    REQUIRE(f.employees >= 10);
    REQUIRE(f.employees <= 5000);
    REQUIRE(f.revenue_mdkk > 0);
    // Revenue per employee: the sample's 1.0-1.5 mDKK, with lognormal(0, 0.1) jitter.
    REQUIRE(f.revenue_mdkk / f.employees > 0.5);
    REQUIRE(f.revenue_mdkk / f.employees < 3.0);
    REQUIRE(f.export_share >= 0);
    REQUIRE(f.export_share <= 1);
    double sum = 0;
    for (const double s : f.market_share) {
      REQUIRE(s >= 0);
      sum += s;
    }
    REQUIRE(sum == Approx(1.0).margin(1e-12));
    REQUIRE(f.capabilities.size() == p.capability_names.size());
    for (const double c : f.capabilities) {
      REQUIRE(c >= 0);
      REQUIRE(c <= 1);
    }
    for (const double v : {f.willingness, f.ambition, f.absorptive}) {
      REQUIRE(v >= 0);
      REQUIRE(v <= 1);
    }
    REQUIRE(current.count(f.municipality) == 1);
    // Denmark without Bornholm, and within 20 km (+ rounding) of the municipality's centroid.
    REQUIRE(f.lat > 54.5);
    REQUIRE(f.lat < 57.8);
    REQUIRE(f.lon > 8.0);
    REQUIRE(f.lon < 12.7);
    const auto centroid = klynge::municipality_centroid(f.municipality);
    REQUIRE(centroid);
    REQUIRE(std::abs(f.lat - centroid->lat) * 110.57 <= 20.01);
    REQUIRE(std::abs(f.lon - centroid->lon) * 111.32 *
                std::cos(centroid->lat * std::numbers::pi / 180) <=
            20.01);
  }
}

void check_relations(const Population& p, std::size_t first_relation) {
  std::set<std::pair<int, int>> pairs;
  const int n = static_cast<int>(p.firms.size());
  for (std::size_t r = first_relation; r < p.relations.size(); ++r) {
    const auto& rel = p.relations[r];
    INFO("relation " << r << ": " << rel.firm_a << " - " << rel.firm_b);
    REQUIRE(rel.firm_a >= 0);
    REQUIRE(rel.firm_a < n);
    REQUIRE(rel.firm_b >= 0);
    REQUIRE(rel.firm_b < n);
    REQUIRE(rel.firm_a != rel.firm_b);
    REQUIRE(p.firms[static_cast<std::size_t>(rel.firm_a)].synthetic);
    REQUIRE(rel.strength >= 1);
    REQUIRE(rel.strength <= 3);
    REQUIRE(rel.type != RelationType::partner);
    REQUIRE(pairs.insert(std::minmax(rel.firm_a, rel.firm_b)).second);  // no pair twice
  }
}

}  // namespace

TEST_CASE("synthetic firms resample the interviewed ones, deterministically for a seed",
          "[synthetic]") {
  Population a = sample_population();
  const std::size_t interviewed = a.firms.size();
  const std::size_t relations = a.relations.size();
  REQUIRE(interviewed >= 30);
  Population b = a;
  Population c = a;
  add_synthetic_firms(a, 2000, 42);
  add_synthetic_firms(b, 2000, 42);
  add_synthetic_firms(c, 2000, 43);

  REQUIRE(a.firms.size() == interviewed + 2000);
  for (std::size_t i = 0; i < a.firms.size(); ++i) REQUIRE(same_firm(a.firms[i], b.firms[i]));
  REQUIRE(same_relations(a, b));
  // Another seed gives other firms (pseudonyms aside).
  int differing = 0;
  for (std::size_t i = interviewed; i < a.firms.size(); ++i)
    differing += a.firms[i].employees != c.firms[i].employees ? 1 : 0;
  CHECK(differing > 1900);

  // The interview data is untouched.
  const Population original = sample_population();
  for (std::size_t i = 0; i < interviewed; ++i) REQUIRE(same_firm(a.firms[i], original.firms[i]));
  for (std::size_t r = 0; r < relations; ++r) {
    REQUIRE(a.relations[r].firm_a == original.relations[r].firm_a);
    REQUIRE(a.relations[r].firm_b == original.relations[r].firm_b);
  }

  // Identities: S000001... in order, unique, firm_id = pseudonym.
  CHECK(a.firms[interviewed].pseudonym == "S000001");
  CHECK(a.firms.back().pseudonym == "S002000");
  std::set<std::string> names;
  for (const auto& f : a.firms) REQUIRE(names.insert(f.pseudonym).second);
  for (std::size_t i = interviewed; i < a.firms.size(); ++i)
    REQUIRE(a.firms[i].firm_id == a.firms[i].pseudonym);

  check_bands(a, interviewed);
  check_relations(a, relations);
  CHECK(a.participant_count() == original.participant_count());
}

TEST_CASE("synthetic firms look like the interviewed ones in aggregate", "[synthetic]") {
  Population p = sample_population();
  const std::size_t interviewed = p.firms.size();
  add_synthetic_firms(p, 20000, 7);
  std::vector<double> employees;
  double productivity = 0, export_share = 0;
  std::array<int, 3> main_segments{};
  std::vector<int> per_municipality(19, 0);
  const auto& weights = klynge::synthetic_municipality_weights();
  for (std::size_t i = interviewed; i < p.firms.size(); ++i) {
    const auto& f = p.firms[i];
    employees.push_back(f.employees);
    productivity += f.revenue_mdkk / f.employees;
    export_share += f.export_share;
    ++main_segments[static_cast<std::size_t>(f.main_segment())];
    for (std::size_t m = 0; m < weights.size(); ++m)
      if (f.municipality == weights[m].name) ++per_municipality[m];
  }
  const double n = 20000;
  std::nth_element(employees.begin(), employees.begin() + 10000, employees.end());
  // The sample's median is about 100 employees; jitter keeps the median near it.
  CHECK(employees[10000] > 70);
  CHECK(employees[10000] < 150);
  CHECK(productivity / n > 1.0);
  CHECK(productivity / n < 1.6);
  CHECK(export_share / n > 0.15);
  CHECK(export_share / n < 0.45);
  // Food and energy/environment stay the main segments of most firms.
  CHECK(main_segments[0] > n / 5);
  CHECK(main_segments[1] > n / 5);
  // Aarhus (361k of 1.38M inhabitants) gets about a quarter; Samsø (4k) a few per thousand.
  double total_weight = 0;
  for (const auto& w : weights) total_weight += w.weight;
  CHECK(per_municipality[0] / n == Approx(361 / total_weight).margin(0.02));
  CHECK(per_municipality[12] > 0);
  CHECK(per_municipality[12] / n < 0.01);

  // About 0.8 relations per firm (a few lost to repeats and duplicate pairs).
  const double relations =
      static_cast<double>(p.relations.size() - sample_population().relations.size());
  CHECK(relations / n > 0.72);
  CHECK(relations / n < 0.82);
}

TEST_CASE("synthetic firms added in two calls continue the numbering", "[synthetic]") {
  Population once = sample_population();
  Population twice = once;
  const std::size_t interviewed = once.firms.size();
  add_synthetic_firms(once, 300, 11);
  add_synthetic_firms(twice, 100, 11);
  add_synthetic_firms(twice, 200, 11);
  REQUIRE(twice.firms.size() == once.firms.size());
  CHECK(twice.firms[interviewed + 100].pseudonym == "S000101");
  // Attributes are keyed by the firm's index: the same firms either way (relations differ,
  // since the second call's firms choose among more neighbours).
  for (std::size_t i = 0; i < once.firms.size(); ++i)
    REQUIRE(same_firm(once.firms[i], twice.firms[i]));
  check_relations(twice, sample_population().relations.size());
}

TEST_CASE("a purely synthetic population uses the built-in archetypes", "[synthetic]") {
  Population p;
  add_synthetic_firms(p, 5000, 3);
  REQUIRE(p.firms.size() == 5000);
  REQUIRE(p.capability_names.size() == 13);
  CHECK(p.capability_names.front() == "welding");
  check_bands(p, 0);
  check_relations(p, 0);
  std::array<int, 3> main_segments{};
  for (const auto& f : p.firms) ++main_segments[static_cast<std::size_t>(f.main_segment())];
  for (const int count : main_segments) CHECK(count > 1000);
  CHECK(p.relations.size() > 3500);

  // Capability names of its own (no firms yet) are kept; archetypes fill them in.
  Population named;
  named.capability_names = {"welding", "laser"};
  add_synthetic_firms(named, 10, 3);
  REQUIRE(named.capability_names.size() == 2);
  for (const auto& f : named.firms) REQUIRE(f.capabilities.size() == 2);

  Population none;
  add_synthetic_firms(none, 0, 3);
  add_synthetic_firms(none, -5, 3);
  CHECK(none.firms.empty());
  CHECK(none.capability_names.empty());
}

TEST_CASE("100,000 synthetic firms stay in their bands", "[synthetic][large]") {
  Population p = sample_population();
  const std::size_t interviewed = p.firms.size();
  const std::size_t relations = p.relations.size();
  add_synthetic_firms(p, 100000, 2007);
  REQUIRE(p.firms.size() == interviewed + 100000);
  CHECK(p.firms.back().pseudonym == "S100000");
  check_bands(p, interviewed);
  check_relations(p, relations);
  const double added = static_cast<double>(p.relations.size() - relations);
  CHECK(added / 100000 > 0.75);
  CHECK(added / 100000 < 0.82);
}
