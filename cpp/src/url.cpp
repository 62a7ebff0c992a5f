#include "clicktrail/url.hpp"

#include <algorithm>
#include <array>

namespace clicktrail {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool is_alpha(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(unsigned char c) {
  return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
int hex_value(unsigned char c) {
  return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

bool is_unreserved(unsigned char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 gen-delims and sub-delims: legal in a URI as they are.
bool is_reserved(unsigned char c) {
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

bool is_ipv4(std::string_view host) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= host.size()) {
    std::size_t start = i;
    int value = 0;
    while (i < host.size() && is_digit(host[i])) {
      value = value * 10 + (host[i] - '0');
      if (value > 255 || i - start >= 3) return false;
      ++i;
    }
    if (i == start) return false;
    ++parts;
    if (i == host.size()) break;
    if (host[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

bool is_ipv6_literal(std::string_view host) {
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
  std::string_view inner = host.substr(1, host.size() - 2);
  int colons = 0;
  for (unsigned char c : inner) {
    if (c == ':') {
      ++colons;
    } else if (!is_hex(c) && c != '.') {
      return false;  // zone ids ("%25eth0") and anything else are refused
    }
  }
  return colons >= 2 && colons <= 7;
}

// A DNS name as it appears in a URL: ASCII letters, digits, '-', '_' in dot-separated labels of
// 1-63 bytes, 253 bytes at most; one trailing dot allowed. Internationalised names must be in
// punycode ("xn--"), so a unicode look-alike host never reaches a Location header.
bool is_dns_name(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  for (unsigned char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_')) return false;
    if (++label > 63) return false;
  }
  return label > 0;
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
  for (unsigned char c : value) {
    if (is_unreserved(c) || c == ':' || c == '/' || c == '@' || c == ',') {
      out.push_back(static_cast<char>(c));
    } else {
      append_escape(out, c);
    }
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
    i += 2;
  }
  return out;
}

bool is_rfc3986_conformant(std::string_view url) {
  for (std::size_t i = 0; i < url.size(); ++i) {
    unsigned char c = url[i];
    if (c == '%') {
      if (!valid_escape_at(url, i)) return false;
      i += 2;
    } else if (!is_unreserved(c) && !is_reserved(c)) {
      return false;
    }
  }
  return true;
}

std::string normalize_url(std::string_view url) {
  while (!url.empty() && is_url_whitespace(url.front())) url.remove_prefix(1);
  while (!url.empty() && is_url_whitespace(url.back())) url.remove_suffix(1);
  std::string out;
  out.reserve(url.size());
  for (std::size_t i = 0; i < url.size(); ++i) {
    unsigned char c = url[i];
    if (c == '%' ? valid_escape_at(url, i) : (is_unreserved(c) || is_reserved(c))) {
      out.push_back(static_cast<char>(c));
    } else {
      append_escape(out, c);
    }
  }
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
  if (!is_ipv4(host) && !is_ipv6_literal(host) && !is_dns_name(host)) {
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
