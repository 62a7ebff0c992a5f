// Plain-text URL finder. The rules combine GitHub's autolink extension (cmark-gfm) and
// linkify-it, which agree on most inputs; where they differ the choice is noted at the spot.
//
// Shape of a match:
//   scheme  "http://" | "https://" (any case), or "www." (any case; the href then needs "http://")
//   userinfo  optional "user:pass@" (scheme matches only)
//   host    dot-separated labels, optional ":port"
//   path    starts with '/', '?' or '#' and runs to whitespace, '<', '>' or a stop character,
//           then trailing punctuation, unbalanced closers and a trailing entity are cut off.
//
// Every scan is a forward walk over bytes and no byte is scanned by more than a bounded number
// of candidates (see find_urls), so the whole search is O(n). Invalid UTF-8 is never an error: an
// invalid byte simply ends a URL.
#include "clicktrail/linkify.hpp"

#include <array>
#include <cstdint>
#include <optional>

#include "byte_search.hpp"

namespace clicktrail {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFFu;  // marks an invalid UTF-8 byte

struct Decoded {
  char32_t cp;
  std::size_t len;
};

// Decodes the UTF-8 sequence starting at s[pos] (pos < s.size()). Overlong forms, surrogates
// and truncated sequences decode as one invalid byte so the caller always makes progress.
Decoded decode_at(std::string_view s, std::size_t pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return {kInvalid, 1};
  }
  if (s.size() - pos < len) return {kInvalid, 1};
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[pos + k]);
    if ((b & 0xC0u) != 0x80u) return {kInvalid, 1};
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {kInvalid, 1};
  return {cp, len};
}

// Decodes the code point that ends right before s[end] (end > 0); an invalid tail decodes as
// one invalid byte.
Decoded decode_before(std::string_view s, std::size_t end) {
  std::size_t start = end - 1;
  const std::size_t floor = end >= 4 ? end - 4 : 0;
  while (start > floor && (static_cast<unsigned char>(s[start]) & 0xC0u) == 0x80u) --start;
  const Decoded d = decode_at(s, start);
  if (d.cp != kInvalid && start + d.len == end) return d;
  return {kInvalid, 1};
}

// What a non-ASCII code point does to a URL.
enum class Cls : std::uint8_t {
  kWord,   // letter, digit, symbol, mark: may be part of a host label (IDN, emoji hosts)
  kPunct,  // punctuation: ends a host, may sit inside a path
  kStop,   // whitespace, control, invalid byte, CJK/fullwidth punctuation: ends any URL
};

struct Range {
  char32_t lo, hi;
};

bool in_ranges(char32_t cp, const Range* ranges, std::size_t count) {
  // The tables are short and sorted; a linear walk that stops early is cheap enough because
  // only non-ASCII characters inside candidate URLs ever get here.
  for (std::size_t k = 0; k < count && ranges[k].lo <= cp; ++k) {
    if (cp <= ranges[k].hi) return true;
  }
  return false;
}

// Unicode whitespace, C1 controls, zero-width space and BOM (both used in mail to break
// autolinking), and the CJK / fullwidth punctuation that East Asian text puts right after a URL
// without a space (linkify-it stops at U+FF5C; its test data has "｜www.google.com/...｜bar").
constexpr Range kStopRanges[] = {
    {0x0080, 0x00A0}, {0x1680, 0x1680}, {0x180E, 0x180E}, {0x2000, 0x200B}, {0x2028, 0x2029},
    {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3004}, {0x3008, 0x3020}, {0x3030, 0x3030},
    {0x303D, 0x303D}, {0x30FB, 0x30FB}, {0xFE10, 0xFE19}, {0xFE30, 0xFE52}, {0xFE54, 0xFE61},
    {0xFE63, 0xFE63}, {0xFE68, 0xFE68}, {0xFE6A, 0xFE6B}, {0xFEFF, 0xFEFF}, {0xFF01, 0xFF0F},
    {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65},
};

