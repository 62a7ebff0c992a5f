#include "clicktrail/url.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace clicktrail {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

constexpr bool is_alpha(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
constexpr bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(unsigned char c) {
  return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
int hex_value(unsigned char c) {
  return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

constexpr bool is_unreserved(unsigned char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 gen-delims and sub-delims: legal in a URI as they are.
constexpr bool is_reserved(unsigned char c) {
  switch (c) {
    case ':':
    case '/':
    case '?':
    case '#':
    case '[':
    case ']':
    case '@':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
      return true;
    default:
      return false;
  }
}

// Bytes a URI may hold as they are (unreserved or reserved), as a table: the conformance check
// runs over every tracking URL and target, one lookup per byte.
constexpr std::array<bool, 256> kUriBytes = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = is_unreserved(c) || is_reserved(c);
  return table;
}();

bool is_url_whitespace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void append_escape(std::string& out, unsigned char c) {
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 15]);
}

bool valid_escape_at(std::string_view s, std::size_t i) {
  return i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2]);
}

// Appends `text` with each byte at which keep(i) is false percent-encoded. Kept bytes go in
// runs, not one at a time.
template <typename Keep>
void append_escaped(std::string& out, std::string_view text, Keep keep) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (keep(i)) continue;
    out.append(text, run, i - run);
    append_escape(out, static_cast<unsigned char>(text[i]));
    run = i + 1;
  }
  out.append(text, run);
}

// A DNS name as it appears in a URL: ASCII letters, digits, '-', '_' in dot-separated labels of
// 1-63 bytes that neither start nor end with '-', 253 bytes at most, one trailing dot allowed.
// Internationalised names must be in punycode ("xn--"), so a unicode look-alike host never
// reaches a Location header. A last label that is numeric ("127.1", "2130706433", "0x7f") is
// refused: browsers would read the whole host as an IPv4 address.
bool is_dns_name(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return false;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= host.size(); ++i) {
    if (i < host.size() && host[i] != '.') {
      unsigned char c = host[i];
      if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_')) return false;
      continue;
    }
    std::string_view label = host.substr(label_start, i - label_start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    label_start = i + 1;
  }
  std::string_view last =
      host.substr(host.rfind('.') == std::string_view::npos ? 0 : host.rfind('.') + 1);
  bool numeric = std::all_of(last.begin(), last.end(), is_digit) || istarts_with_ascii(last, "0x");
  return !numeric;
}

}  // namespace

bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& bytes) {
  std::size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
    std::size_t start = i;
    int value = 0;
    while (i < text.size() && is_digit(text[i]) && i - start < 3)
      value = value * 10 + (text[i++] - '0');
    // No empty parts, no leading zeros (browsers would read "010" as octal), at most 255.
    if (i == start || value > 255 || (text[start] == '0' && i - start > 1)) return false;
    bytes[part] = static_cast<std::uint8_t>(value);
  }
  return i == text.size();
}

bool parse_ipv6(std::string_view text, std::array<std::uint16_t, 8>& groups) {
  std::array<std::uint16_t, 8> head{}, tail{};
  int head_count = 0, tail_count = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (text.starts_with("::")) {
    compressed = true;
    i = 2;
  }
  while (i < text.size()) {
    auto& target = compressed ? tail : head;
    int& count = compressed ? tail_count : head_count;
    std::size_t start = i;
    unsigned value = 0;
    while (i < text.size() && i - start < 4 && is_hex(text[i]))
      value = value * 16 + hex_value(text[i++]);
    if (i < text.size() && text[i] == '.') {  // a dotted IPv4 tail ends the address
      std::array<std::uint8_t, 4> v4{};
      if (count > 6 || !parse_ipv4(text.substr(start), v4)) return false;
      target[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
      target[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
      i = text.size();
      break;
    }
    if (i == start || count >= 8) return false;
    target[count++] = static_cast<std::uint16_t>(value);
    if (i == text.size()) break;
    if (text[i] != ':') return false;
    ++i;
    if (i < text.size() && text[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
    } else if (i == text.size()) {
      return false;
    }
  }
  int total = head_count + tail_count;
  if (compressed ? total > 7 : total != 8) return false;
  groups.fill(0);
  for (int k = 0; k < head_count; ++k) groups[k] = head[k];
  for (int k = 0; k < tail_count; ++k) groups[8 - tail_count + k] = tail[k];
  return true;
}

namespace {

bool is_ip_literal(std::string_view host) {
  std::array<std::uint8_t, 4> v4{};
  if (parse_ipv4(host, v4)) return true;
  std::array<std::uint16_t, 8> v6{};
  return host.size() > 2 && host.front() == '[' && host.back() == ']' &&
         parse_ipv6(host.substr(1, host.size() - 2), v6);
}

}  // namespace

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    unsigned char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return false;
  }
  return true;
}

bool istarts_with_ascii(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals_ascii(text.substr(0, prefix.size()), prefix);
}

std::optional<UrlParts> split_absolute_url(std::string_view url) {
  UrlParts parts;
  std::size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  for (std::size_t i = 0; i < colon; ++i) {
    unsigned char c = url[i];
    bool ok = is_alpha(c) || (i > 0 && (is_digit(c) || c == '+' || c == '-' || c == '.'));
    if (!ok) return std::nullopt;
  }
  parts.scheme = url.substr(0, colon);
  std::string_view rest = url.substr(colon + 1);
  if (rest.substr(0, 2) != "//") return std::nullopt;
  rest.remove_prefix(2);

  std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

  // The last '@' ends the userinfo, as WHATWG URL parsers decide "https://good@evil".
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    parts.has_userinfo = true;
    parts.userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
  }
  std::size_t port_colon = std::string_view::npos;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port_colon = close + 1;
    }
  } else {
    port_colon = authority.rfind(':');
  }
  if (port_colon != std::string_view::npos) {
    parts.port = authority.substr(port_colon + 1);
    authority = authority.substr(0, port_colon);
  }
  parts.host = authority;

  std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    parts.has_fragment = true;
    parts.fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    parts.has_query = true;
    parts.query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  parts.path = rest;
  return parts;
}

