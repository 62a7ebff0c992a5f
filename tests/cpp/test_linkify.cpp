// Tests for clicktrail::find_urls against linkify-it's fixtures, cmark-gfm's autolink examples
// and project cases. Data: tests/data/linkify-it and tests/data/cmark-gfm (see SOURCE.md there).
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "clicktrail/linkify.hpp"
#include "test_support.hpp"

namespace {

using clicktrail::find_urls;
using clicktrail::UrlMatch;
using test_support::data_path;
using test_support::read_file;

std::string text_of(std::string_view text, const UrlMatch& m) {
  return std::string(text.substr(m.begin, m.end - m.begin));
}

std::vector<std::string> texts(std::string_view text) {
  std::vector<std::string> out;
  for (const UrlMatch& m : find_urls(text)) out.push_back(text_of(text, m));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Whether find_urls is meant to report this link: it starts with a scheme we handle or "www.".
bool in_scope(std::string_view url) {
  const std::string l = lower(url);
  return l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0 || l.rfind("www.", 0) == 0;
}

bool mentions_scope(std::string_view text) {
  const std::string l = lower(text);
  return l.find("http://") != std::string::npos || l.find("https://") != std::string::npos ||
         l.find("www.") != std::string::npos;
}

// Checks what every result must satisfy whatever the input: in bounds, ordered, disjoint,
// starting with a handled scheme, "www." exactly when a scheme is needed.
void check_invariants(std::string_view text) {
  const std::vector<UrlMatch> matches = find_urls(text);
  std::size_t prev_end = 0;
  for (const UrlMatch& m : matches) {
    REQUIRE(m.begin >= prev_end);
    REQUIRE(m.begin < m.end);
    REQUIRE(m.end <= text.size());
    const std::string t = lower(text.substr(m.begin, m.end - m.begin));
    const bool www = t.rfind("www.", 0) == 0;
    REQUIRE((www || t.rfind("http://", 0) == 0 || t.rfind("https://", 0) == 0));
    REQUIRE(m.needs_scheme == www);
    // Sentence punctuation never ends a URL.
    const char last = t.back();
    REQUIRE(std::string_view("?!.,:*_~;").find(last) == std::string_view::npos);
    prev_end = m.end;
  }
}

struct FixtureCase {
  std::string input;
  std::string expected;
  bool explicit_expected = false;
};

// linkify-it's fixture format, as its test/test.mjs reads it: split on \r?\n, '%' lines are
// comments, blank lines are skipped, a following non-blank line is the expected first link.
std::vector<FixtureCase> parse_fixture(const std::string& content) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= content.size()) {
    std::size_t nl = content.find('\n', start);
    if (nl == std::string::npos) nl = content.size();
    std::string line = content.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == '%') line.clear();
    lines.push_back(line);
    start = nl + 1;
  }
  const auto blank = [](const std::string& s) {
    return s.find_first_not_of(" \t") == std::string::npos;
  };
  std::vector<FixtureCase> cases;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (blank(lines[i])) continue;
    if (i + 1 < lines.size() && !blank(lines[i + 1])) {
      cases.push_back({lines[i], lines[i + 1], true});
      ++i;
    } else {
      cases.push_back({lines[i], lines[i], false});
    }
  }
  return cases;
}

}  // namespace

