// Internal: a small streaming JSON writer for the hot paths (edge decisions, verify results,
// rewrite reports). Building an nlohmann DOM per request cost more than the HMAC itself.
// Strings are written as UTF-8 with the escapes JSON requires; invalid UTF-8 becomes U+FFFD.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "utf8.hpp"

namespace clicktrail::detail {

class JsonWriter {
 public:
  // indent < 0: compact; otherwise pretty-printed with `indent` spaces per level.
  explicit JsonWriter(int indent = -1) : indent_(indent) {
    out_.reserve(256);  // a verify answer or an edge decision fits without growing
  }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view name) {
    separate();
    write_string(name);
    out_ += indent_ >= 0 ? ": " : ":";
    after_key_ = true;
    return *this;
  }
  JsonWriter& value(std::string_view text) {
    separate();
    write_string(text);
    return *this;
  }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag) {
    separate();
    out_ += flag ? "true" : "false";
    return *this;
  }
  JsonWriter& value(std::int64_t number) {
    separate();
    out_ += std::to_string(number);
    return *this;
  }
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(std::size_t number) {
    separate();
    out_ += std::to_string(number);
    return *this;
  }
  template <typename T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char bracket) {
    separate();
    out_ += bracket;
    ++depth_;
    set_first(true);
    return *this;
  }
  JsonWriter& close(char bracket) {
    bool empty = first();
    --depth_;
    if (!empty) newline();
    out_ += bracket;
    return *this;
  }
  // Comma and line break before every element but the first; nothing right after a key.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    if (!first()) out_ += ',';
    set_first(false);
    newline();
  }
  void newline() {
    if (indent_ < 0) return;
    out_ += '\n';
    out_.append(depth_ * static_cast<std::size_t>(indent_), ' ');
  }
  // Whether the innermost open container has no element yet: one bit per level, so writing
  // allocates nothing but the output. The documents clicktrail writes have fixed shapes a few
  // levels deep; nesting past kMaxDepth is not supported (it stays memory-safe, but the JSON
  // would get a comma before a first element).
  static constexpr std::size_t kMaxDepth = 64;
  bool first() const { return depth_ <= kMaxDepth && (first_bits_ >> (depth_ - 1) & 1) != 0; }
  void set_first(bool empty) {
    if (depth_ > kMaxDepth) return;
    const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
    first_bits_ = empty ? first_bits_ | bit : first_bits_ & ~bit;
  }

  void write_string(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    std::size_t i = 0;
    while (i < text.size()) {
      // Copy the run of bytes that need no escaping in one append.
      std::size_t run = i;
      while (run < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[run]);
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
        ++run;
      }
      out_.append(text.data() + i, run - i);
      i = run;
      if (i == text.size()) break;
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c < 0x80) {
        switch (c) {
          case '"':
            out_ += "\\\"";
            break;
          case '\\':
            out_ += "\\\\";
            break;
          case '\b':
            out_ += "\\b";
            break;
          case '\f':
            out_ += "\\f";
            break;
          case '\n':
            out_ += "\\n";
            break;
          case '\r':
            out_ += "\\r";
            break;
          case '\t':
            out_ += "\\t";
            break;
          default:
            out_ += "\\u00";
            out_ += kHex[c >> 4];
            out_ += kHex[c & 15];
        }
        ++i;
        continue;
      }
      std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        out_ += "\xEF\xBF\xBD";  // U+FFFD for each byte that starts no valid sequence
        ++i;
      } else {
        out_.append(text.data() + i, length);
        i += length;
      }
    }
    out_ += '"';
  }

  std::string out_;
  std::uint64_t first_bits_ = 0;  // bit d-1: the container at depth d has no element yet
  std::size_t depth_ = 0;
  int indent_;
  bool after_key_ = false;
};

}  // namespace clicktrail::detail
