// What the memory work on aggregation must keep: outputs byte for byte as before (held clicks,
// burst states, rows built one key at a time), copies that own their held clicks, and sketches
// that hold no more than they need.
#include <optional>

#include "clicktrail/aggregate.hpp"
#include "clicktrail/hyperloglog.hpp"
#include "cloudfront_test_log.hpp"
#include "test_support.hpp"

using clicktrail::AggregateOptions;
using clicktrail::ClickAggregator;
using clicktrail::CloudFrontHit;
using clicktrail::CloudFrontLogAggregator;
using clicktrail::CloudFrontLogParser;
using clicktrail::HyperLogLog;

namespace {

const char* kHeader = test_support::kLogHeader;
const std::string& kC1 = test_support::kCampaign1;
const std::string& kC2 = test_support::kCampaign2;
const std::string kLongLink = "long-link-identifier-0123456789";

// A hit from a browser.
std::string hit(const std::string& date, const std::string& time, const std::string& ip,
                const std::string& method, const std::string& path, int status,
                const std::string& query) {
  return test_support::log_row(date, time, ip, method, path, status, test_support::kHumanAgent,
                               query);
}

// Clicks held for burst detection in every way the held-click bookkeeping can go: out of
// order within the window, a burst that reaches back over a later click, a state erased and
// started again, clicks far behind the newest timestamp (held until finish()), one state
// across two keys and across midnight, an empty IP, repeated and long link names.
std::vector<std::string> held_clicks_log() {
  const std::string d1 = "2024-05-01", d2 = "2024-05-02", d0 = "2024-04-30";
  const std::string a = "192.0.2.10", b = "192.0.2.11", c = "198.51.100.7";
  return {
      hit(d1, "10:00:00", a, "GET", "/c", 302, kC1 + "&mid=m1&li=0"),
      hit(d1, "10:00:04", a, "GET", "/c", 302, kC1 + "&mid=m1&li=1"),
      hit(d1, "10:00:02", a, "GET", "/c", 302, kC1 + "&mid=m1&li=2"),
      hit(d1, "10:00:09", a, "GET", "/c", 302, kC2 + "&mid=m1&li=0"),
      hit(d1, "10:00:30", b, "GET", "/c", 302, kC1 + "&mid=m1&li=0"),
      hit(d1, "10:00:31", b, "GET", "/pxl.png", 200, kC1),
      hit(d1, "10:00:50", a, "GET", "/c", 302, kC1 + "&mid=m1&li=3"),
      hit(d1, "09:59:00", c, "GET", "/c", 302, kC1 + "&mid=m2&li=" + kLongLink),
      hit(d1, "09:59:01", c, "GET", "/c", 302, kC1 + "&mid=m2&li=1"),
      hit(d1, "09:59:02", c, "GET", "/c", 302, kC2 + "&mid=m2&li=" + kLongLink),
      hit(d1, "09:59:03", c, "GET", "/c", 302, kC2 + "&mid=m2&li=2"),
      hit(d1, "10:01:30", a, "GET", "/c", 302, kC1 + "&mid=m1&li=4"),
      hit(d1, "10:01:31", "-", "GET", "/c", 302, kC1 + "&mid=m3&li=0"),
      hit(d1, "10:01:32", "-", "GET", "/c", 302, kC1 + "&mid=m3&li=1"),
      hit(d1, "10:01:33", "-", "GET", "/c", 302, kC1 + "&mid=m3&li=2"),
      hit(d1, "10:01:34", "192.0.2.12", "GET", "/c", 302, kC1),
      hit(d1, "10:01:35", "192.0.2.13", "HEAD", "/c", 302, kC1 + "&mid=m1&li=0"),
      hit(d2, "00:00:05", a, "GET", "/c", 302, kC1 + "&mid=m1&li=0"),
      hit(d1, "23:59:58", a, "GET", "/c", 302, kC1 + "&mid=m1&li=1"),
      hit(d2, "00:00:06", a, "GET", "/c", 302, kC1 + "&mid=m1&li=2"),
      hit(d2, "00:00:07", "192.0.2.14", "GET", "/pxl.png", 200, kC2),
      hit(d0, "08:00:00", b, "GET", "/c", 302, kC1 + "&mid=m9&li=0"),
      hit(d0, "08:00:01", b, "GET", "/c", 302, kC1 + "&mid=m9&li=1"),
      hit(d0, "08:00:02", b, "GET", "/c", 302, kC1 + "&mid=m9&li=1"),
      hit(d2, "00:00:20", "192.0.2.15", "GET", "/c", 302, kC1 + "&mid=m1&li=0"),
      hit(d2, "00:00:21", "192.0.2.15", "GET", "/c", 302, kC1 + "&mid=m1&li=1"),
      hit(d2, "00:00:40", "192.0.2.15", "GET", "/c", 302, kC1 + "&mid=m1&li=2"),
  };
}

// As computed before held clicks pointed at their groups and rows stopped being copies.
const char* kCsvHeader =
    "date_start,date_end,order_id,campaign_id,publication_id,channel,creative,size,item_path,"
    "impressions,clicks,unique_clicks,reach,ctr,machine_impressions,machine_clicks,"
    "machine_unique_clicks,machine_reach,source\n";
const std::string kDailyRows =
    "2024-04-30,2024-04-30,o1,c1,p1,email,hero,600x200,hero/600x200,0,3,1,1,0,0,0,0,0,cloudfront\n"
    "2024-05-01,2024-05-01,o1,c1,p1,email,hero,600x200,hero/600x200,1,4,3,3,4,0,10,3,3,cloudfront\n"
    "2024-05-01,2024-05-01,o1,c2,p1,email,hero,600x200,hero/600x200,0,0,0,0,0,0,3,2,2,cloudfront\n"
    "2024-05-02,2024-05-02,o1,c1,p1,email,hero,600x200,hero/600x200,0,3,1,1,0,0,2,1,1,cloudfront\n"
    "2024-05-02,2024-05-02,o1,c2,p1,email,hero,600x200,hero/600x200,1,0,0,1,0,0,0,0,0,"
    "cloudfront\n";
const std::string kTotalRows =
    "2024-04-30,2024-05-02,o1,c1,p1,email,hero,600x200,hero/600x200,1,10,4,4,10,0,12,3,3,"
    "cloudfront\n"
    "2024-05-01,2024-05-02,o1,c2,p1,email,hero,600x200,hero/600x200,1,0,0,1,0,0,3,2,2,"
    "cloudfront\n";

void check_held_clicks_outputs(const ClickAggregator& aggregator) {
  CHECK(aggregator.to_csv(true) == kCsvHeader + kDailyRows);
  CHECK(aggregator.to_csv(false) == kCsvHeader + kTotalRows);
  CHECK(aggregator.stats().counted == 27);
  CHECK(aggregator.stats().machine_reasons.at("scanner_burst") == 14);
  CHECK(aggregator.stats().machine_reasons.at("head_request") == 1);
}

}  // namespace

