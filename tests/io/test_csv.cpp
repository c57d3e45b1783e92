// The generic CSV reader (sim/io/csv.hpp): dialects, quoting, line counting, number parsing, and
// that nothing in the input escapes as anything but an InputError.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include "sim/core/errors.hpp"
#include "sim/io/csv.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;
namespace csv = klynge::csv;

namespace {

// The message of the InputError that `f` throws, or "<no error>". Any other exception escapes and
// fails the test.
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const klynge::InputError& e) {
    return e.what();
  }
  return "<no error>";
}

std::string cell(const csv::Table& t, std::size_t row, std::size_t col) {
  return t.rows.at(row).fields.at(col).text;
}

}  // namespace

TEST_CASE("csv: semicolon file with BOM, CRLF and decimal comma", "[csv]") {
  const auto t = csv::parse(
      "\xEF\xBB\xBF"
      "A;B ; c\r\n1,5;x;\r\n2;y;z\r\n\r\n",
      "f.csv");
  CHECK(t.separator == ';');
  CHECK(t.decimal_mark == ',');
  CHECK(t.header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(cell(t, 0, 0) == "1,5");
  CHECK(cell(t, 0, 2).empty());
  CHECK(t.rows[1].line == 3);
  CHECK(csv::parse_number(cell(t, 0, 0), t.decimal_mark) == 1.5);
  // A doubled byte-order mark does not end up in the first column's name.
  CHECK(csv::parse("\xEF\xBB\xBF\xEF\xBB\xBF"
                   "a;b\n1;2\n",
                   "f.csv")
            .header[0] == "a");
}

TEST_CASE("csv: comma file uses the decimal point", "[csv]") {
  const auto t = csv::parse("a,b\n1.25,\"x;y\"\n", "f.csv");
  CHECK(t.separator == ',');
  CHECK(t.decimal_mark == '.');
  CHECK(cell(t, 0, 1) == "x;y");
  CHECK(csv::parse_number(cell(t, 0, 0), t.decimal_mark) == 1.25);
}

TEST_CASE("csv: separator is decided outside quotes on the header line", "[csv]") {
  // Three commas inside the quoted name, two semicolons outside.
  const auto t = csv::parse("\"a,b,c,d\";e;f\n1;2;3\n", "f.csv");
  CHECK(t.separator == ';');
  CHECK(t.header[0] == "a,b,c,d");
}

TEST_CASE("csv: tab-separated files accept either decimal mark", "[csv]") {
  const auto t = csv::parse("a\tb\n1,5\t2.5\n", "f.tsv");
  CHECK(t.separator == '\t');
  CHECK(csv::parse_number(cell(t, 0, 0), t.decimal_mark) == 1.5);
  CHECK(csv::parse_number(cell(t, 0, 1), t.decimal_mark) == 2.5);
}

TEST_CASE("csv: Excel's sep= line names the separator and counts as a line", "[csv]") {
  const auto t = csv::parse("sep=,\r\na;b,c\n1;2,3\n", "f.csv");
  CHECK(t.separator == ',');
  CHECK(t.header_line == 2);
  CHECK(t.header == std::vector<std::string>{"a;b", "c"});
  CHECK(t.rows[0].line == 3);
  CHECK_THAT(error_of([] { csv::parse("sep=|\na|b\n", "f.csv"); }),
             Contains("f.csv:1:1: unsupported separator"));
}

TEST_CASE("csv: quoted fields hold separators, line breaks and doubled quotes", "[csv]") {
  const std::string text =
      "id;name;n\r\n"
      "1;\"Smed; \"\"Søn\"\"\r\nA/S\";7\r\n"  // lines 2-3
      "2;  \"padded\"  ;8\n"                  // line 4: blanks around quotes are ignored
      "3;\"\";9\r"                            // line 5 ends with a lone CR
      "4;mid\"quote;10\n";                    // line 6: a quote inside an unquoted value
  const auto t = csv::parse(text, "f.csv");
  REQUIRE(t.rows.size() == 4);
  CHECK(cell(t, 0, 1) == "Smed; \"Søn\"\nA/S");
  CHECK(t.rows[0].line == 2);
  CHECK(t.rows[0].fields[2].line == 3);
  CHECK(cell(t, 1, 1) == "padded");
  CHECK(t.rows[1].line == 4);
  CHECK(cell(t, 2, 1).empty());
  CHECK(t.rows[2].line == 5);
  CHECK(cell(t, 3, 1) == "mid\"quote");
  CHECK(t.rows[3].line == 6);
}

TEST_CASE("csv: blank lines and rows of bare separators are dropped", "[csv]") {
  const auto t = csv::parse("\n\na;b\n\n1;2\n;;\n \n3;4\n\n\n", "f.csv");
  CHECK(t.header_line == 3);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].line == 5);
  CHECK(t.rows[1].line == 8);
}

