// The strict JSON reader behind the SES parser (cpp/src/json_reader.hpp): what it accepts, each
// rejection and its message, escapes, numbers at the int64 limits, nesting, duplicate keys, and
// reuse of one reader across documents.
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clicktrail/ses.hpp"
#include "json_reader.hpp"
#include "test_support.hpp"

using clicktrail::detail::JsonError;
using clicktrail::detail::JsonReader;
using clicktrail::detail::JsonType;
using clicktrail::detail::JsonValue;

namespace {

constexpr int kDepth = clicktrail::kSesMaxDepth;

// The message of a document the reader must reject.
std::string rejection(std::string_view text) {
  JsonReader reader(kDepth);
  INFO("input: " << text);
  REQUIRE_FALSE(reader.parse_document(text));
  REQUIRE(reader.error() != JsonError::none);
  return reader.message();
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

// The one string a document "[\"...\"]" holds, unescaped.
std::string string_of(std::string_view document) {
  JsonReader reader(kDepth);
  INFO("input: " << document);
  REQUIRE(reader.parse_document(document));
  REQUIRE(reader.root().size() == 1);
  JsonValue value = *reader.root().elements().begin();
  REQUIRE(value.is_string());
  return std::string(value.string());
}

}  // namespace

TEST_CASE("json reader: values, objects and arrays on the tape", "[json-reader]") {
  JsonReader reader(kDepth);
  REQUIRE(reader.parse_document(
      R"( {"a": [1, "two", true, false, null, {"b": {}}, []], "c": {"d": -2.5}} )"));
  JsonValue root = reader.root();
  REQUIRE(root.is_object());
  CHECK(root.size() == 2);
  JsonValue a = root.find("a");
  REQUIRE(a.is_array());
  CHECK(a.size() == 7);
  JsonType types[7];
  int i = 0;
  for (JsonValue element : a.elements()) types[i++] = element.type();
  CHECK(i == 7);
  CHECK(types[0] == JsonType::number);
  CHECK(types[1] == JsonType::string);
  CHECK(types[2] == JsonType::boolean);
  CHECK(types[3] == JsonType::boolean);
  CHECK(types[4] == JsonType::null);
  CHECK(types[5] == JsonType::object);
  CHECK(types[6] == JsonType::array);
  CHECK(root.find("c").find("d").real() == -2.5);
  CHECK_FALSE(root.find("c").find("d").is_integer());

  std::string keys;
  for (auto member : root.members()) keys += std::string(member.key) + ";";
  CHECK(keys == "a;c;");

  // Absent values answer every question with "no" / empty.
  JsonValue missing = root.find("zzz");
  CHECK_FALSE(missing.present());
  CHECK_FALSE(missing.is_null());
  CHECK(missing.string().empty());
  CHECK(missing.size() == 0);
  CHECK_FALSE(a.find("x").present());  // find on an array
  auto c_elements = root.find("c").elements();
  CHECK_FALSE(c_elements.begin() != c_elements.end());  // an object has no elements

  for (std::string_view scalar : {"0", "\"s\"", "true", "false", "null", " [ ] ", "{ }"}) {
    INFO(scalar);
    CHECK(reader.parse_document(scalar));
  }
}

TEST_CASE("json reader: strings without escapes are views into the input", "[json-reader]") {
  const std::string text = R"({"key": "plain value"})";
  JsonReader reader(kDepth);
  REQUIRE(reader.parse_document(text));
  std::string_view value = reader.root().find("key").string();
  CHECK(value == "plain value");
  CHECK(value.data() == text.data() + 9);
}

TEST_CASE("json reader: escapes, including surrogate pairs", "[json-reader]") {
  CHECK(string_of(R"(["a\"b\\c\/d"])") == "a\"b\\c/d");
  CHECK(string_of(R"(["\b\f\n\r\t"])") == "\b\f\n\r\t");
  CHECK(string_of(R"(["\u0041\u00e9\u20AC"])") == "A\xC3\xA9\xE2\x82\xAC");
  CHECK(string_of(R"(["\ud83d\ude00 smile"])") == "\xF0\x9F\x98\x80 smile");
  CHECK(string_of(R"(["\uDBFF\uDFFF"])") == "\xF4\x8F\xBF\xBF");  // U+10FFFF
  CHECK(string_of(R"(["x\u0000y"])") == std::string("x\0y", 3));
  CHECK(string_of("[\"caf\xC3\xA9 \\n \xF0\x9F\x98\x80\"]") == "caf\xC3\xA9 \n \xF0\x9F\x98\x80");
  // Long runs around escapes cross the 8/16-byte blocks of the scanner.
  const std::string run(37, 'r');
  CHECK(string_of("[\"" + run + "\\t" + run + "\\u00e9" + run + "\"]") ==
        run + "\t" + run + "\xC3\xA9" + run);

