#include "clicktrail/base64url.hpp"

#include <array>
#include <cstdint>

namespace clicktrail {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t kInvalid = 0xff;

// A full 256-entry table makes rejection of every non-alphabet byte (including '=', '+', '/'
// and bytes >= 0x80) a single lookup with no range checks.
constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}

constexpr std::array<std::uint8_t, 256> kDecodeTable = make_decode_table();

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out(base64url_encoded_size(bytes.size()), '\0');
  base64url_encode_into(bytes, out.data());
  return out;
}

void base64url_encode_into(std::string_view bytes, char* dst) {
  const std::size_t full_groups = bytes.size() / 3;
  const std::size_t tail = bytes.size() % 3;
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t g = 0; g < full_groups; ++g, in += 3, dst += 4) {
    const std::uint32_t v = (std::uint32_t{in[0]} << 16) | (std::uint32_t{in[1]} << 8) | in[2];
    dst[0] = kAlphabet[v >> 18];
    dst[1] = kAlphabet[(v >> 12) & 0x3f];
    dst[2] = kAlphabet[(v >> 6) & 0x3f];
    dst[3] = kAlphabet[v & 0x3f];
  }
  if (tail == 1) {
    const std::uint32_t v = std::uint32_t{in[0]} << 16;
    dst[0] = kAlphabet[v >> 18];
    dst[1] = kAlphabet[(v >> 12) & 0x3f];
  } else if (tail == 2) {
    const std::uint32_t v = (std::uint32_t{in[0]} << 16) | (std::uint32_t{in[1]} << 8);
    dst[0] = kAlphabet[v >> 18];
    dst[1] = kAlphabet[(v >> 12) & 0x3f];
    dst[2] = kAlphabet[(v >> 6) & 0x3f];
  }
}

std::optional<std::string> base64url_decode(std::string_view text) {
  const std::size_t full_groups = text.size() / 4;
  const std::size_t tail = text.size() % 4;
  // A single leftover character carries only 6 bits, less than one byte: no encoder emits it.
  if (tail == 1) return std::nullopt;

  std::string out;
  out.resize(full_groups * 3 + (tail == 0 ? 0 : tail - 1));

  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  char* dst = out.data();
  for (std::size_t g = 0; g < full_groups; ++g, in += 4, dst += 3) {
    const std::uint8_t a = kDecodeTable[in[0]], b = kDecodeTable[in[1]];
    const std::uint8_t c = kDecodeTable[in[2]], d = kDecodeTable[in[3]];
    // Valid sextets never have the top two bits set, so one OR detects any invalid character.
    if ((a | b | c | d) & 0xc0) return std::nullopt;
    const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) |
                            (std::uint32_t{c} << 6) | std::uint32_t{d};
    dst[0] = static_cast<char>(v >> 16);
    dst[1] = static_cast<char>(v >> 8);
    dst[2] = static_cast<char>(v);
  }

  // Unused low bits of the last character must be zero; otherwise several strings would decode
  // to the same bytes and a signature could be re-encoded without invalidating it.
  if (tail == 2) {
    const std::uint8_t a = kDecodeTable[in[0]], b = kDecodeTable[in[1]];
    if ((a | b) & 0xc0) return std::nullopt;
    if (b & 0x0f) return std::nullopt;
    dst[0] = static_cast<char>((a << 2) | (b >> 4));
  } else if (tail == 3) {
    const std::uint8_t a = kDecodeTable[in[0]], b = kDecodeTable[in[1]], c = kDecodeTable[in[2]];
    if ((a | b | c) & 0xc0) return std::nullopt;
    if (c & 0x03) return std::nullopt;
    dst[0] = static_cast<char>((a << 2) | (b >> 4));
    dst[1] = static_cast<char>((b << 4) | (c >> 2));
  }
  return out;
}

}  // namespace clicktrail