TEST_CASE("linkify-it links.txt", "[linkify]") {
  const std::string content = read_file(data_path("linkify-it/links.txt"));
  REQUIRE(!content.empty());
  const std::vector<FixtureCase> cases = parse_fixture(content);
  // SOURCES.md counts 117 cases, 56 with an explicit expected line: the parser agrees.
  REQUIRE(cases.size() == 117);
  REQUIRE(std::count_if(cases.begin(), cases.end(),
                        [](const FixtureCase& c) { return c.explicit_expected; }) == 56);

  // Applicable cases deliberately not followed: none. (Balanced quotes such as
  // blah_"doublequoted" are kept, as linkify-it expects, rather than cut as GFM would.)
  int applied = 0;
  int skipped = 0;
  int passed = 0;
  for (const FixtureCase& c : cases) {
    INFO("input: " << c.input);
    if (!in_scope(c.expected)) {
      // Emails, bare domains, mailto:, ftp:, //protocol-relative: not ours. We must not report
      // anything for them, and never a match overlapping the link linkify-it found.
      ++skipped;
      const std::vector<UrlMatch> matches = find_urls(c.input);
      if (!mentions_scope(c.input)) {
        CHECK(matches.empty());
      } else {
        const std::size_t at = c.input.find(c.expected);
        for (const UrlMatch& m : matches) {
          CHECK((at == std::string::npos || m.end <= at || m.begin >= at + c.expected.size()));
        }
      }
      continue;
    }
    ++applied;
    const std::vector<UrlMatch> matches = find_urls(c.input);
    REQUIRE(!matches.empty());
    const bool text_ok = text_of(c.input, matches.front()) == c.expected;
    const bool scheme_ok =
        matches.front().needs_scheme == (lower(c.expected).rfind("www.", 0) == 0);
    CHECK(text_of(c.input, matches.front()) == c.expected);
    CHECK(scheme_ok);
    if (text_ok && scheme_ok) ++passed;
    if (!c.explicit_expected) {
      // Upstream also checks the link is found with a newline on either side.
      const std::vector<std::string> before = texts("\n" + c.input);
      const std::vector<std::string> after = texts(c.input + "\n");
      REQUIRE(!before.empty());
      REQUIRE(!after.empty());
      CHECK(before.front() == c.expected);
      CHECK(after.front() == c.expected);
    }
    check_invariants(c.input);
  }
  std::cout << "links.txt: applied " << applied << ", skipped " << skipped << ", passed " << passed
            << "\n";
  // 79 of the 117 cases expect an http://, https:// or www. link today; fewer means the parser
  // or in_scope broke, not that the finder improved.
  REQUIRE(applied >= 79);
  REQUIRE(passed == applied);
}

TEST_CASE("linkify-it not_links.txt", "[linkify]") {
  const std::string content = read_file(data_path("linkify-it/not_links.txt"));
  REQUIRE(!content.empty());
  // Every line is an input here (upstream reads it line by line, without expected lines).
  int checked = 0;
  std::istringstream lines(content);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '%') continue;
    INFO("input: " << line);
    // No skips. The only line GFM would link is "_http://example.com" (GFM accepts '_' before
    // a URL because it is an emphasis delimiter in Markdown); in email text we follow
    // linkify-it, for which '_' is a word character, like "xhttp://".
    CHECK(find_urls(line).empty());
    ++checked;
  }
  std::cout << "not_links.txt: checked " << checked << "\n";
  REQUIRE(checked == 38);
}

namespace {

// cmark-gfm's href escaping for the characters that occur in the examples: bytes outside ASCII
// and a few ASCII characters are percent-encoded; everything else is kept.
std::string gfm_href_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || c <= 0x20 ||
        std::string_view("\"<>\\^`{|}[]").find(ch) != std::string_view::npos) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string html_unescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    std::size_t at = 0;
    while ((at = s.find(from, at)) != std::string::npos) {
      s.replace(at, std::string_view(from).size(), to);
      at += std::string_view(to).size();
    }
  }
  return s;
}

struct GfmLink {
  std::string href;
  std::string text;
};

// The anchors of cmark-gfm's HTML output, which always has the form <a href="...">text</a>.
std::vector<GfmLink> gfm_links(const std::string& html) {
  std::vector<GfmLink> out;
  const std::string open = "<a href=\"";
  std::size_t at = 0;
  while ((at = html.find(open, at)) != std::string::npos) {
    const std::size_t href_begin = at + open.size();
    const std::size_t href_end = html.find("\">", href_begin);
    REQUIRE(href_end != std::string::npos);
    const std::size_t text_end = html.find("</a>", href_end);
    REQUIRE(text_end != std::string::npos);
    GfmLink link{html_unescape(html.substr(href_begin, href_end - href_begin)),
                 html_unescape(html.substr(href_end + 2, text_end - href_end - 2))};
    if (in_scope(link.href)) out.push_back(link);
    at = text_end;
  }
  return out;
}

}  // namespace

