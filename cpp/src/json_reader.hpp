// Internal: a small strict JSON reader (RFC 8259) for the SES path, where building nlohmann's DOM
// for every record cost most of the time.
//
// One value is parsed into a flat tape of nodes. A container node is followed by its contents
// (an array by its elements; an object by key, value, key, value..., keys being string nodes),
// and its `skip` leads past all of them to its next sibling. Strings without escapes are views
// into the input; strings with escapes are unescaped into an arena owned by the reader. Both the
// tape and the arena are reused by the next parse, so once they have grown to the largest
// record nothing is allocated. Nothing throws.
//
// Strict: no trailing commas, no leading zeros, no control characters or invalid UTF-8 in
// strings, no escapes other than RFC 8259's, no unpaired surrogates in \u escapes, nothing but
// whitespace after a document, nesting at most `max_depth` arrays and objects deep. Numbers:
// an integer that fits int64 is kept exactly; any other number (fraction, exponent, or an
// integer beyond int64) is read as a double, and one that overflows a double is an error
// ("number overflow parsing '1e400'", as nlohmann_json words it).
//
// Duplicate keys: the last member wins (find() returns it), as in nlohmann_json's DOM.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clicktrail::detail {

enum class JsonType : std::uint8_t { null, boolean, number, string, array, object };

// "null", "boolean", "number", "string", "array", "object".
[[nodiscard]] const char* json_type_name(JsonType type);

struct JsonNode {
  JsonType type = JsonType::null;
  bool flag = false;       // boolean: its value; number: an integer that fits int64
  std::uint32_t skip = 1;  // nodes from this one to its next sibling
  std::uint32_t size = 0;  // elements of an array, members of an object
  std::string_view text;   // string: the contents, unescaped; number: the token as written
  union {
    std::int64_t integer;  // number with flag set
    double real;           // number without flag
  };
  JsonNode() : integer(0) {}
};

class JsonElementIterator;
class JsonMemberIterator;
template <class Iterator>
struct JsonRange {
  Iterator first, last;
  Iterator begin() const { return first; }
  Iterator end() const { return last; }
};

// A view of one value on a reader's tape; valid until the reader parses again. A default
// JsonValue is "absent": present() is false and every type test is false.
class JsonValue {
 public:
  JsonValue() = default;
  explicit JsonValue(const JsonNode* node) : node_(node) {}

  [[nodiscard]] bool present() const { return node_ != nullptr; }
  [[nodiscard]] JsonType type() const { return node_ ? node_->type : JsonType::null; }
  [[nodiscard]] bool is(JsonType type) const { return node_ && node_->type == type; }
  [[nodiscard]] bool is_null() const { return is(JsonType::null); }
  [[nodiscard]] bool is_boolean() const { return is(JsonType::boolean); }
  [[nodiscard]] bool is_number() const { return is(JsonType::number); }
  [[nodiscard]] bool is_string() const { return is(JsonType::string); }
  [[nodiscard]] bool is_array() const { return is(JsonType::array); }
  [[nodiscard]] bool is_object() const { return is(JsonType::object); }
  // A number written as an integer within int64 (not "1.0", "1e3" or 2^63).
  [[nodiscard]] bool is_integer() const { return is_number() && node_->flag; }

  [[nodiscard]] bool boolean() const { return is_boolean() && node_->flag; }
  // The unescaped contents of a string; "" for anything else.
  [[nodiscard]] std::string_view string() const {
    return is_string() ? node_->text : std::string_view();
  }
  [[nodiscard]] std::int64_t integer() const { return is_integer() ? node_->integer : 0; }
  // Any number as a double (an int64 converted).
  [[nodiscard]] double real() const {
    if (!is_number()) return 0;
    return node_->flag ? static_cast<double>(node_->integer) : node_->real;
  }
  // A number as written in the input.
  [[nodiscard]] std::string_view number_text() const {
    return is_number() ? node_->text : std::string_view();
  }
  // Elements of an array or members of an object; 0 for anything else.
  [[nodiscard]] std::size_t size() const { return is_array() || is_object() ? node_->size : 0; }
  [[nodiscard]] bool empty() const { return size() == 0; }

  // The member named `key` of an object (the last one when the key repeats); absent when
  // there is none or this is not an object.
  [[nodiscard]] JsonValue find(std::string_view key) const;
  [[nodiscard]] bool contains(std::string_view key) const { return find(key).present(); }

  // The elements of an array (nothing for anything else).
  [[nodiscard]] JsonRange<JsonElementIterator> elements() const;
  // The members of an object in input order, duplicates included (nothing for anything else).
  [[nodiscard]] JsonRange<JsonMemberIterator> members() const;

