// CloudFront access log parser: the corpus samples (expected values read from the AWS
// documentation's example and the fixtures themselves), layouts, bad lines, chunk boundaries.
#include <cstdlib>
#include <random>

#include "clicktrail/cloudfront.hpp"
#include "test_support.hpp"

using clicktrail::CloudFrontField;
using clicktrail::CloudFrontHit;
using clicktrail::CloudFrontLogParser;

namespace {

struct Record {
  std::size_t line;
  std::int64_t epoch_ms;
  std::string date;
  int status;
  std::vector<std::string> fields;
  std::string get(CloudFrontField field) const { return fields[static_cast<std::size_t>(field)]; }
};

struct Parsed {
  std::vector<Record> records;
  std::string report;
};

Record copy_hit(const CloudFrontHit& hit) {
  Record r{hit.line, hit.epoch_ms, std::string(hit.date), hit.status, {}};
  for (auto field : hit.fields) r.fields.emplace_back(field);
  return r;
}

// Feeds `text` in pieces whose sizes come from `sizes` (cycled); an empty list = one write.
Parsed parse_in_chunks(std::string_view text, const std::vector<std::size_t>& sizes) {
  Parsed parsed;
  CloudFrontLogParser parser(
      [&](const CloudFrontHit& hit) { parsed.records.push_back(copy_hit(hit)); });
  if (sizes.empty()) {
    parser.write(text);
  } else {
    std::size_t pos = 0, k = 0;
    while (pos < text.size()) {
      std::size_t n = std::min(sizes[k++ % sizes.size()], text.size() - pos);
      parser.write(text.substr(pos, n));
      pos += n;
    }
  }
  parser.end();
  const auto& s = parser.stats();
  CHECK(s.lines == s.accepted + s.rejected + s.skipped);
  parsed.report = parser.report_json();
  return parsed;
}

Parsed parse_whole(std::string_view text) {
  return parse_in_chunks(text, {});
}

std::string serialize(const Parsed& parsed) {
  std::string out = parsed.report + "\n";
  for (const Record& r : parsed.records) {
    out += std::to_string(r.line) + " " + std::to_string(r.epoch_ms) + " " + r.date + " " +
           std::to_string(r.status);
    for (const auto& f : r.fields) out += "\t" + f;
    out += "\n";
  }
  return out;
}

// Whole, byte by byte, and a random split reproducible from CLICKTRAIL_CHUNK_SEED.
void check_every_chunking(std::string_view text) {
  const std::string expected = serialize(parse_whole(text));
  CHECK(serialize(parse_in_chunks(text, {1})) == expected);
  unsigned seed = 12345;
  if (const char* env = std::getenv("CLICKTRAIL_CHUNK_SEED"))
    seed = static_cast<unsigned>(std::atoi(env));
  std::mt19937 rng(seed);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::size_t> sizes;
    for (int i = 0; i < 64; ++i) sizes.push_back(1 + rng() % 97);
    INFO("CLICKTRAIL_CHUNK_SEED=" << seed << " round " << round);
    CHECK(serialize(parse_in_chunks(text, sizes)) == expected);
  }
}

std::string corpus(const std::string& name) {
  return test_support::read_file(test_support::data_path("cloudfront/" + name));
}

const char* kChrome78 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/78.0.3904.108 Safari/537.36";

}  // namespace

