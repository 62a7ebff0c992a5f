// The strict JSON reader of json_reader.hpp: recursive descent (depth is bounded by max_depth)
// onto a reusable tape.
#include "json_reader.hpp"

#include <algorithm>
#include <bit>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "utf8.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace clicktrail::detail {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A plain run of string contents ends at '"', '\\', a control character or a non-ASCII byte.
// Blocks of 16 bytes are tested at once with SSE2 or WebAssembly SIMD (a signed "less than
// 0x20" catches control and non-ASCII bytes together); otherwise, or with
// CLICKTRAIL_PORTABLE_SCAN defined (to test it), blocks of 8 in a 64-bit word, where each test
// flags its first matching byte exactly (a borrow only runs upwards, past a true match), so the
// lowest flag is the first special byte.
#if defined(__SSE2__) && !defined(CLICKTRAIL_PORTABLE_SCAN)
constexpr std::ptrdiff_t kBlock = 16;
std::uint32_t special_bytes(const char* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                                                    _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))),
                                       _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20)));
  return static_cast<std::uint32_t>(_mm_movemask_epi8(special));
}
int first_special(std::uint32_t mask) {
  return std::countr_zero(mask);
}
#elif defined(__wasm_simd128__) && !defined(CLICKTRAIL_PORTABLE_SCAN)
constexpr std::ptrdiff_t kBlock = 16;
std::uint32_t special_bytes(const char* p) {
  const v128_t bytes = wasm_v128_load(p);
  const v128_t special = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(bytes, wasm_i8x16_splat('"')),
                                                   wasm_i8x16_eq(bytes, wasm_i8x16_splat('\\'))),
                                      wasm_i8x16_lt(bytes, wasm_i8x16_splat(0x20)));
  return wasm_i8x16_bitmask(special);
}
int first_special(std::uint32_t mask) {
  return std::countr_zero(mask);
}
#else
constexpr std::ptrdiff_t kBlock = 8;
std::uint64_t special_bytes(const char* p) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  const std::uint64_t quote = word ^ (kOnes * '"');
  const std::uint64_t backslash = word ^ (kOnes * '\\');
  return (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | (word - kOnes * 0x20) |
          word) &
         kHighs;
}
int first_special(std::uint64_t mask) {
  if constexpr (std::endian::native == std::endian::little) {
    return std::countr_zero(mask) / 8;
  } else {
    return std::countl_zero(mask) / 8;
  }
}
#endif

bool is_special(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u == '"' || u == '\\' || u < 0x20 || u >= 0x80;
}

// The first special byte in [p, end), or end.
const char* find_string_special(const char* p, const char* end) {
  for (; end - p >= kBlock; p += kBlock) {
    if (auto mask = special_bytes(p)) return p + first_special(mask);
  }
  while (p != end && !is_special(*p)) ++p;
  return p;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p (p + 4 <= end checked by the caller); -1 if any is not one.
long hex4(const char* p) {
  long value = 0;
  for (int i = 0; i < 4; ++i) {
    int digit = hex_value(p[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// Writes a code point (below 0x110000, not a surrogate) as UTF-8; returns its length.
std::size_t encode_utf8(std::uint32_t code_point, char* out) {
  if (code_point < 0x80) {
    out[0] = static_cast<char>(code_point);
    return 1;
  }
  if (code_point < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code_point >> 6));
    out[1] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 2;
  }
  if (code_point < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code_point >> 12));
    out[1] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code_point >> 18));
  out[1] = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code_point & 0x3F));
  return 4;
}

// "'x'" for a printable ASCII byte, "byte 0xHH" otherwise.
std::string describe_byte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15];
}

}  // namespace

const char* json_type_name(JsonType type) {
  switch (type) {
    case JsonType::null:
      return "null";
    case JsonType::boolean:
      return "boolean";
    case JsonType::number:
      return "number";
    case JsonType::string:
      return "string";
    case JsonType::array:
      return "array";
    case JsonType::object:
      break;
  }
  return "object";
}

JsonValue JsonValue::find(std::string_view key) const {
  if (!is_object()) return {};
  const JsonNode* found = nullptr;
  const JsonNode* name = node_ + 1;
  for (std::uint32_t i = 0; i < node_->size; ++i) {
    const JsonNode* value = name + 1;
    if (name->text == key) found = value;  // keep looking: the last duplicate wins
    name = value + value->skip;
  }
  return JsonValue(found);
}

bool JsonReader::parse_value(std::string_view text, std::size_t start) {
  return parse(text, start, false);
}

bool JsonReader::parse_document(std::string_view text, std::size_t start) {
  return parse(text, start, true);
}

