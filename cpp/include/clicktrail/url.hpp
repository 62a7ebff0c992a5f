// URL pieces clicktrail needs: splitting an absolute URL, percent-encoding, RFC 3986
// conformance, and the checks that decide whether a URL is a safe redirect target.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clicktrail {

// The parts of an absolute URL ("scheme://userinfo@host:port/path?query#fragment"), as views
// into the original string. Only splits; nothing is decoded or validated.
struct UrlParts {
  std::string_view scheme;
  std::string_view userinfo;
  std::string_view host;  // brackets kept for IPv6 literals
  std::string_view port;
  std::string_view path;
  std::string_view query;     // without '?'
  std::string_view fragment;  // without '#'
  bool has_userinfo = false;
  bool has_query = false;
  bool has_fragment = false;
};
[[nodiscard]] std::optional<UrlParts> split_absolute_url(std::string_view url);

// Percent-encodes a query parameter value: unreserved characters and ":/@," stay readable,
// everything else (including '&', '=', '+', '#', '%', quotes) becomes %XX.
[[nodiscard]] std::string encode_query_value(std::string_view value);
// Decodes %XX escapes. '+' stays '+': clicktrail never writes spaces as '+'. Returns nullopt
// for a '%' that is not followed by two hex digits.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text);
// The same into `out` (replacing its contents, reusing its storage); false for a broken escape.
[[nodiscard]] bool percent_decode_into(std::string_view text, std::string& out);

// True when every byte may appear in a URI (RFC 3986: unreserved, reserved, or a valid %XX).
[[nodiscard]] bool is_rfc3986_conformant(std::string_view url);
// Returns `url` made conformant: leading/trailing whitespace trimmed, every byte that may not
// appear (space, controls, non-ASCII, "<>\"{}|\\^`") and every stray '%' percent-encoded.
// Valid escapes and reserved characters are kept, so a conformant URL comes back unchanged.
[[nodiscard]] std::string normalize_url(std::string_view url);

// Why a URL is not an acceptable redirect target (none = acceptable).
enum class TargetProblem {
  none,
  not_absolute,  // no "scheme:" or no "//" authority
  bad_scheme,    // anything but http and https
  credentials,   // "user@host" or "user:pass@host"
  bad_host,      // empty, non-ASCII, percent-encoded, over-long labels, stray characters
  bad_port,
  bad_characters,  // controls, spaces, backslashes, or other bytes not allowed in a URI
  too_long,
  host_not_allowed,  // not in the caller's allowlist
};
[[nodiscard]] std::string_view to_string(TargetProblem problem);

inline constexpr std::size_t kMaxTargetLength = 8192;
// A whole tracking URL: the builder refuses to produce a longer one, the verifier to read one.
// CloudFront refuses request URLs over 8 KB.
inline constexpr std::size_t kMaxTrackingUrlLength = 8192;

// `allowed_hosts` empty means any host; otherwise the host must equal an entry or be a
// subdomain of an entry that starts with '.' (".example.com").
[[nodiscard]] TargetProblem check_redirect_target(std::string_view url,
                                                  std::span<const std::string> allowed_hosts = {});

// A form of `url` for equality tests: normalised, scheme and host lower-cased, default port
// dropped, empty path written as "/".
[[nodiscard]] std::string comparable_url(std::string_view url);

// Strict IP address parsing (no shorthand, no octal, no zone ids).
[[nodiscard]] bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& bytes);
[[nodiscard]] bool parse_ipv6(std::string_view text, std::array<std::uint16_t, 8>& groups);

// ASCII lower-casing for scheme and host comparisons.
[[nodiscard]] std::string ascii_lower(std::string_view text);
[[nodiscard]] bool iequals_ascii(std::string_view a, std::string_view b);
[[nodiscard]] bool istarts_with_ascii(std::string_view text, std::string_view prefix);

}  // namespace clicktrail
