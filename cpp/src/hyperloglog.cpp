#include "clicktrail/hyperloglog.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <utility>

#include "clicktrail/base64url.hpp"

namespace clicktrail {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t splitmix_finalize(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

bool get_varint(std::string_view in, std::size_t& pos, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) return false;
    auto byte = static_cast<unsigned char>(in[pos++]);
    if (shift == 63 && byte > 1) return false;
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

std::string encode_sorted_hashes(const std::vector<std::uint64_t>& sorted) {
  std::string bytes;
  bytes.reserve(sorted.size() * 9);
  std::uint64_t previous = 0;
  for (std::uint64_t hash : sorted) {
    put_varint(bytes, hash - previous);
    previous = hash;
  }
  return base64url_encode(bytes);
}

bool decode_sorted_hashes(std::string_view text, std::vector<std::uint64_t>& out) {
  auto bytes = base64url_decode(text);
  if (!bytes) return false;
  std::size_t pos = 0;
  std::uint64_t previous = 0;
  while (pos < bytes->size()) {
    std::uint64_t delta = 0;
    if (!get_varint(*bytes, pos, delta)) return false;
    if (!out.empty() && delta == 0) return false;  // duplicates: not a canonical encoding
    std::uint64_t hash = previous + delta;
    if (!out.empty() && hash < previous) return false;  // wrapped around
    out.push_back(hash);
    previous = hash;
  }
  return true;
}

}  // namespace

std::uint64_t hash64(std::string_view bytes) {
  std::uint64_t h = kFnvOffset;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return splitmix_finalize(h);
}

HyperLogLog::HyperLogLog(int precision, bool exact)
    : precision_(std::clamp(precision, kMinPrecision, kMaxPrecision)), exact_(exact) {}

HyperLogLog::HyperLogLog(const HyperLogLog& other)
    : precision_(other.precision_), exact_(other.exact_), tail_(other.tail_), small_(other.small_) {
  if (other.registers_) {
    registers_ = std::make_unique<std::uint8_t[]>(register_count());
    std::copy_n(other.registers_.get(), register_count(), registers_.get());
  }
  if (other.set_) set_ = std::make_unique<std::unordered_set<std::uint64_t>>(*other.set_);
}

HyperLogLog& HyperLogLog::operator=(const HyperLogLog& other) {
  if (this != &other) *this = HyperLogLog(other);
  return *this;
}

// A moved-from sketch is empty, with no tail pointing past its (now empty) hashes.
HyperLogLog::HyperLogLog(HyperLogLog&& other) noexcept
    : precision_(other.precision_),
      exact_(other.exact_),
      tail_(std::exchange(other.tail_, 0)),
      small_(std::move(other.small_)),
      registers_(std::move(other.registers_)),
      set_(std::move(other.set_)) {
  other.small_.clear();
}

HyperLogLog& HyperLogLog::operator=(HyperLogLog&& other) noexcept {
  precision_ = other.precision_;
  exact_ = other.exact_;
  tail_ = std::exchange(other.tail_, 0);
  small_ = std::move(other.small_);
  other.small_.clear();
  registers_ = std::move(other.registers_);
  set_ = std::move(other.set_);
  return *this;
}

bool operator==(const HyperLogLog& a, const HyperLogLog& b) {
  a.sort_tail();
  b.sort_tail();
  if (a.precision_ != b.precision_ || a.exact_ != b.exact_ || a.small_ != b.small_ ||
      a.dense() != b.dense()) {
    return false;
  }
  if (a.dense() && !std::equal(a.registers_.get(), a.registers_.get() + a.register_count(),
                               b.registers_.get())) {
    return false;
  }
  const std::size_t a_size = a.set_ ? a.set_->size() : 0, b_size = b.set_ ? b.set_->size() : 0;
  return a_size == b_size && (a_size == 0 || *a.set_ == *b.set_);
}

std::size_t HyperLogLog::heap_bytes() const {
  std::size_t bytes = small_.capacity() * sizeof(std::uint64_t);
  if (registers_) bytes += register_count();
  // A node per hash (next pointer, value, cached hash) plus the bucket array.
  if (set_) bytes += set_->size() * 3 * sizeof(void*) + set_->bucket_count() * sizeof(void*);
  return bytes;
}

void HyperLogLog::add_to_registers(std::uint64_t hash) {
  const std::size_t index = hash >> (64 - precision_);
  const std::uint64_t rest = hash << precision_;  // the remaining 64 - p bits, left-aligned
  const int max_rank = 64 - precision_ + 1;
  const int rank = rest == 0 ? max_rank : std::min(std::countl_zero(rest) + 1, max_rank);
  std::uint8_t& slot = registers_[index];
  if (rank > slot) slot = static_cast<std::uint8_t>(rank);
}

void HyperLogLog::to_dense() {
  registers_ = std::make_unique<std::uint8_t[]>(register_count());  // zeroed
  for (std::uint64_t hash : small_) add_to_registers(hash);
  std::vector<std::uint64_t>().swap(small_);  // `= {}` would keep the capacity
  tail_ = 0;
}

void HyperLogLog::sort_tail() const {
  if (tail_ == 0) return;
  const std::size_t sorted = small_.size() - tail_;
  std::array<std::uint64_t, kTail> tail;
  std::copy(small_.begin() + static_cast<std::ptrdiff_t>(sorted), small_.end(), tail.begin());
  std::sort(tail.begin(), tail.begin() + tail_);
  // Merged from the back, so the sorted part moves at most once and nothing is allocated.
  std::size_t i = sorted, j = tail_, k = small_.size();
  while (j > 0) {
    small_[--k] = i > 0 && small_[i - 1] > tail[j - 1] ? small_[--i] : tail[--j];
  }
  tail_ = 0;
}

void HyperLogLog::add_hash(std::uint64_t hash) {
  if (exact_) {
    if (!set_) set_ = std::make_unique<std::unordered_set<std::uint64_t>>();
    set_->insert(hash);
    return;
  }
  if (registers_) {
    add_to_registers(hash);
    return;
  }
  const auto sorted_end = small_.end() - tail_;
  const auto at = std::lower_bound(small_.begin(), sorted_end, hash);
  if (at != sorted_end && *at == hash) return;
  if (std::find(sorted_end, small_.end(), hash) != small_.end()) return;
  // Growing by an eighth (instead of the vector's doubling) leaves at most ~12 % unused.
  // Capacities are odd so that the allocation (8 bytes a hash, plus malloc's 8-byte header)
  // fills 16-byte chunks.
  if (small_.size() == small_.capacity()) {
    const std::size_t size = small_.size();
    std::size_t capacity = std::min(size + std::max<std::size_t>(2, size / 8), small_limit() + 1);
    capacity |= 1;
    small_.reserve(capacity);
  }
  small_.push_back(hash);
  ++tail_;
  if (small_.size() > small_limit()) {
    to_dense();
  } else if (tail_ == kTail) {
    sort_tail();
  }
}

void HyperLogLog::merge(const HyperLogLog& other) {
  sort_tail();
  other.sort_tail();
  if (exact_ && other.exact_) {
    if (other.set_ && !other.set_->empty()) {
      if (!set_) set_ = std::make_unique<std::unordered_set<std::uint64_t>>();
      set_->insert(other.set_->begin(), other.set_->end());
    }
    return;
  }
  if (exact_) {  // exact + approximate: become approximate at the coarser precision
    std::unique_ptr<std::unordered_set<std::uint64_t>> hashes = std::move(set_);
    exact_ = false;
    precision_ = other.precision_;
    std::vector<std::uint64_t>().swap(small_);  // `= {}` would keep the capacity
    tail_ = 0;
    registers_.reset();
    if (hashes) {
      for (std::uint64_t hash : *hashes) add_hash(hash);
    }
    merge(other);
    return;
  }
  if (other.exact_) {
    if (other.set_) {
      for (std::uint64_t hash : *other.set_) add_hash(hash);
    }
    return;
  }
  if (other.precision_ < precision_) {  // fold into the coarser precision
    HyperLogLog coarse(other.precision_);
    if (dense()) {
      // Registers cannot be refined; rebuild the coarse sketch from ours by folding index bits.
      coarse.registers_ = std::make_unique<std::uint8_t[]>(coarse.register_count());
      const int drop = precision_ - coarse.precision_;
      for (std::size_t i = 0; i < register_count(); ++i) {
        if (registers_[i] == 0) continue;
        // The dropped index bits become leading bits of the rest: rank grows by their zeros.
        const std::size_t low = i & ((std::size_t{1} << drop) - 1);
        const int rank = low == 0 ? drop + registers_[i] : drop - (std::bit_width(low)) + 1;
        std::uint8_t& slot = coarse.registers_[i >> drop];
        if (rank > slot)
          slot = static_cast<std::uint8_t>(std::min(rank, 64 - coarse.precision_ + 1));
      }
    } else {
      for (std::uint64_t hash : small_) coarse.add_hash(hash);
    }
    *this = std::move(coarse);
  }
  if (!other.dense()) {
    if (dense()) {
      for (std::uint64_t hash : other.small_) add_to_registers(hash);
    } else if (other.precision_ == precision_) {
      std::vector<std::uint64_t> united;
      united.reserve(small_.size() + other.small_.size());
      std::set_union(small_.begin(), small_.end(), other.small_.begin(), other.small_.end(),
                     std::back_inserter(united));
      small_ = std::move(united);
      if (small_.size() > small_limit()) {
        to_dense();
      } else if (small_.capacity() - small_.size() > small_.size() / 8 + 2) {
        small_.shrink_to_fit();  // overlapping sets: do not keep the sum of both sizes
      }
    } else {
      for (std::uint64_t hash : other.small_) add_hash(hash);
    }
    return;
  }
  // `other` is dense.
  if (other.precision_ == precision_) {
    if (!dense()) to_dense();
    for (std::size_t i = 0; i < register_count(); ++i) {
      registers_[i] = std::max(registers_[i], other.registers_[i]);
    }
    return;
  }
  // other is finer: fold it into our precision, then merge.
  HyperLogLog folded = other;
  folded.merge(HyperLogLog(precision_));  // folds `other` down to our precision
  if (!dense()) to_dense();
  for (std::size_t i = 0; i < register_count(); ++i) {
    registers_[i] = std::max(registers_[i], folded.registers_[i]);
  }
}

double HyperLogLog::estimate() const {
  if (exact_) return set_ ? static_cast<double>(set_->size()) : 0.0;
  if (!registers_) return static_cast<double>(small_.size());
  const double m = static_cast<double>(register_count());
  double sum = 0;
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < register_count(); ++i) {
    const std::uint8_t r = registers_[i];
    sum += std::ldexp(1.0, -static_cast<int>(r));
    zeros += r == 0;
  }
  const double alpha = 0.7213 / (1.0 + 1.079 / m);
  const double raw = alpha * m * m / sum;
  if (raw <= 2.5 * m && zeros > 0) {
    return m * std::log(m / static_cast<double>(zeros));  // linear counting
  }
  return raw;
}

