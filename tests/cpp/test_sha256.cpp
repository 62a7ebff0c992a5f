// SHA-256 and HMAC-SHA256 against the published vectors in tests/data/vectors, plus properties
// that the vectors alone do not pin down (incremental hashing, key schedule reuse).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "clicktrail/sha256.hpp"
#include "test_support.hpp"

namespace {

using clicktrail::Sha256;
using clicktrail::Sha256Digest;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string from_hex(const std::string& hex) {
  REQUIRE(hex.size() % 2 == 0);
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_value(hex[i]);
    const int lo = hex_value(hex[i + 1]);
    REQUIRE(hi >= 0);
    REQUIRE(lo >= 0);
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string to_hex(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return out;
}

std::string to_hex(const Sha256Digest& digest) {
  return to_hex(digest.data(), digest.size());
}

std::string as_string(const Sha256Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

// Deterministic, non-repeating content so a misplaced byte changes the digest.
std::string patterned_message(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + 7) & 0xff);
  return out;
}

}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-4 example vectors", "[sha256]") {
  const nlohmann::json doc = test_support::load_vectors("fips180-4_sha256.json");
  for (const auto& c : doc["cases"]) {
    const std::string name = c.at("name").get<std::string>();
    const std::string message = c.at("message").get<std::string>();
    const std::size_t repeat = c.at("repeat").get<std::size_t>();
    const std::string expected = c.at("sha256").get<std::string>();
    INFO(name);

    // Feeding the unit once per repeat exercises the buffering path with tiny updates.
    Sha256 incremental;
    for (std::size_t i = 0; i < repeat; ++i) incremental.update(message);
    CHECK(to_hex(incremental.finish()) == expected);

    // The one-shot call on the whole message exercises hashing whole blocks from the input.
    std::string whole;
    whole.reserve(message.size() * repeat);
    for (std::size_t i = 0; i < repeat; ++i) whole += message;
    CHECK(to_hex(clicktrail::sha256(whole)) == expected);
  }
}

TEST_CASE("SHA-256 of an empty view with a null pointer", "[sha256]") {
  Sha256 hasher;
  hasher.update(nullptr, 0);
  hasher.update(std::string_view{});
  CHECK(to_hex(hasher.finish()) ==
        to_hex(clicktrail::sha256(std::string_view{})));  // empty-message digest
}

TEST_CASE("SHA-256 update() split at every position gives the same digest", "[sha256]") {
  const std::string message = patterned_message(200);
  const Sha256Digest expected = clicktrail::sha256(message);

  for (std::size_t split = 0; split <= message.size(); ++split) {
    INFO("split at " << split);
    Sha256 hasher;
    hasher.update(message.data(), split);
    hasher.update(message.data() + split, message.size() - split);
    CHECK(hasher.finish() == expected);
  }

  SECTION("three pieces") {
    for (std::size_t first = 0; first <= message.size(); first += 7) {
      for (std::size_t second = first; second <= message.size(); second += 5) {
        Sha256 hasher;
        hasher.update(message.substr(0, first));
        hasher.update(message.substr(first, second - first));
        hasher.update(message.substr(second));
        CHECK(hasher.finish() == expected);
      }
    }
  }

  SECTION("one byte at a time") {
    Sha256 hasher;
    for (char c : message) hasher.update(&c, 1);
    CHECK(hasher.finish() == expected);
  }
}

TEST_CASE("SHA-256 incremental and one-shot agree around the padding boundaries", "[sha256]") {
  // Lengths 55, 56, 63, 64 and their multiples decide whether the length field spills into an
  // extra block, which is where padding bugs hide.
  for (std::size_t size = 0; size <= 260; ++size) {
    const std::string message = patterned_message(size);
    Sha256 hasher;
    for (std::size_t pos = 0; pos < size; pos += 13) {
      hasher.update(message.data() + pos, std::min<std::size_t>(13, size - pos));
    }
    INFO("size " << size);
    CHECK(hasher.finish() == clicktrail::sha256(message));
  }
}

