#include "sim/io/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include "sim/core/text.hpp"

namespace klynge::yaml {
namespace {

// Beyond this a bound is "no bound" in messages (the cost keys use 1e12 as their maximum).
constexpr double kPrintedBoundLimit = 1e12;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Quoted scalars ('x', "x", block scalars) get the tag "!", and `!!str 5` is a string too: both
// are text, whatever they look like.
bool is_text_scalar(const YAML::Node& node) {
  return node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str";
}

bool is_valid_mark(const YAML::Mark& mark) {
  return mark.line >= 0 && mark.column >= 0;
}

// At most 40 bytes of a value for a message (cut at a UTF-8 boundary), with quotes, line breaks
// and control bytes escaped so that nothing from the input can drive the terminal.
std::string abbreviate(const std::string& text) {
  constexpr std::size_t kMax = 40;
  std::size_t cut = std::min(text.size(), kMax);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  std::string out;
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
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(c));
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (cut < text.size()) out += "...";
  return out;
}

bool is_bool_word(const std::string& text) {
  static const std::vector<std::string> words = {"true", "false", "yes", "no", "on", "off"};
  return std::find(words.begin(), words.end(), lower(text)) != words.end();
}

}  // namespace

YAML::Mark Field::value_mark() const {
  if (is_null() || !is_valid_mark(value.Mark())) return key_mark;
  return value.Mark();
}

SourceLocation Reader::location(const YAML::Mark& mark) const {
  SourceLocation where{file_, 0, 0};
  if (is_valid_mark(mark)) {
    where.line = mark.line + 1;
    where.column = mark.column + 1;
  }
  return where;
}

void Reader::fail(const YAML::Mark& mark, const std::string& path,
                  const std::string& message) const {
  throw InputError(location(mark), path, message);
}

namespace {

// Counts documents without building nodes; records where each starts.
// Counts documents without building nodes; records where each starts and where its first node
// is (what a message about a second document points at).
class DocumentCounter final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts, first_nodes;
  void OnDocumentStart(const YAML::Mark& mark) override {
    starts.push_back(mark);
    first_nodes.push_back(mark);
    have_node_ = false;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& mark) {
    if (have_node_) return;
    have_node_ = true;
    first_nodes.back() = mark;
  }
  bool have_node_ = false;
};

}  // namespace

std::string normalise_line_ends(std::string text) {
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) text[i] = '\n';
  return text;
}

YAML::Node Reader::load(const std::string& raw_text) const {
  // yaml-cpp 0.7 reads a lone CR as an ordinary character: a CR-only file is one long plain
  // scalar ("the file is empty"), and a stray CR ends up inside a value ("36\r"). Spreadsheet
  // tools and old Mac editors write CR line ends, and the CSV reader accepts them, so a lone CR
  // is a line end here too (same length, so every position stays right).
  const std::string text = normalise_line_ends(raw_text);
  const YAML::Mark start;  // 0:0, shown as 1:1
  // yaml-cpp 0.7 (Debian 12) has a parser bug: a document that begins with a token a node cannot
  // start with (`,` at the top level, e.g. a 1-byte file "," or a CSV passed by mistake) is
  // read as an empty document WITHOUT consuming the token, so YAML::LoadAll produces empty
  // documents for ever and eats all memory (fixed upstream after 0.7). So documents are first
  // counted with the event parser, which stops after the second one: any file that would loop
  // has a second document starting where the first did (or at the stuck `,`), and a second
  // document is an error here anyway. Only a file with exactly one document is then built into
  // nodes, by YAML::Load, which reads one document and so cannot loop. This keeps the real parser
  // (no hand-written pre-scan to get wrong) and bounds the work by the file size.
  DocumentCounter counter;
  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    while (counter.starts.size() < 2 && parser.HandleNextDocument(counter)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    fail(e.mark, "",
         "the file nests lists or mappings " + std::to_string(e.depth()) +
             " levels deep; a scenario needs a handful (is it the right file?)");
  } catch (const YAML::Exception& e) {
    // yaml-cpp's own message carries its 0-based position; ours says it 1-based.
    fail(e.mark, "", "YAML syntax error: " + e.msg);
  }
  if (counter.starts.size() >= 2) {
    const YAML::Mark& second = counter.starts[1];
    const bool stuck = second.pos == counter.starts[0].pos ||
                       (second.pos >= 0 && static_cast<std::size_t>(second.pos) < text.size() &&
                        text[static_cast<std::size_t>(second.pos)] == ',');
    if (stuck)
      fail(second, "",
           "YAML syntax error: unexpected ',' outside a [list] or {mapping}; expected a YAML "
           "mapping of keys (is it the right file?)");
    fail(counter.first_nodes[1], "",
         "more than one YAML document (`---`); expected exactly one in this file");
  }
  YAML::Node document;
  try {
    document = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    fail(e.mark, "", "the file nests lists or mappings too deep");
  } catch (const YAML::Exception& e) {
    fail(e.mark, "", "YAML syntax error: " + e.msg);
  }
  if (counter.starts.empty() || !document || document.IsNull())
    fail(start, "", "the file is empty; expected a YAML mapping of keys");
  return document;
}

