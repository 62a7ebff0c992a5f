// Base64url without padding (RFC 4648 section 5), the alphabet safe in URL query strings.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace clicktrail {

[[nodiscard]] std::string base64url_encode(std::string_view bytes);
// Returns nullopt for characters outside the alphabet, '=' padding, a length of 1 mod 4,
// or non-zero unused trailing bits (so each byte string has exactly one encoding).
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace clicktrail