// Punctuation outside the CJK blocks (Unicode category P, the common part of it): like ASCII
// punctuation it cannot be part of a host (linkify-it's rule) but is kept inside a path.
constexpr Range kPunctRanges[] = {
    {0x00A1, 0x00A1}, {0x00A7, 0x00A7}, {0x00AB, 0x00AB}, {0x00B6, 0x00B7}, {0x00BB, 0x00BB},
    {0x00BF, 0x00BF}, {0x037E, 0x037E}, {0x0387, 0x0387}, {0x055A, 0x055F}, {0x0589, 0x058A},
    {0x05BE, 0x05BE}, {0x05C0, 0x05C0}, {0x05C3, 0x05C3}, {0x05C6, 0x05C6}, {0x05F3, 0x05F4},
    {0x0609, 0x060A}, {0x060C, 0x060D}, {0x061B, 0x061B}, {0x061D, 0x061F}, {0x066A, 0x066D},
    {0x06D4, 0x06D4}, {0x0964, 0x0965}, {0x0970, 0x0970}, {0x0E4F, 0x0E4F}, {0x0E5A, 0x0E5B},
    {0x2010, 0x2027}, {0x2030, 0x2043}, {0x2045, 0x2051}, {0x2053, 0x205E}, {0x2E00, 0x2E4F},
};

// Closing or sentence-final punctuation that is cut from the end of a path, like GFM's ASCII
// list: dashes, curly quotes (both directions: German closes with U+201C), guillemets, ellipsis.
constexpr Range kTrailingRanges[] = {
    {0x00AB, 0x00AB}, {0x00BB, 0x00BB}, {0x2013, 0x2014},
    {0x2018, 0x201F}, {0x2026, 0x2026}, {0x2039, 0x203A},
};

template <std::size_t N>
bool in_table(char32_t cp, const Range (&table)[N]) {
  return in_ranges(cp, table, N);
}

Cls classify(char32_t cp) {
  if (cp == kInvalid || in_table(cp, kStopRanges)) return Cls::kStop;
  if (in_table(cp, kPunctRanges)) return Cls::kPunct;
  return Cls::kWord;
}

bool is_ascii_alpha(unsigned char c) {
  return (c | 0x20u) >= 'a' && (c | 0x20u) <= 'z';
}
bool is_ascii_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_alnum(unsigned char c) {
  return is_ascii_alpha(c) || is_ascii_digit(c);
}
bool is_hex_digit(unsigned char c) {
  return is_ascii_digit(c) || ((c | 0x20u) >= 'a' && (c | 0x20u) <= 'f');
}

// ASCII that ends any URL: controls, space, and the angle brackets ('<' is GFM's rule; '>' is
// linkify-it's, whose data expects "<http://domain.com>" to give "http://domain.com").
bool is_ascii_stop(unsigned char c) {
  return c <= 0x20 || c == 0x7F || c == '<' || c == '>';
}

// A character that may be part of a host label: ASCII letters, digits, '-', '_' and any
// non-ASCII "word" code point (IDN labels, emoji hosts). Returns its byte length, or 0.
std::size_t host_char_len(std::string_view s, std::size_t pos) {
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) return (is_ascii_alnum(c) || c == '-' || c == '_') ? 1 : 0;
  const Decoded d = decode_at(s, pos);
  return classify(d.cp) == Cls::kWord ? d.len : 0;
}

bool starts_with_ci(std::string_view s, std::size_t pos, std::string_view lower) {
  if (s.size() - pos < lower.size()) return false;
  for (std::size_t k = 0; k < lower.size(); ++k) {
    const auto c = static_cast<unsigned char>(s[pos + k]);
    // Only letters are folded; ':', '/', '.' compare as they are.
    const unsigned char folded = is_ascii_alpha(c) ? (c | 0x20u) : c;
    if (folded != static_cast<unsigned char>(lower[k])) return false;
  }
  return true;
}