TEST_CASE("csv: blank extra fields are dropped, a header with no rows is kept", "[csv]") {
  const auto t = csv::parse("a;b\n1;2;;\n", "f.csv");
  CHECK(t.rows[0].fields.size() == 2);
  const auto header_only = csv::parse("a;b\r\n", "f.csv");
  CHECK(header_only.rows.empty());
  CHECK(header_only.column("b") == 1);
  CHECK(header_only.column("c") == -1);
}

TEST_CASE("csv: malformed files name file, line and column", "[csv]") {
  struct Case {
    std::string text, expected;
  };
  const std::vector<Case> cases = {
      {"", "f.csv: the file is empty"},
      {"\xEF\xBB\xBF\r\n\r\n", "f.csv: the file is empty"},
      {"a;b;c\n1;2\n", "f.csv:2:3: c: short row: 2 fields, but the header has 3 columns"},
      {"a;b\n1;2;x\n",
       "f.csv:2:3: row has 3 fields, but the header has 2 columns (extra value \"x\")"},
      {"a,b\n1,5,2\n", "decimal comma in a comma-separated file"},
      {"a;b;a\n", "f.csv:1:3: a: duplicate column (also column 1)"},
      {"a;B\n1;2\n3;\"x\n", "f.csv:3:2: b: a quoted value opened on this line is never closed"},
      {"a;b\n1;\"x\"y\n", "f.csv:2:2: b: text after the closing quote"},
      {"a;b\n1;\"x\ny\"z\n", "f.csv:3:2: b: text after the closing quote"},
      {"a;b\n1;K\xE6rby\n",
       "f.csv:2:2: b: invalid UTF-8 (byte 0xE6); the file looks like Windows-1252"},
      {"a;b\n1;\"ok\nbad \xFF\"\n", "f.csv:3:2: b: invalid UTF-8 (byte 0xFF)"},
      {"a;b\n1;\xC0\xAF\n", "f.csv:2:2: b: invalid UTF-8"},      // overlong '/'
      {"a;b\n1;\xED\xA0\x80\n", "f.csv:2:2: b: invalid UTF-8"},  // surrogate
      {"a;b\n1;\xE2\x82\n", "f.csv:2:2: b: invalid UTF-8"},      // truncated sequence
      {std::string("a;b\n1;x\0y\n", 10), "f.csv:2:2: b: NUL byte"},
      {"PK\x03\x04garbage", "f.csv:1: the file is a zip archive"},
      {"\xFF\xFE"
       "a\0;\0",
       "f.csv:1: the file is UTF-16 text"},
      {"\xD0\xCF\x11\xE0rest", "f.csv:1: the file is an Excel .xls workbook"},
      {"a;b\r\n1;2\r\n3\r\n", "f.csv:3:2: b: short row"},
      {"a;b\r\n\"1\r\n\r\n\";2\r\n3\r\n", "f.csv:5:2: b: short row"},  // quoted CRLFs counted
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK_THAT(error_of([&] { csv::parse(c.text, "f.csv"); }), Contains(c.expected));
  }
}

TEST_CASE("csv: error keys and columns are on the InputError", "[csv]") {
  try {
    csv::parse("x;Y;z\n1;2\n", "data/f.csv");
    FAIL("no error");
  } catch (const klynge::InputError& e) {
    CHECK(e.where().file == "data/f.csv");
    CHECK(e.where().line == 2);
    CHECK(e.where().column == 3);
    CHECK(e.key() == "z");
  }
}

TEST_CASE("csv: numbers", "[csv]") {
  struct Case {
    std::string text;
    char mark;
    std::optional<double> value;
  };
  const std::vector<Case> cases = {
      {"12", ',', 12},
      {" 12 ", ',', 12},
      {"\xC2\xA0"
       "7\xC2\xA0",
       ',', 7},
      {"-0,5", ',', -0.5},
      {"+3", ',', 3},
      {",5", ',', 0.5},
      {"5,", ',', 5},
      {"1e3", ',', 1000},
      {"2,5E-1", ',', 0.25},
      {"1.25", '.', 1.25},
      {"1,5", 0, 1.5},
      {"1.5", 0, 1.5},
      {"0", '.', 0},
      {"1e-5", '.', 1e-5},
      {"", ',', std::nullopt},
      {" ", ',', std::nullopt},
      {"-", ',', std::nullopt},
      {",", ',', std::nullopt},
      {"1.5", ',', std::nullopt},      // a point in a decimal-comma file
      {"1,5", '.', std::nullopt},      // a comma in a decimal-point file
      {"1.234,5", ',', std::nullopt},  // thousands separators are refused
      {"1,234.5", '.', std::nullopt},
      {"1 234", ',', std::nullopt},
      {"12abc", ',', std::nullopt},
      {"abc", ',', std::nullopt},
      {"nan", '.', std::nullopt},
      {"NaN", ',', std::nullopt},
      {"inf", '.', std::nullopt},
      {"-Infinity", '.', std::nullopt},
      {"0x1A", '.', std::nullopt},
      {"1e400", '.', std::nullopt},
      {"-1e400", ',', std::nullopt},
      {"1e", '.', std::nullopt},
      {"1e+", '.', std::nullopt},
      {"--1", '.', std::nullopt},
      {"1,5,5", ',', std::nullopt},
      {"40%", ',', std::nullopt},
      {"1e99999999999999999999", '.', std::nullopt},
  };
  for (const auto& c : cases) {
    INFO("\"" << c.text << "\" mark '" << c.mark << "'");
    const auto got = csv::parse_number(c.text, c.mark);
    REQUIRE(got.has_value() == c.value.has_value());
    if (got) CHECK(*got == Approx(*c.value));
  }
  CHECK(csv::parse_number(std::string(5000, '9'), '.') == std::nullopt);         // 1e5000
  const auto tiny = csv::parse_number("0," + std::string(300, '0') + "1", ',');  // 1e-301
  REQUIRE(tiny);
  CHECK(*tiny == Approx(1e-301));
}

