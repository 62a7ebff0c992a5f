// The tokenizer against html5lib's tokenizer tests (tests/data/html5lib-tests), plus the
// properties the rewriter relies on: every byte in exactly one token, any chunking.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "clicktrail/entities.hpp"
#include "clicktrail/html_tokenizer.hpp"
#include "clicktrail/url.hpp"
#include "test_support.hpp"

using clicktrail::html::Token;
using clicktrail::html::Tokenizer;
using clicktrail::html::TokenKind;
using Json = nlohmann::json;

namespace {

// Our tokens in html5lib's output format: what a browser's tokenizer would emit for them.
Json to_html5lib(const std::vector<std::pair<Token, std::string>>& tokens) {
  Json out = Json::array();
  std::string characters;
  auto flush = [&] {
    if (!characters.empty()) out.push_back({"Character", characters});
    characters.clear();
  };
  std::string raw_element;  // the element whose raw text follows, for RCDATA decoding
  for (const auto& [token, bytes] : tokens) {
    auto slice = [&](clicktrail::html::Span span) {
      return bytes.substr(span.begin - token.range.begin, span.size());
    };
    switch (token.kind) {
      case TokenKind::text:
        characters += clicktrail::decode_entities(bytes, clicktrail::EntityContext::text);
        break;
      case TokenKind::raw_text:
        characters += (raw_element == "title" || raw_element == "textarea")
                          ? clicktrail::decode_entities(bytes, clicktrail::EntityContext::text)
                          : bytes;
        break;
      case TokenKind::start_tag:
      case TokenKind::end_tag: {
        flush();
        std::string name = clicktrail::ascii_lower(slice(token.name));
        if (token.kind == TokenKind::end_tag) {
          out.push_back({"EndTag", name});
          break;
        }
        raw_element = name;
        Json attributes = Json::object();
        for (const auto& attribute : token.attributes) {
          std::string attribute_name = clicktrail::ascii_lower(slice(attribute.name));
          if (attributes.contains(attribute_name)) continue;  // the first one wins
          attributes[attribute_name] = clicktrail::decode_entities(
              slice(attribute.value), clicktrail::EntityContext::attribute);
        }
        Json tag = {"StartTag", name, attributes};
        if (token.self_closing) tag.push_back(true);
        out.push_back(tag);
        break;
      }
      case TokenKind::comment:
        if (bytes == "</>") break;  // dropped by browsers; the text around it joins up
        flush();
        out.push_back({"Comment", slice(token.body)});
        break;
      case TokenKind::incomplete:
        flush();
        // Cut short by the end of input: a comment is still emitted, a tag is dropped.
        if (bytes.starts_with("<!--")) {
          // A browser leaves a half-typed "--", "--!" or "-" end sequence out of the data.
          std::string data = bytes.substr(4);
          for (std::string_view tail : {"--!", "--", "-"}) {
            if (data.ends_with(tail)) {
              data.resize(data.size() - tail.size());
              break;
            }
          }
          out.push_back({"Comment", data});
        } else if (bytes.starts_with("<!") || bytes.starts_with("<?") ||
                   (bytes.starts_with("</") && bytes.size() > 2 &&
                    !std::isalpha(static_cast<unsigned char>(bytes[2])))) {
          out.push_back({"Comment", bytes.substr(bytes[1] == '?' ? 1 : 2)});
        }
        break;
      default:
        flush();
        out.push_back({"Unsupported"});
        break;
    }
  }
  flush();
  return out;
}

std::vector<std::pair<Token, std::string>> tokenize(std::string_view input, std::size_t step) {
  std::vector<std::pair<Token, std::string>> tokens;
  Tokenizer tokenizer([&](const Token& token, const Tokenizer& t) {
    tokens.emplace_back(token, std::string(t.bytes(token.range)));
  });
  for (std::size_t i = 0; i < input.size(); i += step) tokenizer.write(input.substr(i, step));
  tokenizer.end();
  return tokens;
}

// Why a case does not apply to a tokenizer built for rewriting (counted, never silent).
std::string not_applicable(const Json& test) {
  if (test.contains("initialStates")) {
    for (const auto& state : test["initialStates"]) {
      if (state != "Data state") return "starts in a state other than Data";
    }
  }
  if (test.contains("lastStartTag")) return "needs lastStartTag";
  std::string input = test["input"];
  if (input.find('\0') != std::string::npos) return "NUL replacement (we pass bytes through)";
  if (input.find('\r') != std::string::npos) return "CR normalisation (we pass bytes through)";
  for (const auto& token : test["output"]) {
    if (token[0] == "DOCTYPE") return "DOCTYPE internals (never rewritten)";
  }
  return {};
}

}  // namespace