TEST_CASE("HMAC-SHA256 matches the RFC 4231 test cases", "[hmac]") {
  const nlohmann::json doc = test_support::load_vectors("rfc4231.json");
  REQUIRE(doc["cases"].size() == 7);
  for (const auto& c : doc["cases"]) {
    const int number = c.at("case").get<int>();
    const std::string key = from_hex(c.at("key").get<std::string>());
    const std::string data = from_hex(c.at("data").get<std::string>());
    const std::string expected = c.at("hmac_sha256").get<std::string>();
    const std::size_t compare_bytes = c.value("truncate_bytes", std::size_t{32});
    INFO("RFC 4231 test case " << number);
    REQUIRE(expected.size() == compare_bytes * 2);

    const Sha256Digest one_shot = clicktrail::hmac_sha256(key, data);
    CHECK(to_hex(one_shot.data(), compare_bytes) == expected);

    const clicktrail::HmacSha256 keyed(key);
    CHECK(to_hex(keyed.mac(data).data(), compare_bytes) == expected);

    // The message in pieces (how tracking URLs are signed): split at every position.
    for (std::size_t split = 0; split <= data.size(); ++split) {
      clicktrail::Sha256 pieces = keyed.begin();
      pieces.update(std::string_view(data).substr(0, split));
      pieces.update(std::string_view(data).substr(split));
      INFO("split at " << split);
      CHECK(to_hex(keyed.finish(pieces).data(), compare_bytes) == expected);
    }
  }
}

TEST_CASE("HMAC-SHA256 with a key longer than the block size uses the key's hash", "[hmac]") {
  // RFC 2104 section 2: keys longer than B bytes are first hashed, so both keys must agree.
  const std::string message = "https://example.com/landing?campaign=spring&utm_source=mail";
  for (std::size_t key_size : {65u, 100u, 128u, 1000u}) {
    const std::string long_key = patterned_message(key_size);
    INFO("key size " << key_size);
    CHECK(clicktrail::hmac_sha256(long_key, message) ==
          clicktrail::hmac_sha256(as_string(clicktrail::sha256(long_key)), message));
  }

  // A 64-byte key is used as is, so it must not collide with its own hash.
  const std::string block_key = patterned_message(64);
  CHECK(clicktrail::hmac_sha256(block_key, message) !=
        clicktrail::hmac_sha256(as_string(clicktrail::sha256(block_key)), message));
}

TEST_CASE("HmacSha256 reused for many messages equals hmac_sha256()", "[hmac]") {
  const std::string key = "clicktrail-test-key-0123456789";
  const clicktrail::HmacSha256 keyed(key);
  for (std::size_t size = 0; size <= 300; ++size) {
    const std::string message = patterned_message(size);
    INFO("message size " << size);
    const Sha256Digest first = keyed.mac(message);
    CHECK(first == clicktrail::hmac_sha256(key, message));
    // mac() is const: a second call on the same object must not see state from the first.
    CHECK(keyed.mac(message) == first);
  }
}

TEST_CASE("HMAC-SHA256 with an empty key and an empty message", "[hmac]") {
  const clicktrail::HmacSha256 keyed(std::string_view{});
  CHECK(keyed.mac("") == clicktrail::hmac_sha256("", ""));
  CHECK(keyed.mac("x") != keyed.mac(""));
}

TEST_CASE("constant_time_equal", "[hmac]") {
  using clicktrail::constant_time_equal;
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("abc", "abc"));

  const std::string mac = as_string(clicktrail::hmac_sha256("k", "m"));
  CHECK(constant_time_equal(mac, mac));
  for (std::size_t i = 0; i < mac.size(); ++i) {
    std::string flipped = mac;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    INFO("flipped byte " << i);
    CHECK_FALSE(constant_time_equal(mac, flipped));
  }

  // A signature's length (43 characters: five whole words and a tail), every byte, high bit.
  const std::string signature(43, 'Q');
  for (std::size_t i = 0; i < signature.size(); ++i) {
    std::string changed = signature;
    changed[i] = static_cast<char>(changed[i] ^ 0x80);
    INFO("changed byte " << i);
    CHECK_FALSE(constant_time_equal(signature, changed));
  }

  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "ab"));
  CHECK_FALSE(constant_time_equal("ab", "abc"));
  CHECK_FALSE(constant_time_equal("", "a"));
  CHECK_FALSE(constant_time_equal(mac, mac.substr(0, 16)));
  // Embedded NULs are data, not terminators.
  CHECK_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}