// Skips an optional "user:pass@" (linkify-it's src_auth: anything but whitespace, controls and
// "@/[]()", here also "?#<>\" which RFC 3986 does not allow in userinfo). Returns where the
// host starts. The walk stops at the first '/', so it never reaches another "scheme://".
std::size_t skip_userinfo(std::string_view s, std::size_t pos) {
  std::size_t k = pos;
  while (k < s.size()) {
    const auto c = static_cast<unsigned char>(s[k]);
    if (c < 0x80) {
      if (is_ascii_stop(c)) break;
      if (c == '@' || c == '/' || c == '?' || c == '#' || c == '[' || c == ']' || c == '(' ||
          c == ')' || c == '\\')
        break;
      ++k;
    } else {
      const Decoded d = decode_at(s, k);
      if (classify(d.cp) == Cls::kStop) break;
      k += d.len;
    }
  }
  if (k < s.size() && s[k] == '@' && k > pos) return k + 1;
  return pos;
}

// Parses the host at s[pos..]. Returns one past its last label (trailing dots excluded: "a.com."
// ends a sentence), or nullopt when the labels are not a valid host.
std::optional<std::size_t> parse_host(std::string_view s, std::size_t pos, bool www) {
  // The run of label characters and dots.
  std::size_t run_end = pos;
  while (run_end < s.size()) {
    if (s[run_end] == '.') {
      ++run_end;
      continue;
    }
    const std::size_t len = host_char_len(s, run_end);
    if (len == 0) break;
    run_end += len;
  }
  std::size_t end = run_end;
  while (end > pos && s[end - 1] == '.') --end;
  if (end == pos) return std::nullopt;  // "http://", "http://.", "http://#"

  // Label rules: none empty ("http://.example.com", "a..b"), none starting or ending with '-'
  // ("http://-example.com", linkify-it), and no '_' in the last two labels (GFM's rule, which
  // also rejects "http://example.com_").
  std::size_t labels = 0;
  bool underscore_last = false;
  bool underscore_second_last = false;
  std::size_t label_start = pos;
  for (std::size_t k = pos; k <= end; ++k) {
    if (k < end && s[k] != '.') continue;
    if (k == label_start) return std::nullopt;
    if (s[label_start] == '-' || s[k - 1] == '-') return std::nullopt;
    ++labels;
    underscore_second_last = underscore_last;
    underscore_last = s.substr(label_start, k - label_start).find('_') != std::string_view::npos;
    label_start = k + 1;
  }
  if (underscore_last || underscore_second_last) return std::nullopt;
  // "www." needs a real domain after it (GFM: a period in the domain); a scheme allows single
  // labels such as "localhost" or an intranet name.
  if (www && labels < 3) return std::nullopt;
  return end;
}

// After the host (and port), linkify-it rejects the whole candidate when the next characters
// would continue it as a word ("http://a.com:80x", "http://a.com:80.x"). Returns false then.
bool host_terminated(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return true;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == '.') {
    return pos + 1 >= s.size() || host_char_len(s, pos + 1) == 0;
  }
  if (c == ':')
    return !(pos + 1 < s.size() && is_ascii_digit(static_cast<unsigned char>(s[pos + 1])));
  return host_char_len(s, pos) == 0;
}

// Parses ":port" at s[pos] when present. Returns the position after it, pos itself when there is
// no port, or nullopt for a port that is out of range ("google.com:500000" is not a link).
std::optional<std::size_t> parse_port(std::string_view s, std::size_t pos) {
  if (pos + 1 >= s.size() || s[pos] != ':' ||
      !is_ascii_digit(static_cast<unsigned char>(s[pos + 1])))
    return pos;
  std::size_t k = pos + 1;
  std::uint32_t value = 0;
  while (k < s.size() && is_ascii_digit(static_cast<unsigned char>(s[k]))) {
    if (k - pos > 5) return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(s[k] - '0');
    ++k;
  }
  if (value > 65535) return std::nullopt;
  return k;
}

