#include "sim/io/csv.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <unordered_map>

#include "sim/core/errors.hpp"
#include "sim/io/input_file.hpp"

namespace klynge::csv {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string hex_byte(unsigned char c) {
  char out[8];
  std::snprintf(out, sizeof out, "0x%02X", static_cast<unsigned>(c));
  return out;
}

// Offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF count as invalid), or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    char32_t cp = 0, smallest = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2, cp = c & 0x1F, smallest = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, cp = c & 0x0F, smallest = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, cp = c & 0x07, smallest = 0x10000;
    } else {
      return i;
    }
    if (s.size() - i < length) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += length;
  }
  return std::string_view::npos;
}

// The parts of a number that passed the grammar, rebuilt in the one spelling std::from_chars
// reads: "-12.5e3". Empty if `text` is not a plain decimal number.
std::string normalised_number(std::string_view text, char decimal_mark) {
  const std::string_view s = trim(text);
  std::size_t i = 0;
  std::string out;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    if (s[i] == '-') out += '-';
    ++i;
  }
  const std::size_t int_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::string_view int_digits = s.substr(int_start, i - int_start);
  std::string_view frac_digits;
  const bool mark_here =
      i < s.size() && (decimal_mark == 0 ? (s[i] == '.' || s[i] == ',') : s[i] == decimal_mark);
  if (mark_here) {
    const std::size_t frac_start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    frac_digits = s.substr(frac_start, i - frac_start);
  }
  if (int_digits.empty() && frac_digits.empty()) return "";
  out += int_digits.empty() ? std::string_view("0") : int_digits;
  out += '.';
  out += frac_digits.empty() ? std::string_view("0") : frac_digits;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    out += 'e';
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      if (s[i] == '-') out += '-';
      ++i;
    }
    const std::size_t exp_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == exp_start) return "";
    out += s.substr(exp_start, i - exp_start);
  }
  if (i != s.size()) return "";
  return out;
}

// Splits the text into records and fields, one pass, tracking physical lines. Quoting follows
// RFC 4180 with two leniencies spreadsheets need: blanks before an opening quote or after a
// closing one are ignored, and a quote inside an unquoted value is kept as a character.
class Parser {
 public:
  Parser(std::string_view text, const std::string& file) : text_(text) { table_.file = file; }

  Table run() {
    reject_non_text();
    skip_bom();
    read_sep_line();
    if (!separator_known_) table_.separator = detect_separator();
    table_.decimal_mark = table_.separator == ';' ? ',' : table_.separator == ',' ? '.' : '\0';
    split();
    if (!have_header_)
      throw InputError({table_.file, 0, 0}, "",
                       "the file is empty: expected a header line naming the columns");
    return std::move(table_);
  }

 private:
  enum class State { field_start, unquoted, quoted, after_quote };

  [[noreturn]] void fail(int line, std::size_t index, const std::string& message) const {
    const std::string key =
        have_header_ && index < table_.header.size() ? table_.header[index] : std::string();
    throw InputError({table_.file, line, static_cast<int>(index) + 1}, key, message);
  }

  // Spreadsheet files saved in a binary or UTF-16 format: say what they are, not "bad UTF-8".
  void reject_non_text() const {
    const auto starts = [&](std::string_view magic) { return text_.starts_with(magic); };
    std::string what;
    if (starts("\xFF\xFE") || starts("\xFE\xFF"))
      what = "the file is UTF-16 text; save it as \"CSV UTF-8\"";
    else if (starts("PK\x03\x04"))
      what =
          "the file is a zip archive (an Excel .xlsx workbook?), not CSV; export it as "
          "\"CSV UTF-8\"";
    else if (starts("\xD0\xCF\x11\xE0"))
      what = "the file is an Excel .xls workbook, not CSV; export it as \"CSV UTF-8\"";
    if (!what.empty()) throw InputError({table_.file, 1, 0}, "", what);
  }