TEST_CASE("cmark-gfm autolink extension examples", "[linkify]") {
  const std::string content = read_file(data_path("cmark-gfm/autolinks-extension.extracted.json"));
  REQUIRE(!content.empty());
  const nlohmann::json doc = nlohmann::json::parse(content);

  // Markdown paragraphs whose GFM result comes from Markdown syntax, not from the autolinker:
  // an image's alt text and source are never links in GFM, while the same bytes in an email's
  // plain text are a URL. find_urls sees email text, so the paragraph is left out.
  const std::vector<std::string> markdown_only = {
      "![http://inline.com/image](http://inline.com/image)\n"};

  int examples = 0;
  int links = 0;
  for (const char* section : {"spec_autolinks_extension", "extensions_autolinks"}) {
    for (const nlohmann::json& ex : doc.at(section)) {
      ++examples;
      std::string markdown = ex.at("markdown").get<std::string>();
      const std::string html = ex.at("html").get<std::string>();
      INFO(section << " line " << ex.at("line").get<int>() << ": " << markdown);
      for (const std::string& skip : markdown_only) {
        const std::size_t at = markdown.find(skip);
        if (at != std::string::npos) markdown.erase(at, skip.size());
      }
      check_invariants(markdown);
      const std::vector<UrlMatch> ours = find_urls(markdown);
      // "<IGNORE>" marks a crash test with no expected output: it has no URL, so nothing.
      const std::vector<GfmLink> expected =
          html == "<IGNORE>\n" ? std::vector<GfmLink>{} : gfm_links(html);
      REQUIRE(ours.size() == expected.size());
      for (std::size_t k = 0; k < ours.size(); ++k) {
        const std::string text = text_of(markdown, ours[k]);
        CHECK(text == expected[k].text);
        CHECK(ours[k].needs_scheme == (expected[k].href.rfind("http://www.", 0) == 0 &&
                                       lower(expected[k].text).rfind("www.", 0) == 0));
        const std::string href = (ours[k].needs_scheme ? "http://" : "") + gfm_href_escape(text);
        CHECK(href == expected[k].href);
        ++links;
      }
    }
  }
  std::cout << "cmark-gfm: examples " << examples << ", http/www links compared " << links << "\n";
  REQUIRE(examples == 14);
  REQUIRE(links == 28);
}