TEST_CASE("AWS documentation example: 6 records of the 33-field format", "[cloudfront]") {
  const std::string text = corpus("aws-cloudfront-docs/AccessLogs-example.log");
  Parsed parsed = parse_whole(text);
  REQUIRE(parsed.records.size() == 6);
  CHECK(parsed.report.find("\"lines\":8,\"accepted\":6,\"rejected\":0,\"skipped\":2") !=
        std::string::npos);
  const char* dates[] = {"2019-12-04", "2019-12-04", "2019-12-04",
                         "2019-12-13", "2019-12-13", "2019-12-13"};
  const char* times[] = {"21:02:31", "21:02:31", "21:02:31", "22:36:27", "22:36:26", "22:37:02"};
  const char* edges[] = {"LAX1", "LAX1", "LAX1", "SEA19-C1", "SEA19-C1", "SEA19-C2"};
  const int statuses[] = {200, 200, 200, 502, 502, 502};
  const char* uris[] = {"/index.html", "/index.html", "/index.html", "/favicon.ico", "/", "/"};
  const char* ips[] = {"192.0.2.100", "192.0.2.100", "192.0.2.100",
                       "192.0.2.200", "192.0.2.200", "192.0.2.200"};
  const char* results[] = {"Hit", "Hit", "Hit", "Error", "Error", "Error"};
  for (int i = 0; i < 6; ++i) {
    const Record& r = parsed.records[i];
    INFO("record " << i);
    CHECK(r.line == static_cast<std::size_t>(i + 3));
    CHECK(r.date == dates[i]);
    CHECK(r.get(CloudFrontField::time) == times[i]);
    CHECK(r.get(CloudFrontField::edge_location) == edges[i]);
    CHECK(r.status == statuses[i]);
    CHECK(r.get(CloudFrontField::uri_stem) == uris[i]);
    CHECK(r.get(CloudFrontField::client_ip) == ips[i]);
    CHECK(r.get(CloudFrontField::method) == "GET");
    CHECK(r.get(CloudFrontField::edge_result_type) == results[i]);
    CHECK(r.get(CloudFrontField::content_type) == "text/html");
    CHECK(r.get(CloudFrontField::uri_query).empty());  // "-"
    CHECK(r.get(CloudFrontField::range_end).empty());
    CHECK(r.get(CloudFrontField::user_agent) == (i == 5 ? std::string("curl/7.55.1") : kChrome78));
  }
  CHECK(parsed.records[0].get(CloudFrontField::host) == "d111111abcdef8.cloudfront.net");
  CHECK(parsed.records[3].get(CloudFrontField::host_header) == "www.example.com");
  CHECK(parsed.records[3].get(CloudFrontField::referer) == "http://www.example.com/");
  CHECK(parsed.records[0].get(CloudFrontField::content_length) == "78");
  CHECK(parsed.records[5].get(CloudFrontField::content_length) == "507");
  CHECK(parsed.records[4].get(CloudFrontField::edge_detailed_result_type) == "OriginDnsError");
  CHECK(parsed.records[4].get(CloudFrontField::client_port) == "3802");
  CHECK(parsed.records[0].get(CloudFrontField::ssl_protocol) == "TLSv1.2");
  CHECK(parsed.records[0].epoch_ms == 1575493351000);  // 2019-12-04T21:02:31Z
  check_every_chunking(text);
}

TEST_CASE("24-field file with double-encoded user agents", "[cloudfront]") {
  const std::string text = corpus("node-cloudfront-log-parser/web-1-0.txt");
  Parsed parsed = parse_whole(text);
  REQUIRE(parsed.records.size() == 2);
  const std::string iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 10_2_1 like Mac OS X) AppleWebKit/602.4.6 (KHTML, like "
      "Gecko) Version/10.0 Mobile/14D27 Safari/602.1";
  CHECK(parsed.records[0].get(CloudFrontField::user_agent) == iphone);
  CHECK(parsed.records[0].date == "2014-05-23");
  CHECK(parsed.records[0].get(CloudFrontField::edge_location) == "FRA2");
  CHECK(parsed.records[0].get(CloudFrontField::uri_stem) == "/view/my/file.html");
  CHECK(parsed.records[1].status == 304);
  CHECK(parsed.records[1].get(CloudFrontField::sc_bytes) == "2390282");
  CHECK(parsed.records[1].get(CloudFrontField::protocol_version) == "HTTP/1.1");
  CHECK(parsed.records[1].get(CloudFrontField::client_port).empty());  // not in a 24-field file
  check_every_chunking(text);
}

