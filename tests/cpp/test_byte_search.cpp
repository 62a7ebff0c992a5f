// The byte scans under the tokenizer and the line counter, against the obvious loops, on every
// length and alignment around the block sizes (16, 32, 224 and 255 bytes) where they switch.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "byte_search.hpp"

TEST_CASE("find_byte and count_byte agree with the plain loops", "[byte_search]") {
  std::mt19937 random(7);
  std::string bytes(2048, 'a');
  for (char& c : bytes) c = "ab\n<"[random() % 4];
  for (std::size_t begin = 0; begin < 40; ++begin) {
    for (std::size_t size = 0; begin + size <= bytes.size(); size += 1 + size / 7) {
      const char* first = bytes.data() + begin;
      const char* last = first + size;
      INFO("begin " << begin << ", size " << size);
      CHECK(clicktrail::detail::count_byte(first, last, '\n') ==
            static_cast<std::size_t>(std::count(first, last, '\n')));
      const char* expected = std::find(first, last, '<');
      CHECK(clicktrail::detail::find_byte(first, last, '<') ==
            (expected == last ? nullptr : expected));
    }
  }
}

TEST_CASE("count_byte does not overflow its one-byte lanes", "[byte_search]") {
  // Every byte a match: a lane that counted past 255 would wrap.
  for (std::size_t size : {255u, 256u, 4095u, 4096u, 100000u}) {
    std::string newlines(size, '\n');
    CHECK(clicktrail::detail::count_byte(newlines.data(), newlines.data() + size, '\n') == size);
  }
}
