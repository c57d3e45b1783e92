#pragma once
// What klynge prints comes partly from its inputs (scenario names, descriptions, file contents,
// strings stored in a results file). A control character among them (ESC, BEL, CR, ...) would
// drive the user's terminal: recolour it, rewrite earlier lines, ring it. So the CLI writes
// through an EscapingBuffer, which shows every control character other than line feed and tab as
// a visible escape (\x1B, \r, ...), including the C1 controls U+0080-U+009F written as UTF-8.
// Deliberate control output (the progress line's carriage return) goes through raw_control().
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>

namespace klynge {

class EscapingBuffer final : public std::streambuf {
 public:
  explicit EscapingBuffer(std::streambuf* target) : target_(target) {}
  // Writes `c` unescaped (for the CLI's own control characters).
  void raw(char c) {
    flush_pending();
    target_->sputc(c);
  }

 protected:
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    put(static_cast<unsigned char>(traits_type::to_char_type(ch)));
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) put(static_cast<unsigned char>(s[i]));
    return n;
  }
  int sync() override {
    flush_pending();
    return target_->pubsync();
  }

 private:
  void put(unsigned char c) {
    if (pending_lead_) {  // previous byte was 0xC2: a C1 control follows if c is 0x80-0x9F
      pending_lead_ = false;
      if (c >= 0x80 && c <= 0x9F) {
        escape(0xC2);
        escape(c);
        return;
      }
      target_->sputc(static_cast<char>(0xC2));
    }
    if (c == 0xC2) {
      pending_lead_ = true;
    } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F)) {
      target_->sputc(static_cast<char>(c));
    } else {
      escape(c);
    }
  }
  void flush_pending() {
    if (pending_lead_) target_->sputc(static_cast<char>(0xC2));
    pending_lead_ = false;
  }
  void escape(unsigned char c) {
    static const char* const kHex = "0123456789ABCDEF";
    const char* named = c == '\r' ? "\\r" : nullptr;
    const std::string text =
        named ? std::string(named) : std::string("\\x") + kHex[c >> 4] + kHex[c & 0xF];
    target_->sputn(text.data(), static_cast<std::streamsize>(text.size()));
  }

  std::streambuf* target_;
  bool pending_lead_ = false;
};

// Writes a control character the CLI means (e.g. '\r' to redraw a progress line): unescaped when
// `out` goes through an EscapingBuffer, as is otherwise.
inline void raw_control(std::ostream& out, char c) {
  if (auto* escaping = dynamic_cast<EscapingBuffer*>(out.rdbuf())) {
    out.flush();
    escaping->raw(c);
  } else {
    out.put(c);
  }
}

// `text` as EscapingBuffer shows it.
inline std::string escape_controls(const std::string& text) {
  std::ostringstream result;
  EscapingBuffer buffer(result.rdbuf());
  std::ostream out(&buffer);
  out << text << std::flush;
  return result.str();
}

}  // namespace klynge
