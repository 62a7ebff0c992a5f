// Base64url without padding (RFC 4648 section 5), the alphabet safe in URL query strings.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace clicktrail {

[[nodiscard]] std::string base64url_encode(std::string_view bytes);
// The length of the encoding of `size` bytes.
[[nodiscard]] constexpr std::size_t base64url_encoded_size(std::size_t size) {
  return size / 3 * 4 + (size % 3 == 0 ? 0 : size % 3 + 1);
}
// Writes the encoding into `out`, which must hold base64url_encoded_size(bytes.size()) chars.
void base64url_encode_into(std::string_view bytes, char* out);
// Returns nullopt for characters outside the alphabet, '=' padding, a length of 1 mod 4,
// or non-zero unused trailing bits (so each byte string has exactly one encoding).
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace clicktrail
