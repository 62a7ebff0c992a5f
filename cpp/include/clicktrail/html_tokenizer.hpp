// A streaming HTML tokenizer for rewriting: it follows the WHATWG tokenizer's states for tags,
// attributes, comments, doctypes, CDATA and raw-text elements, but never copies or decodes:
// every token is a set of byte ranges into the input, and every input byte belongs to exactly
// one token, so a consumer that writes tokens back out reproduces the input byte for byte.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace clicktrail::html {

// HTML's ASCII whitespace: space, tab, LF, CR and form feed.
constexpr bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// A byte range [begin, end) in absolute stream offsets (0 = first byte ever written).
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
};

struct Attribute {
  Span gap;   // whitespace (or nothing) between the previous attribute or the tag name and this one
  Span name;  // as written, case preserved
  Span value;      // inside the quotes; empty when there is no value
  Span whole;      // name through the end of the value including its closing quote
  char quote = 0;  // '"', '\'' or 0 for an unquoted value or none
  bool has_value = false;
};

enum class TokenKind {
  text,      // character data between markup
  raw_text,  // content of script, style, textarea, title, xmp, iframe, noembed, noframes, plaintext
  start_tag,
  end_tag,
  comment,  // <!-- ... --> and bogus comments (<? ...>, </ 1>, <![endif]>, <![CDATA[ in HTML)
  doctype,
  cdata,       // <![CDATA[ ... ]]> inside svg or math
  incomplete,  // markup cut short by the end of input: passed through as it is
};

struct Token {
  TokenKind kind = TokenKind::text;
  Span range;  // every byte of the token
  Span name;   // tag name (tags), empty otherwise
  Span body;   // comment or CDATA content without delimiters
  bool self_closing = false;
  std::size_t attributes_end = 0;     // tags: end of the name or of the last attribute
  std::vector<Attribute> attributes;  // tags only, in source order, duplicates kept
};

class Tokenizer {
 public:
  // Receives each token; `bytes(span)` is valid during the call.
  using Sink = std::function<void(const Token&, const Tokenizer&)>;

  explicit Tokenizer(Sink sink, std::size_t base_offset = 0);

  // Feeds more input; tokens that are complete are delivered before it returns. Same as
  // feed() followed by release().
  void write(std::string_view chunk);
  // Delivers the complete tokens of `chunk` without copying it: the bytes of every token
  // delivered stay readable through bytes() until release().
  void feed(std::string_view chunk);
  // Keeps only what is not delivered yet (an unfinished tag or a long text run), copied if it
  // still points into the caller's chunk; bytes before consumed() are gone after this.
  void release();
  // Everything before this offset has been delivered.
  std::size_t consumed() const { return token_start_; }
  // Delivers what is left (an unfinished tag or comment as `incomplete`); the bytes of the
  // tokens delivered since the last release() stay readable.
  void end();

  // An empty span (such as the name of a text token) gives an empty view wherever it points.
  std::string_view bytes(Span span) const {
    if (span.empty()) return {};
    return std::string_view(data_ + (span.begin - buffer_start_), span.size());
  }
  // Lower-cased ASCII comparison of a tag or attribute name against `lower`.
  bool name_is(Span span, std::string_view lower) const;

  // Text runs are cut at whitespace once they grow past this, so a huge text node never has to
  // be held whole (URLs and placeholders never contain ASCII whitespace).
  static constexpr std::size_t kMaxHeldText = 64 * 1024;

 private:
  enum class State {
    data,
    tag_open,
    end_tag_open,
    tag_name,
    before_attribute_name,
    attribute_name,
    after_attribute_name,
    before_attribute_value,
    attribute_value_double,
    attribute_value_single,
    attribute_value_unquoted,
    after_attribute_value_quoted,
    self_closing,
    markup_declaration,
    comment_start,
    comment,
    bogus_comment,
    doctype,
    cdata,
    raw_text,
    plain_text,
  };

  void run(bool at_end);
  void emit(TokenKind kind, std::size_t end);
  void emit_tag(std::size_t end);
  void begin_attribute(std::size_t at);
  void reset_tag();
  bool ends_foreign_content(bool is_start) const;
  char at(std::size_t absolute) const { return data_[absolute - buffer_start_]; }
  std::size_t limit() const { return buffer_start_ + size_; }
  std::size_t find_byte(char byte, std::size_t from) const;

  Sink sink_;
  // The bytes being tokenized: `buffer_`, or the caller's chunk itself while feed() runs on a
  // chunk with nothing held from before (the usual whole-document case: no copy at all).
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::string buffer_;            // what is held between chunks
  std::size_t buffer_start_ = 0;  // absolute offset of data_[0]
  std::size_t token_start_ = 0;   // everything before it has been delivered
  std::size_t pos_ = 0;           // next byte to examine
  std::size_t scan_ = 0;          // comments and raw text: where the search for the end resumes
  std::size_t space_scan_ = 0;    // long text: how far the search for whitespace has gone
  std::size_t last_space_ = static_cast<std::size_t>(-1);  // the last whitespace found
  State state_ = State::data;
  Token token_;
  bool in_end_tag_ = false;
  std::string raw_text_end_;  // lower-cased name whose end tag closes the raw text
  int foreign_depth_ = 0;     // inside <svg> or <math>, where CDATA sections exist
};

}  // namespace clicktrail::html
