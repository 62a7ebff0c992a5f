// The rewriter on every real email: output independent of chunking, and the output differs from
// the input only in rewritten link attributes, removed markers and the pixel, with every
// rewritten link verifying to its original target.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>

#include "clicktrail/entities.hpp"
#include "clicktrail/html_tokenizer.hpp"
#include "clicktrail/rewrite.hpp"
#include "clicktrail/url.hpp"
#include "test_support.hpp"

using namespace clicktrail;
using html::Token;
using html::Tokenizer;
using html::TokenKind;

namespace {

const SigningKey kKey{"k1", "test-secret-0123456789abcdef"};
constexpr std::string_view kBase = "https://t.example.com";

RewriteOptions wrap_options() {
  RewriteOptions options;
  options.base_url = std::string(kBase);
  options.key = kKey;
  options.fields.message_id = "m1";
  options.recipient_address = "someone@example.com";
  return options;
}

RewriteResult rewrite(std::string_view html, const RewriteOptions& options = wrap_options()) {
  auto result = rewrite_links(html, options);
  REQUIRE(result.ok());
  return std::move(result.value());
}

std::string rewrite_chunked(std::string_view input, const RewriteOptions& options,
                            const std::vector<std::size_t>& cuts, RewriteReport& report) {
  auto rewriter = LinkRewriter::create(options);
  REQUIRE(rewriter.ok());
  std::string output;
  std::size_t previous = 0;
  for (std::size_t cut : cuts) {
    rewriter.value().write(input.substr(previous, cut - previous), output);
    previous = cut;
  }
  rewriter.value().write(input.substr(previous), output);
  report = rewriter.value().end(output);
  return output;
}

// A token as the invariant compares it.
struct Item {
  TokenKind kind;
  std::string name;                                             // lower-cased tag name
  std::vector<std::pair<std::string, std::string>> attributes;  // lower-cased name, raw value
  std::string bytes;
  std::string body;
};

std::vector<Item> items_of(std::string_view html) {
  std::vector<Item> items;
  Tokenizer tokenizer([&](const Token& token, const Tokenizer& t) {
    Item item{token.kind,
              ascii_lower(t.bytes(token.name)),
              {},
              std::string(t.bytes(token.range)),
              std::string(t.bytes(token.body))};
    for (const auto& attribute : token.attributes) {
      item.attributes.emplace_back(ascii_lower(t.bytes(attribute.name)),
                                   std::string(t.bytes(attribute.value)));
    }
    items.push_back(std::move(item));
  });
  tokenizer.write(html);
  tokenizer.end();
  return items;
}

bool is_marker(const std::string& name) {
  return name == "ses:no-track" || name == "data-no-track" || name == "clicktrail:no-track" ||
         name == "ses:tags" || name == "data-unsubscribe" || name == "clicktrail:unsubscribe";
}

bool is_link_element(const std::string& name) {
  return name == "a" || name == "area" || name == "v:roundrect" || name == "v:rect" ||
         name == "v:oval";
}

struct InvariantStats {
  std::size_t rewritten = 0;
  std::size_t pixels = 0;
};

// Walks input and output token streams together (recursing into conditional comments).
void check_same_except_links(std::string_view input, std::string_view output,
                             const TrackingUrlVerifier& verifier, InvariantStats& stats) {
  std::vector<Item> before = items_of(input);
  std::vector<Item> after = items_of(output);
  std::size_t j = 0;
  for (std::size_t i = 0; i < before.size(); ++i, ++j) {
    REQUIRE(j < after.size());
    if (after[j].kind == TokenKind::start_tag && after[j].name == "img" &&
        !after[j].attributes.empty() &&
        after[j].attributes[0].second.starts_with(std::string(kBase) + "/pxl.png?")) {
      ++stats.pixels;
      ++j;
      REQUIRE(j < after.size());
    }
    const Item& a = before[i];
    const Item& b = after[j];
    INFO("input token: " << a.bytes << "\noutput token: " << b.bytes);
    REQUIRE(a.kind == b.kind);
    if (a.bytes == b.bytes) continue;
    if (a.kind == TokenKind::comment) {
      REQUIRE(istarts_with_ascii(a.body, "[if "));
      check_same_except_links(a.body, b.body, verifier, stats);
      continue;
    }
    REQUIRE(a.kind == TokenKind::start_tag);
    REQUIRE(a.name == b.name);
    REQUIRE(is_link_element(a.name));
    std::vector<std::pair<std::string, std::string>> kept;
    for (const auto& attribute : a.attributes) {
      if (!is_marker(attribute.first)) kept.push_back(attribute);
    }
    REQUIRE(kept.size() == b.attributes.size());
    bool seen_href = false;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      REQUIRE(kept[k].first == b.attributes[k].first);
      if (kept[k].second == b.attributes[k].second) continue;
      REQUIRE(kept[k].first == "href");
      REQUIRE_FALSE(seen_href);  // only the first href is ever rewritten
      seen_href = true;
      std::string tracked = decode_entities(b.attributes[k].second, EntityContext::attribute);
      std::string original = decode_entities(kept[k].second, EntityContext::attribute);
      auto verified = verifier.verify(tracked, 0);
      INFO("tracked URL: " << tracked);
      REQUIRE(verified.ok());
      CHECK(verified->target == normalize_url(original));
      ++stats.rewritten;
    }
  }
  if (j < after.size()) {  // the pixel appended at the very end
    REQUIRE(after.size() == j + 1);
    REQUIRE(after[j].name == "img");
    ++stats.pixels;
  }
}

}  // namespace

