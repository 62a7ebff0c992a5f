#include "clicktrail/sha256.hpp"

#include <algorithm>
#include <cstring>

namespace clicktrail {
namespace {

constexpr std::size_t kBlockSize = 64;

// First 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4
// section 4.2.2).
constexpr std::uint32_t kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// First 32 bits of the fractional parts of the square roots of the first 8 primes (section 5.3.3).
constexpr std::array<std::uint32_t, 8> kInitialState = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

constexpr std::uint32_t rotr(std::uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

// Byte-wise loads and stores keep the code independent of host endianness and alignment;
// compilers fold them into a single bswap/load where the target allows.
inline std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

inline void store_be32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

// One round with the working variables passed in rotated order: instead of shifting a..h down
// by one each round (eight moves), the caller renames them, so an 8-way unrolled loop has no
// moves at all.
inline void sha_round(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t& d,
                      std::uint32_t e, std::uint32_t f, std::uint32_t g, std::uint32_t& h,
                      std::uint32_t k_plus_w) {
  // Ch and Maj in their reduced forms: one operation fewer each than the textbook definitions.
  const std::uint32_t t1 =
      h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) + k_plus_w;
  const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) | (c & (a | b)));
  d += t1;
  h = t1 + t2;
}

}  // namespace

Sha256::Sha256() : state_(kInitialState), buffer_{} {}

void Sha256::compress(const std::uint8_t* block) {
  std::uint32_t w[64];
  for (int t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 64; ++t) {
    const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }

  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  std::uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];
  for (int t = 0; t < 64; t += 8) {
    sha_round(a, b, c, d, e, f, g, h, kRoundConstants[t] + w[t]);
    sha_round(h, a, b, c, d, e, f, g, kRoundConstants[t + 1] + w[t + 1]);
    sha_round(g, h, a, b, c, d, e, f, kRoundConstants[t + 2] + w[t + 2]);
    sha_round(f, g, h, a, b, c, d, e, kRoundConstants[t + 3] + w[t + 3]);
    sha_round(e, f, g, h, a, b, c, d, kRoundConstants[t + 4] + w[t + 4]);
    sha_round(d, e, f, g, h, a, b, c, kRoundConstants[t + 5] + w[t + 5]);
    sha_round(c, d, e, f, g, h, a, b, kRoundConstants[t + 6] + w[t + 6]);
    sha_round(b, c, d, e, f, g, h, a, kRoundConstants[t + 7] + w[t + 7]);
  }

  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
  state_[5] += f;
  state_[6] += g;
  state_[7] += h;
}

void Sha256::update(const void* data, std::size_t size) {
  if (size == 0) return;  // data may be null for an empty view; memcpy(null, 0) is still UB
  const auto* in = static_cast<const std::uint8_t*>(data);
  total_bytes_ += size;

  if (buffered_ != 0) {
    const std::size_t take = std::min(size, kBlockSize - buffered_);
    std::memcpy(buffer_.data() + buffered_, in, take);
    buffered_ += take;
    in += take;
    size -= take;
    if (buffered_ < kBlockSize) return;
    compress(buffer_.data());
    buffered_ = 0;
  }

  // Whole blocks are hashed straight from the caller's memory, avoiding a copy per block.
  for (; size >= kBlockSize; in += kBlockSize, size -= kBlockSize) compress(in);

  if (size != 0) {
    std::memcpy(buffer_.data(), in, size);
    buffered_ = size;
  }
}

Sha256Digest Sha256::finish() {
  const std::uint64_t bit_length = total_bytes_ * 8;

  buffer_[buffered_++] = 0x80;
  // The 8-byte length must fit after the marker; if it does not, it goes in one more block.
  if (buffered_ > kBlockSize - 8) {
    std::memset(buffer_.data() + buffered_, 0, kBlockSize - buffered_);
    compress(buffer_.data());
    buffered_ = 0;
  }
  std::memset(buffer_.data() + buffered_, 0, kBlockSize - 8 - buffered_);
  store_be32(buffer_.data() + 56, static_cast<std::uint32_t>(bit_length >> 32));
  store_be32(buffer_.data() + 60, static_cast<std::uint32_t>(bit_length));
  compress(buffer_.data());

  Sha256Digest digest;
  for (std::size_t i = 0; i < 8; ++i) store_be32(digest.data() + 4 * i, state_[i]);
  return digest;
}

Sha256Digest sha256(std::string_view bytes) {
  Sha256 hasher;
  hasher.update(bytes);
  return hasher.finish();
}

HmacSha256::HmacSha256(std::string_view key) {
  std::array<std::uint8_t, kBlockSize> block{};
  if (key.size() > kBlockSize) {
    const Sha256Digest hashed = sha256(key);
    std::memcpy(block.data(), hashed.data(), hashed.size());
  } else if (!key.empty()) {
    std::memcpy(block.data(), key.data(), key.size());
  }

  for (auto& byte : block) byte ^= 0x36;
  inner_.update(block.data(), block.size());
  // 0x36 ^ 0x5c turns the ipad-masked key into the opad-masked key without a second copy.
  for (auto& byte : block) byte ^= 0x36 ^ 0x5c;
  outer_.update(block.data(), block.size());
}

Sha256Digest HmacSha256::mac(std::string_view message) const {
  Sha256 inner = begin();
  inner.update(message);
  return finish(inner);
}

Sha256Digest HmacSha256::finish(Sha256& inner) const {
  const Sha256Digest inner_digest = inner.finish();
  Sha256 outer = outer_;
  outer.update(inner_digest.data(), inner_digest.size());
  return outer.finish();
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
  return HmacSha256(key).mac(message);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Lengths are public (they are visible in the URL), so an early exit on them leaks nothing.
  if (a.size() != b.size()) return false;
  // Accumulating every difference, instead of returning at the first, keeps the running time
  // independent of where the inputs diverge; volatile stops the compiler reintroducing a branch.
  // Eight bytes at a time: a signature is 43 bytes.
  volatile std::uint64_t diff = 0;
  std::size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff = diff | (x ^ y);
  }
  for (; i < a.size(); ++i) {
    diff = diff | static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace clicktrail
