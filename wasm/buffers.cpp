#include "buffers.hpp"

#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <algorithm>
#include <memory>

namespace clicktrail::wasm {

std::string& output_buffer() {
  static std::string buffer;
  return buffer;
}

namespace {

// A buffer that grew past this is freed after use rather than kept for the next call.
constexpr std::size_t kKeptCapacity = 8u << 20;

// Input storage that is not zero-filled when it grows (std::string::resize cleared every byte
// first, a tenth of the time of rewriting a large email), and is reused between calls.
struct InputStorage {
  std::unique_ptr<char[]> bytes;
  std::size_t capacity = 0;
  std::size_t size = 0;
};

InputStorage& input_storage() {
  static InputStorage storage;
  return storage;
}

}  // namespace

void release_large_input() {
  InputStorage& input = input_storage();
  if (input.capacity > kKeptCapacity) input = InputStorage{};
}

emscripten::val bytes_view(const std::string& bytes) {
  return emscripten::val(emscripten::typed_memory_view(
      bytes.size(), reinterpret_cast<const unsigned char*>(bytes.data())));
}

emscripten::val output_view(std::string bytes) {
  output_buffer() = std::move(bytes);
  return bytes_view(output_buffer());
}

void release_if_large(std::string& buffer) {
  if (buffer.capacity() > kKeptCapacity) std::string().swap(buffer);
}

char* input_room(std::size_t size) {
  release_if_large(output_buffer());  // the previous output was copied out by now
  InputStorage& input = input_storage();
  if (size > input.capacity) {
    input.bytes.reset(new char[size]);  // uninitialised: JS writes it before anything reads it
    input.capacity = size;
  }
  input.size = size;
  return input.bytes.get();
}

std::string_view input_bytes(std::size_t length) {
  const InputStorage& input = input_storage();
  return std::string_view(input.bytes.get(), std::min(length, input.size));
}

}  // namespace clicktrail::wasm

// Room for `size` input bytes as an address in module memory, for JS to write through HEAPU8
// (wasm/src/core-io.js writeInput) or to read a file straight into (the CLI). Both modules link
// this file: each has its own input buffer.
extern "C" EMSCRIPTEN_KEEPALIVE char* clicktrail_input(std::size_t size) {
  return clicktrail::wasm::input_room(size);
}
