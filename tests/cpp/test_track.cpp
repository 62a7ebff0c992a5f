// Signed tracking URLs: round trips, every single-byte change refused, and the open-redirect
// cases the edge must never follow.
#include <catch2/catch.hpp>

#include "clicktrail/track.hpp"
#include "clicktrail/url.hpp"

using namespace clicktrail;

namespace {

const SigningKey kKey{"k1", "test-secret-0123456789abcdef"};
const SigningKey kOtherSecret{"k1", "another-secret-0123456789abc"};
const SigningKey kRotated{"k2", "rotated-secret-0123456789abc"};
constexpr std::int64_t kNow = 1'800'000'000;

TrackingUrlBuilder builder(const SigningKey& key = kKey) {
  return TrackingUrlBuilder::create("https://t.example.com", key).value();
}

TrackingFields email_fields() {
  TrackingFields fields;
  fields.message_id = "0100018f-msg";
  fields.recipient_id = recipient_id_for("Alice@Example.com", kKey.secret);
  fields.link_index = 3;
  fields.tags = {{"campaign", "spring"}, {"variant", "b"}};
  return fields;
}

// An ad impression's fields, as the CloudFront pipeline reads them.
TrackingFields ad_fields() {
  TrackingFields fields;
  fields.order_id = "o-7";
  fields.campaign_id = "c 1/2";
  fields.publication_id = "pub";
  fields.channel = "display";
  fields.creative = "cr-9";
  fields.size = "300x250";
  return fields;
}

}  // namespace

TEST_CASE("a click URL verifies to its fields and target", "[track]") {
  std::string target = "https://shop.example.com/p?id=1&ref=mail#top";
  std::string url = builder().click_url(email_fields(), target).value();
  CHECK(url.starts_with("https://t.example.com/c?"));
  CHECK(url.find("alice") == std::string::npos);
  CHECK(url.find("Alice") == std::string::npos);

  SigningKey keys[] = {kRotated, kKey};
  auto verified = verify_tracking_url(url, keys, {kNow, {}});
  REQUIRE(verified.ok());
  CHECK(verified->endpoint == Endpoint::click);
  CHECK(verified->target == target);
  CHECK(verified->key_id == "k1");
  CHECK(verified->fields.message_id == "0100018f-msg");
  CHECK(verified->fields.link_index == 3);
  CHECK(verified->fields.tags == Tags{{"campaign", "spring"}, {"variant", "b"}});
  CHECK(verified->fields.recipient_id == recipient_id_for("alice@example.com ", kKey.secret));
}

TEST_CASE("pixel and ad URLs carry the CloudFront pipeline fields", "[track]") {
  std::string url = builder().pixel_url(ad_fields());
  CHECK(url.starts_with("https://t.example.com/pxl.png?oid=o-7&cid=c%201/2&pid=pub&ch=display"));
  auto verified = verify_tracking_url(url, std::span(&kKey, 1), {kNow, {}});
  REQUIRE(verified.ok());
  CHECK(verified->endpoint == Endpoint::pixel);
  CHECK(verified->fields.campaign_id == "c 1/2");
  CHECK(verified->fields.size == "300x250");
}

