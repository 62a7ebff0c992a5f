// Machine-traffic verdicts and IP truncation at the edge.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "clicktrail/edge.hpp"
#include "clicktrail/traffic.hpp"

using namespace clicktrail;

TEST_CASE("IP addresses are truncated to /24 and /48 unless full addresses are asked for",
          "[traffic]") {
  CHECK(anonymize_ip("203.0.113.178") == "203.0.113.0");
  CHECK(anonymize_ip("203.0.113.178", true) == "203.0.113.178");
  CHECK(anonymize_ip("2001:0db8:85a3:0000:0000:8a2e:0370:7334") == "2001:db8:85a3::");
  CHECK(anonymize_ip("2001:db8::1") == "2001:db8::");
  CHECK(anonymize_ip("2001:db8::1", true) == "2001:db8::1");
  CHECK(anonymize_ip("::ffff:203.0.113.9") == "::ffff:203.0.113.0");
  CHECK(anonymize_ip("::1", true) == "::1");
  CHECK(anonymize_ip("1:0:0:1:0:0:0:1", true) == "1:0:0:1::1");
  CHECK(anonymize_ip("not an ip").empty());
  CHECK(anonymize_ip("010.0.0.1").empty());
  CHECK(anonymize_ip("").empty());
}

TEST_CASE("machine traffic is labelled by rule", "[traffic]") {
  CHECK(classify_traffic("HEAD", "Mozilla/5.0").reason == "head_request");
  CHECK(classify_traffic("GET", "").reason == "automation:no_user_agent");
  CHECK(classify_traffic("GET",
                         "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 "
                         "(via ggpht.com GoogleImageProxy)")
            .reason == "proxy:google_image_proxy");
  CHECK(classify_traffic("GET", "Mimecast-URL-Protect/1.0").reason == "scanner:mimecast");
  CHECK(classify_traffic("GET", "curl/8.5.0").reason == "automation:curl");
  TrafficVerdict person = classify_traffic(
      "GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15");
  CHECK_FALSE(person.machine);
  CHECK(person.reason == "human");
}

TEST_CASE("the first rule in the list names the reason, wherever each needle occurs", "[traffic]") {
  // "bot" comes first in the header, but the Google image proxy rule comes first in the list.
  CHECK(classify_traffic("GET", "Googlebot-Image/1.0 via GoogleImageProxy").reason ==
        "proxy:google_image_proxy");
  CHECK(classify_traffic("GET", "Spider/2 Crawler/1").reason == "crawler:generic");
  CHECK(classify_traffic("GET", "SlackBot-LinkExpanding 1.0").reason == "crawler:slack");
  // Overlapping candidates at one position ("ms-office" vs "microsoft office" share 'm').
  CHECK(classify_traffic("GET", "Microsoft Office/16.0 (ms-office; MSOffice 16)").reason ==
        "scanner:microsoft_office");
  CHECK(classify_traffic("GET", "Mozilla/5.0 HeadlessChrome/120 python-requests/2").reason ==
        "automation:headless_chrome");
  // Any ASCII case, at the very start and the very end.
  CHECK(classify_traffic("GET", "CURL/7.1").reason == "automation:curl");
  CHECK(classify_traffic("GET", "Mozilla/5.0 PROOFPOINT").reason == "scanner:proofpoint");
  // A needle cut off by the 512-byte limit does not count.
  CHECK(classify_traffic("GET", std::string(510, 'x') + "curl/8").reason == "human");
}