TEST_CASE("csv: number hints explain the refusal", "[csv]") {
  CHECK_THAT(csv::number_hint("1.5", ','), Contains("decimals are written with a comma"));
  CHECK_THAT(csv::number_hint("1,5", '.'), Contains("decimals are written with a point"));
  CHECK_THAT(csv::number_hint("1.234,5", ','), Contains("thousands separators"));
  CHECK_THAT(csv::number_hint("1 234", ','), Contains("thousands separators"));
  CHECK_THAT(csv::number_hint("NaN", ','), Contains("NaN"));
  CHECK_THAT(csv::number_hint("-inf", '.'), Contains("infinity"));
  CHECK_THAT(csv::number_hint("0x10", '.'), Contains("hexadecimal"));
  CHECK_THAT(csv::number_hint("1e400", '.'), Contains("too large"));
  CHECK_THAT(csv::number_hint("40 %", ','), Contains("40 % is 0,4"));
  CHECK(csv::number_hint("12abc", ',').empty());
}

TEST_CASE("csv: show() shortens and escapes values for messages", "[csv]") {
  CHECK(csv::show("abc") == "\"abc\"");
  CHECK(csv::show("a\nb\t\"c\"\x01") == "\"a\\nb\\t\\\"c\\\"\\x01\"");
  const std::string long_text = std::string(39, 'x') + "ø" + std::string(100, 'y');
  const std::string shown = csv::show(long_text);
  CHECK(shown == "\"" + std::string(39, 'x') + "\xE2\x80\xA6\"");  // cut before the 2-byte ø
}

TEST_CASE("csv: trim and lower", "[csv]") {
  CHECK(csv::trim("  a b \t\r\n") == "a b");
  CHECK(csv::trim("\xC2\xA0x\xC2\xA0") == "x");
  CHECK(csv::trim("   ").empty());
  CHECK(csv::lower("Firm_ID Æ") == "firm_id Æ");
}

TEST_CASE("csv: read_file names the path when it cannot read", "[csv]") {
  const klynge::testing::TempDir temp("klynge-csv-read");
  const auto& dir = temp.path;
  const auto missing = (dir / "missing.csv").string();
  CHECK_THAT(error_of([&] { csv::read_file(missing); }),
             Contains(missing + ": cannot read the file"));
  CHECK_THAT(error_of([&] { csv::read_file(dir.string()); }), Contains("it is a folder"));
  const auto present = dir / "ok.csv";
  std::ofstream(present, std::ios::binary) << "a;b\r\n1;2\r\n";
  CHECK(csv::read_file(present.string()) == "a;b\r\n1;2\r\n");
}

TEST_CASE("csv: a 10 MB line is read in linear time", "[csv]") {
  const std::string big(10 << 20, 'x');
  const auto start = std::chrono::steady_clock::now();
  const auto t = csv::parse("a;b\n1;\"" + big + "\"\n2;" + big + "\n", "f.csv");
  CHECK(t.rows.size() == 2);
  CHECK(t.rows[1].fields[1].text.size() == big.size());
  // A 10 MB header cell (an unknown column) is fine too.
  CHECK(csv::parse(big + ";b\n", "f.csv").header[0].size() == big.size());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}

TEST_CASE("csv: random bytes give rows or an InputError, never a crash", "[csv]") {
  std::mt19937 rng(20240611);
  // Bytes weighted towards the ones the parser treats specially.
  const std::string special = ";,\t\"\r\n \xC3\xA6\xFF";
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text;
    const std::size_t length = rng() % 200;
    for (std::size_t i = 0; i < length; ++i) {
      if (rng() % 2)
        text += special[rng() % special.size()];
      else
        text += static_cast<char>(rng() % (trial % 3 == 0 ? 256 : 128));
    }
    try {
      const auto t = csv::parse(text, "fuzz.csv");
      for (const auto& row : t.rows) CHECK(row.fields.size() == t.header.size());
    } catch (const klynge::InputError& e) {
      CHECK_THAT(std::string(e.what()), Contains("fuzz.csv"));
    }
  }
}