TEST_CASE("held clicks and burst states give the same outputs as before", "[aggregate]") {
  std::string log = kHeader;
  for (const std::string& line : held_clicks_log()) log += line;
  CloudFrontLogAggregator run;
  run.write(log);
  run.end();
  check_held_clicks_outputs(run.aggregator());
  // The daily rows are the groups themselves; the machine sketches of a group that saw no
  // machine traffic stay empty.
  auto rows = run.aggregator().rows(true);
  REQUIRE(rows.size() == 5);
  CHECK(rows[4].machine.reach.heap_bytes() == 0);
  CHECK(rows[4].machine.unique_clicks.serialize() == "h14s");
}

TEST_CASE("a copy made while clicks are held owns them", "[aggregate]") {
  const auto lines = held_clicks_log();
  for (std::size_t split : {std::size_t{3}, std::size_t{11}, std::size_t{19}, lines.size()}) {
    for (bool assign : {false, true}) {
      INFO("copied after " << split << " lines, " << (assign ? "assigned" : "constructed"));
      std::optional<ClickAggregator> original(std::in_place);
      ClickAggregator* target = &*original;
      CloudFrontLogParser parser([&](const CloudFrontHit& h) { target->add(h); });
      std::string first = kHeader;
      for (std::size_t i = 0; i < split; ++i) first += lines[i];
      parser.write(first);
      std::optional<ClickAggregator> copy;
      if (assign) {
        copy.emplace();
        *copy = *original;
      } else {
        copy.emplace(*original);
      }
      original.reset();  // the copy must not point into it
      target = &*copy;
      std::string rest;
      for (std::size_t i = split; i < lines.size(); ++i) rest += lines[i];
      parser.write(rest);
      parser.end();
      copy->finish();
      check_held_clicks_outputs(*copy);
    }
  }
}

