// The interview loader (sim/io/interview_csv.hpp) and the municipality table: good files in both
// spreadsheet dialects, imputations, relations, and a table of malformed inputs whose messages
// must name file, line, column and key.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>

#include "sim/core/errors.hpp"
#include "sim/io/interview_csv.hpp"
#include "sim/io/municipalities.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;
using klynge::Population;

namespace {

// Columns of the test files, in order; the comments give the 1-based column numbers that the
// error table below expects.
const std::vector<std::string> kColumns = {
    "firm_id",              // 1
    "name",                 // 2
    "municipality",         // 3
    "lat",                  // 4
    "lon",                  // 5
    "employees",            // 6
    "revenue_mdkk",         // 7
    "export_share",         // 8
    "market_food",          // 9
    "market_energy_env",    // 10
    "market_other",         // 11
    "cap_welding",          // 12
    "cap_machining",        // 13
    "collab_willingness",   // 14
    "growth_ambition",      // 15
    "absorptive_capacity",  // 16
    "dev_opportunities",    // 17
    "participant",          // 18
};

using Values = std::map<std::string, std::string>;

// One firms.csv row in the ';' dialect: sensible answers, with `changes` applied.
std::string row(const std::string& id, const Values& changes = {}, char sep = ';') {
  Values v = {{"firm_id", id},
              {"name", "Firma " + id},
              {"municipality", "Aarhus"},
              {"lat", ""},
              {"lon", ""},
              {"employees", "80"},
              {"revenue_mdkk", sep == ';' ? "95,5" : "95.5"},
              {"export_share", sep == ';' ? "0,3" : "0.3"},
              {"market_food", sep == ';' ? "0,5" : "0.5"},
              {"market_energy_env", sep == ';' ? "0,3" : "0.3"},
              {"market_other", sep == ';' ? "0,2" : "0.2"},
              {"cap_welding", "4"},
              {"cap_machining", "2"},
              {"collab_willingness", "3"},
              {"growth_ambition", "4"},
              {"absorptive_capacity", "2"},
              {"dev_opportunities", "automation|lean"},
              {"participant", "ja"}};
  for (const auto& [key, value] : changes) v.at(key) = value;
  std::string out;
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (i) out += sep;
    out += v.at(kColumns[i]);
  }
  return out;
}

std::string header(char sep = ';') {
  std::string out;
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (i) out += sep;
    out += kColumns[i];
  }
  return out;
}

// A firms.csv text: header, then the rows, LF line ends.
std::string firms(const std::vector<std::string>& rows) {
  std::string out = header() + "\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}

Population parse(const std::string& firms_text, const std::string& relations_text = "") {
  return klynge::parse_population(firms_text, "firms.csv", relations_text,
                                  relations_text.empty() ? "" : "relations.csv");
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const klynge::InputError& e) {
    return e.what();
  }
  return "<no error>";
}

int count_containing(const std::vector<klynge::DataNote>& notes, const std::string& text) {
  return static_cast<int>(std::count_if(notes.begin(), notes.end(), [&](const auto& n) {
    return n.message.find(text) != std::string::npos;
  }));
}

}  // namespace

TEST_CASE("interview: Danish Excel export (BOM, CRLF, semicolons, decimal comma, æøå)",
          "[interview]") {
  const std::string text =
      "\xEF\xBB\xBF" + header() + "\r\n" +
      row("101", {{"name", "\"Smed & Søn; \"\"Ø-værket\"\" A/S\""}, {"municipality", "Århus"}}) +
      "\r\n" +
      row("102", {{"name", "\"Ålborg\r\nMaskinfabrik\""},  // a line break inside the name
                  {"municipality", "Ringkøbing-Skjern"},
                  {"employees", "120,0"},
                  {"export_share", " 0,45 "},
                  {"market_food", "0,1"},
                  {"market_energy_env", "0,7"},
                  {"market_other", "0,2"},
                  {"cap_machining", ""},
                  {"participant", "Nej"}}) +
      "\r\n" + row("103", {{"municipality", "Samsø Kommune"}}) + "\r\n\r\n";
  const Population pop = parse(text);
  REQUIRE(pop.firms.size() == 3);
  CHECK(pop.capability_names == std::vector<std::string>{"welding", "machining"});

  const auto& a = pop.firms[0];
  CHECK(a.firm_id == "101");
  CHECK(a.name == "Smed & Søn; \"Ø-værket\" A/S");
  CHECK(a.pseudonym == "F001");
  CHECK(a.municipality == "Aarhus");
  CHECK(a.location_from_centroid);
  CHECK(a.lat == Approx(56.17).margin(0.1));
  CHECK(a.lon == Approx(10.15).margin(0.1));
  CHECK(a.employees == 80);
  CHECK(a.revenue_mdkk == Approx(95.5));
  CHECK(a.export_share == Approx(0.3));
  CHECK(a.market_share[0] == Approx(0.5));
  CHECK(a.market_share[1] == Approx(0.3));
  CHECK(a.market_share[2] == Approx(0.2));
  CHECK(a.capabilities == std::vector<double>{0.75, 0.25});
  CHECK(a.willingness == Approx(0.5));
  CHECK(a.ambition == Approx(0.75));
  CHECK(a.absorptive == Approx(0.25));
  CHECK(a.dev_opportunities == std::vector<std::string>{"automation", "lean"});
  CHECK(a.participant);

  const auto& b = pop.firms[1];
  CHECK(b.name == "Ålborg\nMaskinfabrik");
  CHECK(b.municipality == "Ringkøbing-Skjern");
  CHECK(b.employees == 120);
  CHECK(b.export_share == Approx(0.45));
  CHECK(b.main_segment() == 1);
  CHECK(b.capabilities[1] == 0.0);  // blank = none
  CHECK_FALSE(b.participant);
  CHECK(pop.firms[2].municipality == "Samsø");
  CHECK(pop.participant_count() == 2);
  CHECK(pop.imputed.empty());
  CHECK(pop.warnings.empty());
  CHECK(pop.relations.empty());
}

