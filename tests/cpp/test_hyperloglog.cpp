// HyperLogLog: error against exact counts, merge = union, serialisation, exact mode.
#include <cmath>
#include <random>
#include <unordered_set>

#include "clicktrail/hyperloglog.hpp"
#include "test_support.hpp"

using clicktrail::HyperLogLog;

namespace {

std::string fake_ip(std::uint32_t n) {
  return std::to_string(n >> 24) + "." + std::to_string((n >> 16) & 255) + "." +
         std::to_string((n >> 8) & 255) + "." + std::to_string(n & 255);
}

}  // namespace

TEST_CASE("HyperLogLog estimates within 2 % from 1e3 to 1e6 distinct values", "[hll]") {
  for (std::size_t n : {1000u, 5000u, 20000u, 50000u, 100000u, 300000u, 1000000u}) {
    std::mt19937 rng(static_cast<unsigned>(n));
    HyperLogLog sketch;
    std::unordered_set<std::uint32_t> seen;
    while (seen.size() < n) {
      std::uint32_t value = rng();
      if (seen.insert(value).second) sketch.add(fake_ip(value));
      if (seen.size() % 3 == 0) sketch.add(fake_ip(value));  // repeats change nothing
    }
    const double error = std::abs(sketch.estimate() - static_cast<double>(n)) / n;
    INFO("n=" << n << " estimate=" << sketch.estimate() << " error=" << error);
    CHECK(error < 0.02);
  }
}

TEST_CASE("HyperLogLog merge equals the sketch of the union, in any order", "[hll]") {
  for (std::size_t n : {500u, 3000u, 200000u}) {
    HyperLogLog whole, a, b, c;
    for (std::uint32_t i = 0; i < n; ++i) {
      std::string ip = fake_ip(i * 2654435761u);
      whole.add(ip);
      (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(ip);
      if (i % 7 == 0) b.add(ip);  // overlap
    }
    HyperLogLog ab = a;
    ab.merge(b);
    ab.merge(c);
    HyperLogLog cb = c;
    cb.merge(b);
    cb.merge(a);
    CHECK(ab == whole);
    CHECK(cb == whole);
    CHECK(ab.estimate() == whole.estimate());
  }
}

TEST_CASE("HyperLogLog serialise and deserialise round trip", "[hll]") {
  for (std::size_t n : {0u, 10u, 1024u, 1025u, 100000u}) {
    for (bool exact : {false, true}) {
      HyperLogLog sketch(14, exact);
      for (std::uint32_t i = 0; i < n; ++i) sketch.add(fake_ip(i));
      std::string text = sketch.serialize();
      auto back = HyperLogLog::deserialize(text);
      REQUIRE(back);
      CHECK(*back == sketch);
      CHECK(back->serialize() == text);
      CHECK(back->estimate() == sketch.estimate());
    }
  }
  HyperLogLog dense;
  for (std::uint32_t i = 0; i < 50000; ++i) dense.add(fake_ip(i));
  CHECK(dense.dense());
  CHECK(dense.serialize().size() < 16384 * 6 / 8 * 4 / 3 + 8);  // 6-bit registers, base64url
  for (std::string_view bad : {"", "h", "h99s", "h14q", "h14d@@", "x!", "h14dAAAA", "h3s"}) {
    CHECK_FALSE(HyperLogLog::deserialize(bad));
  }
}

TEST_CASE("HyperLogLog exact mode and the small phase are exact", "[hll]") {
  HyperLogLog exact(14, true), small;
  for (std::uint32_t i = 0; i < 200000; ++i) exact.add(fake_ip(i % 123457));
  CHECK(exact.count() == 123457);
  for (std::uint32_t i = 0; i < 5000; ++i) small.add(fake_ip(i % 1000));
  CHECK_FALSE(small.dense());
  CHECK(small.count() == 1000);
  // Exact merged with approximate becomes approximate and still counts the union.
  HyperLogLog approx;
  for (std::uint32_t i = 100000; i < 200000; ++i) approx.add(fake_ip(i));
  exact.merge(approx);
  CHECK_FALSE(exact.exact());
  CHECK(std::abs(exact.estimate() - 200000.0) / 200000.0 < 0.02);
  // Different precisions merge into the coarser one.
  HyperLogLog fine(16), coarse(12), reference(12);
  for (std::uint32_t i = 0; i < 100000; ++i) {
    (i % 2 ? fine : coarse).add(fake_ip(i));
    reference.add(fake_ip(i));
  }
  coarse.merge(fine);
  CHECK(coarse == reference);
}

TEST_CASE("the small phase holds each distinct hash once whatever the order of adds", "[hll]") {
  // Repeats, descending runs and every tail length: the unsorted tail must never let a
  // duplicate in, and every reader (count, ==, serialise, copy, move, merge) sees the same set.
  std::mt19937_64 random(7);
  for (std::size_t distinct : {1u, 15u, 16u, 17u, 100u, 1023u, 1024u}) {
    INFO("distinct " << distinct);
    std::vector<std::uint64_t> values(distinct);
    for (auto& v : values) v = random();
    HyperLogLog forward, shuffled;
    for (std::size_t round = 0; round < 3; ++round) {
      for (std::size_t i = 0; i < distinct; ++i) forward.add_hash(values[i]);
      for (std::size_t i = distinct; i-- > 0;) shuffled.add_hash(values[(i * 7919) % distinct]);
    }
    REQUIRE_FALSE(forward.dense());
    CHECK(forward.count() == distinct);
    CHECK(shuffled.count() == distinct);
    CHECK(forward == shuffled);
    CHECK(forward.serialize() == shuffled.serialize());
    CHECK(HyperLogLog::deserialize(forward.serialize()).value() == shuffled);
    HyperLogLog copy = shuffled;
    HyperLogLog moved = std::move(copy);
    CHECK(moved == forward);
    CHECK(copy.count() == 0);  // NOLINT: a moved-from sketch is empty and usable
    copy.add_hash(values[0]);
    CHECK(copy.count() == 1);
    HyperLogLog united = forward;
    united.merge(shuffled);
    CHECK(united == forward);
  }
  // One more distinct hash than the small phase holds turns the sketch dense.
  HyperLogLog full;
  for (std::uint64_t i = 0; i <= 1024; ++i) full.add_hash(random());
  CHECK(full.dense());
}