  void skip_bom() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
  }

  // Excel reads and writes a first line "sep=;" that names the separator.
  void read_sep_line() {
    const std::string_view rest = text_.substr(pos_);
    if (rest.size() < 5 || lower(rest.substr(0, 4)) != "sep=") return;
    const std::size_t end = rest.find_first_of("\r\n");
    const std::string_view value = rest.substr(4, end == std::string_view::npos ? end : end - 4);
    if (value != ";" && value != "," && value != "\t")
      throw InputError({table_.file, 1, 1}, "",
                       "unsupported separator in the \"sep=\" line: " + show(value) +
                           " (expected ';', ',' or a tab)");
    table_.separator = value[0];
    separator_known_ = true;
    pos_ += 4 + value.size();
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    line_ = 2;
  }

  // The separator is whichever of ';', ',' and tab is most frequent outside quotes on the header
  // line (ties: ';' first, as Danish Excel writes it). A header with none is a single column.
  char detect_separator() const {
    std::size_t semicolons = 0, commas = 0, tabs = 0;
    bool quoted = false, seen_text = false;
    for (std::size_t i = pos_; i < text_.size(); ++i) {
      const char c = text_[i];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '\n' || c == '\r') {
        if (seen_text) break;
        continue;
      }
      seen_text = true;
      semicolons += c == ';';
      commas += c == ',';
      tabs += c == '\t';
    }
    if (semicolons > 0 && semicolons >= commas && semicolons >= tabs) return ';';
    if (commas > 0 && commas >= tabs) return ',';
    if (tabs > 0) return '\t';
    return ',';
  }

  // A finished field: refuse binary and non-UTF-8 bytes here, where the column is known.
  void check_field(const std::string& value, int line, std::size_t index) const {
    const auto line_at = [&](std::size_t offset) {
      int extra = 0;
      for (std::size_t k = 0; k < offset; ++k) extra += value[k] == '\n';
      return line + extra;
    };
    if (const auto nul = value.find('\0'); nul != std::string::npos)
      fail(line_at(nul), index, "NUL byte in the text: this is a binary file, not CSV");
    if (const auto bad = invalid_utf8_at(value); bad != std::string_view::npos) {
      const auto byte = static_cast<unsigned char>(value[bad]);
      // æ ø å Æ Ø Å in Windows-1252, what "CSV (semicolon separated)" in Danish Excel writes.
      const bool latin1_danish = byte == 0xE6 || byte == 0xF8 || byte == 0xE5 || byte == 0xC6 ||
                                 byte == 0xD8 || byte == 0xC5;
      fail(line_at(bad), index,
           "invalid UTF-8 (byte " + hex_byte(byte) + ")" +
               (latin1_danish ? "; the file looks like Windows-1252/Latin-1 (æ, ø, å): save it as "
                                "\"CSV UTF-8\""
                              : "; save the file as \"CSV UTF-8\""));
    }
  }

  void end_field() {
    check_field(value_, field_line_, record_.size());
    record_.push_back({std::move(value_), field_line_});
    value_.clear();
    state_ = State::field_start;
    field_line_ = line_;
  }

  static bool blank(const std::vector<Field>& fields) {
    for (const auto& f : fields)
      if (!trim(f.text).empty()) return false;
    return true;
  }

  void end_record() {
    if (blank(record_)) {
      // Blank lines and rows of bare separators (spreadsheets leave them) carry nothing.
    } else if (!have_header_) {
      set_header();
    } else {
      add_row();
    }
    record_.clear();
  }

  void set_header() {
    table_.header_line = record_line_;
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t k = 0; k < record_.size(); ++k) {
      std::string name = lower(trim(record_[k].text));
      // A second byte-order mark (some tools add one to a file that already has one).
      if (name.starts_with("\xEF\xBB\xBF")) name = std::string(trim(name.substr(3)));
      if (!name.empty()) {
        const auto [it, fresh] = seen.emplace(name, k);
        if (!fresh)
          throw InputError({table_.file, record_[k].line, static_cast<int>(k) + 1}, name,
                           "duplicate column (also column " + std::to_string(it->second + 1) + ")");
      }
      table_.header.push_back(std::move(name));
    }
    have_header_ = true;
  }

  void add_row() {
    const std::size_t columns = table_.header.size();
    if (record_.size() < columns)
      fail(record_line_, record_.size(),
           "short row: " + std::to_string(record_.size()) + " fields, but the header has " +
               std::to_string(columns) + " columns");
    for (std::size_t k = columns; k < record_.size(); ++k) {
      if (trim(record_[k].text).empty()) continue;
      const std::string hint = table_.separator == ','
                                   ? "; a decimal comma in a comma-separated file? Quote the "
                                     "value or use a decimal point"
                                   : "; quote values that contain the separator";
      fail(record_[k].line, k,
           "row has " + std::to_string(record_.size()) + " fields, but the header has " +
               std::to_string(columns) + " columns (extra value " + show(trim(record_[k].text)) +
               ")" + hint);
    }
    record_.resize(columns);  // only blank extras (a trailing separator) are left to drop
    table_.rows.push_back({record_line_, std::move(record_)});
  }

  // Consumes a line break (CRLF, LF or a lone CR) at pos_.
  void skip_line_break() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  void split() {
    const char sep = table_.separator;
    field_line_ = record_line_ = line_;
    int quote_line = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (state_ == State::quoted) {
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            value_ += '"';
            pos_ += 2;
          } else {
            state_ = State::after_quote;
            ++pos_;
          }
        } else if (c == '\r' || c == '\n') {
          value_ += '\n';  // a line break inside quotes belongs to the value
          skip_line_break();
        } else {
          value_ += c;
          ++pos_;
        }
        continue;
      }
      if (c == sep) {
        ++pos_;
        end_field();
        continue;
      }
      if (c == '\r' || c == '\n') {
        end_field();
        end_record();
        skip_line_break();
        field_line_ = record_line_ = line_;
        continue;
      }
      if (state_ == State::after_quote) {
        if (c == ' ' || c == '\t') {
          ++pos_;
          continue;
        }
        fail(line_, record_.size(),
             "text after the closing quote; a quote inside a quoted value is written twice "
             "(\"\")");
      }
      if (c == '"' && state_ == State::field_start) {  // only blanks so far: a quoted value
        value_.clear();
        state_ = State::quoted;
        quote_line = line_;
        ++pos_;
        continue;
      }
      value_ += c;
      if (c != ' ' && c != '\t') state_ = State::unquoted;
      ++pos_;
    }
    if (state_ == State::quoted)
      fail(quote_line, record_.size(),
           "a quoted value opened on this line is never closed (missing closing quote)");
    if (!record_.empty() || !value_.empty() || state_ != State::field_start) {
      end_field();
      end_record();
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  bool separator_known_ = false;
  bool have_header_ = false;
  Table table_;
  State state_ = State::field_start;
  std::string value_;
  int field_line_ = 1, record_line_ = 1;
  std::vector<Field> record_;
};

}  // namespace