TEST_CASE("html5lib tokenizer tests that apply to a rewriting tokenizer", "[tokenizer]") {
  std::map<std::string, int> skipped;
  int applied = 0;
  for (const char* file : {"test1.test", "test2.test", "test3.test", "test4.test", "entities.test",
                           "numericEntities.test"}) {
    Json suite =
        Json::parse(test_support::read_file(test_support::data_path("html5lib-tests/") + file));
    for (const Json& test : suite["tests"]) {
      std::string reason = not_applicable(test);
      if (test.value("doubleEscaped", false)) reason = "double-escaped";
      if (!reason.empty()) {
        ++skipped[reason];
        continue;
      }
      ++applied;
      std::string input = test["input"];
      Json expected = test["output"];
      INFO(file << ": " << test["description"].get<std::string>() << "\ninput: " << input);
      CHECK(to_html5lib(tokenize(input, input.size() + 1)) == expected);
      // The same tokens whatever the chunking.
      CHECK(to_html5lib(tokenize(input, 1)) == expected);
    }
  }
  std::ostringstream summary;
  summary << "html5lib tokenizer: " << applied << " cases applied";
  for (const auto& [reason, count] : skipped) summary << "; " << count << " skipped: " << reason;
  WARN(summary.str());
  REQUIRE(applied >= 1199);  // the count measured when this test was written
}

TEST_CASE("every input byte belongs to exactly one token, in order", "[tokenizer]") {
  for (const std::string& path : test_support::corpus_emails()) {
    std::string input = test_support::read_file(path);
    for (std::size_t step : {input.size() + 1, std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
      std::string joined;
      std::size_t expected_begin = 0;
      Tokenizer tokenizer([&](const Token& token, const Tokenizer& t) {
        REQUIRE(token.range.begin == expected_begin);
        expected_begin = token.range.end;
        joined += t.bytes(token.range);
      });
      for (std::size_t i = 0; i < input.size(); i += step) tokenizer.write(input.substr(i, step));
      tokenizer.end();
      INFO(path << " step " << step);
      REQUIRE(joined == input);
    }
  }
}

TEST_CASE("markup the rewriter must recognise", "[tokenizer]") {
  auto kinds = [](std::string_view input) {
    std::vector<std::pair<TokenKind, std::string>> out;
    Tokenizer tokenizer([&](const Token& token, const Tokenizer& t) {
      out.emplace_back(token.kind, std::string(t.bytes(token.range)));
    });
    tokenizer.write(input);
    tokenizer.end();
    return out;
  };
  SECTION("Outlook conditional comments are single comments") {
    auto tokens = kinds("<!--[if mso]><v:roundrect href=\"x\"></v:roundrect><![endif]--><p>");
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].first == TokenKind::comment);
    auto revealed = kinds("<!--[if !mso]><!--><a href=x>y</a><!--<![endif]-->");
    REQUIRE(revealed.size() == 5);
    CHECK(revealed[0].second == "<!--[if !mso]><!-->");
    CHECK(revealed[1].first == TokenKind::start_tag);
    CHECK(revealed[4].second == "<!--<![endif]-->");
  }
  SECTION("raw text hides markup until its own end tag") {
    auto tokens = kinds("<style>a[href=\"</a>\"]{}</STYLE ><script>x='</scripty>'</script>");
    REQUIRE(tokens.size() == 6);
    CHECK(tokens[1].first == TokenKind::raw_text);
    CHECK(tokens[1].second == "a[href=\"</a>\"]{}");
    CHECK(tokens[2].second == "</STYLE >");
    CHECK(tokens[4].second == "x='</scripty>'");
  }
  SECTION("CDATA only inside svg and math") {
    auto html = kinds("<![CDATA[a>b]]>");
    CHECK(html[0].second == "<![CDATA[a>");
    auto svg = kinds("<svg><![CDATA[a>b]]></svg>");
    CHECK(svg[1].first == TokenKind::cdata);
    CHECK(svg[1].second == "<![CDATA[a>b]]>");
  }
  SECTION("unterminated markup is passed through as incomplete") {
    auto tokens = kinds("<p>x<a href=\"unterminated");
    CHECK(tokens.back().first == TokenKind::incomplete);
    CHECK(tokens.back().second == "<a href=\"unterminated");
  }
}