bool JsonReader::parse(std::string_view text, std::size_t start, bool document) {
  tape_.clear();
  arena_used_ = 0;
  escaped_.clear();
  error_ = JsonError::none;
  message_.clear();
  error_offset_ = 0;
  text_ = text.data();
  end_of_text_ = text_ + text.size();
  cur_ = text_ + (start < text.size() ? start : text.size());
  skip_space();
  if (!value(0)) return false;
  if (document) {
    skip_space();
    if (cur_ != end_of_text_) return fail_unexpected("the end of the document");
  }
  end_ = static_cast<std::size_t>(cur_ - text_);
  // The arena has stopped growing: its strings can be placed now.
  for (const Escaped& e : escaped_) {
    tape_[e.node].text = std::string_view(arena_.data() + e.offset, e.size);
  }
  return true;
}

bool JsonReader::fail(JsonError kind, const char* what, const char* at) {
  error_ = kind;
  error_offset_ = static_cast<std::size_t>(at - text_);
  const std::string where = " at byte " + std::to_string(error_offset_);
  switch (kind) {
    case JsonError::utf8:
      message_ = "invalid UTF-8" + where;
      break;
    case JsonError::depth:
      message_ = "nesting deeper than " + std::to_string(max_depth_) + " levels" + where;
      break;
    case JsonError::syntax:
    case JsonError::none:
      message_ = std::string("invalid JSON: ") + what + where;
      break;
  }
  return false;
}

bool JsonReader::fail_unexpected(const char* expected) {
  if (cur_ == end_of_text_) {
    return fail(JsonError::syntax,
                (std::string("unexpected end of input, expected ") + expected).c_str(), cur_);
  }
  return fail(JsonError::syntax,
              (std::string("expected ") + expected + ", got " + describe_byte(*cur_)).c_str(),
              cur_);
}

bool JsonReader::value(int depth) {
  if (cur_ == end_of_text_) return fail_unexpected("a value");
  switch (*cur_) {
    case '{':
      return object(depth + 1);
    case '[':
      return array(depth + 1);
    case '"':
      return string_node();
    case 't':
      return literal("true", JsonType::boolean, true);
    case 'f':
      return literal("false", JsonType::boolean, false);
    case 'n':
      return literal("null", JsonType::null, false);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      return number();
    default:
      return fail_unexpected("a value");
  }
}

bool JsonReader::object(int depth) {
  if (depth > max_depth_) return fail(JsonError::depth, nullptr, cur_);
  const std::size_t index = tape_.size();
  tape_.emplace_back().type = JsonType::object;
  ++cur_;
  skip_space();
  std::uint32_t members = 0;
  if (cur_ != end_of_text_ && *cur_ == '}') {
    ++cur_;
  } else {
    for (;;) {
      if (cur_ == end_of_text_ || *cur_ != '"') {
        return fail_unexpected(members ? "a string key" : "a string key or '}'");
      }
      if (!string_node()) return false;
      skip_space();
      if (cur_ == end_of_text_ || *cur_ != ':') return fail_unexpected("':' after an object key");
      ++cur_;
      skip_space();
      if (!value(depth)) return false;
      ++members;
      skip_space();
      if (cur_ != end_of_text_ && *cur_ == ',') {
        ++cur_;
        skip_space();
        if (cur_ != end_of_text_ && *cur_ == '}') {
          return fail(JsonError::syntax, "trailing comma in an object", cur_);
        }
        continue;
      }
      if (cur_ != end_of_text_ && *cur_ == '}') {
        ++cur_;
        break;
      }
      return fail_unexpected("',' or '}' after an object member");
    }
  }
  const std::size_t span = tape_.size() - index;
  if (span > std::numeric_limits<std::uint32_t>::max()) {
    return fail(JsonError::syntax, "value too large", cur_);
  }
  tape_[index].skip = static_cast<std::uint32_t>(span);
  tape_[index].size = members;
  return true;
}

bool JsonReader::array(int depth) {
  if (depth > max_depth_) return fail(JsonError::depth, nullptr, cur_);
  const std::size_t index = tape_.size();
  tape_.emplace_back().type = JsonType::array;
  ++cur_;
  skip_space();
  std::uint32_t elements = 0;
  if (cur_ != end_of_text_ && *cur_ == ']') {
    ++cur_;
  } else {
    for (;;) {
      if (!value(depth)) return false;
      ++elements;
      skip_space();
      if (cur_ != end_of_text_ && *cur_ == ',') {
        ++cur_;
        skip_space();
        if (cur_ != end_of_text_ && *cur_ == ']') {
          return fail(JsonError::syntax, "trailing comma in an array", cur_);
        }
        continue;
      }
      if (cur_ != end_of_text_ && *cur_ == ']') {
        ++cur_;
        break;
      }
      return fail_unexpected("',' or ']' after an array element");
    }
  }
  const std::size_t span = tape_.size() - index;
  if (span > std::numeric_limits<std::uint32_t>::max()) {
    return fail(JsonError::syntax, "value too large", cur_);
  }
  tape_[index].skip = static_cast<std::uint32_t>(span);
  tape_[index].size = elements;
  return true;
}