TEST_CASE("interview: comma-separated file with decimal points and coordinates", "[interview]") {
  const std::string text = header(',') + "\n" +
                           row("X1", {{"lat", "56.1572"}, {"lon", "10.2107"}}, ',') + "\n" +
                           row("X2", {{"name", "\"Jensen, Hansen & Co\""}}, ',') + "\n";
  const Population pop = parse(text, "firm_a,firm_b,type,strength\nX1,X2,supplier,2\n");
  REQUIRE(pop.firms.size() == 2);
  CHECK_FALSE(pop.firms[0].location_from_centroid);
  CHECK(pop.firms[0].lat == Approx(56.1572));
  CHECK(pop.firms[0].lon == Approx(10.2107));
  CHECK(pop.firms[0].municipality == "Aarhus");
  CHECK(pop.firms[0].revenue_mdkk == Approx(95.5));
  CHECK(pop.firms[1].name == "Jensen, Hansen & Co");
  REQUIRE(pop.relations.size() == 1);
  CHECK(pop.relations[0].firm_a == 0);
  CHECK(pop.relations[0].firm_b == 1);
  CHECK(pop.relations[0].type == klynge::RelationType::supplier);
  CHECK(pop.relations[0].strength == 2);
}

TEST_CASE("interview: blank Likert answers get the main segment's median", "[interview]") {
  const Values food = {
      {"market_food", "0,8"}, {"market_energy_env", "0,1"}, {"market_other", "0,1"}};
  const Values energy = {
      {"market_food", "0,1"}, {"market_energy_env", "0,8"}, {"market_other", "0,1"}};
  const Values other = {
      {"market_food", "0,1"}, {"market_energy_env", "0,1"}, {"market_other", "0,8"}};
  const auto with = [](Values v, const std::string& willingness) {
    v["collab_willingness"] = willingness;
    v["growth_ambition"] = "";  // nobody answers ambition
    return v;
  };
  const Population pop = parse(firms({
      row("A", with(food, "1")),    // 0
      row("B", with(food, "3")),    // 0.5
      row("C", with(food, "5")),    // 1
      row("D", with(energy, "2")),  // 0.25
      row("E", with(food, "")),     // food median {0, 0.5, 1} = 0.5        (line 6)
      row("F", with(energy, "")),   // energy median {0.25} = 0.25          (line 7)
      row("G", with(other, "")),    // no "other" answer: all {0,.5,1,.25} = 0.375 (line 8)
  }));
  CHECK(pop.firms[4].willingness == Approx(0.5));
  CHECK(pop.firms[5].willingness == Approx(0.25));
  CHECK(pop.firms[6].willingness == Approx(0.375));
  for (const auto& f : pop.firms) CHECK(f.ambition == Approx(0.5));  // nobody answered

  CHECK(count_containing(pop.imputed, "collab_willingness") == 3);
  CHECK(count_containing(pop.imputed, "growth_ambition") == 7);
  CHECK(pop.imputed.size() == 10);
  // File order: line 2 first (its ambition), then line 6 willingness before line 6 ambition.
  CHECK(pop.imputed.front().line == 2);
  const auto at = [&](int line, const std::string& column) {
    for (const auto& n : pop.imputed)
      if (n.line == line && n.column == column) return n;
    FAIL("no note for line " << line << " " << column);
    return klynge::DataNote{};
  };
  CHECK(at(6, "collab_willingness").message ==
        "blank collab_willingness imputed with the food median 0.5");
  CHECK(at(6, "collab_willingness").file == "firms.csv");
  CHECK(at(7, "collab_willingness").message ==
        "blank collab_willingness imputed with the energy_environment median 0.25");
  CHECK(at(8, "collab_willingness").message ==
        "blank collab_willingness imputed with the median of all firms 0.375 (no other firm "
        "answered)");
  CHECK(at(2, "growth_ambition").message ==
        "blank growth_ambition imputed with 0.5 (no firm answered)");
}