TEST_CASE("find_urls project cases", "[linkify]") {
  using V = std::vector<std::string>;

  SECTION("brackets") {
    CHECK(texts("(see http://a.com/x_(y))") == V{"http://a.com/x_(y)"});
    CHECK(texts("http://a.com/x).") == V{"http://a.com/x"});
    CHECK(texts("[http://a.com/x]") == V{"http://a.com/x"});
    CHECK(texts("{http://a.com/x}") == V{"http://a.com/x"});
    CHECK(texts("http://a.com/x(y)z") == V{"http://a.com/x(y)z"});
    CHECK(texts("(http://a.com)") == V{"http://a.com"});
  }
  SECTION("quotes") {
    CHECK(texts("\"http://a.com\"") == V{"http://a.com"});
    CHECK(texts("'http://a.com/x'") == V{"http://a.com/x"});
    CHECK(texts("\xE2\x80\x9Chttp://a.com/x\xE2\x80\x9D") == V{"http://a.com/x"});
    CHECK(texts("\xC2\xABhttp://a.com/x\xC2\xBB") == V{"http://a.com/x"});
  }
  SECTION("entities") {
    CHECK(texts("http://a.com/?a=1&amp;b=2") == V{"http://a.com/?a=1&amp;b=2"});
    CHECK(texts("http://a.com/&hl;") == V{"http://a.com/"});
    CHECK(texts("&lt;http://a.com/x&gt;") == V{"http://a.com/x"});
    CHECK(texts("&quot;http://a.com/x&quot;.") == V{"http://a.com/x"});
    CHECK(texts("http://a.com/x&#39;") == V{"http://a.com/x"});
    CHECK(texts("http://a.com/x&#x27;") == V{"http://a.com/x"});
    CHECK(texts("http://a.com/x?a=1&amp;") == V{"http://a.com/x?a=1"});
    CHECK(texts("http://a.com/x;") == V{"http://a.com/x"});
  }
  SECTION("UTF-8 in path and host") {
    CHECK(texts("see http://a.com/caf\xC3\xA9 now") == V{"http://a.com/caf\xC3\xA9"});
    CHECK(texts("http://m\xC3\xBCnchen.de/\xE4\xA8\xB9") ==
          V{"http://m\xC3\xBCnchen.de/\xE4\xA8\xB9"});
    // CJK text puts punctuation and words right after a URL.
    CHECK(texts("\xE8\xAF\xB7\xE8\xA7\x81http://a.com/x\xE3\x80\x82\xE8\xB0\xA2") ==
          V{"http://a.com/x"});
    // NBSP and the ideographic space end a URL.
    CHECK(texts("http://a.com/x\xC2\xA0y") == V{"http://a.com/x"});
    CHECK(texts("http://a.com/x\xE3\x80\x80y") == V{"http://a.com/x"});
  }
  SECTION("not links") {
    CHECK(texts("http://").empty());
    CHECK(texts("http://.").empty());
    CHECK(texts("https://").empty());
    CHECK(texts("xhttp://a.com").empty());
    CHECK(texts("awww.a.com").empty());
    CHECK(texts("www.example").empty());
    CHECK(texts("//www.a.com").empty());
    CHECK(texts("ftp://www.a.com").empty());
    CHECK(texts("user@www.a.com").empty());
    CHECK(texts("mailto:a@b.com a@b.com example.com").empty());
    CHECK(texts("http://a.com:99999").empty());
    CHECK(texts("http://a_b.com").empty());
  }
  SECTION("several and at the end") {
    CHECK(texts("see http://a.com/x, http://b.com/y.") == V{"http://a.com/x", "http://b.com/y"});
    CHECK(texts("http://a.com,www.b.com") == V{"http://a.com", "www.b.com"});
    CHECK(texts("go to http://a.com/x") == V{"http://a.com/x"});
    CHECK(texts("WWW.A.COM and HTTPS://B.COM") == V{"WWW.A.COM", "HTTPS://B.COM"});
    const auto m = find_urls("x www.a.com/p y http://b.com");
    REQUIRE(m.size() == 2);
    CHECK(m[0].begin == 2);
    CHECK(m[0].end == 13);
    CHECK(m[0].needs_scheme);
    CHECK(m[1].begin == 16);
    CHECK(m[1].end == 28);
    CHECK(!m[1].needs_scheme);
  }
  SECTION("ports and userinfo") {
    CHECK(texts("http://localhost:8080/x") == V{"http://localhost:8080/x"});
    CHECK(texts("http://a.com:80.") == V{"http://a.com:80"});
    CHECK(texts("http://u:p@a.com/x") == V{"http://u:p@a.com/x"});
    CHECK(texts("http://192.168.0.1:3000/") == V{"http://192.168.0.1:3000/"});
  }
}