bool JsonReader::string_node() {
  const char* start = ++cur_;  // past the opening quote
  for (;;) {
    cur_ = find_string_special(cur_, end_of_text_);
    if (cur_ == end_of_text_) return fail(JsonError::syntax, "unterminated string", cur_);
    unsigned char c = static_cast<unsigned char>(*cur_);
    if (c == '"') {
      JsonNode& node = tape_.emplace_back();
      node.type = JsonType::string;
      node.text = std::string_view(start, static_cast<std::size_t>(cur_ - start));
      ++cur_;
      return true;
    }
    if (c == '\\') return unescape(start);
    if (c < 0x20) {
      return fail(JsonError::syntax,
                  ("unescaped control character " + describe_byte(*cur_) + " in a string").c_str(),
                  cur_);
    }
    std::size_t length = utf8_sequence_length(
        std::string_view(text_, static_cast<std::size_t>(end_of_text_ - text_)),
        static_cast<std::size_t>(cur_ - text_));
    if (length == 0) return fail(JsonError::utf8, nullptr, cur_);
    cur_ += length;
  }
}

void JsonReader::grow_arena(std::size_t bytes) {
  arena_.resize(std::max(arena_.size() * 2, arena_used_ + bytes + 256));
}

// Copies string contents from cur_ up to the next special byte into the arena, a block at a
// time (a whole block is stored, then only the plain part counted).
void JsonReader::copy_plain_run() {
  while (end_of_text_ - cur_ >= kBlock) {
    char* out = arena_room(static_cast<std::size_t>(kBlock));
    std::memcpy(out, cur_, static_cast<std::size_t>(kBlock));
    if (auto mask = special_bytes(cur_)) {
      const int plain = first_special(mask);
      cur_ += plain;
      arena_used_ += static_cast<std::size_t>(plain);
      return;
    }
    cur_ += kBlock;
    arena_used_ += static_cast<std::size_t>(kBlock);
  }
  while (cur_ != end_of_text_ && !is_special(*cur_)) {
    *arena_room(1) = *cur_++;
    ++arena_used_;
  }
}

// The rest of a string that holds an escape, from `start` (its first byte) with cur_ at the
// first backslash; its contents go to the arena.
bool JsonReader::unescape(const char* start) {
  const std::size_t offset = arena_used_;
  const std::size_t before = static_cast<std::size_t>(cur_ - start);
  std::memcpy(arena_room(before), start, before);
  arena_used_ += before;
  for (;;) {
    const unsigned char c = static_cast<unsigned char>(*cur_);
    if (c == '"') {
      escaped_.push_back({static_cast<std::uint32_t>(tape_.size()), offset, arena_used_ - offset});
      tape_.emplace_back().type = JsonType::string;
      ++cur_;
      return true;
    }
    if (c == '\\') {
      if (end_of_text_ - cur_ < 2) return fail(JsonError::syntax, "unterminated string", cur_ + 1);
      char* out = arena_room(4);  // the most one escape (or a surrogate pair) decodes to
      std::size_t step = 2;
      switch (cur_[1]) {
        case '"':
        case '\\':
        case '/':
          *out = cur_[1];
          break;
        case 'b':
          *out = '\b';
          break;
        case 'f':
          *out = '\f';
          break;
        case 'n':
          *out = '\n';
          break;
        case 'r':
          *out = '\r';
          break;
        case 't':
          *out = '\t';
          break;
        case 'u': {
          if (end_of_text_ - cur_ < 6)
            return fail(JsonError::syntax, "unterminated \\u escape", cur_);
          long unit = hex4(cur_ + 2);
          if (unit < 0) return fail(JsonError::syntax, "\\u not followed by 4 hex digits", cur_);
          std::uint32_t code_point = static_cast<std::uint32_t>(unit);
          if (unit >= 0xDC00 && unit <= 0xDFFF) {
            return fail(JsonError::syntax, "unpaired surrogate in a \\u escape", cur_);
          }
          step = 6;
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            // A high surrogate must be followed at once by an escaped low one.
            long low = end_of_text_ - cur_ >= 12 && cur_[6] == '\\' && cur_[7] == 'u'
                           ? hex4(cur_ + 8)
                           : -1;
            if (low < 0xDC00 || low > 0xDFFF) {
              return fail(JsonError::syntax, "unpaired surrogate in a \\u escape", cur_);
            }
            step = 12;
            code_point = 0x10000 + ((static_cast<std::uint32_t>(unit) - 0xD800) << 10) +
                         (static_cast<std::uint32_t>(low) - 0xDC00);
          }
          arena_used_ += encode_utf8(code_point, out);
          cur_ += step;
          copy_plain_run();
          if (cur_ == end_of_text_) return fail(JsonError::syntax, "unterminated string", cur_);
          continue;
        }
        default:
          return fail(JsonError::syntax,
                      ("invalid escape: backslash followed by " + describe_byte(cur_[1])).c_str(),
                      cur_);
      }
      ++arena_used_;
      cur_ += step;
    } else if (c < 0x20) {
      return fail(JsonError::syntax,
                  ("unescaped control character " + describe_byte(*cur_) + " in a string").c_str(),
                  cur_);
    } else {
      const std::size_t length = utf8_sequence_length(
          std::string_view(text_, static_cast<std::size_t>(end_of_text_ - text_)),
          static_cast<std::size_t>(cur_ - text_));
      if (length == 0) return fail(JsonError::utf8, nullptr, cur_);
      std::memcpy(arena_room(length), cur_, length);
      arena_used_ += length;
      cur_ += length;
    }
    copy_plain_run();
    if (cur_ == end_of_text_) return fail(JsonError::syntax, "unterminated string", cur_);
  }
}