TEST_CASE("any single changed byte, removed parameter or other key is refused", "[track]") {
  std::string url = builder().click_url(email_fields(), "https://example.com/a?b=c").value();
  TrackingUrlVerifier verifier(std::span(&kKey, 1));
  REQUIRE(verifier.verify(url, kNow).ok());

  std::size_t refused = 0;
  for (std::size_t i = 0; i < url.size(); ++i) {
    for (char replacement : {'A', 'z', '0', '%', '&', '=', '-', '_', '/', '.'}) {
      if (url[i] == replacement) continue;
      std::string tampered = url;
      tampered[i] = replacement;
      INFO("byte " << i << " -> " << replacement << ": " << tampered);
      REQUIRE_FALSE(verifier.verify(tampered, kNow).ok());
      ++refused;
    }
  }
  CHECK(refused > url.size() * 8);

  std::string query = url.substr(url.find('?') + 1);
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string without = query;
    without.erase(start, end - start + (end < query.size() ? 1 : 0));
    INFO("removed " << query.substr(start, end - start));
    CHECK_FALSE(verifier.verify(url.substr(0, url.find('?') + 1) + without, kNow).ok());
    start = end + 1;
  }

  std::string forged =
      builder(kOtherSecret).click_url(email_fields(), "https://example.com/").value();
  auto refusal = verifier.verify(forged, kNow);
  REQUIRE_FALSE(refusal.ok());
  CHECK(refusal.error().code == TrackError::bad_signature);

  std::string rotated = builder(kRotated).click_url(email_fields(), "https://example.com/").value();
  CHECK(verifier.verify(rotated, kNow).error().code == TrackError::unknown_key);
}

TEST_CASE("unknown extra parameters do not change the outcome", "[track]") {
  std::string url = builder().click_url(email_fields(), "https://example.com/").value();
  TrackingUrlVerifier verifier(std::span(&kKey, 1));
  CHECK(verifier.verify(url + "&utm_source=x", kNow).ok());
  CHECK(verifier.verify(url + "&fbclid=1&x", kNow).ok());
  // A repeated clicktrail parameter is ambiguous and refused.
  auto repeated = verifier.verify(url + "&r=https://evil.example/", kNow);
  REQUIRE_FALSE(repeated.ok());
  CHECK(repeated.error().code == TrackError::malformed);
}

TEST_CASE("expiry", "[track]") {
  TrackingFields fields = email_fields();
  fields.expires_at = kNow;
  std::string url = builder().click_url(fields, "https://example.com/").value();
  TrackingUrlVerifier verifier(std::span(&kKey, 1));
  CHECK(verifier.verify(url, kNow).ok());
  auto late = verifier.verify(url, kNow + 1);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == TrackError::expired);
}

TEST_CASE("open-redirect targets are refused when building and when verifying", "[track]") {
  const char* targets[] = {
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "//evil.example/",
      "https:\\\\evil.example",
      "https:/\\evil.example",
      "https://good.example@evil.example/",
      "https://user:pass@evil.example/",
      "https://evil.example/%0d%0aSet-Cookie:x",
      "https://evil.example/\r\nLocation: x",
      "https://évil.example/",
      "https://xn--vil-9la.example\xe2\x80\x8b/",
      "https:///evil.example",
      "https://evil.example:99999/",
      "ftp://evil.example/",
      "/relative/path",
      "https://a.b c/",
      "",
  };
  for (const char* target : targets) {
    INFO(target);
    std::string_view view(target);
    bool refused = check_redirect_target(view) != TargetProblem::none ||
                   view.find("%0d") != std::string_view::npos;
    CHECK(refused);
    if (view.find("%0d") == std::string_view::npos) {
      CHECK_FALSE(builder().click_url({}, view).ok());
    }
  }
  // An encoded CR/LF stays encoded: it never becomes a header break in Location.
  std::string url = builder().click_url({}, "https://evil.example/%0d%0aSet-Cookie:x").value();
  auto verified = verify_tracking_url(url, std::span(&kKey, 1), {kNow, {}});
  REQUIRE(verified.ok());
  CHECK(verified->target.find('\r') == std::string::npos);

  std::string overlong = "https://" + std::string(300, 'a') + ".example/";
  CHECK(check_redirect_target(overlong) == TargetProblem::bad_host);
  CHECK(check_redirect_target("https://" + std::string(64, 'a') + ".example/") ==
        TargetProblem::bad_host);
}

TEST_CASE("host allowlist narrows redirects", "[track]") {
  std::string url = builder().click_url({}, "https://shop.example.com/x").value();
  std::vector<std::string> exact = {"example.com"};
  std::vector<std::string> with_subdomains = {".example.com"};
  auto refused = verify_tracking_url(url, std::span(&kKey, 1), {kNow, exact});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == TrackError::bad_target);
  CHECK(verify_tracking_url(url, std::span(&kKey, 1), {kNow, with_subdomains}).ok());
}