TEST_CASE("interview: export share, market remainder and participant imputations", "[interview]") {
  const Population pop = parse(firms({
      row("A", {{"export_share", ""}}),
      row("B", {{"market_other", ""}}),  // remainder 0.2
      row("C", {{"market_food", "1"}, {"market_energy_env", ""}, {"market_other", ""}}),
      row("D", {{"market_food", "0,6"}, {"market_energy_env", "0,7"}, {"market_other", ""}}),
      row("E", {{"participant", ""}}),
      row("F", {{"market_food", "0,5"}, {"market_energy_env", "0,5"}, {"market_other", "0,3"}}),
  }));
  CHECK(pop.firms[0].export_share == 0);
  CHECK(pop.firms[1].market_share[2] == Approx(0.2));
  CHECK(pop.firms[2].market_share == std::array<double, 3>{1, 0, 0});
  // Others already above 1: blank is 0, then normalised with a warning.
  CHECK(pop.firms[3].market_share[0] == Approx(0.6 / 1.3));
  CHECK(pop.firms[3].market_share[2] == 0);
  CHECK_FALSE(pop.firms[4].participant);
  CHECK(pop.firms[5].market_share[0] == Approx(0.5 / 1.3));
  double sum = 0;
  for (double s : pop.firms[5].market_share) sum += s;
  CHECK(sum == Approx(1));

  CHECK(pop.imputed.size() == 6);
  CHECK(count_containing(pop.imputed, "blank export_share taken as 0") == 1);
  CHECK(count_containing(pop.imputed, "blank market_other taken as the remainder 0.2") == 1);
  CHECK(count_containing(pop.imputed, "taken as 0 (market_food is 1)") == 2);
  CHECK(count_containing(pop.imputed, "taken as 0 (the other shares already sum to 1.3)") == 1);
  CHECK(count_containing(pop.imputed, "blank participant taken as no") == 1);
  REQUIRE(pop.warnings.size() == 2);
  CHECK(pop.warnings[0].line == 5);
  CHECK(pop.warnings[0].message == "market shares sum to 1.3, not 1; normalised");
  CHECK(pop.warnings[1].line == 7);
}

TEST_CASE("interview: unknown columns are warnings, blank unnamed columns are ignored",
          "[interview]") {
  const std::string text = header() + ";Notes;employes;\n" + row("A") + ";ring igen;x;\n";
  const Population pop = parse(text);
  REQUIRE(pop.warnings.size() == 2);
  CHECK(pop.warnings[0].column == "notes");
  CHECK(pop.warnings[0].line == 1);
  CHECK_THAT(pop.warnings[0].message, Contains("unknown column \"notes\" (column 19) ignored"));
  CHECK_THAT(pop.warnings[1].message, Contains("did you mean 'employees'?"));
  // An unnamed column with data is worth a warning.
  const Population with_data = parse(header() + ";\n" + row("A") + ";42\n");
  REQUIRE(with_data.warnings.size() == 1);
  CHECK_THAT(with_data.warnings[0].message, Contains("column 19 has no name"));
}

TEST_CASE("interview: header names are case-insensitive and trimmed", "[interview]") {
  std::string text = header();
  text.replace(0, 7, " FIRM_ID ");
  const Population pop = parse(text + "\n" + row("A") + "\n");
  CHECK(pop.firms.size() == 1);
  CHECK(pop.warnings.empty());
}

TEST_CASE("interview: dev opportunities and participant spellings", "[interview]") {
  const Population pop = parse(firms({
      row("A", {{"dev_opportunities", " Automation | | LEAN|automation|"}, {"participant", "YES"}}),
      row("B", {{"dev_opportunities", ""}, {"participant", "j"}}),
      row("C", {{"participant", "False"}}),
      row("D", {{"participant", "1"}}),
      row("E", {{"participant", "n"}}),
  }));
  CHECK(pop.firms[0].dev_opportunities == std::vector<std::string>{"automation", "lean"});
  CHECK(pop.firms[1].dev_opportunities.empty());
  CHECK(pop.participant_count() == 3);
  CHECK(pop.firms[1].participant);
  CHECK_FALSE(pop.firms[2].participant);
}

TEST_CASE("interview: lat/lon override the municipality, unknown names then only warn",
          "[interview]") {
  const Population pop = parse(firms({
      row("A", {{"municipality", "Vejle"}, {"lat", "55,71"}, {"lon", "9,53"}}),
      row("B", {{"municipality", ""}, {"lat", "56,0"}, {"lon", "9,0"}}),
  }));
  CHECK_FALSE(pop.firms[0].location_from_centroid);
  CHECK(pop.firms[0].municipality == "Vejle");
  CHECK(pop.firms[1].municipality.empty());
  REQUIRE(pop.warnings.size() == 1);
  CHECK(pop.warnings[0].column == "municipality");
  CHECK(pop.warnings[0].line == 2);
}