// Where an entity-looking "&name;", "&#123;" or "&#x1F;" that ends at s[semicolon] starts, or
// nullopt. Only bytes from `floor` on are looked at.
std::optional<std::size_t> entity_start(std::string_view s, std::size_t floor,
                                        std::size_t semicolon) {
  std::size_t k = semicolon;
  while (k > floor && is_ascii_alnum(static_cast<unsigned char>(s[k - 1]))) --k;
  const std::string_view body = s.substr(k, semicolon - k);
  if (body.empty() || k == floor) return std::nullopt;
  if (s[k - 1] == '&') {
    if (is_ascii_alpha(static_cast<unsigned char>(body[0]))) return k - 1;
    return std::nullopt;
  }
  if (s[k - 1] != '#' || k - 1 == floor || s[k - 2] != '&') return std::nullopt;
  bool decimal = true;
  for (const char ch : body) decimal = decimal && is_ascii_digit(static_cast<unsigned char>(ch));
  if (decimal) return k - 2;
  if ((body[0] | 0x20) != 'x' || body.size() < 2) return std::nullopt;
  for (const char ch : body.substr(1)) {
    if (!is_hex_digit(static_cast<unsigned char>(ch))) return std::nullopt;
  }
  return k - 2;
}

// Scans the path that starts at s[pos] (a '/', '?' or '#') and returns where the URL ends after
// trimming what GFM and linkify-it leave outside a link.
std::size_t path_end(std::string_view s, std::size_t pos) {
  // How often each ASCII byte occurs in the raw path: bracket and quote counts decide whether a
  // trailing closer belongs to the URL.
  std::array<std::size_t, 128> count{};
  std::size_t end = pos;
  while (end < s.size()) {
    const auto c = static_cast<unsigned char>(s[end]);
    if (c < 0x80) {
      if (is_ascii_stop(c)) break;
      ++count[c];
      ++end;
    } else {
      const Decoded d = decode_at(s, end);
      if (classify(d.cp) == Cls::kStop) break;
      end += d.len;
    }
  }

  // Cuts one trailing closer when the path has more of it than of its opener.
  const auto unbalanced = [&count](unsigned char close, unsigned char open) {
    if (count[close] <= count[open]) return false;
    --count[close];
    return true;
  };
  // Each step removes at least one byte, and a failed entity look-back is followed by a stop
  // (the byte before ';' is then alphanumeric), so trimming is linear in the path length.
  while (end > pos) {
    const auto c = static_cast<unsigned char>(s[end - 1]);
    if (c < 0x80) {
      bool cut = false;
      if (std::string_view("?!.,:*_~").find(static_cast<char>(c)) != std::string_view::npos) {
        cut = true;  // GFM's trailing punctuation
      } else if (c == '"' || c == '\'') {
        // Quotes come in pairs inside a path (linkify-it keeps blah_"doublequoted"), so only an
        // odd one is cut; GFM cuts every trailing quote, which would break those paths.
        cut = count[c] % 2 == 1;
        if (cut) --count[c];
      } else if (c == ')') {
        cut = unbalanced(')', '(');
      } else if (c == ']') {
        cut = unbalanced(']', '[');
      } else if (c == '}') {
        cut = unbalanced('}', '{');
      } else if (c == ';') {
        // GFM: "&hl;" at the end is taken for an entity and cut whole; a bare ';' is cut alone.
        // The input may be raw HTML text, so "&amp;" or "&#39;" right at the end belong to the
        // sentence, not to the URL.
        end = entity_start(s, pos, end - 1).value_or(end - 1);
        continue;
      }
      if (!cut) return end;
      --end;
      continue;
    }
    const Decoded d = decode_before(s, end);
    if (d.cp == kInvalid || !in_table(d.cp, kTrailingRanges)) return end;
    end -= d.len;
  }
  return end;
}