std::string HyperLogLog::serialize() const {
  if (exact_) {
    std::vector<std::uint64_t> sorted;
    if (set_) sorted.assign(set_->begin(), set_->end());
    std::sort(sorted.begin(), sorted.end());
    std::string out = "x";
    out += encode_sorted_hashes(sorted);
    return out;
  }
  // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on `"h" + std::string`.
  std::string out = "h";
  out += std::to_string(precision_);
  if (!dense()) {
    sort_tail();
    out += 's';
    out += encode_sorted_hashes(small_);
    return out;
  }
  // 6 bits per register (ranks are at most 64 - 4 + 1 = 61), four registers in three bytes.
  std::string bytes;
  const std::size_t m = register_count();
  bytes.reserve(m * 3 / 4 + 3);
  for (std::size_t i = 0; i < m; i += 4) {
    std::uint32_t word = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      word = word << 6 | (i + k < m ? registers_[i + k] : 0);
    }
    bytes += static_cast<char>(word >> 16);
    bytes += static_cast<char>((word >> 8) & 0xff);
    bytes += static_cast<char>(word & 0xff);
  }
  out += 'd';
  out += base64url_encode(bytes);
  return out;
}

std::optional<HyperLogLog> HyperLogLog::deserialize(std::string_view text) {
  if (text.starts_with("x")) {
    HyperLogLog sketch(kDefaultPrecision, true);
    std::vector<std::uint64_t> hashes;
    if (!decode_sorted_hashes(text.substr(1), hashes)) return std::nullopt;
    if (!hashes.empty()) {
      sketch.set_ =
          std::make_unique<std::unordered_set<std::uint64_t>>(hashes.begin(), hashes.end());
    }
    return sketch;
  }
  if (!text.starts_with("h")) return std::nullopt;
  std::size_t pos = 1;
  int precision = 0;
  while (pos < text.size() && pos < 3 && text[pos] >= '0' && text[pos] <= '9') {
    precision = precision * 10 + (text[pos++] - '0');
  }
  if (pos == 1 || precision < kMinPrecision || precision > kMaxPrecision) return std::nullopt;
  if (pos >= text.size()) return std::nullopt;
  HyperLogLog sketch(precision);
  const char kind = text[pos++];
  if (kind == 's') {
    if (!decode_sorted_hashes(text.substr(pos), sketch.small_)) return std::nullopt;
    if (sketch.small_.size() > sketch.small_limit()) return std::nullopt;
    sketch.small_.shrink_to_fit();
    return sketch;
  }
  if (kind != 'd') return std::nullopt;
  auto bytes = base64url_decode(text.substr(pos));
  const std::size_t m = std::size_t{1} << precision;
  if (!bytes || bytes->size() != m * 3 / 4) return std::nullopt;
  sketch.registers_ = std::make_unique<std::uint8_t[]>(m);
  const int max_rank = 64 - precision + 1;
  for (std::size_t i = 0, b = 0; i < m; i += 4, b += 3) {
    std::uint32_t word = static_cast<std::uint32_t>(static_cast<unsigned char>((*bytes)[b])) << 16 |
                         static_cast<std::uint32_t>(static_cast<unsigned char>((*bytes)[b + 1]))
                             << 8 |
                         static_cast<unsigned char>((*bytes)[b + 2]);
    for (int k = 3; k >= 0; --k) {
      const int rank = static_cast<int>(word & 63);
      if (rank > max_rank) return std::nullopt;
      sketch.registers_[i + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(rank);
      word >>= 6;
    }
  }
  return sketch;
}

}  // namespace clicktrail