TEST_CASE("find_urls survives hostile bytes", "[linkify]") {
  using V = std::vector<std::string>;
  // A NUL or an invalid UTF-8 byte ends a URL, wherever it is.
  CHECK(texts(std::string_view("http://a.com/x\0y", 16)) == V{"http://a.com/x"});
  CHECK(texts("http://a.com/x\xFFy") == V{"http://a.com/x"});
  CHECK(texts("http://a.com/x\xE2\x82") == V{"http://a.com/x"});
  CHECK(texts("http://a\xC0\xAF.com") == V{"http://a"});
  CHECK(texts("\x80www.a.com") == V{"www.a.com"});
  CHECK(texts(std::string_view("\0http://a.com\0", 14)) == V{"http://a.com"});
  for (const std::string_view s :
       {"", "h", "ht", "http", "http:", "http:/", "www", "www.", "\xF0", "\xF0\x9F", "\xED\xA0\x80",
        "http://\xF4\x90\x80\x80", "http://a.com/\xF0\x9F\x8D"}) {
    check_invariants(s);
  }

  // Deterministic random strings built from pieces that steer the scanner into its corners.
  const std::string_view pieces[] = {"http://",
                                     "https://",
                                     "www.",
                                     "a",
                                     "Z",
                                     "9",
                                     ".",
                                     "-",
                                     "_",
                                     "/",
                                     "?",
                                     "#",
                                     "(",
                                     ")",
                                     "[",
                                     "]",
                                     "{",
                                     "}",
                                     "\"",
                                     "'",
                                     "&amp;",
                                     "&",
                                     ";",
                                     ":",
                                     "@",
                                     "<",
                                     ">",
                                     " ",
                                     "\n",
                                     std::string_view("\0", 1),
                                     "\xC3\xA9",
                                     "\xE3\x80\x82",
                                     "\xEF\xBD\x9C",
                                     "\xC2\xA0",
                                     "\xE2\x80\x9D",
                                     "\xFF",
                                     "\xE2\x82",
                                     "\xF0\x9F\x8D\x84",
                                     "com",
                                     "80"};
  const std::size_t piece_count = sizeof(pieces) / sizeof(pieces[0]);
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  const auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    const std::size_t n = next() % 24;
    for (std::size_t k = 0; k < n; ++k) s += pieces[next() % piece_count];
    check_invariants(s);
  }
}

TEST_CASE("find_urls is linear on adversarial input", "[linkify]") {
  // Inputs that would make a naive scanner rescan the same bytes for every candidate. They are
  // large enough that a quadratic scan would take minutes.
  const auto repeat = [](std::string_view unit, std::size_t times) {
    std::string s;
    s.reserve(unit.size() * times);
    for (std::size_t k = 0; k < times; ++k) s += unit;
    return s;
  };
  const std::size_t n = 200000;
  CHECK(find_urls(repeat("www.", n)).size() == 1);  // one long, valid host
  CHECK(find_urls(repeat("www.-", n)).empty());
  CHECK(find_urls(repeat(" www.-", n)).empty());
  CHECK(find_urls(repeat("(www.a", n)).empty());
  CHECK(find_urls(repeat("http://-", n)).empty());
  CHECK(find_urls("http://" + repeat("a:", n)).size() == 1);
  CHECK(find_urls(repeat(",http://a_", n)).empty());
  CHECK(find_urls("http://a.com/x" + repeat(")", n)).size() == 1);
  CHECK(find_urls("http://a.com/x" + repeat("&a;", n)).size() == 1);
  CHECK(find_urls(repeat("\xE4\xB8\xADwww.", n)).empty());
  const std::string many = repeat("http://a.com/x ", n);
  CHECK(find_urls(many).size() == n);
}

TEST_CASE("linkify-it benchmark samples", "[linkify]") {
  for (const char* name : {"email_fuzzy.txt", "link_normal.txt", "many.txt", "many_fast.txt"}) {
    const std::string text =
        read_file(data_path(std::string("linkify-it/benchmark-samples/") + name));
    INFO(name);
    REQUIRE(!text.empty());
    check_invariants(text);
  }
  // link_normal.txt embeds plain http links; the finder must see them.
  const std::string normal = read_file(data_path("linkify-it/benchmark-samples/link_normal.txt"));
  CHECK(!find_urls(normal).empty());
}

// Throughput over the linkify-it benchmark samples; hidden, run with "[bench]" on an -O2 build.
TEST_CASE("find_urls throughput", "[.][bench]") {
  std::string all;
  for (const char* name : {"email_fuzzy.txt", "link_normal.txt", "many.txt", "many_fast.txt"}) {
    all += read_file(data_path(std::string("linkify-it/benchmark-samples/") + name));
  }
  REQUIRE(!all.empty());
  std::size_t bytes = 0;
  std::size_t found = 0;
  const auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  while (seconds < 1.0) {
    for (int k = 0; k < 100; ++k) {
      found += find_urls(all).size();
      bytes += all.size();
    }
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::cout << "find_urls: " << (static_cast<double>(bytes) / 1e6 / seconds) << " MB/s ("
            << found / (bytes / all.size()) << " matches per pass over " << all.size()
            << " bytes)\n";
  CHECK(found > 0);
}