TEST_CASE("headers with tabs, trailing tab, no final newline", "[cloudfront]") {
  const std::string text = corpus("node-cloudfront-log-parser/web-1-0-2019-12.txt");
  std::vector<CloudFrontField> layout;
  CloudFrontLogParser parser([](const CloudFrontHit&) {});
  parser.write(text);
  parser.end();
  CHECK(parser.layout().size() == 33);
  CHECK(parser.stats().accepted == 3);
  CHECK(parser.stats().rejected == 0);
  Parsed parsed = parse_whole(text);
  REQUIRE(parsed.records.size() == 3);
  CHECK(parsed.records[2].get(CloudFrontField::user_agent) == kChrome78);
  CHECK(parsed.records[2].get(CloudFrontField::content_type) == "text/html");
  check_every_chunking(text);
}

TEST_CASE("23-field file without headers (logstash sample)", "[cloudfront]") {
  const std::string text = corpus("logstash-patterns-core/aws_spec-cloudfront-2016-06-10.log");
  Parsed parsed = parse_whole(text);
  REQUIRE(parsed.records.size() == 1);
  const Record& r = parsed.records[0];
  CHECK(r.date == "2016-06-10");
  CHECK(r.get(CloudFrontField::edge_location) == "IAD53");
  CHECK(r.get(CloudFrontField::client_ip) == "192.168.1.1");
  CHECK(r.get(CloudFrontField::uri_stem) == "/content/sample/thing.pdf");
  CHECK(r.get(CloudFrontField::referer) == "https://example.com/");
  CHECK(r.get(CloudFrontField::user_agent) ==
        "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/51.0.2704.79 Safari/537.36");
  CHECK(r.get(CloudFrontField::edge_response_result_type) == "RefreshHit");
  check_every_chunking(text);
}

TEST_CASE("RTMP and real-time log samples parse by their headers", "[cloudfront]") {
  const std::string rtmp = corpus("node-cloudfront-log-parser/rtmp-1-0.txt");
  Parsed parsed = parse_whole(rtmp);
  REQUIRE(parsed.records.size() == 6);
  CHECK(parsed.records[0].get(CloudFrontField::event) == "connect");
  CHECK(parsed.records[5].get(CloudFrontField::event) == "disconnect");
  CHECK(parsed.records[0].get(CloudFrontField::client_ip) == "192.0.2.147");
  CHECK(parsed.records[0].get(CloudFrontField::user_agent) == "LNX 10,0,32,18");
  check_every_chunking(rtmp);

  const std::string kinesis = corpus("node-cloudfront-log-parser/kinesis-1-0.txt");
  parsed = parse_whole(kinesis);
  REQUIRE(parsed.records.size() == 1);
  CHECK(parsed.records[0].epoch_ms == 1607374321541);
  CHECK(parsed.records[0].date == "2020-12-07");
  CHECK(parsed.records[0].status == 200);
  CHECK(parsed.records[0].get(CloudFrontField::user_agent) ==
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:83.0) Gecko/20100101 Firefox/83.0");
  check_every_chunking(kinesis);
}

TEST_CASE("bad lines are reported with their number and the rest is parsed", "[cloudfront]") {
  std::string text = corpus("aws-cloudfront-docs/AccessLogs-example.log");
  // Insert bad lines after the second record (line 4): they become lines 5, 6, 7 and 8.
  std::size_t at = 0;
  for (int i = 0; i < 4; ++i) at = text.find('\n', at) + 1;
  text.insert(at,
              "garbage without tabs\n"
              "2019-13-40\t21:02:31\tLAX1\n"
              "2019-12-04\t21:02:31\tLAX1\t392\tnot-an-ip\tGET\n"
              "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.1\tGET\th\t/\tOK\n");
  CloudFrontLogParser parser([](const CloudFrontHit&) {});
  parser.write(text);
  parser.end();
  CHECK(parser.stats().accepted == 6);
  CHECK(parser.stats().rejected == 4);
  CHECK(parser.stats().lines == 12);
  REQUIRE(parser.errors().size() == 4);
  CHECK(parser.errors()[0].line == 5);
  CHECK(parser.errors()[0].reason == "bad_date");
  CHECK(parser.errors()[1].line == 6);
  CHECK(parser.errors()[1].reason == "bad_date");
  CHECK(parser.errors()[2].line == 7);
  CHECK(parser.errors()[2].reason == "bad_client_ip");
  CHECK(parser.errors()[3].line == 8);
  CHECK(parser.errors()[3].reason == "bad_status");
  CHECK(parser.errors()[0].excerpt == "garbage without tabs");
  check_every_chunking(text);
}