std::string encode_query_value(std::string_view value) {
  std::string out;
  out.reserve(value.size() + value.size() / 4);
  append_escaped(out, value, [value](std::size_t i) {
    const unsigned char c = value[i];
    return is_unreserved(c) || c == ':' || c == '/' || c == '@' || c == ',';
  });
  return out;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  if (!percent_decode_into(text, out)) return std::nullopt;
  return out;
}

bool percent_decode_into(std::string_view text, std::string& out) {
  std::size_t percent = text.find('%');
  if (percent == std::string_view::npos) {
    out.assign(text);
    return true;
  }
  out.resize(text.size());
  char* write = out.data();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      *write++ = text[i];
      continue;
    }
    if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) {
      out.clear();
      return false;
    }
    *write++ = static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
    i += 2;
  }
  out.resize(static_cast<std::size_t>(write - out.data()));
  return true;
}

bool is_rfc3986_conformant(std::string_view url) {
  for (std::size_t i = 0; i < url.size(); ++i) {
    unsigned char c = url[i];
    if (kUriBytes[c]) continue;
    if (c != '%' || !valid_escape_at(url, i)) return false;
    i += 2;
  }
  return true;
}

std::string normalize_url(std::string_view url) {
  while (!url.empty() && is_url_whitespace(url.front())) url.remove_prefix(1);
  while (!url.empty() && is_url_whitespace(url.back())) url.remove_suffix(1);
  std::string out;
  out.reserve(url.size());
  append_escaped(out, url, [url](std::size_t i) {
    const unsigned char c = url[i];
    return c == '%' ? valid_escape_at(url, i) : kUriBytes[c];
  });
  return out;
}

std::string comparable_url(std::string_view url) {
  std::string normalized = normalize_url(url);
  auto parts = split_absolute_url(normalized);
  if (!parts) return normalized;
  std::string scheme = ascii_lower(parts->scheme);
  std::string out = scheme + "://";
  if (parts->has_userinfo) (out += parts->userinfo) += '@';
  out += ascii_lower(parts->host);
  bool default_port =
      (scheme == "https" && parts->port == "443") || (scheme == "http" && parts->port == "80");
  if (!parts->port.empty() && !default_port) (out += ':') += parts->port;
  out += parts->path.empty() ? std::string_view("/") : parts->path;
  if (parts->has_query) (out += '?') += parts->query;
  if (parts->has_fragment) (out += '#') += parts->fragment;
  return out;
}

std::string_view to_string(TargetProblem problem) {
  switch (problem) {
    case TargetProblem::none:
      return "none";
    case TargetProblem::not_absolute:
      return "not_absolute";
    case TargetProblem::bad_scheme:
      return "bad_scheme";
    case TargetProblem::credentials:
      return "credentials";
    case TargetProblem::bad_host:
      return "bad_host";
    case TargetProblem::bad_port:
      return "bad_port";
    case TargetProblem::bad_characters:
      return "bad_characters";
    case TargetProblem::too_long:
      return "too_long";
    case TargetProblem::host_not_allowed:
      return "host_not_allowed";
  }
  return "unknown";
}

TargetProblem check_redirect_target(std::string_view url,
                                    std::span<const std::string> allowed_hosts) {
  if (url.size() > kMaxTargetLength) return TargetProblem::too_long;
  // Controls, spaces, backslashes and non-ASCII are refused before anything is split, so
  // "https:\\evil", "%0d%0a"-decoded header breaks and look-alike hosts never get further.
  if (!is_rfc3986_conformant(url)) return TargetProblem::bad_characters;
  auto parts = split_absolute_url(url);
  if (!parts) return TargetProblem::not_absolute;
  if (!iequals_ascii(parts->scheme, "http") && !iequals_ascii(parts->scheme, "https")) {
    return TargetProblem::bad_scheme;
  }
  if (parts->has_userinfo) return TargetProblem::credentials;
  std::string_view host = parts->host;
  if (!is_ip_literal(host) && !is_dns_name(host)) {
    return TargetProblem::bad_host;
  }
  std::string_view port = parts->port;
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) {
    return TargetProblem::bad_port;
  }
  int port_number = 0;
  for (char c : port) port_number = port_number * 10 + (c - '0');
  if (port_number > 65535) return TargetProblem::bad_port;
  if (!allowed_hosts.empty()) {
    std::string lower = ascii_lower(host);
    if (!lower.empty() && lower.back() == '.') lower.pop_back();
    bool allowed = std::any_of(allowed_hosts.begin(), allowed_hosts.end(), [&](const auto& entry) {
      std::string pattern = ascii_lower(entry);
      if (!pattern.empty() && pattern.front() == '.') {
        return lower == pattern.substr(1) ||
               (lower.size() > pattern.size() &&
                lower.compare(lower.size() - pattern.size(), pattern.size(), pattern) == 0);
      }
      return lower == pattern;
    });
    if (!allowed) return TargetProblem::host_not_allowed;
  }
  return TargetProblem::none;
}

}  // namespace clicktrail