TEST_CASE("interview: a file with lat/lon columns needs no municipality column", "[interview]") {
  const std::string text =
      "firm_id;lat;lon;employees;revenue_mdkk;export_share;market_food;market_energy_env;"
      "market_other;cap_x;collab_willingness;growth_ambition;absorptive_capacity;participant\n"
      "A;56,2;9,6;50;60;0;1;0;0;3;3;3;3;ja\n";
  const Population pop = parse(text);
  CHECK(pop.firms.at(0).lat == Approx(56.2));
  CHECK(pop.firms.at(0).dev_opportunities.empty());
  CHECK(pop.firms.at(0).name.empty());
  CHECK_THAT(error_of([&] { parse(text + "B;;;50;60;0;1;0;0;3;3;3;3;ja\n"); }),
             Contains("firms.csv:3:2: lat: no location"));
}

TEST_CASE("interview: pseudonyms follow file order and widen past 999 firms", "[interview]") {
  std::vector<std::string> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back(row("id" + std::to_string(1000 - i)));
  const Population pop = parse(firms(rows));
  REQUIRE(pop.firms.size() == 1000);
  CHECK(pop.firms[0].pseudonym == "F0001");
  CHECK(pop.firms[0].firm_id == "id1000");
  CHECK(pop.firms[41].pseudonym == "F0042");
  CHECK(pop.firms[999].pseudonym == "F1000");
  const Population small = parse(firms({row("z"), row("a"), row("m")}));
  CHECK(small.firms[0].pseudonym == "F001");
  CHECK(small.firms[1].pseudonym == "F002");
  CHECK(small.firms[2].pseudonym == "F003");
  CHECK(small.firms[1].firm_id == "a");
}

TEST_CASE("interview: relations to unknown firms, self-relations and duplicates are skipped",
          "[interview]") {
  const std::string relations =
      "\xEF\xBB\xBF"
      "firm_a;firm_b;type;strength;comment\r\n"
      "A;B;Supplier;2;\r\n"        // 2 kept
      "B;ZZZ;customer;3;\r\n"      // 3 unknown firm_b
      "q;A;partner;1;\r\n"         // 4 unknown firm_a
      "C;c;knowledge;1;\r\n"       // 5 self (ids are case-insensitive)
      "b;a;knowledge;4;\r\n"       // 6 same pair as line 2, reversed
      "A;C;leverandør;5;note\r\n"  // 7 kept, Danish type word
      "B;C;Partner;3;\r\n";        // 8 kept
  const Population pop = parse(firms({row("A"), row("B"), row("C")}), relations);
  REQUIRE(pop.relations.size() == 3);
  CHECK(pop.relations[0].firm_a == 0);
  CHECK(pop.relations[0].firm_b == 1);
  CHECK(pop.relations[1].type == klynge::RelationType::supplier);
  CHECK(pop.relations[1].strength == 5);
  CHECK(pop.relations[2].type == klynge::RelationType::partner);
  REQUIRE(pop.skipped.size() == 4);
  CHECK(pop.skipped[0].file == "relations.csv");
  CHECK(pop.skipped[0].line == 3);
  CHECK(pop.skipped[0].column == "firm_b");
  CHECK(pop.skipped[0].message ==
        "firm_b (column 2) is not a firm_id in firms.csv; relation skipped");
  CHECK(pop.skipped[1].line == 4);
  CHECK(pop.skipped[1].column == "firm_a");
  CHECK(pop.skipped[2].line == 5);
  CHECK_THAT(pop.skipped[2].message, Contains("the same firm"));
  CHECK(pop.skipped[3].line == 6);
  CHECK_THAT(pop.skipped[3].message, Contains("on line 2; kept that one"));
  REQUIRE(pop.warnings.size() == 1);  // the unknown "comment" column
  CHECK(pop.warnings[0].file == "relations.csv");
}

TEST_CASE("interview: no relations file, or one with only a header", "[interview]") {
  const std::string f = firms({row("A")});
  CHECK(klynge::parse_population(f, "firms.csv", "", "").relations.empty());
  const Population header_only =
      klynge::parse_population(f, "firms.csv", "firm_a;firm_b;type;strength\r\n", "rel.csv");
  CHECK(header_only.relations.empty());
  REQUIRE(header_only.warnings.size() == 1);
  CHECK_THAT(header_only.warnings[0].message, Contains("no relations"));
  CHECK_THAT(error_of([&] { klynge::parse_population(f, "firms.csv", "", "rel.csv"); }),
             Contains("rel.csv: the file is empty"));
}