TEST_CASE("the remembering classifier gives classify_traffic's verdict on every request",
          "[traffic]") {
  // Agents that differ only in a version number, in case, by a byte past what is classified,
  // and more agents than the classifier has slots, each seen again in another order and with
  // another method.
  std::vector<std::string> agents = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/126.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/125.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
      "MOZILLA/5.0 (WINDOWS NT 5.1; RV:11.0) GECKO FIREFOX/11.0 (VIA GGPHT.COM GOOGLEIMAGEPROXY)",
      "curl/8.5.0",
      "curl/8.5.1",
      "",
      std::string(kClassifiedAgentBytes, 'a') + "bot",
      std::string(kClassifiedAgentBytes - 3, 'a') + "bot",
  };
  for (int i = 0; i < 150; ++i)
    agents.push_back("Agent/" + std::to_string(i) + " crawler" + std::string(i % 3, ' '));
  for (int i = 0; i < 150; ++i) agents.push_back("Agent/" + std::to_string(i) + " person");
  TrafficClassifier classifier;
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t k = 0; k < agents.size(); ++k) {
      const std::string& agent = agents[pass == 1 ? agents.size() - 1 - k : k];
      for (std::string_view method : {"GET", "HEAD", "head", "POST"}) {
        const TrafficVerdict expected = classify_traffic(method, agent);
        const TrafficVerdict got = classifier.classify(method, agent);
        INFO(method << " " << agent);
        CHECK(got.machine == expected.machine);
        CHECK(got.reason == expected.reason);
      }
    }
  }
}

TEST_CASE("timestamps are ISO-8601 UTC with milliseconds", "[traffic]") {
  CHECK(iso8601_utc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(iso8601_utc(1795366046847) == "2026-11-22T16:47:26.847Z");
  CHECK(iso8601_utc(951782400000) == "2000-02-29T00:00:00.000Z");
  CHECK(iso8601_utc(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(iso8601_utc(253402300799999) == "9999-12-31T23:59:59.999Z");
  // Past four-digit years the general form is kept rather than wrapped digits.
  CHECK(iso8601_utc(253402300800000) == "10000-01-01T00:00:00.000Z");
  CHECK(iso8601_utc(-62167219200001) == "-001-12-31T23:59:59.999Z");
}

TEST_CASE("edge: only <basePath>/c and <basePath>/pxl.png are endpoints", "[edge][review]") {
  EdgeSettings settings;
  settings.keys = {{"k1", "edge-secret-0123456789ab"}};
  TrackingEdge root(settings);
  CHECK(root.handle({"GET", "https://example.com/languages/c?x=1", "", "", 0})
            .find("\"action\":\"pass\"") != std::string::npos);
  CHECK(root.handle({"GET", "https://example.com/img/pxl.png", "", "", 0})
            .find("\"action\":\"pass\"") != std::string::npos);
  CHECK(
      root.handle({"GET", "https://example.com/c?x=1", "", "", 0}).find("\"action\":\"reject\"") !=
      std::string::npos);
  settings.base_path = "/t";
  TrackingEdge prefixed(settings);
  CHECK(prefixed.handle({"GET", "https://example.com/c?x=1", "", "", 0})
            .find("\"action\":\"pass\"") != std::string::npos);
  CHECK(prefixed.handle({"GET", "https://example.com/t/pxl.png", "", "", 0})
            .find("\"action\":\"pixel\"") != std::string::npos);
}

TEST_CASE("edge: unusable keys and allowlists are refused", "[edge][review]") {
  CHECK_FALSE(key_problem(std::vector<SigningKey>{{"k1", ""}}).empty());
  CHECK_FALSE(key_problem(std::vector<SigningKey>{{"k1", "short"}}).empty());
  CHECK_FALSE(key_problem(std::vector<SigningKey>{{"k1", "first-secret-0123456789"},
                                                  {"k1", "second-secret-0123456789"}})
                  .empty());
  CHECK(key_problem(std::vector<SigningKey>{{"k1", "first-secret-0123456789"},
                                            {"k2", "second-secret-0123456789"}})
            .empty());
  CHECK(allowed_host_problem(".example.com").empty());
  CHECK_FALSE(allowed_host_problem("https://shop.example.com").empty());
  CHECK_FALSE(allowed_host_problem("shop.example.com/path").empty());
}
