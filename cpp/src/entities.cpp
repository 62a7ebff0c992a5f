// HTML character reference decoding that follows the WHATWG tokenizer's "character reference
// state" step by step, so a link pulled out of an e-mail's HTML reads exactly as the browser that
// renders the e-mail would read it.
#include "clicktrail/entities.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace clicktrail {
namespace {

// Defines kEntityNames, kEntityBlockOffsets, kEntityValues and friends; the layout is described
// in tools/gen_entity_table.py, which generates the file.
#include "entity_table.inc"

// Guards against a hand-edited or truncated table: the lookup code trusts these shapes.
static_assert(sizeof(kEntityValues) == 3 * kEntityCount);
static_assert(kEntityBlockCount == (kEntityCount + kEntityBlockSize - 1) / kEntityBlockSize);
static_assert(kEntityMaxNameLength <= 31 && kEntityMaxLegacyLength <= kEntityMaxNameLength);

constexpr char32_t kReplacementCharacter = 0xFFFD;

// Header byte flags of a front-coded entry in kEntityNames.
constexpr unsigned char kHeaderMarker = 0x80;
constexpr unsigned char kHeaderLegacy = 0x20;
constexpr unsigned char kHeaderPrefixMask = 0x1F;

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_ascii_alphanumeric(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Value of `c` as a digit in base 10 or 16, or -1 when it is not one.
int digit_value(char c, bool hex) {
  if (is_ascii_digit(c)) return c - '0';
  if (!hex) return -1;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_header(std::size_t pos) {
  return (static_cast<unsigned char>(kEntityNames[pos]) & kHeaderMarker) != 0;
}

// sizeof includes the string literal's terminating NUL, which is not part of any name.
constexpr std::size_t kEntityNamesEnd = sizeof(kEntityNames) - 1;

// The first name of a block is stored whole (shared prefix 0), so it can be viewed in place.
std::string_view block_head(int block) {
  std::size_t begin = kEntityBlockOffsets[block] + 1;
  std::size_t end = begin;
  while (end < kEntityNamesEnd && !is_header(end)) ++end;
  return {kEntityNames + begin, end - begin};
}

struct Entry {
  int index = -1;  // -1: not in the table
  bool legacy = false;
};

// Looks `name` (without ';') up: binary search over the block heads, then the block is
// decoded entry by entry, each one reusing the prefix it shares with the one before.
Entry find_entity(std::string_view name) {
  if (name.empty() || name.size() > kEntityMaxNameLength) return {};
  int lo = 0;
  int hi = kEntityBlockCount;
  while (lo < hi) {  // first block whose head sorts after `name`
    int mid = lo + (hi - lo) / 2;
    if (block_head(mid) <= name) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const int block = lo - 1;
  if (block < 0) return {};

  char current[kEntityMaxNameLength];
  std::size_t pos = kEntityBlockOffsets[block];
  for (int i = 0; i < kEntityBlockSize && pos < kEntityNamesEnd; ++i) {
    const auto header = static_cast<unsigned char>(kEntityNames[pos++]);
    std::size_t length = header & kHeaderPrefixMask;
    while (pos < kEntityNamesEnd && !is_header(pos)) current[length++] = kEntityNames[pos++];
    const std::string_view candidate(current, length);
    if (candidate == name) return {block * kEntityBlockSize + i, (header & kHeaderLegacy) != 0};
    if (candidate > name) break;  // sorted: `name` cannot come later
  }
  return {};
}

void append_entity_value(std::string& out, int index) {
  const std::uint8_t* bytes = kEntityValues + 3 * static_cast<std::size_t>(index);
  const std::uint32_t packed =
      std::uint32_t{bytes[0]} | std::uint32_t{bytes[1]} << 8 | std::uint32_t{bytes[2]} << 16;
  append_utf8(out, packed & 0x1FFFF);
  if (const std::uint32_t second = packed >> 17; second != 0) {
    append_utf8(out, kEntitySecondCodePoints[second]);
  }
}

// The spec's "numeric character reference end state": code points a browser refuses become
// U+FFFD, and C1 controls are read as the Windows-1252 characters authors meant.
char32_t numeric_reference_code_point(std::uint32_t value) {
  static constexpr char16_t kWindows1252[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return kReplacementCharacter;
  }
  // 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no Windows-1252 meaning and are kept as they are; so
  // are the other controls and the noncharacters (they are only parse errors).
  if (value >= 0x80 && value <= 0x9F && kWindows1252[value - 0x80] != 0) {
    return kWindows1252[value - 0x80];
  }
  return value;
}

// Handles "&#..." with `pos` just after '#'. Returns where decoding continues: after the
// reference, or at the '#' when no digit follows and the text stays literal.
std::size_t decode_numeric(std::string_view raw, std::size_t pos, std::string& out) {
  const bool hex = pos < raw.size() && (raw[pos] == 'x' || raw[pos] == 'X');
  std::size_t end = hex ? pos + 1 : pos;
  const std::size_t digits_begin = end;
  std::uint32_t value = 0;
  int digit = 0;
  while (end < raw.size() && (digit = digit_value(raw[end], hex)) >= 0) {
    // Saturate just above the Unicode range: "&#11111111111;" must not wrap around into a
    // valid code point, yet every digit is still consumed as the spec says.
    value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
    if (value > 0x10FFFF) value = 0x110000;
    ++end;
  }
  if (end == digits_begin) {
    // "absence-of-digits-in-numeric-character-reference": "&#" / "&#x" are flushed as text.
    out += '&';
    return pos - 1;
  }
  if (end < raw.size() && raw[end] == ';') ++end;  // missing ';' is only a parse error
  append_utf8(out, numeric_reference_code_point(value));
  return end;
}

// Handles a named reference with `pos` just after '&'. Returns where decoding continues.
std::size_t decode_named(std::string_view raw, std::size_t pos, EntityContext context,
                         std::string& out) {
  // Names are ASCII alphanumerics, so a name followed by ';' can only match when it spans the
  // whole alphanumeric run; one run longer than any name skips that lookup.
  std::size_t run = 0;
  while (pos + run < raw.size() && run <= kEntityMaxNameLength &&
         is_ascii_alphanumeric(raw[pos + run])) {
    ++run;
  }
  if (pos + run < raw.size() && raw[pos + run] == ';') {
    if (const Entry entry = find_entity(raw.substr(pos, run)); entry.index >= 0) {
      append_entity_value(out, entry.index);
      return pos + run + 1;
    }
  }
  // Otherwise only the legacy names match, and they may be a prefix of the run ("&notit;" is
  // "¬it;"). The longest one wins, as the spec consumes as many characters as possible.
  for (std::size_t length = run < kEntityMaxLegacyLength ? run : kEntityMaxLegacyLength; length > 0;
       --length) {
    const Entry entry = find_entity(raw.substr(pos, length));
    if (entry.index < 0 || !entry.legacy) continue;
    const std::size_t next = pos + length;
    if (context == EntityContext::attribute && next < raw.size() &&
        (raw[next] == '=' || is_ascii_alphanumeric(raw[next]))) {
      // Historical rule for attributes: "?a=1&copy=2" keeps "&copy" as written, because
      // such query strings predate the named references that happen to match them.
      break;
    }
    append_entity_value(out, entry.index);
    return next;
  }
  // Not a reference (or one kept as written): the '&' is text, and the characters after it
  // are copied by the caller like any other text (the "ambiguous ampersand state").
  out += '&';
  return pos;
}

}  // namespace

std::string decode_entities(std::string_view raw, EntityContext context) {
  std::size_t amp = raw.find('&');
  // Fast path: most text has no reference at all; return it with a single copy.
  if (amp == std::string_view::npos) return std::string(raw);

  std::string out;
  // A reference almost never decodes to more bytes than it is written with ("&nGt;" does).
  out.reserve(raw.size());
  std::size_t pos = 0;
  while (amp != std::string_view::npos) {
    out.append(raw, pos, amp - pos);
    const std::size_t after = amp + 1;
    if (after < raw.size() && raw[after] == '#') {
      pos = decode_numeric(raw, after + 1, out);
    } else if (after < raw.size() && is_ascii_alphanumeric(raw[after])) {
      pos = decode_named(raw, after, context, out);
    } else {
      out += '&';  // "&", "& ", "&;", "&&": the ampersand is plain text
      pos = after;
    }
    amp = raw.find('&', pos);
  }
  out.append(raw, pos);
  return out;
}

std::string escape_html(std::string_view text) {
  // A plain loop: find_first_of tests each byte against the set with a library call per byte
  // in WebAssembly's libc++.
  auto next_special = [&](std::size_t from) {
    for (std::size_t i = from; i < text.size(); ++i) {
      char c = text[i];
      if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') return i;
    }
    return std::string_view::npos;
  };
  std::size_t special = next_special(0);
  if (special == std::string_view::npos) return std::string(text);

  std::string out;
  out.reserve(text.size() + text.size() / 8 + 8);
  std::size_t pos = 0;
  while (special != std::string_view::npos) {
    out.append(text, pos, special - pos);
    switch (text[special]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += "&#39;";
        break;  // '\'': &apos; is not an HTML4 reference, &#39; works everywhere
    }
    pos = special + 1;
    special = next_special(pos);
  }
  out.append(text, pos);
  return out;
}

}  // namespace clicktrail