bool JsonReader::number() {
  const char* start = cur_;
  const bool negative = *cur_ == '-';
  if (negative) ++cur_;
  if (cur_ == end_of_text_ || !is_digit(*cur_)) return fail_unexpected("a digit");
  std::uint64_t magnitude = 0;
  bool overflow = false;
  if (*cur_ == '0') {
    ++cur_;
    if (cur_ != end_of_text_ && is_digit(*cur_)) {
      return fail(JsonError::syntax, "leading zero in a number", start);
    }
  } else {
    for (; cur_ != end_of_text_ && is_digit(*cur_); ++cur_) {
      unsigned digit = static_cast<unsigned>(*cur_ - '0');
      if (overflow || magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
        overflow = true;
      } else {
        magnitude = magnitude * 10 + digit;
      }
    }
  }
  bool integral = true;
  if (cur_ != end_of_text_ && *cur_ == '.') {
    integral = false;
    ++cur_;
    if (cur_ == end_of_text_ || !is_digit(*cur_)) return fail_unexpected("a digit after '.'");
    while (cur_ != end_of_text_ && is_digit(*cur_)) ++cur_;
  }
  if (cur_ != end_of_text_ && (*cur_ == 'e' || *cur_ == 'E')) {
    integral = false;
    ++cur_;
    if (cur_ != end_of_text_ && (*cur_ == '+' || *cur_ == '-')) ++cur_;
    if (cur_ == end_of_text_ || !is_digit(*cur_)) return fail_unexpected("a digit in the exponent");
    while (cur_ != end_of_text_ && is_digit(*cur_)) ++cur_;
  }
  JsonNode& node = tape_.emplace_back();
  node.type = JsonType::number;
  node.text = std::string_view(start, static_cast<std::size_t>(cur_ - start));
  constexpr std::uint64_t kMaxPositive = std::numeric_limits<std::int64_t>::max();
  if (integral && !overflow && magnitude <= kMaxPositive + (negative ? 1 : 0)) {
    node.flag = true;
    node.integer = static_cast<std::int64_t>(negative ? ~magnitude + 1 : magnitude);
    return true;
  }
  // strtod reads the locale's decimal point; the token always has '.'.
  number_buffer_.assign(node.text);
  if (const std::lconv* locale = std::localeconv();
      locale && locale->decimal_point && *locale->decimal_point != '.') {
    for (char& c : number_buffer_) {
      if (c == '.') c = *locale->decimal_point;
    }
  }
  node.real = std::strtod(number_buffer_.c_str(), nullptr);
  if (!std::isfinite(node.real)) {
    error_ = JsonError::syntax;
    error_offset_ = static_cast<std::size_t>(start - text_);
    message_ = "invalid JSON: number overflow parsing '" + number_buffer_.assign(node.text) + "'";
    return false;
  }
  return true;
}

bool JsonReader::literal(std::string_view word, JsonType type, bool flag) {
  if (static_cast<std::size_t>(end_of_text_ - cur_) < word.size() ||
      std::memcmp(cur_, word.data(), word.size()) != 0) {
    return fail(JsonError::syntax, "invalid literal (expected true, false or null)", cur_);
  }
  JsonNode& node = tape_.emplace_back();
  node.type = type;
  node.flag = flag;
  cur_ += word.size();
  return true;
}

}  // namespace clicktrail::detail
