#include "buffers.hpp"

#include <emscripten/bind.h>

namespace clicktrail::wasm {

std::string& output_buffer() {
  static std::string buffer;
  return buffer;
}

std::string& input_buffer() {
  static std::string buffer;
  return buffer;
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
  if (buffer.capacity() > (8u << 20)) std::string().swap(buffer);
}

emscripten::val input_view(std::size_t size) {
  release_if_large(output_buffer());  // the previous output was copied out by now
  input_buffer().resize(size);
  return emscripten::val(
      emscripten::typed_memory_view(size, reinterpret_cast<unsigned char*>(input_buffer().data())));
}

std::string_view input_bytes(std::size_t length) {
  return std::string_view(input_buffer()).substr(0, length);
}

}  // namespace clicktrail::wasm

// Both modules link this file: each has its own input buffer and `inputView`.
EMSCRIPTEN_BINDINGS(clicktrail_buffers) {
  emscripten::function("inputView", &clicktrail::wasm::input_view);
}