 private:
  const JsonNode* node_ = nullptr;
};

struct JsonMember {
  std::string_view key;
  JsonValue value;
};

class JsonElementIterator {
 public:
  JsonElementIterator(const JsonNode* node, std::uint32_t left) : node_(node), left_(left) {}
  JsonValue operator*() const { return JsonValue(node_); }
  JsonElementIterator& operator++() {
    node_ += node_->skip;
    --left_;
    return *this;
  }
  bool operator!=(const JsonElementIterator& other) const { return left_ != other.left_; }

 private:
  const JsonNode* node_;
  std::uint32_t left_;
};

class JsonMemberIterator {
 public:
  JsonMemberIterator(const JsonNode* key, std::uint32_t left) : key_(key), left_(left) {}
  JsonMember operator*() const { return {key_->text, JsonValue(key_ + 1)}; }
  JsonMemberIterator& operator++() {
    key_ += 1 + key_[1].skip;
    --left_;
    return *this;
  }
  bool operator!=(const JsonMemberIterator& other) const { return left_ != other.left_; }

 private:
  const JsonNode* key_;
  std::uint32_t left_;
};

inline JsonRange<JsonElementIterator> JsonValue::elements() const {
  std::uint32_t n = is_array() ? node_->size : 0;
  return {{n ? node_ + 1 : nullptr, n}, {nullptr, 0}};
}

inline JsonRange<JsonMemberIterator> JsonValue::members() const {
  std::uint32_t n = is_object() ? node_->size : 0;
  return {{n ? node_ + 1 : nullptr, n}, {nullptr, 0}};
}

enum class JsonError { none, syntax, utf8, depth };

class JsonReader {
 public:
  explicit JsonReader(int max_depth) : max_depth_(max_depth) {}

  // Parses the value that starts at text[start] (after optional whitespace); end() is one past
  // it. Whatever follows is left to the caller.
  [[nodiscard]] bool parse_value(std::string_view text, std::size_t start = 0);
  // Parses text[start..] as a whole document: one value, optionally surrounded by whitespace.
  [[nodiscard]] bool parse_document(std::string_view text, std::size_t start = 0);

  // After a successful parse.
  [[nodiscard]] JsonValue root() const { return JsonValue(tape_.data()); }
  [[nodiscard]] std::size_t end() const { return end_; }

  // After a failed parse. The message names the byte offset in `text`:
  //   "invalid JSON: <what> at byte N", "invalid UTF-8 at byte N",
  //   "nesting deeper than <max_depth> levels at byte N",
  //   "invalid JSON: number overflow parsing '<number>'" (nlohmann_json's wording).
  [[nodiscard]] JsonError error() const { return error_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  [[nodiscard]] std::size_t error_offset() const { return error_offset_; }

 private:
  struct Escaped {  // a string node whose contents are in the arena, placed once parsing ends
    std::uint32_t node;
    std::size_t offset, size;
  };

  bool parse(std::string_view text, std::size_t start, bool document);
  bool value(int depth);
  bool object(int depth);
  bool array(int depth);
  bool string_node();
  bool unescape(const char* start);
  void copy_plain_run();
  // Room for `bytes` more at the end of the arena's used part.
  char* arena_room(std::size_t bytes) {
    if (arena_.size() - arena_used_ < bytes) grow_arena(bytes);
    return arena_.data() + arena_used_;
  }
  void grow_arena(std::size_t bytes);
  bool number();
  bool literal(std::string_view word, JsonType type, bool flag);
  void skip_space() {
    while (cur_ != end_of_text_ &&
           (*cur_ == ' ' || *cur_ == '\n' || *cur_ == '\r' || *cur_ == '\t')) {
      ++cur_;
    }
  }
  bool fail(JsonError kind, const char* what, const char* at);
  bool fail_unexpected(const char* expected);

  int max_depth_;
  std::vector<JsonNode> tape_;
  std::string arena_;  // its size is its capacity; arena_used_ bytes hold this parse's strings
  std::size_t arena_used_ = 0;
  std::vector<Escaped> escaped_;
  std::string number_buffer_;  // a NUL-terminated copy of a number for strtod
  const char* text_ = nullptr;
  const char* cur_ = nullptr;
  const char* end_of_text_ = nullptr;
  std::size_t end_ = 0;
  JsonError error_ = JsonError::none;
  std::string message_;
  std::size_t error_offset_ = 0;
};

}  // namespace clicktrail::detail