TEST_CASE("interview: malformed input names file, line, column and key", "[interview]") {
  struct Case {
    std::string what, firms_text, relations_text, expected;
  };
  const std::string good = row("A1");  // line 2
  const auto bad = [&](const Values& changes) { return firms({good, row("A2", changes)}); };
  const std::string h = header();
  const std::string rel_header = "firm_a;firm_b;type;strength\n";
  const std::string two = firms({row("A"), row("B")});
  std::vector<Case> cases = {
      {"negative employees", bad({{"employees", "-3"}}), "",
       "firms.csv:3:6: employees: expected a whole number of employees from 1 to 1000000, got "
       "\"-3\""},
      {"zero employees", bad({{"employees", "0"}}), "", "firms.csv:3:6: employees: expected"},
      {"fractional employees", bad({{"employees", "85,5"}}), "", "firms.csv:3:6: employees:"},
      {"junk after a number", bad({{"employees", "12abc"}}), "",
       "firms.csv:3:6: employees: expected a whole number of employees from 1 to 1000000, got "
       "\"12abc\""},
      {"blank employees", bad({{"employees", ""}}), "",
       "firms.csv:3:6: employees: expected a whole number of employees from 1 to 1000000, got a "
       "blank cell"},
      {"huge number", bad({{"employees", "1e400"}}), "",
       "firms.csv:3:6: employees: expected a whole number of employees from 1 to 1000000, got "
       "\"1e400\" (too large or too small)"},
      {"negative revenue", bad({{"revenue_mdkk", "-1"}}), "", "firms.csv:3:7: revenue_mdkk:"},
      {"NaN revenue", bad({{"revenue_mdkk", "NaN"}}), "",
       "firms.csv:3:7: revenue_mdkk: expected a revenue in mDKK above 0, up to 1000000, got "
       "\"NaN\" "
       "(NaN and infinity are not accepted)"},
      {"thousands separator", bad({{"revenue_mdkk", "1.234,5"}}), "",
       "firms.csv:3:7: revenue_mdkk: expected a revenue in mDKK above 0, up to 1000000, got "
       "\"1.234,5\" (thousands separators are not accepted)"},
      {"decimal point in a ';' file", bad({{"revenue_mdkk", "12.5"}}), "",
       "firms.csv:3:7: revenue_mdkk: expected a revenue in mDKK above 0, up to 1000000, got "
       "\"12.5\" "
       "(this file is ';'-separated, so decimals are written with a comma (1,5))"},
      {"share above 1", bad({{"export_share", "1,5"}}), "",
       "firms.csv:3:8: export_share: expected a share from 0 to 1, got \"1,5\""},
      {"share as percent", bad({{"export_share", "40"}}), "",
       "firms.csv:3:8: export_share: expected a share from 0 to 1, got \"40\" (write a "
       "percentage as a fraction: 40 % is 0,4)"},
      {"negative market share", bad({{"market_food", "-0,1"}}), "",
       "firms.csv:3:9: market_food: expected a share from 0 to 1"},
      {"all market shares blank",
       bad({{"market_food", ""}, {"market_energy_env", ""}, {"market_other", ""}}), "",
       "firms.csv:3:9: market_food: all three market shares"},
      {"two blank shares, split unknown",
       bad({{"market_food", "0,6"}, {"market_energy_env", ""}, {"market_other", ""}}), "",
       "firms.csv:3:10: market_energy_env: market_energy_env and market_other are blank and "
       "market_food is only 0.6: fill in how the remaining 0.4 splits"},
      {"market shares sum to 0",
       bad({{"market_food", "0"}, {"market_energy_env", "0"}, {"market_other", "0"}}), "",
       "firms.csv:3:9: market_food: the market shares sum to 0"},
      {"Likert above 5", bad({{"cap_welding", "6"}}), "",
       "firms.csv:3:12: cap_welding: expected a whole number from 1 to 5 (Likert), got \"6\""},
      {"Likert not whole", bad({{"cap_machining", "3,5"}}), "",
       "firms.csv:3:13: cap_machining: expected a whole number from 1 to 5 (Likert), got "
       "\"3,5\""},
      {"Likert zero", bad({{"cap_welding", "0"}}), "",
       "firms.csv:3:12: cap_welding: expected a whole number from 1 to 5 (Likert), got \"0\" "
       "(leave the cell blank for none)"},
      {"Likert text", bad({{"collab_willingness", "high"}}), "",
       "firms.csv:3:14: collab_willingness: expected a whole number from 1 to 5 (Likert), got "
       "\"high\""},
      {"Likert hexadecimal", bad({{"growth_ambition", "0x3"}}), "",
       "firms.csv:3:15: growth_ambition: expected a whole number from 1 to 5 (Likert), got "
       "\"0x3\" (hexadecimal is not accepted)"},
      {"Likert infinity", bad({{"absorptive_capacity", "inf"}}), "",
       "firms.csv:3:16: absorptive_capacity: expected"},
      {"participant not yes/no", bad({{"participant", "maybe"}}), "",
       "firms.csv:3:18: participant: expected yes or no (yes/no, ja/nej, y/j/n, 1/0, "
       "true/false), got \"maybe\""},
      {"duplicate firm_id", firms({good, row("B"), row("a1")}), "",
       "firms.csv:4:1: firm_id: duplicate firm_id (the same id is on line 2)"},
      {"blank firm_id", bad({{"firm_id", " "}}), "",
       "firms.csv:3:1: firm_id: blank firm_id: every firm needs an id"},
      {"unknown municipality", bad({{"municipality", "Silkebor"}}), "",
       "firms.csv:3:3: municipality: unknown municipality \"Silkebor\" (did you mean "
       "'Silkeborg'?)"},
      {"blank municipality, no coordinates", bad({{"municipality", ""}}), "",
       "firms.csv:3:3: municipality: no location: the municipality is blank and lat/lon are not "
       "given"},
      {"lat without lon", bad({{"lat", "56,1"}}), "",
       "firms.csv:3:5: lon: lat is given but lon is blank; give both coordinates or neither"},
      {"lon without lat", bad({{"lon", "10,1"}}), "", "firms.csv:3:4: lat: lon is given but lat"},
      {"swapped coordinates", bad({{"lat", "10,2"}, {"lon", "56,1"}}), "",
       "firms.csv:3:4: lat: expected a latitude in Denmark (54.5 to 57.8), got \"10,2\" (lat and "
       "lon swapped?)"},
      {"longitude outside Denmark", bad({{"lat", "56"}, {"lon", "15"}}), "",
       "firms.csv:3:5: lon: expected a longitude in Denmark (8 to 13), got \"15\""},
      {"short row", firms({good, row("A2").substr(0, row("A2").rfind(';'))}), "",
       "firms.csv:3:18: participant: short row: 17 fields, but the header has 18 columns"},
      {"extra field", firms({good, row("A2") + ";surplus"}), "",
       "firms.csv:3:19: row has 19 fields, but the header has 18 columns (extra value "
       "\"surplus\")"},
      {"Windows-1252 name", bad({{"name", "K\xF8ge Smedie"}}), "",
       "firms.csv:3:2: name: invalid UTF-8 (byte 0xF8); the file looks like Windows-1252"},
      {"unclosed quote", firms({good, row("A2", {{"name", "\"Open"}})}), "",
       "firms.csv:3:2: name: a quoted value opened on this line is never closed"},
      {"text after closing quote", bad({{"name", "\"Smed\" A/S"}}), "",
       "firms.csv:3:2: name: text after the closing quote"},
      {"NUL byte", bad({{"name", std::string("a\0b", 3)}}), "", "firms.csv:3:2: name: NUL byte"},
      {"line count after a quoted line break",
       firms({row("A1", {{"name", "\"two\nlines\""}}), row("A2", {{"employees", "x"}})}), "",
       "firms.csv:4:6: employees: expected"},
      {"misspelt required column",
       [&] {
         std::string t = two;
         t.replace(t.find("employees"), 9, "employes");
         return t;
       }(),
       "",
       "firms.csv:1:6: employees: required column is missing; column 6 \"employes\" looks like a "
       "misspelling of it (did you mean 'employees'?)"},
      {"missing required column",
       [&] {
         std::string t =
             h.substr(0, h.rfind(';')) + "\n" + row("A").substr(0, row("A").rfind(';')) + "\n";
         return t;
       }(),
       "", "firms.csv:1: participant: required column is missing"},
      {"duplicate column", h + ";Name\n" + good + ";x\n", "",
       "firms.csv:1:19: name: duplicate column (also column 2)"},
      {"no capability columns",
       "firm_id;municipality;employees;revenue_mdkk;export_share;market_food;market_energy_env;"
       "market_other;collab_willingness;growth_ambition;absorptive_capacity;participant\n"
       "A;Aarhus;50;60;0;1;0;0;3;3;3;ja\n",
       "", "firms.csv:1: cap_*: no capability columns"},
      {"capability without a name", h + ";cap_\n" + good + ";3\n", "",
       "firms.csv:1:19: cap_: a capability column needs a name"},
      {"lat column without lon column",
       [&] {
         std::string t = two;
         t.replace(t.find(";lon;"), 5, ";lo;");
         return t;
       }(),
       "", "firms.csv:1:4: lon: the file has a lat column but no lon column"},
      {"empty file", "", "", "firms.csv: the file is empty"},
      {"header only", h + "\r\n", "",
       "firms.csv:1: no firms: the file has a header but no data rows"},
      {"spreadsheet workbook", "PK\x03\x04\x14\x00", "", "firms.csv:1: the file is a zip archive"},
      // relations.csv
      {"unknown relation type", two, rel_header + "A;B;supplier;2\nA;B;supplyer;2\n",
       "relations.csv:3:3: type: expected a relation type (supplier, customer, partner or "
       "knowledge), got \"supplyer\" (did you mean 'supplier'?)"},
      {"blank relation type", two, rel_header + "A;B;;2\n",
       "relations.csv:2:3: type: expected a relation type"},
      {"strength above 5", two, rel_header + "A;B;partner;6\n",
       "relations.csv:2:4: strength: expected a whole number from 1 to 5 (Likert), got \"6\""},
      {"blank strength", two, rel_header + "A;B;partner;\n",
       "relations.csv:2:4: strength: expected a whole number from 1 to 5 (Likert), got a blank "
       "cell"},
      {"blank firm_b", two, rel_header + "A;;partner;1\n",
       "relations.csv:2:2: firm_b: blank firm_b"},
      {"malformed value on a row that would be skipped", two, rel_header + "A;NOPE;partner;9\n",
       "relations.csv:2:4: strength:"},
      {"misspelt relation column", two, "firm_a;firm_b;type;strenght\nA;B;partner;2\n",
       "relations.csv:1:4: strength: required column is missing; column 4 \"strenght\""},
      {"short relation row", two, rel_header + "A;B;partner\n",
       "relations.csv:2:4: strength: short row"},
      {"binary relations file", two, std::string("firm_a;firm_b\n\0\0\x01", 17),
       "relations.csv:2:1: firm_a: NUL byte"},
  };
  REQUIRE(cases.size() >= 25);
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK_THAT(error_of([&] { parse(c.firms_text, c.relations_text); }), Contains(c.expected));
  }
}