TEST_CASE("rows over all days merge each key's days as the whole would", "[aggregate]") {
  // Three days of 700 distinct addresses each for one key: every day stays in the small
  // phase, the key's total becomes dense. A second key with one day is passed through.
  std::string log = kHeader;
  for (int day = 1; day <= 3; ++day) {
    for (int i = 0; i < 700; ++i) {
      const int n = day * 500 + i;  // days overlap by 200 addresses
      log += hit("2024-05-0" + std::to_string(day), "10:00:00",
                 "10.0." + std::to_string(n / 250) + "." + std::to_string(n % 250), "GET",
                 i % 3 ? "/pxl.png" : "/c", i % 3 ? 200 : 302, kC1);
    }
  }
  log += hit("2024-05-02", "11:00:00", "192.0.2.1", "GET", "/c", 302, kC2);
  CloudFrontLogAggregator run;
  run.write(log);
  run.end();
  const auto daily = run.aggregator().rows(true);
  const auto totals = run.aggregator().rows(false);
  REQUIRE(daily.size() == 4);
  REQUIRE(totals.size() == 2);
  // By day, then key: c1 on the 1st, c1 and c2 on the 2nd, c1 on the 3rd.
  REQUIRE(daily[2].key.campaign_id == "c2");
  CHECK_FALSE(daily[0].human.reach.dense());
  // Merged latest day first: the order of merging does not matter.
  clicktrail::TrafficCounts human = daily[3].human;
  human.merge(daily[1].human);
  human.merge(daily[0].human);
  CHECK(totals[0].key.campaign_id == "c1");
  CHECK(totals[0].date_start == "2024-05-01");
  CHECK(totals[0].date_end == "2024-05-03");
  CHECK(totals[0].human.reach.dense());
  CHECK(totals[0].human.reach == human.reach);
  CHECK(totals[0].human.unique_clicks == human.unique_clicks);
  CHECK(totals[0].human.impressions == human.impressions);
  CHECK(totals[0].human.clicks == human.clicks);
  CHECK(totals[1].key.campaign_id == "c2");
  CHECK(totals[1].date_start == "2024-05-02");
  CHECK(totals[1].date_end == "2024-05-02");
  CHECK(totals[1].human.reach == daily[2].human.reach);
  CHECK(totals[1].key.day.empty());
  // The outputs and rows() agree.
  const std::string csv = run.aggregator().to_csv(false);
  CHECK(csv.find("2024-05-01,2024-05-03,o1,c1,p1,email,hero,600x200,hero/600x200," +
                 std::to_string(totals[0].human.impressions) + "," +
                 std::to_string(totals[0].human.clicks) + "," +
                 std::to_string(totals[0].human.unique_clicks.count()) + "," +
                 std::to_string(totals[0].human.reach.count()) + ",") != std::string::npos);
}

TEST_CASE("HyperLogLog small phase grows by an eighth and copies are exact", "[hll]") {
  HyperLogLog sketch;
  CHECK(sketch.heap_bytes() == 0);
  for (std::uint32_t i = 1; i <= 1024; ++i) {
    sketch.add("192.0.2." + std::to_string(i));
    // Not the vector's doubling: at most an eighth (and a few hashes) unused.
    REQUIRE(sketch.heap_bytes() <= 8 * (i + i / 8 + 3));
  }
  CHECK_FALSE(sketch.dense());
  HyperLogLog copy = sketch;
  CHECK(copy == sketch);
  CHECK(copy.heap_bytes() == 8 * 1024);
  sketch.add("198.51.100.1");
  CHECK(sketch.dense());
  CHECK(sketch.heap_bytes() == 16384);  // registers only: the small phase is released

  // Merging a set into itself keeps one set's worth, not both.
  HyperLogLog a, b;
  for (std::uint32_t i = 0; i < 600; ++i) {
    a.add("10.1.0." + std::to_string(i));
    b.add("10.1.0." + std::to_string(i));
  }
  a.merge(b);
  CHECK(a.count() == 600);
  CHECK(a.heap_bytes() <= 8 * (600 + 600 / 8 + 3));
}

TEST_CASE("HyperLogLog copies are deep in every form", "[hll]") {
  for (bool exact : {false, true}) {
    for (std::uint32_t n : {0u, 5u, 5000u}) {
      INFO((exact ? "exact" : "approximate") << ", " << n << " values");
      HyperLogLog original(14, exact);
      for (std::uint32_t i = 0; i < n; ++i) original.add("a" + std::to_string(i));
      const std::string before = original.serialize();
      HyperLogLog copy(original), assigned(10);
      assigned = original;
      CHECK(copy == original);
      CHECK(assigned == original);
      for (std::uint32_t i = 0; i < 3000; ++i) {
        copy.add("b" + std::to_string(i));
        assigned.add("c" + std::to_string(i));
      }
      CHECK(original.serialize() == before);
      CHECK_FALSE(copy == original);
      const HyperLogLog saved = assigned;
      HyperLogLog& self = assigned;
      assigned = self;
      CHECK(assigned == saved);
    }
  }
  // An exact sketch that never saw a value allocates nothing and is the empty set.
  HyperLogLog empty_exact(14, true);
  CHECK(empty_exact.heap_bytes() == 0);
  CHECK(empty_exact.serialize() == "x");
  CHECK(*HyperLogLog::deserialize("x") == empty_exact);
}