TEST_CASE("every real email: invariant holds and every wrappable link is wrapped", "[rewrite]") {
  RewriteOptions options = wrap_options();
  options.linkify = false;
  TrackingUrlVerifier verifier(std::span(&kKey, 1));
  std::size_t total_tracked = 0;
  for (const std::string& path : test_support::corpus_emails()) {
    INFO(path);
    std::string input = test_support::read_file(path);
    RewriteResult result = rewrite(input, options);
    InvariantStats stats;
    check_same_except_links(input, result.output, verifier, stats);
    CHECK(stats.pixels == 1);
    std::size_t tracked_entries = 0;
    for (const LinkReport& link : result.report.links) {
      bool http = istarts_with_ascii(link.url, "http:") || istarts_with_ascii(link.url, "https:");
      if (link.tracked) ++tracked_entries;
      // An http(s) link is left alone only for a reason the user can act on.
      if (http && !link.tracked) {
        INFO(link.url << " " << to_string(link.reason));
        CHECK((link.reason == LinkReason::opted_out || link.reason == LinkReason::unsubscribe ||
               link.reason == LinkReason::template_tag || link.reason == LinkReason::invalid_url));
      }
    }
    CHECK(stats.rewritten == tracked_entries);
    total_tracked += tracked_entries;
  }
  WARN("corpus: " << total_tracked << " links wrapped and verified");
  CHECK(total_tracked >= 154);  // measured when written: a drop means links went unwrapped
}

TEST_CASE("output does not depend on how the input is split", "[rewrite][chunks]") {
  const char* seed_env = std::getenv("CLICKTRAIL_SEED");
  std::uint32_t seed =
      seed_env ? static_cast<std::uint32_t>(std::strtoul(seed_env, nullptr, 10)) : 20261122u;
  std::mt19937 random(seed);
  WARN("chunk split seed: " << seed << " (set CLICKTRAIL_SEED to reproduce another)");
  for (RewriteMode mode : {RewriteMode::wrap, RewriteMode::ses}) {
    RewriteOptions options = wrap_options();
    options.mode = mode;
    for (const std::string& path : test_support::corpus_emails()) {
      std::string input = test_support::read_file(path);
      RewriteResult whole = rewrite(input, options);

      std::vector<std::size_t> every_byte(input.size());
      for (std::size_t i = 0; i < input.size(); ++i) every_byte[i] = i;
      std::vector<std::size_t> random_cuts;
      for (std::size_t at = 0; at < input.size();) {
        random_cuts.push_back(at);
        at += 1 + random() % 300;
      }
      for (const auto* cuts : {&every_byte, &random_cuts}) {
        RewriteReport report;
        std::string output = rewrite_chunked(input, options, *cuts, report);
        INFO(path << (cuts == &every_byte ? " byte by byte" : " random split"));
        REQUIRE(output == whole.output);
        REQUIRE(report.links.size() == whole.report.links.size());
        for (std::size_t k = 0; k < report.links.size(); ++k) {
          CHECK(report.links[k].offset == whole.report.links[k].offset);
          CHECK(report.links[k].line == whole.report.links[k].line);
        }
      }
    }
  }
}