TEST_CASE("interview: messages never repeat a firm_id or a name", "[interview]") {
  const std::string secret = "SECRET-77";
  const std::string message = error_of([&] {
    parse(firms({row(secret), row("secret-77", {{"name", "Hemmelig A/S"}})}));
  });
  CHECK_THAT(message, Contains("duplicate firm_id"));
  CHECK(message.find("77") == std::string::npos);
  const Population pop =
      parse(firms({row(secret)}), "firm_a;firm_b;type;strength\nSECRET-77;Other-99;partner;2\n");
  REQUIRE(pop.skipped.size() == 1);
  CHECK(pop.skipped[0].message.find("99") == std::string::npos);
}

TEST_CASE("interview: municipality table", "[interview]") {
  for (const char* name : {"Aarhus",
                           "Århus",
                           "Randers",
                           "Silkeborg",
                           "Skanderborg",
                           "Favrskov",
                           "Syddjurs",
                           "Norddjurs",
                           "Odder",
                           "Viborg",
                           "Skive",
                           "Herning",
                           "Holstebro",
                           "Ikast-Brande",
                           "Horsens",
                           "Hedensted",
                           "Ringkøbing-Skjern",
                           "Struer",
                           "Lemvig",
                           "Samsø",
                           "Bjerringbro",
                           "Kjellerup",
                           "Hadsten",
                           "Ry",
                           "Hammel",
                           "Grenaa"}) {
    INFO(name);
    const auto c = klynge::municipality_centroid(name);
    REQUIRE(c);
    // Everything in the table lies in Jutland or the islands around it.
    CHECK(c->lat > 55.5);
    CHECK(c->lat < 57.2);
    CHECK(c->lon > 8.0);
    CHECK(c->lon < 11.0);
  }
  // Spellings people use for the same place.
  const auto aarhus = klynge::municipality_centroid("Aarhus");
  for (const char* name : {"Århus", "Arhus", "ÅRHUS", " aarhus kommune ", "Aarhus Kommune"}) {
    INFO(name);
    const auto c = klynge::municipality_centroid(name);
    REQUIRE(c);
    CHECK(c->lat == aarhus->lat);
    CHECK(c->lon == aarhus->lon);
    CHECK(klynge::municipality_canonical_name(name) == "Aarhus");
  }
  CHECK(klynge::municipality_canonical_name("Noerre Djurs") == "Nørre Djurs");
  CHECK(klynge::municipality_canonical_name("norre-djurs") == "Nørre Djurs");
  CHECK(klynge::municipality_canonical_name("Ringkobing Skjern") == "Ringkøbing-Skjern");
  CHECK(klynge::municipality_canonical_name("Ringkoebing-Skjern") == "Ringkøbing-Skjern");
  CHECK(klynge::municipality_canonical_name("Samsoe") == "Samsø");
  CHECK(klynge::municipality_canonical_name("Langaa") == "Langå");
  CHECK(klynge::municipality_canonical_name("Ikast") == "Ikast");  // the old one, not Ikast-Brande
  CHECK_FALSE(klynge::municipality_centroid("Vejle"));
  CHECK_FALSE(klynge::municipality_centroid(""));
  CHECK_FALSE(klynge::municipality_centroid("Kommune"));
  CHECK(klynge::municipality_suggestion("Silkebrog") == " (did you mean 'Silkeborg'?)");
  CHECK(klynge::municipality_suggestion("Ringkobing-Skern") ==
        " (did you mean 'Ringkøbing-Skjern'?)");
  CHECK(klynge::municipality_suggestion("Copenhagen").empty());

  // Current municipalities first; every name resolves to itself (no two fold alike).
  const auto names = klynge::municipality_names();
  CHECK(names.size() >= 70);
  CHECK(names.front() == "Aarhus");
  for (const auto& name : names) {
    INFO(name);
    CHECK(klynge::municipality_canonical_name(name) == name);
  }
}

