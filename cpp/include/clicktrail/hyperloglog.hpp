// Mergeable distinct counting for unique clicks and reach: a HyperLogLog sketch (Flajolet et
// al. 2007) with an exact small-set phase, and an exact mode that never approximates.
//
// State is a pure function of the set of 64-bit hashes added, so sketches built from parts of
// an input and merged (in any order, after any number of serialise/deserialise round trips)
// are identical to the sketch built from the whole input. Precision 14 (16384 one-byte
// registers) gives a standard error of 1.04/sqrt(16384) = 0.81 %.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace clicktrail {

// 64-bit hash of a byte string: FNV-1a over the bytes, then the SplitMix64 finaliser so
// every output bit depends on every input bit (FNV alone leaves the high bits weak for short
// keys such as IP addresses).
[[nodiscard]] std::uint64_t hash64(std::string_view bytes);

class HyperLogLog {
 public:
  static constexpr int kDefaultPrecision = 14;
  static constexpr int kMinPrecision = 4;
  static constexpr int kMaxPrecision = 18;

  // `precision` is clamped to [4, 18]. `exact`: keep every distinct hash (a set); estimate()
  // is then the exact count (up to 64-bit hash collisions, ~1e-8 at a million values).
  explicit HyperLogLog(int precision = kDefaultPrecision, bool exact = false);
  HyperLogLog(const HyperLogLog& other);
  HyperLogLog& operator=(const HyperLogLog& other);
  HyperLogLog(HyperLogLog&& other) noexcept;
  HyperLogLog& operator=(HyperLogLog&& other) noexcept;
  ~HyperLogLog() = default;

  void add(std::string_view value) { add_hash(hash64(value)); }
  void add_hash(std::uint64_t hash);
  // Register-wise max (dense), set union (small/exact). Sketches of different precision or
  // mode merge into the coarser form: exact + approximate = approximate.
  void merge(const HyperLogLog& other);

  // Distinct count. Exact while the sketch is in its small-set phase (up to m/16 values)
  // or in exact mode; otherwise the HyperLogLog estimate with linear counting for small
  // ranges (Flajolet et al.'s corrections; no large-range correction is needed with a
  // 64-bit hash).
  [[nodiscard]] double estimate() const;
  [[nodiscard]] std::uint64_t count() const { return static_cast<std::uint64_t>(estimate() + 0.5); }

  int precision() const { return precision_; }
  bool exact() const { return exact_; }
  bool dense() const { return registers_ != nullptr; }

  // Compact text form, safe in CSV and JSON: "h<p>s<base64url>" (small set: sorted hashes
  // delta-encoded as varints), "h<p>d<base64url>" (dense: 6-bit registers packed),
  // "x<base64url>" (exact mode). deserialize() returns nullopt for anything malformed.
  [[nodiscard]] std::string serialize() const;
  [[nodiscard]] static std::optional<HyperLogLog> deserialize(std::string_view text);

  friend bool operator==(const HyperLogLog& a, const HyperLogLog& b);

  // Heap bytes held (small-phase capacity, registers, exact set nodes approximately); for
  // tests and memory accounting.
  [[nodiscard]] std::size_t heap_bytes() const;

 private:
  std::size_t small_limit() const { return (std::size_t{1} << precision_) / 16; }
  std::size_t register_count() const { return std::size_t{1} << precision_; }
  void to_dense();
  void add_to_registers(std::uint64_t hash);
  // Sorts the unsorted tail into the rest of small_ (see tail_).
  void sort_tail() const;

  // 48 bytes on 64-bit targets: a sketch per distinct count per group adds up, and most
  // sketches only ever use the small phase. Null pointers stand for the unused forms.
  int precision_;
  bool exact_;
  // Distinct hashes of the small phase, grown by 1/8: sorted, except for the last tail_ (at most
  // kTail), added since the last sort. A sorted insert per hash moved half the set each time;
  // the tail is merged in once every kTail hashes. Mutable: readers sort the tail first.
  static constexpr std::uint16_t kTail = 16;
  mutable std::uint16_t tail_ = 0;
  mutable std::vector<std::uint64_t> small_;
  std::unique_ptr<std::uint8_t[]> registers_;               // 2^precision registers once dense
  std::unique_ptr<std::unordered_set<std::uint64_t>> set_;  // exact mode, once a hash arrives
};

}  // namespace clicktrail