TEST_CASE("links that are never wrapped", "[rewrite]") {
  RewriteResult result = rewrite(
      "<a href=\"mailto:a@b.c\">m</a><a href=\"tel:+1\">t</a><a href=\"sms:1\">s</a>"
      "<a href=\"#top\">f</a><a href=\"\">e</a><a href=\"JavaScript:alert(1)\">j</a>"
      "<a href=\"data:text/html,x\">d</a><a href=\"{{url}}\">h</a><a href=\"*|UNSUB|*\">u</a>"
      "<a href=\"%%view%%\">v</a><link href=\"https://x.example/s.css\">"
      "<img src=\"https://x.example/i.png\"><base href=\"https://x.example/\">"
      "<a href=\"https://x.example/\" ses:no-track>1</a><a href=\"https://x.example/\" "
      "data-no-track>2</a><a clicktrail:no-track href=\"https://x.example/\">3</a>"
      "<a href=\"https://x.example/u\" data-unsubscribe>4</a>");
  std::vector<LinkReason> reasons;
  for (const auto& link : result.report.links) reasons.push_back(link.reason);
  CHECK(reasons == std::vector<LinkReason>{
                       LinkReason::mailto, LinkReason::tel, LinkReason::sms, LinkReason::fragment,
                       LinkReason::empty, LinkReason::unsafe_scheme, LinkReason::unsafe_scheme,
                       LinkReason::template_tag, LinkReason::template_tag, LinkReason::template_tag,
                       LinkReason::opted_out, LinkReason::opted_out, LinkReason::opted_out,
                       LinkReason::unsubscribe});
  CHECK(result.report.warnings.size() == 2);
  CHECK(result.output.find("no-track") == std::string::npos);
  CHECK(result.output.find("data-unsubscribe") == std::string::npos);
  CHECK(result.output.find("<a href=\"https://x.example/\">1</a>") != std::string::npos);
  CHECK(result.output.find("<link href=\"https://x.example/s.css\">") != std::string::npos);
  CHECK(result.output.find("t.example.com/c?") == std::string::npos);
}

TEST_CASE("entities, quoting, duplicates and case", "[rewrite]") {
  RewriteResult result = rewrite(
      "<A HREF='https://x.example/?a=1&amp;b=2' href=\"https://ignored.example/\">x</A>"
      "<area href=https://x.example/map alt=m>");
  REQUIRE(result.report.links.size() == 2);
  CHECK(result.report.links[0].url == "https://x.example/?a=1&b=2");
  CHECK(result.output.starts_with("<A HREF='https://t.example.com/c?"));
  CHECK(result.output.find("href=\"https://ignored.example/\"") != std::string::npos);
  CHECK(result.output.find("&amp;kid=k1") != std::string::npos);
  CHECK(result.output.find("<area href=\"https://t.example.com/c?") != std::string::npos);
}

TEST_CASE("VML and HTML copies of one button share a link index", "[rewrite]") {
  RewriteResult result = rewrite(
      "<!--[if mso]><v:roundrect href=\"https://x.example/buy\"><center>Buy</center>"
      "</v:roundrect><![endif]--><!--[if !mso]><!--><a href=\"https://x.example/buy\">Buy</a>"
      "<!--<![endif]--><a href=\"https://x.example/buy\">again</a>");
  REQUIRE(result.report.links.size() == 3);
  CHECK(result.report.links[0].element == "v:roundrect");
  CHECK(result.report.links[0].in_conditional_comment);
  CHECK(result.report.links[0].index == result.report.links[1].index);
  CHECK(result.report.links[2].index != result.report.links[1].index);
  CHECK(result.report.tracked_links == 2);
}

