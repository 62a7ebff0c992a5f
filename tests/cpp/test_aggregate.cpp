// Aggregation of tracking hits: a hand-computed case, machine traffic, partial aggregates,
// outputs, and HyperLogLog against exact counts on a generated 1M-line log.
#include <cmath>
#include <random>

#include "clicktrail/aggregate.hpp"
#include "cloudfront_test_log.hpp"
#include "test_support.hpp"

using clicktrail::AggregateOptions;
using clicktrail::CloudFrontLogAggregator;

namespace {

const char* kHeader = test_support::kLogHeader;
const std::string& kHuman = test_support::kHumanAgent;
const std::string& kC1 = test_support::kCampaign1;
const std::string& kC2 = test_support::kCampaign2;
constexpr auto row = test_support::log_row;

// Lines 3..17 of the hand-computed case; the comments give what each one counts as.
std::string day_one() {
  const std::string d = "2024-05-01";
  return row(d, "10:00:00", "192.0.2.1", "GET", "/pxl.png", 200, kHuman, kC1) +  // imp
         row(d, "10:00:05", "192.0.2.2", "GET", "/pxl.png", 200, kHuman, kC1) +  // imp
         row(d, "10:01:00", "192.0.2.1", "GET", "/pxl.png", 304, kHuman, kC1) +  // imp, same IP
         row(d, "10:02:00", "192.0.2.1", "GET", "/c", 302, kHuman, kC1 + "&mid=m1&li=0") +
         row(d, "10:03:00", "192.0.2.1", "GET", "/c", 302, kHuman, kC1 + "&mid=m1&li=0") +
         row(d, "10:04:00", "192.0.2.3", "GET", "/pxl.png", 200,
             "Mozilla/5.0%20(Windows%20NT%205.1)%20GoogleImageProxy", kC1) +        // machine imp
         row(d, "10:05:00", "192.0.2.4", "HEAD", "/c", 302, kHuman, kC1) +          // machine click
         row(d, "10:06:00", "192.0.2.5", "GET", "/c", 400, kHuman, kC1) +           // refused
         row(d, "11:00:00", "192.0.2.9", "GET", "/index.html", 200, kHuman, "-") +  // other
         // A scanner: one IP, every link of message m2 within two seconds.
         row(d, "12:00:00", "198.51.100.1", "GET", "/c", 302, kHuman, kC1 + "&mid=m2&li=0") +
         row(d, "12:00:01", "198.51.100.1", "GET", "/c", 302, kHuman, kC1 + "&mid=m2&li=1") +
         row(d, "12:00:02", "198.51.100.1", "GET", "/c", 302, kHuman, kC1 + "&mid=m2&li=2");
}

std::string day_two() {
  const std::string d = "2024-05-02";
  return row(d, "09:00:00", "192.0.2.1", "GET", "/pxl.png", 200, kHuman, kC2) +
         row(d, "09:00:10", "192.0.2.6", "GET", "/c", 302, kHuman, kC2) +
         row(d, "09:30:00", "192.0.2.2", "GET", "/pxl.png", 200, kHuman, kC1);
}

}  // namespace

TEST_CASE("aggregation of a hand-computed small log", "[aggregate]") {
  for (bool exact : {false, true}) {
    AggregateOptions options;
    options.exact = exact;
    CloudFrontLogAggregator run(options);
    run.write(kHeader + day_one() + day_two());
    run.end();
    const auto& stats = run.aggregator().stats();
    CHECK(stats.hits == 15);
    CHECK(stats.counted == 13);
    CHECK(stats.other_paths == 1);
    CHECK(stats.refused_status == 1);
    CHECK(stats.machine_reasons.at("scanner_burst") == 3);
    CHECK(stats.machine_reasons.at("head_request") == 1);
    CHECK(stats.machine_reasons.at("proxy:google_image_proxy") == 1);

    auto rows = run.aggregator().rows();
    REQUIRE(rows.size() == 3);
    const auto& c1 = rows[0];
    CHECK(c1.date_start == "2024-05-01");
    CHECK(c1.key.campaign_id == "c1");
    CHECK(c1.human.impressions == 3);
    CHECK(c1.human.clicks == 2);
    CHECK(c1.human.unique_clicks.count() == 1);
    CHECK(c1.human.reach.count() == 2);
    CHECK(c1.ctr() == Approx(2.0 / 3.0));
    CHECK(c1.machine.impressions == 1);
    CHECK(c1.machine.clicks == 4);
    CHECK(c1.machine.unique_clicks.count() == 2);
    CHECK(c1.machine.reach.count() == 3);
    CHECK(rows[1].date_start == "2024-05-02");
    CHECK(rows[1].key.campaign_id == "c1");
    CHECK(rows[1].human.impressions == 1);
    CHECK(rows[2].key.campaign_id == "c2");
    CHECK(rows[2].human.impressions == 1);
    CHECK(rows[2].human.clicks == 1);
    CHECK(rows[2].human.reach.count() == 2);
    CHECK(rows[2].ctr() == 1.0);

    auto totals = run.aggregator().rows(false);
    REQUIRE(totals.size() == 2);
    CHECK(totals[0].key.campaign_id == "c1");
    CHECK(totals[0].date_start == "2024-05-01");
    CHECK(totals[0].date_end == "2024-05-02");
    CHECK(totals[0].human.impressions == 4);
    CHECK(totals[0].human.reach.count() == 2);  // 192.0.2.2 both days: counted once

    const std::string json = run.aggregator().to_json();
    auto doc = nlohmann::json::parse(json, nullptr, false);
    REQUIRE(doc.is_array());
    REQUIRE(doc.size() == 3);
    CHECK(doc[0]["orderId"] == "o1");
    CHECK(doc[0]["campaignId"] == "c1");
    CHECK(doc[0]["publicationId"] == "p1");
    CHECK(doc[0]["channel"] == "email");
    CHECK(doc[0]["itemPath"] == "hero/600x200");
    CHECK(doc[0]["dateStart"] == "2024-05-01");
    CHECK(doc[0]["dateEnd"] == "2024-05-01");
    CHECK(doc[0]["metrics"]["impressions"] == 3);
    CHECK(doc[0]["metrics"]["clicks"] == 2);
    CHECK(doc[0]["metrics"]["reach"] == 2);
    CHECK(doc[0]["metrics"]["ctr"].get<double>() == Approx(0.666667));
    CHECK(doc[0]["machine"]["clicks"] == 4);
    CHECK(doc[0]["source"] == "cloudfront");

    const std::string csv = run.aggregator().to_csv();
    CHECK(csv.find("2024-05-01,2024-05-01,o1,c1,p1,email,hero,600x200,hero/600x200,3,2,1,2,"
                   "0.666667,1,4,2,3,cloudfront\n") != std::string::npos);
    const std::string ndjson = run.aggregator().to_ndjson();
    CHECK(std::count(ndjson.begin(), ndjson.end(), '\n') == 3);
    CHECK(nlohmann::json::parse(ndjson.substr(0, ndjson.find('\n'))) == doc[0]);
  }
}