TEST_CASE("interview: load_population reads files and names a missing one", "[interview]") {
  const klynge::testing::TempDir temp("klynge-interview-load");
  const auto& dir = temp.path;
  const auto firms_path = (dir / "firms.csv").string();
  const auto relations_path = (dir / "relations.csv").string();
  std::ofstream(firms_path, std::ios::binary) << firms({row("A"), row("B")});
  std::ofstream(relations_path, std::ios::binary)
      << "firm_a,firm_b,type,strength\r\nA,B,partner,3\r\n";

  const Population pop = klynge::load_population(firms_path, relations_path);
  CHECK(pop.firms.size() == 2);
  CHECK(pop.relations.size() == 1);
  CHECK(klynge::load_population(firms_path, "").relations.empty());

  const auto missing = (dir / "nope.csv").string();
  CHECK_THAT(error_of([&] { klynge::load_population(missing, relations_path); }),
             Contains(missing + ": cannot read the file"));
  CHECK_THAT(error_of([&] { klynge::load_population(firms_path, missing); }),
             Contains(missing + ": cannot read the file"));
  // Errors in a file name the path the user gave.
  std::ofstream(relations_path, std::ios::binary) << "firm_a,firm_b,type,strength\nA,B,x,3\n";
  CHECK_THAT(error_of([&] { klynge::load_population(firms_path, relations_path); }),
             Contains(relations_path + ":2:3: type:"));
}