// Completes a candidate whose scheme (or "www.") starts at `begin` and whose authority starts
// at `authority`.
std::optional<UrlMatch> match_at(std::string_view s, std::size_t begin, std::size_t authority,
                                 bool www) {
  const std::size_t host = www ? authority : skip_userinfo(s, authority);
  const std::optional<std::size_t> host_end = parse_host(s, host, www);
  if (!host_end) return std::nullopt;
  const std::optional<std::size_t> port_end = parse_port(s, *host_end);
  if (!port_end || !host_terminated(s, *port_end)) return std::nullopt;
  std::size_t end = *port_end;
  if (end < s.size() && (s[end] == '/' || s[end] == '?' || s[end] == '#')) end = path_end(s, end);
  return UrlMatch{begin, end, www};
}

// Whether a "www." at s[pos] may start a link: GFM wants whitespace or "*_~(" before it,
// linkify-it anything but a word character or ".:/-_@". Both reject letters and digits
// ("awww.a.com"); '/' and ':' keep "//www.a.com" and "ftp://www.a.com" out, '@' an email
// domain, '.' and '-' the middle of a longer host.
bool www_boundary(std::string_view s, std::size_t pos) {
  if (pos == 0) return true;
  const auto c = static_cast<unsigned char>(s[pos - 1]);
  if (c < 0x80) {
    return !is_ascii_alnum(c) &&
           std::string_view(".:/-_@").find(static_cast<char>(c)) == std::string_view::npos;
  }
  return classify(decode_before(s, pos).cp) != Cls::kWord;
}

// Whether "http" at s[pos] may start a link. Letters and digits before it make it part of a word
// ("xhttp://"); '_' too (linkify-it's not_links: "_http://example.com"). Any other character,
// including non-ASCII, is a boundary: GFM only looks at ASCII letters, and CJK text often has
// no space before a URL.
bool scheme_boundary(std::string_view s, std::size_t pos) {
  if (pos == 0) return true;
  const auto c = static_cast<unsigned char>(s[pos - 1]);
  return !is_ascii_alnum(c) && c != '_';
}

}  // namespace

std::vector<UrlMatch> find_urls(std::string_view text) {
  std::vector<UrlMatch> out;
  // Every candidate has a ':' or '.' at a fixed distance from its start ("https:", "http:",
  // "www."), and both are far rarer in text than 'h' or 'w': jump from one to the next (16
  // bytes per step) and look back, rather than testing every byte. Candidates come out in
  // increasing order of start, as a byte-by-byte scan would meet them.
  std::size_t free_from = 0;  // matches never overlap: no candidate starts before this
  const char* begin = text.data();
  const char* end = begin + text.size();
  for (const char* hit = detail::find_either(begin, end, ':', '.'); hit;
       hit = detail::find_either(hit + 1, end, ':', '.')) {
    const std::size_t at = static_cast<std::size_t>(hit - begin);
    std::optional<UrlMatch> m;
    if (*hit == ':') {
      for (std::string_view scheme : {std::string_view("https://"), std::string_view("http://")}) {
        std::size_t back = scheme.size() - 3;  // from the start to the ':'
        if (at < free_from + back) continue;
        std::size_t start = at - back;
        if (starts_with_ci(text, start, scheme)) {
          if (scheme_boundary(text, start)) m = match_at(text, start, start + scheme.size(), false);
          break;
        }
      }
    } else if (at >= free_from + 3 && starts_with_ci(text, at - 3, "www.") &&
               www_boundary(text, at - 3)) {
      m = match_at(text, at - 3, at - 3, true);
    }
    if (m) {
      out.push_back(*m);
      // A failed candidate is not rescanned by a later one: scheme candidates scan from
      // distinct "//" up to the next '/', and a "www." inside a scanned host is always
      // preceded by a host character, which www_boundary rejects.
      free_from = m->end;
      hit = begin + m->end - 1;
    }
  }
  return out;
}

}  // namespace clicktrail
