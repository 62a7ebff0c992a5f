// base64url (RFC 4648 section 5, unpadded) against the RFC's test vectors, plus the strictness
// the signature format relies on: every byte string has exactly one accepted encoding.
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "clicktrail/base64url.hpp"
#include "test_support.hpp"

namespace {

using clicktrail::base64url_decode;
using clicktrail::base64url_encode;

constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string strip_padding(std::string text) {
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

}  // namespace

TEST_CASE("base64url matches the RFC 4648 section 10 vectors without padding", "[base64url]") {
  const nlohmann::json doc = test_support::load_vectors("rfc4648_base64.json");
  for (const auto& c : doc["cases"]) {
    const std::string input = c.at("input").get<std::string>();
    const std::string padded = c.at("base64").get<std::string>();
    const std::string unpadded = strip_padding(padded);
    INFO("input \"" << input << "\", RFC encoding \"" << padded << "\"");

    CHECK(base64url_encode(input) == unpadded);
    const auto decoded = base64url_decode(unpadded);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == input);

    if (padded != unpadded) CHECK_FALSE(base64url_decode(padded).has_value());
  }
}

TEST_CASE("base64url uses '-' and '_' for values 62 and 63", "[base64url]") {
  CHECK(base64url_encode("\xfb\xef\xbe") == "----");
  CHECK(base64url_encode("\xff\xff\xff") == "____");
  CHECK(base64url_decode("----") == std::optional<std::string>("\xfb\xef\xbe"));
  CHECK(base64url_decode("____") == std::optional<std::string>("\xff\xff\xff"));
  CHECK(base64url_encode(std::string_view("\0\0\0", 3)) == "AAAA");
  CHECK(base64url_decode("AAAA") == std::optional<std::string>(std::string(3, '\0')));
}

TEST_CASE("base64url round trips random bytes of every length 0..100", "[base64url]") {
  std::mt19937 rng(20240611);  // fixed seed: failures must reproduce
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::size_t size = 0; size <= 100; ++size) {
    std::string bytes(size, '\0');
    for (auto& b : bytes) b = static_cast<char>(byte(rng));

    const std::string encoded = base64url_encode(bytes);
    INFO("size " << size << ", encoded " << encoded);
    CHECK(encoded.size() == (size * 4 + 2) / 3);  // ceil(4n/3): no padding
    CHECK(clicktrail::base64url_encoded_size(size) == encoded.size());
    CHECK(encoded.find_first_not_of(kUrlAlphabet) == std::string::npos);

    const auto decoded = base64url_decode(encoded);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == bytes);
  }
}

TEST_CASE("base64url_decode rejects padding", "[base64url]") {
  CHECK_FALSE(base64url_decode("Zg==").has_value());
  CHECK_FALSE(base64url_decode("Zg=").has_value());
  CHECK_FALSE(base64url_decode("Zm8=").has_value());
  CHECK_FALSE(base64url_decode("Zm9vYg==").has_value());
  CHECK_FALSE(base64url_decode("====").has_value());
  CHECK_FALSE(base64url_decode("=").has_value());
  CHECK_FALSE(base64url_decode("Zm9v====").has_value());
}

TEST_CASE("base64url_decode rejects the standard base64 alphabet's '+' and '/'", "[base64url]") {
  CHECK_FALSE(base64url_decode("++++").has_value());
  CHECK_FALSE(base64url_decode("////").has_value());
  CHECK_FALSE(base64url_decode("ab+c").has_value());
  CHECK_FALSE(base64url_decode("ab/c").has_value());
  CHECK_FALSE(base64url_decode("Zm9vY+").has_value());
  CHECK_FALSE(base64url_decode("Zm9vY/").has_value());
}

TEST_CASE("base64url_decode rejects other characters outside the alphabet", "[base64url]") {
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    if (kUrlAlphabet.find(ch) != std::string_view::npos) continue;
    // The bad character is tried in every position of a full group and of both tail sizes.
    for (std::size_t length : {4u, 3u, 2u}) {
      for (std::size_t pos = 0; pos < length; ++pos) {
        std::string text = "AAAA" + std::string(length, 'A');
        text[4 + pos] = ch;
        INFO("character " << c << " at " << pos << " of a " << length << "-character group");
        CHECK_FALSE(base64url_decode(text).has_value());
        CHECK_FALSE(base64url_decode(text.substr(4)).has_value());
      }
    }
  }
  CHECK_FALSE(base64url_decode("Zm9v Zg").has_value());
  CHECK_FALSE(base64url_decode("Zm9v\nZg").has_value());
}

TEST_CASE("base64url_decode rejects a length of 1 mod 4", "[base64url]") {
  CHECK_FALSE(base64url_decode("Z").has_value());
  CHECK_FALSE(base64url_decode("A").has_value());
  CHECK_FALSE(base64url_decode("Zm9vY").has_value());
  CHECK_FALSE(base64url_decode("Zm9vYmFyZ").has_value());
  CHECK(base64url_decode("").has_value());
}

TEST_CASE("base64url_decode rejects non-zero unused trailing bits", "[base64url]") {
  // "f" is 0x66: "Zg" is canonical; "Zh".."Zv" differ only in the 4 unused bits.
  CHECK(base64url_decode("Zg") == std::optional<std::string>("f"));
  CHECK_FALSE(base64url_decode("Zh").has_value());
  CHECK_FALSE(base64url_decode("Zv").has_value());
  // "fo": "Zm8" is canonical; "Zm9" sets one of the 2 unused bits.
  CHECK(base64url_decode("Zm8") == std::optional<std::string>("fo"));
  CHECK_FALSE(base64url_decode("Zm9").has_value());
  CHECK_FALSE(base64url_decode("Zm9vZh").has_value());
  CHECK_FALSE(base64url_decode("Zm9vZm9").has_value());
}

TEST_CASE("every accepted short base64url string is the canonical encoding", "[base64url]") {
  // Exhaustive over 2- and 3-character strings: decode must accept exactly those that
  // re-encode to themselves, which is what makes a signature's encoding unique.
  std::size_t accepted_two = 0;
  std::size_t accepted_three = 0;
  std::string text;
  for (char a : kUrlAlphabet) {
    for (char b : kUrlAlphabet) {
      text = {a, b};
      if (const auto decoded = base64url_decode(text)) {
        ++accepted_two;
        REQUIRE(decoded->size() == 1);
        REQUIRE(base64url_encode(*decoded) == text);
      }
      for (char c : kUrlAlphabet) {
        text = {a, b, c};
        if (const auto decoded = base64url_decode(text)) {
          ++accepted_three;
          REQUIRE(decoded->size() == 2);
          REQUIRE(base64url_encode(*decoded) == text);
        }
      }
    }
  }
  CHECK(accepted_two == 256);      // one per byte value
  CHECK(accepted_three == 65536);  // one per pair of byte values
}