TEST_CASE("ses:tags, linkify, limits and the pixel", "[rewrite]") {
  SECTION("ses:tags become the link's tags and leave the output") {
    RewriteResult result = rewrite("<a href=\"https://x.example/\" ses:tags=\"k:v;k2:v2\">x</a>");
    CHECK(result.report.links[0].tags == Tags{{"k", "v"}, {"k2", "v2"}});
    CHECK(result.output.find("ses:tags") == std::string::npos);
    CHECK(result.report.links[0].tracked_url.find("&tg=k:v%3Bk2:v2&") != std::string::npos);
  }
  SECTION("plain URLs become links, except inside anchors, attributes, comments and scripts") {
    RewriteResult result = rewrite(
        "<p>See www.x.example, (https://y.example/a_(b)).</p><a href=\"#\">https://z.example</a>"
        "<!-- https://c.example --><script>var u='https://s.example';</script>"
        "<img alt=\"https://alt.example\">");
    REQUIRE(result.report.links.size() == 3);
    CHECK(result.report.links[0].url == "http://www.x.example");
    CHECK(result.report.links[0].linkified);
    CHECK(result.report.links[1].url == "https://y.example/a_(b)");
    CHECK(result.output.find(">www.x.example</a>, (<a href=") != std::string::npos);
    CHECK(result.output.find("https://y.example/a_(b)</a>).</p>") != std::string::npos);
  }
  SECTION("the limit leaves the rest untouched and says so") {
    RewriteOptions options = wrap_options();
    options.max_links = 2;
    RewriteResult result = rewrite(
        "<a href=\"https://a.example/\">a</a><a href=\"https://b.example/\">b</a>"
        "<a href=\"https://c.example/\">c</a>",
        options);
    CHECK(result.report.tracked_links == 2);
    CHECK(result.report.links[2].reason == LinkReason::over_limit);
    CHECK(result.output.find("<a href=\"https://c.example/\">") != std::string::npos);
    REQUIRE(result.report.warnings.size() == 1);
    CHECK(result.report.warnings[0].code == "link_limit");
  }
  SECTION("pixel: placeholder, else before </body>, else at the end") {
    RewriteResult placeholder = rewrite("<body><p>{{ses:openTracker}}</p></body>");
    CHECK(placeholder.output.starts_with("<body><p><img src=\"https://t.example.com/pxl.png?"));
    CHECK(placeholder.output.ends_with("</p></body>"));
    RewriteResult body = rewrite("<body><p>x</p></BODY>");
    CHECK(body.output.ends_with("/></BODY>"));
    RewriteResult end = rewrite("<p>x</p>");
    CHECK(end.output.ends_with(" />"));
    CHECK(end.report.pixel_offset == 8);
  }
}

TEST_CASE("SES mode prepares links for SES's own tracking", "[rewrite][ses]") {
  RewriteOptions options;
  options.mode = RewriteMode::ses;
  RewriteResult result = rewrite(
      "<body><a href=\"https://x.example/a b\">x</a> www.y.example "
      "<a href=\"https://z.example/\" data-no-track>z</a>"
      "<a href=\"https://w.example/\" ses:tags=\"name:cta\">w</a></body>",
      options);
  CHECK(result.output ==
        "<body><a href=\"https://x.example/a%20b\" ses:tags=\"link:0\">x</a> <a "
        "href=\"http://www.y.example\" ses:tags=\"link:1\">www.y.example</a> <a "
        "href=\"https://z.example/\" ses:no-track>z</a><a href=\"https://w.example/\" "
        "ses:tags=\"name:cta;link:3\">w</a>{{ses:openTracker}}</body>");
}

TEST_CASE("malformed input passes through byte for byte", "[rewrite]") {
  RewriteOptions options = wrap_options();
  options.open_pixel = false;
  for (std::string_view input :
       {std::string_view("<p><b>unclosed <i>tags"), std::string_view("a < b > c <<>> </ x>"),
        std::string_view("bad &amp entities &#xZZ; &;"), std::string_view("nul\0byte", 8),
        std::string_view("invalid \xff\xfe utf-8 \xc3"), std::string_view("<!-- unterminated"),
        std::string_view("<a href=\"unterminated"), std::string_view("<![CDATA[ x")}) {
    CHECK(rewrite(input, options).output == input);
  }
}