TEST_CASE("IPv6 clients, x-forwarded-for lists, CRLF, short rows", "[cloudfront]") {
  const std::string text =
      "#Version: 1.0\r\n"
      "#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent) cs-uri-query "
      "x-forwarded-for\r\n"
      "2024-02-29\t23:59:59\t2001:db8::1\tGET\t/c\t302\tcurl/8\toid=o%2520x&cid=c1\t"
      "203.0.113.9,%20198.51.100.7\r\n"
      "2024-03-01\t00:00:00\t192.0.2.1\tGET\t/pxl.png\r\n";
  Parsed parsed = parse_whole(text);
  REQUIRE(parsed.records.size() == 2);
  CHECK(parsed.records[0].get(CloudFrontField::client_ip) == "2001:db8::1");
  CHECK(parsed.records[0].date == "2024-02-29");
  CHECK(parsed.records[1].get(CloudFrontField::uri_stem) == "/pxl.png");
  CHECK(parsed.records[1].status == 0);
  CHECK(parsed.records[1].get(CloudFrontField::user_agent).empty());

  auto ips = clicktrail::split_forwarded_for("203.0.113.9, 198.51.100.7,junk, 2001:db8::2");
  REQUIRE(ips.size() == 3);
  CHECK(ips[0] == "203.0.113.9");
  CHECK(ips[2] == "2001:db8::2");
  std::string scratch;
  CHECK(clicktrail::query_parameter("oid=o%2520x&cid=c1", "oid", scratch) == "o x");
  CHECK(clicktrail::query_parameter("oid=o%2520x&cid=c1", "cid", scratch) == "c1");
  CHECK(clicktrail::query_parameter("oid=o%2520x&cid=c1", "s", scratch).empty());

  // Several names in one pass: the first occurrence of each wins, as query_parameter gives it.
  const std::string_view names[] = {"oid", "cid", "s", "li", "mid"};
  std::string_view values[5];
  std::string scratches[5];
  clicktrail::query_parameters("cid=c%201&li&oid=o1&&cid=second&mid=m%2525&s=", names, values,
                               scratches);
  CHECK(values[0] == "o1");
  CHECK(values[1] == "c 1");
  CHECK(values[2].empty());
  CHECK(values[3].empty());  // "li" with no '=' is present and empty
  CHECK(values[4] == "m%");
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(values[i] == clicktrail::query_parameter(
                           "cid=c%201&li&oid=o1&&cid=second&mid=m%2525&s=", names[i], scratch));
  }
  check_every_chunking(text);
}

TEST_CASE("gzip input and over-long lines are refused, not held", "[cloudfront]") {
  CloudFrontLogParser gz([](const CloudFrontHit&) {});
  gz.write(std::string("\x1f\x8b\x08\x00rest", 8));
  gz.end();
  REQUIRE(gz.errors().size() == 1);
  CHECK(gz.errors()[0].reason == "gzip_input");

  clicktrail::CloudFrontParseOptions options;
  options.max_line_length = 100;
  std::size_t hits = 0;
  CloudFrontLogParser parser([&](const CloudFrontHit&) { ++hits; }, options);
  std::string long_line(1000, 'x');
  parser.write(long_line.substr(0, 500));
  parser.write(long_line.substr(500));
  parser.write("\n2019-12-04\t21:02:31\tLAX1\n");
  parser.end();
  CHECK(hits == 1);
  REQUIRE(parser.errors().size() == 1);
  CHECK(parser.errors()[0].reason == "line_too_long");
  CHECK(parser.errors()[0].line == 1);
  CHECK(parser.stats().lines == 2);
}