TEST_CASE("interview: the sample data in scenarios/data loads", "[interview]") {
  const std::string data = std::string(KLYNGE_SOURCE_DIR) + "/scenarios/data/";
  if (!std::filesystem::exists(data + "midtjylland_firms.csv")) return;
  const Population pop =
      klynge::load_population(data + "midtjylland_firms.csv", data + "midtjylland_relations.csv");
  CHECK(pop.firms.size() >= 31);
  CHECK_FALSE(pop.capability_names.empty());
  CHECK_FALSE(pop.relations.empty());
  for (const auto& f : pop.firms) {
    CHECK(f.lat > 54.5);
    CHECK(f.lon > 8.0);
  }
}

TEST_CASE("interview: truncated and corrupted files give an InputError, never a crash",
          "[interview]") {
  const std::string good =
      "\xEF\xBB\xBF" + header() + "\r\n" + row("A", {{"name", "\"Smed; \"\"Ø\"\"\r\nA/S\""}}) +
      "\r\n" + row("B", {{"lat", "56,2"}, {"lon", "9,6"}, {"growth_ambition", ""}}) + "\r\n";
  const std::string relations = "firm_a;firm_b;type;strength\r\nA;B;partner;2\r\nA;Q;kunde;1\r\n";
  REQUIRE(parse(good, relations).firms.size() == 2);
  const auto survive = [](const std::string& f, const std::string& r) {
    try {
      parse(f, r);
    } catch (const klynge::InputError& e) {
      CHECK(!std::string(e.what()).empty());
    }
  };
  for (std::size_t cut = 0; cut <= good.size(); ++cut) survive(good.substr(0, cut), relations);
  for (std::size_t cut = 0; cut <= relations.size(); ++cut) survive(good, relations.substr(0, cut));

  std::mt19937 rng(7);
  const std::string special = ";,\"\r\n|-.e0159 \xC3\xB8\xFF";
  for (int trial = 0; trial < 2000; ++trial) {
    std::string f = good, r = relations;
    std::string& target = trial % 4 == 0 ? r : f;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % target.size();
      const char c = rng() % 3 ? special[rng() % special.size()] : static_cast<char>(rng() % 256);
      switch (rng() % 3) {
        case 0:
          target[at] = c;
          break;
        case 1:
          target.insert(target.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          target.erase(at, 1);
          break;
      }
      if (target.empty()) target.push_back('x');  // keep something to mutate
    }
    survive(f, r);
  }
  for (int trial = 0; trial < 300; ++trial) {  // pure noise
    std::string noise(rng() % 400, '\0');
    for (char& c : noise) c = static_cast<char>(rng() % 256);
    survive(noise, "");
    survive(good, noise);
  }
}