TEST_CASE("plain-text bodies", "[rewrite][text]") {
  auto result = rewrite_text("Read https://x.example/a. Or mailto:a@b.c\n", wrap_options());
  REQUIRE(result.ok());
  CHECK(result->output.starts_with("Read https://t.example.com/c?"));
  CHECK(result->output.ends_with(". Or mailto:a@b.c\n"));
  CHECK(result->report.links.size() == 1);
}

TEST_CASE("regressions from review", "[rewrite][review]") {
  SECTION("removing a marker written as 'name=' leaves no stray '='") {
    RewriteOptions options = wrap_options();
    options.open_pixel = false;
    RewriteResult result = rewrite("<a href=https://example.com/ data-no-track=>x</a>", options);
    CHECK(result.output == "<a href=https://example.com/>x</a>");
  }
  SECTION("a URL touching the placeholder is not linkified and nothing is duplicated") {
    RewriteResult result = rewrite("<p>see http://x.com/}}{{ses:openTracker}} end</p>");
    CHECK(result.report.links.empty());
    CHECK(result.output.starts_with("<p>see http://x.com/}}<img src="));
    CHECK(result.output.ends_with("/> end</p>"));
  }
  SECTION("line numbers follow the text, whatever the placeholders") {
    std::string input =
        "<p>{{ses:openTracker}}\nhttp://a.com\n{{ses:openTracker}}\nhttp://b.com\n</p>\n"
        "<a href=\"http://c.com\">c</a>\n";
    for (std::size_t step : {input.size(), std::size_t{1}}) {
      RewriteReport report;
      std::vector<std::size_t> cuts;
      for (std::size_t at = step; at < input.size(); at += step) cuts.push_back(at);
      rewrite_chunked(input, wrap_options(), cuts, report);
      REQUIRE(report.links.size() == 3);
      CHECK(report.links[0].line == 2);
      CHECK(report.links[1].line == 4);
      CHECK(report.links[2].line == 6);
    }
  }
  SECTION("a placeholder after </body> is where the pixel goes") {
    RewriteResult wrap = rewrite("<body>hi</body>{{ses:openTracker}}");
    CHECK(wrap.output.starts_with("<body>hi</body><img src="));
    CHECK(wrap.report.warnings.empty());
    RewriteOptions ses;
    ses.mode = RewriteMode::ses;
    CHECK(rewrite("<body>hi</body>{{ses:openTracker}}", ses).output ==
          "<body>hi</body>{{ses:openTracker}}");
    CHECK(rewrite("<body>hi</body>\n", ses).output == "<body>hi{{ses:openTracker}}</body>\n");
  }
  SECTION("text inside a link stays text in Outlook's copy too") {
    RewriteResult result =
        rewrite("<a href=\"mailto:x@y.com\"><!--[if mso]>www.example.com<![endif]--></a>");
    REQUIRE(result.report.links.size() == 1);
    CHECK(result.output.find("<!--[if mso]>www.example.com<![endif]-->") != std::string::npos);
  }
  SECTION("SES mode replaces every ses:tags attribute with the merged one") {
    RewriteOptions options;
    options.mode = RewriteMode::ses;
    options.open_pixel = false;
    RewriteResult result =
        rewrite("<a href=\"http://a.com\" ses:tags=\"x:1\" ses:tags=\"y:2\">a</a>", options);
    CHECK(result.output == "<a href=\"http://a.com\" ses:tags=\"x:1;link:0\">a</a>");
  }
  SECTION("unsubscribe URLs match whatever the case of the host or a default port") {
    RewriteOptions options = wrap_options();
    options.unsubscribe_urls = {"https://Example.com:443/unsub"};
    RewriteResult result = rewrite("<a href=\"https://example.com/unsub\">u</a>", options);
    CHECK(result.report.links[0].reason == LinkReason::unsubscribe);
  }
  SECTION("HTML elements end an unclosed <svg>: style is raw text again") {
    RewriteResult result = rewrite(
        "<svg width=\"1\"><p><style>.x{background:url(https://cdn.example.com/a.png)}</style>");
    CHECK(result.report.links.empty());
  }
  SECTION("a rejected linkify candidate takes no index and raises no warning") {
    RewriteResult result = rewrite("<p>http://user:pw@a.com and http://b.com</p>");
    REQUIRE(result.report.links.size() == 1);
    CHECK(result.report.links[0].index == 0);
    CHECK(result.report.warnings.empty());
  }
  SECTION("long text without whitespace fed byte by byte stays linear") {
    std::string input = "<p>" + std::string(300 * 1024, 'a') + "</p>";
    RewriteOptions options = wrap_options();
    options.open_pixel = false;
    std::vector<std::size_t> cuts;
    for (std::size_t at = 1; at < input.size(); ++at) cuts.push_back(at);
    RewriteReport report;
    CHECK(rewrite_chunked(input, options, cuts, report) == input);  // seconds if quadratic
  }
  SECTION("options that would make output ambiguous are refused") {
    RewriteOptions spaced = wrap_options();
    spaced.open_tracker_placeholder = "{{ open }}";
    CHECK_FALSE(rewrite_links("x", spaced).ok());
    RewriteOptions tags = wrap_options();
    tags.fields.tags = {{"a;b", "c"}};
    CHECK_FALSE(rewrite_links("x", tags).ok());
  }
}

