#pragma once
// A CSV reader for spreadsheet exports as people actually produce them (product.md, "Interview
// data"): UTF-8 with or without BOM, CRLF, LF or CR line ends (mixed is fine), `;` or `,` (or tab)
// separators detected per file, RFC 4180 quoting with separators, line breaks and doubled quotes
// inside quoted fields, Excel's optional `sep=;` first line. It knows nothing about what the
// columns mean: the loaders built on it (interview_csv.cpp) do. Every problem is an InputError
// with file, physical line and 1-based field index; nothing in the input can crash it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace klynge::csv {

struct Field {
  std::string text;  // unquoted; blanks around an unquoted value are kept (callers trim)
  int line = 0;      // physical line (1-based) where the field starts
};

struct Row {
  int line = 0;               // physical line where the record starts
  std::vector<Field> fields;  // exactly one per header column
};

struct Table {
  std::string file;         // what messages call the file
  char separator = ',';     // ';', ',' or '\t'
  char decimal_mark = '.';  // ',' in ';' files, '.' in ',' files, 0 (either) in tab files
  int header_line = 1;
  std::vector<std::string> header;  // trimmed, ASCII-lowercased; "" for an unnamed column
  std::vector<Row> rows;            // data rows; blank rows (only blanks/separators) dropped

  // Column index of a header name (as stored: lowercase), or -1.
  int column(std::string_view name) const;
};

// Splits `text` into a header and rows. Throws InputError (naming `file`, line and column) for:
// UTF-16 or binary input (NUL bytes, xlsx/xls signatures), invalid UTF-8, an unclosed quote,
// text after a closing quote, a row with fewer fields than the header ("short row"), a row with
// extra non-blank fields, a duplicate column name, and an empty file. A file with a header and no
// rows is returned as such: whether that is an error is the caller's call.
Table parse(std::string_view text, const std::string& file);

// The whole file as bytes; InputError naming `path` if it cannot be read (missing, a directory,
// a device or FIFO, unreadable, larger than kMaxCsvBytes: see input_file.hpp).
std::string read_file(const std::string& path);

// Blanks around a value: ASCII spaces, tabs, CR/LF and the no-break space (U+00A0) that
// spreadsheets put around numbers.
std::string_view trim(std::string_view text);

// ASCII lowercase (header names and keywords are ASCII).
std::string lower(std::string_view text);

// A decimal number as a spreadsheet writes it: optional sign, digits with at most one decimal
// mark, optional exponent, blanks around. `decimal_mark` is ',' or '.', or 0 to accept either.
// Rejected (nullopt): blank text, a mark that is not this file's, thousands separators ("1.234,5",
// "1 234": a grouped number is ambiguous between the two conventions, so it is refused rather
// than guessed), NaN/infinity, hexadecimal, trailing text ("12abc"), and magnitudes a double
// cannot hold (1e400 is an error, not infinity).
std::optional<double> parse_number(std::string_view text, char decimal_mark);

// Why parse_number refused `text`, as a short clause for an error message ("this file uses
// decimal commas (1,5)"), or "" when there is nothing more specific to say than "not a number".
std::string number_hint(std::string_view text, char decimal_mark);

// `text` quoted for a message: at most 40 bytes (cut at a UTF-8 boundary, "…" appended), control
// bytes escaped. Keeps a 10 MB cell from becoming a 10 MB error message.
std::string show(std::string_view text);

}  // namespace klynge::csv
