#pragma once
// Errors that reach the user. An InputError is bad input (exit code 2) and always says where.
#include <stdexcept>
#include <string>

namespace klynge {

struct SourceLocation {
  std::string file;  // as the user gave it
  int line = 0;      // 1-based; 0 = unknown (whole file)
  int column = 0;    // 1-based; 0 = unknown
};

// "file:line:column: key: message" — every rejected input value is reported in this form.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string key, std::string message)
      : std::runtime_error(format(where, key, message)),
        where_(std::move(where)),
        key_(std::move(key)),
        message_(std::move(message)) {}

  const SourceLocation& where() const { return where_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }

  static std::string format(const SourceLocation& where, const std::string& key,
                            const std::string& message) {
    // Appended piece by piece: `":" + std::to_string(n)` trips a false -Wrestrict in GCC 12.
    std::string out = where.file;
    if (where.line > 0) out.append(":").append(std::to_string(where.line));
    if (where.column > 0) out.append(":").append(std::to_string(where.column));
    out.append(": ");
    if (!key.empty()) out.append(key).append(": ");
    out.append(message);
    return out;
  }

 private:
  SourceLocation where_;
  std::string key_;
  std::string message_;
};

// Writing an output failed (disk full, I/O error; exit code 1). The message names the file and
// the cause and says what became of an existing file.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Usage errors on the command line (exit code 2) without a file position.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace klynge
