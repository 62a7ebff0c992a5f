// Internal: finding one byte fast. Natively libc's memchr is already vectorised; in WebAssembly
// the libc one is scalar, so a 16-byte SIMD loop is used when the build enables wasm SIMD.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
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

// Pointer to the first byte in [begin, end) equal to `a` or `b`, or nullptr.
inline const char* find_either(const char* begin, const char* end, char a, char b) {
#if defined(__wasm_simd128__)
  const v128_t first = wasm_i8x16_splat(a), second = wasm_i8x16_splat(b);
  while (end - begin >= 16) {
    v128_t block = wasm_v128_load(begin);
    std::uint32_t mask =
        wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(block, first), wasm_i8x16_eq(block, second)));
    if (mask != 0) return begin + __builtin_ctz(mask);
    begin += 16;
  }
#elif defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(a), second = _mm_set1_epi8(b);
  while (end - begin >= 16) {
    __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin));
    int mask = _mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(block, first), _mm_cmpeq_epi8(block, second)));
    if (mask != 0) return begin + __builtin_ctz(static_cast<unsigned>(mask));
    begin += 16;
  }
#endif
  for (; begin < end; ++begin) {
    if (*begin == a || *begin == b) return begin;
  }
  return nullptr;
}

// How many times `byte` occurs in [begin, end). Counted in blocks of at most 255 bytes into
// one-byte lanes, which compilers turn into wide compares (std::count widens every byte to a
// size_t first and ran at a third of the speed).
inline std::size_t count_byte(const char* begin, const char* end, char byte) {
  std::size_t total = 0;
#ifdef __wasm_simd128__
  const v128_t needle = wasm_i8x16_splat(byte);
  while (end - begin >= 16) {
    v128_t lanes = wasm_i8x16_splat(0);
    for (int i = 0; i < 255 && end - begin >= 16; ++i, begin += 16) {
      lanes = wasm_i8x16_sub(lanes, wasm_i8x16_eq(wasm_v128_load(begin), needle));
    }
    v128_t pairs = wasm_u16x8_extadd_pairwise_u8x16(lanes);
    v128_t quads = wasm_u32x4_extadd_pairwise_u16x8(pairs);
    total += wasm_i32x4_extract_lane(quads, 0) + wasm_i32x4_extract_lane(quads, 1) +
             wasm_i32x4_extract_lane(quads, 2) + wasm_i32x4_extract_lane(quads, 3);
  }
#else
  while (end - begin >= 32) {
    std::size_t block = std::min<std::size_t>(static_cast<std::size_t>(end - begin) / 32, 7) * 32;
    std::uint8_t lanes[32] = {};
    for (std::size_t at = 0; at < block; at += 32) {
      for (int i = 0; i < 32; ++i) lanes[i] += begin[at + i] == byte;
    }
    for (std::uint8_t lane : lanes) total += lane;
    begin += block;
  }
#endif
  for (; begin < end; ++begin) total += *begin == byte;
  return total;
}

}  // namespace clicktrail::detail