TEST_CASE("partial aggregates serialise and merge as if computed at once", "[aggregate]") {
  CloudFrontLogAggregator whole, first, second, merged;
  whole.write(kHeader + day_one() + day_two());
  whole.end();
  first.write(kHeader + day_one());
  first.end();
  second.write(kHeader + day_two());
  second.end();
  REQUIRE(merged.aggregator().merge_serialized(first.aggregator().serialize()));
  REQUIRE(merged.aggregator().merge_serialized(second.aggregator().serialize()));
  CHECK(merged.aggregator().to_json() == whole.aggregator().to_json());
  CHECK(merged.aggregator().serialize() == whole.aggregator().serialize());
  std::string error;
  CHECK_FALSE(merged.aggregator().merge_serialized("{\"format\":\"other\"}\n", &error));
  CHECK(error.find("line 1") == 0);
  CHECK_FALSE(merged.aggregator().merge_serialized(first.aggregator().serialize() + "{\"day\":1}\n",
                                                   &error));
  CHECK(merged.aggregator().to_json() == whole.aggregator().to_json());  // nothing merged
}

TEST_CASE("1M-line generated log: HyperLogLog within 2 % of exact", "[aggregate][slow]") {
  AggregateOptions approx_options, exact_options;
  exact_options.exact = true;
  CloudFrontLogAggregator approx(approx_options), exact(exact_options);
  std::mt19937_64 rng(20240501);
  std::string chunk =
      "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method "
      "cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query\n";
  for (int i = 0; i < 1000000; ++i) {
    const std::uint64_t r = rng();
    const std::uint32_t ip = static_cast<std::uint32_t>(r % 400000) * 2654435761u;
    const bool click = (r >> 32) % 4 == 0;
    const int campaign = static_cast<int>((r >> 40) % 2);
    chunk += "2024-06-0" + std::to_string(1 + (r >> 48) % 2) +
             "\t12:" + std::to_string(10 + i % 50) + ":00\tFRA2\t512\t" + std::to_string(ip >> 24) +
             "." + std::to_string((ip >> 16) & 255) + "." + std::to_string((ip >> 8) & 255) + "." +
             std::to_string(ip & 255) + "\tGET\td1.cloudfront.net\t" +
             (click ? "/c\t302\t-\t" : "/pxl.png\t200\t-\t") + kHuman + "\toid=o1&cid=c" +
             std::to_string(campaign) + "&pid=p&ch=email&cr=a&s=1\n";
    if (chunk.size() > 65536) {
      approx.write(chunk);
      exact.write(chunk);
      chunk.clear();
    }
  }
  approx.write(chunk);
  exact.write(chunk);
  approx.end();
  exact.end();
  auto a = approx.aggregator().rows(), e = exact.aggregator().rows();
  REQUIRE(a.size() == 4);
  REQUIRE(e.size() == 4);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].human.clicks == e[i].human.clicks);
    CHECK(a[i].human.impressions == e[i].human.impressions);
    const double reach_error =
        std::abs(double(a[i].human.reach.count()) - double(e[i].human.reach.count())) /
        double(e[i].human.reach.count());
    const double unique_error = std::abs(double(a[i].human.unique_clicks.count()) -
                                         double(e[i].human.unique_clicks.count())) /
                                double(e[i].human.unique_clicks.count());
    INFO("row " << i << " reach " << e[i].human.reach.count() << " error " << reach_error
                << ", unique clicks " << e[i].human.unique_clicks.count() << " error "
                << unique_error);
    CHECK(reach_error < 0.02);
    CHECK(unique_error < 0.02);
  }
  auto ta = approx.aggregator().rows(false), te = exact.aggregator().rows(false);
  REQUIRE(ta.size() == 2);
  for (std::size_t i = 0; i < ta.size(); ++i) {
    const double error =
        std::abs(double(ta[i].human.reach.count()) - double(te[i].human.reach.count())) /
        double(te[i].human.reach.count());
    INFO("all days, campaign " << i << " reach " << te[i].human.reach.count() << " error "
                               << error);
    CHECK(error < 0.02);
  }
}
