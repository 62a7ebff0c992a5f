// Internal: finding one byte fast. Natively libc's memchr is already vectorised; in WebAssembly
// the libc one is scalar, so a 16-byte SIMD loop is used when the build enables wasm SIMD.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace clicktrail::detail {

// Pointer to the first `byte` in [begin, end), or nullptr.
inline const char* find_byte(const char* begin, const char* end, char byte) {
#ifdef __wasm_simd128__
  const v128_t needle = wasm_i8x16_splat(byte);
  while (end - begin >= 16) {
    std::uint32_t mask = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(begin), needle));
    if (mask != 0) return begin + __builtin_ctz(mask);
    begin += 16;
  }
  for (; begin < end; ++begin) {
    if (*begin == byte) return begin;
  }
  return nullptr;
#else
  return static_cast<const char*>(std::memchr(begin, byte, static_cast<std::size_t>(end - begin)));
#endif
}

}  // namespace clicktrail::detail