TEST_CASE("builder refuses unusable settings", "[track]") {
  CHECK_FALSE(TrackingUrlBuilder::create("t.example.com", kKey).ok());
  CHECK_FALSE(TrackingUrlBuilder::create("https://t.example.com?x=1", kKey).ok());
  CHECK_FALSE(TrackingUrlBuilder::create("https://t.example.com", {"k1", "short"}).ok());
  CHECK_FALSE(TrackingUrlBuilder::create("https://t.example.com", {"k 1", kKey.secret}).ok());
  auto prefixed = TrackingUrlBuilder::create("HTTPS://T.Example.com/track/", kKey);
  REQUIRE(prefixed.ok());
  CHECK(prefixed->base_url() == "https://t.example.com/track");
}

TEST_CASE("URL helpers", "[url]") {
  CHECK(normalize_url(" https://example.com/a b?q=é ") == "https://example.com/a%20b?q=%C3%A9");
  CHECK(normalize_url("https://example.com/100%") == "https://example.com/100%25");
  CHECK(normalize_url("https://example.com/%41") == "https://example.com/%41");
  CHECK(is_rfc3986_conformant("https://example.com/a?b=c&d=%20#f"));
  CHECK_FALSE(is_rfc3986_conformant("https://example.com/a b"));
  CHECK(percent_decode("a%2Fb%zz") == std::nullopt);
  CHECK(percent_decode("a%2Fb+c") == std::optional<std::string>("a/b+c"));
  std::string reused = "longer previous contents";
  CHECK(percent_decode_into("x%41", reused));
  CHECK(reused == "xA");
  CHECK(percent_decode_into("plain", reused));
  CHECK(reused == "plain");
  CHECK_FALSE(percent_decode_into("%4", reused));
  CHECK(encode_query_value("a b&c=d/é") == "a%20b%26c%3Dd/%C3%A9");
  CHECK(check_redirect_target("http://127.0.0.1:8080/x") == TargetProblem::none);
  CHECK(check_redirect_target("https://[2001:db8::1]/x") == TargetProblem::none);
  CHECK(parse_tags("a:b; c : d ;bad;:x") == Tags{{"a", "b"}, {"c", "d"}});
}

TEST_CASE("no byte can move between signed parameters", "[track][review]") {
  TrackingFields fields;
  fields.message_id = "M1";
  fields.recipient_id = "R1";
  fields.expires_at = 1000;
  std::string url = builder().pixel_url(fields);
  TrackingUrlVerifier verifier(std::span(&kKey, 1));
  REQUIRE(verifier.verify(url, 500).ok());
  for (char separator : {'\n', '\r', '\t', ' ', '\0', '\x7f'}) {
    std::string tampered = url;
    tampered[tampered.find("&exp=")] = separator;
    auto result = verifier.verify(tampered, 5000);
    INFO("separator byte " << int(separator));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == TrackError::malformed);
  }
}

TEST_CASE("base URLs must be in the form browsers send", "[track][review]") {
  CHECK(TrackingUrlBuilder::create("https://t.example.com:443", kKey)->base_url() ==
        "https://t.example.com");
  CHECK(TrackingUrlBuilder::create("http://t.example.com:80/x", kKey)->base_url() ==
        "http://t.example.com/x");
  CHECK(TrackingUrlBuilder::create("https://t.example.com:8443", kKey)->base_url() ==
        "https://t.example.com:8443");
  for (const char* base :
       {"https://t.example.com:0443", "https://t.example.com/a/./t", "https://t.example.com/a/../t",
        "https://t.example.com//t", "https://127.1", "https://2130706433"}) {
    INFO(base);
    CHECK_FALSE(TrackingUrlBuilder::create(base, kKey).ok());
  }
}

