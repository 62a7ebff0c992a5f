// The two byte buffers every binding shares. JS writes input straight into the input buffer
// (TextEncoder.encodeInto or Uint8Array.set; Embind's std::string conversion copies typed
// arrays one byte at a time) and copies output out of a view of the output buffer at once.
#pragma once
#include <emscripten/val.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

namespace clicktrail::wasm {

std::string& output_buffer();
// Frees the input buffer when a large input made it grow (see release_if_large).
void release_large_input();

// Room for `size` bytes in the input buffer, as a pointer into module memory: JS writes there
// through HEAPU8 (see clicktrail_input in buffers.cpp); valid until the next call.
char* input_room(std::size_t size);
// The first `length` bytes JS wrote.
std::string_view input_bytes(std::size_t length);
// A Uint8Array view of `bytes` (which must outlive the JS copy).
emscripten::val bytes_view(const std::string& bytes);
// Moves `bytes` into the output buffer and returns a view of it.
emscripten::val output_view(std::string bytes);
// Whether a JS number is finite and within ±(2^53 - 1), so it converts to an integer exactly
// (NaN or infinities would turn into arbitrary integers and could, say, switch expiry off).
inline bool is_safe_integer(double value) {
  return !std::isnan(value) && value >= -9007199254740991.0 && value <= 9007199254740991.0;
}
// Gives back a buffer's memory when it grew large, so one big input does not pin memory in a
// long-lived isolate.
void release_if_large(std::string& buffer);

}  // namespace clicktrail::wasm
