#pragma once
// Strict reading of yaml-cpp nodes for the loaders: every value is checked for its type and range,
// every mapping for duplicate and unknown keys, and every rejection is an InputError with a
// 1-based file:line:column, the key path and what was expected. yaml-cpp 0.7 itself accepts
// duplicate keys, gives 0-based marks and throws position-less exceptions on missing keys, so the
// loaders never index nodes directly; they go through these helpers.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"

namespace klynge::yaml {

// A value in the document: the node, its key path (e.g. `interventions[2].every`) and the
// position of its key (or, for list elements, of the element itself).
//
// Copies and assignments rebind `value`: a plain `YAML::Node` assignment writes the right-hand
// node's content INTO the left-hand node, which changes the parsed document under every other
// handle to it (so a variant's override would leak into the base). Field's assignments use
// Node::reset instead, which only rebinds, so Fields are safe in containers and algorithms.
struct Field {
  std::string name;  // the key; empty for list elements and the document root
  YAML::Node value;
  std::string path;
  YAML::Mark key_mark;

  Field() = default;
  Field(std::string name_, YAML::Node value_, std::string path_, YAML::Mark key_mark_)
      : name(std::move(name_)), value(value_), path(std::move(path_)), key_mark(key_mark_) {}
  Field(const Field&) = default;
  Field& operator=(const Field& other) {
    if (this == &other) return *this;
    name = other.name;
    value.reset(other.value);
    path = other.path;
    key_mark = other.key_mark;
    return *this;
  }
  ~Field() = default;

  // Where to point at the value. yaml-cpp places an empty value (`horizon:`) at the next token,
  // often on the next line, so an empty value is reported at its key instead.
  YAML::Mark value_mark() const;
  bool is_null() const { return !value || value.IsNull(); }
};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  SourceLocation location(const YAML::Mark& mark) const;
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& path,
                         const std::string& message) const;
  [[noreturn]] void fail_value(const Field& field, const std::string& message) const {
    fail(field.value_mark(), field.path, message);
  }
  [[noreturn]] void fail_key(const Field& field, const std::string& message) const {
    fail(field.key_mark, field.path, message);
  }

  // Parses text into its single document. Syntax errors, an empty document, more than one
  // document and nesting deeper than yaml-cpp's limit are InputErrors; the root may be of any type
  // (the caller checks it). Lone CRs are line ends. Never loops on yaml-cpp 0.7's `,` bug.
  YAML::Node load(const std::string& text) const;

  // --- scalars: each rejects lists, mappings and empty values, and says what it got ---
  // A finite number (no quotes, no nan/inf), within [min, max]; `integer` rejects fractions.
  double number(const Field& field, double min, double max, bool integer) const;
  int integer(const Field& field, int min, int max) const;
  std::uint64_t unsigned64(const Field& field) const;
  bool boolean(const Field& field) const;
  // Any scalar, taken as written (`name: 2024` is the name "2024").
  std::string string(const Field& field, bool allow_empty) const;
  // A name made of letters, digits, `_`, `-` and `.` (ids and variant names end up as HDF5 group
  // names and keys of random streams).
  std::string identifier(const Field& field, const std::string& what) const;
  // One of `choices`, with a did-you-mean otherwise.
  std::string choice(const Field& field, const std::vector<std::string>& choices) const;

  // --- containers ---
  // A list's elements as fields `path[i]`. An empty value reads as an empty list when
  // `null_is_empty`.
  std::vector<Field> list(const Field& field, bool null_is_empty) const;
  // A mapping's entries in written order, each key a plain scalar and unique (duplicates name both
  // lines). An empty value reads as an empty mapping when `null_is_empty`.
  std::vector<Field> mapping(const Field& field, bool null_is_empty) const;

 private:
  std::string file_;
};

// `text` with every CR that is not part of a CRLF turned into LF (same length).
std::string normalise_line_ends(std::string text);

// Checks that every field's name is in `allowed`; `where` completes "unknown key for <where>".
// Lists the valid keys when there are at most `list_limit` of them.
void require_known_keys(const Reader& reader, const std::vector<Field>& fields,
                        const std::vector<std::string>& allowed, const std::string& where,
                        std::size_t list_limit = 24);

const Field* find(const std::vector<Field>& fields, const std::string& name);

std::string child_path(const std::string& parent, const std::string& key);
std::string index_path(const std::string& parent, std::size_t index);

// How a node reads in a message: `"monthly"`, `2.5`, `a mapping`, `a list`, `nothing`.
std::string describe(const YAML::Node& node);
// Only the kind of a node, without its content: `a single line of text`, `a list`, ... (for a
// whole file that is not what was expected, whose content must not be echoed).
std::string describe_kind(const YAML::Node& node);
// What `number()` expects of a value's kind ("a positive integer", "a number") and of its range
// ("an integer from 1 to 1200", "a number >= 0").
std::string expected_kind(double min, bool integer);
std::string expected_number(double min, double max, bool integer);
// Shortest text that reads back as the same double; integral values without exponent.
std::string format_number(double value);
// Strictly parses a YAML number as written in a plain scalar; false when it is not one.
// `non_finite` is set for nan/inf spellings and values out of the double range.
bool parse_number(const std::string& text, double& value, bool& non_finite);

inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

}  // namespace klynge::yaml