TEST_CASE("hosts browsers would read as numbers, and broken IP literals, are refused",
          "[url][review]") {
  for (const char* url : {"https://2130706433/", "https://0x7f.1/", "https://127.1/",
                          "https://1.2.3.256/", "https://010.1.1.1/", "https://[:::]/",
                          "https://xn--/", "https://-a.example/", "https://a-.example/"}) {
    INFO(url);
    CHECK(check_redirect_target(url) == TargetProblem::bad_host);
  }
  CHECK(check_redirect_target("https://[::ffff:192.0.2.1]/") == TargetProblem::none);
  CHECK(check_redirect_target("https://3com.example/") == TargetProblem::none);
}

TEST_CASE("every URL the builder makes, the verifier reads", "[track][review]") {
  std::string target = "https://example.com/?";
  while (target.size() < kMaxTargetLength - 6) target += "a=(1)&";
  auto url = builder().click_url({}, target);
  if (url.ok()) {
    CHECK(verify_tracking_url(url.value(), std::span(&kKey, 1), {kNow, {}}).ok());
  } else {
    CHECK(url.error().code == TrackError::bad_target);
  }
}

TEST_CASE("an unsigned preview URL carries the fields but can never verify", "[track]") {
  auto unsigned_builder = TrackingUrlBuilder::create_unsigned("https://t.example.com/");
  REQUIRE(unsigned_builder.ok());
  std::string target = "https://shop.example.com/p?id=1";
  std::string url = unsigned_builder->click_url(email_fields(), target).value();
  CHECK(url.starts_with("https://t.example.com/c?mid=0100018f-msg&"));
  CHECK(url.find("kid=") == std::string::npos);
  CHECK(url.find("sig=") == std::string::npos);
  auto verified = verify_tracking_url(url, std::span(&kKey, 1), {kNow, {}});
  REQUIRE_FALSE(verified.ok());
  CHECK(verified.error().code == TrackError::malformed);

  // The same fields signed differ only by the key id and signature appended.
  std::string signed_url = builder().click_url(email_fields(), target).value();
  CHECK(signed_url.starts_with(url + "&kid=k1&sig="));
  CHECK(unsigned_builder->pixel_url(email_fields()).find("sig=") == std::string::npos);
  CHECK_FALSE(TrackingUrlBuilder::create_unsigned("javascript:alert(1)").ok());
}

// Signatures already sent in emails must keep verifying: these two URLs pin the signed-message
// format (context line, length-prefixed URL prefix and parameters). The same signatures come out
// of node:crypto over that message, written independently in bench/edge/js-verify.js.
TEST_CASE("the signed-message format is stable", "[track]") {
  TrackingFields fields = email_fields();
  fields.expires_at = 1'900'000'000;
  const std::string click =
      "https://t.example.com/c?mid=0100018f-msg&rid=-8jFdJ-Ztg5ejUeF&li=3"
      "&tg=campaign:spring%3Bvariant:b&r=https://shop.example.com/p%3Fid%3D1%26ref%3Dmail%23top"
      "&exp=1900000000&kid=k1&sig=UQjEoZxzJLi7QVYjGDdq8LAc8nyJtEoGzoFkfP0pDiM";
  CHECK(builder().click_url(fields, "https://shop.example.com/p?id=1&ref=mail#top").value() ==
        click);
  CHECK(verify_tracking_url(click, std::span(&kKey, 1), {kNow, {}}).ok());

  const std::string pixel =
      "https://t.example.com/pxl.png?oid=o-7&cid=c%201/2&pid=pub&ch=display&cr=cr-9&s=300x250"
      "&kid=k1&sig=-NtzxqMJ-v161YQw74SAhyN6BcnnmFPz-gcR7bafwn0";
  CHECK(builder().pixel_url(ad_fields()) == pixel);
  CHECK(verify_tracking_url(pixel, std::span(&kKey, 1), {kNow, {}}).ok());
}