int Table::column(std::string_view name) const {
  for (std::size_t k = 0; k < header.size(); ++k)
    if (header[k] == name) return static_cast<int>(k);
  return -1;
}

Table parse(std::string_view text, const std::string& file) {
  return Parser(text, file).run();
}

std::string read_file(const std::string& path) {
  return read_input_file(path, kMaxCsvBytes, "file");
}

std::string_view trim(std::string_view text) {
  const auto blank_at_start = [&](std::size_t i) -> std::size_t {  // bytes of blank at i, or 0
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
    if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') return 2;
    return 0;
  };
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t n = blank_at_start(begin);
    if (n == 0) break;
    begin += n;
  }
  std::size_t end = text.size();
  while (end > begin) {
    const char c = text[end - 1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      --end;
    } else if (c == '\xA0' && end - 1 > begin && text[end - 2] == '\xC2') {
      end -= 2;
    } else {
      break;
    }
  }
  return text.substr(begin, end - begin);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<double> parse_number(std::string_view text, char decimal_mark) {
  const std::string normal = normalised_number(text, decimal_mark);
  if (normal.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(normal.data(), normal.data() + normal.size(), value);
  if (ec != std::errc() || end != normal.data() + normal.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::string number_hint(std::string_view text, char decimal_mark) {
  const std::string s = lower(trim(text));
  if (s.empty()) return "the value is blank";
  const std::string_view unsigned_s =
      std::string_view(s).substr(s.front() == '+' || s.front() == '-' ? 1 : 0);
  if (unsigned_s == "nan" || unsigned_s == "inf" || unsigned_s == "infinity")
    return "NaN and infinity are not accepted";
  if (s.starts_with("0x") || s.starts_with("-0x") || s.starts_with("+0x"))
    return "hexadecimal is not accepted";
  if (s.ends_with('%'))
    return decimal_mark == ',' ? "write a percentage as a fraction (40 % is 0,4)"
                               : "write a percentage as a fraction (40 % is 0.4)";
  if (!normalised_number(s, decimal_mark).empty()) return "too large or too small";
  const bool has_point = s.find('.') != std::string::npos;
  const bool has_comma = s.find(',') != std::string::npos;
  if (has_point && has_comma) return "thousands separators are not accepted";
  if (decimal_mark == ',' && has_point)
    return "this file is ';'-separated, so decimals are written with a comma (1,5)";
  if (decimal_mark == '.' && has_comma)
    return "this file is ','-separated, so decimals are written with a point (1.5)";
  if (s.find(' ') != std::string::npos && is_digit(s.front()))
    return "thousands separators are not accepted";
  return "";
}

std::string show(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::size_t cut = text.size();
  if (cut > kMax) {
    cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  std::string out = "\"";
  for (std::size_t i = 0; i < cut; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\x" + hex_byte(c).substr(2);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (cut < text.size()) out += "\xE2\x80\xA6";  // …
  out += '"';
  return out;
}

}  // namespace klynge::csv