  CHECK(starts_with(rejection(R"(["\q"])"),
                    "invalid JSON: invalid escape: backslash followed by 'q'"));
  CHECK(starts_with(rejection(R"(["\x41"])"), "invalid JSON: invalid escape"));
  CHECK(starts_with(rejection(R"(["\u12G4"])"), "invalid JSON: \\u not followed by 4 hex digits"));
  CHECK(starts_with(rejection(R"(["\u12"])"), "invalid JSON: \\u not followed by 4 hex digits"));
  CHECK(starts_with(rejection(R"(["\u12)"), "invalid JSON: unterminated \\u escape"));
  for (const char* unpaired : {R"(["\ud800"])", R"(["\udc00"])", R"(["\ud800\u0041"])",
                               R"(["\ud800x"])", R"(["\ud800\ud800"])", R"(["\ude00\ud83d"])"}) {
    INFO(unpaired);
    CHECK(starts_with(rejection(unpaired), "invalid JSON: unpaired surrogate in a \\u escape"));
  }
}

TEST_CASE("json reader: strictness, each rejection with its reason", "[json-reader]") {
  CHECK(rejection("[1,2,]") == "invalid JSON: trailing comma in an array at byte 5");
  CHECK(rejection(R"({"a":1,})") == "invalid JSON: trailing comma in an object at byte 7");
  CHECK(rejection(R"({"a":1 , })") == "invalid JSON: trailing comma in an object at byte 9");
  CHECK(rejection("[,1]") == "invalid JSON: expected a value, got ',' at byte 1");
  CHECK(rejection("01") == "invalid JSON: leading zero in a number at byte 0");
  CHECK(rejection("[-012]") == "invalid JSON: leading zero in a number at byte 1");
  CHECK(starts_with(rejection("1."), "invalid JSON: unexpected end of input, expected a digit"));
  CHECK(rejection("[.5]") == "invalid JSON: expected a value, got '.' at byte 1");
  CHECK(rejection("[+1]") == "invalid JSON: expected a value, got '+' at byte 1");
  CHECK(rejection("[-]") == "invalid JSON: expected a digit, got ']' at byte 2");
  CHECK(rejection("[1e]") == "invalid JSON: expected a digit in the exponent, got ']' at byte 3");
  CHECK(rejection("[1e+]") == "invalid JSON: expected a digit in the exponent, got ']' at byte 4");
  CHECK(rejection("[0x10]") ==
        "invalid JSON: expected ',' or ']' after an array element, got 'x' at byte 2");
  CHECK(rejection("[NaN]") == "invalid JSON: expected a value, got 'N' at byte 1");
  CHECK(rejection("[tru]") ==
        "invalid JSON: invalid literal (expected true, false or null) at byte 1");
  CHECK(rejection("[True]") == "invalid JSON: expected a value, got 'T' at byte 1");
  CHECK(rejection("[\"a\tb\"]") ==
        "invalid JSON: unescaped control character byte 0x09 in a string at byte 3");
  CHECK(rejection("[\"a\nb\"]") ==
        "invalid JSON: unescaped control character byte 0x0A in a string at byte 3");
  CHECK(rejection(std::string("[\"a\x01\"]")) ==
        "invalid JSON: unescaped control character byte 0x01 in a string at byte 3");
  CHECK(rejection("{} x") == "invalid JSON: expected the end of the document, got 'x' at byte 3");
  CHECK(rejection("1 2") == "invalid JSON: expected the end of the document, got '2' at byte 2");
  CHECK(rejection("[]]") == "invalid JSON: expected the end of the document, got ']' at byte 2");
  CHECK(rejection(R"({"a" 1})") ==
        "invalid JSON: expected ':' after an object key, got '1' at byte 5");
  CHECK(rejection(R"({"a":1 "b":2})") ==
        "invalid JSON: expected ',' or '}' after an object member, got '\"' at byte 7");
  CHECK(rejection("{1:2}") == "invalid JSON: expected a string key or '}', got '1' at byte 1");
  CHECK(rejection(R"({"a":1,2})") == "invalid JSON: expected a string key, got '2' at byte 7");
  CHECK(rejection("[1 2]") ==
        "invalid JSON: expected ',' or ']' after an array element, got '2' at byte 3");
  CHECK(rejection("") == "invalid JSON: unexpected end of input, expected a value at byte 0");
  CHECK(rejection(" \n\t ") == "invalid JSON: unexpected end of input, expected a value at byte 4");
  CHECK(rejection("{") ==
        "invalid JSON: unexpected end of input, expected a string key or '}' at byte 1");
  CHECK(rejection("[1,") == "invalid JSON: unexpected end of input, expected a value at byte 3");
  CHECK(rejection("\"abc") == "invalid JSON: unterminated string at byte 4");
  CHECK(rejection("\"abc\\") == "invalid JSON: unterminated string at byte 5");
  CHECK(rejection("[\xC3\xA9]") == "invalid JSON: expected a value, got byte 0xC3 at byte 1");
  CHECK(rejection("\xEF\xBB\xBF{}") == "invalid JSON: expected a value, got byte 0xEF at byte 0");
  CHECK(rejection("[1]\v") ==
        "invalid JSON: expected the end of the document, got byte 0x0B at byte 3");
}

TEST_CASE("json reader: invalid UTF-8 names its byte offset", "[json-reader]") {
  JsonReader reader(kDepth);
  for (const auto& [input, offset] : std::initializer_list<std::pair<std::string, int>>{
           {"[\"\xC3\x28\"]", 2},          // a lead byte without its continuation
           {"[\"ok \xC0\xAF\"]", 5},       // overlong '/'
           {"[\"\xED\xA0\x80\"]", 2},      // an encoded surrogate
           {"[\"\xF4\x90\x80\x80\"]", 2},  // above U+10FFFF
           {"[\"ab\xE2\x82\"]", 4},        // cut short
           {"[\"a\\n\xFF\"]", 5},          // after an escape
           {"[\"\x80\"]", 2}}) {           // a stray continuation byte
    INFO(input);
    REQUIRE_FALSE(reader.parse_document(input));
    CHECK(reader.error() == JsonError::utf8);
    CHECK(reader.error_offset() == static_cast<std::size_t>(offset));
    CHECK(reader.message() == "invalid UTF-8 at byte " + std::to_string(offset));
  }
}

TEST_CASE("json reader: nesting limit", "[json-reader]") {
  JsonReader reader(kDepth);
  auto nested = [](int depth, bool objects) {
    std::string text;
    for (int i = 0; i < depth; ++i) text += objects ? "{\"k\":" : "[";
    text += "0";
    for (int i = 0; i < depth; ++i) text += objects ? "}" : "]";
    return text;
  };
  CHECK(reader.parse_document(nested(kDepth, false)));
  CHECK(reader.parse_document(nested(kDepth, true)));
  REQUIRE_FALSE(reader.parse_document(nested(kDepth + 1, false)));
  CHECK(reader.error() == JsonError::depth);
  CHECK(reader.message() == "nesting deeper than 64 levels at byte 64");
  REQUIRE_FALSE(reader.parse_document(nested(kDepth + 1, true)));
  CHECK(reader.error() == JsonError::depth);
  CHECK(reader.error_offset() == 64 * 5);
  REQUIRE_FALSE(reader.parse_document(std::string(100000, '[')));  // no recursion past the limit
  CHECK(reader.error() == JsonError::depth);
  JsonReader shallow(2);
  CHECK(shallow.parse_document("[{}]"));
  CHECK_FALSE(shallow.parse_document("[[[]]]"));
}

TEST_CASE("json reader: numbers at the int64 limits and beyond", "[json-reader]") {
  JsonReader reader(kDepth);
  auto number = [&](std::string_view text) {
    INFO(text);
    REQUIRE(reader.parse_document(text));
    REQUIRE(reader.root().is_number());
    CHECK(reader.root().number_text() == text);
    return reader.root();
  };
  CHECK(number("0").integer() == 0);
  CHECK(number("-0").integer() == 0);
  CHECK(number("-0").is_integer());
  CHECK(number("9223372036854775807").integer() == std::numeric_limits<std::int64_t>::max());
  CHECK(number("-9223372036854775808").integer() == std::numeric_limits<std::int64_t>::min());
  CHECK(number("-9223372036854775808").is_integer());
  // One past either end: kept as a double.
  JsonValue above = number("9223372036854775808");
  CHECK_FALSE(above.is_integer());
  CHECK(above.real() == 9223372036854775808.0);
  JsonValue below = number("-9223372036854775809");
  CHECK_FALSE(below.is_integer());
  CHECK(below.real() == -9223372036854775808.0);
  CHECK(number("18446744073709551616").real() == 18446744073709551616.0);
  CHECK(number("123456789012345678901234567890").real() == 123456789012345678901234567890.0);
  CHECK(number("1.5").real() == 1.5);
  CHECK_FALSE(number("1.0").is_integer());
  CHECK(number("1E3").real() == 1000.0);
  CHECK(number("-12.75e-1").real() == -1.275);
  CHECK(number("1e-400").real() == 0.0);  // underflow is not an error
  CHECK(number("1.7976931348623157e308").real() == std::numeric_limits<double>::max());

  CHECK(rejection("1e400") == "invalid JSON: number overflow parsing '1e400'");
  CHECK(rejection("[-1e400]") == "invalid JSON: number overflow parsing '-1e400'");
  CHECK(rejection(std::string(400, '9')) ==
        "invalid JSON: number overflow parsing '" + std::string(400, '9') + "'");
}

TEST_CASE("json reader: duplicate keys, the last one wins (as in nlohmann_json's DOM)",
          "[json-reader]") {
  JsonReader reader(kDepth);
  REQUIRE(reader.parse_document(R"({"k": 1, "other": true, "k": "two", "k": [3]})"));
  JsonValue root = reader.root();
  CHECK(root.find("k").is_array());
  CHECK(root.size() == 4);  // members() keeps every member, in input order
  int seen = 0;
  for (auto member : root.members()) seen += member.key == "k";
  CHECK(seen == 3);

  // The same for the SES parser: the later eventType and messageId are the ones used.
  clicktrail::SesBatch batch = clicktrail::parse_ses_event(
      R"({"eventType":"Send","eventType":"Bounce","mail":{"messageId":"m1","messageId":"m2",)"
      R"("destination":["a@b"],"tags":{"z":["1"],"a":["x"],"a":["y","z"]}},)"
      R"("bounce":{"bouncedRecipients":[{"emailAddress":"x@y"}]}})");
  REQUIRE(batch.records.size() == 1);
  CHECK(batch.records[0].type == clicktrail::SesEventType::bounce);
  CHECK(batch.records[0].message_id == "m2");
  REQUIRE(batch.records[0].tags.size() == 2);  // keys in byte order, a repeated key once
  CHECK(batch.records[0].tags[0].first == "a");
  CHECK(batch.records[0].tags[0].second == std::vector<std::string>{"y", "z"});
  CHECK(batch.records[0].tags[1].first == "z");
}

TEST_CASE("json reader: parse_value stops after the value; one reader serves many documents",
          "[json-reader]") {
  JsonReader reader(kDepth);
  const std::string batch = R"({"a":"x\ty"} {"b":[1,2]}trailing)";
  REQUIRE(reader.parse_value(batch, 0));
  CHECK(reader.end() == 12);
  CHECK(reader.root().find("a").string() == "x\ty");
  REQUIRE(reader.parse_value(batch, 12));  // leading whitespace is skipped
  CHECK(reader.end() == 24);
  CHECK(reader.root().find("b").size() == 2);
  CHECK_FALSE(reader.parse_value(batch, 24));

  // After a long escaped string, a short one: the arena is reused, values stay right.
  const std::string long_text = "[\"" + std::string(5000, 'a') + "\\n\"]";
  REQUIRE(reader.parse_document(long_text));
  CHECK(reader.root().elements().begin() != reader.root().elements().end());
  CHECK((*reader.root().elements().begin()).string().size() == 5001);
  REQUIRE(reader.parse_document(R"(["\"q\"", "plain", "\u00e9"])"));
  std::string joined;
  for (JsonValue v : reader.root().elements()) joined += std::string(v.string()) + "|";
  CHECK(joined == "\"q\"|plain|\xC3\xA9|");
  // A failed parse leaves a message; the next one succeeds from scratch.
  CHECK_FALSE(reader.parse_document("[1,]"));
  CHECK(reader.parse_document("[1]"));
  CHECK(reader.error() == JsonError::none);
  CHECK(reader.message().empty());
}

TEST_CASE("SES batches through the strict reader", "[json-reader][ses]") {
  const std::string send =
      R"({"eventType":"Send","mail":{"messageId":"m","destination":["a@b"]},"send":{}})";
  auto reasons = [](const clicktrail::SesBatch& batch) {
    std::vector<std::string> out;
    for (const auto& r : batch.rejections) out.push_back(r.reason);
    return out;
  };

  // A strictness error in one record: named with its offset in the batch; the rest goes on.
  auto b = clicktrail::parse_ses_events(send + "\n" + R"({"eventType":"Send",})" + "\n" + send);
  CHECK(b.accepted == 2);
  CHECK(reasons(b) ==
        std::vector<std::string>{"invalid JSON: trailing comma in an object at byte 98"});

  // A line that is not an object, array or string is one value up to the end of the line.
  b = clicktrail::parse_ses_events(std::string("7\x00x\n\"\xC3\"\ntrue false\n", 19) + send);
  CHECK(b.accepted == 1);
  CHECK(reasons(b) == std::vector<std::string>{
                          "invalid JSON: expected the end of the document, got byte 0x00 at byte 1",
                          "invalid UTF-8 at byte 5",
                          "invalid JSON: expected the end of the document, got 'f' at byte 13"});
  // A byte-order mark there is skipped, as nlohmann_json did (and as at the start of the input).
  b = clicktrail::parse_ses_events("\xEF\xBB\xBF" + send + "\n\xEF\xBB\xBF" + send + "\n");
  CHECK(b.accepted == 2);

  // The SNS Message is JSON in a JSON string: unescaped, then read by a second reader.
  auto sns = [](const std::string& message) {
    std::string escaped;
    for (char c : message) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    return R"({"Type":"Notification","MessageId":"s","Message":")" + escaped + "\"}";
  };
  b = clicktrail::parse_ses_event(sns(
      R"({"eventType":"Send","mail":{"messageId":"\u00e9\ud83d\ude00","destination":["a@b"]}})"));
  REQUIRE(b.records.size() == 1);
  CHECK(b.records[0].message_id == "\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(b.records[0].sns_message_id == "s");
  CHECK(reasons(clicktrail::parse_ses_event(sns(R"({"eventType":"Send",})"))) ==
        std::vector<std::string>{
            "SNS Message: invalid JSON: trailing comma in an object at byte 20"});
  CHECK(reasons(clicktrail::parse_ses_event(sns(R"({"a":1e400})"))) ==
        std::vector<std::string>{"SNS Message: invalid JSON: number overflow parsing '1e400'"});
  CHECK(reasons(clicktrail::parse_ses_event(
            sns("{\"a\":" + std::string(70, '[') + std::string(70, ']') + "}"))) ==
        std::vector<std::string>{"SNS Message: nesting deeper than 64 levels"});
  CHECK(reasons(clicktrail::parse_ses_event(sns(send + " x"))) ==
        std::vector<std::string>{"SNS Message: trailing content after the JSON object"});

  // Over a megabyte: the records are reserved once the first sixteenth has been read.
  std::string big;
  while (big.size() < (3u << 20)) big += send + "\n";
  b = clicktrail::parse_ses_events(big);
  CHECK(b.rejected == 0);
  CHECK(b.records.size() == b.seen);
  CHECK(b.records.back().line == b.seen);
}