bool parse_number(const std::string& text, double& value, bool& non_finite) {
  non_finite = false;
  if (text.empty()) return false;
  std::string body = text;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body = body.substr(1);
  const std::string word = lower(!body.empty() && body[0] == '.' ? body.substr(1) : body);
  if (word == "nan" || word == "inf" || word == "infinity") {
    non_finite = true;
    return false;
  }
  // [sign] (digits [. [digits]] | . digits) [(e|E) [sign] digits]: decimal only, as YAML's core
  // schema writes floats and ints (no hex, octal or digit separators).
  std::size_t i = 0;
  std::size_t digits = 0;
  while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i])))
      ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  if (i != body.size()) return false;
  const std::string parsed = text[0] == '+' ? text.substr(1) : text;
  const auto result = std::from_chars(parsed.data(), parsed.data() + parsed.size(), value);
  if (result.ec == std::errc::result_out_of_range || !std::isfinite(value)) {
    non_finite = true;
    return false;
  }
  return result.ec == std::errc() && result.ptr == parsed.data() + parsed.size();
}

std::string describe(const YAML::Node& node) {
  if (!node || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  const std::string& text = node.Scalar();
  if (is_text_scalar(node)) return "the text \"" + abbreviate(text) + "\"";
  double value = 0;
  bool non_finite = false;
  if (parse_number(text, value, non_finite) || non_finite || is_bool_word(text))
    return abbreviate(text);
  return "\"" + abbreviate(text) + "\"";
}

std::string describe_kind(const YAML::Node& node) {
  if (!node || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "plain text, not `key: value` lines";
}

std::string expected_kind(double min, bool integer) {
  if (!integer) return "a number";
  if (min >= 1) return "a positive integer";
  if (min >= 0) return "a non-negative integer";
  return "an integer";
}

std::string expected_number(double min, double max, bool integer) {
  const std::string noun = integer ? "integer" : "number";
  if (max >= kPrintedBoundLimit) {
    if (integer && min == 1) return "a positive integer";
    if (integer && min == 0) return "a non-negative integer";
    if (min <= -kPrintedBoundLimit) return integer ? "an integer" : "a number";
    return (integer ? "an integer >= " : "a number >= ") + format_number(min);
  }
  if (min <= -kPrintedBoundLimit)
    return "a" + std::string(integer ? "n " : " ") + noun + " <= " + format_number(max);
  if (min == max) return "exactly " + format_number(min);
  return "a" + std::string(integer ? "n " : " ") + noun + " from " + format_number(min) + " to " +
         format_number(max);
}

std::string format_number(double value) {
  if (value == 0) return "0";  // also -0
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

double Reader::number(const Field& field, double min, double max, bool integer) const {
  // A value of the wrong kind hears what kind is wanted; one out of range hears the range.
  const std::string kind = "expected " + expected_kind(min, integer) + ", got ";
  if (field.is_null() || !field.value.IsScalar()) fail_value(field, kind + describe(field.value));
  if (is_text_scalar(field.value))
    fail_value(field, kind + describe(field.value) + " (write numbers without quotes)");
  double value = 0;
  bool non_finite = false;
  if (!parse_number(field.value.Scalar(), value, non_finite)) {
    if (non_finite) fail_value(field, kind + describe(field.value) + " (numbers must be finite)");
    fail_value(field, kind + describe(field.value));
  }
  if (integer && value != std::trunc(value)) fail_value(field, kind + describe(field.value));
  if (value < min || value > max)
    fail_value(field,
               "expected " + expected_number(min, max, integer) + ", got " + describe(field.value));
  return value;
}

int Reader::integer(const Field& field, int min, int max) const {
  return static_cast<int>(number(field, min, max, true));
}

std::uint64_t Reader::unsigned64(const Field& field) const {
  const std::string expected = "expected a non-negative integer below 2^64, got ";
  if (field.is_null() || !field.value.IsScalar() || is_text_scalar(field.value))
    fail_value(field, expected + describe(field.value));
  const std::string& text = field.value.Scalar();
  std::uint64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec == std::errc() && result.ptr == text.data() + text.size()) return value;
  // Other spellings of an integer (e.g. 1e3) where a double holds them exactly.
  double number = 0;
  bool non_finite = false;
  constexpr double kExact = 9007199254740992.0;  // 2^53
  if (parse_number(text, number, non_finite) && number == std::trunc(number) && number >= 0 &&
      number <= kExact)
    return static_cast<std::uint64_t>(number);
  fail_value(field, expected + describe(field.value));
}

bool Reader::boolean(const Field& field) const {
  const std::string expected = "expected true or false";
  if (field.is_null() || !field.value.IsScalar() || is_text_scalar(field.value))
    fail_value(field, expected + ", got " + describe(field.value));
  const std::string word = lower(field.value.Scalar());
  if (word == "true" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "no" || word == "off") return false;
  fail_value(field, expected + ", got " + describe(field.value));
}

std::string Reader::string(const Field& field, bool allow_empty) const {
  if (field.is_null()) {
    if (allow_empty) return "";
    fail_value(field, "expected text, got nothing");
  }
  if (!field.value.IsScalar()) fail_value(field, "expected text, got " + describe(field.value));
  const std::string& text = field.value.Scalar();
  if (text.empty() && !allow_empty) fail_value(field, "expected non-empty text, got \"\"");
  return text;
}

std::string Reader::identifier(const Field& field, const std::string& what) const {
  const std::string expected = "expected " + what + " made of letters, digits, '_', '-' and '.'";
  if (field.is_null() || !field.value.IsScalar())
    fail_value(field, expected + ", got " + describe(field.value));
  const std::string& text = field.value.Scalar();
  const bool valid = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
  if (!valid) fail_value(field, expected + ", got \"" + abbreviate(text) + "\"");
  // "." and ".." are valid characters but name folders: as an HDF5 group or file name they
  // point somewhere else.
  if (text.find_first_not_of('.') == std::string::npos)
    fail_value(field, expected + ", not only dots, got \"" + text + "\"");
  return text;
}

std::string Reader::choice(const Field& field, const std::vector<std::string>& choices) const {
  const std::string expected = "expected one of " + join(choices);
  if (field.is_null() || !field.value.IsScalar())
    fail_value(field, expected + ", got " + describe(field.value));
  const std::string& text = field.value.Scalar();
  if (std::find(choices.begin(), choices.end(), text) == choices.end())
    fail_value(field, expected + ", got " + describe(field.value) + did_you_mean(text, choices));
  return text;
}

std::vector<Field> Reader::list(const Field& field, bool null_is_empty) const {
  if (field.is_null() && null_is_empty) return {};
  if (field.is_null() || !field.value.IsSequence())
    fail_value(field, "expected a list, got " + describe(field.value));
  std::vector<Field> elements;
  std::size_t index = 0;
  for (const auto& element : field.value) {
    const YAML::Mark mark =
        is_valid_mark(element.Mark()) && !element.IsNull() ? element.Mark() : field.value_mark();
    elements.push_back(Field{"", element, index_path(field.path, index), mark});
    ++index;
  }
  return elements;
}

std::vector<Field> Reader::mapping(const Field& field, bool null_is_empty) const {
  if (field.is_null() && null_is_empty) return {};
  if (field.is_null() || !field.value.IsMap())
    fail_value(field, "expected a mapping (key: value), got " + describe(field.value));
  std::vector<Field> entries;
  std::map<std::string, int> first_line;
  for (const auto& entry : field.value) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar())
      fail(key.Mark(), field.path, "expected a plain name as key, got " + describe(key));
    const std::string name = key.Scalar();
    const std::string path = child_path(field.path, name);
    const int line = location(key.Mark()).line;
    const auto [previous, inserted] = first_line.emplace(name, line);
    if (!inserted) {
      const std::string lines = previous->second == line
                                    ? "twice on line " + std::to_string(line)
                                    : "on line " + std::to_string(previous->second) +
                                          " and again on line " + std::to_string(line);
      fail(key.Mark(), path, "duplicate key: given " + lines + "; keep one of them");
    }
    entries.push_back(Field{name, entry.second, path, key.Mark()});
  }
  return entries;
}

void require_known_keys(const Reader& reader, const std::vector<Field>& fields,
                        const std::vector<std::string>& allowed, const std::string& where,
                        std::size_t list_limit) {
  for (const auto& field : fields) {
    if (std::find(allowed.begin(), allowed.end(), field.name) != allowed.end()) continue;
    std::string message = "unknown key for " + where;
    if (field.name == "<<") {
      message += " (YAML merge keys are not supported; write the keys out)";
    } else {
      message += did_you_mean(field.name, allowed);
    }
    if (allowed.size() <= list_limit) message += "; valid keys: " + join(allowed);
    reader.fail_key(field, message);
  }
}

const Field* find(const std::vector<Field>& fields, const std::string& name) {
  for (const auto& field : fields)
    if (field.name == name) return &field;
  return nullptr;
}

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace klynge::yaml