TEST_CASE("an unsigned preview wraps links without a key and refuses a recipient address",
          "[rewrite]") {
  RewriteOptions options;
  options.base_url = std::string(kBase);
  options.sign = false;
  options.fields.message_id = "m1";
  auto result = rewrite("<a href=\"https://x.example/a\">A</a>", options);
  REQUIRE(result.report.links.size() == 1);
  CHECK(result.report.links[0].reason == LinkReason::tracked);
  CHECK(
      result.output.find("\"https://t.example.com/c?mid=m1&amp;li=0&amp;r=https://x.example/a\"") !=
      std::string::npos);
  CHECK(result.output.find("sig=") == std::string::npos);

  options.recipient_address = "someone@example.com";
  auto refused = rewrite_links("<a href=\"https://x.example/a\">A</a>", options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("recipientId") != std::string::npos);
}

TEST_CASE("an <a> reports what it shows, and an image-only link without alt text is warned about",
          "[rewrite]") {
  auto result = rewrite(
      "<a href=\"https://x.example/1\">Shop <b>now</b></a>\n"
      "<a href=\"https://x.example/2\"><img src=\"b.png\" alt=\"Spring sale\"></a>\n"
      "<a href=\"https://x.example/3\">\n  <img src=\"c.png\" alt=\" \"></a>\n"
      "<a href=\"https://x.example/4\"><img src=\"d.png\"> Shop</a>\n"
      "<a href=\"https://x.example/5\"> </a><area href=\"https://x.example/6\">\n"
      "<a href=\"mailto:a@example.com\"><img src=\"e.png\"></a>\n"
      "<a href=\"https://x.example/8\"><img src=\"g.png\">&nbsp;&zwnj;\xE2\x80\x8B</a>\n"
      "<a href=\"https://x.example/9\"><img src=\"h.png\"><!--[if mso]>Shop<![endif]--></a>\n"
      "<a href=\"https://x.example/7\"><img src=\"f.png\" alt=\"&#32;\">");
  REQUIRE(result.report.links.size() == 10);
  auto content = [&](int i) { return std::string(to_string(result.report.links[i].content)); };
  CHECK(content(0) == "text");
  CHECK(content(1) == "image");
  CHECK(content(2) == "image_without_alt");
  CHECK(content(3) == "text");
  CHECK(content(4) == "empty");
  CHECK(content(5).empty());  // <area>: not an anchor with content
  CHECK(content(6) == "image_without_alt");
  CHECK(content(7) == "image_without_alt");  // &nbsp; and zero-width characters show nothing
  CHECK(content(8) == "image_without_alt");  // text only Outlook shows
  CHECK(content(9) == "image_without_alt");  // never closed: decided at the end
  std::vector<std::size_t> warned;
  for (const RewriteWarning& warning : result.report.warnings) {
    if (warning.code == "image_without_alt") warned.push_back(warning.line);
  }
  CHECK(warned == std::vector<std::size_t>{3, 7, 8, 9, 10});
}
