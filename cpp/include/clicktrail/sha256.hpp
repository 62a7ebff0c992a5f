// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written for clicktrail's URL signatures.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace clicktrail {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental SHA-256: update() any number of times, then finish() once.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  [[nodiscard]] Sha256Digest finish();

 private:
  void compress(const std::uint8_t* block);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_;
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

[[nodiscard]] Sha256Digest sha256(std::string_view bytes);

// HMAC-SHA256 with a precomputed key schedule, so signing many URLs with one key
// hashes the padded key once instead of per call.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  [[nodiscard]] Sha256Digest mac(std::string_view message) const;
  // The same MAC over a message given in pieces: update() the state begin() returns with each
  // piece, then finish() it. Lets a caller hash a message without assembling it first.
  [[nodiscard]] Sha256 begin() const { return inner_; }
  [[nodiscard]] Sha256Digest finish(Sha256& inner) const;

 private:
  Sha256 inner_;  // state after absorbing key ^ ipad
  Sha256 outer_;  // state after absorbing key ^ opad
};

[[nodiscard]] Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

// Compares two byte strings in time that depends only on their lengths.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace clicktrail
