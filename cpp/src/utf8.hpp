// Internal: UTF-8 validation shared by the JSON writer and the SES batch reader.
#pragma once
#include <cstddef>
#include <string_view>

namespace clicktrail::detail {

// Length of the valid UTF-8 sequence of 2-4 bytes starting at text[i], or 0 (an ASCII byte,
// a stray continuation byte, an overlong form, a surrogate, above U+10FFFF, or cut short).
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (length == 0 || c > 0xF4 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char second = byte(i + 1);
  if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second >= 0xA0) ||
      (c == 0xF0 && second < 0x90) || (c == 0xF4 && second >= 0x90)) {
    return 0;
  }
  return length;
}

}  // namespace clicktrail::detail
